//! 亩均效益评价 through HTTP on the real database, with exact figures: the office's rules saved
//! (bad ones refused at their field), a year's figures file uploaded as offices send it (a title
//! row, units in the headers, a bad row, a 合计 line), previewed, saved; grades with ties, a
//! missing figure and a plot too small to rate; last year's grade and the history; the grade on
//! the chain map; who may do what.

use super::chains::{map, new_chain, new_node, node};
use app::domain::role::Role;
use lianzhao_tests::{uscc, TestApp};
use rust_xlsxwriter::Workbook;
use serde_json::Value;

/// Posts the figures form; Ok(batch id) or Err(error key).
async fn upload(app: &TestApp, client: &reqwest::Client, year: &str, bytes: Vec<u8>) -> Result<i64, String> {
    let form = reqwest::multipart::Form::new()
        .text("year", year.to_string())
        .part("file", reqwest::multipart::Part::bytes(bytes).file_name("2025年亩均效益数据.xlsx"));
    let res = client.post(app.url("/efficiency/upload")).multipart(form).send().await.expect("upload");
    assert_eq!(res.status(), 303, "upload answers with a redirect");
    let to = res.headers()["location"].to_str().unwrap().to_string();
    match to.strip_prefix("/efficiency/import/") {
        Some(id) => Ok(id.parse().expect("batch id")),
        None => Err(to.split("error=").nth(1).unwrap_or_default().split('&').next().unwrap_or_default().to_string()),
    }
}

/// A figures workbook: a title row and a note above the header, then `rows` of (USCC, name,
/// land in 公顷, tax in 元, revenue in 万元), then a 合计 line.
fn workbook(rows: &[(&str, &str, &str, &str, &str)]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "2025年度工业企业亩均效益评价数据表").unwrap();
    sheet.write_string(1, 0, "填报单位：高新区经发局").unwrap();
    let headers = ["序号", "统一社会信用代码", "企业名称", "用地面积（公顷）", "实缴税金（元）", "营业收入（万元）"];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(2, c as u16, *h).unwrap();
    }
    for (r, (code, name, land, tax, revenue)) in rows.iter().enumerate() {
        let r = r as u32 + 3;
        sheet.write_number(r, 0, f64::from(r - 2)).unwrap();
        for (c, v) in [code, name, land, tax, revenue].iter().enumerate() {
            sheet.write_string(r, c as u16 + 1, **v).unwrap();
        }
    }
    sheet.write_string(rows.len() as u32 + 3, 2, "合计").unwrap();
    book.save_to_buffer().unwrap()
}

async fn call_ok(app: &TestApp, client: &reqwest::Client, endpoint: &str, fields: &[(&str, &str)]) -> Value {
    let (status, body) = app.call(client, endpoint, fields).await;
    assert_eq!(status, 200, "{endpoint}: {body}");
    body
}

fn grade_row<'a>(page: &'a Value, name: &str) -> &'a Value {
    page["rows"].as_array().unwrap().iter().find(|r| r["name"] == name).unwrap_or_else(|| panic!("{name}: {page}"))
}

/// Only 亩均税收, benchmark 20 万元/亩, weight 100; A ≥ 100, B ≥ 80, C ≥ 50; at least 3 亩.
const TAX_ONLY: &[(&str, &str)] = &[
    ("form[weights][0]", "100"),
    ("form[benchmarks][0]", "20"),
    ("form[cap]", "2"),
    ("form[min_land_mu]", "3"),
    ("form[mode]", "score"),
    ("form[a]", "100"),
    ("form[b]", "80"),
    ("form[c]", "50"),
    ("form[note]", "只看亩均税收"),
];

#[tokio::test]
async fn a_years_figures_become_grades_on_the_list_the_history_and_the_chain_map() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("m", Role::Manager).await;
    let (staff, _) = app.login_as("s", Role::Staff).await;

    // Rules: staff may not change them; weights not adding up to 100 are refused at the field.
    let (status, _) = app.call(&staff, "efficiency/rules/save", TAX_ONLY).await;
    assert_eq!(status, 403);
    let mut bad = TAX_ONLY.to_vec();
    bad[0] = ("form[weights][0]", "90");
    let (status, body) = app.call(&manager, "efficiency/rules/save", &bad).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("err.efficiency.weights"), "{body}");
    let version = call_ok(&app, &manager, "efficiency/rules/save", TAX_ONLY).await;
    let rules = call_ok(&app, &staff, "efficiency/rules", &[]).await;
    assert_eq!(rules["id"], version);
    assert_eq!(rules["can_edit"], false);

    // An enterprise already on a chain, with its USCC: the import joins it.
    let chain = new_chain(&app, &manager).await;
    let node_id = new_node(&app, &manager, chain, "压力传感器", "upstream").await;
    let on_chain = uscc("340500", 1);
    call_ok(
        &app,
        &manager,
        "chains/add-enterprise",
        &[
            ("form[node_id]", &node_id.to_string()),
            ("form[name]", "钢城传感股份有限公司"),
            ("form[uscc]", &on_chain),
            ("form[grade]", "C"),
        ],
    )
    .await;

    let (u2, u3, u4, u5, u6) =
        (uscc("340500", 2), uscc("340500", 3), uscc("340500", 4), uscc("340500", 5), uscc("340500", 6));
    // 1 公顷 = 15 亩. Tax in 元.
    let rows = [
        // 2 公顷 = 30 亩, 900 万 → 30/亩 → 150: A.
        (on_chain.as_str(), "钢城传感", "2", "9000000", "12000"),
        // 30 亩, 480 万 → 16/亩 → 80 exactly: B (on the cut-off).
        (u2.as_str(), "慈湖精密有限公司", "2", "4800000", "6000"),
        // Two at 10/亩 → 50: C, tied, same rank.
        (u3.as_str(), "雨山机械有限公司", "1", "1500000", "3000"),
        (u4.as_str(), "博望铸造有限公司", "1", "1500000", "2500"),
        // No tax reported: 0 points, D.
        (u5.as_str(), "当涂化工有限公司", "1", "", "900"),
        // 0.1 公顷 = 1.5 亩: not rated.
        (u6.as_str(), "采石小作坊", "0.1", "300000", "100"),
        // A bad USCC and an error value: refused at their cells.
        ("91340500ABC", "坏行有限公司", "1", "#N/A", "100"),
    ];
    // Staff may not import.
    let form = reqwest::multipart::Form::new()
        .text("year", "2025")
        .part("file", reqwest::multipart::Part::bytes(workbook(&rows)).file_name("f.xlsx"));
    let res = staff.post(app.url("/efficiency/upload")).multipart(form).send().await.unwrap();
    assert_eq!(res.status(), 403);
    // A bad year and a file without a USCC column go back to the form with the reason.
    assert_eq!(upload(&app, &manager, "25", workbook(&rows)).await, Err("err.efficiency.year".into()));
    let mut book = Workbook::new();
    book.add_worksheet().write_string(0, 0, "企业名称").unwrap().write_string(1, 0, "某公司").unwrap();
    assert_eq!(
        upload(&app, &manager, "2025", book.save_to_buffer().unwrap()).await,
        Err("err.efficiency.no_uscc_column".into())
    );

    let id = upload(&app, &manager, "2025", workbook(&rows)).await.expect("upload");
    let sid = id.to_string();
    let preview = call_ok(&app, &manager, "efficiency/batch", &[("id", &sid)]).await;
    assert_eq!(preview["status"], "preview");
    // The 合计 line is not a row; the chain's enterprise is matched, the others are new.
    assert_eq!(preview["row_count"], 7, "{preview}");
    assert_eq!((preview["new_count"].as_u64(), preview["update_count"].as_u64()), (Some(5), Some(1)));
    assert_eq!(preview["problem_count"], 1);
    let bad_row = &preview["rows"][0];
    assert_eq!(bad_row["line"], 10);
    let keys: Vec<(&str, &str)> = bad_row["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["column"].as_str().unwrap(), p["key"].as_str().unwrap()))
        .collect();
    assert_eq!(keys, vec![("统一社会信用代码", "err.efficiency.uscc"), ("实缴税金（元）", "err.import.formula_error")]);
    let matched = preview["rows"].as_array().unwrap().iter().find(|r| r["uscc"] == on_chain.as_str()).unwrap();
    assert_eq!(matched["known_name"], "钢城传感股份有限公司");
    assert_eq!(matched["figures"]["land_mu"], 30.0);
    assert_eq!(matched["figures"]["tax_wan"], 900.0);
    // Nothing is saved before the confirmation.
    let empty = call_ok(&app, &staff, "efficiency/page", &[]).await;
    assert_eq!(empty["year"], Value::Null);

    let done = call_ok(&app, &manager, "efficiency/commit", &[("id", &sid)]).await;
    assert_eq!(
        (done["status"].as_str(), done["created"].as_u64(), done["failed"].as_u64()),
        (Some("done"), Some(6), Some(1))
    );
    // A second click finds it saved.
    let (status, body) = app.call(&manager, "efficiency/commit", &[("id", &sid)]).await;
    assert_eq!(status, 409, "{body}");

    let page = call_ok(&app, &staff, "efficiency/page", &[("year", "2025")]).await;
    assert_eq!(page["year"], 2025);
    assert_eq!(page["can_manage"], false);
    let expect = [
        ("钢城传感股份有限公司", Some("A"), 150.0, Some(1)),
        ("慈湖精密有限公司", Some("B"), 80.0, Some(2)),
        ("雨山机械有限公司", Some("C"), 50.0, Some(3)),
        ("博望铸造有限公司", Some("C"), 50.0, Some(3)),
        ("当涂化工有限公司", Some("D"), 0.0, Some(5)),
        ("采石小作坊", None, 0.0, None),
    ];
    for (name, grade, score, rank) in expect {
        let r = grade_row(&page, name);
        assert_eq!(r["grade"].as_str(), grade, "{name}: {r}");
        assert_eq!(r["score"].as_f64(), Some(score), "{name}");
        assert_eq!(r["rank"].as_u64(), rank, "{name}");
    }
    assert_eq!(grade_row(&page, "采石小作坊")["not_rated"], "efficiency.not_rated.small_land");
    let d = grade_row(&page, "当涂化工有限公司");
    assert_eq!(d["parts"][0]["value"], Value::Null, "a missing figure is shown as missing");
    assert_eq!(d["consequences"], serde_json::json!(["efficiency.effect.surcharge", "efficiency.effect.no_land"]));
    assert_eq!(grade_row(&page, "雨山机械有限公司")["consequences"], serde_json::json!(["efficiency.effect.no_land"]));
    let counts: Vec<(String, u64)> = page["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c[0].as_str().unwrap().to_string(), c[1].as_u64().unwrap()))
        .collect();
    assert_eq!(counts, vec![("A".into(), 1), ("B".into(), 1), ("C".into(), 2), ("D".into(), 1), ("-".into(), 1)]);
    let only_c = call_ok(&app, &staff, "efficiency/page", &[("year", "2025"), ("grade", "C")]).await;
    assert_eq!(only_c["rows"].as_array().unwrap().len(), 2);

    // The chain map shows the computed grade instead of the hand-set C.
    let m = map(&app, &staff, chain).await;
    assert_eq!(node(&m, node_id)["enterprises"][0]["grade"], "A");

    // The next year: 钢城传感 falls to 12/亩 → 60: C, and last year's A beside it; the new year is
    // the chain map's.
    let next = [(on_chain.as_str(), "钢城传感", "2", "3600000", "9000")];
    let id2 = upload(&app, &manager, "2026", workbook(&next)).await.expect("upload 2026");
    call_ok(&app, &manager, "efficiency/commit", &[("id", &id2.to_string())]).await;
    let page = call_ok(&app, &staff, "efficiency/page", &[]).await;
    assert_eq!(page["year"], 2026, "the latest year by default");
    assert_eq!(page["years"], serde_json::json!([2026, 2025]));
    let r = grade_row(&page, "钢城传感股份有限公司");
    assert_eq!((r["grade"].as_str(), r["previous_grade"].as_str()), (Some("C"), Some("A")));
    let m = map(&app, &staff, chain).await;
    assert_eq!(node(&m, node_id)["enterprises"][0]["grade"], "C");
    let enterprise_id = r["enterprise_id"].to_string();
    let history = call_ok(&app, &staff, "efficiency/enterprise", &[("id", &enterprise_id)]).await;
    let years: Vec<i64> = history["history"].as_array().unwrap().iter().map(|h| h["year"].as_i64().unwrap()).collect();
    assert_eq!(years, vec![2026, 2025]);

    // New rules regrade every year: by share, A the first 40%, B none, C 40%, the rest D.
    let mut share = TAX_ONLY.to_vec();
    share[4] = ("form[mode]", "share");
    share[5] = ("form[a]", "40");
    share[6] = ("form[b]", "0");
    share[7] = ("form[c]", "40");
    call_ok(&app, &manager, "efficiency/rules/save", &share).await;
    let page = call_ok(&app, &staff, "efficiency/page", &[("year", "2025")]).await;
    // 5 rated: A the first 2, C the next 2 (the tie at 3rd both), D the last.
    let grades: Vec<&str> =
        ["钢城传感股份有限公司", "慈湖精密有限公司", "雨山机械有限公司", "博望铸造有限公司", "当涂化工有限公司"]
            .iter()
            .map(|n| grade_row(&page, n)["grade"].as_str().unwrap_or("-"))
            .collect();
    assert_eq!(grades, vec!["A", "A", "C", "C", "D"]);
    let rules = call_ok(&app, &staff, "efficiency/rules", &[]).await;
    assert_eq!(rules["versions"].as_array().unwrap().len(), 2);

    // The pages render for a reader.
    let enterprise_page = format!("/efficiency/enterprise/{enterprise_id}");
    for (path, shows) in [
        ("/efficiency", "钢城传感股份有限公司"),
        ("/efficiency?year=2025&grade=C", "雨山机械有限公司"),
        ("/settings/efficiency", "只看亩均税收"),
        (enterprise_page.as_str(), "钢城传感股份有限公司"),
    ] {
        let res = staff.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        assert!(res.text().await.unwrap().contains(shows), "{path} shows {shows}");
    }
}
