//! 外出招商 on a phone (390 × 844, touch): sign in, open this week's trip from the home page,
//! write the visit report, see it on the lead's timeline. No page may scroll sideways.

use super::site_built;
use app::domain::role::Role;
use chrono::Duration;
use fantoccini::Locator;
use lianzhao_tests::browser::{assert_fits, wait_hydrated, wait_text, wait_url, Browser, Screen};
use lianzhao_tests::{lead_fields, uscc, TestApp, PASSWORD};

fn day(offset: i64) -> String {
    (chrono::Utc::now().with_timezone(&chrono_tz::Asia::Shanghai).date_naive() + Duration::days(offset)).to_string()
}

#[tokio::test]
async fn on_a_phone_open_this_weeks_trip_write_the_visit_report_and_find_it_on_the_timeline() {
    site_built();
    let app = TestApp::spawn().await;
    let (mgr, _) = app.login_as("kezhang", Role::Manager).await;
    let (fang, fang_id) = app.login_as("fang", Role::Staff).await;
    let company = "宁波移动走访电子有限公司";
    let (status, lead) = app.call(&fang, "leads/save", &lead_fields(company, &uscc("330205", 4711))).await;
    assert_eq!(status, 200, "{lead}");
    let member = format!("form[members][{fang_id}]");
    let fang_s = fang_id.to_string();
    let (today, tomorrow) = (day(0), day(1));
    let (status, trip) = app
        .call(
            &mgr,
            "trips/create",
            &[
                ("form[kind]", "outbound"),
                ("form[purpose]", "宁波新材料产业链走访"),
                ("form[destination]", "宁波"),
                ("form[start_on]", &today),
                ("form[end_on]", &tomorrow),
                (&member, &fang_s),
            ],
        )
        .await;
    assert_eq!(status, 200, "{trip}");
    let trip = trip.to_string();
    let attendee = format!("form[attendees][{fang_id}]");
    let lead_ref = lead.to_string();
    let (status, visit) = app
        .call(
            &mgr,
            "visits/add",
            &[
                ("trip_id", &trip),
                ("form[lead]", &lead_ref),
                ("form[date]", &tomorrow),
                ("form[start]", "09:30"),
                ("form[end]", "11:00"),
                ("form[place]", "宁波北仑区"),
                (&attendee, &fang_s),
            ],
        )
        .await;
    assert_eq!(status, 200, "{visit}");
    assert_eq!(app.call(&mgr, "trips/publish", &[("id", &trip)]).await.0, 200);

    let b = Browser::start(Screen::Phone).await;
    let c = &b.client;
    c.goto(&app.url("/login")).await.unwrap();
    assert_fits(c, "/login").await;
    c.find(Locator::Id("username")).await.unwrap().send_keys("fang").await.unwrap();
    c.find(Locator::Id("password")).await.unwrap().send_keys(PASSWORD).await.unwrap();
    c.find(Locator::Id("login-submit")).await.unwrap().click().await.unwrap();
    wait_url(c, |u| u.ends_with('/')).await;
    wait_hydrated(c).await;
    assert_fits(c, "home").await;

    // The menu folds behind one button and opens with a tap.
    let leads_link = c.find(Locator::Css(".nav-links a[href='/leads']")).await.unwrap();
    assert!(!leads_link.is_displayed().await.unwrap(), "the menu starts folded on a phone");
    c.find(Locator::Id("nav-menu-button")).await.unwrap().click().await.unwrap();
    assert!(leads_link.is_displayed().await.unwrap(), "a tap opens the menu");
    assert_fits(c, "home with the menu open").await;

    // This week's visit, on the home page, leads to the trip.
    wait_text(c, "#my-visits", |t| t.contains(company) || t.contains("宁波新材料产业链走访")).await;
    c.find(Locator::Css("#my-visits a[href^='/trips/']")).await.unwrap().click().await.unwrap();
    wait_text(c, "#trip-title", |t| t == "宁波新材料产业链走访").await;
    wait_hydrated(c).await;
    assert_fits(c, "the trip").await;

    // The 走访纪要.
    c.find(Locator::Css("article.visit .report-open")).await.unwrap().click().await.unwrap();
    assert_fits(c, "the visit report form").await;
    let learned = "对方计划在长三角新建正极材料产线，用地约80亩";
    c.find(Locator::Css("article.visit .report-learned")).await.unwrap().send_keys(learned).await.unwrap();
    c.find(Locator::Css("article.visit .report-intention")).await.unwrap().select_by_value("strong").await.unwrap();
    c.find(Locator::Css("article.visit .report-form button[type=submit]")).await.unwrap().click().await.unwrap();
    wait_text(c, "#visits", |t| t.contains(learned)).await;
    assert_fits(c, "the trip after the report").await;

    // The report is on the lead's timeline.
    c.goto(&app.url(&format!("/leads/{lead}"))).await.unwrap();
    wait_hydrated(c).await;
    wait_text(c, "#timeline", |t| t.contains(learned)).await;
    assert_fits(c, "the lead").await;

    for page in ["/leads/new", "/calendar", "/calendar?view=month", "/leads", &format!("/trips/{trip}")] {
        c.goto(&app.url(page)).await.unwrap();
        wait_hydrated(c).await;
        assert_fits(c, page).await;
    }
    // The list's filters go two by two, so its rows start on the first screen (one filter a
    // row, they filled 525 px of the phone's 844 before the first lead).
    c.goto(&app.url("/leads")).await.unwrap();
    wait_hydrated(c).await;
    let measured = c
        .execute(
            "const r = (s) => document.querySelector(s).getBoundingClientRect(); \
             return [r('.lead-filters').height, window.innerHeight, r('#filter-group').top, r('#filter-industry').top];",
            vec![],
        )
        .await
        .unwrap();
    let n = |i: usize| measured[i].as_f64().unwrap_or(f64::NAN);
    let (filters, screen, group_top, industry_top) = (n(0), n(1), n(2), n(3));
    assert_eq!(group_top, industry_top, "two filters share a row on a phone");
    assert!(filters <= screen / 2.0, "the lead filters take {filters} px of a {screen} px screen");
    // The width check itself can fail: a page with something wider than the phone is caught.
    c.execute("const d = document.createElement('div'); d.style.width = '900px'; d.textContent = 'x'; document.querySelector('main').append(d);", vec![])
        .await
        .unwrap();
    let (doc, win) = lianzhao_tests::browser::page_width(c).await;
    assert!(win <= 414.0 && doc >= 900.0, "a 900 px element must show as sideways scrolling: {doc} in {win}");
    b.finish().await;
}
