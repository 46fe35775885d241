//! 外出招商 without a signal, on a phone (390 × 844, touch), through a proxy that can cut the
//! connection (see `lianzhao_tests::signal`): take the week along, lose the signal, open the
//! pages from the service worker, write two visit reports (one with a photo), check in with a
//! position, register a
//! company met on the road; lose the answer in the middle of the sync; get the signal back: every
//! item is on the server exactly once.

use super::site_built;
use app::domain::role::Role;
use chrono::Duration;
use fantoccini::{Client, Locator};
use lianzhao_tests::browser::{assert_fits, wait_island, wait_text, wait_url, Browser, Screen};
use lianzhao_tests::signal::{Net, Signal};
use lianzhao_tests::{lead_fields, uscc, TestApp, PASSWORD};
use serde_json::Value;
use std::time::Instant;

fn day(offset: i64) -> String {
    (chrono::Utc::now().with_timezone(&chrono_tz::Asia::Shanghai).date_naive() + Duration::days(offset)).to_string()
}

/// Waits until the page is controlled by the service worker.
async fn wait_worker(c: &Client) {
    let script = r#"
        const done = arguments[arguments.length - 1];
        navigator.serviceWorker.ready.then(() => {
          if (navigator.serviceWorker.controller) done(true);
          else navigator.serviceWorker.addEventListener("controllerchange", () => done(true));
        });
    "#;
    c.execute_async(script, vec![]).await.expect("the service worker takes the page");
}

async fn pending(c: &Client) -> String {
    match c.find(Locator::Css("#lz-outbox")).await {
        Ok(el) => el.attr("data-pending").await.ok().flatten().unwrap_or_default(),
        Err(_) => String::new(),
    }
}

async fn status_of(app: &TestApp, client: &reqwest::Client, visit: &str) -> Value {
    let (status, v) = app.call(client, "field/visit", &[("id", visit)]).await;
    assert_eq!(status, 200, "{v}");
    v
}

async fn activities(app: &TestApp, client: &reqwest::Client, lead: &str) -> usize {
    let (_, p) = app.call(client, "pipeline/get", &[("lead_id", lead)]).await;
    p["timeline"].as_array().unwrap().iter().filter(|e| e["item"].get("Activity").is_some()).count()
}

async fn report(c: &Client, learned: &str, intention: &str) {
    c.find(Locator::Id("field-learned")).await.unwrap().send_keys(learned).await.unwrap();
    c.find(Locator::Id("field-intention")).await.unwrap().select_by_value(intention).await.unwrap();
    c.find(Locator::Id("field-report-submit")).await.unwrap().click().await.unwrap();
}

#[tokio::test]
async fn without_a_signal_reports_check_ins_and_new_companies_wait_on_the_phone_and_arrive_once() {
    site_built();
    let app = TestApp::spawn().await;
    let (mgr, _) = app.login_as("kezhang", Role::Manager).await;
    let (fang, fang_id) = app.login_as("fang", Role::Staff).await;
    let mut leads = Vec::new();
    for (i, name) in ["宁波离线走访电子有限公司", "北仑港口装备有限公司"].iter().enumerate() {
        let (status, lead) = app.call(&fang, "leads/save", &lead_fields(name, &uscc("330206", 5100 + i as u32))).await;
        assert_eq!(status, 200, "{lead}");
        leads.push(lead.to_string());
    }
    let member = format!("form[members][{fang_id}]");
    let fang_s = fang_id.to_string();
    let (today, tomorrow) = (day(0), day(1));
    let trip_fields = [
        ("form[kind]", "outbound"),
        ("form[purpose]", "宁波港航装备产业链走访"),
        ("form[destination]", "宁波"),
        ("form[start_on]", today.as_str()),
        ("form[end_on]", tomorrow.as_str()),
        (member.as_str(), fang_s.as_str()),
    ];
    let (status, trip) = app.call(&mgr, "trips/create", &trip_fields).await;
    assert_eq!(status, 200, "{trip}");
    let trip = trip.to_string();
    let mut visits = Vec::new();
    for (lead, (start, end)) in leads.iter().zip([("09:00", "10:00"), ("14:00", "15:30")]) {
        let fields = [
            ("trip_id", trip.as_str()),
            ("form[lead]", lead.as_str()),
            ("form[date]", today.as_str()),
            ("form[start]", start),
            ("form[end]", end),
            ("form[place]", "宁波北仑区"),
        ];
        let (status, visit) = app.call(&mgr, "visits/add", &fields).await;
        assert_eq!(status, 200, "{visit}");
        visits.push(visit.to_string());
    }

    let signal = Signal::start(app.base.trim_start_matches("http://")).await;
    let b = Browser::start(Screen::Phone).await;
    let c = &b.client;
    b.log_in(&signal.base, "fang", PASSWORD).await;
    c.goto(&signal.url("/field")).await.unwrap();
    wait_worker(c).await;
    assert_fits(c, "/field").await;

    // Take the week along: the week, both visits and the new-company form are on the phone.
    c.find(Locator::Id("field-take")).await.unwrap().click().await.unwrap();
    let notice = wait_text(c, "#lz-notice", |t| !t.is_empty()).await;
    assert!(notice.contains("3") || notice.contains('4'), "{notice}");

    // No signal. The pages still open, and say so.
    signal.set(Net::Offline);
    c.goto(&signal.url(&format!("/field/visits/{}", visits[0]))).await.unwrap();
    wait_text(c, "#lz-offline", |t| t.contains("离线")).await;
    wait_text(c, "#field-company", |t| t.contains("宁波离线走访电子")).await;
    assert_fits(c, "a visit offline").await;

    // Check in with a position in 宁波 (the browser asks; the test has said yes).
    b.cdp("Browser.grantPermissions", serde_json::json!({"permissions": ["geolocation"], "origin": signal.base})).await;
    b.cdp(
        "Emulation.setGeolocationOverride",
        serde_json::json!({"latitude": 29.889, "longitude": 121.845, "accuracy": 30}),
    )
    .await;
    wait_island(c, "check-in").await;
    c.find(Locator::Id("field-checkin-submit")).await.unwrap().click().await.unwrap();
    wait_text(c, "#lz-pending", |t| t.contains("1 条待同步")).await;

    report(c, "码头起重机扩产，计划在区内新建总装基地", "strong").await;
    wait_text(c, "#lz-pending", |t| t.contains("2 条待同步")).await;
    // A photo of the workshop (a 512 px PNG here): the phone shrinks it to a JPEG and queues it.
    let photo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/icons/icon-512.png");
    let photo = std::fs::canonicalize(photo).unwrap();
    c.find(Locator::Id("attach-photo")).await.unwrap().send_keys(&photo.display().to_string()).await.unwrap();
    c.find(Locator::Id("attach-submit")).await.unwrap().click().await.unwrap();
    wait_text(c, "#lz-pending", |t| t.contains("3 条待同步")).await;
    c.goto(&signal.url(&format!("/field/visits/{}", visits[1]))).await.unwrap();
    wait_text(c, "#field-company", |t| t.contains("北仑港口装备")).await;
    // Written in a hurry: with nothing learned the phone does not send it (the field says what
    // is missing before anything is queued) …
    let learned = c.find(Locator::Id("field-learned")).await.unwrap();
    c.find(Locator::Id("field-report-submit")).await.unwrap().click().await.unwrap();
    let missing = c.execute("return arguments[0].validity.valueMissing", vec![serde_json::to_value(&learned).unwrap()]);
    assert_eq!(missing.await.unwrap(), serde_json::json!(true));
    // … and with a next step's date but no next step it goes, and the server refuses it.
    c.execute("document.getElementById('field-next-due').value = '2026-12-20'", vec![]).await.unwrap();
    report(c, "暂无外迁计划，保持联系", "weak").await;
    wait_text(c, "#lz-pending", |t| t.contains("4 条待同步")).await;
    // A voice note recorded in the page (the test's microphone plays a tone), queued like a file.
    wait_island(c, "voice").await;
    c.find(Locator::Id("voice-record")).await.unwrap().click().await.unwrap();
    // Recording once the microphone answered; a second of tone.
    c.wait()
        .at_most(std::time::Duration::from_secs(20))
        .for_element(Locator::Css("#voice-record.recording"))
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
    c.find(Locator::Id("voice-record")).await.unwrap().click().await.unwrap();
    wait_text(c, "#voice-status", |t| t.contains("录音已附上")).await;
    c.find(Locator::Id("attach-submit")).await.unwrap().click().await.unwrap();
    wait_text(c, "#lz-pending", |t| t.contains("5 条待同步")).await;

    c.goto(&signal.url("/field/leads/new")).await.unwrap();
    c.find(Locator::Id("quick-name")).await.unwrap().send_keys("甬江智能传感有限公司").await.unwrap();
    c.find(Locator::Id("quick-industry")).await.unwrap().select_by_value("electronic_comms").await.unwrap();
    c.find(Locator::Id("quick-contact")).await.unwrap().send_keys("陈工").await.unwrap();
    c.find(Locator::Id("quick-phone")).await.unwrap().send_keys("13900001111").await.unwrap();
    c.find(Locator::Id("quick-save")).await.unwrap().click().await.unwrap();
    wait_url(c, |u| u.ends_with("/field")).await;
    wait_text(c, "#lz-pending", |t| t.contains("6 条待同步")).await;
    // The outbox lists them, oldest first; nothing has reached the server.
    c.goto(&signal.url("/field/outbox")).await.unwrap();
    let waiting = c.find_all(Locator::Css(".outbox-item[data-status='pending'] h2")).await.unwrap();
    let mut kinds = Vec::new();
    for w in &waiting {
        kinds.push(w.text().await.unwrap());
    }
    assert_eq!(kinds.len(), 6, "{kinds:?}");
    assert!(kinds[0].starts_with("签到") && kinds[0].contains("宁波离线走访电子"), "{kinds:?}");
    assert!(kinds[2].starts_with("照片或语音") && kinds[4].starts_with("照片或语音"), "{kinds:?}");
    assert!(kinds[5].contains("甬江智能传感"), "{kinds:?}");

    // A note on the company, typed on the phone while a colleague changes the same lead at the
    // office: the phone's save meets the newer version (409) when it syncs.
    c.goto(&signal.url(&format!("/field/visits/{}", visits[0]))).await.unwrap();
    c.find(Locator::Css(".field-notes summary")).await.unwrap().click().await.unwrap();
    let phone_notes = "现场补充：总装基地需 60 亩标准地，年内决策";
    let notes = c.find(Locator::Id("field-notes")).await.unwrap();
    notes.clear().await.unwrap();
    notes.send_keys(phone_notes).await.unwrap();
    c.find(Locator::Id("field-notes-submit")).await.unwrap().click().await.unwrap();
    wait_text(c, "#lz-pending", |t| t.contains("7 条待同步")).await;
    let (_, lead0) = app.call(&mgr, "leads/get", &[("id", &leads[0])]).await;
    let version = lead0["version"].to_string();
    let desk = [("lead_id", leads[0].as_str()), ("version", version.as_str()), ("notes", "科长：对方要求先看 30 亩")];
    assert_eq!(app.call(&mgr, "field/lead-notes", &desk).await.0, 200);
    assert_eq!(status_of(&app, &fang, &visits[0]).await["visit"]["status"], "planned");

    // The signal comes back weak: the first item gets through, its answer does not.
    signal.set(Net::LoseAnswers);
    c.goto(&signal.url("/field")).await.unwrap();
    let deadline = Instant::now() + std::time::Duration::from_secs(20);
    while status_of(&app, &fang, &visits[0]).await["checkin"].is_null() {
        assert!(Instant::now() < deadline, "the first item never reached the server");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }

    // The signal is back: the queue goes, in order, each item once (the first is replayed).
    signal.set(Net::Online);
    let deadline = Instant::now() + std::time::Duration::from_secs(30);
    loop {
        c.goto(&signal.url("/field")).await.unwrap();
        if pending(c).await == "0" {
            break;
        }
        assert!(Instant::now() < deadline, "the queue did not empty: {} left", pending(c).await);
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    wait_text(c, "#lz-last-sync", |t| t.starts_with("上次同步")).await;

    // The hurried report was refused: the outbox says why and keeps what was typed to correct.
    c.goto(&signal.url("/field/outbox")).await.unwrap();
    wait_text(c, ".outbox-item[data-status='failed'] .outbox-reasons", |t| t.contains("必填")).await;
    let next_step =
        c.find(Locator::Css(".outbox-item[data-status='failed'] input[name='form[next_step]']")).await.unwrap();
    next_step.send_keys("月底电话回访").await.unwrap();
    c.find(Locator::Css(".outbox-item[data-status='failed'] button.primary")).await.unwrap().click().await.unwrap();
    // The note met the colleague's change: the outbox shows it, keeps the phone's text, and a
    // resend (having seen it) keeps the phone's.
    let reasons =
        wait_text(c, ".outbox-item[data-status='failed'] .outbox-reasons", |t| t.contains("科长：对方要求先看 30 亩"))
            .await;
    assert!(reasons.contains("kezhang") || reasons.contains("备注"), "{reasons}");
    let kept = c.find(Locator::Css(".outbox-item[data-status='failed'] textarea[name='notes']")).await.unwrap();
    assert_eq!(kept.prop("value").await.unwrap().as_deref(), Some(phone_notes));
    c.find(Locator::Css(".outbox-item[data-status='failed'] button.primary")).await.unwrap().click().await.unwrap();
    wait_text(c, "#lz-outbox-empty", |t| !t.is_empty()).await;
    let (_, lead0) = app.call(&mgr, "leads/get", &[("id", &leads[0])]).await;
    assert_eq!(lead0["notes"], phone_notes);

    let v1 = status_of(&app, &fang, &visits[0]).await;
    assert_eq!(v1["visit"]["status"], "done", "{v1}");
    assert_eq!(v1["visit"]["intention"], "strong");
    assert_eq!(v1["checkin"]["flag"], "", "a check-in in 宁波 for a 宁波 visit: {v1}");
    assert!(v1["checkin"]["position"].is_array(), "{v1}");
    let v2 = status_of(&app, &fang, &visits[1]).await;
    assert_eq!(
        (v2["visit"]["status"].as_str(), v2["visit"]["learned"].as_str()),
        (Some("done"), Some("暂无外迁计划，保持联系"))
    );
    let voice = v2["attachments"].as_array().unwrap();
    assert_eq!(
        (voice.len(), voice[0]["kind"].as_str(), voice[0]["mime"].as_str()),
        (1, Some("voice"), Some("audio/webm")),
        "recorded in the page: {v2}"
    );
    let photos = v1["attachments"].as_array().unwrap();
    assert_eq!(photos.len(), 1, "{v1}");
    assert_eq!(photos[0]["mime"], "image/jpeg", "shrunk and re-encoded on the phone: {v1}");
    assert!(photos[0]["size_bytes"].as_i64().unwrap() <= 500 * 1024, "{v1}");
    for lead in &leads {
        assert_eq!(activities(&app, &fang, lead).await, 1, "one report, one activity on lead {lead}");
    }
    let (_, found) = app.call(&fang, "leads/list", &[("filter[q]", "甬江智能传感")]).await;
    assert_eq!(found["total"], 1, "{found}");

    // Online again, the visit page is the server's and shows the check-in.
    c.goto(&signal.url(&format!("/field/visits/{}", visits[0]))).await.unwrap();
    wait_text(c, "#field-checkin-done", |t| t.contains("已签到")).await;
    assert!(c.find(Locator::Css("#field-attachments img")).await.is_ok(), "the photo is on the visit");
    assert!(c.find(Locator::Id("lz-offline")).await.is_err(), "online pages do not say offline");
    b.finish().await;
}
