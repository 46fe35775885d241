use app::backend::Settings;
use app::domain::role::Role;
use lianzhao_tests::{lead_fields, uscc, TestApp};
use serde_json::Value;

async fn lead(app: &TestApp, client: &reqwest::Client, name: &str, division: &str, seed: u32, amount: &str) -> String {
    let code = uscc(division, seed);
    let mut fields = lead_fields(name, &code);
    for (k, v) in fields.iter_mut() {
        if *k == "form[planned_investment]" {
            *v = amount;
        }
    }
    let (status, body) = app.call(client, "leads/save", &fields).await;
    assert_eq!(status, 200, "{body}");
    body.as_i64().unwrap().to_string()
}

fn column<'a>(board: &'a Value, stage: &str) -> &'a Value {
    board["columns"].as_array().unwrap().iter().find(|c| c["stage"] == stage).unwrap()
}

#[tokio::test]
async fn the_board_counts_and_totals_each_stage_and_follows_the_filters() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("m", Role::Manager).await;
    let a = lead(&app, &manager, "看板甲有限公司", "320115", 1, "1000").await;
    lead(&app, &manager, "看板乙有限公司", "440305", 2, "2500").await;
    lead(&app, &manager, "看板丙有限公司", "320115", 3, "").await;
    let (status, _) = app.call(&manager, "pipeline/move", &[("lead_id", &a), ("form[to]", "contact")]).await;
    assert_eq!(status, 200);

    let (status, board) = app.call(&manager, "kanban/board", &[]).await;
    assert_eq!(status, 200, "{board}");
    assert_eq!(board["columns"].as_array().unwrap().len(), 11, "9 pipeline stages and 2 side states");
    assert_eq!(column(&board, "clue")["count"], 2);
    assert_eq!(column(&board, "clue")["total_investment_wan"], 2500.0);
    assert_eq!(column(&board, "contact")["count"], 1);
    assert_eq!(column(&board, "contact")["cards"][0]["company_name"], "看板甲有限公司");
    assert_eq!(column(&board, "contact")["cards"][0]["stale"], false);

    let (_, yrd) = app.call(&manager, "kanban/board", &[("filter[group]", "yrd")]).await;
    assert_eq!(column(&yrd, "clue")["count"], 1);
    assert_eq!(column(&yrd, "clue")["cards"][0]["company_name"], "看板丙有限公司");

    let (_, page) = app.page(&manager, "/kanban?group=prd").await;
    assert!(page.contains("看板乙有限公司") && !page.contains("看板甲有限公司"));
    // A column's total as the dashboard says amounts (万元 below 1 亿, 亿元 from it on).
    assert!(page.contains(">2,500 万元<"), "{page}");

    // Staff see only their own cards.
    let (staff, _) = app.login_as("s", Role::Staff).await;
    let (_, board) = app.call(&staff, "kanban/board", &[]).await;
    assert!(board["columns"].as_array().unwrap().iter().all(|c| c["count"] == 0));
}

#[tokio::test]
async fn leads_without_recent_contact_are_marked_stale() {
    let app = TestApp::spawn_with(Settings { stale_days: 1, ..TestApp::test_settings() }).await;
    let (manager, _) = app.login_as("m", Role::Manager).await;
    let id = lead(&app, &manager, "停滞测试有限公司", "320115", 9, "100").await;
    let (_, board) = app.call(&manager, "kanban/board", &[]).await;
    assert_eq!(column(&board, "clue")["cards"][0]["stale"], false, "created today");
    // Backdate the lead: no contact for ten days.
    use sea_orm::ConnectionTrait;
    let ten_days_ago = chrono::Utc::now() - chrono::Duration::days(10);
    let stmt = sea_orm::Statement::from_sql_and_values(
        app.db.get_database_backend(),
        match app.db.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => {
                "UPDATE leads SET created_at = $1, stage_changed_at = $1 WHERE id = $2"
            }
            _ => "UPDATE leads SET created_at = ?, stage_changed_at = ? WHERE id = ?",
        },
        match app.db.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => vec![ten_days_ago.into(), id.parse::<i64>().unwrap().into()],
            _ => vec![ten_days_ago.into(), ten_days_ago.into(), id.parse::<i64>().unwrap().into()],
        },
    );
    app.db.execute(stmt).await.unwrap();
    let (_, board) = app.call(&manager, "kanban/board", &[]).await;
    let card = &column(&board, "clue")["cards"][0];
    assert_eq!(card["stale"], true);
    assert_eq!(card["days_in_stage"], 10);
    // A logged contact makes it fresh again.
    let (status, _) = app
        .call(&manager, "pipeline/log", &[("lead_id", &id), ("form[kind]", "wechat"), ("form[summary]", "微信联系")])
        .await;
    assert_eq!(status, 200);
    let (_, board) = app.call(&manager, "kanban/board", &[]).await;
    assert_eq!(column(&board, "clue")["cards"][0]["stale"], false);
}

/// A column shows its best-scored cards only; the header counts them all and a link opens the
/// rest in the lead list, with the board's filter.
#[tokio::test]
async fn a_full_column_links_to_the_rest_of_its_leads() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("m", Role::Manager).await;
    let shown = app::wire::kanban::CARDS_PER_COLUMN as u32;
    for i in 0..shown + 2 {
        lead(&app, &manager, &format!("满列{i:02}有限公司"), "320115", 100 + i, "100").await;
    }
    let (_, board) = app.call(&manager, "kanban/board", &[]).await;
    let clue = column(&board, "clue");
    assert_eq!(
        (clue["count"].as_u64(), clue["cards"].as_array().unwrap().len()),
        (Some(shown as u64 + 2), shown as usize)
    );
    let (_, page) = app.page(&manager, "/kanban?group=yrd").await;
    assert!(page.contains("href=\"/leads?group=yrd&amp;stage=clue&amp;sort=-score\""), "the rest of the column");
    assert!(!page.contains("stage=contact&amp;sort"), "no link under a column shown whole");
    let (status, list) = app.page(&manager, "/leads?group=yrd&stage=clue&sort=-score").await;
    assert_eq!(status, 200);
    assert!(list.contains("满列00有限公司"));
}

/// On SQLite the board's column totals, for a staff member (their own, created and team's
/// leads) as for a manager, are read from an index alone (migration 32): without it a staff
/// member's board read every lead's row (240 ms at 200,000 leads). On PostgreSQL, which plans by
/// its statistics, the test proves the index of migration 36 can answer them alone (an index-only
/// scan once the table's scan is ruled out).
#[tokio::test]
async fn the_boards_totals_are_read_from_an_index_alone() {
    use sea_orm::{ConnectionTrait, DatabaseBackend, TransactionTrait};
    if lianzhao_tests::backend_name() != "sqlite" {
        let app = TestApp::spawn().await;
        app.db.execute_unprepared("VACUUM ANALYZE leads").await.unwrap();
        let db = app.db.begin().await.unwrap();
        db.execute_unprepared("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off").await.unwrap();
        for role in [Role::Staff, Role::Manager] {
            let plan = totals_plan(&db, DatabaseBackend::Postgres, role).await;
            assert!(
                plan.iter().any(|d| d.contains("Index Only Scan using idx_leads_stage_totals_pg")),
                "{role:?}: {plan:?}"
            );
        }
        return;
    }
    let app = TestApp::spawn().await;
    // The planner's choice rests on the statistics the server's hourly ANALYZE gathers: these are
    // those of `make bench`'s 200,000 leads (6 users, 3 teams, 11 stages).
    let db = app.db.begin().await.unwrap();
    db.execute_unprepared("ANALYZE").await.unwrap();
    db.execute_unprepared("DELETE FROM sqlite_stat1 WHERE tbl = 'leads'").await.unwrap();
    for (index, stat) in [
        ("idx_leads_stage_access_totals", "200000 18182 3 3 3 3 3"),
        ("idx_leads_stage_score", "200000 18182 32 1"),
        ("idx_leads_owner", "200000 33334 3"),
        ("idx_leads_created_by", "200000 33334 3"),
        ("idx_leads_team", "200000 50000"),
    ] {
        db.execute_unprepared(&format!("INSERT INTO sqlite_stat1 VALUES ('leads', '{index}', '{stat}')"))
            .await
            .unwrap();
    }
    db.execute_unprepared("ANALYZE sqlite_schema").await.unwrap();
    for role in [Role::Staff, Role::Manager] {
        let plan = totals_plan(&db, DatabaseBackend::Sqlite, role).await;
        assert!(
            plan.iter().any(|d| d.contains("USING COVERING INDEX idx_leads_stage_access_totals")),
            "{role:?}: {plan:?}"
        );
    }
}

/// The lines of the plan `backend` makes for the board's column totals as `role` (in teams 1
/// and 2) sees them: `EXPLAIN` on PostgreSQL, `EXPLAIN QUERY PLAN` on SQLite.
async fn totals_plan(db: &sea_orm::DatabaseTransaction, backend: sea_orm::DatabaseBackend, role: Role) -> Vec<String> {
    use app::backend::services::{kanban::totals_query, lead_list::filtered};
    use sea_orm::{ConnectionTrait, QueryTrait, Statement};
    let actor = app::wire::auth::SessionUser { teams: vec![1, 2], ..lianzhao_tests::session_user(7, "s", role) };
    let base = filtered(backend, &actor, &Default::default(), f64::NAN).unwrap();
    let totals = totals_query(base).build(backend);
    let (explain, column) = match backend {
        sea_orm::DatabaseBackend::Postgres => ("EXPLAIN", "QUERY PLAN"),
        _ => ("EXPLAIN QUERY PLAN", "detail"),
    };
    let statement = Statement::from_sql_and_values(
        backend,
        format!("{explain} {}", totals.sql),
        totals.values.map(|v| v.0).unwrap_or_default(),
    );
    db.query_all(statement).await.unwrap().iter().map(|row| row.try_get::<String>("", column).unwrap()).collect()
}
