//! 集中开工/竣工 through HTTP: an event gathers the projects not yet started, its printed list,
//! recording its date makes each project's 开工 (the stage moves, the timeline says so), a project
//! already started cannot join, bad input at its field, who may organise; 应开未开 in the monthly
//! bulletin.

use super::projects::{count_back, days, invalid, kind_id, milestone, plan, sign, today};
use super::teams::new_lead;
use app::domain::role::Role;
use chrono::Datelike;
use lianzhao_tests::TestApp;
use serde_json::Value;

async fn events(app: &TestApp, client: &reqwest::Client) -> Value {
    let (status, body) = app.call(client, "projects/events", &[]).await;
    assert_eq!(status, 200, "{body}");
    body
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array().unwrap().iter().map(|c| c["lead_id"].to_string()).collect()
}

#[tokio::test]
async fn a_group_start_records_its_date_as_each_projects_start() {
    let app = TestApp::spawn().await;
    let (mgr, _) = app.login_as("m", Role::Manager).await;
    let (staff, _) = app.login_as("s", Role::Staff).await;
    let a = new_lead(&app, &mgr, "集中开工甲有限公司", "320115", 71).await;
    let b = new_lead(&app, &mgr, "集中开工乙有限公司", "320115", 72).await;
    let c = new_lead(&app, &mgr, "已开工丙有限公司", "320115", 73).await;
    // Planned to start 10 days ago: late (应开未开) until the event.
    for lead in [&a, &b, &c] {
        sign(&app, &mgr, lead, &days(-10)).await;
        let p = plan(&app, &mgr, lead).await;
        let (status, body) = count_back(&app, &mgr, lead, &kind_id(&p, "start"), &days(-10)).await;
        assert_eq!(status, 200, "{body}");
    }
    // 丙 started on its own.
    let p = plan(&app, &mgr, &c).await;
    let fields = [
        ("lead_id", c.as_str()),
        ("kind_id", &kind_id(&p, "start")),
        ("form[planned]", &days(-10)),
        ("form[done]", &days(-3)),
    ];
    let (status, body) = app.call(&mgr, "projects/milestone", &fields).await;
    assert_eq!(status, 200, "{body}");

    // 应开未开 in this month's bulletin: 甲 and 乙, ten days late.
    let month = format!("{}-{:02}", today().year(), today().month());
    let (status, report) = app.call(&mgr, "reports/period", &[("period", &month)]).await;
    assert_eq!(status, 200, "{report}");
    let late: Vec<(&str, i64)> = report["late_starts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["company_name"].as_str().unwrap(), s["days_late"].as_i64().unwrap()))
        .collect();
    assert!(late.contains(&("集中开工甲有限公司", 10)) && late.contains(&("集中开工乙有限公司", 10)), "{late:?}");
    assert!(!late.iter().any(|(n, _)| *n == "已开工丙有限公司"));

    let list = events(&app, &mgr).await;
    let starts = ids(&list["start_candidates"]);
    assert!(starts.contains(&a) && starts.contains(&b) && !starts.contains(&c), "{list}");
    assert!(ids(&list["completion_candidates"]).contains(&c), "started: may join a completion");

    // Bad input at its field; a started project cannot join a start; staff may not organise.
    let (status, body) = app
        .call(&mgr, "projects/event/create", &[("form[kind]", "start"), ("form[name]", ""), ("form[held_on]", "明天")])
        .await;
    assert_eq!(status, 422);
    let fields: Vec<String> = invalid(&body).into_iter().map(|(f, _)| f).collect();
    assert_eq!(fields, vec!["name", "held_on", "leads"]);
    let event = |leads: Vec<(&'static str, String)>| {
        let mut f: Vec<(&'static str, String)> = vec![
            ("form[kind]", "start".into()),
            ("form[name]", "第四季度重大项目集中开工".into()),
            ("form[held_on]", days(-1)),
            ("form[place]", "慈湖高新区智能装备产业园".into()),
        ];
        f.extend(leads);
        f
    };
    let with_c = event(vec![("form[leads][0]", a.clone()), ("form[leads][1]", c.clone())]);
    let refs: Vec<(&str, &str)> = with_c.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = app.call(&mgr, "projects/event/create", &refs).await;
    assert_eq!(status, 422);
    assert_eq!(invalid(&body), vec![("leads".to_string(), "err.event.not_candidate".to_string())]);
    let good = event(vec![("form[leads][0]", a.clone()), ("form[leads][1]", b.clone())]);
    let refs: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _) = app.call(&staff, "projects/event/create", &refs).await;
    assert_eq!(status, 403);
    let (status, id) = app.call(&mgr, "projects/event/create", &refs).await;
    assert_eq!(status, 200, "{id}");
    let id = id.to_string();

    // The printed list: both projects and their total 计划投资.
    let (status, e) = app.call(&mgr, "projects/event", &[("id", &id)]).await;
    assert_eq!(status, 200, "{e}");
    let projects = e["projects"].as_array().unwrap();
    assert_eq!(projects.len(), 2);
    let sum: f64 = projects.iter().map(|p| p["planned_investment_wan"].as_f64().unwrap()).sum();
    assert!(sum > 0.0);
    assert_eq!(e["total_investment_wan"].as_f64(), Some(sum));
    let (status, html) = app.page(&mgr, &format!("/projects/events/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("第四季度重大项目集中开工") && html.contains("集中开工乙有限公司"));

    // Recorded: each project's 开工 is the event's date, the stage is 开工, 应开未开 is empty.
    let (status, _) = app.call(&staff, "projects/event/record", &[("id", &id)]).await;
    assert_eq!(status, 403);
    let (status, outcome) = app.call(&mgr, "projects/event/record", &[("id", &id)]).await;
    assert_eq!(status, 200, "{outcome}");
    assert_eq!(outcome["recorded"], 2, "{outcome}");
    for lead in [&a, &b] {
        let p = plan(&app, &mgr, lead).await;
        assert_eq!(milestone(&p, "start")["done_on"], days(-1), "{p}");
        let (_, pipe) = app.call(&mgr, "pipeline/get", &[("lead_id", lead)]).await;
        assert_eq!(pipe["stage"], "construction");
        let timeline = pipe["timeline"].as_array().unwrap();
        assert!(timeline.iter().any(|e| e["item"]["Milestone"]["code"] == "start"), "{timeline:?}");
    }
    let (_, report) = app.call(&mgr, "reports/period", &[("period", &month)]).await;
    assert!(!report["late_starts"].to_string().contains("集中开工甲有限公司"), "{report}");
    // A second recording changes nothing.
    let (_, again) = app.call(&mgr, "projects/event/record", &[("id", &id)]).await;
    assert_eq!(again["recorded"], 0);
    // Everyone sees the event.
    let list = events(&app, &staff).await;
    assert_eq!(list["can_edit"], false);
    assert!(list["events"][0]["recorded_at"].is_string(), "{list}");
}
