//! The product decisions of SECURITY.md, each held: what a clash on a trip reveals, refused
//! accesses logged for admins, 查重 hints that name but open nothing, the late-stage rule for
//! staff and the demo data, and how long a session lives.

use super::security::location;
use super::teams::{assign, new_lead, save_team};
use super::trips::{add_visit, day, new_trip};
use app::backend::entities::session;
use app::backend::Settings;
use app::domain::role::Role;
use lianzhao_tests::{lead_fields, uscc, TestApp, PASSWORD};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

#[tokio::test]
async fn staff_plan_trips_for_their_team_and_a_clash_hides_other_teams_companies() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    let (staff, staff_id) = app.login_as("xu", Role::Staff).await;
    let (_, mate) = app.login_as("mate", Role::Staff).await;
    let (_, stranger) = app.login_as("stranger", Role::Staff).await;
    let (_, mine) = save_team(&app, &manager, None, "南京专班", "南京", None, &[staff_id, mate]).await;
    let (_, theirs) = save_team(&app, &manager, None, "深圳专班", "深圳", None, &[stranger]).await;
    let (mine, theirs) = (mine.to_string(), theirs.to_string());
    let d = day(3);
    let trip = |team: &str, members: Vec<i64>| {
        let keys: Vec<(String, String)> =
            members.iter().map(|m| (format!("form[members][{m}]"), m.to_string())).collect();
        let team = team.to_string();
        let (app, staff, d) = (&app, &staff, d.clone());
        async move {
            let mut fields: Vec<(&str, &str)> = vec![
                ("form[kind]", "outbound"),
                ("form[purpose]", "深圳走访"),
                ("form[destination]", "深圳"),
                ("form[start_on]", &d),
                ("form[end_on]", &d),
                ("form[team_id]", &team),
            ];
            fields.extend(keys.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            app.call(staff, "trips/create", &fields).await
        }
    };
    let (status, body) = trip(&theirs, vec![staff_id]).await;
    assert_eq!(status, 422);
    assert!(body.to_string().contains("err.trip.not_your_team"), "{body}");
    let (status, body) = trip(&mine, vec![staff_id, stranger]).await;
    assert_eq!(status, 422);
    assert!(body.to_string().contains("err.trip.member_not_in_team"), "{body}");
    let (status, my_trip) = trip(&mine, vec![staff_id, mate]).await;
    assert_eq!(status, 200, "{my_trip}");
    let my_trip = my_trip.to_string();

    // The manager books `mate` at another team's company; xu cannot read that lead.
    let secret = new_lead(&app, &manager, "保密电子有限公司", "440305", 7).await;
    assign(&app, &manager, &[&secret], &theirs, "").await;
    let other_trip = new_trip(&app, &manager, "深圳专班行程", &[mate, stranger], &d, &d).await;
    assert_eq!(add_visit(&app, &manager, &other_trip, &secret, &d, "09:00", "11:00", &[mate]).await.0, 200);
    let own = new_lead(&app, &staff, "本组企业有限公司", "320115", 8).await;
    let (status, body) = add_visit(&app, &staff, &my_trip, &own, &d, "10:00", "12:00", &[mate]).await;
    assert_eq!(status, 422);
    let text = body.to_string();
    assert!(text.contains("err.visit.clash_busy") && !text.contains("保密电子"), "{text}");
    // The manager, who may read it, is told which company.
    let manager_trip = new_trip(&app, &manager, "另一行程", &[mate], &d, &d).await;
    let (_, body) = add_visit(&app, &manager, &manager_trip, &own, &d, "10:00", "12:00", &[mate]).await;
    assert!(body.to_string().contains("保密电子有限公司"), "{body}");
}

// 9. Refused accesses are logged and shown to admins.
#[tokio::test]
async fn refused_accesses_are_logged_for_admins() {
    let app = TestApp::spawn().await;
    let (admin, _) = app.login_as("root", Role::Admin).await;
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    let (staff, _) = app.login_as("peek", Role::Staff).await;
    let lead = new_lead(&app, &manager, "他人线索有限公司", "320115", 3).await;
    assert_eq!(app.call(&staff, "users/list", &[]).await.0, 403);
    assert_eq!(app.call(&staff, "leads/get", &[("id", &lead)]).await.0, 404);
    let (_, token) = app.call(&staff, "tokens/create", &[("name", "探")]).await;
    let res = app
        .client()
        .get(app.url(&format!("/api/v1/leads/{lead}")))
        .header("authorization", format!("Bearer {}", token.as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    assert!(!res.headers().contains_key(app::backend::denials::DENIED_HEADER), "the mark stays inside");
    let (status, _) = app.page(&staff, "/admin/denials").await;
    assert_eq!(status, 403, "staff may not see the log");

    let (status, body) = app.call(&admin, "admin/denials", &[]).await;
    assert_eq!(status, 200, "{body}");
    let rows = body[0].as_array().unwrap();
    let has = |route: &str, record: &str| {
        rows.iter()
            .any(|r| r["route"].as_str().unwrap().ends_with(route) && r["record"] == record && r["user"] == "peek 测试")
    };
    assert!(has("/api/users/list", ""), "{body}");
    assert!(has("/api/leads/get", &format!("lead:{lead}")), "{body}");
    assert!(has(&format!("/api/v1/leads/{lead}"), &format!("lead:{lead}")), "{body}");
    assert!(has("/admin/denials", ""), "{body}");
    // Someone else's trip, import and token are refusals too.
    let (_, far) = app.login_as("far", Role::Staff).await;
    let other_trip = new_trip(&app, &manager, "别组行程", &[far], &day(2), &day(2)).await;
    assert_eq!(app.call(&staff, "trips/get", &[("id", &other_trip)]).await.0, 404);
    let (_, body) = app.call(&admin, "admin/denials", &[]).await;
    let trip_record = format!("trip:{other_trip}");
    assert!(body[0].as_array().unwrap().iter().any(|r| r["record"] == trip_record.as_str()), "{body}");
    let (status, html) = app.page(&admin, "/admin/denials").await;
    assert_eq!(status, 200);
    assert!(html.contains("他人") || html.contains(&format!("lead:{lead}")), "the page lists them");
}

// 10. Cookies are Secure behind https.
#[tokio::test]
async fn the_session_cookie_is_secure_when_configured() {
    let app = TestApp::spawn_with(Settings { secure_cookies: true, ..TestApp::test_settings() }).await;
    app.create_user("tls", Role::Staff).await;
    let res = app.post_login(&app.client(), "tls", PASSWORD).await;
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.contains("; Secure") && cookie.contains("HttpOnly"), "{cookie}");
}

// Decision: 查重 names the company and its owner even when the user cannot open the lead — so
// two officers do not chase one company — but nothing else, and the lead stays closed.
#[tokio::test]
async fn duplicate_hints_name_company_and_owner_but_open_nothing() {
    let app = TestApp::spawn().await;
    let (first, _) = app.login_as("first", Role::Staff).await;
    let (second, _) = app.login_as("second", Role::Staff).await;
    let code = uscc("320115", 42);
    let (_, id) = app.call(&first, "leads/save", &lead_fields("先登记科技有限公司", &code)).await;
    let id = id.to_string();
    let (status, body) = app.call(&second, "leads/save", &lead_fields("后登记科技有限公司", &code)).await;
    assert_eq!(status, 422);
    assert!(body.to_string().contains("先登记科技有限公司"), "the refusal names the company: {body}");
    let (status, hints) =
        app.call(&second, "leads/similar", &[("company_name", "先登记科技有限公司"), ("uscc", &code)]).await;
    assert_eq!(status, 200, "{hints}");
    assert_eq!(hints[0]["company_name"], "先登记科技有限公司");
    assert_eq!(hints[0]["owner_name"], "first 测试");
    assert_eq!(hints[0]["readable"], false);
    assert!(hints[0].get("stage").is_none() && hints[0].get("planned_investment_wan").is_none());
    assert_eq!(app.call(&second, "leads/get", &[("id", &id)]).await.0, 404);
}

// Decision: staff start a lead before 签约; managers may record earlier signed projects.
#[tokio::test]
async fn staff_cannot_create_a_lead_at_signing_without_its_figures() {
    let app = TestApp::spawn().await;
    let (staff, _) = app.login_as("s", Role::Staff).await;
    let (manager, _) = app.login_as("m", Role::Manager).await;
    let code = uscc("320115", 5);
    let mut fields = lead_fields("直接签约科技有限公司", &code);
    fields.retain(|(k, _)| *k != "form[stage]");
    fields.push(("form[stage]", "signed"));
    let (status, body) = app.call(&staff, "leads/save", &fields).await;
    assert_eq!(status, 422);
    assert!(body.to_string().contains("err.stage.start_late"), "{body}");
    fields.retain(|(k, _)| *k != "form[stage]");
    fields.push(("form[stage]", "negotiation"));
    assert_eq!(app.call(&staff, "leads/save", &fields).await.0, 200);
    let code6 = uscc("320115", 6);
    let mut signed = lead_fields("历史签约科技有限公司", &code6);
    signed.retain(|(k, _)| *k != "form[stage]");
    signed.push(("form[stage]", "signed"));
    assert_eq!(app.call(&manager, "leads/save", &signed).await.0, 200);
}

// Decision: a session ends after `session_idle` without use and `session_max` after login,
// whatever its use (defaults 8 h and 7 days).
#[tokio::test]
async fn a_session_ends_at_its_absolute_limit_even_in_use() {
    let app = TestApp::spawn().await;
    let (client, id) = app.login_as("busy", Role::Staff).await;
    assert_eq!(app.page(&client, "/").await.0, 200);
    // Pretend the login was long ago: the session's end has passed.
    let s = session::Entity::find().filter(session::Column::UserId.eq(id)).one(&app.db).await.unwrap().unwrap();
    let mut active: session::ActiveModel = s.into();
    active.expires_at = Set(chrono::Utc::now() - chrono::Duration::seconds(1));
    active.update(&app.db).await.unwrap();
    let res = client.get(app.url("/")).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert!(location(&res).contains("error=expired"));
    let defaults = Settings::default();
    assert_eq!((defaults.session_idle.num_hours(), defaults.session_max.num_days()), (8, 7));
}

// The demo data keeps the rule too: its signed projects are a manager's records.
#[tokio::test]
async fn the_demo_data_loads_under_the_late_stage_rule() {
    let app = TestApp::spawn().await;
    app::backend::services::demo::seed(&app.db, 60).await.expect("demo data");
}
