//! 项目建设计划 through HTTP: counting back a signed project's plan, an overdue milestone becoming
//! one 问题清单 entry (not two), reaching a milestone moving the stage and solving that entry,
//! the order rule, who may edit, 应开未开 on `/projects` and in the weekly pack, and the office's
//! template.

use super::teams::{assign, new_lead, save_team};
use app::domain::role::Role;
use chrono::Duration;
use lianzhao_tests::TestApp;
use serde_json::Value;

/// Today in Asia/Shanghai, the office's calendar.
pub(crate) fn today() -> chrono::NaiveDate {
    chrono::Utc::now().with_timezone(&chrono_tz::Asia::Shanghai).date_naive()
}

pub(crate) fn days(n: i64) -> String {
    (today() + Duration::days(n)).to_string()
}

pub(crate) async fn sign(app: &TestApp, client: &reqwest::Client, lead: &str, start: &str) {
    let fields = [
        ("lead_id", lead),
        ("form[to]", "signed"),
        ("form[comment]", "签约仪式"),
        ("form[signed_investment]", "2亿"),
        ("form[planned_start]", start),
    ];
    let (status, body) = app.call(client, "pipeline/move", &fields).await;
    assert_eq!(status, 200, "{body}");
}

pub(crate) async fn plan(app: &TestApp, client: &reqwest::Client, lead: &str) -> Value {
    let (status, body) = app.call(client, "projects/plan", &[("lead_id", lead)]).await;
    assert_eq!(status, 200, "{body}");
    body
}

pub(crate) fn milestone<'a>(plan: &'a Value, code: &str) -> &'a Value {
    plan["milestones"].as_array().unwrap().iter().find(|m| m["code"] == code).expect("milestone in the plan")
}

pub(crate) fn kind_id(plan: &Value, code: &str) -> String {
    milestone(plan, code)["kind_id"].to_string()
}

pub(crate) async fn count_back(
    app: &TestApp,
    client: &reqwest::Client,
    lead: &str,
    anchor: &str,
    date: &str,
) -> (u16, Value) {
    let fields = [("lead_id", lead), ("form[anchor]", anchor), ("form[date]", date), ("form[replace]", "on")];
    app.call(client, "projects/count-back", &fields).await
}

async fn save(
    app: &TestApp,
    client: &reqwest::Client,
    lead: &str,
    kind: &str,
    fields: &[(&str, &str)],
) -> (u16, Value) {
    let mut all = vec![("lead_id", lead), ("kind_id", kind)];
    all.extend_from_slice(fields);
    app.call(client, "projects/milestone", &all).await
}

/// The (field, key) pairs of a 422 answer.
pub(crate) fn invalid(body: &Value) -> Vec<(String, String)> {
    body["Invalid"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| (e["field"].as_str().unwrap().to_string(), e["key"].as_str().unwrap().to_string()))
                .collect()
        })
        .unwrap_or_default()
}

async fn problems(app: &TestApp, client: &reqwest::Client, lead: &str) -> Vec<Value> {
    let (status, body) = app.call(client, "problems/of-lead", &[("lead_id", lead)]).await;
    assert_eq!(status, 200, "{body}");
    body.as_array().unwrap().clone()
}

#[tokio::test]
async fn a_project_goes_through_its_plan_and_an_overdue_milestone_is_one_problem() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    let (staff, staff_id) = app.login_as("a", Role::Staff).await;
    let (_, team) = save_team(&app, &manager, None, "南京专班", "南京", Some(staff_id), &[staff_id]).await;
    let team = team.as_i64().unwrap().to_string();
    let lead = new_lead(&app, &manager, "江宁智造科技有限公司", "320115", 1).await;
    let open = new_lead(&app, &manager, "尚在洽谈有限公司", "320115", 2).await;
    assert_eq!(assign(&app, &manager, &[&lead, &open], &team, &staff_id.to_string()).await.0, 200);

    // Before 签约 there is no plan, and none can be counted.
    assert_eq!(plan(&app, &staff, &open).await, Value::Null);
    let (_, template) = app.call(&staff, "projects/kinds", &[]).await;
    assert_eq!(template["can_edit"], false);
    let start_kind =
        template["kinds"].as_array().unwrap().iter().find(|k| k["code"] == "start").unwrap()["id"].to_string();
    let (status, _) = count_back(&app, &staff, &open, &start_kind, &days(30)).await;
    assert_eq!(status, 409);

    // Starting 200 days from now, so that nothing counted is overdue whatever day this runs.
    let start = days(200);
    sign(&app, &staff, &lead, &start).await;
    let p = plan(&app, &staff, &lead).await;
    assert_eq!(p["milestones"].as_array().unwrap().len(), 9);
    assert_eq!(p["committed_start"].as_str(), Some(start.as_str()));
    assert_eq!(p["can_edit"], true);
    assert!(p["milestones"].as_array().unwrap().iter().all(|m| m["status"] == "open"));

    // 倒排 from the committed start: 施工许可 15 days before, 规划许可 30 before that, 拿地 30, 注册
    // 90; 竣工 365 after. (Fixed calendar dates are checked in the domain and browser tests.)
    let (status, body) = count_back(&app, &staff, &lead, &start_kind, &start).await;
    assert_eq!(status, 200, "{body}");
    let p = plan(&app, &staff, &lead).await;
    let planned = |code: &str| milestone(&p, code)["planned_on"].as_str().unwrap().to_string();
    assert_eq!(
        ["register", "land", "planning_permit", "construction_permit", "start", "completion"].map(planned),
        [days(35), days(125), days(155), days(185), days(200), days(565)]
    );
    assert!(problems(&app, &staff, &lead).await.is_empty(), "nothing is late yet");

    // 注册 planned five days ago: overdue → one problem entry; sweeping again (a new plan two
    // days earlier) moves its deadline and opens no second one.
    let register = kind_id(&p, "register");
    let (status, body) = save(
        &app,
        &staff,
        &lead,
        &register,
        &[("form[planned]", &days(-5)), ("form[department]", "市场监管局"), ("form[owner]", "王科长")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let list = problems(&app, &staff, &lead).await;
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(
        (list[0]["category"].as_str(), list[0]["deadline"].as_str()),
        (Some("approval"), Some(days(-5).as_str()))
    );
    assert_eq!((list[0]["department"].as_str(), list[0]["responsible"].as_str()), (Some("市场监管局"), Some("王科长")));
    assert!(list[0]["description"].as_str().unwrap().contains("注册"), "{}", list[0]["description"]);
    let p = plan(&app, &staff, &lead).await;
    assert_eq!(
        (milestone(&p, "register")["status"].as_str(), milestone(&p, "register")["days_late"].as_i64()),
        (Some("overdue"), Some(5))
    );
    assert_eq!(milestone(&p, "register")["problem_id"], list[0]["id"]);
    save(&app, &staff, &lead, &register, &[("form[planned]", &days(-7))]).await;
    save(&app, &staff, &lead, &register, &[("form[planned]", &days(-7))]).await;
    let list = problems(&app, &staff, &lead).await;
    assert_eq!(list.len(), 1, "still one entry: {list:?}");
    assert_eq!(list[0]["deadline"].as_str(), Some(days(-7).as_str()));

    // The order rule: 注册 may not come after 拿地.
    let land = kind_id(&p, "land");
    let (status, body) = save(&app, &staff, &lead, &land, &[("form[planned]", &days(-30))]).await;
    assert_eq!(status, 422);
    assert_eq!(invalid(&body), [("planned".to_string(), "err.plan.order".to_string())]);
    let (status, body) =
        save(&app, &staff, &lead, &register, &[("form[planned]", &days(-7)), ("form[done]", &days(1))]).await;
    assert_eq!(status, 422);
    assert_eq!(invalid(&body), [("done".to_string(), "err.plan.done_future".to_string())]);
    for bad in ["2027-02-30", "+262142-12-20"] {
        let (status, body) = save(&app, &staff, &lead, &register, &[("form[planned]", bad)]).await;
        assert_eq!((status, invalid(&body)), (422, vec![("planned".to_string(), "err.date".to_string())]), "{bad}");
    }
    let (status, body) = count_back(&app, &staff, &lead, &start_kind, "-262143-01-05").await;
    assert_eq!((status, invalid(&body)), (422, vec![("date".to_string(), "err.date".to_string())]));

    // Reaching 注册 moves the lead to 注册 (a recorded move), solves the entry, shows on the timeline.
    let (status, body) =
        save(&app, &staff, &lead, &register, &[("form[planned]", &days(-7)), ("form[done]", &days(-1))]).await;
    assert_eq!(status, 200, "{body}");
    let (_, pipe) = app.call(&staff, "pipeline/get", &[("lead_id", &lead)]).await;
    assert_eq!(pipe["stage"], "registered");
    let timeline = pipe["timeline"].as_array().unwrap();
    assert!(timeline.iter().any(|e| e["item"]["Milestone"]["code"] == "register"), "{timeline:?}");
    assert!(timeline.iter().any(|e| e["item"]["Move"]["to"] == "registered"));
    let list = problems(&app, &staff, &lead).await;
    assert_eq!((list.len(), list[0]["status"].as_str()), (1, Some("solved")));
    assert_eq!(milestone(&plan(&app, &staff, &lead).await, "register")["status"], "done");

    // And the other way round: 拿地 runs late (a second entry), then moving the stage to 拿地
    // records it as reached today and solves that entry too.
    assert_eq!(save(&app, &staff, &lead, &land, &[("form[planned]", &days(-2))]).await.0, 200);
    let list = problems(&app, &staff, &lead).await;
    assert_eq!(list.iter().filter(|p| p["status"] == "open").count(), 1, "{list:?}");
    let (_, pipe) = app.call(&staff, "pipeline/get", &[("lead_id", &lead)]).await;
    let version = pipe["version"].to_string();
    let fields = [("lead_id", lead.as_str()), ("form[to]", "land"), ("form[version]", version.as_str())];
    assert_eq!(app.call(&staff, "pipeline/move", &fields).await.0, 200);
    let p = plan(&app, &staff, &lead).await;
    assert_eq!(milestone(&p, "land")["done_on"].as_str(), Some(today().to_string().as_str()));
    let list = problems(&app, &staff, &lead).await;
    assert_eq!(list.len(), 2);
    assert!(list.iter().all(|p| p["status"] == "solved"), "{list:?}");

    // Leaders read, staff outside the lead's team cannot see it, the page shows the plan.
    let (leader, _) = app.login_as("ld", Role::Leader).await;
    assert_eq!(plan(&app, &leader, &lead).await["can_edit"], false);
    assert_eq!(save(&app, &leader, &lead, &land, &[("form[planned]", &days(10))]).await.0, 403);
    let (other, _) = app.login_as("b", Role::Staff).await;
    assert_eq!(app.call(&other, "projects/plan", &[("lead_id", &lead)]).await.0, 404);
    assert_eq!(save(&app, &other, &lead, &land, &[("form[planned]", &days(10))]).await.0, 404);
    let (status, html) = app.page(&staff, &format!("/leads/{lead}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"plan-table\"") && html.contains("施工许可"), "the plan is on the lead page");
}

#[tokio::test]
async fn late_starts_are_listed_with_what_holds_them_and_in_the_weekly_pack() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    let (_, staff_id) = app.login_as("a", Role::Staff).await;
    let (_, team) = save_team(&app, &manager, None, "深圳专班", "深圳", Some(staff_id), &[staff_id]).await;
    let team = team.as_i64().unwrap().to_string();
    let late = new_lead(&app, &manager, "宝安精密有限公司", "440306", 1).await;
    let on_time = new_lead(&app, &manager, "南山准时有限公司", "440305", 2).await;
    assert_eq!(assign(&app, &manager, &[&late, &on_time], &team, &staff_id.to_string()).await.0, 200);
    sign(&app, &manager, &late, &days(-12)).await;
    sign(&app, &manager, &on_time, &days(40)).await;
    let p = plan(&app, &manager, &late).await;
    let start = kind_id(&p, "start");
    assert_eq!(count_back(&app, &manager, &late, &start, &days(-12)).await.0, 200);
    assert_eq!(count_back(&app, &manager, &on_time, &start, &days(40)).await.0, 200);
    // 注册 and 拿地 reached; 规划许可 and 施工许可 not: they hold the start.
    for code in ["register", "land"] {
        let p = plan(&app, &manager, &late).await;
        let planned = milestone(&p, code)["planned_on"].as_str().unwrap().to_string();
        let (status, body) =
            save(&app, &manager, &late, &kind_id(&p, code), &[("form[planned]", &planned), ("form[done]", &planned)])
                .await;
        assert_eq!(status, 200, "{body}");
    }
    // 能评 still being handled holds it too.
    let energy = [("lead_id", late.as_str()), ("code", "energy"), ("form[status]", "in_progress")];
    assert_eq!(app.call(&manager, "projects/procedure", &energy).await.0, 200);
    let (status, o) = app.call(&manager, "projects/overview", &[]).await;
    assert_eq!(status, 200, "{o}");
    let starts = o["late_starts"].as_array().unwrap();
    assert_eq!(starts.len(), 1, "{o}");
    assert_eq!((starts[0]["lead_id"].to_string(), starts[0]["days_late"].as_i64()), (late.clone(), Some(12)));
    assert_eq!(starts[0]["planned_start"].as_str(), Some(days(-12).as_str()));
    assert_eq!(starts[0]["stage"], "land");
    let holding: Vec<&str> =
        starts[0]["holding_milestones"].as_array().unwrap().iter().map(|h| h[0].as_str().unwrap()).collect();
    assert_eq!(holding, ["planning_permit", "construction_permit"]);
    assert_eq!(starts[0]["holding_procedures"][0][0], "energy");
    // The earlier overdue milestones are 督办 on their own, most late first.
    let overdue: Vec<&str> = o["overdue"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["lead_id"].as_i64() == late.parse().ok())
        .map(|m| m["code"].as_str().unwrap())
        .collect();
    assert_eq!(overdue, ["planning_permit", "construction_permit"]);
    // The project starting in 40 days is not late, though its 规划许可 (five days ago) is.
    assert!(o["overdue"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["lead_id"].as_i64() == on_time.parse().ok() && m["code"] == "planning_permit"));
    let (status, pack) = app.call(&manager, "reports/weekly", &[("week", "")]).await;
    assert_eq!(status, 200, "{pack}");
    let row = pack["teams"].as_array().unwrap().iter().find(|t| t["numbers"]["team"] == "深圳专班").expect("team row");
    assert_eq!(row["late_starts"].as_array().unwrap().len(), 1);
    assert_eq!(row["late_starts"][0]["days_late"], 12);
    let (_, html) = app.page(&manager, "/projects").await;
    let late_section =
        html.split("id=\"late-starts\"").nth(1).and_then(|rest| rest.split("id=\"overdue-milestones\"").next());
    let late_section = late_section.expect("the 应开未开 section before the overdue one");
    assert!(late_section.contains("宝安精密有限公司") && !late_section.contains("南山准时有限公司"), "{late_section}");
    let (_, html) = app.page(&manager, "/weekly").await;
    assert!(html.contains("应开未开") && html.contains("宝安精密有限公司"));

    // Starting clears it.
    let (status, body) =
        save(&app, &manager, &late, &start, &[("form[planned]", &days(-12)), ("form[done]", &days(0))]).await;
    assert_eq!(status, 200, "{body}");
    let (_, pipe) = app.call(&manager, "pipeline/get", &[("lead_id", &late)]).await;
    assert_eq!(pipe["stage"], "construction");
    let (_, o) = app.call(&manager, "projects/overview", &[]).await;
    assert_eq!(o["late_starts"].as_array().unwrap().len(), 0, "{o}");
}

#[tokio::test]
async fn the_office_edits_its_milestone_template() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    let (staff, _) = app.login_as("a", Role::Staff).await;
    let (status, t) = app.call(&manager, "projects/kinds", &[]).await;
    assert_eq!(status, 200, "{t}");
    assert_eq!(t["can_edit"], true);
    let kinds = t["kinds"].as_array().unwrap();
    let codes: Vec<&str> = kinds.iter().map(|k| k["code"].as_str().unwrap()).collect();
    assert_eq!(
        codes,
        [
            "register",
            "land",
            "planning_permit",
            "construction_permit",
            "start",
            "completion",
            "production",
            "full_output",
            "statistics"
        ]
    );
    let permit = kinds.iter().find(|k| k["code"] == "construction_permit").unwrap();
    let (id, position) = (permit["id"].to_string(), permit["position"].to_string());
    let edit = [("id", id.as_str()), ("form[name]", ""), ("form[days]", "20"), ("form[position]", position.as_str())];
    assert_eq!(app.call(&staff, "projects/kind", &edit).await.0, 403);
    assert_eq!(app.call(&manager, "projects/kind", &edit).await.0, 200);
    let (status, body) = app.call(&manager, "projects/kind", &[("id", id.as_str()), ("form[days]", "-1")]).await;
    assert_eq!((status, invalid(&body)), (422, vec![("days".to_string(), "err.range".to_string())]));
    let (status, body) = app.call(&manager, "projects/kind", &[("form[name]", ""), ("form[days]", "10")]).await;
    assert_eq!((status, invalid(&body)), (422, vec![("name".to_string(), "err.required".to_string())]));
    // The office's own milestone, between 施工许可 and 开工.
    let between = (permit["position"].as_i64().unwrap() * 10 + 5) / 10;
    let (status, body) = app
        .call(
            &manager,
            "projects/kind",
            &[("form[name]", "施工图审查"), ("form[days]", "5"), ("form[position]", &between.to_string())],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let custom = body.to_string();
    let (status, body) =
        app.call(&manager, "projects/kind", &[("id", custom.as_str()), ("form[name]", ""), ("form[days]", "5")]).await;
    assert_eq!(
        (status, invalid(&body)),
        (422, vec![("name".to_string(), "err.required".to_string())]),
        "an office milestone keeps a name"
    );

    let lead = new_lead(&app, &manager, "模板测试有限公司", "320115", 3).await;
    sign(&app, &manager, &lead, "2027-03-01").await;
    let p = plan(&app, &manager, &lead).await;
    assert_eq!(p["milestones"].as_array().unwrap().len(), 10);
    assert!(p["milestones"].as_array().unwrap().iter().any(|m| m["name"] == "施工图审查"));
    assert_eq!(count_back(&app, &manager, &lead, &kind_id(&p, "start"), "2027-03-01").await.0, 200);
    let p = plan(&app, &manager, &lead).await;
    // 开工 03-01 → 施工图审查 15 days before → 02-14 → 施工许可 5 before → 02-09 → 规划许可 20
    // before that (the office's new figure) → 01-20.
    let planned = |code: &str| milestone(&p, code)["planned_on"].as_str().unwrap().to_string();
    assert_eq!(["construction_permit", "planning_permit"].map(planned), ["2027-02-09", "2027-01-20"]);
}

#[tokio::test]
async fn preliminary_procedures_are_handled_for_the_company_and_a_late_one_is_one_problem() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    let lead = new_lead(&app, &manager, "帮办代办测试有限公司", "320115", 7).await;
    sign(&app, &manager, &lead, &days(200)).await;
    let p = plan(&app, &manager, &lead).await;
    let codes: Vec<&str> = p["procedures"].as_array().unwrap().iter().map(|i| i["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["approval", "site_selection", "land_use", "environment", "energy", "site_prep"]);
    assert!(p["procedures"].as_array().unwrap().iter().all(|i| i["status"] == "todo"));

    let item = |code: &'static str, status: &'static str, due: String| {
        let lead = lead.clone();
        move || {
            vec![
                ("lead_id".to_string(), lead.clone()),
                ("code".to_string(), code.to_string()),
                ("form[department]".to_string(), "生态环境局".to_string()),
                ("form[agent]".to_string(), "李四".to_string()),
                ("form[due]".to_string(), due.clone()),
                ("form[status]".to_string(), status.to_string()),
                ("form[documents]".to_string(), "环评报告书（初稿）".to_string()),
            ]
        }
    };
    let call = |fields: Vec<(String, String)>| {
        let app = &app;
        let manager = &manager;
        async move {
            let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            app.call(manager, "projects/procedure", &refs).await
        }
    };
    // 环评 due three days ago and still being handled: one problem entry, not two.
    let late_env = item("environment", "in_progress", days(-3));
    assert_eq!(call(late_env()).await.0, 200);
    assert_eq!(call(late_env()).await.0, 200);
    let list = problems(&app, &manager, &lead).await;
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!((list[0]["category"].as_str(), list[0]["responsible"].as_str()), (Some("environment"), Some("李四")));
    assert_eq!(list[0]["deadline"].as_str(), Some(days(-3).as_str()));
    assert!(list[0]["description"].as_str().unwrap().contains("环评"));
    let env = plan(&app, &manager, &lead).await["procedures"][3].clone();
    assert_eq!((env["days_late"].as_i64(), env["documents"].as_str()), (Some(3), Some("环评报告书（初稿）")));

    // Due again in five days: the entry is solved and let go; late again: a new entry.
    assert_eq!(call(item("environment", "in_progress", days(5))()).await.0, 200);
    let list = problems(&app, &manager, &lead).await;
    assert_eq!((list.len(), list[0]["status"].as_str()), (1, Some("solved")));
    assert_eq!(plan(&app, &manager, &lead).await["procedures"][3]["problem_id"], Value::Null);
    assert_eq!(call(late_env()).await.0, 200);
    let list = problems(&app, &manager, &lead).await;
    assert_eq!(list.iter().map(|p| p["status"].as_str().unwrap()).collect::<Vec<_>>().len(), 2);
    assert_eq!(list.iter().filter(|p| p["status"] == "open").count(), 1);

    // Bad input at its field; an item not on the project is not found.
    let (status, body) = call(item("energy", "finished", days(5))()).await;
    assert_eq!((status, invalid(&body)), (422, vec![("status".to_string(), "err.choose".to_string())]));
    let (status, body) = call(item("energy", "todo", "2026-13-01".into())()).await;
    assert_eq!((status, invalid(&body)), (422, vec![("due".to_string(), "err.date".to_string())]));
    assert_eq!(call(item("nope", "todo", days(5))()).await.0, 404);

    // An item the office adds for this project; a name is required.
    let add = [("lead_id", lead.as_str()), ("form[name]", "消防设计审查"), ("form[due]", "2027-05-01")];
    assert_eq!(app.call(&manager, "projects/procedure", &add).await.0, 200);
    let (status, body) =
        app.call(&manager, "projects/procedure", &[("lead_id", lead.as_str()), ("form[name]", " ")]).await;
    assert_eq!((status, invalid(&body)), (422, vec![("name".to_string(), "err.required".to_string())]));
    let p = plan(&app, &manager, &lead).await;
    let added = &p["procedures"][6];
    assert_eq!(
        (added["code"].as_str(), added["name"].as_str(), added["status"].as_str()),
        (Some("custom_1"), Some("消防设计审查"), Some("todo"))
    );

    // 已办结 solves the entry; leaders read but may not change an item.
    assert_eq!(call(item("environment", "done", days(-3))()).await.0, 200);
    let list = problems(&app, &manager, &lead).await;
    assert_eq!(list.len(), 2);
    assert!(list.iter().all(|p| p["status"] == "solved"), "{list:?}");
    let (leader, _) = app.login_as("ld", Role::Leader).await;
    let fields = [("lead_id", lead.as_str()), ("code", "energy"), ("form[status]", "done")];
    assert_eq!(app.call(&leader, "projects/procedure", &fields).await.0, 403);
    let (_, html) = app.page(&manager, &format!("/leads/{lead}")).await;
    assert!(html.contains("id=\"procedure-table\"") && html.contains("消防设计审查") && html.contains("七通一平"));
}
