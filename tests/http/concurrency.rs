//! Many people saving at once: every save succeeds (SQLite once answered "database is locked"
//! at once to a transaction whose first write met another writer, instead of waiting).

use app::domain::role::Role;
use lianzhao_tests::{lead_fields, uscc, TestApp};
use std::sync::Arc;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixteen_people_saving_leads_at_once_all_succeed() {
    let mut settings = TestApp::test_settings();
    // The background jobs write too.
    settings.job_interval = std::time::Duration::from_millis(5);
    let app = Arc::new(TestApp::spawn_with(settings).await);
    let (client, _) = app.login_as("m", Role::Manager).await;
    let mut workers = Vec::new();
    for w in 0..16u32 {
        let (app, client) = (app.clone(), client.clone());
        workers.push(tokio::spawn(async move {
            let mut failures = Vec::new();
            for i in 0..12u32 {
                let name = format!("并发{w}号{i}科技有限公司");
                let (status, body) =
                    app.call(&client, "leads/save", &lead_fields(&name, &uscc("320115", w * 100 + i))).await;
                if status != 200 {
                    failures.push(format!("{status} {body}"));
                }
            }
            failures
        }));
    }
    let mut failures = Vec::new();
    for w in workers {
        failures.extend(w.await.expect("worker"));
    }
    assert!(failures.is_empty(), "{failures:#?}");
    let (_, page) = app.call(&client, "leads/list", &[]).await;
    assert_eq!(page["total"], 16 * 12);
}

/// F6 of the hardening suite: 50 people editing the same lead from the same version — exactly one
/// edit wins, the other 49 are told 409 (someone else changed it) and nothing is half-written —
/// while 50 others each save their own lead and move it a stage: every one succeeds, and no
/// "database is locked" (or any 5xx) reaches anyone.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_writers_on_one_lead_and_fifty_on_their_own_never_see_a_lock() {
    let app = Arc::new(TestApp::spawn().await);
    let (client, _) = app.login_as("m", Role::Manager).await;
    let code = uscc("320115", 4242);
    let (status, id) = app.call(&client, "leads/save", &lead_fields("同一线索科技有限公司", &code)).await;
    assert_eq!(status, 200, "{id}");
    let id = id.as_i64().expect("id").to_string();

    let mut workers = Vec::new();
    for w in 0..50u32 {
        let (app, client, id, code) = (app.clone(), client.clone(), id.clone(), code.clone());
        workers.push(tokio::spawn(async move {
            let name = format!("同一线索第{w}次修改科技有限公司");
            let mut fields = lead_fields(&name, &code);
            fields.push(("id", &id));
            fields.push(("form[version]", "1"));
            app.call(&client, "leads/save", &fields).await
        }));
    }
    let mut own = Vec::new();
    for w in 0..50u32 {
        let (app, client) = (app.clone(), client.clone());
        own.push(tokio::spawn(async move {
            let name = format!("各自线索{w}号科技有限公司");
            let (status, body) = app.call(&client, "leads/save", &lead_fields(&name, &uscc("330106", 5000 + w))).await;
            if status != 200 {
                return vec![format!("save {status} {body}")];
            }
            let lead = body.as_i64().unwrap_or_default().to_string();
            let (status, body) =
                app.call(&client, "pipeline/move", &[("lead_id", &lead), ("form[to]", "contact")]).await;
            if status != 200 {
                return vec![format!("move {status} {body}")];
            }
            Vec::new()
        }));
    }
    let mut statuses = Vec::new();
    for w in workers {
        let (status, body) = w.await.expect("writer");
        assert!(status == 200 || status == 409, "{status} {body}");
        assert!(!body.to_string().contains("locked"), "{body}");
        statuses.push(status);
    }
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 49);
    let mut failures = Vec::new();
    for w in own {
        failures.extend(w.await.expect("own writer"));
    }
    assert!(failures.is_empty(), "{failures:#?}");

    let (_, lead) = app.call(&client, "leads/get", &[("id", &id)]).await;
    assert_eq!(lead["version"], 2, "one edit, one new version");
    assert!(lead["company_name"].as_str().unwrap_or_default().starts_with("同一线索第"));
    let (_, page) = app.call(&client, "leads/list", &[("filter[stage]", "contact")]).await;
    assert_eq!(page["total"], 50);
}

/// A long writer (an import's parts, a rescore's pages) holds SQLite's write lock a moment at a
/// time and leaves it free only briefly between its parts (`db::yield_write_lock`): saves
/// waiting meanwhile poll for the lock every millisecond (`sqlite_busy`), so each gets it in a
/// gap. With SQLite's own handler, which sleeps up to 100 ms between tries, they missed the
/// gaps until their 10 s busy timeout ran out.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn saves_get_the_lock_between_a_long_writers_parts() {
    use app::backend::{db, sqlite_busy};
    use std::sync::atomic::{AtomicBool, Ordering};
    let app = Arc::new(TestApp::spawn().await);
    let (client, _) = app.login_as("m", Role::Manager).await;
    let tries_before = sqlite_busy::busy_tries();
    let done = Arc::new(AtomicBool::new(false));
    let writer = {
        let (db, done) = (app.state.db.clone(), done.clone());
        tokio::spawn(async move {
            let mut parts = 0u32;
            while !done.load(Ordering::SeqCst) && parts < 1_500 {
                let txn = db::begin_write(&db).await.expect("the long writer's part");
                let held = std::time::Duration::from_millis(20);
                tokio::time::sleep(held).await;
                txn.commit().await.expect("commit");
                parts += 1;
                // Held 20 ms: a gap of 10 ms.
                db::yield_write_lock(sea_orm::ConnectionTrait::get_database_backend(&db), held).await;
            }
            parts
        })
    };
    let mut workers = Vec::new();
    for w in 0..8u32 {
        let (app, client) = (app.clone(), client.clone());
        workers.push(tokio::spawn(async move {
            let mut failures = Vec::new();
            for i in 0..3u32 {
                let name = format!("长写间隙{w}号{i}科技有限公司");
                let (status, body) =
                    app.call(&client, "leads/save", &lead_fields(&name, &uscc("320583", 7000 + w * 10 + i))).await;
                if status != 200 {
                    failures.push(format!("{status} {body}"));
                }
            }
            failures
        }));
    }
    let mut failures = Vec::new();
    for w in workers {
        failures.extend(w.await.expect("saver"));
    }
    done.store(true, Ordering::SeqCst);
    let parts = writer.await.expect("writer");
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(parts < 1_500, "the long writer was still going when every save had finished");
    // On SQLite the saves waited in our busy handler (SQLite's own would not count here);
    // PostgreSQL has no database-wide write lock.
    if sea_orm::ConnectionTrait::get_database_backend(&app.state.db) == sea_orm::DbBackend::Sqlite {
        assert!(sqlite_busy::busy_tries() > tries_before, "no connection waited for the lock");
    }
    let (_, page) = app.call(&client, "leads/list", &[]).await;
    assert_eq!(page["total"], 24);
}

/// A page view and an API call record their use of the session or token (at most once a
/// minute) without waiting for the write lock: while another transaction holds it (and the rows
/// themselves, on PostgreSQL), both answer; the times reach the database with the next flush.
/// They used to write on the request, which then waited behind an import's part or a rescore's
/// page (L3: a dashboard's p99 549 ms) or, held long enough, failed after the busy timeout.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn recording_a_sessions_use_does_not_wait_for_the_write_lock() {
    use app::backend::db;
    use app::backend::entities::{api_token, session};
    use sea_orm::sea_query::Expr;
    use sea_orm::EntityTrait;
    let app = TestApp::spawn().await;
    let (client, _) = app.login_as("m", Role::Manager).await;
    let token = crate::api_v1::token(&app, &client, "看板脚本").await;
    let (status, _) = crate::api_v1::api(&app, reqwest::Method::GET, "/api/v1/leads", Some(&token), None).await;
    assert_eq!(status, 200);
    app.state.last_seen.flush(&app.state.db).await.expect("flush");
    // Due for their once-a-minute touch: last used two minutes ago.
    let before = chrono::Utc::now() - chrono::Duration::minutes(2);
    session::Entity::update_many()
        .col_expr(session::Column::LastSeenAt, Expr::value(before))
        .exec(&app.state.db)
        .await
        .expect("age the sessions");
    api_token::Entity::update_many()
        .col_expr(api_token::Column::LastUsedAt, Expr::value(Some(before)))
        .exec(&app.state.db)
        .await
        .expect("age the tokens");

    let holder = db::begin_write(&app.state.db).await.expect("take the write lock");
    // On PostgreSQL the rows' own locks (SQLite's write lock covers them already).
    session::Entity::update_many()
        .col_expr(session::Column::LastSeenAt, Expr::value(before))
        .exec(&holder)
        .await
        .expect("lock the sessions");
    api_token::Entity::update_many()
        .col_expr(api_token::Column::LastUsedAt, Expr::value(Some(before)))
        .exec(&holder)
        .await
        .expect("lock the tokens");
    let wait = std::time::Duration::from_secs(5);
    let page = tokio::time::timeout(wait, app.page(&client, "/dashboard")).await;
    let call =
        tokio::time::timeout(wait, crate::api_v1::api(&app, reqwest::Method::GET, "/api/v1/leads", Some(&token), None))
            .await;
    holder.rollback().await.expect("release the lock");
    assert_eq!(page.expect("the page waited for the write lock").0, 200);
    assert_eq!(call.expect("the API call waited for the write lock").0, 200);

    // Written by the next flush (this one, or the jobs' own if it took them first).
    app.state.last_seen.flush(&app.state.db).await.expect("flush");
    let recent = chrono::Utc::now() - chrono::Duration::seconds(30);
    let mut written = false;
    for _ in 0..100 {
        let sessions = session::Entity::find().all(&app.state.db).await.expect("sessions");
        let tokens = api_token::Entity::find().all(&app.state.db).await.expect("tokens");
        written = !sessions.is_empty()
            && sessions.iter().all(|s| s.last_seen_at > recent)
            && !tokens.is_empty()
            && tokens.iter().all(|t| t.last_used_at.is_some_and(|at| at > recent));
        if written {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(written, "the uses were never written");
}

/// Many pages rendered at once each carry their own title, and none panics: a title once read
/// the router's location when the page's `<head>` was written, outside the request's own reactive
/// arena, so under load it could read another request's (a wrong title) or a freed one (the
/// server's worker panicked: 「already been disposed」, seen once in CI's load run).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pages_rendered_at_once_each_carry_their_own_title() {
    let app = Arc::new(TestApp::spawn().await);
    let (client, _) = app.login_as("m", Role::Manager).await;
    let pages = [
        ("/", "<title>我的工作 · 链招</title>"),
        ("/kanban", "<title>项目看板 · 链招</title>"),
        ("/leads", "<title>招商线索 · 链招</title>"),
        ("/trips", "<title>外出招商 · 链招</title>"),
        ("/me", "<title>链招 · 招商线索管理</title>"),
    ];
    let mut workers = Vec::new();
    for w in 0..16usize {
        let (app, client) = (app.clone(), client.clone());
        workers.push(tokio::spawn(async move {
            let mut wrong = Vec::new();
            for i in 0..15usize {
                let (path, title) = pages[(w + i) % pages.len()];
                let res = client.get(app.url(path)).send().await;
                match res {
                    Ok(res) if res.status() == 200 => {
                        let body = res.text().await.unwrap_or_default();
                        if !body.contains(title) {
                            let at = body.find("<title>").unwrap_or(0);
                            wrong.push(format!("{path}: {}", &body[at..(at + 60).min(body.len())]));
                        }
                    }
                    Ok(res) => wrong.push(format!("{path}: {}", res.status())),
                    Err(e) => wrong.push(format!("{path}: {e}")),
                }
            }
            wrong
        }));
    }
    let mut wrong = Vec::new();
    for w in workers {
        wrong.extend(w.await.expect("worker"));
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}
