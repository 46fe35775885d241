//! Calendar updates that phones and Outlook apply: every `.ics` a trip mail carries is parsed
//! with a real parser; its `METHOD` matches its MIME type, `UID`s are stable, `SEQUENCE` grows
//! with every change, a visit taken off and a cancelled trip go out as cancellations of every
//! event they had, and the subscription feed leaves cancelled events out.

use super::teams::{new_lead, save_team};
use super::trips::{add_visit, day, new_trip};
use app::domain::role::Role;
use lianzhao_tests::smtp::{smtp_settings, Received, SmtpSink};
use lianzhao_tests::TestApp;
use mail_parser::MimeHeaders;

/// One attached calendar: (file name, the MIME type's method, METHOD, events as (UID,
/// SEQUENCE, STATUS)).
#[derive(Debug)]
struct Ics {
    name: String,
    mime_method: String,
    method: String,
    events: Vec<(String, u32, String)>,
}

fn parse_ics(text: &str) -> (String, Vec<(String, u32, String)>) {
    let unfolded = icalendar::parser::unfold(text);
    let cal = icalendar::parser::read_calendar(&unfolded).expect("valid iCalendar");
    let method = cal.properties.iter().find(|p| p.name == "METHOD").map(|p| p.val.to_string()).unwrap_or_default();
    let events = cal
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .map(|c| {
            let prop = |n: &str| c.find_prop(n).map(|p| p.val.to_string()).unwrap_or_default();
            assert!(prop("ORGANIZER").starts_with("mailto:"), "an organiser: {text}");
            (prop("UID"), prop("SEQUENCE").parse().expect("a SEQUENCE"), prop("STATUS"))
        })
        .collect();
    (method, events)
}

fn calendars(mail: &Received) -> Vec<Ics> {
    let m = mail.parsed();
    m.attachments()
        .filter(|a| a.content_type().is_some_and(|c| c.c_type == "text" && c.subtype() == Some("calendar")))
        .map(|a| {
            let mime_method = a.content_type().and_then(|c| c.attribute("method")).unwrap_or_default().to_string();
            let (method, events) = parse_ics(&String::from_utf8_lossy(a.contents()));
            Ics { name: a.attachment_name().unwrap_or_default().to_string(), mime_method, method, events }
        })
        .collect()
}

#[tokio::test]
async fn trip_calendars_update_and_cancel_as_phones_and_outlook_expect() {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_with(smtp_settings(sink.port)).await;
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    let (staff, wang) = app.login_as("wang", Role::Staff).await;
    let (status, _) = save_team(&app, &manager, None, "深圳专班", "深圳", None, &[wang]).await;
    assert_eq!(status, 200);
    let l1 = new_lead(&app, &manager, "日历甲电子有限公司", "440305", 41).await;
    let l2 = new_lead(&app, &manager, "日历乙电子有限公司", "440305", 42).await;
    let d = day(3);
    let trip = new_trip(&app, &manager, "深圳日历测试", &[wang], &d, &d).await;
    let (_, v1) = add_visit(&app, &manager, &trip, &l1, &d, "09:00", "10:00", &[]).await;
    let (_, v2) = add_visit(&app, &manager, &trip, &l2, &d, "14:00", "15:00", &[]).await;
    let (v1, v2) = (format!("visit-{v1}@lianzhao"), format!("visit-{v2}@lianzhao"));
    let t = format!("trip-{trip}@lianzhao");
    assert_eq!(app.call(&manager, "trips/publish", &[("id", &trip)]).await.0, 200);

    // Published: one PUBLISH file with the trip and both visits.
    let got = sink.wait_for(1).await;
    let first = calendars(&got[0]);
    assert_eq!(first.len(), 1, "{first:?}");
    assert_eq!((first[0].mime_method.as_str(), first[0].method.as_str()), ("PUBLISH", "PUBLISH"));
    let uids: Vec<&str> = first[0].events.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(uids, vec![t.as_str(), v1.as_str(), v2.as_str()]);
    assert!(first[0].events.iter().all(|e| e.2 == "CONFIRMED"));
    let seq1 = first[0].events[0].1;

    // A visit taken off (未成行): the plan without it, and its cancellation, at a higher SEQUENCE.
    let v2_id = v2.trim_start_matches("visit-").trim_end_matches("@lianzhao").to_string();
    let (status, body) = app.call(&staff, "visits/missed", &[("visit_id", &v2_id), ("reason", "对方临时出差")]).await;
    assert_eq!(status, 200, "{body}");
    let got = sink.wait_for(2).await;
    let second = calendars(&got[1]);
    assert_eq!(second.len(), 2, "{second:?}");
    let plan = second.iter().find(|c| c.method == "PUBLISH").expect("the plan");
    let off = second.iter().find(|c| c.method == "CANCEL").expect("the cancellation");
    assert_eq!(plan.name, first[0].name, "the same file name as before");
    assert_eq!(off.mime_method, "CANCEL");
    assert_eq!(plan.events.iter().map(|e| e.0.as_str()).collect::<Vec<_>>(), vec![t.as_str(), v1.as_str()]);
    assert_eq!(
        off.events.iter().map(|e| (e.0.as_str(), e.2.as_str())).collect::<Vec<_>>(),
        vec![(v2.as_str(), "CANCELLED")]
    );
    let seq2 = plan.events[0].1;
    assert!(seq2 > seq1, "SEQUENCE grows: {seq1} → {seq2}");
    assert!(off.events[0].1 >= seq2);

    // The feed shows what stands and leaves out what was taken off.
    let (_, url) = app.call(&staff, "me/feed/new", &[]).await;
    let path = url.as_str().unwrap().split_once("/ical/").map(|(_, t)| format!("/ical/{t}")).unwrap();
    let feed = |path: String| {
        let app = &app;
        async move {
            let res = app.client().get(app.url(&path)).send().await.unwrap();
            assert_eq!(res.status(), 200);
            parse_ics(&res.text().await.unwrap())
        }
    };
    let (method, events) = feed(path.clone()).await;
    assert_eq!(method, "PUBLISH");
    let mut uids: Vec<&str> = events.iter().map(|e| e.0.as_str()).collect();
    uids.sort();
    assert_eq!(uids, vec![t.as_str(), v1.as_str()]);
    assert!(events.iter().all(|e| e.1 == seq2));

    // The trip cancelled: a CANCEL of every event it had.
    assert_eq!(app.call(&manager, "trips/cancel", &[("id", &trip)]).await.0, 200);
    let got = sink.wait_for(3).await;
    let third = calendars(&got[2]);
    assert_eq!(third.len(), 1, "{third:?}");
    assert_eq!((third[0].mime_method.as_str(), third[0].method.as_str()), ("CANCEL", "CANCEL"));
    let mut cancelled: Vec<&str> = third[0].events.iter().map(|e| e.0.as_str()).collect();
    cancelled.sort();
    let mut all = vec![t.as_str(), v1.as_str(), v2.as_str()];
    all.sort();
    assert_eq!(cancelled, all);
    assert!(third[0].events.iter().all(|e| e.2 == "CANCELLED" && e.1 > seq2), "{third:?}");
    let (_, events) = feed(path).await;
    assert!(events.is_empty(), "a cancelled trip leaves the feed: {events:?}");
}
