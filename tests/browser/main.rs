//! Browser journeys in headless Chromium (Debian's chromium + chromedriver), driving the real,
//! hydrated app. Needs the site built into `LZ_SITE_ROOT` (the test script builds the release
//! site, the one `make run` serves). Every journey fails on a console error or warning.

use app::domain::role::Role;
use fantoccini::{Client, Locator};
use lianzhao_tests::browser::{browser, wait_hydrated, wait_island, wait_text, wait_url};
use lianzhao_tests::{uscc, TestApp, PASSWORD};

mod efficiency;
mod field;
mod import;
mod map;
mod phone;
mod projects;

/// A lead by `client` in `division` (its USCC is made from the division and `seed`); its id.
async fn new_lead(app: &TestApp, client: &reqwest::Client, name: &str, division: &str, seed: u32) -> String {
    let (status, body) =
        app.call(client, "leads/save", &lianzhao_tests::lead_fields(name, &uscc(division, seed))).await;
    assert_eq!(status, 200, "{body}");
    body.as_i64().expect("lead id").to_string()
}

fn site_built() {
    let root = std::env::var("LZ_SITE_ROOT").expect("LZ_SITE_ROOT: run `make test`, which builds the site first");
    let hash = std::path::Path::new(&root).join("hash.txt");
    assert!(hash.exists(), "{} missing: run `make test`", hash.display());
}

#[tokio::test]
async fn log_in_create_a_lead_fix_the_uscc_find_it_and_switch_language() {
    site_built();
    let app = TestApp::spawn().await;
    app.create_user("browser", Role::Staff).await;
    let b = browser().await;
    let c = &b.client;

    // Log in through the real form.
    c.goto(&app.url("/leads/new")).await.unwrap();
    wait_url(c, |u| u.contains("/login")).await;
    c.find(Locator::Id("username")).await.unwrap().send_keys("browser").await.unwrap();
    c.find(Locator::Id("password")).await.unwrap().send_keys(PASSWORD).await.unwrap();
    c.find(Locator::Id("login-submit")).await.unwrap().click().await.unwrap();
    wait_url(c, |u| u.ends_with("/leads/new")).await;
    wait_island(c, "uscc").await;

    // A bad check character is caught as it is typed: the USCC island's code, so it is live.
    let good = uscc("320115", 4242);
    let mut bad = good.clone();
    let last = bad.pop().unwrap();
    bad.push(if last == '0' { '1' } else { '0' });
    let name = "浏览器测试通信有限公司";
    c.find(Locator::Id("company_name")).await.unwrap().send_keys(name).await.unwrap();
    c.find(Locator::Id("uscc")).await.unwrap().send_keys(&bad).await.unwrap();
    wait_text(c, "#uscc-status", |t| t.contains("校验码错误")).await;
    c.find(Locator::Id("industry")).await.unwrap().select_by_value("electronic_comms").await.unwrap();
    c.find(Locator::Id("channel")).await.unwrap().select_by_value("resident").await.unwrap();
    c.find(Locator::Id("planned_investment")).await.unwrap().send_keys("1.5亿").await.unwrap();

    // Submitting anyway (a plain post): the server's answer lands at the field, and every typed
    // value comes back with it.
    c.find(Locator::Id("save-lead")).await.unwrap().click().await.unwrap();
    wait_text(c, "#err-uscc", |t| t.contains("校验码错误")).await;
    wait_island(c, "uscc").await;
    // The refusal leaves the address once shown: a reload would show it on an emptied form.
    wait_island(c, "forget-refusal").await;
    let here = c.current_url().await.unwrap().to_string();
    assert!(here.ends_with("/leads/new") && !here.contains("__err"), "{here}");
    // Said once: the live check does not repeat the server's message for the same code.
    assert!(c.find_all(Locator::Css("#uscc-status")).await.unwrap().is_empty(), "the USCC error shown twice");
    let kept = c.find(Locator::Id("company_name")).await.unwrap().prop("value").await.unwrap();
    assert_eq!(kept.as_deref(), Some(name));
    let kept = c.find(Locator::Id("planned_investment")).await.unwrap().prop("value").await.unwrap();
    assert_eq!(kept.as_deref(), Some("1.5亿"));
    let kept = c.find(Locator::Id("channel")).await.unwrap().prop("value").await.unwrap();
    assert_eq!(kept.as_deref(), Some("resident"));

    // Fixing it fills the region in from the code.
    let field = c.find(Locator::Id("uscc")).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(&good).await.unwrap();
    wait_text(c, "#uscc-region", |t| t == "江苏省 南京市 江宁区").await;

    c.find(Locator::Id("save-lead")).await.unwrap().click().await.unwrap();
    let url = wait_url(c, |u| u.rsplit('/').next().is_some_and(|id| id.parse::<i64>().is_ok())).await;
    wait_text(c, "#lead-title", |t| t == name).await;
    wait_text(c, "#lead-region", |t| t.contains("江宁区") && t.contains("长三角")).await;
    let id = url.rsplit('/').next().unwrap().to_string();

    // Find it in the list with live filters (a changed select applies without a button).
    c.goto(&app.url("/leads")).await.unwrap();
    wait_island(c, "auto-submit").await;
    c.find(Locator::Id("filter-q")).await.unwrap().send_keys("浏览器测").await.unwrap();
    c.find(Locator::Id("filter-group")).await.unwrap().select_by_value("yrd").await.unwrap();
    wait_url(c, |u| u.contains("group=yrd") && u.contains("q=")).await;
    wait_text(c, "#lead-table tbody", |t| t.contains(name)).await;
    let summary = c.find(Locator::Id("lead-summary")).await.unwrap().attr("data-total").await.unwrap();
    assert_eq!(summary.as_deref(), Some("1"));
    let row = c.find(Locator::Css(&format!("tr.lead-row[data-id='{id}'] a"))).await.unwrap();
    row.click().await.unwrap();
    wait_text(c, "#lead-title", |t| t == name).await;

    // Switch to English; the choice sticks across pages.
    c.find(Locator::Id("switch-lang")).await.unwrap().click().await.unwrap();
    wait_text(c, "header.topbar", |t| t.contains("Log out")).await;
    c.goto(&app.url("/leads")).await.unwrap();
    wait_text(c, "h1", |t| t == "Leads").await;
    let lang = c.find(Locator::Css("html")).await.unwrap().attr("lang").await.unwrap();
    assert_eq!(lang.as_deref(), Some("en"));

    // English inside the island too: its text comes from the server in the reader's language.
    c.goto(&app.url("/leads/new")).await.unwrap();
    wait_island(c, "uscc").await;
    c.find(Locator::Id("uscc")).await.unwrap().send_keys(&bad).await.unwrap();
    wait_text(c, "#uscc-status", |t| t.contains("Wrong check character")).await;
    c.find(Locator::Id("uscc")).await.unwrap().clear().await.unwrap();
    c.find(Locator::Id("uscc")).await.unwrap().send_keys(&uscc("320115", 4243)).await.unwrap();
    wait_text(c, "#uscc-status", |t| {
        t.contains("USCC format and check digit valid") && t.contains("Region:") && t.contains("江宁区")
    })
    .await;
    // The code saved above is registered: the line under the box says so instead of the ✓, and
    // the box is marked, before any save, as the save would be refused.
    c.find(Locator::Id("uscc")).await.unwrap().clear().await.unwrap();
    c.find(Locator::Id("uscc")).await.unwrap().send_keys(&good).await.unwrap();
    wait_text(c, "#duplicate-warning", |t| t.contains(name)).await;
    wait_text(c, "#uscc-status", |t| t.contains("already on another lead")).await;
    let marked = c.find(Locator::Id("uscc")).await.unwrap().attr("aria-invalid").await.unwrap();
    assert_eq!(marked.as_deref(), Some("true"));

    b.finish().await;
}

#[tokio::test]
async fn open_the_chain_map_follow_a_gap_to_a_lead_and_read_its_breakdown() {
    site_built();
    let app = TestApp::spawn().await;
    app.create_user("mgr", Role::Manager).await;
    let b = browser().await;
    let c = &b.client;

    c.goto(&app.url("/login")).await.unwrap();
    c.find(Locator::Id("username")).await.unwrap().send_keys("mgr").await.unwrap();
    c.find(Locator::Id("password")).await.unwrap().send_keys(PASSWORD).await.unwrap();
    c.find(Locator::Id("login-submit")).await.unwrap().click().await.unwrap();
    wait_url(c, |u| u.ends_with('/')).await;

    // A lead logged and placed on a gap node of the first chain, through the UI.
    let name = "补链光模块科技有限公司";
    c.goto(&app.url("/leads/new")).await.unwrap();
    wait_island(c, "uscc").await;
    c.find(Locator::Id("company_name")).await.unwrap().send_keys(name).await.unwrap();
    c.find(Locator::Id("uscc")).await.unwrap().send_keys(&uscc("440305", 777)).await.unwrap();
    wait_text(c, "#uscc-region", |t| t.contains("深圳市")).await;
    c.find(Locator::Id("industry")).await.unwrap().select_by_value("electronic_comms").await.unwrap();
    c.find(Locator::Id("channel")).await.unwrap().select_by_value("exhibition").await.unwrap();
    c.find(Locator::Id("high_tech")).await.unwrap().select_by_value("yes").await.unwrap();
    c.find(Locator::Id("save-lead")).await.unwrap().click().await.unwrap();
    wait_text(c, "#lead-title", |t| t == name).await;
    wait_hydrated(c).await;
    c.find(Locator::Css("#place-node option:nth-child(4)")).await.unwrap().click().await.unwrap();
    let node_id = c.find(Locator::Id("place-node")).await.unwrap().prop("value").await.unwrap().unwrap();
    c.find(Locator::Id("place-role")).await.unwrap().select_by_value("leader").await.unwrap();
    c.find(Locator::Id("place-submit")).await.unwrap().click().await.unwrap();
    wait_text(c, "#placements", |t| t.contains("光模块")).await;

    // The chain map marks the node a gap; its lead count leads to the lead.
    c.goto(&app.url("/chains")).await.unwrap();
    c.find(Locator::Css(".chain-row a")).await.unwrap().click().await.unwrap();
    wait_text(c, "#chain-title", |t| t.contains("5G")).await;
    let node_css = format!("#node-{node_id}");
    wait_text(c, &node_css, |t| t.contains("缺链") && t.contains("在谈线索 1 条")).await;
    c.find(Locator::Css(&format!("{node_css} a.node-leads-link"))).await.unwrap().click().await.unwrap();
    wait_url(c, |u| u.contains(&format!("node={node_id}"))).await;
    wait_text(c, "#lead-table tbody", |t| t.contains(name)).await;
    c.find(Locator::Css("tr.lead-row a")).await.unwrap().click().await.unwrap();

    // The breakdown: every factor, with the chain factor now known and filling a gap.
    wait_text(c, "#lead-title", |t| t == name).await;
    let breakdown = wait_text(c, "#score-breakdown", |t| t.contains("链上价值")).await;
    for text in ["产业契合", "首位产业电子通信", "龙头项目，且补上缺链环节", "来自珠三角", "未知"]
    {
        assert!(breakdown.contains(text), "breakdown lacks {text}: {breakdown}");
    }
    let total = c.find(Locator::Id("score-total")).await.unwrap().text().await.unwrap();
    assert!(total.parse::<f64>().unwrap() > 0.0);

    // And the gap list names it as a candidate.
    c.goto(&app.url("/gaps")).await.unwrap();
    wait_text(c, &format!("tr.gap-row[data-node='{node_id}']"), |t| t.contains(name)).await;

    b.finish().await;
}

#[tokio::test]
async fn move_a_lead_to_the_next_stage_log_an_activity_and_see_both_on_the_timeline() {
    site_built();
    let app = TestApp::spawn().await;
    app.create_user("pipe", Role::Staff).await;
    let b = browser().await;
    let c = &b.client;
    c.goto(&app.url("/login")).await.unwrap();
    c.find(Locator::Id("username")).await.unwrap().send_keys("pipe").await.unwrap();
    c.find(Locator::Id("password")).await.unwrap().send_keys(PASSWORD).await.unwrap();
    c.find(Locator::Id("login-submit")).await.unwrap().click().await.unwrap();
    wait_url(c, |u| u.ends_with('/')).await;

    let name = "时间线测试有限公司";
    c.goto(&app.url("/leads/new")).await.unwrap();
    wait_hydrated(c).await;
    c.find(Locator::Id("company_name")).await.unwrap().send_keys(name).await.unwrap();
    c.find(Locator::Id("region_code")).await.unwrap().select_by_value("OS-EU").await.unwrap();
    c.find(Locator::Id("industry")).await.unwrap().select_by_value("smart_manufacturing").await.unwrap();
    c.find(Locator::Id("channel")).await.unwrap().select_by_value("agency").await.unwrap();
    c.find(Locator::Id("save-lead")).await.unwrap().click().await.unwrap();
    wait_text(c, "#lead-title", |t| t == name).await;
    wait_hydrated(c).await;

    // The stage form is folded and offers the next stage (线索 → 接洽) first.
    c.find(Locator::Id("move-open")).await.unwrap().click().await.unwrap();
    let offered = c.find(Locator::Id("move-to")).await.unwrap().prop("value").await.unwrap();
    assert_eq!(offered.as_deref(), Some("contact"));
    // The 签约 figures show only when 签约 is chosen.
    assert!(!c.find(Locator::Id("signed-investment")).await.unwrap().is_displayed().await.unwrap());
    c.find(Locator::Id("move-to")).await.unwrap().select_by_value("signed").await.unwrap();
    assert!(c.find(Locator::Id("signed-investment")).await.unwrap().is_displayed().await.unwrap());
    c.find(Locator::Id("move-to")).await.unwrap().select_by_value("contact").await.unwrap();
    c.find(Locator::Id("move-submit")).await.unwrap().click().await.unwrap();
    wait_text(c, "#pipeline-stage", |t| t == "接洽").await;

    // Log a call with a next step.
    c.find(Locator::Id("log-open")).await.unwrap().click().await.unwrap();
    c.find(Locator::Id("activity-kind")).await.unwrap().select_by_value("call").await.unwrap();
    c.find(Locator::Id("activity-summary")).await.unwrap().send_keys("首次电话，对方有意向来马鞍山考察").await.unwrap();
    c.find(Locator::Id("activity-next")).await.unwrap().send_keys("发送园区介绍").await.unwrap();
    c.find(Locator::Id("activity-submit")).await.unwrap().click().await.unwrap();

    let timeline = wait_text(c, "#timeline", |t| t.contains("首次电话")).await;
    assert!(timeline.contains("线索 → 接洽"), "the move is on the timeline too: {timeline}");
    assert!(timeline.contains("电话") && timeline.contains("发送园区介绍"));

    // Deleting asks first (the Confirm island): "no" keeps the lead, "yes" moves it to the trash.
    wait_island(c, "confirm").await;
    let here = c.current_url().await.unwrap().to_string();
    c.find(Locator::Id("delete-lead")).await.unwrap().click().await.unwrap();
    let asked = c.get_alert_text().await.unwrap();
    assert!(asked.contains("回收站"), "{asked}");
    c.dismiss_alert().await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(c.current_url().await.unwrap().to_string(), here, "no: nothing happened");
    c.refresh().await.unwrap();
    wait_text(c, "#lead-title", |t| t == name).await;
    c.find(Locator::Id("delete-lead")).await.unwrap().click().await.unwrap();
    c.accept_alert().await.unwrap();
    wait_url(c, |u| u.ends_with("/leads")).await;
    b.finish().await;
}

#[tokio::test]
async fn drag_a_card_to_the_next_column_on_the_board() {
    site_built();
    let app = TestApp::spawn().await;
    let (api, _) = app.login_as("board", Role::Manager).await;
    let (status, id) =
        app.call(&api, "leads/save", &lianzhao_tests::lead_fields("看板拖动有限公司", &uscc("320115", 99))).await;
    assert_eq!(status, 200, "{id}");
    let b = browser().await;
    let c = &b.client;
    c.goto(&app.url("/login")).await.unwrap();
    c.find(Locator::Id("username")).await.unwrap().send_keys("board").await.unwrap();
    c.find(Locator::Id("password")).await.unwrap().send_keys(PASSWORD).await.unwrap();
    c.find(Locator::Id("login-submit")).await.unwrap().click().await.unwrap();
    wait_url(c, |u| u.ends_with('/')).await;

    c.goto(&app.url("/kanban")).await.unwrap();
    wait_island(c, "drag-to-move").await;
    wait_text(c, ".kanban-column[data-stage='clue']", |t| t.contains("看板拖动有限公司")).await;
    // HTML5 drag and drop, as the browser fires it (WebDriver cannot drive native drags).
    let script = r#"
        const [id] = arguments;
        const card = document.querySelector(`.kanban-card[data-id='${id}']`);
        const target = document.querySelector(".kanban-column[data-stage='contact']");
        const dt = new DataTransfer();
        card.dispatchEvent(new DragEvent('dragstart', { bubbles: true, dataTransfer: dt }));
        target.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: dt }));
        target.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
    "#;
    c.execute(script, vec![id.clone()]).await.unwrap();
    wait_text(c, ".kanban-column[data-stage='contact']", |t| t.contains("看板拖动有限公司")).await;
    let (_, p) = app.call(&api, "pipeline/get", &[("lead_id", &id.to_string())]).await;
    assert_eq!(p["stage"], "contact", "the move reached the server");
    assert_eq!(p["timeline"][0]["item"]["Move"]["from"], "clue");
    b.finish().await;
}

/// Sets a form control's value the way a user's picker would (date and time inputs take
/// locale-dependent keystrokes).
async fn set_value(c: &Client, id: &str, value: &str) {
    c.execute(
        "const el = document.getElementById(arguments[0]); el.value = arguments[1]; \
         el.dispatchEvent(new Event('input', {bubbles: true})); el.dispatchEvent(new Event('change', {bubbles: true}));",
        vec![serde_json::json!(id), serde_json::json!(value)],
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn assign_three_leads_in_bulk_plan_a_trip_with_two_visits_and_see_it_on_the_calendar() {
    site_built();
    let app = TestApp::spawn().await;
    let (setup, _) = app.login_as("boss", Role::Manager).await;
    let (_, staff) = app.login_as("fang", Role::Staff).await;
    let (status, team) = app
        .call(
            &setup,
            "teams/save",
            &[
                ("form[name]", "深圳驻点专班"),
                ("form[focus_regions]", "深圳"),
                (&format!("form[members][{staff}]"), &staff.to_string()),
            ],
        )
        .await;
    assert_eq!(status, 200, "{team}");
    // A second team, whose member the 负责人 select stops offering once 深圳 is chosen.
    let (_, other_staff) = app.login_as("lei", Role::Staff).await;
    let (status, other) = app
        .call(
            &setup,
            "teams/save",
            &[
                ("form[name]", "南京驻点专班"),
                ("form[focus_regions]", "南京"),
                (&format!("form[members][{other_staff}]"), &other_staff.to_string()),
            ],
        )
        .await;
    assert_eq!(status, 200, "{other}");
    let mut leads = Vec::new();
    for (i, name) in ["鹏城微电子有限公司", "南山光通信有限公司", "前海智造有限公司"].iter().enumerate()
    {
        let (status, id) =
            app.call(&setup, "leads/save", &lianzhao_tests::lead_fields(name, &uscc("440305", 500 + i as u32))).await;
        assert_eq!(status, 200, "{id}");
        leads.push((id.as_i64().unwrap(), name.to_string()));
    }

    let b = browser().await;
    let c = &b.client;
    c.goto(&app.url("/login")).await.unwrap();
    c.find(Locator::Id("username")).await.unwrap().send_keys("boss").await.unwrap();
    c.find(Locator::Id("password")).await.unwrap().send_keys(PASSWORD).await.unwrap();
    c.find(Locator::Id("login-submit")).await.unwrap().click().await.unwrap();
    wait_url(c, |u| u.ends_with('/')).await;

    // The queue suggests the Shenzhen team for all three; assign them in one go.
    c.goto(&app.url("/leads/unassigned")).await.unwrap();
    wait_hydrated(c).await;
    let queue = wait_text(c, "#queue", |t| t.contains("前海智造有限公司")).await;
    assert!(queue.contains("深圳驻点专班") && queue.contains("深圳"), "{queue}");
    for check in c.find_all(Locator::Css(".queue-check")).await.unwrap() {
        check.click().await.unwrap();
    }
    // The 负责人 chosen first chooses their 专班, and the other 专班's members are no longer offered.
    c.find(Locator::Id("bulk-owner")).await.unwrap().select_by_value(&staff.to_string()).await.unwrap();
    let team_value = c.execute("return document.getElementById('bulk-team').value", vec![]).await.unwrap();
    assert_eq!(team_value, serde_json::json!(team.to_string()), "the 负责人's 专班 chosen with them");
    let offered = |team: String| async move {
        c.execute(
            "const g = document.querySelector(`#bulk-owner optgroup[data-team='${arguments[0]}']`); \
             return !g.disabled && !g.hidden;",
            vec![serde_json::json!(team)],
        )
        .await
        .unwrap()
    };
    assert_eq!(offered(other.to_string()).await, serde_json::json!(false), "南京's members not offered");
    assert_eq!(offered(team.to_string()).await, serde_json::json!(true));
    // Back to no 专班: everyone is offered again; 深圳 again: the chosen 负责人 stays.
    c.find(Locator::Id("bulk-team")).await.unwrap().select_by_value("").await.unwrap();
    assert_eq!(offered(other.to_string()).await, serde_json::json!(true), "all offered without a 专班");
    c.find(Locator::Id("bulk-team")).await.unwrap().select_by_value(&team.to_string()).await.unwrap();
    let owner_value = c.execute("return document.getElementById('bulk-owner').value", vec![]).await.unwrap();
    assert_eq!(owner_value, serde_json::json!(staff.to_string()));
    c.find(Locator::Id("bulk-assign-submit")).await.unwrap().click().await.unwrap();
    wait_text(c, "#assign-done", |t| t.contains('3')).await;
    wait_text(c, "#queue-empty", |_| true).await;

    // Plan a trip to Shenzhen with two visits.
    let day = (chrono::Utc::now().with_timezone(&chrono_tz::Asia::Shanghai).date_naive() + chrono::Duration::days(2))
        .to_string();
    c.goto(&app.url("/trips")).await.unwrap();
    wait_hydrated(c).await;
    c.find(Locator::Id("trip-destination")).await.unwrap().send_keys("深圳").await.unwrap();
    set_value(c, "trip-start", &day).await;
    set_value(c, "trip-end", &day).await;
    c.find(Locator::Id("trip-purpose")).await.unwrap().send_keys("深圳电子信息产业链招商").await.unwrap();
    c.find(Locator::Css(&format!("input[name='form[members][{staff}]']"))).await.unwrap().click().await.unwrap();
    c.find(Locator::Id("trip-create")).await.unwrap().click().await.unwrap();
    wait_url(c, |u| u.contains("/trips/")).await;
    wait_text(c, "#trip-title", |t| t == "深圳电子信息产业链招商").await;
    wait_hydrated(c).await;
    for ((id, name), (start, end)) in leads.iter().take(2).zip([("09:30", "11:00"), ("14:00", "15:30")]) {
        c.find(Locator::Id("visit-lead")).await.unwrap().send_keys(&format!("#{id} {name}")).await.unwrap();
        set_value(c, "visit-start", start).await;
        set_value(c, "visit-end", end).await;
        c.find(Locator::Id("visit-add")).await.unwrap().click().await.unwrap();
        wait_text(c, "#visits", |t| t.contains(name.as_str())).await;
        // The form is reused for the next visit.
        c.execute("document.getElementById('visit-lead').value = ''", vec![]).await.unwrap();
    }
    c.find(Locator::Id("trip-publish")).await.unwrap().click().await.unwrap();
    wait_text(c, "#trip-status", |t| t == "已发布").await;

    // The week's calendar shows the trip and both visits.
    c.goto(&app.url(&format!("/calendar?view=week&date={day}"))).await.unwrap();
    let cal = wait_text(c, "#calendar", |t| t.contains("鹏城微电子有限公司")).await;
    assert!(
        cal.contains("南山光通信有限公司") && cal.contains("09:30") && cal.contains("深圳电子信息产业链招商"),
        "{cal}"
    );
    b.finish().await;
}

#[tokio::test]
async fn open_the_dashboard_then_plan_next_week_from_a_suggestion() {
    site_built();
    let app = TestApp::spawn().await;
    let (setup, _) = app.login_as("chief", Role::Manager).await;
    let (_, staff) = app.login_as("li", Role::Staff).await;
    let (status, team) = app
        .call(
            &setup,
            "teams/save",
            &[
                ("form[name]", "南京驻点专班"),
                ("form[focus_regions]", "南京"),
                (&format!("form[members][{staff}]"), &staff.to_string()),
            ],
        )
        .await;
    assert_eq!(status, 200, "{team}");
    let team = team.to_string();
    let mut ids = Vec::new();
    for (i, name) in ["江宁智造有限公司", "浦口光电有限公司"].iter().enumerate() {
        let (status, id) =
            app.call(&setup, "leads/save", &lianzhao_tests::lead_fields(name, &uscc("320115", 700 + i as u32))).await;
        assert_eq!(status, 200);
        ids.push(id.to_string());
    }
    let mut fields = vec![("team_id".to_string(), team.clone()), ("owner_id".to_string(), staff.to_string())];
    fields.extend(ids.iter().map(|id| (format!("lead_ids[{id}]"), id.clone())));
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(app.call(&setup, "assign/leads", &refs).await.0, 200);

    let b = browser().await;
    let c = &b.client;
    c.goto(&app.url("/login")).await.unwrap();
    c.find(Locator::Id("username")).await.unwrap().send_keys("chief").await.unwrap();
    c.find(Locator::Id("password")).await.unwrap().send_keys(PASSWORD).await.unwrap();
    c.find(Locator::Id("login-submit")).await.unwrap().click().await.unwrap();
    wait_url(c, |u| u.ends_with('/')).await;

    // The dashboard draws its charts on the server; their numbers are one click away.
    c.goto(&app.url("/dashboard")).await.unwrap();
    wait_hydrated(c).await;
    let funnel = wait_text(c, "#chart-funnel figcaption", |t| !t.is_empty()).await;
    assert!(funnel.contains("漏斗"), "{funnel}");
    assert_eq!(c.find_all(Locator::Css("#chart-funnel svg rect.bar-value")).await.unwrap().len(), 9);
    c.find(Locator::Css("#chart-regions details summary")).await.unwrap().click().await.unwrap();
    let numbers = wait_text(c, "#chart-regions table", |t| t.contains("长三角")).await;
    assert!(numbers.contains('2'), "{numbers}");

    // The planner suggests both Nanjing companies; accept them into a draft trip.
    c.goto(&app.url(&format!("/planner?team={team}"))).await.unwrap();
    wait_hydrated(c).await;
    let cluster = wait_text(c, ".planner-cluster", |t| t.contains("江宁智造有限公司")).await;
    assert!(cluster.contains("浦口光电有限公司") && cluster.contains("南京"), "{cluster}");
    c.find(Locator::Css(".planner-cluster .accept-plan")).await.unwrap().click().await.unwrap();
    wait_url(c, |u| u.contains("/trips/")).await;
    let visits = wait_text(c, "#visits", |t| t.contains("江宁智造有限公司")).await;
    assert!(visits.contains("浦口光电有限公司") && visits.contains("09:30"), "{visits}");
    wait_text(c, "#trip-status", |t| t == "草稿").await;
    b.finish().await;
}
