//! 外出招商 and 走访: planning, clashes (refused in the database transaction, also under
//! concurrency), reports, the closing rule, and the private iCal feed.

use super::teams::new_lead;
use app::domain::role::Role;
use lianzhao_tests::TestApp;
use serde_json::Value;

pub fn day(offset: i64) -> String {
    (chrono::Utc::now().with_timezone(&chrono_tz::Asia::Shanghai).date_naive() + chrono::Duration::days(offset))
        .to_string()
}

pub async fn new_trip(
    app: &TestApp,
    client: &reqwest::Client,
    purpose: &str,
    members: &[i64],
    from: &str,
    to: &str,
) -> String {
    let keys: Vec<(String, String)> = members.iter().map(|m| (format!("form[members][{m}]"), m.to_string())).collect();
    let mut fields: Vec<(&str, &str)> = vec![
        ("form[kind]", "outbound"),
        ("form[purpose]", purpose),
        ("form[destination]", "深圳"),
        ("form[start_on]", from),
        ("form[end_on]", to),
    ];
    fields.extend(keys.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let (status, body) = app.call(client, "trips/create", &fields).await;
    assert_eq!(status, 200, "{body}");
    body.as_i64().expect("trip id").to_string()
}

#[allow(clippy::too_many_arguments)]
pub async fn add_visit(
    app: &TestApp,
    client: &reqwest::Client,
    trip: &str,
    lead: &str,
    date: &str,
    start: &str,
    end: &str,
    attendees: &[i64],
) -> (u16, Value) {
    let keys: Vec<(String, String)> =
        attendees.iter().map(|m| (format!("form[attendees][{m}]"), m.to_string())).collect();
    let mut fields: Vec<(&str, &str)> = vec![
        ("trip_id", trip),
        ("form[lead]", lead),
        ("form[date]", date),
        ("form[start]", start),
        ("form[end]", end),
        ("form[place]", "南山区科技园"),
        ("form[contact]", "李总 13800000000"),
    ];
    fields.extend(keys.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    app.call(client, "visits/add", &fields).await
}

#[tokio::test]
async fn double_bookings_are_refused_even_when_racing() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    let (_, a) = app.login_as("a", Role::Staff).await;
    let (b_client, b) = app.login_as("b", Role::Staff).await;
    let l1 = new_lead(&app, &manager, "深南电子有限公司", "440305", 1).await;
    let l2 = new_lead(&app, &manager, "前海通信有限公司", "440305", 2).await;
    let d = day(3);
    let t1 = new_trip(&app, &manager, "深圳电子信息产业链招商", &[a, b], &d, &day(4)).await;
    let t2 = new_trip(&app, &manager, "深圳第二批", &[a], &d, &d).await;

    // Both trips go out of town the same day: allowed (a tour moves on), but the trip's page says
    // who is on another trip then, naming it to whoever may open it.
    let (_, page) = app.page(&manager, &format!("/trips/{t1}")).await;
    let said = format!("a 测试 在 {d} 至 {d} 也在行程「深圳第二批」中，日期重叠");
    assert!(page.contains(&said) && page.contains(&format!("href=\"/trips/{t2}\"")), "{page}");
    let (_, page) = app.page(&b_client, &format!("/trips/{t1}")).await;
    assert!(page.contains(&format!("a 测试 在 {d} 至 {d} 另有行程，日期重叠")), "b may not open 深圳第二批: {page}");
    assert!(!page.contains("深圳第二批"), "{page}");
    let (_, page) = app.page(&manager, &format!("/trips/{t2}")).await;
    assert!(page.contains("也在行程「深圳电子信息产业链招商」中") && !page.contains("b 测试 在"), "{page}");
    // On three at once: each of the others is said; a cancelled one no longer.
    let t5 = new_trip(&app, &manager, "深圳第三批", &[a], &day(4), &day(4)).await;
    let (_, page) = app.page(&manager, &format!("/trips/{t1}")).await;
    assert!(page.contains("也在行程「深圳第二批」中") && page.contains("也在行程「深圳第三批」中"), "{page}");
    assert_eq!(app.call(&manager, "trips/cancel", &[("id", &t5)]).await.0, 200);
    assert!(!app.page(&manager, &format!("/trips/{t1}")).await.1.contains("深圳第三批"));

    // A member works on the trip but neither sends out nor calls off one someone else planned
    // (the page says who publishes it); its planner does.
    let (_, page) = app.page(&b_client, &format!("/trips/{t1}")).await;
    assert!(page.contains(r#"id="trip-edit""#) && !page.contains(r#"id="trip-cancel""#), "{page}");
    assert!(!page.contains(r#"id="trip-publish""#) && page.contains(r#"id="trip-publish-by""#), "{page}");
    assert_eq!(app.call(&b_client, "trips/cancel", &[("id", &t1)]).await.0, 403);
    assert_eq!(app.call(&b_client, "trips/publish", &[("id", &t1)]).await.0, 403);
    let (_, page) = app.page(&manager, &format!("/trips/{t1}")).await;
    assert!(page.contains(r#"id="trip-publish""#) && !page.contains(r#"id="trip-publish-by""#), "{page}");
    let own = new_trip(&app, &b_client, "b 自己安排的行程", &[b], &day(20), &day(20)).await;
    let page = app.page(&b_client, &format!("/trips/{own}")).await.1;
    assert!(page.contains(r#"id="trip-cancel""#) && page.contains(r#"id="trip-publish""#), "{page}");
    assert_eq!(app.call(&b_client, "trips/cancel", &[("id", &own)]).await.0, 200);

    let (status, body) = add_visit(&app, &manager, &t1, &l1, &d, "09:00", "11:00", &[]).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = add_visit(&app, &manager, &t2, &format!("#{l2}"), &d, "10:00", "12:00", &[a]).await;
    assert_eq!(status, 422, "{body}");
    let e = &body["Invalid"][0];
    assert_eq!(e["field"], "attendees");
    assert_eq!(e["key"], "err.visit.clash_on_trip", "the other visit is on another trip: named");
    let args = e["args"].to_string();
    assert!(args.contains("a 测试") && args.contains("深南电子有限公司") && args.contains("09:00–11:00"), "{args}");
    assert!(args.contains("深圳电子信息产业链招商"), "{args}");
    // On the same trip, its name would say nothing.
    let (status, body) = add_visit(&app, &manager, &t1, &format!("#{l2}"), &d, "10:00", "10:30", &[a]).await;
    assert_eq!((status, body["Invalid"][0]["key"].as_str()), (422, Some("err.visit.clash")), "{body}");
    let (status, body) = add_visit(&app, &manager, &t2, &l2, &d, "11:00", "12:00", &[a]).await;
    assert_eq!(status, 200, "touching slots do not clash: {body}");

    // A company named by part of its name, when only one the manager sees has it; several, or
    // none, are said at the field.
    let (status, body) = add_visit(&app, &manager, &t1, "前海通信", &day(4), "09:00", "10:00", &[b]).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = add_visit(&app, &manager, &t1, "有限公司", &day(4), "11:00", "12:00", &[b]).await;
    assert_eq!((status, body["Invalid"][0]["key"].as_str()), (422, Some("err.visit.lead_many")), "{body}");
    let names = body["Invalid"][0]["args"].to_string();
    assert!(names.contains("前海通信有限公司") && names.contains("深南电子有限公司"), "{names}");
    let (status, body) = add_visit(&app, &manager, &t1, "无此企业", &day(4), "11:00", "12:00", &[b]).await;
    assert_eq!((status, body["Invalid"][0]["key"].as_str()), (422, Some("err.visit.lead")), "{body}");

    // Bad slots are reported at their field.
    let (status, body) = add_visit(&app, &manager, &t2, &l2, &day(9), "14:00", "15:00", &[a]).await;
    assert_eq!((status, body["Invalid"][0]["field"].as_str()), (422, Some("date")));
    let (status, body) = add_visit(&app, &manager, &t2, &l2, &d, "15:00", "14:00", &[a]).await;
    assert_eq!((status, body["Invalid"][0]["field"].as_str()), (422, Some("end")));
    let (status, body) = add_visit(&app, &manager, &t1, &l2, &d, "15:00", "16:00", &[999]).await;
    assert_eq!((status, body["Invalid"][0]["field"].as_str()), (422, Some("attendees")));

    // Two bookings of b for the same hour at the same moment: exactly one wins.
    let t3 = new_trip(&app, &manager, "并发一", &[b], &d, &d).await;
    let t4 = new_trip(&app, &manager, "并发二", &[b], &d, &d).await;
    let other = app.client();
    assert_eq!(app.post_login(&other, "mgr", lianzhao_tests::PASSWORD).await.status(), 303);
    let only_b = [b];
    let (r1, r2) = tokio::join!(
        add_visit(&app, &manager, &t3, &l1, &d, "14:00", "15:00", &only_b),
        add_visit(&app, &other, &t4, &l2, &d, "14:30", "15:30", &only_b),
    );
    let mut statuses = [r1.0, r2.0];
    statuses.sort();
    assert_eq!(statuses, [200, 422], "{:?} {:?}", r1.1, r2.1);

    // Everyone booked elsewhere is named, each with their own booking (a at 11:00, b at 14:00).
    let (status, body) = add_visit(&app, &manager, &t1, &l1, &d, "11:00", "15:00", &[a, b]).await;
    assert_eq!(status, 422, "{body}");
    let said: Vec<String> = body["Invalid"].as_array().expect("errors").iter().map(|e| e["args"].to_string()).collect();
    assert_eq!(said.len(), 2, "{body}");
    assert!(
        said[0].contains("a 测试") && said[0].contains("11:00–12:00") && said[0].contains("深圳第二批"),
        "{said:?}"
    );
    assert!(said[1].contains("b 测试") && said[1].contains("14:"), "{said:?}");
}

#[tokio::test]
async fn a_trip_closes_once_every_visit_has_a_report_or_a_reason() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    let (staff, a) = app.login_as("a", Role::Staff).await;
    let (outsider, _) = app.login_as("x", Role::Staff).await;
    let l1 = new_lead(&app, &staff, "深南电子有限公司", "440305", 1).await;
    let l2 = new_lead(&app, &staff, "前海通信有限公司", "440305", 2).await;
    let d = day(-1);
    let trip = new_trip(&app, &manager, "深圳回访", &[a], &d, &d).await;
    let (_, v1) = add_visit(&app, &manager, &trip, &l1, &d, "09:00", "10:00", &[]).await;
    let (_, v2) = add_visit(&app, &manager, &trip, &l2, &d, "14:00", "15:00", &[]).await;
    let (v1, v2) = (v1.as_i64().unwrap().to_string(), v2.as_i64().unwrap().to_string());

    // The member sees the trip; someone not on it gets 404.
    assert_eq!(app.call(&staff, "trips/get", &[("id", &trip)]).await.0, 200);
    assert_eq!(app.call(&outsider, "trips/get", &[("id", &trip)]).await.0, 404);

    // A draft is published (or cancelled) before it ends, and its visits are deleted, not 未成行:
    // the API refuses what the page does not offer.
    let (status, body) = app.call(&staff, "trips/close", &[("id", &trip)]).await;
    assert_eq!((status, body["Conflict"].as_str()), (409, Some("err.trip.close_draft")), "{body}");
    let (status, body) = app.call(&staff, "visits/missed", &[("visit_id", &v2), ("reason", "对方临时出差")]).await;
    assert_eq!((status, body["Conflict"].as_str()), (409, Some("err.visit.missed_draft")), "{body}");
    assert_eq!(app.call(&manager, "trips/publish", &[("id", &trip)]).await.0, 200);

    let (status, body) = app.call(&staff, "trips/close", &[("id", &trip)]).await;
    assert_eq!(status, 422);
    assert_eq!(body["Invalid"][0]["field"], "close");

    let (status, body) =
        app.call(&staff, "visits/report", &[("visit_id", &v1), ("form[learned]", "扩产计划明确")]).await;
    assert_eq!((status, body["Invalid"][0]["field"].as_str()), (422, Some("intention")));
    let (status, body) = app
        .call(
            &staff,
            "visits/report",
            &[
                ("visit_id", &v1),
                ("form[learned]", "明年扩产，计划投资 3 亿元"),
                ("form[intention]", "strong"),
                ("form[next_step]", "寄送园区资料"),
                ("form[next_due]", &day(7)),
                ("form[move_to]", "contact"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, p) = app.call(&manager, "pipeline/get", &[("lead_id", &l1)]).await;
    assert_eq!(p["stage"], "contact");
    assert!(p.to_string().contains("明年扩产"), "the report is on the timeline: {p}");
    let (status, _) = app
        .call(&staff, "visits/report", &[("visit_id", &v1), ("form[learned]", "再报"), ("form[intention]", "weak")])
        .await;
    assert_eq!(status, 409, "a visit is reported once");

    assert_eq!(app.call(&staff, "visits/missed", &[("visit_id", &v2), ("reason", "")]).await.0, 422);
    assert_eq!(app.call(&staff, "visits/missed", &[("visit_id", &v2), ("reason", "对方临时出差")]).await.0, 200);
    let (status, body) = app.call(&staff, "trips/close", &[("id", &trip)]).await;
    assert_eq!(status, 200, "{body}");
    let (_, detail) = app.call(&staff, "trips/get", &[("id", &trip)]).await;
    assert_eq!(detail["trip"]["status"], "closed");
    assert_eq!(add_visit(&app, &manager, &trip, &l1, &d, "16:00", "17:00", &[]).await.0, 409, "closed trips are final");
    let (status, html) = app.page(&staff, &format!("/trips/{trip}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("对方临时出差") && html.contains("深圳回访"));
}

#[tokio::test]
async fn the_private_calendar_feed_parses_and_can_be_revoked() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    let (staff, a) = app.login_as("a", Role::Staff).await;
    let lead = new_lead(&app, &manager, "深南电子有限公司", "440305", 1).await;
    let d = day(2);
    let trip = new_trip(&app, &manager, "深圳招商", &[a], &d, &d).await;
    let (_, visit) = add_visit(&app, &manager, &trip, &lead, &d, "09:30", "11:00", &[]).await;
    assert_eq!(app.call(&manager, "trips/publish", &[("id", &trip)]).await.0, 200);

    let (status, url) = app.call(&staff, "me/feed/new", &[]).await;
    assert_eq!(status, 200);
    let url = url.as_str().unwrap().to_string();
    let path = url.split_once("/ical/").map(|(_, t)| format!("/ical/{t}")).unwrap();
    let anonymous = app.client();
    let res = anonymous.get(app.url(&path)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));
    let text = res.text().await.unwrap();
    let unfolded = icalendar::parser::unfold(&text);
    let cal = icalendar::parser::read_calendar(&unfolded).expect("valid iCalendar");
    let uids: Vec<String> = cal
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .filter_map(|c| c.find_prop("UID").map(|p| p.val.to_string()))
        .collect();
    assert!(uids.contains(&format!("visit-{}@lianzhao", visit.as_i64().unwrap())), "{uids:?}");
    assert!(uids.contains(&format!("trip-{trip}@lianzhao")), "{uids:?}");
    let start = cal
        .components
        .iter()
        .find(|c| c.find_prop("UID").is_some_and(|p| p.val.to_string().starts_with("visit-")))
        .and_then(|c| c.find_prop("DTSTART"))
        .map(|p| p.val.to_string())
        .unwrap();
    assert!(start.ends_with("T013000Z"), "09:30 in Shanghai is 01:30 UTC: {start}");

    // A new link retires the old one; revoking ends it.
    let (_, newer) = app.call(&staff, "me/feed/new", &[]).await;
    assert_eq!(anonymous.get(app.url(&path)).send().await.unwrap().status(), 404);
    let newer_path = newer.as_str().unwrap().split_once("/ical/").map(|(_, t)| format!("/ical/{t}")).unwrap();
    assert_eq!(anonymous.get(app.url(&newer_path)).send().await.unwrap().status(), 200);
    assert_eq!(app.call(&staff, "me/feed/revoke", &[]).await.0, 200);
    assert_eq!(anonymous.get(app.url(&newer_path)).send().await.unwrap().status(), 404);
    assert_eq!(anonymous.get(app.url("/ical/nonsense.ics")).send().await.unwrap().status(), 404);

    // The calendar and the home page show the visit.
    let (status, html) = app.page(&staff, &format!("/calendar?view=week&date={d}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("深南电子有限公司"), "calendar");
    // Each day names its weekday (a phone hides the head row) and a day with nothing says so.
    assert!(html.contains(r#"<span class="cal-weekday">周一"#), "{html}");
    assert!(html.contains(r#"<p class="cal-none">没有安排</p>"#), "{html}");
    let (_, html) = app.page(&staff, &format!("/calendar?view=month&date={d}&team=&user={a}")).await;
    assert!(html.contains("深南电子有限公司"), "month view for the person");
    let (_, home) = app.page(&staff, "/").await;
    assert!(home.contains("深南电子有限公司"), "home shows the coming week");
    assert!(home.contains(r#"<p class="greeting">您好，"#) && !home.contains("您好， "), "no space after the comma");
    assert!(!home.contains(r#"id="office-links""#), "the office's views are a manager's start");
    let (manager, _) = app.login_as("home-m", Role::Manager).await;
    let (_, home) = app.page(&manager, "/").await;
    assert!(home.contains(r#"id="office-links""#) && home.contains(r#"href="/dashboard""#), "{home}");
    // Owning no lead says so, instead of an empty table; the greeting comes first.
    assert!(home.contains(r#"id="my-leads-none""#) && !home.contains("<thead>"), "{home}");
    let (greeting, visits) = (home.find(r#"class="greeting""#), home.find(r#"id="my-visits""#));
    assert!(greeting.is_some() && greeting < visits, "greeting first: {greeting:?} {visits:?}");
}
