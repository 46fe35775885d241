//! 外出招商 on a phone: each queued item applied exactly once by its idempotency key, the check-in's
//! time and city check, the offline package limited to what the reader may read, and the files
//! an installed app needs (manifest, service worker) served to a phone that is not signed in yet.

use super::teams::new_lead;
use super::trips::{add_visit, day, new_trip};
use app::domain::role::Role;
use lianzhao_tests::TestApp;
use serde_json::Value;

/// A trip to 深圳 today and tomorrow with `member`, and a visit today at 09:00 to a lead of
/// 南山区 owned by `owner` (at `7 + seed` o'clock): (trip, lead, visit).
pub async fn trip_with_visit(
    app: &TestApp,
    manager: &reqwest::Client,
    owner: &reqwest::Client,
    member: i64,
    company: &str,
    seed: u32,
) -> (String, String, String) {
    let lead = new_lead(app, owner, company, "440305", seed).await;
    let trip = new_trip(app, manager, &format!("{company}回访"), &[member], &day(0), &day(1)).await;
    // One hour per seed, so one person's visits do not clash.
    let (start, end) = (format!("{:02}:00", 7 + seed), format!("{:02}:00", 8 + seed));
    let (status, visit) = add_visit(app, manager, &trip, &lead, &day(0), &start, &end, &[]).await;
    assert_eq!(status, 200, "{visit}");
    (trip, lead, visit.as_i64().expect("visit id").to_string())
}

/// How many 跟进记录 lead `lead`'s timeline holds.
async fn activities(app: &TestApp, client: &reqwest::Client, lead: &str) -> usize {
    let (status, p) = app.call(client, "pipeline/get", &[("lead_id", lead)]).await;
    assert_eq!(status, 200, "{p}");
    p["timeline"].as_array().unwrap().iter().filter(|e| e["item"].get("Activity").is_some()).count()
}

async fn check_in(app: &TestApp, client: &reqwest::Client, f: [(&'static str, String); 6]) -> (u16, Value) {
    let fields: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.call(client, "field/checkin", &fields).await
}

pub async fn visit_of(app: &TestApp, client: &reqwest::Client, visit: &str) -> Value {
    let (status, body) = app.call(client, "field/visit", &[("id", visit)]).await;
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test]
async fn a_report_sent_again_with_its_key_is_applied_once() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    let (staff, a) = app.login_as("a", Role::Staff).await;
    let (other, _) = app.login_as("b", Role::Staff).await;
    let (_, lead, visit) = trip_with_visit(&app, &manager, &staff, a, "深南电子有限公司", 1).await;
    let report = [
        ("visit_id", visit.as_str()),
        ("form[learned]", "扩产计划明确，需 50 亩标准地"),
        ("form[intention]", "strong"),
        ("form[next_step]", "寄送园区政策"),
        ("form[next_due]", &day(7)),
        ("idem", "5b1f0c1e-7d0a-4c55-9a57-3f1e2d6b9a10"),
    ];
    // The answer was lost on a weak signal: the phone sends the same item three times.
    for _ in 0..3 {
        let (status, body) = app.call(&staff, "field/report", &report).await;
        assert_eq!(status, 200, "{body}");
    }
    assert_eq!(activities(&app, &staff, &lead).await, 1);
    let v = visit_of(&app, &staff, &visit).await;
    assert_eq!(v["visit"]["status"], "done");
    assert_eq!(v["can_report"], false);

    // A new item for a visit already reported is refused, with its reason (the queue shows it).
    let mut again = report.to_vec();
    again[5] = ("idem", "another-key");
    let (status, body) = app.call(&staff, "field/report", &again).await;
    assert_eq!((status, body["Conflict"].as_str()), (409, Some("err.visit.already_reported")), "{body}");
    let (status, lines) = app.call(&staff, "field/explain", &[("error", &body.to_string())]).await;
    assert_eq!(status, 200);
    assert!(lines.to_string().contains("该走访已填报"), "{lines}");

    // Someone else's key is not theirs to replay; a malformed key is refused at `idem`.
    let (status, body) = app.call(&other, "field/report", &report).await;
    assert_eq!((status, body["Conflict"].as_str()), (409, Some("err.sync.foreign_key")), "{body}");
    let mut bad = report.to_vec();
    bad[5] = ("idem", "not a key");
    let (status, body) = app.call(&staff, "field/report", &bad).await;
    assert_eq!((status, body["Invalid"][0]["field"].as_str()), (422, Some("idem")), "{body}");
}

#[tokio::test]
async fn a_lead_met_on_the_road_and_an_activity_are_created_once() {
    let app = TestApp::spawn().await;
    let (staff, _) = app.login_as("a", Role::Staff).await;
    let fields = [
        ("form[company_name]", "南山光电科技有限公司"),
        ("form[region_code]", "440300"),
        ("form[industry]", "electronic_comms"),
        ("form[contact_name]", "王经理"),
        ("form[contact_phone]", "13800138000"),
        ("form[notes]", "展会上认识，有扩产意向"),
        ("idem", "lead-key-1"),
    ];
    let (status, first) = app.call(&staff, "field/lead", &fields).await;
    assert_eq!(status, 200, "{first}");
    let (status, second) = app.call(&staff, "field/lead", &fields).await;
    assert_eq!((status, &second), (200, &first), "the replay answers with the same lead");
    let (_, list) = app.call(&staff, "leads/list", &[("filter[q]", "南山光电")]).await;
    assert_eq!(list["total"], 1, "{list}");
    let lead = first.as_i64().expect("id").to_string();
    let (_, l) = app.call(&staff, "leads/get", &[("id", &lead)]).await;
    assert_eq!(l["contacts"][0]["phone"], "13800138000");
    assert_eq!(l["region"]["code"], "440300");

    // Bad input is reported at the quick form's own fields, and nothing is saved.
    let (status, body) = app
        .call(
            &staff,
            "field/lead",
            &[("form[company_name]", ""), ("form[contact_phone]", "电话"), ("idem", "lead-key-2")],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let refused: Vec<&str> = body["Invalid"].as_array().unwrap().iter().filter_map(|e| e["field"].as_str()).collect();
    for f in ["company_name", "industry", "contact_name", "contact_phone"] {
        assert!(refused.contains(&f), "{f} in {refused:?}");
    }

    let act =
        [("lead_id", lead.as_str()), ("form[kind]", "visit_out"), ("form[summary]", "车间参观"), ("idem", "act-key-1")];
    let (status, a1) = app.call(&staff, "field/activity", &act).await;
    assert_eq!(status, 200, "{a1}");
    let (_, a2) = app.call(&staff, "field/activity", &act).await;
    assert_eq!(a1, a2);
    assert_eq!(activities(&app, &staff, &lead).await, 1);
}

#[tokio::test]
async fn a_check_in_records_both_clocks_and_flags_another_city() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    let (staff, a) = app.login_as("a", Role::Staff).await;
    let (_, _, here) = trip_with_visit(&app, &manager, &staff, a, "深南电子有限公司", 1).await;
    let (_, _, away) = trip_with_visit(&app, &manager, &staff, a, "前海通信有限公司", 2).await;
    let (_, _, blind) = trip_with_visit(&app, &manager, &staff, a, "蛇口物流有限公司", 3).await;

    // 深圳湾科技生态园 (南山): in the trip's and the company's city.
    let at = |visit: &str, lat: &str, lng: &str, key: &str| {
        [
            ("visit_id", visit.to_string()),
            ("form[phone_time]", chrono::Utc::now().to_rfc3339()),
            ("form[lat]", lat.into()),
            ("form[lng]", lng.into()),
            ("form[accuracy]", "25".into()),
            ("idem", key.into()),
        ]
    };
    let (status, body) = check_in(&app, &staff, at(&here, "22.5290", "113.9520", "ci-1")).await;
    assert_eq!(status, 200, "{body}");
    let v = visit_of(&app, &staff, &here).await;
    assert_eq!(v["checkin"]["flag"], "", "{v}");
    assert!(v["checkin"]["place"].as_str().unwrap_or("").contains("深圳"), "{v}");
    assert_eq!(v["checkin"]["by"], "a 测试");

    // 苏州工业园区 is not 深圳: recorded and flagged, not refused.
    let (status, body) = check_in(&app, &staff, at(&away, "31.3170", "120.7170", "ci-2")).await;
    assert_eq!(status, 200, "{body}");
    let v = visit_of(&app, &staff, &away).await;
    assert_eq!(v["checkin"]["flag"], "elsewhere", "{v}");
    assert!(v["checkin"]["place"].as_str().unwrap_or("").contains("苏州"), "{v}");
    let (_, week) = app.call(&staff, "field/week", &[]).await;
    assert!(week.to_string().contains("\"checkin_flag\":\"elsewhere\""), "{week}");

    // Bad values are refused at their field; a check-in without consent is time only.
    let mut bad = at(&blind, "31.3", "", "ci-3");
    bad[1].1 = "2099-01-01T10:00".into();
    let (status, body) = check_in(&app, &staff, bad).await;
    assert_eq!(status, 422, "{body}");
    let fields: Vec<&str> = body["Invalid"].as_array().unwrap().iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, ["phone_time", "lng"], "{body}");
    let (status, body) = app.call(&staff, "field/checkin", &[("visit_id", &blind), ("idem", "ci-4")]).await;
    assert_eq!(status, 200, "{body}");
    let v = visit_of(&app, &staff, &blind).await;
    assert_eq!((v["checkin"]["position"].clone(), v["checkin"]["flag"].clone()), (Value::Null, Value::from("")));

    // A check-in on another day than the visit's (planned tomorrow, made today) is recorded and
    // flagged too, beside a place's flag.
    let (trip, _, _) = trip_with_visit(&app, &manager, &staff, a, "南山软件有限公司", 4).await;
    let later = new_lead(&app, &staff, "南山软件二期有限公司", "440305", 5).await;
    let (status, later) = add_visit(&app, &manager, &trip, &later, &day(1), "15:00", "16:00", &[]).await;
    assert_eq!(status, 200, "{later}");
    let later = later.as_i64().unwrap().to_string();
    let (status, body) = check_in(&app, &staff, at(&later, "31.3170", "120.7170", "ci-5")).await;
    assert_eq!(status, 200, "{body}");
    let v = visit_of(&app, &staff, &later).await;
    assert_eq!(v["checkin"]["flag"], "elsewhere other_day", "{v}");
    let (_, page) = app.page(&staff, &format!("/field/visits/{later}")).await;
    assert!(page.contains("签到位置不在走访城市；签到日期不是走访当天"), "{page}");
}

#[tokio::test]
async fn the_offline_package_holds_only_what_the_reader_may_read() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    let (staff, a) = app.login_as("a", Role::Staff).await;
    let (owner, _) = app.login_as("b", Role::Staff).await;
    let (outsider, _) = app.login_as("x", Role::Staff).await;
    // a visits a lead of their own and one owned by b, which a may not read.
    let (trip, _, mine) = trip_with_visit(&app, &manager, &staff, a, "深南电子有限公司", 1).await;
    let theirs_lead = new_lead(&app, &owner, "前海通信有限公司", "440305", 2).await;
    let (status, theirs) = add_visit(&app, &manager, &trip, &theirs_lead, &day(1), "14:00", "15:00", &[]).await;
    assert_eq!(status, 200, "{theirs}");
    let theirs = theirs.to_string();
    let (status, body) = app
        .call(
            &owner,
            "pipeline/log",
            &[("lead_id", &theirs_lead), ("form[kind]", "call"), ("form[summary]", "保密的报价")],
        )
        .await;
    assert_eq!(status, 200, "{body}");

    let (_, week) = app.call(&staff, "field/week", &[]).await;
    let visits: Vec<i64> =
        week["trips"][0]["visits"].as_array().unwrap().iter().filter_map(|v| v["id"].as_i64()).collect();
    assert_eq!(visits.len(), 2, "{week}");
    let v = visit_of(&app, &staff, &mine).await;
    assert_eq!(v["lead"]["company_name"], "深南电子有限公司");
    assert_eq!(v["can_report"], true);
    let v = visit_of(&app, &staff, &theirs).await;
    assert_eq!(v["lead"], Value::Null, "{v}");
    assert!(!v.to_string().contains("保密的报价"));

    // Someone not on the trip gets nothing of it.
    let (_, week) = app.call(&outsider, "field/week", &[]).await;
    assert_eq!(week["trips"], Value::Array(vec![]), "{week}");
    assert_eq!(app.call(&outsider, "field/visit", &[("id", &mine)]).await.0, 404);

    // The pages render with the slot the service worker fills and the list it takes along.
    let (status, html) = app.page(&staff, "/field").await;
    assert_eq!(status, 200);
    // The slot as sw.js finds it: `<div id="lz-outbox" …data-user="N"…></div>`, empty.
    let slot = html
        .split(r#"<div id="lz-outbox""#)
        .nth(1)
        .and_then(|rest| rest.split_once('>'))
        .map(|(attrs, after)| (attrs.to_string(), after.starts_with("</div>")));
    assert_eq!(slot, Some((format!(r#" data-user="{a}" class="outbox-slot""#), true)), "{html}");
    assert!(html.contains(&format!(r#"data-visits="{},{}""#, visits[0], visits[1])), "{html}");
    let (status, html) = app.page(&staff, &format!("/field/visits/{mine}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("深南电子有限公司") && html.contains("field-checkin-submit"), "{html}");
}

#[tokio::test]
async fn an_installable_app_gets_its_manifest_and_worker_before_sign_in() {
    // A site holding the repository's public/ files, as scripts/build-site.sh copies them.
    let site = tempfile::tempdir().unwrap();
    let public = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../public");
    for entry in walk(&public) {
        let to = site.path().join(entry.strip_prefix(&public).unwrap());
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&entry, &to).unwrap();
    }
    let app = TestApp::spawn_on_site(TestApp::test_settings(), Some(site.path().display().to_string())).await;
    let anon = app.client();
    for (path, kind) in [
        ("/manifest.webmanifest", "manifest"),
        ("/sw.js", "javascript"),
        ("/sw-register.js", "javascript"),
        ("/icons/icon-192.png", "image/png"),
    ] {
        let res = anon.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        let ct = res.headers()["content-type"].to_str().unwrap().to_string();
        assert!(ct.contains(kind), "{path}: {ct}");
    }
    let sw = anon.get(app.url("/sw.js")).send().await.unwrap();
    assert_eq!(sw.headers()["cache-control"], "no-cache");
    let js = sw.text().await.unwrap();
    let head: Value =
        serde_json::from_str(js.lines().next().unwrap().trim_start_matches("const LZ = ").trim_end_matches(';'))
            .unwrap();
    assert!(head["version"].as_str().is_some_and(|v| !v.is_empty()));
    assert!(head["assets"].as_array().unwrap().iter().any(|a| a.as_str().unwrap().ends_with(".css")), "{head}");
    assert_eq!(head["text"]["zh-CN"]["sw.pending"], "{n} 条待同步");
    assert_eq!(head["text"]["en"]["sw.pending"], "{n} waiting to sync");
    // Position (and camera, microphone for photos and voice notes) on our own origin only.
    let page = anon.get(app.url("/login")).send().await.unwrap();
    assert!(page.headers()["permissions-policy"].to_str().unwrap().contains("geolocation=(self)"));
    // The worker asks who is signed in before it sends anyone's queue.
    assert_eq!(app.call(&anon, "field/me", &[]).await.0, 401);
    // Without the worker, "take the week" is just the week's page.
    let (staff, a) = app.login_as("a", Role::Staff).await;
    assert_eq!(app.call(&staff, "field/me", &[]).await, (200, Value::from(a)));
    let res = staff.post(app.url("/field/take")).send().await.unwrap();
    assert_eq!((res.status().as_u16(), res.headers()["location"].to_str().unwrap()), (303, "/field"));
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .flat_map(|e| {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p)
            } else {
                vec![p]
            }
        })
        .collect()
}

#[tokio::test]
async fn a_note_from_the_phone_on_a_lead_changed_meanwhile_gets_409_with_the_changes() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    let (staff, a) = app.login_as("a", Role::Staff).await;
    let (_, lead, _) = trip_with_visit(&app, &manager, &staff, a, "深南电子有限公司", 1).await;
    let (_, l) = app.call(&staff, "leads/get", &[("id", &lead)]).await;
    let seen = l["version"].to_string();
    // The office changes the lead first.
    let desk = [("lead_id", lead.as_str()), ("version", seen.as_str()), ("notes", "科长：先谈租赁厂房")];
    assert_eq!(app.call(&manager, "field/lead-notes", &desk).await.0, 200);
    // The phone's note, made on the version it had, meets the change: 409, nothing saved.
    let phone =
        [("lead_id", lead.as_str()), ("version", seen.as_str()), ("notes", "现场：需 60 亩"), ("idem", "notes-1")];
    let (status, body) = app.call(&staff, "field/lead-notes", &phone).await;
    assert_eq!(status, 409, "{body}");
    let (_, lines) = app.call(&staff, "field/explain", &[("error", &body.to_string())]).await;
    let lines = lines.to_string();
    assert!(lines.contains("备注") && lines.contains("科长：先谈租赁厂房") && lines.contains("mgr 测试"), "{lines}");
    let (_, l) = app.call(&staff, "leads/get", &[("id", &lead)]).await;
    assert_eq!(l["notes"], "科长：先谈租赁厂房");
    // Having seen it, the user sends their text again without the old version: it is saved.
    let again = [("lead_id", lead.as_str()), ("notes", "现场：需 60 亩"), ("idem", "notes-2")];
    assert_eq!(app.call(&staff, "field/lead-notes", &again).await.0, 200);
    let (_, l) = app.call(&staff, "leads/get", &[("id", &lead)]).await;
    assert_eq!(l["notes"], "现场：需 60 亩");
}
