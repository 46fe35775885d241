//! The ten failures of the ASVS pass, each held closed: the right behaviour and the wrong one
//! refused (logins and throttling, redirects, passwords, request sizes, headers). The product
//! decisions of SECURITY.md are in `security_decisions.rs`.

use app::backend::entities::{api_token, login_failure};
use app::backend::Settings;
use app::domain::role::Role;
use lianzhao_tests::{lead_fields, uscc, TestApp, PASSWORD};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::Value;

pub(crate) fn location(res: &reqwest::Response) -> String {
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
    let permissions = h["permissions-policy"].to_str().unwrap();
    assert!(permissions.contains("camera=(self)") && permissions.contains("payment=()"), "{permissions}");
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
