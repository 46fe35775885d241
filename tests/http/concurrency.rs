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
