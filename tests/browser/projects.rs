//! 项目建设计划 in the browser (release site): on a signed project's page, count the plan back
//! from the committed start, mark a milestone reached, and see it on the timeline and the stage;
//! the plan on a phone fits.

use super::new_lead;
use super::site_built;
use app::domain::role::Role;
use fantoccini::Locator;
use lianzhao_tests::browser::{assert_fits, wait_hydrated, wait_text, Browser, Screen};
use lianzhao_tests::{TestApp, PASSWORD};

#[tokio::test]
async fn count_back_a_plan_mark_a_milestone_reached_and_see_it_on_the_timeline() {
    site_built();
    let app = TestApp::spawn().await;
    let (mgr, _) = app.login_as("jianshe", Role::Manager).await;
    let lead = new_lead(&app, &mgr, "倒排计划测试有限公司", "320115", 91).await;
    let fields = [
        ("lead_id", lead.as_str()),
        ("form[to]", "signed"),
        ("form[comment]", "签约"),
        ("form[signed_investment]", "5亿"),
        ("form[planned_start]", "2027-03-01"),
    ];
    let (status, body) = app.call(&mgr, "pipeline/move", &fields).await;
    assert_eq!(status, 200, "{body}");

    let b = Browser::start(Screen::Desktop).await;
    let c = &b.client;
    b.log_in(&app.base, "jianshe", PASSWORD).await;
    c.goto(&app.url(&format!("/leads/{lead}"))).await.unwrap();
    wait_hydrated(c).await;
    // An empty plan opens the 倒排 form with the committed start already in it.
    let date = c.find(Locator::Id("count-back-date")).await.unwrap().prop("value").await.unwrap();
    assert_eq!(date.as_deref(), Some("2027-03-01"));
    c.find(Locator::Id("count-back-submit")).await.unwrap().click().await.unwrap();
    wait_text(c, "#milestone-construction_permit", |t| t.contains("2027-02-14")).await;
    wait_text(c, "#milestone-start", |t| t.contains("2027-03-01")).await;
    wait_text(c, "#milestone-completion", |t| t.contains("2028-02-29")).await;
    wait_hydrated(c).await;

    // 注册 reached today: the row says so, the lead is at 注册, the timeline shows both.
    c.find(Locator::Id("reach-register")).await.unwrap().click().await.unwrap();
    wait_text(c, "#milestone-register .milestone-status", |t| t.contains("已完成")).await;
    wait_text(c, "#timeline", |t| t.contains("节点完成") && t.contains("注册")).await;
    wait_hydrated(c).await;
    let status = c.find(Locator::Id("milestone-register")).await.unwrap().attr("data-status").await.unwrap();
    assert_eq!(status.as_deref(), Some("done"));
    b.assert_clean("the plan on a desktop").await;
    b.finish().await;

    // On a phone the page with its plan fits the width (the table scrolls in its own box).
    let b = Browser::start(Screen::Phone).await;
    let c = &b.client;
    b.log_in(&app.base, "jianshe", PASSWORD).await;
    c.goto(&app.url(&format!("/leads/{lead}"))).await.unwrap();
    wait_hydrated(c).await;
    assert!(c.find(Locator::Id("plan-table")).await.is_ok());
    assert_fits(c, "the lead page with its plan on a phone").await;
    c.goto(&app.url("/projects")).await.unwrap();
    wait_hydrated(c).await;
    assert_fits(c, "/projects on a phone").await;
    b.finish().await;
}
