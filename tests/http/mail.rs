//! Mail through a real SMTP server started by the test: assignment, trip (with the .ics),
//! the scheduled visit reminder (once, even across a restart and two instances), the outbox
//! when no SMTP is configured, retries after the server was down, and a relay that stalls.

use super::teams::{assign, new_lead, save_team};
use super::trips::{add_visit, day, new_trip};
use app::backend::entities::mail;
use app::domain::role::Role;
use chrono::Datelike;
use lianzhao_tests::smtp::{smtp_settings, SmtpSink};
use lianzhao_tests::TestApp;
use mail_parser::MimeHeaders;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

async fn team_with(app: &TestApp, manager: &reqwest::Client, members: &[i64]) -> String {
    let (status, team) = save_team(app, manager, None, "深圳专班", "深圳", None, members).await;
    assert_eq!(status, 200, "{team}");
    team.as_i64().unwrap().to_string()
}

#[tokio::test]
async fn assignment_and_trip_mail_reach_the_smtp_server() {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_with(smtp_settings(sink.port)).await;
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    let (_, wang) = app.login_as("wang", Role::Staff).await;
    let team = team_with(&app, &manager, &[wang]).await;
    let l1 = new_lead(&app, &manager, "深南电子有限公司", "440305", 1).await;
    let l2 = new_lead(&app, &manager, "前海通信有限公司", "440305", 2).await;
    let (status, _) = assign(&app, &manager, &[&l1, &l2], &team, &wang.to_string()).await;
    assert_eq!(status, 200);

    let got = sink.wait_for(1).await;
    assert_eq!(got[0].to, ["wang@test.example.cn"]);
    let m = got[0].parsed();
    assert!(m.subject().unwrap().contains("2"), "{:?}", m.subject());
    let body = m.body_text(0).unwrap().to_string();
    assert!(body.contains("深南电子有限公司") && body.contains("前海通信有限公司"), "{body}");
    assert!(body.contains(&format!("/leads/{l1}")), "{body}");
    assert!(m.body_html(0).unwrap().contains("<a href="));

    // Publishing a trip mails each member the plan with the calendar attached.
    let d = day(5);
    let trip = new_trip(&app, &manager, "深圳电子信息招商", &[wang], &d, &d).await;
    let (status, _) = add_visit(&app, &manager, &trip, &l1, &d, "09:00", "10:30", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(app.call(&manager, "trips/publish", &[("id", &trip)]).await.0, 200);
    let got = sink.wait_for(2).await;
    let m = got[1].parsed();
    assert!(m.subject().unwrap().contains("深圳电子信息招商"), "{:?}", m.subject());
    let ics = m.attachments().find(|a| a.attachment_name() == Some(&format!("trip-{trip}.ics"))).expect("the .ics");
    assert!(ics.content_type().is_some_and(|c| c.c_type == "text" && c.subtype() == Some("calendar")));
    let text = String::from_utf8_lossy(ics.contents()).to_string();
    let unfolded = icalendar::parser::unfold(&text);
    let cal = icalendar::parser::read_calendar(&unfolded).expect("valid ics");
    assert_eq!(cal.components.iter().filter(|c| c.name == "VEVENT").count(), 2, "the trip and its visit");

    // A change after publishing mails again (coalesced per member).
    let (status, _) = add_visit(&app, &manager, &trip, &l2, &d, "14:00", "15:00", &[]).await;
    assert_eq!(status, 200);
    let got = sink.wait_for(3).await;
    assert!(got[2].parsed().subject().unwrap().contains("变更"), "{:?}", got[2].parsed().subject());
}

#[tokio::test]
async fn reminders_go_out_once_across_restarts_and_instances() {
    let sink = SmtpSink::start().await;
    let mut settings = smtp_settings(sink.port);
    settings.reminder_hour = 0;
    settings.scheduled_mail = true;
    // Only the reminders: the weekly pack would go out on its own day.
    settings.weekly_mail_hour = 23;
    settings.weekly_mail_weekday = (chrono::Utc::now().with_timezone(&chrono_tz::Asia::Shanghai).date_naive()
        + chrono::Duration::days(3))
    .weekday();
    let app = TestApp::spawn_with(settings.clone()).await;
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    let (_, a) = app.login_as("a", Role::Staff).await;
    let (_, b) = app.login_as("b", Role::Staff).await;
    let lead = new_lead(&app, &manager, "深南电子有限公司", "440305", 1).await;
    let tomorrow = day(1);
    let trip = new_trip(&app, &manager, "明日走访", &[a, b], &tomorrow, &tomorrow).await;
    assert_eq!(add_visit(&app, &manager, &trip, &lead, &tomorrow, "10:00", "11:00", &[]).await.0, 200);
    // A draft reminds nobody.
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert!(sink.messages().is_empty());
    assert_eq!(app.call(&manager, "trips/publish", &[("id", &trip)]).await.0, 200);
    // Two "planned" mails and two reminders.
    sink.wait_for(4).await;
    let second = app.spawn_sibling(settings.clone()).await;
    let app = app.restart().await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let reminders: Vec<_> = sink
        .messages()
        .iter()
        .filter(|m| m.parsed().subject().is_some_and(|s| s.contains("明日走访提醒")))
        .map(|m| m.to[0].clone())
        .collect();
    let mut sorted = reminders.clone();
    sorted.sort();
    assert_eq!(sorted, ["a@test.example.cn", "b@test.example.cn"], "once each: {reminders:?}");
    drop(second);
    drop(app);
}

#[tokio::test]
async fn two_instances_send_each_queued_message_once() {
    let sink = SmtpSink::start().await;
    let settings = smtp_settings(sink.port);
    let app = TestApp::spawn_with(settings.clone()).await;
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    let mut ids = Vec::new();
    for i in 0..3 {
        ids.push(app.login_as(&format!("s{i}"), Role::Staff).await.1);
    }
    let team = team_with(&app, &manager, &ids).await;
    let others = [app.spawn_sibling(settings.clone()).await, app.spawn_sibling(settings.clone()).await];
    // 30 assignments, each mailing one owner.
    for n in 0..30u32 {
        let lead = new_lead(&app, &manager, &format!("并发{n}科技有限公司"), "440305", 100 + n).await;
        let owner = ids[n as usize % ids.len()].to_string();
        assert_eq!(assign(&app, &manager, &[&lead], &team, &owner).await.0, 200);
    }
    sink.wait_for(30).await;
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    assert_eq!(sink.messages().len(), 30, "no message twice");
    // Marked sent after the server's answer reaches the worker: wait for the last marks.
    let mut sent = Vec::new();
    for _ in 0..100 {
        sent = mail::Entity::find().filter(mail::Column::Status.eq("sent")).all(&app.db).await.unwrap();
        if sent.len() >= 30 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(sent.len(), 30);
    assert!(sent.iter().all(|m| m.attempts == 1));
    drop(others);
}

#[tokio::test]
async fn without_smtp_mail_lands_in_the_outbox_and_a_down_server_is_retried() {
    // No SMTP: an .eml file per message, and the admin sees it.
    let app = TestApp::spawn().await;
    let (admin, _) = app.login_as("root", Role::Admin).await;
    let (_, wang) = app.login_as("wang", Role::Staff).await;
    let team = team_with(&app, &admin, &[wang]).await;
    let lead = new_lead(&app, &admin, "深南电子有限公司", "440305", 1).await;
    assert_eq!(assign(&app, &admin, &[&lead], &team, &wang.to_string()).await.0, 200);
    let outbox = app.settings.mail.outbox_dir.clone();
    let mut files = Vec::new();
    for _ in 0..100 {
        files = std::fs::read_dir(&outbox).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
        if !files.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(files.len(), 1, "{files:?}");
    let raw = std::fs::read(&files[0]).unwrap();
    let parsed = mail_parser::MessageParser::default().parse(&raw).unwrap();
    assert!(parsed.body_text(0).unwrap().contains("深南电子有限公司"));
    let (status, view) = app.call(&admin, "admin/mail", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(view["rows"][0]["status"], "outbox", "{view}");
    let (status, html) = app.page(&admin, "/admin/mail").await;
    assert_eq!(status, 200);
    assert!(html.contains("wang@test.example.cn"));
    let (staff, _) = app.login_as("nosy", Role::Staff).await;
    assert_eq!(app.call(&staff, "admin/mail", &[]).await.0, 403);

    // SMTP down: the message waits with the error, then goes out once the server is back.
    let port = SmtpSink::free_port().await;
    let app = TestApp::spawn_with(smtp_settings(port)).await;
    let (admin, _) = app.login_as("root", Role::Admin).await;
    let (_, wang) = app.login_as("wang", Role::Staff).await;
    let team = team_with(&app, &admin, &[wang]).await;
    let lead = new_lead(&app, &admin, "深南电子有限公司", "440305", 1).await;
    assert_eq!(assign(&app, &admin, &[&lead], &team, &wang.to_string()).await.0, 200, "the save never waits on mail");
    let mut failed_once = None;
    for _ in 0..100 {
        let row = mail::Entity::find().one(&app.db).await.unwrap().expect("queued");
        if row.attempts >= 1 {
            failed_once = Some(row);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let row = failed_once.expect("a failed attempt");
    assert_eq!(row.status, "queued");
    assert!(row.last_error.is_some());
    let sink = SmtpSink::start_on(port).await;
    let got = sink.wait_for(1).await;
    assert_eq!(got[0].to, ["wang@test.example.cn"]);
    // The sink has the message when the server accepts its end; the worker marks the row sent
    // only after that answer reaches it, so the row may still say queued for a moment.
    let mut row = row;
    for _ in 0..100 {
        row = mail::Entity::find_by_id(row.id).one(&app.db).await.unwrap().unwrap();
        if row.status != "queued" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(row.status, "sent");
    assert!(row.attempts >= 2);
}

/// Sets a user's display name and address as an admin's edit would leave them.
async fn rename(app: &TestApp, id: i64, display_name: &str, email: &str) {
    use app::backend::entities::user;
    use sea_orm::ActiveModelTrait;
    let u = user::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap();
    let mut active: user::ActiveModel = u.into();
    active.display_name = sea_orm::Set(display_name.into());
    active.email = sea_orm::Set(email.into());
    active.update(&app.db).await.unwrap();
}

#[tokio::test]
async fn any_display_name_sends_and_an_unbuildable_message_is_kept_as_failed() {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_with(smtp_settings(sink.port)).await;
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    let (_, wang) = app.login_as("wang", Role::Staff).await;
    let (_, li) = app.login_as("li", Role::Staff).await;
    let name = "王芳, \"小王\" (招商<一>科); 测试";
    rename(&app, wang, name, "wang@test.example.cn").await;
    let team = team_with(&app, &manager, &[wang, li]).await;
    let l1 = new_lead(&app, &manager, "名称编码电子有限公司", "440305", 31).await;
    let (status, _) = assign(&app, &manager, &[&l1], &team, &wang.to_string()).await;
    assert_eq!(status, 200);
    let got = sink.wait_for(1).await;
    assert_eq!(got[0].to, ["wang@test.example.cn"]);
    let m = got[0].parsed();
    let to = m.to().and_then(|a| a.first()).expect("a To header");
    assert_eq!(to.name(), Some(name), "the display name arrives exactly as written");
    assert_eq!(to.address(), Some("wang@test.example.cn"));

    // An address that is not one: the message is kept as failed, with the reason, for admins.
    rename(&app, li, "李四", "li at example").await;
    let l2 = new_lead(&app, &manager, "坏地址电子有限公司", "440305", 32).await;
    let (status, _) = assign(&app, &manager, &[&l2], &team, &li.to_string()).await;
    assert_eq!(status, 200);
    let failed = mail::Entity::find().filter(mail::Column::Status.eq("failed")).all(&app.db).await.unwrap();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert!(failed[0].last_error.as_deref().is_some_and(|e| e.contains("li at example")), "{failed:?}");
    let (admin, _) = app.login_as("admin", Role::Admin).await;
    let (status, queue) = app.call(&admin, "admin/mail", &[("status", "failed")]).await;
    assert_eq!(status, 200);
    assert_eq!(queue["rows"][0]["to_addr"], "li at example", "{queue}");
    let (status, body) = app.call(&admin, "admin/mail/retry", &[("id", &failed[0].id.to_string())]).await;
    assert_eq!(status, 409, "retrying cannot build it: {body}");
}

#[tokio::test]
async fn a_reminder_that_could_not_be_built_goes_out_once_the_address_is_corrected() {
    let sink = SmtpSink::start().await;
    let mut settings = smtp_settings(sink.port);
    settings.reminder_hour = 0;
    settings.scheduled_mail = true;
    settings.weekly_mail_hour = 23;
    settings.weekly_mail_weekday = (chrono::Utc::now().with_timezone(&chrono_tz::Asia::Shanghai).date_naive()
        + chrono::Duration::days(3))
    .weekday();
    let app = TestApp::spawn_with(settings).await;
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    let (_, a) = app.login_as("a", Role::Staff).await;
    rename(&app, a, "甲", "a at example").await;
    let lead = new_lead(&app, &manager, "提醒重建电子有限公司", "440305", 33).await;
    let tomorrow = day(1);
    let trip = new_trip(&app, &manager, "明日走访", &[a], &tomorrow, &tomorrow).await;
    assert_eq!(add_visit(&app, &manager, &trip, &lead, &tomorrow, "10:00", "11:00", &[]).await.0, 200);
    assert_eq!(app.call(&manager, "trips/publish", &[("id", &trip)]).await.0, 200);
    let failed_reminders = || async {
        mail::Entity::find()
            .filter(mail::Column::Status.eq("failed"))
            .filter(mail::Column::DedupeKey.is_not_null())
            .all(&app.db)
            .await
            .unwrap()
    };
    for _ in 0..100 {
        if !failed_reminders().await.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // Kept once, with its reason; later runs of the job do not pile up copies.
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    let kept = failed_reminders().await;
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(kept[0].last_error.as_deref().is_some_and(|e| e.contains("a at example")));
    assert!(sink.messages().is_empty());

    // The address corrected: the reminder is built and sent.
    rename(&app, a, "甲", "a@test.example.cn").await;
    let got = sink.wait_for(1).await;
    assert!(got[0].parsed().subject().is_some_and(|s| s.contains("明日走访提醒")), "{:?}", got[0].parsed().subject());
    assert_eq!(got[0].to, ["a@test.example.cn"]);
    assert!(failed_reminders().await.is_empty());
}

#[tokio::test]
async fn a_relay_that_does_not_answer_within_half_a_lease_is_given_up_on_and_retried() {
    // A lease of 2 s lets a send take 1 s; this relay takes each message and answers after 3 s
    // (its connection is open: only the conversation stalls, which lettre's timeout does not bound).
    let sink = SmtpSink::start_slow(std::time::Duration::from_secs(3)).await;
    let mut settings = smtp_settings(sink.port);
    settings.mail.lease_secs = 2;
    let app = TestApp::spawn_with(settings).await;
    let to = app.create_user("收件人", Role::Staff).await;
    let user = app::backend::entities::user::Entity::find_by_id(to).one(&app.db).await.unwrap().expect("user");
    let letter = app::backend::mail::templates::Letter {
        subject: "慢中继".into(),
        text: "正文".into(),
        html: "<p>正文</p>".into(),
    };
    app::backend::mail::enqueue(&app.db, &app.settings, app::backend::mail::Outgoing::new("test", user, letter))
        .await
        .unwrap()
        .expect("queued");
    sink.wait_for(1).await;
    let mut row = None;
    for _ in 0..50 {
        row = mail::Entity::find().one(&app.db).await.unwrap();
        if row.as_ref().is_some_and(|m| m.last_error.is_some() || m.status == "sent") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let row = row.expect("the message");
    assert_ne!(row.status, "sent", "given up on before the relay answered: {row:?}");
    assert!(row.last_error.as_deref().is_some_and(|e| e.contains("1000 ms")), "{row:?}");
}
