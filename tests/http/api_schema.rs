//! Every operation `/api/v1/openapi.json` documents is run against a real server, and every
//! answer — successes and refusals alike — is validated against the schema the document gives
//! for that status; every request body sent is validated against the operation's request
//! schema. Objects are checked strictly (no undocumented keys), so drift either way fails.

use super::api_v1::{api, token};
use super::teams::{assign, save_team};
use super::trips::{add_visit, day, new_trip};
use app::domain::role::Role;
use lianzhao_tests::{uscc, TestApp};
use reqwest::Method;
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;

/// `additionalProperties: false` on every object schema that lists its properties and says
/// nothing of others.
fn strict(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => {
            let mut out: Map<String, Value> = map.iter().map(|(k, v)| (k.clone(), strict(v))).collect();
            if out.contains_key("properties") && !out.contains_key("additionalProperties") {
                out.insert("additionalProperties".into(), Value::Bool(false));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(strict).collect()),
        other => other.clone(),
    }
}

struct Contract {
    doc: Value,
    /// (method, path) of each documented operation answered with a 2xx.
    succeeded: BTreeSet<(String, String)>,
}

impl Contract {
    fn validate(&self, schema: &Value, instance: &Value, what: &str) {
        let root = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "allOf": [strict(schema)],
            "components": strict(&self.doc["components"]),
        });
        let validator = jsonschema::validator_for(&root).unwrap_or_else(|e| panic!("{what}: bad schema: {e}"));
        let errors: Vec<String> =
            validator.iter_errors(instance).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        assert!(errors.is_empty(), "{what} does not match its schema:\n{}\n{instance:#}", errors.join("\n"));
    }

    /// Calls `method path` (the documented path with its `{id}` filled in as `real`) and
    /// validates the body sent and the answer; returns the answer.
    async fn run(
        &mut self,
        app: &TestApp,
        key: Option<&str>,
        method: &str,
        path: &str,
        real: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let op = self.doc["paths"][path][method].clone();
        assert!(op.is_object(), "{method} {path} is not documented");
        if let Some(b) = &body {
            let schema = &op["requestBody"]["content"]["application/json"]["schema"];
            assert!(schema.is_object(), "{method} {path} takes no documented body");
            self.validate(schema, b, &format!("the body sent to {method} {path}"));
        }
        let m = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
        let (status, answer) = api(app, m, real, key, body).await;
        let response = &op["responses"][status.to_string()];
        assert!(response.is_object(), "{method} {real} answered {status}, which its document does not list: {answer}");
        let schema = &response["content"]["application/json"]["schema"];
        assert!(schema.is_object(), "{method} {path} {status} has no documented body");
        self.validate(schema, &answer, &format!("{method} {real} → {status}"));
        if (200..300).contains(&status) {
            self.succeeded.insert((method.to_string(), path.to_string()));
        }
        (status, answer)
    }
}

#[tokio::test]
async fn every_documented_operation_answers_as_its_schema_says() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    let (staff, staff_id) = app.login_as("s", Role::Staff).await;
    let (_, doc) = api(&app, Method::GET, "/api/v1/openapi.json", None, None).await;
    assert_eq!(doc["openapi"], "3.1.0", "{doc}");

    let mut c = Contract { doc: doc.clone(), succeeded: BTreeSet::new() };
    let key = token(&app, &manager, "契约").await;
    let staff_key = token(&app, &staff, "手机").await;
    let k = Some(key.as_str());

    c.run(&app, None, "get", "/api/v1/openapi.json", "/api/v1/openapi.json", None).await;
    c.run(&app, None, "get", "/api/v1/leads", "/api/v1/leads", None).await;

    // Leads: create with every field, refusals of each kind.
    let code = uscc("320115", 41);
    let full = json!({
        "company_name": "契约测试科技有限公司", "uscc": code, "region_code": "440305", "industry": "electronic_comms",
        "sector": "semiconductors", "channel": "agency", "stage": "contact", "planned_investment_wan": "1.5亿",
        "land_mu": 60, "annual_output_wan": 50000, "annual_tax_wan": "900万", "jobs": 300,
        "high_tech": true, "specialised": false, "listed": null, "energy_use": "low", "notes": "来自接口",
        "contacts": [{"name": "王总", "title": "总经理", "phone": "13800138000", "email": "wang@example.com"}],
    });
    let (status, lead) = c.run(&app, k, "post", "/api/v1/leads", "/api/v1/leads", Some(full)).await;
    assert_eq!(status, 201, "{lead}");
    let id = lead["id"].as_i64().expect("id");
    let one = format!("/api/v1/leads/{id}");
    let (status, _) = c.run(&app, k, "post", "/api/v1/leads", "/api/v1/leads", Some(json!({"industry": "x"}))).await;
    assert_eq!(status, 422);
    let dup = json!({"company_name": "另一家科技有限公司", "uscc": code, "industry": "electronic_comms"});
    let (status, refusal) = c.run(&app, k, "post", "/api/v1/leads", "/api/v1/leads", Some(dup)).await;
    assert_eq!((status, refusal["fields"][0]["field"].as_str()), (422, Some("uscc")));
    let (status, refusal) = api(&app, Method::POST, "/api/v1/leads", k, Some(json!({"company_name": {"a": 1}}))).await;
    assert_eq!((status, refusal["error"].as_str()), (400, Some("bad_request")), "{refusal}");
    // Refusals made outside the handlers come as the documented ErrorBody too: a body over
    // the 2 MiB limit, an id that is not a number, an unknown path or method.
    let huge = json!({"company_name": "大文本有限公司", "industry": "electronic_comms", "notes": "注".repeat(1 << 20)});
    let (status, refusal) = c.run(&app, k, "post", "/api/v1/leads", "/api/v1/leads", Some(huge)).await;
    assert_eq!((status, refusal["error"].as_str()), (413, Some("too_large")), "{refusal}");
    let (status, refusal) = c.run(&app, k, "get", "/api/v1/leads/{id}", "/api/v1/leads/abc", None).await;
    assert_eq!((status, refusal["error"].as_str()), (400, Some("bad_request")), "{refusal}");
    let (status, refusal) = api(&app, Method::GET, "/api/v1/no-such-thing", k, None).await;
    assert_eq!((status, refusal["error"].as_str()), (404, Some("not_found")), "{refusal}");
    let (status, refusal) = api(&app, Method::DELETE, "/api/v1/leads", k, None).await;
    assert_eq!((status, refusal["error"].as_str()), (405, Some("method_not_allowed")), "{refusal}");
    assert_eq!(c.run(&app, None, "post", "/api/v1/leads", "/api/v1/leads", None).await.0, 401);
    let (leader, _) = app.login_as("ld", Role::Leader).await;
    let leader_key = token(&app, &leader, "领导").await;
    let lead_by_leader =
        json!({"company_name": "领导创建有限公司", "uscc": uscc("320115", 42), "industry": "electronic_comms"});
    let (status, _) =
        c.run(&app, Some(&leader_key), "post", "/api/v1/leads", "/api/v1/leads", Some(lead_by_leader)).await;
    assert_eq!(status, 403, "领导 read, they do not create");

    let (status, page) = c.run(&app, k, "get", "/api/v1/leads", "/api/v1/leads?sort=-score&per_page=5", None).await;
    assert_eq!((status, page["rows"][0]["id"].as_i64()), (200, Some(id)));
    assert_eq!(c.run(&app, Some(&staff_key), "get", "/api/v1/leads", "/api/v1/leads", None).await.0, 200);

    let (status, got) = c.run(&app, k, "get", "/api/v1/leads/{id}", &one, None).await;
    assert_eq!((status, got["contacts"][0]["name"].as_str()), (200, Some("王总")));
    assert_eq!(c.run(&app, k, "get", "/api/v1/leads/{id}", "/api/v1/leads/999999", None).await.0, 404);
    assert_eq!(c.run(&app, Some(&staff_key), "get", "/api/v1/leads/{id}", &one, None).await.0, 404);

    let version = got["version"].clone();
    let patch = json!({"version": version, "land_mu": 80, "contacts": null});
    let (status, saved) = c.run(&app, k, "patch", "/api/v1/leads/{id}", &one, Some(patch)).await;
    assert_eq!((status, saved["land_mu"].as_f64()), (200, Some(80.0)), "{saved}");
    let stale = json!({"version": version, "land_mu": 90});
    let (status, refusal) = c.run(&app, k, "patch", "/api/v1/leads/{id}", &one, Some(stale)).await;
    assert_eq!((status, refusal["error"].as_str()), (409, Some("stale")));
    let (status, refusal) = c.run(&app, k, "patch", "/api/v1/leads/{id}", &one, Some(json!({"land_mu": 1}))).await;
    assert_eq!((status, refusal["fields"][0]["field"].as_str()), (422, Some("version")));
    let none = json!({"version": 1});
    assert_eq!(c.run(&app, k, "patch", "/api/v1/leads/{id}", "/api/v1/leads/999999", Some(none)).await.0, 404);

    // Activities.
    let acts = format!("{one}/activities");
    let visit = json!({"kind": "visit_out", "happened_on": day(0), "summary": "参观了产线", "next_step": "报价", "next_due": day(7)});
    assert_eq!(c.run(&app, k, "post", "/api/v1/leads/{id}/activities", &acts, Some(visit)).await.0, 201);
    // As scripts send it: a number for the participants, null for no next step.
    let call = json!({"kind": "call", "participants": 3, "summary": "电话沟通", "next_step": null, "next_due": null});
    assert_eq!(c.run(&app, k, "post", "/api/v1/leads/{id}/activities", &acts, Some(call)).await.0, 201);
    let bad = json!({"kind": "nonsense", "summary": ""});
    assert_eq!(c.run(&app, k, "post", "/api/v1/leads/{id}/activities", &acts, Some(bad)).await.0, 422);
    let (status, list) = c.run(&app, k, "get", "/api/v1/leads/{id}/activities", &acts, None).await;
    assert_eq!((status, list.as_array().map(Vec::len)), (200, Some(2)));
    assert_eq!((list[0]["participants"].as_str(), list[1]["summary"].as_str()), (Some("3"), Some("参观了产线")));
    let hidden = "/api/v1/leads/999999/activities";
    assert_eq!(c.run(&app, k, "get", "/api/v1/leads/{id}/activities", hidden, None).await.0, 404);

    // Teams and trips, with a member, a lead and a visit in them.
    let (status, team) = save_team(&app, &manager, None, "深圳专班", "深圳", Some(staff_id), &[staff_id]).await;
    assert_eq!(status, 200, "{team}");
    let team = team.as_i64().expect("team id");
    assert_eq!(assign(&app, &manager, &[&id.to_string()], &team.to_string(), &staff_id.to_string()).await.0, 200);
    let (status, teams) = c.run(&app, k, "get", "/api/v1/teams", "/api/v1/teams", None).await;
    assert_eq!((status, teams[0]["name"].as_str()), (200, Some("深圳专班")));
    assert_eq!(c.run(&app, k, "get", "/api/v1/teams/{id}", &format!("/api/v1/teams/{team}"), None).await.0, 200);
    assert_eq!(c.run(&app, k, "get", "/api/v1/teams/{id}", "/api/v1/teams/999999", None).await.0, 404);

    let trip = new_trip(&app, &staff, "深圳拜访", &[staff_id], &day(3), &day(4)).await;
    let (status, added) = add_visit(&app, &staff, &trip, &id.to_string(), &day(3), "09:00", "10:00", &[staff_id]).await;
    assert_eq!(status, 200, "{added}");
    let (status, trips) = c.run(&app, Some(&staff_key), "get", "/api/v1/trips", "/api/v1/trips?mine=1", None).await;
    assert_eq!((status, trips.as_array().map(Vec::len)), (200, Some(1)));
    let path = format!("/api/v1/trips/{trip}");
    let (status, detail) = c.run(&app, Some(&staff_key), "get", "/api/v1/trips/{id}", &path, None).await;
    assert_eq!((status, detail["visits"].as_array().map(Vec::len)), (200, Some(1)), "{detail}");
    assert_eq!(c.run(&app, k, "get", "/api/v1/trips/{id}", "/api/v1/trips/999999", None).await.0, 404);

    // Every documented operation was run and answered with success at least once.
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, ops)| ops.as_object().expect("ops").keys().map(move |m| (m.clone(), path.clone())))
        .filter(|(m, _)| m != "parameters")
        .collect();
    let missed: Vec<_> = documented.difference(&c.succeeded).collect();
    assert!(missed.is_empty(), "documented operations never run to success: {missed:?}");
    assert_eq!(documented.len(), 11, "{documented:?}");
}

#[tokio::test]
async fn refusals_come_in_the_callers_language() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    let key = token(&app, &manager, "lang").await;
    for (lang, expect_english) in [("en-US,en;q=0.9", true), ("en;q=0.3, zh-CN", false), ("", false)] {
        let res = reqwest::Client::new()
            .post(app.url("/api/v1/leads"))
            .bearer_auth(&key)
            .header("Accept-Language", lang)
            .json(&json!({"industry": "electronic_comms"}))
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), 422);
        let body: Value = res.json().await.expect("json");
        let message = body["fields"][0]["message"].as_str().expect("message").to_string();
        assert_eq!(message.is_ascii(), expect_english, "{lang:?}: {message}");
    }
}
