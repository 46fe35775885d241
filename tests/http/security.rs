//! The ten failures of the ASVS pass, each held closed: the right behaviour and the wrong one
//! refused. Also the product decisions of SECURITY.md (查重 names, late-stage leads, sessions).

use super::teams::{assign, new_lead, save_team};
use super::trips::{add_visit, day, new_trip};
use app::backend::entities::{api_token, login_failure, session};
use app::backend::Settings;
use app::domain::role::Role;
use lianzhao_tests::{lead_fields, uscc, TestApp, PASSWORD};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::Value;

fn location(res: &reqwest::Response) -> String {
    res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
}

async fn login_from(app: &TestApp, ip: &str, username: &str, password: &str) -> String {
    let res = app
        .client()
        .post(app.url("/login"))
        .header("x-real-ip", ip)
        .form(&[("username", username), ("password", password)])
        .send()
        .await
        .unwrap();
    location(&res)
}

// 1. Concurrent guesses are all counted before any password is checked.
#[tokio::test]
async fn thirty_concurrent_wrong_passwords_get_at_most_five_checks() {
    let app = TestApp::spawn().await;
    app.create_user("race", Role::Staff).await;
    let mut tries = tokio::task::JoinSet::new();
    for i in 0..30 {
        let (client, url) = (app.client(), app.url("/login"));
        tries.spawn(async move {
            let guess = format!("guess-{i}");
            let res = client.post(url).form(&[("username", "race"), ("password", guess.as_str())]).send().await;
            location(&res.expect("login request"))
        });
    }
    let answers = tries.join_all().await;
    let checked = answers.iter().filter(|l| l.contains("error=invalid")).count();
    let throttled = answers.iter().filter(|l| l.contains("error=throttled")).count();
    assert_eq!(checked + throttled, 30, "{answers:?}");
    assert!(checked <= app.settings.login_max_failures_per_user as usize, "{checked} passwords were checked");
}

// 2. Guessing from one address does not lock the owner out elsewhere; the guesser waits longer
//    each time; the address comes from the proxy header only when configured.
#[tokio::test]
async fn a_guesser_is_throttled_without_locking_the_owner_out() {
    let settings = Settings { client_ip_source: "XRealIp".into(), ..TestApp::test_settings() };
    let app = TestApp::spawn_with(settings).await;
    app.create_user("owner", Role::Staff).await;
    for _ in 0..5 {
        assert!(login_from(&app, "203.0.113.9", "owner", "wrong-guess").await.contains("error=invalid"));
    }
    let at_guesser = login_from(&app, "203.0.113.9", "owner", PASSWORD).await;
    assert!(at_guesser.contains("error=throttled") && at_guesser.contains("wait=1"), "{at_guesser}");
    let again = login_from(&app, "203.0.113.9", "owner", "wrong-guess").await;
    assert!(again.contains("error=throttled") && again.contains("wait=2"), "the wait grows: {again}");
    // The owner, from the office, gets in.
    assert_eq!(login_from(&app, "198.51.100.20", "owner", PASSWORD).await, "/");

    // Without the setting, the header is the client's word and is ignored.
    let plain = TestApp::spawn().await;
    plain.create_user("owner", Role::Staff).await;
    for i in 0..5 {
        login_from(&plain, &format!("10.0.0.{i}"), "owner", "wrong-guess").await;
    }
    assert!(login_from(&plain, "10.0.0.99", "owner", PASSWORD).await.contains("error=throttled"));
}

// 2b. The address's own limit holds even when its limit at one account has run out long ago.
#[tokio::test]
async fn the_address_limit_holds_whatever_the_accounts() {
    let settings = Settings {
        client_ip_source: "XRealIp".into(),
        login_max_failures_per_user: 2,
        login_max_failures_per_ip: 4,
        ..TestApp::test_settings()
    };
    let app = TestApp::spawn_with(settings).await;
    app.create_user("target", Role::Staff).await;
    let failure = |user: &str, ago: chrono::Duration| login_failure::ActiveModel {
        username: Set(user.into()),
        ip: Set("203.0.113.50".into()),
        at: Set(chrono::Utc::now() - ago),
        ..Default::default()
    };
    // Ten minutes ago: three at `target` (its pair's wait has long run out) …
    for _ in 0..3 {
        failure("target", chrono::Duration::minutes(10)).insert(&app.db).await.unwrap();
    }
    // … and just now, five at other accounts from the same address.
    for i in 0..5 {
        failure(&format!("other{i}"), chrono::Duration::seconds(5)).insert(&app.db).await.unwrap();
    }
    let answer = login_from(&app, "203.0.113.50", "target", PASSWORD).await;
    assert!(answer.contains("error=throttled"), "the address waits: {answer}");
    assert_eq!(login_from(&app, "198.51.100.1", "target", PASSWORD).await, "/", "the owner elsewhere does not");
}

// 3. After login, only a path of this app.
#[tokio::test]
async fn login_redirects_only_to_this_app() {
    let app = TestApp::spawn().await;
    app.create_user("nav", Role::Staff).await;
    for (next, expected) in [
        ("/\\evil.example", "/"),
        ("/\t/evil.example", "/"),
        ("//evil.example/x", "/"),
        ("https://evil.example", "/"),
        ("/leads?stage=signed", "/leads?stage=signed"),
    ] {
        let res = app
            .client()
            .post(app.url("/login"))
            .form(&[("username", "nav"), ("password", PASSWORD), ("next", next)])
            .send()
            .await
            .unwrap();
        assert_eq!(location(&res), expected, "next={next:?}");
    }
}

// 4. Common passwords refused; one's own password changed; tokens expire and die with a reset.
#[tokio::test]
async fn passwords_are_not_common_and_users_change_their_own() {
    let app = TestApp::spawn().await;
    let (admin, _) = app.login_as("root", Role::Admin).await;
    for weak in ["12345678", "password", "qwerty123"] {
        let (status, body) = app
            .call(
                &admin,
                "users/create",
                &[
                    ("form[username]", "weak"),
                    ("form[display_name]", "弱密码"),
                    ("form[role]", "staff"),
                    ("form[password]", weak),
                ],
            )
            .await;
        assert_eq!(status, 422, "{weak}: {body}");
        assert!(body.to_string().contains("err.password.common"), "{body}");
    }

    let (laptop, id) = app.login_as("wu", Role::Staff).await;
    let phone = app.client();
    assert_eq!(location(&app.post_login(&phone, "wu", PASSWORD).await), "/");
    let change = |current: &'static str, new: &'static str, confirm: &'static str| {
        let (app, laptop) = (&app, &laptop);
        async move { app.call(laptop, "me/password", &[("current", current), ("new", new), ("confirm", confirm)]).await }
    };
    let (status, body) = change("not-my-password", "river-stone-77", "river-stone-77").await;
    assert_eq!(status, 422);
    assert!(body.to_string().contains("err.password.wrong"), "{body}");
    let (_, body) = change(PASSWORD, "12345678", "12345678").await;
    assert!(body.to_string().contains("err.password.common"), "{body}");
    let (_, body) = change(PASSWORD, "river-stone-77", "river-stone-78").await;
    assert!(body.to_string().contains("err.password.mismatch"), "{body}");
    let (status, body) = change(PASSWORD, "river-stone-77", "river-stone-77").await;
    assert_eq!(status, 200, "{body}");
    // This browser stays in; the phone's session ended; the new password works.
    assert_eq!(app.page(&laptop, "/me").await.0, 200);
    let (status, _) = app.page(&phone, "/me").await;
    assert_eq!(status, 303, "the other session ended");
    assert_eq!(location(&app.post_login(&app.client(), "wu", "river-stone-77").await), "/");

    // Tokens: one that expired stops working; an admin's reset revokes the rest.
    let (_, short) = app.call(&laptop, "tokens/create", &[("name", "脚本"), ("days", "30")]).await;
    let (_, long) = app.call(&laptop, "tokens/create", &[("name", "同步"), ("days", "")]).await;
    let bearer = |t: &Value| format!("Bearer {}", t.as_str().unwrap());
    let me = |auth: String| {
        let app = &app;
        async move {
            app.client().get(app.url("/api/v1/teams")).header("authorization", auth).send().await.unwrap().status()
        }
    };
    assert_eq!(me(bearer(&short)).await, 200);
    let (status, body) = app.call(&laptop, "tokens/create", &[("name", "x"), ("days", "99999")]).await;
    assert_eq!(status, 422, "{body}");
    let row = api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(id))
        .filter(api_token::Column::Name.eq("脚本"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(row.expires_at.is_some());
    let mut active: api_token::ActiveModel = row.into();
    active.expires_at = Set(Some(chrono::Utc::now() - chrono::Duration::minutes(1)));
    active.update(&app.db).await.unwrap();
    assert_eq!(me(bearer(&short)).await, 401, "expired");
    assert_eq!(me(bearer(&long)).await, 200);
    let (status, _) =
        app.call(&admin, "users/reset-password", &[("id", &id.to_string()), ("password", "harbour-lamp-31")]).await;
    assert_eq!(status, 200);
    assert_eq!(me(bearer(&long)).await, 401, "a reset revokes tokens");

    // Guessing the current password through a stolen session is throttled like a login.
    let (thief, _) = app.login_as("wu2", Role::Staff).await;
    let guess = |current: &'static str| {
        let (app, thief) = (&app, &thief);
        async move {
            app.call(
                thief,
                "me/password",
                &[("current", current), ("new", "lake-cloud-55"), ("confirm", "lake-cloud-55")],
            )
            .await
        }
    };
    for _ in 0..5 {
        let (_, body) = guess("guess-guess-1").await;
        assert!(body.to_string().contains("err.password.wrong"), "{body}");
    }
    let (status, body) = guess(PASSWORD).await;
    assert_eq!(status, 422);
    assert!(body.to_string().contains("err.password.throttled"), "even the right one waits: {body}");
}

/// A raw request with a chunked body of `size` bytes (no Content-Length); returns the status line.
async fn chunked_post(app: &TestApp, path: &str, size: usize) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = app.url("").trim_start_matches("http://").to_string();
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Accept: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let chunk = vec![b'a'; 64 << 10];
    let mut sent = 0;
    while sent < size {
        let frame = [format!("{:x}\r\n", chunk.len()).into_bytes(), chunk.clone(), b"\r\n".to_vec()].concat();
        if stream.write_all(&frame).await.is_err() {
            break; // the server answered and closed
        }
        sent += chunk.len();
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut answer = vec![0u8; 1024];
    let n = stream.read(&mut answer).await.unwrap_or(0);
    String::from_utf8_lossy(&answer[..n]).lines().next().unwrap_or_default().to_string()
}

// 5. Oversized bodies: 413 with a plain message, announced or chunked.
#[tokio::test]
async fn oversized_requests_get_413_with_a_plain_message() {
    let app = TestApp::spawn().await;
    let (client, _) = app.login_as("big", Role::Staff).await;
    let res = client
        .post(app.url("/api/leads/save"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .body(vec![b'a'; 24 << 20])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
    let text = res.text().await.unwrap();
    assert!(text.contains("请求过大") && text.contains("Request too large"), "{text}");
    let status = chunked_post(&app, "/api/leads/save", 4 << 20).await;
    assert!(status.contains("413"), "{status}");
    // A normal form still goes through.
    let (status, body) =
        app.call(&client, "leads/save", &lead_fields("正常大小科技有限公司", &uscc("320115", 1))).await;
    assert_eq!(status, 200, "{body}");
}

// 6. Security headers, and a page's CSP that its own hydration script passes.
#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    let (client, _) = app.login_as("hdr", Role::Staff).await;
    let res = client.get(app.url("/leads")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let h = res.headers().clone();
    let csp = h["content-security-policy"].to_str().unwrap().to_string();
    let body = res.text().await.unwrap();
    let nonce = csp.split("'nonce-").nth(1).and_then(|r| r.split('\'').next()).expect("a nonce").to_string();
    let script_src = csp.split(';').find(|d| d.trim().starts_with("script-src")).unwrap_or_default();
    assert!(!script_src.contains("'unsafe-inline'") && !script_src.contains("'unsafe-eval'"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(body.contains(&format!("nonce=\"{nonce}\"")), "the hydration script carries the nonce");
    let scripts: Vec<&str> =
        body.split("<script").skip(1).map(|rest| rest.split('>').next().unwrap_or_default()).collect();
    assert!(!scripts.is_empty());
    for tag in &scripts {
        assert!(tag.contains(&format!("nonce=\"{nonce}\"")), "a script without the nonce: <script{tag}>");
    }
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "same-origin");
    assert!(h["permissions-policy"].to_str().unwrap().contains("camera=()"));
    // Each render has its own nonce.
    let again = client.get(app.url("/leads")).send().await.unwrap();
    assert_ne!(again.headers()["content-security-policy"].to_str().unwrap(), csp);
    // Other responses get the policy without any inline script.
    let res = app.client().get(app.url("/healthz")).send().await.unwrap();
    let csp = res.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'") && !csp.contains("nonce"), "{csp}");
    assert!(res.headers().contains_key("x-content-type-options"));
    // Downloads are not kept.
    let res = client.get(app.url("/leads/export.csv")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
}

// 7 and 8. Trips under one's own team, with its members; a clash names the company only to
//    those who may read it.
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
