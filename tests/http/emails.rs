//! One e-mail rule (`domain::email`): up to 254 bytes (RFC 5321) for users, lead contacts and
//! the mail queue alike, on SQLite and PostgreSQL (whose columns were 200 wide for users).

use app::domain::role::Role;
use lianzhao_tests::{lead_fields, uscc, TestApp};

fn address(len: usize) -> String {
    let domain = "@example.com";
    format!("{}{domain}", "a".repeat(len - domain.len()))
}

#[tokio::test]
async fn an_address_of_254_bytes_is_kept_for_users_and_contacts_and_255_is_refused_at_the_field() {
    let app = TestApp::spawn().await;
    let (admin, _) = app.login_as("boss", Role::Admin).await;
    let (manager, _) = app.login_as("m", Role::Manager).await;
    for (name, len, want) in [("longmail", 254, 200), ("toolong", 255, 422)] {
        let email = address(len);
        let form = [
            ("form[username]", name),
            ("form[display_name]", "长邮箱"),
            ("form[role]", "staff"),
            ("form[password]", "long-enough-1"),
            ("form[email]", email.as_str()),
        ];
        let (status, body) = app.call(&admin, "users/create", &form).await;
        assert_eq!(status, want, "{len}: {body}");
        if want == 422 {
            assert_eq!(body["Invalid"][0]["field"], "email", "{body}");
            assert_eq!(body["Invalid"][0]["key"], "err.email", "{body}");
        }
    }
    let (_, users) = app.call(&admin, "users/list", &[]).await;
    assert!(users.to_string().contains(&address(254)), "stored whole");

    let long = address(254);
    let code = uscc("320115", 61);
    let mut fields = lead_fields("长邮箱联系人有限公司", &code);
    fields.extend([("form[contacts][1][name]", "王总"), ("form[contacts][1][email]", long.as_str())]);
    let (status, id) = app.call(&manager, "leads/save", &fields).await;
    assert_eq!(status, 200, "{id}");
    let (_, lead) = app.call(&manager, "leads/get", &[("id", &id.to_string())]).await;
    assert_eq!(lead["contacts"][1]["email"], long.as_str());
}
