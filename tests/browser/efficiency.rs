//! 亩均效益评价 in the browser (release site): a manager uploads a year's figures (a CSV with
//! units in its headers and one bad row), reads the preview with the reason at the cell, saves,
//! and finds the grades with what they bring; the grade list fits a phone.

use super::site_built;
use app::domain::role::Role;
use fantoccini::Locator;
use lianzhao_tests::browser::{assert_fits, wait_hydrated, wait_text, wait_url, Browser, Screen};
use lianzhao_tests::{uscc, TestApp, PASSWORD};

#[tokio::test]
async fn upload_a_years_figures_save_them_and_read_the_grades() {
    site_built();
    let app = TestApp::spawn().await;
    app.create_user("jingfa", Role::Manager).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("2025年亩均数据.csv");
    let (a, b, c) = (uscc("340500", 11), uscc("340500", 12), uscc("340500", 13));
    std::fs::write(
        &file,
        format!(
            "统一社会信用代码,企业名称,用地面积（亩）,实缴税金（万元）,营业收入（万元）,综合能耗（吨标准煤）\n\
             {a},浏览器评价甲公司,50,2500,40000,5000\n\
             {b},浏览器评价乙公司,40,400,8000,4000\n\
             {c},浏览器评价丙公司,30,很多,3000,900\n"
        ),
    )
    .unwrap();
    let br = Browser::start(Screen::Desktop).await;
    let cl = &br.client;
    br.log_in(&app.base, "jingfa", PASSWORD).await;
    cl.goto(&app.url("/efficiency")).await.unwrap();
    wait_hydrated(cl).await;
    wait_text(cl, "#efficiency-empty", |t| t.contains("尚无")).await;
    let year = cl.find(Locator::Id("efficiency-year")).await.unwrap();
    year.clear().await.unwrap();
    year.send_keys("2025").await.unwrap();
    cl.find(Locator::Id("efficiency-file")).await.unwrap().send_keys(file.to_str().unwrap()).await.unwrap();
    cl.find(Locator::Id("efficiency-upload-button")).await.unwrap().click().await.unwrap();
    wait_url(cl, |u| u.contains("/efficiency/import/")).await;
    wait_hydrated(cl).await;

    // The preview: two new enterprises, one row refused at its tax cell.
    wait_text(cl, "#efficiency-batch-summary", |t| t.contains("新增企业 2") && t.contains("有问题 1")).await;
    wait_text(cl, "#line-4", |t| t.contains("实缴税金（万元）") && t.contains("“很多”不是数字")).await;
    br.assert_clean("the figures preview").await;
    cl.find(Locator::Id("efficiency-commit")).await.unwrap().click().await.unwrap();
    wait_text(cl, "#efficiency-batch-status", |t| t.contains("已导入")).await;
    wait_hydrated(cl).await;
    cl.find(Locator::Id("efficiency-see-grades")).await.unwrap().click().await.unwrap();
    wait_url(cl, |u| u.contains("/efficiency?year=2025")).await;
    wait_hydrated(cl).await;

    // Default rules (by share: A the first 20%, B the next 50%, C the next 25%), two rated:
    // 20% of 2 rounds to none, so 甲 (first) is B and 乙 is C, which gets no new land.
    wait_text(cl, "#efficiency-grades", |t| t.contains("浏览器评价甲公司") && t.contains("浏览器评价乙公司")).await;
    let rows = cl.find_all(Locator::Css("#efficiency-grades tbody tr")).await.unwrap();
    let mut seen = Vec::new();
    for r in rows {
        seen.push((r.attr("data-grade").await.unwrap().unwrap_or_default(), r.text().await.unwrap()));
    }
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert_eq!(seen[0].0, "B", "{seen:?}");
    assert!(seen[0].1.contains("浏览器评价甲公司"), "{seen:?}");
    assert_eq!(seen[1].0, "C", "{seen:?}");
    assert!(seen[1].1.contains("不再新增供地"), "{seen:?}");
    br.assert_clean("the grades").await;
    br.finish().await;

    let br = Browser::start(Screen::Phone).await;
    let cl = &br.client;
    br.log_in(&app.base, "jingfa", PASSWORD).await;
    cl.goto(&app.url("/efficiency?year=2025")).await.unwrap();
    wait_hydrated(cl).await;
    assert_fits(cl, "/efficiency on a phone").await;
    br.assert_clean("/efficiency on a phone").await;
    br.finish().await;
}
