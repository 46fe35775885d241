//! 招商地图 through HTTP: the counts per city are the lead list's counts for the same filter, for
//! a manager and for staff (who see only their own leads); overseas leads are listed beside the
//! map; a city's panel and its links; the trips layer; the saved SVG; the dashboard's small map.

use crate::teams::new_lead;
use crate::trips::{day, new_trip};
use app::domain::role::Role;
use lianzhao_tests::{lead_fields, TestApp};
use std::collections::BTreeMap;

/// The map page's table: place code → the figure shown.
fn table(html: &str) -> BTreeMap<String, String> {
    html.split(r#"<tr data-code=""#)
        .skip(1)
        .filter_map(|row| {
            let code = row.split('"').next()?;
            let shown = row.split(r#"<td class="num">"#).nth(1)?.split('<').next()?;
            Some((code.to_string(), shown.to_string()))
        })
        .collect()
}

/// The lead list's total for a query string, from the list's server function.
async fn list_total(app: &TestApp, client: &reqwest::Client, fields: &[(&str, &str)]) -> u64 {
    let (status, body) = app.call(client, "leads/list", fields).await;
    assert_eq!(status, 200, "{body}");
    body["total"].as_u64().expect("total")
}

#[tokio::test]
async fn the_map_counts_what_the_list_counts_and_keeps_overseas_leads() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("mapmgr", Role::Manager).await;
    let (staff, staff_id) = app.login_as("mapstaff", Role::Staff).await;
    // Manager's leads: two in 苏州 (one a county), one in 南京, one only in 江苏, one in Europe.
    new_lead(&app, &manager, "苏州甲通信有限公司", "320505", 1).await;
    new_lead(&app, &manager, "苏州乙通信有限公司", "320583", 2).await;
    new_lead(&app, &manager, "南京丙通信有限公司", "320115", 3).await;
    // One placed only in 浙江 (no city): on the province's row, not spread over its cities.
    let mut province_only = lead_fields("浙江省级己通信有限公司", "");
    province_only.push(("form[region_code]", "33"));
    let (status, body) = app.call(&manager, "leads/save", &province_only).await;
    assert_eq!(status, 200, "{body}");
    let mut overseas = lead_fields("欧洲丁光电公司", "");
    overseas.push(("form[region_code]", "OS-EU"));
    let (status, body) = app.call(&manager, "leads/save", &overseas).await;
    assert_eq!(status, 200, "{body}");
    // Staff's own lead in 深圳.
    new_lead(&app, &staff, "深圳戊通信有限公司", "440305", 4).await;

    let (status, html) = app.page(&manager, "/map").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"id="china-map""#) && html.contains(r#"id="map-3205""#), "the map is drawn");
    let t = table(&html);
    assert_eq!(t.get("3205").map(String::as_str), Some("2"), "{t:?}");
    assert_eq!(t.get("3201").map(String::as_str), Some("1"));
    assert_eq!(t.get("4403").map(String::as_str), Some("1"));
    assert_eq!(t.get("33").map(String::as_str), Some("1"), "the province-only lead on 浙江's row");
    let hangzhou = html.split(r#"id="map-3301""#).nth(1).and_then(|r| r.split("</a>").next()).unwrap_or_default();
    assert!(hangzhou.contains("#eef1f4") && !hangzhou.contains("线索 1 条"), "杭州 has none: {hangzhou}");
    for (code, shown) in &t {
        let total = list_total(&app, &manager, &[("filter[region]", code)]).await;
        assert_eq!(shown, &total.to_string(), "{code}: map and list agree");
    }
    // The legend counts in whole leads, each step one a count can fall in: 2 at most here, so
    // 「≥ 1」 and 「≥ 2」 (was 「≥ 0.13 / ≥ 0.5 / ≥ 1.13 / ≥ 2」).
    let legend = html.split(r#"id="map-legend""#).nth(1).and_then(|r| r.split("</ul>").next()).unwrap_or_default();
    assert!(legend.contains("≥ 1<") && legend.contains("≥ 2<") && !legend.contains('.'), "{legend}");
    assert_eq!(legend.matches("≥").count(), 2, "{legend}");
    // Overseas: beside the map, not lost.
    assert!(html.contains(r#"data-area="OS-EU""#), "overseas listed");
    let overseas_block = html.split(r#"id="map-overseas""#).nth(1).expect("overseas block");
    assert!(overseas_block.split("</section>").next().unwrap_or_default().contains("<strong>1</strong>"));
    // The sum of the table and the overseas list is the whole list.
    let all = list_total(&app, &manager, &[]).await;
    let placed: u64 = t.values().filter_map(|v| v.parse::<u64>().ok()).sum();
    assert_eq!(placed + 1, all);

    // A filter: the same on both sides (a stage nobody has → nothing on the map).
    let (_, html) = app.page(&manager, "/map?stage=negotiation").await;
    assert!(table(&html).is_empty());
    let (_, html) = app.page(&manager, "/map?view=yrd&industry=electronic_comms&grade=").await;
    let t = table(&html);
    for (code, shown) in &t {
        let total =
            list_total(&app, &manager, &[("filter[region]", code), ("filter[industry]", "electronic_comms")]).await;
        assert_eq!(shown, &total.to_string(), "{code} with the industry filter");
    }
    assert!(html.contains(r#"aria-current="page""#) && html.contains(r#"id="view-yrd""#));
    // The lead filters fold away until one is chosen (on a phone they took the first screen).
    let fold = super::plain_forms::tag_of(&html, "map-filters").unwrap_or_default();
    assert!(fold.starts_with("<details") && fold.contains(" open"), "one chosen: open: {fold}");
    assert!(html.contains("筛选线索（已选 1 项）"), "it says how many");
    let (_, plain) = app.page(&manager, "/map?view=yrd").await;
    let fold = super::plain_forms::tag_of(&plain, "map-filters").unwrap_or_default();
    assert!(fold.starts_with("<details") && !fold.contains(" open"), "none chosen: folded: {fold}");

    // Staff: only what they may read.
    let (_, html) = app.page(&staff, "/map").await;
    let t = table(&html);
    assert_eq!(t.keys().collect::<Vec<_>>(), vec!["4403"], "staff see their own lead only: {t:?}");
    assert!(!html.contains("苏州甲通信"), "no other staff's company in the page");
    let (_, html) = app.page(&staff, "/map?city=3205").await;
    assert!(html.contains(r#"id="map-panel""#));
    assert!(!html.contains("苏州甲通信"), "the panel lists only readable leads");
    assert!(html.contains(r#"id="map-panel-total">0<"#));

    // The manager's panel of 苏州: best first, with the way to the list, a trip and the gaps.
    let (_, html) = app.page(&manager, "/map?city=3205").await;
    assert!(html.contains("苏州甲通信") && html.contains("苏州乙通信") && !html.contains("南京丙通信有限公司</a>"));
    assert!(html.contains(r#"href="/leads?region=3205&amp;sort=-score""#), "link to the city's leads");
    assert!(html.contains(r#"id="map-city-trip""#) && html.contains("/trips?destination="));
    assert!(html.contains(r#"href="/gaps?region=3205""#));
    let (status, list) = app.page(&manager, "/leads?region=3205").await;
    assert_eq!(status, 200);
    assert!(list.contains("苏州甲通信") && !list.contains("南京丙通信") && list.contains(r#"id="filter-region""#));
    let (status, gaps) = app.page(&manager, "/gaps?region=3205").await;
    assert_eq!(status, 200);
    assert!(gaps.contains(r#"id="gaps-region""#));
    let (_, trips) = app.page(&manager, "/trips?destination=%E8%8B%8F%E5%B7%9E%E5%B8%82").await;
    assert!(trips.contains(r#"value="苏州市""#), "the trip form is filled in");

    // Trips layer: a trip this month to 深圳 (the helper's destination) shows on 4403 once it is
    // published (a draft is not yet a plan the office stands by).
    let trip = new_trip(&app, &manager, "走访深圳", &[staff_id], &day(0), &day(0)).await;
    let (_, html) = app.page(&manager, "/map?layer=trips").await;
    assert_eq!(table(&html).get("4403"), None, "a draft: {:?}", table(&html));
    assert_eq!(app.call(&manager, "trips/publish", &[("id", &trip)]).await.0, 200);
    let (_, html) = app.page(&manager, "/map?layer=trips").await;
    assert_eq!(table(&html).get("4403").map(String::as_str), Some("1 / 0"), "{:?}", table(&html));
    assert!(html.contains(r#"id="map-period""#));

    // The saved SVG, and its size budget for the whole country.
    let res = manager.get(app.url("/map.svg")).send().await.expect("svg");
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap_or_default().starts_with("image/svg+xml"));
    // Saved as 招商地图-全国.svg (the view as the reader names it), map-china.svg beside it.
    let disposition = res.headers()["content-disposition"].to_str().unwrap_or_default().to_string();
    let shown = disposition.split("filename*=UTF-8''").nth(1).unwrap_or_default();
    let shown = percent_encoding::percent_decode_str(shown).decode_utf8().unwrap_or_default();
    assert_eq!(shown, "招商地图-全国.svg", "{disposition}");
    assert!(disposition.contains("filename=\"map-china.svg\""), "{disposition}");
    let svg = res.text().await.expect("body");
    assert!(svg.starts_with("<?xml") && svg.contains("<svg") && svg.contains("南海诸岛"));
    assert!(!svg.contains("href="), "a saved map links nowhere relative to the server");
    // Read without its page: its title and legend drawn in.
    let key = &svg[svg.find(r#"<g class="key""#).expect("a key in the saved map")..];
    assert!(key.contains("招商地图 · 全国") && key.contains(">无</text>"), "{}", &key[..key.len().min(600)]);
    assert!(svg.len() <= 300 * 1024, "country SVG {} bytes", svg.len());
    let stranger = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let (status, body) = app.page(&stranger, "/map.svg").await;
    assert!(matches!(status, 303 | 401) && !body.contains("<svg"), "a stranger gets no map: {status}");

    // The dashboard's small map links each province to the map.
    let (_, dash) = app.page(&manager, "/dashboard").await;
    assert!(dash.contains(r#"id="mini-map""#) && dash.contains(r#"href="/map?city=32""#));
}

/// The title (hover text) of a shape on a page: `id="map-7100"` or the dashboard's `mini-map`.
fn shape_title<'a>(html: &'a str, id: &str) -> &'a str {
    html.split(&format!(r#"id="{id}""#))
        .nth(1)
        .and_then(|r| r.split("<title>").nth(1))
        .and_then(|r| r.split("</title>").next())
        .unwrap_or_default()
}

#[tokio::test]
async fn taiwan_and_hong_kong_macao_leads_are_on_their_shapes_and_their_area_filters_the_list() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("mapmgr2", Role::Manager).await;
    // 台湾 one, 港澳 two (香港 and 澳门 are one area to the office), Europe one, 苏州 one.
    for (name, region) in [
        ("台湾甲电子公司", "OS-TW"),
        ("香港乙贸易公司", "810000"),
        ("澳门丙科技公司", "82"),
        ("欧洲丁光电公司", "OS-EU"),
    ] {
        let mut fields = lead_fields(name, "");
        fields.push(("form[region_code]", region));
        let (status, body) = app.call(&manager, "leads/save", &fields).await;
        assert_eq!(status, 200, "{name}: {body}");
    }
    new_lead(&app, &manager, "苏州戊通信有限公司", "320505", 1).await;

    // Drawn on their shapes (were 「暂无」 beside the 境外线索 box's counts), 澳门 with 香港.
    let (_, html) = app.page(&manager, "/map").await;
    let t = table(&html);
    assert_eq!(t.get("7100").map(String::as_str), Some("1"), "{t:?}");
    assert_eq!(t.get("8100").map(String::as_str), Some("2"), "{t:?}");
    assert_eq!(t.get("8200"), None, "澳门 is not a second row: {t:?}");
    assert!(shape_title(&html, "map-7100").starts_with("台湾地区：线索 1 条"), "{}", shape_title(&html, "map-7100"));
    for shape in ["map-8100", "map-8200"] {
        assert!(shape_title(&html, shape).starts_with("港澳地区：线索 2 条"), "{shape}: {}", shape_title(&html, shape));
    }
    // 澳门 (about 1 × 2 px on the country map) has a dot in its link to be seen and clicked; 香港
    // (9 × 7 px) needs none.
    let shape = |html: &str, id: &str| {
        html.split(&format!(r#"id="{id}""#)).nth(1).and_then(|r| r.split("</a>").next()).unwrap_or_default().to_string()
    };
    assert!(shape(&html, "map-8200").contains(r#"<circle class="dot""#), "{}", shape(&html, "map-8200"));
    assert!(!shape(&html, "map-8100").contains("<circle"), "{}", shape(&html, "map-8100"));
    assert_eq!(html.matches(r#"<circle class="dot""#).count(), 1, "only 澳门 is that small");
    // 珠三角 names both shapes of the area, each by its own name.
    let (_, prd) = app.page(&manager, "/map?view=prd").await;
    let labels = prd.split(r#"class="labels""#).nth(1).and_then(|l| l.split("</g>").next()).unwrap_or_default();
    assert!(labels.contains(">香港</text>") && labels.contains(">澳门</text>"), "{labels}");
    // The table and the list agree on them too, and each area of the box opens its own leads.
    for (code, shown) in &t {
        assert_eq!(shown, &list_total(&app, &manager, &[("filter[region]", code)]).await.to_string(), "{code}");
    }
    let block =
        html.split(r#"id="map-overseas""#).nth(1).and_then(|b| b.split("</section>").next()).unwrap_or_default();
    // Most leads first: 港澳 (2), then 欧洲 and 台湾 (1 each) by code.
    let order: Vec<&str> = block.split(r#"data-area=""#).skip(1).filter_map(|i| i.split('"').next()).collect();
    assert_eq!(order, ["OS-HK", "OS-EU", "OS-TW"], "{block}");
    for (area, n) in [("OS-TW", 1), ("OS-HK", 2), ("OS-EU", 1)] {
        let item = block.split(&format!(r#"data-area="{area}""#)).nth(1).and_then(|i| i.split("</li>").next());
        let item = item.unwrap_or_default();
        assert!(item.contains(&format!(r#"href="/leads?region={area}""#)), "{area}: {item}");
        assert!(item.contains(&format!("<strong>{n}</strong>")), "{area}: {item}");
        assert_eq!(list_total(&app, &manager, &[("filter[region]", area)]).await, n, "{area}");
    }
    for (shape, n) in [("71", 1), ("8200", 2), ("820000", 2)] {
        assert_eq!(list_total(&app, &manager, &[("filter[region]", shape)]).await, n, "{shape}");
    }
    let (status, list) = app.page(&manager, "/leads?region=OS-HK").await;
    assert_eq!(status, 200);
    assert!(list.contains("香港乙贸易") && list.contains("澳门丙科技") && !list.contains("台湾甲电子"));
    let (_, name) = app.call(&manager, "regions/name", &[("code", "8200")]).await;
    assert_eq!(name, "港澳地区");
    let (_, name) = app.call(&manager, "regions/name", &[("code", "OS-TW")]).await;
    assert_eq!(name, "台湾地区");
    // 澳门's panel is the area's: both leads.
    let (_, html) = app.page(&manager, "/map?city=8200").await;
    assert!(html.contains(r#"id="map-panel-total">2<"#), "the 港澳 panel");
    assert!(html.contains("香港乙贸易") && html.contains("澳门丙科技"));
    assert!(!html.contains(r#"id="map-city-trip""#), "no trip to a destination the trip form cannot take");

    // A province opened from the dashboard sums its cities (its own entry held only the leads
    // placed in the province alone: 计划投资 0 beside its leads).
    let (_, html) = app.page(&manager, "/map?city=32").await;
    let said = html.split(r#"id="map-panel""#).nth(1).and_then(|p| p.split("</p>").next()).unwrap_or_default();
    assert!(said.contains(r#"id="map-panel-total">1<"#) && said.contains("12,000"), "江苏's 1.2亿: {said}");
    // The dashboard's provinces: 台湾 1, 香港 and 澳门 the area's 2.
    let (_, dash) = app.page(&manager, "/dashboard").await;
    let mini = dash.split(r#"id="mini-map""#).nth(1).unwrap_or_default();
    assert!(shape_title(mini, "map-71").starts_with("台湾地区：线索 1 条"), "{}", shape_title(mini, "map-71"));
    assert!(shape_title(mini, "map-82").starts_with("港澳地区：线索 2 条"), "{}", shape_title(mini, "map-82"));
    assert!(shape(mini, "map-82").contains(r#"<circle class="dot""#), "the province of 澳门 has its dot too");
}
