//! The import journey in the browser: upload a file, correct one column's mapping, map an
//! unknown value once, commit, read the report.

use super::site_built;
use app::domain::role::Role;
use fantoccini::Locator;
use lianzhao_tests::browser::{assert_fits, browser, wait_hydrated, wait_text, wait_url, Browser, Screen};
use lianzhao_tests::{TestApp, PASSWORD};

#[tokio::test]
async fn upload_a_spreadsheet_correct_a_column_commit_and_read_the_report() {
    site_built();
    let app = TestApp::spawn().await;
    app.create_user("daoru", Role::Manager).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("线索.csv");
    // "单位" is not a header the app knows: the user maps it to the company name.
    std::fs::write(
        &file,
        "单位,所在地区,行业,计划投资（万元）\n南京浏览器导入科技有限公司,南京市江宁区,电子通信,1.5亿\n\
         苏州浏览器导入机械有限公司,苏州,智能制造,3000\n坏数据有限公司,火星,造船,很多\n",
    )
    .unwrap();
    let b = browser().await;
    let c = &b.client;

    c.goto(&app.url("/import")).await.unwrap();
    wait_url(c, |u| u.contains("/login")).await;
    c.find(Locator::Id("username")).await.unwrap().send_keys("daoru").await.unwrap();
    c.find(Locator::Id("password")).await.unwrap().send_keys(PASSWORD).await.unwrap();
    c.find(Locator::Id("login-submit")).await.unwrap().click().await.unwrap();
    wait_url(c, |u| u.ends_with("/import")).await;
    wait_hydrated(c).await;
    c.find(Locator::Id("file")).await.unwrap().send_keys(file.to_str().unwrap()).await.unwrap();
    c.find(Locator::Id("upload")).await.unwrap().click().await.unwrap();
    wait_url(c, |u| u.rsplit('/').next().is_some_and(|id| id.parse::<i64>().is_ok())).await;
    wait_hydrated(c).await;

    // Unmapped name column: nothing can be imported yet.
    wait_text(c, "#preview-counts", |t| t.contains("无效")).await;
    let disabled = c.find(Locator::Id("commit")).await.unwrap().attr("disabled").await.unwrap();
    assert!(disabled.is_some(), "commit waits for a company-name column");
    c.find(Locator::Id("mapping-0")).await.unwrap().select_by_value("company_name").await.unwrap();
    c.find(Locator::Id("apply-mapping")).await.unwrap().click().await.unwrap();
    wait_text(c, "#c-new", |t| t == "2").await;
    wait_text(c, "#c-invalid", |t| t == "1").await;
    wait_text(c, "#preview tbody", |t| t.contains("无法识别的取值：造船")).await;
    wait_text(c, "#read-header", |t| t == "表头在第 1 行").await;

    // The office's word for the industry, mapped once: kept as an alias, said at the cell. The
    // mapping card's button sends it too (the same form): a choice is not lost for pressing the
    // other card's button, nor the duplicate mode chosen beside it.
    wait_text(c, "#values-card", |t| t.contains("造船")).await;
    c.find(Locator::Id("value-0")).await.unwrap().select_by_value("smart_manufacturing").await.unwrap();
    c.find(Locator::Id("mode-fill")).await.unwrap().click().await.unwrap();
    c.find(Locator::Id("apply-mapping")).await.unwrap().click().await.unwrap();
    wait_text(c, "#preview tbody", |t| t.contains("“造船”按别名读作“智能制造”") && !t.contains("无法识别的取值：造船"))
        .await;
    wait_text(c, "#c-invalid", |t| t == "1").await; // still: 火星 is no region, 很多 no amount
    let fill = c.find(Locator::Id("mode-fill")).await.unwrap().prop("checked").await.unwrap();
    assert_eq!(fill.as_deref(), Some("true"), "the duplicate mode chosen with the value is kept");

    c.find(Locator::Id("commit")).await.unwrap().click().await.unwrap();
    wait_text(c, "#n-created", |t| t == "2").await;
    wait_text(c, "#n-failed", |t| t == "1").await;
    let href = c.find(Locator::Id("failed-xlsx")).await.unwrap().attr("href").await.unwrap();
    assert!(href.is_some_and(|h| h.ends_with("/failed.xlsx")));
    wait_text(c, "#preview tbody", |t| t.contains("坏数据有限公司")).await;

    // The history lists it.
    c.goto(&app.url("/import")).await.unwrap();
    wait_text(c, "#import-history", |t| t.contains("线索.csv") && t.contains("已完成")).await;
    b.finish().await;
}

/// On a phone (390 × 844, touch): the same journey with a wider file — eight columns, one of them
/// long — and every step of it fits the screen: the preview's table scrolls inside its own box,
/// never the page.
#[tokio::test]
async fn on_a_phone_upload_a_wide_file_map_a_column_and_commit_without_sideways_scrolling() {
    site_built();
    let app = TestApp::spawn().await;
    app.create_user("shouji", Role::Manager).await;
    // A lead entered before the import: the list after it must not open on this one.
    let (api, _) = app.login_as("earlier", Role::Manager).await;
    super::new_lead(&app, &api, "早先录入的线索有限公司", "320115", 7001).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("外出收集的线索（手机）.csv");
    std::fs::write(
        &file,
        "单位,所在地区,行业,计划投资（万元）,用地（亩）,联系人,电话,备注\n\
         宁波手机导入新材料有限公司,宁波市北仑区,新材料,8000,60,陈经理,13800000001,\
         拟在长三角新设华东生产基地，年产高性能复合材料两万吨，需标准地约六十亩，希望年内签约\n\
         嘉兴手机导入电子有限公司,嘉兴,电子通信,2.5亿,40,周总,025-86612345,\n\
         舟山手机导入船舶有限公司,舟山,海洋工程装备与高技术船舶制造,1亿,30,吴总,13800000003,\n\
         早先录入的线索有限公司,南京,电子通信,5000,20,郑总,13800000004,\n",
    )
    .unwrap();
    let b = Browser::start(Screen::Phone).await;
    let c = &b.client;
    b.log_in(&app.url(""), "shouji", PASSWORD).await;
    c.goto(&app.url("/import")).await.unwrap();
    wait_hydrated(c).await;
    assert_fits(c, "/import on a phone").await;
    c.find(Locator::Id("file")).await.unwrap().send_keys(file.to_str().unwrap()).await.unwrap();
    c.find(Locator::Id("upload")).await.unwrap().click().await.unwrap();
    wait_url(c, |u| u.rsplit('/').next().is_some_and(|id| id.parse::<i64>().is_ok())).await;
    wait_hydrated(c).await;
    wait_text(c, "#preview-counts", |t| t.contains("无效")).await;
    assert_fits(c, "the preview on a phone").await;

    c.find(Locator::Id("mapping-0")).await.unwrap().select_by_value("company_name").await.unwrap();
    c.find(Locator::Id("apply-mapping")).await.unwrap().click().await.unwrap();
    wait_text(c, "#c-new", |t| t == "2").await;
    assert_fits(c, "the mapped preview on a phone").await;
    // The industry the office does not know is asked for in its own card, its choice inside it
    // on a line of its own, most of the card wide (it was ~75 px, "（暂" all one could read).
    let edges = c
        .execute(
            "const card = document.getElementById('values-card').getBoundingClientRect();\n\
             const s = document.getElementById('value-0').getBoundingClientRect();\n\
             return [s.right, card.right, s.width, card.width];",
            vec![],
        )
        .await
        .unwrap();
    let px = |i: usize| edges[i].as_f64().unwrap_or(f64::NAN);
    let (select, card) = (px(0), px(1));
    assert!(select <= card, "the unknown value's choice ({select} px) ends inside its card ({card} px)");
    assert!(px(2) >= 0.75 * px(3), "the choice is {} px wide in a {} px card", px(2), px(3));
    // The reasons are in view beside the row number, not a swipe away.
    let at = c
        .execute(
            "const th = [...document.querySelectorAll('#preview th')].find((h) => h.textContent === '原因');\n\
             return [th.getBoundingClientRect().left, th.getBoundingClientRect().width, document.documentElement.clientWidth];",
            vec![],
        )
        .await
        .unwrap();
    let at = |i: usize| at[i].as_f64().unwrap_or(f64::NAN);
    assert!(
        at(0) + at(1) <= at(2),
        "the reasons' column ({} px from the left, {} px wide) is in view on a {} px screen",
        at(0),
        at(1),
        at(2)
    );
    // The case this guards: the table is wider than the screen, and scrolls in its own box.
    let widths = c
        .execute("const t = document.getElementById('preview'); return [t.scrollWidth, document.documentElement.clientWidth];", vec![])
        .await
        .unwrap();
    let (table, screen) = (widths[0].as_f64().unwrap_or(0.0), widths[1].as_f64().unwrap_or(f64::NAN));
    assert!(table > screen, "the preview table ({table} px) is wider than the {screen} px screen");
    // …rather than squeezing its columns: a phone number stays on one line (a landline too, its
    // column asked to be as narrow as it can: the hyphen is a break opportunity), and a round
    // choice is a small circle before its label, not stretched across the card.
    let shape = c
        .execute(
            "const lines = n => { const td = [...document.querySelectorAll('#preview td')].find(td => td.firstChild && td.firstChild.textContent === n);\n\
               td.style.width = '1px'; const r = document.createRange(); r.selectNodeContents(td.firstChild); return r.getClientRects().length; };\n\
             return [lines('13800000001'), document.getElementById('mode-skip').getBoundingClientRect().width, lines('025-86612345')];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(shape[0].as_u64(), Some(1), "the phone number is on one line");
    assert_eq!(shape[2].as_u64(), Some(1), "a landline is not broken after its hyphen");
    assert!(shape[1].as_f64().is_some_and(|w| w < 60.0), "the radio is a small circle: {shape:?}");

    c.find(Locator::Id("commit")).await.unwrap().click().await.unwrap();
    wait_text(c, "#n-created", |t| t == "2").await;
    // The row that matched the lead entered before is listed under the report, with its fate.
    let merged = wait_text(c, "#merged tbody", |t| !t.is_empty()).await;
    assert!(merged.contains("早先录入的线索有限公司") && merged.contains("跳过"), "{merged}");
    assert_fits(c, "the import's report on a phone").await;
    // 查看本次新建的线索 opens the list of the two leads this import created, and only those.
    c.find(Locator::Id("see-leads")).await.unwrap().click().await.unwrap();
    let listed = wait_text(c, "#lead-table tbody", |t| !t.is_empty()).await;
    assert!(listed.contains("宁波手机导入") && listed.contains("嘉兴手机导入"), "the import's leads: {listed}");
    assert!(!listed.contains("早先录入"), "only the import's leads: {listed}");
    // The check box's column is a tap target wide, narrower than the company's name; a link
    // drawn as a button has its text in the middle of its height.
    let shape = c
        .execute(
            "const w = s => document.querySelector(s).getBoundingClientRect().width;\n\
             const b = document.getElementById('export-xlsx');\n\
             const r = document.createRange(); r.selectNodeContents(b); const t = r.getBoundingClientRect(), o = b.getBoundingClientRect();\n\
             return [w('#lead-table td.pick'), w('#lead-table td.name'), Math.abs((t.top + t.bottom) - (o.top + o.bottom)) / 2];",
            vec![],
        )
        .await
        .unwrap();
    let (check, name) = (shape[0].as_f64().unwrap_or(f64::NAN), shape[1].as_f64().unwrap_or(0.0));
    assert!(check < 50.0 && check < name, "check box column {check} px, company name {name} px");
    assert!(shape[2].as_f64().is_some_and(|off| off <= 2.0), "a link-button's text is centred: {shape:?}");
    let tag = wait_text(c, "#filter-import", |t| !t.is_empty()).await;
    assert!(tag.starts_with("导入批次"), "the filter says what it is: {tag}");
    let tops = c
        .execute(
            "const top = (id) => document.getElementById(id).getBoundingClientRect().top;\n\
             return [top('filter-import'), top('filter-q')];",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        tops[0].as_f64().unwrap_or(f64::NAN) < tops[1].as_f64().unwrap_or(0.0),
        "the import's tag heads the filters, above the search box: {tops:?}"
    );
    assert_fits(c, "the import's leads on a phone").await;
    // Its × leaves the filter: every lead again, the earlier one too.
    c.find(Locator::Id("filter-import-clear")).await.unwrap().click().await.unwrap();
    wait_text(c, "#lead-table tbody", |t| t.contains("早先录入")).await;
    assert!(c.find(Locator::Id("filter-import")).await.is_err(), "the import's tag is gone");
    c.goto(&app.url("/import")).await.unwrap();
    wait_text(c, "#import-history", |t| t.contains("外出收集的线索（手机）.csv") && t.contains("已完成")).await;
    assert_fits(c, "the import history on a phone").await;
    let time_lines = c
        .execute(
            "const td = document.querySelector('#import-history tbody td:nth-child(3)'); td.style.width = '1px';\n\
             const r = document.createRange(); r.selectNodeContents(td); return r.getClientRects().length;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(time_lines.as_u64(), Some(1), "the upload's time is on one line, its column at its narrowest");
    // A batch's counts are on the screen, each named.
    let counts = c
        .execute(
            "const row = document.querySelector('#import-history tbody tr');\n\
             const tds = [...row.querySelectorAll('td.num')];\n\
             const named = getComputedStyle(tds[0], '::before').content !== 'none';\n\
             return [Math.max(...tds.map((td) => td.getBoundingClientRect().right)), document.documentElement.clientWidth,\n\
                     named ? tds.map((td) => td.dataset.label + ' ' + td.textContent).join(' · ') : 'unnamed'];",
            vec![],
        )
        .await
        .unwrap();
    let (right, screen) = (counts[0].as_f64().unwrap_or(f64::NAN), counts[1].as_f64().unwrap_or(0.0));
    assert!(right <= screen, "the history's counts end at {right} px on a {screen} px screen");
    let shown = counts[2].as_str().unwrap_or("");
    assert!(shown.contains("新建 2") && shown.contains("失败"), "each count is named: {shown}");
    b.finish().await;
}

/// A file uploaded by mistake, discarded — then Back: the browser must not show the discarded
/// preview from its cache with live buttons (pages went out `private, no-cache`, and Chromium's
/// Back used the cached copy; 2026-12-06). Pages are `no-store`: Back asks the server, which
/// says the batch is gone.
#[tokio::test]
async fn back_after_discarding_an_import_shows_it_gone_not_a_stale_preview() {
    site_built();
    let app = TestApp::spawn().await;
    app.create_user("fanhui", Role::Staff).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("传错的文件.csv");
    std::fs::write(&file, "企业名称,所在地区,行业\n放弃后返回测试有限公司,南京,智能制造\n").unwrap();
    let mut b = browser().await;
    let c = &b.client;
    b.log_in(&app.url(""), "fanhui", PASSWORD).await;
    c.goto(&app.url("/import")).await.unwrap();
    wait_hydrated(c).await;
    c.find(Locator::Id("file")).await.unwrap().send_keys(file.to_str().unwrap()).await.unwrap();
    c.find(Locator::Id("upload")).await.unwrap().click().await.unwrap();
    let batch = wait_url(c, |u| u.rsplit('/').next().is_some_and(|id| id.parse::<i64>().is_ok())).await;
    wait_hydrated(c).await;
    wait_text(c, "#c-new", |t| t == "1").await;

    c.find(Locator::Css("#discard-box summary")).await.unwrap().click().await.unwrap();
    c.find(Locator::Id("discard")).await.unwrap().click().await.unwrap();
    wait_url(c, |u| u.ends_with("/import")).await;
    wait_text(c, "main", |t| t.contains("传错的文件.csv")).await;

    c.back().await.unwrap();
    wait_url(c, |u| u == batch).await;
    let text = wait_text(c, "main", |t| t.contains("不存在或你无权查看")).await;
    assert!(!text.contains("确认导入"), "no live button of the discarded preview: {text}");
    assert!(c.find(Locator::Id("commit")).await.is_err(), "the commit button is gone");
    // The gone page answers 404: the console names that one failed load, nothing else.
    b.allow(&batch);
    b.finish().await;
}
