//! The lead list's capped count: a list of more than 10,000 leads says "10,000+" and is not
//! counted again for a while; that is remembered per reader (their access terms) and per filter,
//! and a list under the cap is counted on every page view.

use super::api_v1::{api, token};
use app::domain::role::Role;
use lianzhao_tests::{uscc, TestApp};
use reqwest::Method;
use sea_orm::ConnectionTrait;
use serde_json::json;

async fn create(app: &TestApp, token: &str, name: &str, seed: u32) -> i64 {
    let body = json!({"company_name": name, "uscc": uscc("320115", seed), "industry": "electronic_comms", "channel": "agency"});
    let (status, lead) = api(app, Method::POST, "/api/v1/leads", Some(token), Some(body)).await;
    assert_eq!(status, 201, "{lead}");
    lead["id"].as_i64().expect("id")
}

async fn total(app: &TestApp, token: &str, query: &str) -> (u64, bool) {
    let (status, list) = api(app, Method::GET, &format!("/api/v1/leads{query}"), Some(token), None).await;
    assert_eq!(status, 200, "{list}");
    (list["total"].as_u64().expect("total"), list["total_is_lower_bound"].as_bool().expect("lower bound"))
}

#[tokio::test]
async fn a_capped_count_is_remembered_per_reader_and_filter_and_a_small_one_is_counted_each_time() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    let (staff, _) = app.login_as("s", Role::Staff).await;
    let mgr_token = token(&app, &manager, "脚本").await;
    let staff_token = token(&app, &staff, "手机").await;
    let model = create(&app, &mgr_token, "计数样本科技有限公司", 1).await;
    create(&app, &staff_token, "员工自建科技有限公司", 2).await;
    // 10,000 more of the manager's, by SQL (the same values as the model, in both databases).
    app.db
        .execute_unprepared(&format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000) \
             INSERT INTO leads (company_name, name_key, name_fold, region_code, province_code, city_code, \
               region_group, industry, channel, stage, created_by, updated_by, created_at, updated_at) \
             SELECT company_name || CAST(n.i AS TEXT), name_key || CAST(n.i AS TEXT), \
               name_fold || CAST(n.i AS TEXT), region_code, province_code, city_code, region_group, industry, \
               channel, stage, created_by, updated_by, created_at, updated_at FROM leads, n WHERE leads.id = {model}"
        ))
        .await
        .expect("copies");

    // Another reader's list is counted for them: the staff member sees their own lead only.
    assert_eq!(total(&app, &staff_token, "").await, (1, false));
    create(&app, &staff_token, "员工再建科技有限公司", 3).await;
    assert_eq!(total(&app, &staff_token, "").await, (2, false), "a count under the cap is counted again");
    // Another filter is counted for itself.
    assert_eq!(total(&app, &mgr_token, "?q=%E5%91%98%E5%B7%A5").await, (2, false));
    assert_eq!(total(&app, &mgr_token, "").await, (10_000, true));
    // While the broad count is remembered (10 s), the manager's list goes on saying 10,000+ even
    // after most of its leads are gone; a new filter sees the truth at once.
    app.db.execute_unprepared(&format!("DELETE FROM leads WHERE id > {model} + 100")).await.expect("delete");
    assert_eq!(total(&app, &mgr_token, "").await, (10_000, true), "remembered");
    let (left, more) = total(&app, &mgr_token, "?channel=agency").await;
    assert!(!more && left <= 102, "{left}");
}

/// The app's connections are set up as the list's plans need: on PostgreSQL each statement is
/// planned for its values (a plan for any value scanned every lead for `grade = $1`); on SQLite
/// WAL with full syncs (a power cut keeps what a user was told was saved).
#[tokio::test]
async fn the_connections_are_set_up_as_the_app_needs() {
    use sea_orm::{DbBackend, Statement};
    let app = TestApp::spawn().await;
    let backend = app.db.get_database_backend();
    let read = |sql: &str| Statement::from_string(backend, sql.to_string());
    match backend {
        DbBackend::Postgres => {
            let row = app.db.query_one(read("SHOW plan_cache_mode")).await.unwrap().unwrap();
            assert_eq!(row.try_get_by_index::<String>(0).unwrap(), "force_custom_plan");
        }
        _ => {
            let row = app.db.query_one(read("PRAGMA journal_mode")).await.unwrap().unwrap();
            assert_eq!(row.try_get_by_index::<String>(0).unwrap(), "wal");
            let row = app.db.query_one(read("PRAGMA synchronous")).await.unwrap().unwrap();
            assert_eq!(row.try_get_by_index::<i32>(0).unwrap(), 2, "FULL");
        }
    }
}
