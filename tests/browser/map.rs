//! 招商地图 in the browser (release site): the 长三角 preset, click a city → its panel → its
//! leads, switch a layer, and at phone width the map fits and its table is reachable.

use super::new_lead;
use super::site_built;
use app::domain::role::Role;
use fantoccini::Locator;
use lianzhao_tests::browser::{assert_fits, wait_hydrated, wait_text, wait_url, Browser, Screen};
use lianzhao_tests::{TestApp, PASSWORD};

#[tokio::test]
async fn pick_the_delta_click_a_city_see_its_leads_switch_a_layer_and_read_it_on_a_phone() {
    site_built();
    let app = TestApp::spawn().await;
    let (mgr, _) = app.login_as("ditu", Role::Manager).await;
    new_lead(&app, &mgr, "苏州地图甲通信有限公司", "320505", 81).await;
    new_lead(&app, &mgr, "苏州地图乙通信有限公司", "320583", 82).await;
    new_lead(&app, &mgr, "南京地图丙通信有限公司", "320115", 83).await;

    let b = Browser::start(Screen::Desktop).await;
    let c = &b.client;
    b.log_in(&app.base, "ditu", PASSWORD).await;
    c.goto(&app.url("/map")).await.unwrap();
    wait_hydrated(c).await;
    assert!(c.find(Locator::Id("china-map")).await.is_ok());

    // The 长三角 preset: a closer frame with the cities' names.
    c.find(Locator::Id("view-yrd")).await.unwrap().click().await.unwrap();
    wait_url(c, |u| u.contains("view=yrd")).await;
    wait_text(c, "#china-map .labels", |t| t.contains("苏州市") && t.contains("南京市")).await;

    // Click 苏州 on the map: its panel lists its two leads; on to the list of its leads.
    c.find(Locator::Css("#map-3205 path")).await.unwrap().click().await.unwrap();
    wait_url(c, |u| u.contains("city=3205")).await;
    wait_text(c, "#map-panel", |t| t.contains("苏州地图甲通信") && t.contains("苏州地图乙通信")).await;
    assert!(!c.find(Locator::Id("map-panel")).await.unwrap().text().await.unwrap().contains("南京地图丙"));
    c.find(Locator::Id("map-city-leads")).await.unwrap().click().await.unwrap();
    wait_url(c, |u| u.contains("/leads?region=3205")).await;
    let rows = wait_text(c, "table", |t| t.contains("苏州地图甲通信")).await;
    assert!(!rows.contains("南京地图丙"), "only 苏州's leads: {rows}");
    wait_text(c, "#filter-region", |t| t.contains("苏州市")).await;

    // Switch the layer: the select applies at once (AutoSubmit island).
    c.goto(&app.url("/map?view=yrd")).await.unwrap();
    wait_hydrated(c).await;
    c.find(Locator::Css("#map-layer option[value='investment']")).await.unwrap().click().await.unwrap();
    wait_url(c, |u| u.contains("layer=investment")).await;
    wait_text(c, "#map-table", |t| t.contains("计划投资")).await;
    b.assert_clean("the map on a desktop").await;
    b.finish().await;

    // On a phone: the delta fits the width, the table is below the map and opens.
    let b = Browser::start(Screen::Phone).await;
    let c = &b.client;
    b.log_in(&app.base, "ditu", PASSWORD).await;
    c.goto(&app.url("/map?view=yrd")).await.unwrap();
    wait_hydrated(c).await;
    assert_fits(c, "/map?view=yrd on a phone").await;
    let width: f64 = c
        .execute("return document.getElementById('china-map').getBoundingClientRect().width", vec![])
        .await
        .unwrap()
        .as_f64()
        .unwrap_or(0.0);
    assert!(width > 300.0 && width <= 390.0, "the map fills the phone's width: {width}");
    let table = c.find(Locator::Id("map-table")).await.unwrap();
    c.execute("document.getElementById('map-table').scrollIntoView()", vec![]).await.unwrap();
    assert!(table.is_displayed().await.unwrap());
    wait_text(c, "#map-table", |t| t.contains("苏州市")).await;
    b.finish().await;
}
