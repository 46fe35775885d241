//! One 重大项目 threshold: the score configuration's, edited by admins, read by the lead list,
//! the REST API, the major-project panel and the score alike; the old deployment setting moves
//! into it once.

use crate::api_v1::{api, token};
use app::domain::role::Role;
use app::domain::score::{ScoreConfig, CONFIG_FIELDS};
use app::wire::scoring::fmt_value;
use lianzhao_tests::{lead_fields, uscc, TestApp};
use reqwest::Method;

async fn set_threshold(app: &TestApp, admin: &reqwest::Client, wan: &str) {
    // Every other number at the domain's default, walked by the same table the form uses.
    let defaults = ScoreConfig::default();
    let mut fields: Vec<(String, String)> = CONFIG_FIELDS
        .iter()
        .map(|f| {
            let value =
                if f.path == "thresholds.major_project_wan" { wan.to_string() } else { fmt_value((f.get)(&defaults)) };
            (format!("form[values][{}]", f.path), value)
        })
        .collect();
    fields.push(("form[note]".into(), "重大项目门槛".into()));
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, body) = app.call(admin, "scoring/save", &refs).await;
    assert_eq!(status, 200, "{body}");
}

/// (panel says major, list filter finds it, REST filter finds it, the score's scale factor names
/// the threshold)
async fn seen_as_major(app: &TestApp, client: &reqwest::Client, token: &str, id: &str) -> (bool, u64, u64, String) {
    let (_, panel) = app.call(client, "leads/major", &[("id", id)]).await;
    let (_, list) = app.call(client, "leads/list", &[("filter[major]", "true")]).await;
    let (_, rest) = api(app, Method::GET, "/api/v1/leads?major=1", Some(token), None).await;
    let (_, detail) = app.call(client, "leads/get", &[("id", id)]).await;
    let scale = detail["score"]["fit"]["factors"]
        .as_array()
        .and_then(|factors| factors.iter().find(|p| p["key"] == "scale"))
        .map(|p| p["why_args"].to_string())
        .unwrap_or_default();
    (
        panel["by_amount"].as_bool().unwrap_or_default(),
        list["total"].as_u64().unwrap_or_default(),
        rest["total"].as_u64().unwrap_or_default(),
        scale,
    )
}

#[tokio::test]
async fn one_major_project_threshold_for_lists_the_api_the_panel_and_the_score() {
    let app = TestApp::spawn().await;
    let (admin, _) = app.login_as("root", Role::Admin).await;
    let (manager, _) = app.login_as("m", Role::Manager).await;
    let key = token(&app, &manager, "门槛").await;
    let (status, body) = app.call(&manager, "leads/save", &lead_fields("门槛测试有限公司", &uscc("320115", 41))).await;
    assert_eq!(status, 200, "{body}");
    let id = body.as_i64().unwrap().to_string(); // 1.2 亿元 planned

    let (major, listed, rest, scale) = seen_as_major(&app, &manager, &key, &id).await;
    assert_eq!((major, listed, rest), (true, 1, 1), "1.2 亿 ≥ the default 1 亿");
    assert!(scale.contains("\"major\",\"10,000\""), "{scale}");

    set_threshold(&app, &admin, "20000").await;
    let (major, listed, rest, scale) = seen_as_major(&app, &manager, &key, &id).await;
    assert_eq!((major, listed, rest), (false, 0, 0), "1.2 亿 < 2 亿 everywhere at once");
    assert!(scale.contains("\"major\",\"20,000\""), "{scale}");
}

#[tokio::test]
async fn the_old_setting_moves_into_the_score_configuration_until_an_admin_edits_it() {
    let app = TestApp::spawn().await;
    let (admin, _) = app.login_as("root", Role::Admin).await;
    use app::backend::services::score_settings::adopt_major_threshold;
    use app::backend::services::scoring::major_project_wan;
    assert!(adopt_major_threshold(&app.db, 15_000.0).await.unwrap(), "moved in");
    assert!(!adopt_major_threshold(&app.db, 15_000.0).await.unwrap(), "once");
    assert_eq!(major_project_wan(&app.db).await.unwrap(), 15_000.0);
    let (_, page) = app.call(&admin, "scoring/settings", &[]).await;
    assert_eq!(page["config"]["thresholds"]["major_project_wan"], 15_000.0);

    set_threshold(&app, &admin, "15000").await; // an admin saves without changing the threshold
    assert!(adopt_major_threshold(&app.db, 16_000.0).await.unwrap(), "other edits do not count");
    set_threshold(&app, &admin, "8000").await;
    assert!(!adopt_major_threshold(&app.db, 15_000.0).await.unwrap(), "an admin's edit wins");
    assert_eq!(major_project_wan(&app.db).await.unwrap(), 8_000.0);
    assert!(adopt_major_threshold(&app.db, -1.0).await.is_err());
}
