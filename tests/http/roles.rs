use app::domain::role::Role;
use lianzhao_tests::{lead_fields, uscc, TestApp};

async fn create_lead(app: &TestApp, client: &reqwest::Client, name: &str, code: &str) -> i64 {
    let (status, body) = app.call(client, "leads/save", &lead_fields(name, code)).await;
    assert_eq!(status, 200, "{body}");
    body.as_i64().expect("new id")
}

#[tokio::test]
async fn staff_cannot_read_or_edit_another_staff_members_lead_by_id() {
    let app = TestApp::spawn().await;
    let (alice, _) = app.login_as("alice", Role::Staff).await;
    let (bob, _) = app.login_as("bob", Role::Staff).await;
    let id = create_lead(&app, &alice, "爱丽丝通信有限公司", &uscc("320115", 1)).await;
    let id_s = id.to_string();

    let (status, _) = app.call(&bob, "leads/get", &[("id", &id_s)]).await;
    assert_eq!(status, 404, "no leak that it exists");
    let (status, body) = app.page(&bob, &format!("/leads/{id}")).await;
    assert_eq!(status, 404);
    assert!(!body.contains("爱丽丝通信") && body.contains("未找到"));
    let (status, _) = app.call(&bob, "leads/edit-form", &[("id", &id_s)]).await;
    assert_eq!(status, 404);
    let mut fields = lead_fields("鲍勃改名有限公司", "");
    fields.push(("id", &id_s));
    fields.push(("form[region_code]", "3201"));
    let (status, _) = app.call(&bob, "leads/save", &fields).await;
    assert_eq!(status, 404);
    let (status, body) = app.call(&bob, "leads/list", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(body["total"], 0, "bob's list does not show it");

    // Alice still sees and edits her lead.
    let (status, body) = app.call(&alice, "leads/get", &[("id", &id_s)]).await;
    assert_eq!(status, 200);
    assert_eq!(body["company_name"], "爱丽丝通信有限公司");
}

#[tokio::test]
async fn leaders_read_everything_and_write_nothing() {
    let app = TestApp::spawn().await;
    let (staff, _) = app.login_as("s1", Role::Staff).await;
    let (leader, _) = app.login_as("boss", Role::Leader).await;
    let id = create_lead(&app, &staff, "领导可见科技有限公司", &uscc("310115", 2)).await;
    let (status, body) = app.call(&leader, "leads/get", &[("id", &id.to_string())]).await;
    assert_eq!(status, 200);
    assert_eq!(body["can_edit"], false);
    let (status, _) = app.call(&leader, "leads/save", &lead_fields("领导新建有限公司", &uscc("310115", 3))).await;
    assert_eq!(status, 403);
    let mut fields = lead_fields("领导可见科技有限公司", "");
    let id_s = id.to_string();
    fields.push(("id", &id_s));
    fields.push(("form[region_code]", "3101"));
    let (status, _) = app.call(&leader, "leads/save", &fields).await;
    assert_eq!(status, 403);
    let (status, _) = app.call(&leader, "users/list", &[]).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn managers_see_and_assign_all_leads_but_staff_cannot_assign() {
    let app = TestApp::spawn().await;
    let (staff, staff_id) = app.login_as("s2", Role::Staff).await;
    let (other, other_id) = app.login_as("s3", Role::Staff).await;
    let (manager, _) = app.login_as("m1", Role::Manager).await;

    // Staff asking to give their lead to someone else still own it.
    let mut fields = lead_fields("员工自有科技有限公司", "");
    fields.push(("form[region_code]", "OS-EU"));
    let other_s = other_id.to_string();
    fields.push(("form[owner_id]", &other_s));
    let (status, body) = app.call(&staff, "leads/save", &fields).await;
    assert_eq!(status, 200, "{body}");
    let id = body.as_i64().unwrap().to_string();
    let (_, detail) = app.call(&manager, "leads/get", &[("id", &id)]).await;
    assert_eq!(detail["owner_name"], "s2 测试");

    // The manager assigns it to s3, who can then read it.
    let mut fields = lead_fields("员工自有科技有限公司", "");
    fields.push(("form[region_code]", "OS-EU"));
    fields.push(("form[owner_id]", &other_s));
    fields.push(("id", &id));
    let (status, body) = app.call(&manager, "leads/save", &fields).await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = app.call(&other, "leads/get", &[("id", &id)]).await;
    assert_eq!(status, 200);
    // s2 created it, so still reads it.
    let (status, _) = app.call(&staff, "leads/get", &[("id", &id)]).await;
    assert_eq!(status, 200);
    let _ = staff_id;
}
