//! The REST API: bearer tokens, roles and teams as in the UI, 422 per field, 409 on a stale
//! version or a duplicate, and an OpenAPI document that lists every route.

use super::teams::{assign, save_team};
use app::domain::role::Role;
use lianzhao_tests::{uscc, TestApp};
use serde_json::{json, Value};

pub(crate) async fn token(app: &TestApp, client: &reqwest::Client, name: &str) -> String {
    let (status, t) = app.call(client, "tokens/create", &[("name", name)]).await;
    assert_eq!(status, 200, "{t}");
    t.as_str().unwrap().to_string()
}

pub(crate) async fn api(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = reqwest::Client::new().request(method, app.url(path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.expect("api request");
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

#[tokio::test]
async fn leads_through_the_api_follow_the_same_rules() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    let (staff, staff_id) = app.login_as("s", Role::Staff).await;
    let (other, _) = app.login_as("o", Role::Staff).await;
    let mgr_token = token(&app, &manager, "脚本").await;
    let staff_token = token(&app, &staff, "手机").await;
    let other_token = token(&app, &other, "x").await;
    use reqwest::Method;

    assert_eq!(api(&app, Method::GET, "/api/v1/leads", None, None).await.0, 401);
    assert_eq!(api(&app, Method::GET, "/api/v1/leads", Some("lzk_nonsense"), None).await.0, 401);

    let code = uscc("320115", 7);
    let (status, lead) = api(
        &app,
        Method::POST,
        "/api/v1/leads",
        Some(&mgr_token),
        Some(json!({"company_name": "接口创建科技有限公司", "uscc": code, "industry": "electronic_comms", "channel": "agency", "planned_investment_wan": "1.5亿", "land_mu": 80})),
    )
    .await;
    assert_eq!(status, 201, "{lead}");
    for key in [
        "id",
        "version",
        "company_name",
        "uscc",
        "region_code",
        "region_names",
        "industry",
        "stage",
        "planned_investment_wan",
        "land_mu",
        "score",
        "grade",
    ] {
        assert!(lead.get(key).is_some(), "{key} in {lead}");
    }
    assert_eq!(lead["planned_investment_wan"], 15000.0);
    assert!(lead["region_names"].as_str().unwrap().contains("江宁"));
    let id = lead["id"].as_i64().unwrap();

    // Bad fields: 422 naming each; a duplicate USCC names the existing lead.
    let (status, body) = api(
        &app,
        Method::POST,
        "/api/v1/leads",
        Some(&mgr_token),
        Some(json!({"company_name": "", "uscc": "123", "industry": "x"})),
    )
    .await;
    assert_eq!(status, 422);
    let fields: Vec<&str> = body["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert!(fields.contains(&"company_name") && fields.contains(&"uscc"), "{body}");
    let (status, body) = api(
        &app,
        Method::POST,
        "/api/v1/leads",
        Some(&mgr_token),
        Some(json!({"company_name": "重复科技有限公司", "uscc": code, "industry": "electronic_comms"})),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["fields"][0]["code"], "err.uscc.duplicate");
    assert_eq!(body["fields"][0]["args"]["id"], id.to_string());

    // Update with the version; a stale version is 409 with what changed.
    let path = format!("/api/v1/leads/{id}");
    let (status, updated) =
        api(&app, Method::PATCH, &path, Some(&mgr_token), Some(json!({"version": 1, "land_mu": 120}))).await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!((updated["land_mu"].as_f64(), updated["version"].as_i64()), (Some(120.0), Some(2)));
    let (status, stale) =
        api(&app, Method::PATCH, &path, Some(&mgr_token), Some(json!({"version": 1, "land_mu": 90}))).await;
    assert_eq!(status, 409);
    assert_eq!(stale["error"], "stale");
    assert_eq!(
        api(&app, Method::PATCH, &path, Some(&mgr_token), Some(json!({"land_mu": 90}))).await.0,
        422,
        "version required"
    );

    // Staff: another's lead is 404 with no data, until it is assigned to their team.
    let (status, body) = api(&app, Method::GET, &path, Some(&staff_token), None).await;
    assert_eq!(status, 404);
    assert!(body.get("company_name").is_none());
    let (_, team) = save_team(&app, &manager, None, "南京专班", "南京", None, &[staff_id]).await;
    assert_eq!(assign(&app, &manager, &[&id.to_string()], &team.to_string(), "").await.0, 200);
    assert_eq!(api(&app, Method::GET, &path, Some(&staff_token), None).await.0, 200);
    assert_eq!(api(&app, Method::GET, &path, Some(&other_token), None).await.0, 404);
    let (_, list) = api(&app, Method::GET, "/api/v1/leads?q=%E6%8E%A5%E5%8F%A3", Some(&staff_token), None).await;
    assert_eq!(list["total"], 1, "{list}");
    let (_, list) = api(&app, Method::GET, "/api/v1/leads", Some(&other_token), None).await;
    assert_eq!(list["total"], 0);

    // Activities, teams, trips.
    let act = format!("/api/v1/leads/{id}/activities");
    let (status, created) =
        api(&app, Method::POST, &act, Some(&staff_token), Some(json!({"kind": "call", "summary": "接口记录的电话"})))
            .await;
    assert_eq!(status, 201, "{created}");
    let (_, acts) = api(&app, Method::GET, &act, Some(&mgr_token), None).await;
    assert_eq!(acts[0]["summary"], "接口记录的电话");
    let (status, teams) = api(&app, Method::GET, "/api/v1/teams", Some(&staff_token), None).await;
    assert_eq!((status, teams[0]["name"].as_str()), (200, Some("南京专班")));
    assert_eq!(api(&app, Method::GET, "/api/v1/trips", Some(&staff_token), None).await.0, 200);

    // A revoked token stops working at once.
    let (_, tokens) = app.call(&other, "tokens/list", &[]).await;
    let tid = tokens[0]["id"].to_string();
    assert_eq!(app.call(&other, "tokens/revoke", &[("id", &tid)]).await.0, 200);
    assert_eq!(api(&app, Method::GET, "/api/v1/leads", Some(&other_token), None).await.0, 401);
}

#[tokio::test]
async fn the_openapi_document_lists_every_route_and_every_route_answers() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    let t = token(&app, &manager, "doc").await;
    let (status, doc) = api(&app, reqwest::Method::GET, "/api/v1/openapi.json", None, None).await;
    assert_eq!(status, 200);
    assert_eq!(doc["openapi"], "3.1.0");
    let mut documented = 0;
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            documented += 1;
            // Every documented route is served: a real answer, never "no such route".
            let real = path.replace("{id}", "999999");
            let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let body = (method != "get").then(|| json!({}));
            let (status, _) = api(&app, m, &real, Some(&t), body).await;
            assert!(status != 405, "{method} {real}: {status}");
            assert!(status != 404 || real.contains("999999"), "{method} {real}: {status}");
        }
    }
    assert_eq!(documented, 11);
}

#[tokio::test]
async fn a_rest_client_reads_and_writes_the_fields_that_drive_the_score_and_the_contacts() {
    use reqwest::Method;
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    let key = token(&app, &manager, "脚本").await;
    let body = json!({
        "company_name": "接口全字段科技有限公司", "uscc": uscc("320115", 31), "industry": "electronic_comms",
        "planned_investment_wan": 20000, "land_mu": 60, "annual_tax_wan": 900,
        "high_tech": true, "specialised": false, "listed": null, "energy_use": "low",
        "contacts": [{"name": "王总", "title": "总经理", "phone": "13800138000", "email": "wang@example.com"}],
    });
    let (status, lead) = api(&app, Method::POST, "/api/v1/leads", Some(&key), Some(body)).await;
    assert_eq!(status, 201, "{lead}");
    assert_eq!(
        (&lead["high_tech"], &lead["specialised"], &lead["listed"]),
        (&json!(true), &json!(false), &Value::Null)
    );
    assert_eq!(lead["energy_use"], "low");
    assert_eq!(lead["contacts"][0]["name"], "王总");
    assert_eq!(lead["contacts"][0]["email"], "wang@example.com");
    let path = format!("/api/v1/leads/{}", lead["id"]);

    // The lead page shows what the API wrote: the innovation factor reads 高新技术企业.
    let (_, page) = app.call(&manager, "leads/get", &[("id", &lead["id"].to_string())]).await;
    assert_eq!(page["high_tech"], true);
    assert_eq!(page["contacts"][0]["phone"], "13800138000");

    // A PATCH changes only what it names; contacts are replaced as a list; a bad one is 422 at its field.
    let patch = json!({"version": lead["version"], "energy_use": "high", "contacts": [{"name": "李工"}, {"name": "赵工", "email": "zhao@example.com"}]});
    let (status, updated) = api(&app, Method::PATCH, &path, Some(&key), Some(patch)).await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["energy_use"], "high");
    assert_eq!(updated["high_tech"], true, "untouched");
    let names: Vec<&str> =
        updated["contacts"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["李工", "赵工"]);
    let bad = json!({"version": updated["version"], "contacts": [{"name": "钱工", "email": "not-an-address"}]});
    let (status, body) = api(&app, Method::PATCH, &path, Some(&key), Some(bad)).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["fields"][0]["field"], "contacts.0.email");
    let (status, _) =
        api(&app, Method::PATCH, &path, Some(&key), Some(json!({"version": 1, "contacts": "王总"}))).await;
    assert_eq!(status, 400, "contacts must be a list");
    let (_, again) = api(&app, Method::GET, &path, Some(&key), None).await;
    assert_eq!(again["contacts"].as_array().map(Vec::len), Some(2), "nothing saved is lost");
}
