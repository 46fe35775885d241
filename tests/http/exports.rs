//! Lists as files: the filtered lead list and the problem list as xlsx and CSV, all matching rows
//! the reader may see, with formula-looking text defused.

use app::domain::role::Role;
use calamine::{Data, Reader, Xlsx};
use lianzhao_tests::{lead_fields, uscc, TestApp};

#[tokio::test]
async fn lead_and_problem_lists_export_safely_as_xlsx_and_csv() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    let (staff, _) = app.login_as("s", Role::Staff).await;
    let mut ids = Vec::new();
    for (i, name) in ["=1+1恶意科技有限公司", "@SUM平台有限公司", "正常电子有限公司"].iter().enumerate()
    {
        let (status, id) = app.call(&manager, "leads/save", &lead_fields(name, &uscc("320115", 80 + i as u32))).await;
        assert_eq!(status, 200, "{name}: {id}");
        ids.push(id.to_string());
    }
    let (status, _) = app.call(&staff, "leads/save", &lead_fields("员工自己的有限公司", &uscc("320115", 90))).await;
    assert_eq!(status, 200);
    let (status, _) = app
        .call(
            &manager,
            "problems/create",
            &[("lead_id", &ids[2]), ("form[category]", "land"), ("form[description]", "+86 用地指标, \"待定\"")],
        )
        .await;
    assert_eq!(status, 200);

    // CSV: every row of the list, BOM for Excel, formulas defused, commas and quotes quoted.
    let csv = manager.get(app.url("/leads/export.csv?sort=name")).send().await.unwrap();
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    // Saved under a name in the reader's language (招商线索-…csv), an ASCII name beside it.
    let disposition = csv.headers()["content-disposition"].to_str().unwrap().to_string();
    let shown = disposition.split("filename*=UTF-8''").nth(1).unwrap_or_default();
    let shown = percent_encoding::percent_decode_str(shown).decode_utf8().unwrap();
    assert!(shown.starts_with("招商线索-") && shown.ends_with(".csv"), "{disposition}");
    assert!(disposition.contains("filename=\"leads-"), "{disposition}");
    let text = csv.text().await.unwrap();
    assert!(text.starts_with('\u{feff}'));
    let lines: Vec<&str> = text.trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), 1 + 4, "header and all four leads: {text}");
    assert!(text.contains(",'=1+1恶意科技有限公司,") && text.contains(",'@SUM平台有限公司,"), "{text}");
    assert!(!text.contains(",=1+1"));
    // In the list's order, each row with every column (the owner's name among them).
    let (_, page) = app.call(&manager, "leads/list", &[("filter[sort]", "name")]).await;
    let listed: Vec<String> =
        page["rows"].as_array().unwrap().iter().map(|r| r["company_name"].as_str().unwrap().to_string()).collect();
    let exported: Vec<String> =
        lines[1..].iter().map(|l| l.split(',').nth(1).unwrap().trim_start_matches('\'').to_string()).collect();
    assert_eq!(exported, listed);
    assert!(lines.iter().all(|l| l.split(',').count() == 18), "{text}");
    let owners: Vec<String> =
        page["rows"].as_array().unwrap().iter().map(|r| r["owner_name"].as_str().unwrap_or("").to_string()).collect();
    let exported_owners: Vec<String> = lines[1..].iter().map(|l| l.split(',').nth(15).unwrap().to_string()).collect();
    assert_eq!(exported_owners, owners, "{text}");
    // The staff member's lead is theirs: its row names them (the manager's have no owner).
    let staff_row = page["rows"].as_array().unwrap().iter().find(|r| r["company_name"] == "员工自己的有限公司");
    assert_eq!(staff_row.expect("the staff member's lead")["owner_name"], "s 测试", "{page}");
    // The filter applies: a search narrows the file like the list.
    let narrowed =
        manager.get(app.url("/leads/export.csv?q=%E6%AD%A3%E5%B8%B8")).send().await.unwrap().text().await.unwrap();
    assert_eq!(narrowed.trim_end().split("\r\n").count(), 2, "{narrowed}");
    // Staff get their own leads only.
    let own = staff.get(app.url("/leads/export.csv")).send().await.unwrap().text().await.unwrap();
    assert!(own.contains("员工自己的有限公司") && !own.contains("正常电子有限公司"));

    // xlsx: the same rows; text stays text (no formula cells at all).
    let xlsx = manager.get(app.url("/leads/export.xlsx?sort=name")).send().await.unwrap();
    assert_eq!(xlsx.status(), 200);
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(xlsx.bytes().await.unwrap().to_vec())).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    assert_eq!(range.rows().count(), 5);
    assert!(range.rows().any(|r| r[1] == Data::String("=1+1恶意科技有限公司".into())));
    let formulas = book.worksheet_formula(&sheet).unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no formulas");

    let problems = manager.get(app.url("/problems/export.csv")).send().await.unwrap().text().await.unwrap();
    assert!(problems.contains("\"'+86 用地指标, \"\"待定\"\"\""), "{problems}");
    let p_xlsx = manager.get(app.url("/problems/export.xlsx?category=land")).send().await.unwrap();
    assert_eq!(p_xlsx.status(), 200);
    let (status, html) = app.page(&manager, "/leads?sort=name").await;
    assert_eq!(status, 200);
    assert!(html.contains("/leads/export.xlsx?sort=name"));
}

/// A USCC of digits only (valid check character), as some registrations have.
fn digit_uscc() -> String {
    (0..1000u32)
        .map(|i| app::domain::uscc::Uscc::complete(&format!("913201150000{i:05}")).expect("valid body").to_string())
        .find(|u| u.bytes().all(|b| b.is_ascii_digit()))
        .expect("a digits-only USCC")
}

#[tokio::test]
async fn exports_survive_the_spreadsheet_program_long_digits_and_long_text() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    let code = digit_uscc();
    let (status, id) = app.call(&manager, "leads/save", &lead_fields("全数字代码电子有限公司", &code)).await;
    assert_eq!(status, 200, "{id}");

    // CSV: the code is written so Excel shows exactly those digits, and it imports back exactly.
    let text = manager.get(app.url("/leads/export.csv")).send().await.unwrap().text().await.unwrap();
    assert!(text.contains(&format!("\"=\"\"{code}\"\"\"")), "{text}");
    assert!(!text.contains(&format!(",{code},")), "never a bare number Excel would turn into 9.13E+17");
    let form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(text.into_bytes()).file_name("export.csv"));
    let res = manager.post(app.url("/import/upload")).multipart(form).send().await.unwrap();
    let batch = res.headers()["location"].to_str().unwrap().trim_start_matches("/import/").to_string();
    let (_, page) = app.call(&manager, "imports/get", &[("id", &batch)]).await;
    let row = &page["rows"][0];
    assert_eq!(row["status"], "duplicate", "matched by its exact code: {page}");
    assert_eq!(row["by_uscc"], true);

    // A failed row with a note longer than a cell: the failed-rows workbook still downloads,
    // the note cut with a visible mark.
    let long = "很长的备注".repeat(8_000);
    let file =
        format!("企业名称,统一社会信用代码,行业,备注\r\n超长备注有限公司,{},造船,{long}\r\n", uscc("320115", 95));
    let form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(file.into_bytes()).file_name("long.csv"));
    let res = manager.post(app.url("/import/upload")).multipart(form).send().await.unwrap();
    let batch = res.headers()["location"].to_str().unwrap().trim_start_matches("/import/").to_string();
    assert_eq!(app.call(&manager, "imports/commit", &[("id", &batch)]).await.0, 200);
    for _ in 0..200 {
        let (_, page) = app.call(&manager, "imports/get", &[("id", &batch)]).await;
        if page["summary"]["status"] == "done" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let res = manager.get(app.url(&format!("/import/{batch}/failed.xlsx"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(res.bytes().await.unwrap().to_vec())).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    let row: Vec<String> = range.rows().nth(1).unwrap().iter().map(|d| d.to_string()).collect();
    assert_eq!(row[0], "2");
    let note = &row[4];
    assert_eq!(note.chars().count(), app::domain::export::MAX_CELL_CHARS, "cut to what a cell holds");
    assert!(note.ends_with(app::domain::export::CUT_NOTE));
}

/// An overseas lead's 地区 in the export is its area, as the list shows it (was blank), in the
/// reader's language; the demo's overseas companies are tagged with their own area
/// (华芯传感技术（香港） is in 港澳地区, not in 台湾地区).
#[tokio::test]
async fn the_export_names_an_overseas_leads_area() {
    use app::backend::entities::lead;
    use sea_orm::EntityTrait;
    let app = TestApp::spawn().await;
    app::backend::services::demo::seed(&app.db, 60).await.expect("demo data");
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    let overseas: Vec<lead::Model> = lead::Entity::find()
        .all(&app.db)
        .await
        .expect("leads")
        .into_iter()
        .filter(|l| l.region_code.starts_with("OS-"))
        .collect();
    assert!(overseas.len() >= 4, "{overseas:?}");
    let csv = manager.get(app.url("/leads/export.csv")).send().await.unwrap().text().await.unwrap();
    for l in &overseas {
        let (tag, area) = match l.region_code.as_str() {
            "OS-EU" => ("（欧洲）", "欧洲"),
            "OS-TW" => ("（台湾）", "台湾地区"),
            "OS-HK" => ("（香港）", "港澳地区"),
            _ => ("（国际）", "其他境外"),
        };
        assert!(l.company_name.ends_with(tag), "{} in {}", l.company_name, l.region_code);
        let row = csv.lines().find(|r| r.split(',').nth(1) == Some(l.company_name.as_str()));
        assert_eq!(row.and_then(|r| r.split(',').nth(3)), Some(area), "{csv}");
    }
    // In English, in English.
    let res = manager.post(app.url("/lang")).form(&[("lang", "en")]).send().await.unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    let csv = manager.get(app.url("/leads/export.csv")).send().await.unwrap().text().await.unwrap();
    for l in &overseas {
        let area = match l.region_code.as_str() {
            "OS-EU" => "Europe",
            "OS-TW" => "Taiwan region",
            "OS-HK" => "Hong Kong / Macao",
            _ => "Other overseas",
        };
        let row = csv.lines().find(|r| r.split(',').nth(1) == Some(l.company_name.as_str()));
        assert_eq!(row.and_then(|r| r.split(',').nth(3)), Some(area), "{csv}");
    }
    // Another browser of the same person still showing Chinese (its own language cookie) gets a
    // Chinese file: the file follows the page beside it, not the choice stored at the last switch.
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    jar.add_cookie_str("lz_lang=zh-CN", &app.url("/").parse().expect("url"));
    let other = reqwest::Client::builder()
        .cookie_provider(jar)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    app.post_login(&other, "mgr", lianzhao_tests::PASSWORD).await;
    let res = other.get(app.url("/leads/export.csv")).send().await.unwrap();
    let disposition = res.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(disposition.contains("filename*=UTF-8''%E6%8B%9B%E5%95%86"), "招商线索-…: {disposition}");
    let csv = res.text().await.unwrap();
    let l = &overseas[0];
    let row = csv.lines().find(|r| r.split(',').nth(1) == Some(l.company_name.as_str()));
    assert!(row.and_then(|r| r.split(',').nth(3)).is_some_and(|a| !a.is_ascii()), "Chinese: {csv}");
}
