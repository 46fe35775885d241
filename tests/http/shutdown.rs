//! What a stop (SIGTERM: `systemctl stop`, `docker stop`) does to the work running beside the
//! requests, through the same `Background::stop` the server runs after its last request: an
//! import finishes within the grace period or rolls back whole and says it was interrupted;
//! a mail pass stops after the message it is sending and hands the rest back to the queue, so
//! the next start sends each message exactly once.

use super::imports::{batch, commit, csv, upload};
use app::backend::entities::{import_batch, lead, mail};
use app::backend::mail::{enqueue, templates::Letter, Outgoing};
use app::domain::role::Role;
use lianzhao_tests::smtp::{smtp_settings, SmtpSink};
use lianzhao_tests::TestApp;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::time::Duration;

fn rows(n: usize, tag: &str) -> Vec<u8> {
    let mut lines = vec!["企业名称,所在地区,行业,计划投资（万元）".to_string()];
    lines.extend((0..n).map(|i| format!("停机{tag}{i:05}科技有限公司,南京,电子通信,{}", 1000 + i)));
    csv(&lines.iter().map(String::as_str).collect::<Vec<_>>())
}

async fn leads_of(app: &TestApp, batch: i64) -> u64 {
    lead::Entity::find().filter(lead::Column::ImportBatchId.eq(batch)).count(&app.db).await.unwrap()
}

async fn status_of(app: &TestApp, id: i64) -> import_batch::Model {
    import_batch::Entity::find_by_id(id).one(&app.db).await.unwrap().expect("batch")
}

#[tokio::test]
async fn a_stop_rolls_a_running_import_back_whole_or_lets_it_finish_within_the_grace() {
    const N: usize = 4_000;
    use app::backend::services::import_commit::PART_ROWS;
    let app = TestApp::spawn().await;
    let (mgr, _) = app.login_as("mgr", Role::Manager).await;

    // No grace, once the commit has saved its first part and opened the second: it is abandoned
    // at once; the open part rolls back, the saved one is taken back, the batch says why.
    let cut = upload(&app, &mgr, "cut.csv", rows(N, "甲")).await.unwrap();
    let (status, body) = app.call(&mgr, "imports/commit", &[("id", &cut.to_string())]).await;
    assert_eq!(status, 200, "{body}");
    // This app's progress of this batch, once past its first part.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        match app.state.imports.progress(cut) {
            // Past the first part: it is committed, the second is open.
            Some(p) if p.total == N as u64 && p.done > PART_ROWS as u64 && p.done < p.total => break,
            _ if tokio::time::Instant::now() > deadline => {
                panic!("the commit was never seen mid-way: {:?}", status_of(&app, cut).await)
            }
            _ => tokio::time::sleep(Duration::from_millis(2)).await,
        }
    }
    app.stop_background(Duration::ZERO).await;
    let stopped = status_of(&app, cut).await;
    assert_eq!(stopped.status, "failed");
    assert!(stopped.error.as_deref().is_some_and(|e| e.contains("err.import.interrupted")), "{stopped:?}");
    assert_eq!(leads_of(&app, cut).await, 0, "rolled back whole");

    // The next start: the batch says so and commits again, whole.
    let app = app.restart().await;
    let client = app.client();
    assert_eq!(app.post_login(&client, "mgr", lianzhao_tests::PASSWORD).await.status(), 303);
    assert_eq!(batch(&app, &client, cut).await["error"]["key"], "err.import.interrupted");
    let done = commit(&app, &client, cut).await;
    assert_eq!(done["summary"]["created"], N, "{}", done["summary"]);
    assert_eq!(leads_of(&app, cut).await, N as u64);

    // With a grace long enough, the stop waits for the commit to finish.
    let whole = upload(&app, &client, "whole.csv", rows(N, "乙")).await.unwrap();
    let (status, body) = app.call(&client, "imports/commit", &[("id", &whole.to_string())]).await;
    assert_eq!(status, 200, "{body}");
    assert!(app.stop_background(Duration::from_secs(120)).await, "finished within the grace");
    // Once stopping, a commit is refused with the reason (the batch stays ready to confirm). (The
    // server runs the stop after its last request; a server still answering, as here, refuses.)
    let later = upload(&app, &client, "later.csv", rows(3, "丙")).await.unwrap();
    let (status, body) = app.call(&client, "imports/commit", &[("id", &later.to_string())]).await;
    assert_eq!(status, 409, "{body}");
    assert!(body.to_string().contains("err.import.stopping"), "{body}");
    assert_eq!(status_of(&app, later).await.status, "preview");
    let finished = status_of(&app, whole).await;
    assert_eq!((finished.status.as_str(), finished.created), ("done", N as i32), "{:?}", finished.error);
    assert_eq!(leads_of(&app, whole).await, N as u64);
}

#[tokio::test]
async fn a_stop_mid_pass_sends_each_message_once_and_hands_the_rest_back() {
    const N: usize = 12;
    // Each message takes the relay 300 ms: a pass over 12 is stopped in its middle.
    let sink = SmtpSink::start_slow(Duration::from_millis(300)).await;
    let settings = smtp_settings(sink.port);
    let app = TestApp::spawn_with(settings).await;
    let to = app.create_user("收件人", Role::Staff).await;
    let user = app::backend::entities::user::Entity::find_by_id(to).one(&app.db).await.unwrap().expect("user");
    for i in 0..N {
        let letter =
            Letter { subject: format!("停机测试 {i}"), text: format!("第 {i} 封"), html: format!("<p>{i}</p>") };
        enqueue(&app.db, &app.settings, Outgoing::new("test", user.clone(), letter)).await.unwrap().expect("queued");
    }
    sink.wait_for(1).await;
    assert!(app.stop_background(Duration::from_secs(30)).await, "the pass ends after its message");
    let rows = mail::Entity::find().all(&app.db).await.unwrap();
    let sent: Vec<_> = rows.iter().filter(|m| m.status == "sent").collect();
    let left: Vec<_> = rows.iter().filter(|m| m.status == "queued").collect();
    assert!(!sent.is_empty() && sent.len() < N, "stopped mid-pass: {} sent", sent.len());
    assert_eq!(sent.len() + left.len(), N);
    assert_eq!(sink.messages().len(), sent.len(), "what the relay took is marked sent");
    assert!(left.iter().all(|m| m.lease_owner.is_none() && m.lease_until.is_none()), "leases handed back: {left:?}");

    // The next start sends the rest at once (no lease to wait out), each message once.
    let app = app.restart().await;
    let got = sink.wait_for(N).await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    let mut subjects: Vec<String> =
        sink.messages().iter().map(|m| m.parsed().subject().unwrap_or_default().to_string()).collect();
    subjects.sort();
    subjects.dedup();
    assert_eq!((got.len(), sink.messages().len(), subjects.len()), (N, N, N), "each message once");
    drop(app);
}
