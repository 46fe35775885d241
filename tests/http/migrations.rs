//! Migrations are reversible: the newest ones go down and up again on the real database (SQLite,
//! and PostgreSQL when the suite runs there), and the app works on the result.

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
    Migrator::down(&app.db, Some(2)).await.expect("down");
    Migrator::up(&app.db, None).await.expect("up again");
    app::backend::db::migrate(&app.db).await.expect("the names folded again");
    let (status, list) = app.call(&mgr, "leads/list", &[("filter[q]", "(苏州)往返")]).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["total"], 1, "the folded name is filled back and searchable: {list}");
}
