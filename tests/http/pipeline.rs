use app::domain::role::Role;
use lianzhao_tests::{lead_fields, uscc, TestApp};
use serde_json::Value;

async fn new_lead(app: &TestApp, client: &reqwest::Client, seed: u32) -> String {
    let (status, body) =
        app.call(client, "leads/save", &lead_fields("推进测试科技有限公司", &uscc("320115", seed))).await;
    assert_eq!(status, 200, "{body}");
    body.as_i64().unwrap().to_string()
}

async fn pipeline(app: &TestApp, client: &reqwest::Client, id: &str) -> Value {
    let (status, body) = app.call(client, "pipeline/get", &[("lead_id", id)]).await;
    assert_eq!(status, 200, "{body}");
    body
}

fn invalid_fields(body: &Value) -> Vec<String> {
    body["Invalid"]
        .as_array()
        .map(|a| a.iter().map(|e| e["field"].as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn stage_moves_follow_the_rules_and_are_recorded() {
    let app = TestApp::spawn().await;
    let (staff, _) = app.login_as("s", Role::Staff).await;
    let id = new_lead(&app, &staff, 1).await;

    let (status, _) = app.call(&staff, "pipeline/move", &[("lead_id", &id), ("form[to]", "contact")]).await;
    assert_eq!(status, 200, "one step needs nothing");
    let (status, body) = app.call(&staff, "pipeline/move", &[("lead_id", &id), ("form[to]", "negotiation")]).await;
    assert_eq!(status, 422);
    assert_eq!(invalid_fields(&body), ["comment"]);
    let (status, _) = app
        .call(
            &staff,
            "pipeline/move",
            &[("lead_id", &id), ("form[to]", "negotiation"), ("form[comment]", "对方直接进入洽谈")],
        )
        .await;
    assert_eq!(status, 200);
    let (status, body) = app.call(&staff, "pipeline/move", &[("lead_id", &id), ("form[to]", "on_hold")]).await;
    assert_eq!(status, 422);
    assert_eq!(invalid_fields(&body), ["resume_on"]);
    let (status, body) =
        app.call(&staff, "pipeline/move", &[("lead_id", &id), ("form[to]", "dropped"), ("form[reason]", "")]).await;
    assert_eq!(status, 422);
    assert_eq!(invalid_fields(&body), ["reason"]);

    let p = pipeline(&app, &staff, &id).await;
    assert_eq!(p["stage"], "negotiation");
    let moves: Vec<(String, String)> = p["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["item"]["Move"]["from"].as_str().unwrap().into(), e["item"]["Move"]["to"].as_str().unwrap().into()))
        .collect();
    assert_eq!(moves, [("contact".into(), "negotiation".into()), ("clue".into(), "contact".into())], "newest first");
    assert_eq!(p["timeline"][0]["item"]["Move"]["comment"], "对方直接进入洽谈");
    assert_eq!(p["timeline"][0]["who"], "s 测试");

    // A leader reads the timeline but cannot move the stage; another staff member sees nothing.
    let (leader, _) = app.login_as("l", Role::Leader).await;
    assert_eq!(pipeline(&app, &leader, &id).await["can_edit"], false);
    let (status, _) = app.call(&leader, "pipeline/move", &[("lead_id", &id), ("form[to]", "signed")]).await;
    assert_eq!(status, 403);
    let (other, _) = app.login_as("o", Role::Staff).await;
    let (status, _) = app.call(&other, "pipeline/get", &[("lead_id", &id)]).await;
    assert_eq!(status, 404);
    // Editing the lead no longer changes its stage behind the timeline's back.
    let mut fields = lead_fields("推进测试科技有限公司", "");
    fields.retain(|(k, _)| *k != "form[stage]");
    fields.extend([("id", id.as_str()), ("form[stage]", "production"), ("form[region_code]", "3201")]);
    let (status, body) = app.call(&staff, "leads/save", &fields).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(pipeline(&app, &staff, &id).await["stage"], "negotiation");

    // The stage form offers the next stage; a dropped lead has none, and is offered a choice to
    // make, not 线索 by default.
    let (_, page) = app.page(&staff, &format!("/leads/{id}")).await;
    assert!(page.contains(r#"<option value="signed" selected"#) && !page.contains("请选择目标阶段"), "next: 签约");
    let dropped = [("lead_id", id.as_str()), ("form[to]", "dropped"), ("form[reason]", "no_intention")];
    let (status, body) = app.call(&staff, "pipeline/move", &dropped).await;
    assert_eq!(status, 200, "{body}");
    let (_, page) = app.page(&staff, &format!("/leads/{id}")).await;
    assert!(page.contains("请选择目标阶段") && !page.contains(r#"<option value="clue" selected"#), "no default");
}

#[tokio::test]
async fn signing_asks_for_the_commitments() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("m", Role::Manager).await;
    let id = new_lead(&app, &manager, 2).await;
    let (status, body) = app
        .call(&manager, "pipeline/move", &[("lead_id", &id), ("form[to]", "signed"), ("form[comment]", "签约")])
        .await;
    assert_eq!(status, 422);
    assert_eq!(invalid_fields(&body), ["signed_investment"]);
    let (status, body) = app
        .call(
            &manager,
            "pipeline/move",
            &[
                ("lead_id", &id),
                ("form[to]", "signed"),
                ("form[comment]", "签约"),
                ("form[signed_investment]", "1.5亿"),
                ("form[signed_land_mu]", "60"),
                ("form[signed_tax]", "1,200"),
                ("form[planned_start]", "2027-03-01"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let p = pipeline(&app, &manager, &id).await;
    assert_eq!(p["stage"], "signed");
    assert_eq!(p["commitment"]["investment_wan"], 15000.0);
    assert_eq!(p["commitment"]["land_mu"], 60.0);
    assert_eq!(p["commitment"]["tax_wan"], 1200.0);
    assert_eq!(p["commitment"]["start_on"], "2027-03-01");
    let (_, page) = app.page(&manager, &format!("/leads/{id}")).await;
    assert!(page.contains("签约承诺") && page.contains("15,000"));
}

#[tokio::test]
async fn a_stale_move_is_refused_with_409() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("m", Role::Manager).await;
    let id = new_lead(&app, &manager, 3).await;
    let version = pipeline(&app, &manager, &id).await["version"].to_string();
    let (status, _) = app
        .call(&manager, "pipeline/move", &[("lead_id", &id), ("form[to]", "contact"), ("form[version]", &version)])
        .await;
    assert_eq!(status, 200);
    // A second client still holding the old version.
    let (other, _) = app.login_as("m2", Role::Manager).await;
    let (status, body) = app
        .call(&other, "pipeline/move", &[("lead_id", &id), ("form[to]", "contact"), ("form[version]", &version)])
        .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(pipeline(&app, &manager, &id).await["timeline"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn activities_land_on_the_timeline_and_next_steps_on_the_owners_home_page() {
    let app = TestApp::spawn().await;
    let (staff, _) = app.login_as("s", Role::Staff).await;
    let id = new_lead(&app, &staff, 4).await;
    let (status, body) =
        app.call(&staff, "pipeline/log", &[("lead_id", &id), ("form[kind]", "call"), ("form[summary]", "")]).await;
    assert_eq!(status, 422);
    assert_eq!(invalid_fields(&body), ["summary"]);
    let (status, body) = app
        .call(
            &staff,
            "pipeline/log",
            &[("lead_id", &id), ("form[kind]", "call"), ("form[summary]", "x"), ("form[next_due]", "2099-12-01")],
        )
        .await;
    assert_eq!(status, 422, "a due date needs a next step");
    assert_eq!(invalid_fields(&body), ["next_step"]);

    let yesterday =
        (chrono::Utc::now() + chrono::Duration::hours(8) - chrono::Duration::days(1)).format("%Y-%m-%d").to_string();
    let in_three_days =
        (chrono::Utc::now() + chrono::Duration::hours(8) + chrono::Duration::days(3)).format("%Y-%m-%d").to_string();
    let far = (chrono::Utc::now() + chrono::Duration::days(60)).format("%Y-%m-%d").to_string();
    let ago = |days: i64| {
        (chrono::Utc::now() + chrono::Duration::hours(8) - chrono::Duration::days(days)).format("%Y-%m-%d").to_string()
    };
    let (tomorrow, today) = (ago(-1), ago(0));
    // A contact has happened, and its next step is due after it: each refused at its field.
    for (day, due, field) in [(&tomorrow, &in_three_days, "happened_on"), (&today, &yesterday, "next_due")] {
        let fields = [
            ("lead_id", id.as_str()),
            ("form[kind]", "call"),
            ("form[summary]", "电话"),
            ("form[next_step]", "回访"),
            ("form[happened_on]", day.as_str()),
            ("form[next_due]", due.as_str()),
        ];
        let (status, body) = app.call(&staff, "pipeline/log", &fields).await;
        assert_eq!((status, invalid_fields(&body)), (422, vec![field.to_string()]), "{body}");
    }
    // A call three days ago whose step was due yesterday: overdue now.
    for (summary, next, due, day) in [
        ("电话沟通投资意向", "寄送园区资料", &yesterday, ago(3)),
        ("视频会议", "安排考察", &in_three_days, today.clone()),
        ("邮件", "年后回访", &far, today.clone()),
    ] {
        let (status, body) = app
            .call(
                &staff,
                "pipeline/log",
                &[
                    ("lead_id", &id),
                    ("form[kind]", "call"),
                    ("form[summary]", summary),
                    ("form[next_step]", next),
                    ("form[next_due]", due),
                    ("form[happened_on]", &day),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }
    let p = pipeline(&app, &staff, &id).await;
    assert_eq!(p["timeline"].as_array().unwrap().len(), 3);
    assert_eq!(p["timeline"][0]["item"]["Activity"]["summary"], "邮件");

    let (_, steps) = app.call(&staff, "pipeline/next-steps", &[]).await;
    let steps = steps.as_array().unwrap();
    assert_eq!(steps.len(), 2, "due this week or overdue only: {steps:?}");
    assert_eq!(steps[0]["next_step"], "寄送园区资料");
    assert_eq!(steps[0]["overdue"], true);
    assert_eq!(steps[1]["overdue"], false);
    let (_, home) = app.page(&staff, "/").await;
    assert!(home.contains("寄送园区资料") && home.contains("逾期"));

    let done = steps[0]["activity_id"].to_string();
    let (status, said) = app.call(&staff, "pipeline/done", &[("activity_id", &done)]).await;
    assert_eq!(status, 200);
    assert_eq!(said["next_step"], "寄送园区资料", "{said}");
    let (_, steps) = app.call(&staff, "pipeline/next-steps", &[]).await;
    assert_eq!(steps.as_array().unwrap().len(), 1);
    // As the home page's plain form: back home, told what was taken off the list, once.
    let other = steps[0]["activity_id"].to_string();
    let (_, to) = super::plain_forms::plain_post(&app, &staff, "pipeline/done", "/", &[("activity_id", &other)]).await;
    assert_eq!(to, "/");
    let (_, home) = app.page(&staff, "/").await;
    let note = home.split(r#"id="step-done""#).nth(1).and_then(|n| n.split("</p>").next()).unwrap_or_default();
    assert!(
        note.contains("已完成，已从待办中移除") && note.contains(steps[0]["next_step"].as_str().unwrap_or("?")),
        "{note}"
    );
    let (_, again) = app.page(&staff, "/").await;
    assert!(!again.contains(r#"id="step-done""#), "said once");
    // Someone who may not close it (a step on a lead they cannot edit) is told, not left guessing.
    let (stranger, _) = app.login_as("stranger", Role::Staff).await;
    let (_, to) =
        super::plain_forms::plain_post(&app, &stranger, "pipeline/done", "/", &[("activity_id", &done)]).await;
    assert!(to.starts_with("/?") && to.contains("__err="), "{to}");
    let (_, home) = app.page(&stranger, &to).await;
    assert!(home.contains(r#"class="error-banner""#) && !home.contains(r#"id="step-done""#), "the refusal said");
}
