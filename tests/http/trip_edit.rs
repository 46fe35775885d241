//! Changing a trip and its planned visits: the visits' days and people bound the change, a
//! change made at an old version is refused, a draft's visit can be removed (a published one's
//! is marked 未成行 instead), and someone taken off a published trip is told, with the
//! cancellation of its events.

use super::teams::new_lead;
use super::trips::{add_visit, day, new_trip};
use app::backend::entities::mail;
use app::domain::role::Role;
use lianzhao_tests::TestApp;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;

/// The fields `trips/update` takes: trip `id` at `version`, going out to `destination` (as typed
/// in the form) from `from` to `to`, `members` by id.
fn trip_fields(
    id: &str,
    version: i64,
    purpose: &str,
    destination: &str,
    (from, to): (&str, &str),
    members: &[i64],
) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = [
        ("id", id),
        ("version", &version.to_string()),
        ("form[kind]", "outbound"),
        ("form[purpose]", purpose),
        ("form[destination]", destination),
        ("form[start_on]", from),
        ("form[end_on]", to),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    fields.extend(members.iter().map(|m| (format!("form[members][{m}]"), m.to_string())));
    fields
}

/// `fields` as the clients' helpers take them.
fn pairs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// Posts `trips/update` with the trip's fields; `members` by id.
#[allow(clippy::too_many_arguments)]
async fn update_trip(
    app: &TestApp,
    client: &reqwest::Client,
    trip: &str,
    version: i64,
    purpose: &str,
    from: &str,
    to: &str,
    members: &[i64],
) -> (u16, Value) {
    // As the trip's page shows the destination, and so its form holds it.
    let fields = trip_fields(trip, version, purpose, "广东省 深圳市", (from, to), members);
    app.call(client, "trips/update", &pairs(&fields)).await
}

async fn trip(app: &TestApp, client: &reqwest::Client, id: &str) -> Value {
    let (status, body) = app.call(client, "trips/get", &[("id", id)]).await;
    assert_eq!(status, 200, "{body}");
    body
}

fn member_ids(t: &Value) -> Vec<i64> {
    t["trip"]["members"].as_array().expect("members").iter().map(|m| m[0].as_i64().expect("id")).collect()
}

#[tokio::test]
async fn a_trip_and_its_planned_visits_change_where_the_visits_allow() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    let (_, a) = app.login_as("a", Role::Staff).await;
    let (_, b) = app.login_as("b", Role::Staff).await;
    let (outsider, _) = app.login_as("c", Role::Staff).await;
    let lead = new_lead(&app, &manager, "深南电子有限公司", "440305", 1).await;
    let id = new_trip(&app, &manager, "深圳电子信息产业链招商", &[a, b], &day(3), &day(4)).await;
    let (status, body) = add_visit(&app, &manager, &id, &lead, &day(3), "09:00", "11:00", &[a]).await;
    assert_eq!(status, 200, "{body}");
    let visit = body.as_i64().expect("visit id").to_string();
    let version = trip(&app, &manager, &id).await["trip"]["version"].as_i64().expect("version");

    // The visit on day 3 holds the start; a, booked on it, stays a member.
    let (status, body) = update_trip(&app, &manager, &id, version, "改期", &day(4), &day(5), &[a, b]).await;
    assert_eq!((status, body["Invalid"][0]["field"].as_str()), (422, Some("start_on")), "{body}");
    assert_eq!(body["Invalid"][0]["key"], "err.trip.visit_outside", "{body}");
    assert!(body["Invalid"][0]["args"].to_string().contains(&day(3)), "{body}");
    let (status, body) = update_trip(&app, &manager, &id, version, "减员", &day(3), &day(4), &[b]).await;
    assert_eq!((status, body["Invalid"][0]["key"].as_str()), (422, Some("err.trip.member_booked")), "{body}");
    assert!(body["Invalid"][0]["args"].to_string().contains("a 测试"), "{body}");
    // Someone who may not work on the trip changes nothing.
    let (status, _) = update_trip(&app, &outsider, &id, version, "外人", &day(3), &day(4), &[b]).await;
    assert!(status == 403 || status == 404, "{status}");

    // Move the visit to day 4 with b instead: then the trip can start on day 4 without a.
    let form = [
        ("visit_id", visit.as_str()),
        ("form[lead]", lead.as_str()),
        ("form[date]", &day(4)),
        ("form[start]", "10:00"),
        ("form[end]", "11:30"),
        ("form[place]", "南山区科技园"),
        ("form[contact]", "王总"),
    ];
    let b_key = format!("form[attendees][{b}]");
    let b_val = b.to_string();
    let mut with_b = form.to_vec();
    with_b.push((&b_key, &b_val));
    let (status, body) = app.call(&manager, "visits/update", &with_b).await;
    assert_eq!(status, 200, "{body}");
    // The visit's change moved the trip's version on: a change made at the old one is refused.
    let (status, body) = update_trip(&app, &manager, &id, version, "旧版本", &day(4), &day(5), &[b]).await;
    assert_eq!((status, body["Conflict"].as_str()), (409, Some("err.trip.stale")), "{body}");
    let now = trip(&app, &manager, &id).await;
    let v = &now["visits"][0];
    assert_eq!(
        (v["date"].as_str(), v["start"].as_str(), v["contact"].as_str()),
        (Some(day(4).as_str()), Some("10:00"), Some("王总"))
    );
    assert_eq!(v["attendees"][0][0].as_i64(), Some(b), "{v}");
    let version = now["trip"]["version"].as_i64().expect("version");
    let (status, body) = update_trip(&app, &manager, &id, version, "深圳第二轮", &day(4), &day(5), &[b]).await;
    assert_eq!(status, 200, "{body}");
    let now = trip(&app, &manager, &id).await;
    assert_eq!(
        (now["trip"]["purpose"].as_str(), now["trip"]["start_on"].as_str()),
        (Some("深圳第二轮"), Some(day(4).as_str()))
    );
    assert_eq!((member_ids(&now), now["trip"]["destination_code"].as_str()), (vec![b], Some("440300")));

    // A visit moved onto someone's other booking is refused at the attendees, not with itself.
    let other = new_trip(&app, &manager, "另一行程", &[b], &day(4), &day(4)).await;
    let other_lead = new_lead(&app, &manager, "前海通信有限公司", "440305", 2).await;
    let (status, body) = add_visit(&app, &manager, &other, &other_lead, &day(4), "14:00", "15:00", &[b]).await;
    assert_eq!(status, 200, "{body}");
    let mut clash = with_b.clone();
    clash[3] = ("form[start]", "14:30");
    clash[4] = ("form[end]", "15:30");
    let (status, body) = app.call(&manager, "visits/update", &clash).await;
    assert_eq!((status, body["Invalid"][0]["key"].as_str()), (422, Some("err.visit.clash_on_trip")), "{body}");
    assert!(body["Invalid"][0]["args"].to_string().contains("另一行程"), "the other trip is named: {body}");

    // A draft's planned visit can be removed; a published trip's is marked 未成行 instead.
    let (status, body) = app.call(&manager, "visits/remove", &[("visit_id", &visit)]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(trip(&app, &manager, &id).await["visits"].as_array().map(Vec::len), Some(0));
    let (status, body) = add_visit(&app, &manager, &id, &lead, &day(5), "09:00", "10:00", &[b]).await;
    assert_eq!(status, 200, "{body}");
    let visit = body.as_i64().expect("visit id").to_string();
    // The draft's page offers 删除走访 for it, not 未成行.
    let missed = ">未成行</summary>";
    let (_, page) = app.page(&manager, &format!("/trips/{id}")).await;
    assert!(page.contains("删除走访") && !page.contains(missed), "{page}");
    assert!(!page.contains(r#"id="trip-close""#), "a draft is published before it can end: {page}");
    assert_eq!(app.call(&manager, "trips/publish", &[("id", &id)]).await.0, 200);
    let (_, page) = app.page(&manager, &format!("/trips/{id}")).await;
    assert!(page.contains(missed) && page.contains(r#"id="trip-close""#), "published: {page}");
    let (status, body) = app.call(&manager, "visits/remove", &[("visit_id", &visit)]).await;
    assert_eq!((status, body["Conflict"].as_str()), (409, Some("err.visit.published")), "{body}");

    // Published: a is put on, then taken off again; a is told they are no longer on it, with
    // the cancellation of the trip's events.
    let version = trip(&app, &manager, &id).await["trip"]["version"].as_i64().expect("version");
    let (status, body) = update_trip(&app, &manager, &id, version, "深圳第二轮", &day(4), &day(5), &[a, b]).await;
    assert_eq!(status, 200, "{body}");
    let version = trip(&app, &manager, &id).await["trip"]["version"].as_i64().expect("version");
    let (status, body) = update_trip(&app, &manager, &id, version, "深圳第二轮", &day(4), &day(5), &[b]).await;
    assert_eq!(status, 200, "{body}");
    let to_a = mail::Entity::find().filter(mail::Column::ToUserId.eq(a)).all(&app.db).await.expect("mail");
    let last = to_a.last().expect("a mail to a");
    assert!(last.subject.contains("您已不在行程中"), "{}", last.subject);
    let parsed = mail_parser::MessageParser::default().parse(last.raw.as_bytes()).expect("a message");
    let ics: Vec<String> = parsed.attachments().map(|a| String::from_utf8_lossy(a.contents()).to_string()).collect();
    assert!(ics.iter().any(|c| c.contains("METHOD:CANCEL") && c.contains("深圳第二轮")), "{ics:?}");
    let to_b = mail::Entity::find().filter(mail::Column::ToUserId.eq(b)).all(&app.db).await.expect("mail");
    assert!(to_b.iter().any(|m| m.subject.contains("行程变更")), "b is told of the change");
}

#[tokio::test]
async fn without_javascript_a_refused_change_comes_back_open_with_what_was_typed() {
    use super::plain_forms::{plain_post, tag_of, value_of};
    let app = TestApp::spawn().await;
    let (client, me) = app.login_as("editor", Role::Manager).await;
    let lead = new_lead(&app, &client, "改期电子有限公司", "440305", 41).await;
    let id = new_trip(&app, &client, "深圳改期", &[me], &day(3), &day(4)).await;
    let (status, body) = add_visit(&app, &client, &id, &lead, &day(3), "09:00", "10:00", &[]).await;
    assert_eq!(status, 200, "{body}");
    let visit = body.as_i64().expect("visit id");
    let from = format!("/trips/{id}");

    // The trip's form holds the trip as it stands, folded.
    let (_, page) = app.page(&client, &from).await;
    let folded = tag_of(&page, "trip-edit").expect("the trip's edit form");
    assert!(!folded.contains("open"), "{folded}");
    assert_eq!(value_of(&page, "trip-purpose").as_deref(), Some("深圳改期"));
    assert_eq!(value_of(&page, "trip-destination").as_deref(), Some("广东省 深圳市"));
    assert_eq!(value_of(&page, &format!("visit-{visit}-start")).as_deref(), Some("09:00"));

    // Days that leave the visit out: back open, the typed purpose kept, the reason at the field.
    let version = trip(&app, &client, &id).await["trip"]["version"].as_i64().expect("version");
    let m_val = me.to_string();
    let fields = trip_fields(&id, version, "深圳改期（推迟）", "广东省 深圳市", (&day(4), &day(5)), &[me]);
    let (status, to) = plain_post(&app, &client, "trips/update", &from, &pairs(&fields)).await;
    assert!((300..400).contains(&status) && to.starts_with(&from) && to.contains("__err="), "{status} {to}");
    let (_, page) = app.page(&client, &to).await;
    assert!(tag_of(&page, "trip-edit").is_some_and(|t| t.contains("open")), "opened again");
    assert_eq!(value_of(&page, "trip-purpose").as_deref(), Some("深圳改期（推迟）"));
    assert_eq!(value_of(&page, "trip-start").as_deref(), Some(day(4).as_str()));
    assert!(page.contains(&format!("有 1 个走访不在新日期内（{}）", day(3))), "the reason at the field");

    // The visit moved to day 4 by plain post: the page lands at it, with the new time.
    let visit_id = visit.to_string();
    let fields = [
        ("visit_id", visit_id.as_str()),
        ("form[lead]", lead.as_str()),
        ("form[date]", &day(4)),
        ("form[start]", "14:00"),
        ("form[end]", "15:00"),
        (&format!("form[attendees][{me}]"), &m_val),
    ];
    let (status, to) = plain_post(&app, &client, "visits/update", &from, &fields).await;
    assert!((300..400).contains(&status), "{status} {to}");
    assert_eq!(to, format!("{from}#visit-{visit}"));
    let (_, page) = app.page(&client, &to).await;
    assert_eq!(value_of(&page, &format!("visit-{visit}-date")).as_deref(), Some(day(4).as_str()));
    assert_eq!(value_of(&page, &format!("visit-{visit}-start")).as_deref(), Some("14:00"));
}

#[tokio::test]
async fn a_member_changes_a_visit_to_a_company_not_theirs_to_read_and_a_stale_change_shows_the_trip_anew() {
    use super::plain_forms::{plain_post, text_of, value_of};
    use super::teams::{assign, save_team};
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    let (staff, a) = app.login_as("a", Role::Staff).await;
    let (_, b) = app.login_as("b", Role::Staff).await;
    // The company belongs to b's team: a may not open its page, but goes on the visit.
    let (status, team) = save_team(&app, &manager, None, "苏州专班", "苏州", None, &[b]).await;
    assert_eq!(status, 200, "{team}");
    let team = team.as_i64().expect("team id").to_string();
    let lead = new_lead(&app, &manager, "苏州他队电子有限公司", "320505", 51).await;
    assert_eq!(assign(&app, &manager, &[&lead], &team, &b.to_string()).await.0, 200);
    let (status, _) = app.call(&staff, "leads/get", &[("id", lead.as_str())]).await;
    assert_eq!(status, 404, "not a's to read");
    let id = new_trip(&app, &manager, "苏州走访", &[a], &day(3), &day(4)).await;
    let (status, body) = add_visit(&app, &manager, &id, &lead, &day(3), "09:00", "10:00", &[a]).await;
    assert_eq!(status, 200, "{body}");
    let visit = body.as_i64().expect("visit id").to_string();
    let from = format!("/trips/{id}");
    let (a_key, a_val) = (format!("form[attendees][{a}]"), a.to_string());
    let fields = [
        ("visit_id", visit.as_str()),
        // What the visit's form sends for its company.
        ("form[lead]", &format!("#{lead} 苏州他队电子有限公司")),
        ("form[date]", &day(3)),
        ("form[start]", "10:00"),
        ("form[end]", "11:00"),
        ("form[contact]", "刘经理"),
        (a_key.as_str(), a_val.as_str()),
    ];
    let (status, to) = plain_post(&app, &staff, "visits/update", &from, &fields).await;
    assert!((300..400).contains(&status), "{status}");
    assert_eq!(to, format!("{from}#visit-{visit}"));
    let (_, page) = app.page(&staff, &to).await;
    assert_eq!(text_of(&page, "visit-saved").as_deref(), Some("已保存这次走访的修改"));
    assert_eq!(value_of(&page, &format!("visit-{visit}-contact")).as_deref(), Some("刘经理"));
    assert!(!app.page(&staff, &from).await.1.contains(r#"id="visit-saved""#), "said once");
    // Another company a may not read is still refused.
    let other = new_lead(&app, &manager, "苏州他队二号有限公司", "320505", 52).await;
    assert_eq!(assign(&app, &manager, &[&other], &team, &b.to_string()).await.0, 200);
    let mut to_other = fields.to_vec();
    let other_text = format!("#{other}");
    to_other[1] = ("form[lead]", &other_text);
    let (status, body) = app.call(&staff, "visits/update", &to_other).await;
    assert_eq!((status, body["Invalid"][0]["key"].as_str()), (422, Some("err.visit.lead")), "{body}");

    // Two people change the trip from the same page: the second is told, and its form shows the
    // trip as the first left it (a second save would otherwise put back what the first changed).
    let version = trip(&app, &manager, &id).await["trip"]["version"].as_i64().expect("version");
    let (status, body) = update_trip(&app, &manager, &id, version, "苏州走访（张）", &day(3), &day(4), &[a]).await;
    assert_eq!(status, 200, "{body}");
    let stale = trip_fields(&id, version, "苏州走访（王）", "苏州", (&day(3), &day(4)), &[a]);
    let (_, to) = plain_post(&app, &staff, "trips/update", &from, &pairs(&stale)).await;
    let (_, page) = app.page(&staff, &to).await;
    assert!(page.contains("行程已被他人修改"), "said");
    assert_eq!(value_of(&page, "trip-purpose").as_deref(), Some("苏州走访（张）"), "the trip as it stands");
    // A saved change says so, once.
    let fresh = trip_fields(&id, version + 1, "苏州走访（王）", "苏州", (&day(3), &day(4)), &[a]);
    let (_, to) = plain_post(&app, &manager, "trips/update", &from, &pairs(&fresh)).await;
    let (_, page) = app.page(&manager, &to).await;
    assert_eq!(text_of(&page, "trip-said").as_deref(), Some("已保存修改"));
    assert!(!app.page(&manager, &from).await.1.contains(r#"id="trip-said""#), "said once");
}
