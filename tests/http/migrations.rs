//! Migrations are reversible: the newest ones go down and up again on the real database (SQLite,
//! and PostgreSQL when the suite runs there), and the app works on the result: a lead saved before
//! is found, and an import batch uploaded before (its rows packed, migration 33) previews the same
//! rows after the round trip and commits them.

use crate::imports::{batch, commit, csv, upload};
use app::domain::role::Role;
use lianzhao_tests::{lead_fields, uscc, TestApp};
use migration::{Migrator, MigratorTrait};

#[tokio::test]
async fn the_newest_migrations_go_down_and_up_again() {
    let app = TestApp::spawn().await;
    let (mgr, _) = app.login_as("mgr", Role::Manager).await;
    let (status, body) =
        app.call(&mgr, "leads/save", &lead_fields("（苏州）往返迁移有限公司", &uscc("320505", 501))).await;
    assert_eq!(status, 200, "{body}");
    let file = csv(&[
        "企业名称,统一社会信用代码,行业,计划投资（万元）",
        &format!("往返芯片有限公司,{},电子通信,1.5亿", uscc("320505", 502)),
        &format!("往返精密机械有限公司,{},智能制造,3000万", uscc("320505", 503)),
    ]);
    let id = upload(&app, &mgr, "往返.csv", file).await.expect("upload");
    let before = batch(&app, &mgr, id).await;
    assert_eq!(before["rows"].as_array().map(Vec::len), Some(2), "{before}");
    Migrator::down(&app.db, Some(3)).await.expect("down");
    Migrator::up(&app.db, None).await.expect("up again");
    app::backend::db::migrate(&app.db).await.expect("the names folded again");
    let (status, list) = app.call(&mgr, "leads/list", &[("filter[q]", "(苏州)往返")]).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["total"], 1, "the folded name is filled back and searchable: {list}");
    let after = batch(&app, &mgr, id).await;
    assert_eq!(after["rows"], before["rows"], "the batch's rows came back through `rows`");
    let done = commit(&app, &mgr, id).await;
    assert_eq!(done["summary"]["status"], "done", "{done}");
    let (status, list) = app.call(&mgr, "leads/list", &[("filter[q]", "往返")]).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["total"], 3, "the batch's two leads are in: {list}");
}
