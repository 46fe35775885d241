//! The weekly planner: ranked suggestions by city, and a draft trip whose visits avoid the
//! members' existing bookings.

use super::teams::{assign, new_lead, save_team};
use super::trips::add_visit;
use app::domain::period::Period;
use app::domain::role::Role;
use lianzhao_tests::TestApp;

#[tokio::test]
async fn suggestions_cluster_by_city_and_a_draft_trip_respects_bookings() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    let (_, a) = app.login_as("a", Role::Staff).await;
    let (status, team) = save_team(&app, &manager, None, "南京专班", "南京 深圳", None, &[a]).await;
    assert_eq!(status, 200);
    let team = team.as_i64().unwrap().to_string();
    let mut leads = Vec::new();
    for (i, (name, division)) in [
        ("江宁一科技有限公司", "320115"),
        ("江宁二科技有限公司", "320115"),
        ("浦口科技有限公司", "320111"),
        ("南山科技有限公司", "440305"),
    ]
    .iter()
    .enumerate()
    {
        leads.push(new_lead(&app, &manager, name, division, 40 + i as u32).await);
    }
    let refs: Vec<&str> = leads.iter().map(String::as_str).collect();
    assert_eq!(assign(&app, &manager, &refs, &team, &a.to_string()).await.0, 200);

    let next_week = Period::week_of(
        chrono::Utc::now().with_timezone(&chrono_tz::Asia::Shanghai).date_naive() + chrono::Duration::days(7),
    );
    let (monday, _) = next_week.days();
    let tuesday = (monday + chrono::Duration::days(1)).to_string();
    // a is already out on Tuesday morning (another trip, another company).
    let other = new_lead(&app, &manager, "已约企业有限公司", "310115", 50).await;
    let key = format!("form[members][{a}]");
    let a_str = a.to_string();
    let (_, busy_trip) = app
        .call(
            &manager,
            "trips/create",
            &[
                ("form[kind]", "outbound"),
                ("form[purpose]", "上海"),
                ("form[destination]", "上海"),
                ("form[start_on]", &tuesday),
                ("form[end_on]", &tuesday),
                (&key, &a_str),
            ],
        )
        .await;
    let busy_trip = busy_trip.as_i64().unwrap().to_string();
    assert_eq!(add_visit(&app, &manager, &busy_trip, &other, &tuesday, "09:00", "11:00", &[]).await.0, 200);

    let (status, plan) = app.call(&manager, "planner", &[("team", &team), ("week", &next_week.code())]).await;
    assert_eq!(status, 200, "{plan}");
    let clusters = plan["clusters"].as_array().unwrap();
    assert_eq!(clusters[0]["city"], "320100", "three Nanjing companies outweigh one in Shenzhen");
    assert_eq!(clusters[0]["leads"].as_array().unwrap().len(), 3);
    assert!(clusters[0]["districts"].as_str().unwrap().contains("江宁区 2"));
    assert_eq!(clusters[1]["city"], "440300");
    assert_eq!(plan["busy"][0][1], 1, "a's booking shows");
    let why = clusters[0]["leads"][0]["why"].to_string();
    // Just logged, never contacted: said so (not 今天联系过).
    assert!(why.contains("planner.why.never_today"), "{why}");

    let nanjing: Vec<String> =
        clusters[0]["leads"].as_array().unwrap().iter().map(|r| r["lead"]["lead_id"].to_string()).collect();
    let keys: Vec<(String, String)> = nanjing.iter().map(|id| (format!("lead_ids[{id}]"), id.clone())).collect();
    let week_code = next_week.code();
    let mut fields: Vec<(&str, &str)> = vec![("team_id", &team), ("week", &week_code), ("city", "320100")];
    fields.extend(keys.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let (status, trip) = app.call(&manager, "planner/accept", &fields).await;
    assert_eq!(status, 200, "{trip}");
    let (_, detail) = app.call(&manager, "trips/get", &[("id", &trip.to_string())]).await;
    assert_eq!(detail["trip"]["status"], "draft");
    assert_eq!(detail["trip"]["destination_code"], "320100");
    let visits = detail["visits"].as_array().unwrap();
    assert_eq!(visits.len(), 3);
    assert_eq!(
        (visits[0]["date"].as_str(), visits[0]["start"].as_str()),
        (Some(tuesday.as_str()), Some("14:00")),
        "09:30 clashes with a's booking"
    );
    // Booked now: the planner no longer suggests them for that week.
    let (_, plan) = app.call(&manager, "planner", &[("team", &team), ("week", &next_week.code())]).await;
    assert_eq!(plan["clusters"][0]["city"], "440300");
    let (status, html) = app.page(&manager, &format!("/planner?team={team}&week={}", next_week.code())).await;
    assert_eq!(status, 200);
    assert!(html.contains("南山科技有限公司"));
    // Someone outside the team cannot plan for it.
    let (outsider, _) = app.login_as("x", Role::Staff).await;
    assert_eq!(app.call(&outsider, "planner", &[("team", &team)]).await.0, 404);
}
