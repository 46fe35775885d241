//! 导入 of the office's real spreadsheet shapes, through the real upload, preview and commit:
//! hidden lookup sheets and the active sheet, title rows above the header, blank rows and the
//! row numbers Excel shows, error values, units in headers and notes, the office's own words
//! (aliases), and text files in every encoding Excel and WPS save. The files are generated
//! here; the real-world samples in `../shared/cases/real-world` are read too.

use super::imports::{batch, by_uscc, commit, issues, row, upload};
use app::domain::role::Role;
use lianzhao_tests::{uscc, TestApp};
use rust_xlsxwriter::{Format, Formula, Workbook, Worksheet};
use serde_json::Value;

fn write_rows(sheet: &mut Worksheet, first_row: u32, rows: &[&[&str]]) {
    for (r, cells) in rows.iter().enumerate() {
        for (c, v) in cells.iter().enumerate() {
            if !v.is_empty() {
                sheet.write_string(first_row + r as u32, c as u16, *v).unwrap();
            }
        }
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|x| x.as_str().unwrap_or_default().to_string()).collect()
}

async fn configure(app: &TestApp, client: &reqwest::Client, fields: &[(&str, &str)]) -> Value {
    let (status, body) = app.call(client, "imports/configure", fields).await;
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test]
async fn hidden_sheets_are_never_read_the_active_one_is_and_the_user_can_switch() {
    let app = TestApp::spawn().await;
    let (mgr, _) = app.login_as("mgr", Role::Manager).await;
    let mut book = Workbook::new();
    let codes = book.add_worksheet().set_name("代码表").unwrap();
    write_rows(codes, 0, &[&["企业名称", "行业"], &["电子通信", "智能制造"], &["节能环保及新材料", ""]]);
    codes.set_hidden(true);
    let (a, b, c) = (uscc("320115", 301), uscc("320115", 302), uscc("320115", 303));
    let secret = book.add_worksheet().set_name("隐藏").unwrap();
    write_rows(secret, 0, &[&["企业名称"], &["不该读到有限公司"]]);
    secret.set_very_hidden(true);
    // A visible sheet before the active one: the active one is taken, not the first.
    let other = book.add_worksheet().set_name("第二批").unwrap();
    write_rows(other, 0, &[&["企业名称", "统一社会信用代码", "行业"], &["第二批丙有限公司", &c, "电子通信"]]);
    let leads = book.add_worksheet().set_name("招商线索").unwrap();
    write_rows(
        leads,
        0,
        &[
            &["企业名称", "统一社会信用代码", "行业", "计划投资(万元)"],
            &["活动表甲有限公司", &a, "电子通信", "100"],
            &["活动表乙有限公司", &b, "智能制造", "200"],
        ],
    );
    leads.set_active(true);
    let id = upload(&app, &mgr, "线索.xlsx", book.save_to_buffer().unwrap()).await.expect("upload");
    let page = batch(&app, &mgr, id).await;
    assert_eq!(page["read_as"]["sheet"], "招商线索", "{page}");
    assert_eq!(strings(&page["read_as"]["sheets"]), vec!["第二批", "招商线索"], "hidden sheets are not offered");
    assert_eq!(strings(&page["headers"]), vec!["企业名称", "统一社会信用代码", "行业", "计划投资(万元)"]);
    assert_eq!(page["summary"]["row_count"], 2);
    assert_eq!(page["counts"]["new"], 2);

    // The user switches to the other sheet: read again, mapping guessed anew.
    configure(&app, &mgr, &[("id", &id.to_string()), ("read[sheet]", "第二批")]).await;
    let page = batch(&app, &mgr, id).await;
    assert_eq!(page["read_as"]["sheet"], "第二批");
    assert_eq!(page["summary"]["row_count"], 1);
    assert_eq!(page["mapping"][2], "industry");
    let done = commit(&app, &mgr, id).await;
    assert_eq!(done["summary"]["created"], 1, "{done}");
    assert_eq!(by_uscc(&app, &c).await.company_name, "第二批丙有限公司");
}

#[tokio::test]
async fn the_header_is_found_below_title_rows_and_a_unit_note_converts_amounts() {
    let app = TestApp::spawn().await;
    let (mgr, _) = app.login_as("mgr", Role::Manager).await;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.merge_range(0, 0, 0, 5, "2026年重点招商线索汇总表", &Format::new()).unwrap();
    write_rows(sheet, 1, &[&["填报单位：高新区招商局", "", "", "", "单位：亿元", ""]]);
    let (a, b) = (uscc("320115", 311), uscc("320115", 312));
    write_rows(
        sheet,
        2,
        &[
            &["序号", "企业名称", "统一社会信用代码", "行业", "计划投资", "联系人"],
            &["1", "标题行甲有限公司", &a, "电子通信", "1.5", "张三"],
            &["2", "标题行乙有限公司", &b, "智能制造", "3000万", "李四"],
        ],
    );
    let id = upload(&app, &mgr, "汇总表.xlsx", book.save_to_buffer().unwrap()).await.expect("upload");
    let page = batch(&app, &mgr, id).await;
    assert_eq!(page["read_as"]["header_line"], 3, "{page}");
    assert_eq!(page["read_as"]["amount_unit"], "亿元");
    assert_eq!(
        strings(&page["mapping"]),
        vec!["", "company_name", "uscc", "industry", "planned_investment", "contacts.0.name"]
    );
    assert_eq!(page["summary"]["row_count"], 2);
    // Rows keep the numbers Excel shows, and the conversion is shown at its cell.
    let first = row(&page, 4);
    assert_eq!(first["status"], "new", "{first}");
    assert_eq!(first["notes"][0]["column"], 4);
    assert_eq!(first["notes"][0]["error"]["key"], "import.note.converted");
    let (_, html) = app.page(&mgr, &format!("/import/{id}")).await;
    assert!(html.contains("1.5 亿元 → 保存为 15,000 万元"), "the preview shows the conversion");
    assert!(row(&page, 5)["notes"].as_array().unwrap().is_empty(), "a cell with its own unit keeps it");

    // Another header row may be chosen, and the found one again.
    configure(&app, &mgr, &[("id", &id.to_string()), ("read[header_line]", "2")]).await;
    assert_eq!(batch(&app, &mgr, id).await["read_as"]["header_line"], 2);
    configure(&app, &mgr, &[("id", &id.to_string()), ("read[header_line]", "3")]).await;
    // A preview left open for over a week gives up the kept file: no more switching, said so.
    let other = upload(&app, &mgr, "汇总表2.xlsx", book.save_to_buffer().unwrap()).await.expect("upload");
    use sea_orm::{ActiveModelTrait, EntityTrait};
    let kept = app::backend::entities::import_batch::Entity::find_by_id(other).one(&app.db).await.unwrap().unwrap();
    let mut old: app::backend::entities::import_batch::ActiveModel = kept.into();
    old.created_at = sea_orm::Set(chrono::Utc::now() - chrono::Duration::days(8));
    old.update(&app.db).await.unwrap();
    assert_eq!(app::backend::services::import_setup::forget_old_sources(&app.db, 7).await.unwrap(), 1);
    assert_eq!(batch(&app, &mgr, other).await["read_as"]["can_change"], false);
    let (status, body) =
        app.call(&mgr, "imports/configure", &[("id", &other.to_string()), ("read[header_line]", "2")]).await;
    assert_eq!((status, body["Conflict"].as_str()), (409, Some("err.import.file_gone")), "{body}");
    assert_eq!(batch(&app, &mgr, id).await["read_as"]["can_change"], true, "a recent preview keeps its file");

    let done = commit(&app, &mgr, id).await;
    assert_eq!(done["summary"]["created"], 2, "{done}");
    assert_eq!(batch(&app, &mgr, id).await["read_as"]["can_change"], false, "a committed batch lets its file go");
    assert_eq!(by_uscc(&app, &a).await.planned_investment_wan, Some(15_000.0));
    assert_eq!(by_uscc(&app, &b).await.planned_investment_wan, Some(3_000.0));
}

#[tokio::test]
async fn messages_name_the_row_number_excel_shows() {
    let app = TestApp::spawn().await;
    let (mgr, _) = app.login_as("mgr", Role::Manager).await;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let good = uscc("320115", 321);
    write_rows(sheet, 0, &[&["企业名称", "统一社会信用代码", "行业"], &["空行甲有限公司", &good, "电子通信"]]);
    // Rows 3 and 4 are empty.
    write_rows(sheet, 4, &[&["空行乙有限公司", "91320115MA0000000X", "电子通信"]]);
    let id = upload(&app, &mgr, "空行.xlsx", book.save_to_buffer().unwrap()).await.expect("upload");
    let page = batch(&app, &mgr, id).await;
    assert_eq!(issues(&page, 5), vec![(1.into(), "err.uscc.check".to_string())], "{page}");
    assert_eq!(row(&page, 2)["status"], "new");

    // CSV: blank lines count, a quoted line break does not start a row.
    let text = format!(
        "企业名称,统一社会信用代码,行业,备注\r\n\r\n空行丙有限公司,{},电子通信,\"第一行\n第二行\"\r\n空行丁有限公司,{},造船,\r\n",
        uscc("320115", 322),
        uscc("320115", 323)
    );
    let id = upload(&app, &mgr, "空行.csv", text.into_bytes()).await.expect("upload");
    let page = batch(&app, &mgr, id).await;
    assert_eq!(row(&page, 3)["status"], "new", "{page}");
    assert_eq!(issues(&page, 4), vec![(2.into(), "err.import.unknown_value".to_string())]);
    // The failed-rows workbook names the same rows.
    let done = commit(&app, &mgr, id).await;
    assert_eq!(done["rows"][0]["line"], 4, "{done}");
}

#[tokio::test]
async fn error_values_are_errors_at_their_cell_never_text() {
    let app = TestApp::spawn().await;
    let (mgr, _) = app.login_as("mgr", Role::Manager).await;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let (a, b, c) = (uscc("320115", 331), uscc("320115", 332), uscc("320115", 333));
    write_rows(sheet, 0, &[&["企业名称", "统一社会信用代码", "行业", "联系人", "计划投资"]]);
    sheet.write_formula(1, 0, Formula::new("=VLOOKUP(B2,代码表!A:B,2,0)").set_result("#N/A")).unwrap();
    write_rows(sheet, 1, &[&["", &a, "电子通信", "测试丙", ""]]);
    write_rows(sheet, 2, &[&["错误值乙有限公司", &b, "电子通信", "", ""]]);
    sheet.write_formula(2, 3, Formula::new("=#REF!").set_result("#REF!")).unwrap();
    write_rows(sheet, 3, &[&["错误值丁有限公司", &c, "电子通信", "测试丁", ""]]);
    sheet.write_formula(3, 4, Formula::new("=1/0").set_result("#DIV/0!")).unwrap();
    write_rows(sheet, 4, &[&["错误值戊有限公司", &uscc("320115", 334), "电子通信", "测试戊", "100"]]);
    let id = upload(&app, &mgr, "错误值.xlsx", book.save_to_buffer().unwrap()).await.expect("upload");
    let page = batch(&app, &mgr, id).await;
    assert_eq!(issues(&page, 2), vec![(0.into(), "err.import.formula_error".to_string())], "{page}");
    assert_eq!(issues(&page, 3), vec![(3.into(), "err.import.formula_error".to_string())]);
    assert_eq!(issues(&page, 4), vec![(4.into(), "err.import.formula_error".to_string())]);
    assert_eq!(row(&page, 5)["status"], "new");
    // Typed into a CSV, the same.
    let text = format!("企业名称,统一社会信用代码,行业\r\n#NAME?,{},电子通信\r\n", uscc("320115", 335));
    let id = upload(&app, &mgr, "错误值.csv", text.into_bytes()).await.expect("upload");
    assert_eq!(issues(&batch(&app, &mgr, id).await, 2), vec![(0.into(), "err.import.formula_error".to_string())]);
}

#[tokio::test]
async fn units_in_headers_convert_and_other_currencies_are_refused() {
    let app = TestApp::spawn().await;
    let (mgr, _) = app.login_as("mgr", Role::Manager).await;
    let (a, b) = (uscc("320115", 341), uscc("320115", 342));
    let text = format!(
        "\u{feff}企业名称,统一社会信用代码,行业,计划总投资（亿元）,用地面积（公顷）,预计年产值(千元)\r\n\
         单位甲电子有限公司,{a},电子通信,1.5,2,50000\r\n"
    );
    let id = upload(&app, &mgr, "单位.csv", text.into_bytes()).await.expect("upload");
    let page = batch(&app, &mgr, id).await;
    let notes: Vec<(u64, String)> = row(&page, 2)["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            let args = n["error"]["args"].as_array().unwrap();
            let text = args.iter().map(|a| a[1].as_str().unwrap()).collect::<Vec<_>>().join(" → ");
            (n["column"].as_u64().unwrap(), text)
        })
        .collect();
    assert_eq!(
        notes,
        vec![
            (3, "1.5 亿元 → 15,000 万元".to_string()),
            (4, "2 公顷 → 30 亩".to_string()),
            (5, "50000 千元 → 5,000 万元".to_string())
        ]
    );
    let done = commit(&app, &mgr, id).await;
    assert_eq!(done["summary"]["created"], 1, "{done}");
    let lead = by_uscc(&app, &a).await;
    assert_eq!(
        (lead.planned_investment_wan, lead.land_mu, lead.annual_output_wan),
        (Some(15_000.0), Some(30.0), Some(5_000.0))
    );

    // A currency other than RMB is named at the cell, never stored as yuan.
    let text = format!("企业名称,统一社会信用代码,行业,投资额（万美元）,备注\r\n外币乙有限公司,{b},电子通信,500,\r\n");
    let id = upload(&app, &mgr, "外币.csv", text.into_bytes()).await.expect("upload");
    let page = batch(&app, &mgr, id).await;
    assert_eq!(issues(&page, 2), vec![(3.into(), "err.import.foreign_currency".to_string())], "{page}");
    let text = format!("企业名称,统一社会信用代码,行业,计划投资\r\n外币丙有限公司,{b},电子通信,300万美元\r\n");
    let id = upload(&app, &mgr, "外币2.csv", text.into_bytes()).await.expect("upload");
    assert_eq!(issues(&batch(&app, &mgr, id).await, 2), vec![(3.into(), "err.import.foreign_currency".to_string())]);

    // A cell with its own unit in a 万元 column: read by its unit, the 万元 it comes to noted.
    let c = uscc("320115", 343);
    let text = format!("企业名称,统一社会信用代码,行业,计划投资(万元)\r\n自带单位丁有限公司,{c},电子通信,1.2亿\r\n");
    let id = upload(&app, &mgr, "自带单位.csv", text.into_bytes()).await.expect("upload");
    let page = batch(&app, &mgr, id).await;
    let note = &row(&page, 2)["notes"][0];
    assert_eq!((&note["column"], &note["error"]["key"]), (&3.into(), &"import.note.converted".into()), "{page}");
    let (_, html) = app.page(&mgr, &format!("/import/{id}")).await;
    assert!(html.contains("1.2 亿元 → 保存为 12,000 万元"), "the preview shows what 1.2亿 comes to");
    assert_eq!(commit(&app, &mgr, id).await["summary"]["created"], 1);
    assert_eq!(by_uscc(&app, &c).await.planned_investment_wan, Some(12_000.0));
}

#[tokio::test]
async fn the_office_words_are_read_and_an_unknown_value_is_mapped_once() {
    let app = TestApp::spawn().await;
    let (mgr, _) = app.login_as("mgr", Role::Manager).await;
    let u = |n| uscc("320115", n);
    let text = [
        "企业名称,统一社会信用代码,行业,阶段,渠道".to_string(),
        format!("别名甲有限公司,{},节能环保,在谈,驻点", u(351)),
        format!("别名乙有限公司,{},新材料,已签约,中介", u(352)),
        format!("别名丙有限公司,{},5G,,", u(353)),
        format!("别名丁有限公司,{},生物医药,,", u(354)),
        format!("别名戊有限公司,{},生物医药,,", u(355)),
    ]
    .join("\r\n");
    let id = upload(&app, &mgr, "别名.csv", text.clone().into_bytes()).await.expect("upload");
    let page = batch(&app, &mgr, id).await;
    assert_eq!(page["counts"]["new"], 3, "{page}");
    assert_eq!(row(&page, 2)["notes"][0]["error"]["key"], "import.note.alias");
    assert_eq!(issues(&page, 5), vec![(2.into(), "err.import.unknown_value".to_string())]);
    assert_eq!(page["unknown_values"], serde_json::json!([{ "field": "industry", "value": "生物医药", "rows": 2 }]));
    let (_, html) = app.page(&mgr, &format!("/import/{id}")).await;
    assert!(html.contains("“节能环保”按别名读作“节能环保及新材料”"), "the alias is said at the cell");

    // A mapping refused (a field chosen for two columns) saves nothing sent beside it: the
    // value keeps no meaning until the form is sent right.
    let sid = id.to_string();
    let refused = [
        ("id", sid.as_str()),
        ("mapping[0]", "company_name"),
        ("mapping[1]", "company_name"),
        ("values[0][field]", "industry"),
        ("values[0][value]", "生物医药"),
        ("values[0][code]", "other"),
    ];
    let (status, body) = app.call(&mgr, "imports/configure", &refused).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["Invalid"][0]["field"], "mapping.1", "{body}");
    let page = batch(&app, &mgr, id).await;
    assert_eq!(page["counts"]["new"], 3, "no alias saved: {page}");

    // Mapped once, for every row carrying it.
    configure(
        &app,
        &mgr,
        &[
            ("id", &id.to_string()),
            ("values[0][field]", "industry"),
            ("values[0][value]", "生物医药"),
            ("values[0][code]", "other"),
        ],
    )
    .await;
    let page = batch(&app, &mgr, id).await;
    assert_eq!(page["counts"]["new"], 5, "{page}");
    let done = commit(&app, &mgr, id).await;
    assert_eq!(done["summary"]["created"], 5);
    let lead = by_uscc(&app, &u(351)).await;
    assert_eq!(
        (lead.industry.as_str(), lead.stage.as_str(), lead.channel.as_str()),
        ("energy_materials", "negotiation", "resident")
    );
    assert_eq!(by_uscc(&app, &u(352)).await.stage, "signed");
    assert_eq!(by_uscc(&app, &u(353)).await.industry, "electronic_comms");
    assert_eq!(by_uscc(&app, &u(354)).await.industry, "other");

    // The next file with that word reads it; the admin sees, adds and removes aliases.
    let text = format!(
        "企业名称,统一社会信用代码,行业\r\n别名己有限公司,{},生物医药\r\n别名庚有限公司,{},造船\r\n",
        u(356),
        u(357)
    );
    let id = upload(&app, &mgr, "别名2.csv", text.into_bytes()).await.expect("upload");
    let page = batch(&app, &mgr, id).await;
    assert_eq!(row(&page, 2)["status"], "new");
    assert_eq!(issues(&page, 3), vec![(2.into(), "err.import.unknown_value".to_string())]);
    let (status, _) = app.call(&mgr, "admin/aliases", &[]).await;
    assert_eq!(status, 403, "managers do not edit the office's aliases");
    let (admin, _) = app.login_as("admin", Role::Admin).await;
    let (status, body) =
        app.call(&admin, "admin/aliases/add", &[("alias", "造船"), ("target", "industry:smart_manufacturing")]).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app.call(&admin, "admin/aliases/add", &[("alias", "x"), ("target", "industry:nope")]).await;
    assert_eq!(status, 422, "{body}");
    let (_, list) = app.call(&admin, "admin/aliases", &[]).await;
    let words: Vec<&str> = list.as_array().unwrap().iter().map(|a| a["alias"].as_str().unwrap()).collect();
    assert_eq!(words, vec!["生物医药", "造船"]);
    let page = batch(&app, &mgr, id).await;
    assert_eq!(page["counts"]["new"], 2, "{page}");
    let (status, _) = app.page(&admin, "/admin/aliases").await;
    assert_eq!(status, 200);
    let first = list[0]["id"].as_i64().unwrap().to_string();
    let (status, body) = app.call(&admin, "admin/aliases/remove", &[("id", &first)]).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn text_files_in_every_encoding_excel_and_wps_save_are_read() {
    let app = TestApp::spawn().await;
    let (mgr, _) = app.login_as("mgr", Role::Manager).await;
    let text = |n: u32| {
        format!("企业名称\t统一社会信用代码\t行业\r\n编码{n}电子有限公司\t{}\t电子通信\r\n", uscc("320115", 360 + n))
    };
    let utf16 = |s: &str, le: bool, bom: bool| -> Vec<u8> {
        let mut out: Vec<u8> = Vec::new();
        if bom {
            out.extend(if le { [0xFF, 0xFE] } else { [0xFE, 0xFF] });
        }
        for unit in s.encode_utf16() {
            out.extend(if le { unit.to_le_bytes() } else { unit.to_be_bytes() });
        }
        out
    };
    let files: Vec<(u32, Vec<u8>)> = vec![
        (1, utf16(&text(1), true, true)),
        (2, utf16(&text(2), false, true)),
        (3, utf16(&text(3), true, false)),
        (4, [b"\xEF\xBB\xBF".as_slice(), text(4).as_bytes()].concat()),
        (5, text(5).into_bytes()),
        (6, encoding_rs::GB18030.encode(&text(6)).0.into_owned()),
    ];
    for (n, bytes) in files {
        let id = upload(&app, &mgr, "unicode.txt", bytes).await.unwrap_or_else(|e| panic!("file {n}: {e:?}"));
        let page = batch(&app, &mgr, id).await;
        assert_eq!(strings(&page["headers"]), vec!["企业名称", "统一社会信用代码", "行业"], "file {n}");
        assert_eq!(row(&page, 2)["cells"][0], format!("编码{n}电子有限公司"), "file {n}");
        assert_eq!(row(&page, 2)["status"], "new", "file {n}");
    }
}

/// The real-world samples (kept in the fuzz corpus, copied from `shared/cases/real-world`) give
/// the results their README states.
#[tokio::test]
async fn the_real_world_samples_read_right() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/sheet");
    let app = TestApp::spawn().await;
    let (mgr, _) = app.login_as("mgr", Role::Manager).await;
    let read = |name: &str| std::fs::read(dir.join(name)).expect(name);

    let id = upload(&app, &mgr, "c03.xlsx", read("c03_hidden_first_sheet.xlsx")).await.expect("c03");
    let page = batch(&app, &mgr, id).await;
    assert_eq!(page["read_as"]["sheet"], "招商线索", "{page}");
    assert_eq!(strings(&page["headers"]), vec!["企业名称", "统一社会信用代码", "行业", "计划投资(万元)"]);
    assert_eq!(page["summary"]["row_count"], 2);

    let id = upload(&app, &mgr, "c04.xlsx", read("c04_title_row.xlsx")).await.expect("c04");
    let page = batch(&app, &mgr, id).await;
    assert_eq!(page["read_as"]["header_line"], 3, "{page}");
    let mapping = strings(&page["mapping"]);
    for field in ["company_name", "uscc", "industry", "planned_investment", "contacts.0.name"] {
        assert!(mapping.iter().any(|m| m == field), "{field} in {mapping:?}");
    }
    assert_eq!(page["summary"]["row_count"], 2);
    assert_eq!(page["read_as"]["amount_unit"], "万元");

    let id = upload(&app, &mgr, "c05.xlsx", read("c05_blank_rows.xlsx")).await.expect("c05");
    let page = batch(&app, &mgr, id).await;
    let lines: Vec<u64> = page["rows"].as_array().unwrap().iter().map(|r| r["line"].as_u64().unwrap()).collect();
    assert!(lines.contains(&5), "the second company is row 5: {page}");

    let id = upload(&app, &mgr, "c06.xlsx", read("c06_error_cells.xlsx")).await.expect("c06");
    let page = batch(&app, &mgr, id).await;
    assert_eq!(issues(&page, 2), vec![(0.into(), "err.import.formula_error".to_string())], "{page}");
    assert_eq!(issues(&page, 3), vec![(3.into(), "err.import.formula_error".to_string())]);
    assert_eq!(row(&page, 4)["status"], "new");

    let id = upload(&app, &mgr, "c07.csv", read("c07_unit_header.csv")).await.expect("c07");
    let page = batch(&app, &mgr, id).await;
    assert_eq!(row(&page, 2)["notes"][0]["error"]["key"], "import.note.converted", "{page}");
    commit(&app, &mgr, id).await;
    assert_eq!(by_uscc(&app, "91320115MAW710001A").await.planned_investment_wan, Some(15_000.0));
}

/// A file without a column the import needs: each row's reason names the field no column fills
/// and where to give it one, and beside the commit button the page says why it would do nothing.
#[tokio::test]
async fn a_field_no_column_fills_is_named_at_the_row_and_the_commit_says_why() {
    let app = TestApp::spawn().await;
    let (mgr, _) = app.login_as("mgr", Role::Manager).await;
    // GBK, as WPS saves it; no 产业 column (the industry is required).
    let text = format!("企业名称,统一社会信用代码\r\nGBK测试科技有限公司,{}\r\n", uscc("320505", 611));
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let id = upload(&app, &mgr, "名单.csv", gbk.into_owned()).await.expect("upload");
    let page = batch(&app, &mgr, id).await;
    assert_eq!(row(&page, 2)["status"], "invalid", "{page}");
    assert_eq!(page["counts"]["create"], 0, "{page}");
    let (_, html) = app.page(&mgr, &format!("/import/{id}")).await;
    assert!(html.contains("GBK测试科技有限公司"), "the file was read as GBK");
    assert!(html.contains("文件中没有对应的列：产业（可在上方“列对应关系”中指定）"), "{html}");
    assert!(!html.contains("请从列表中选择"), "no list to choose from is spoken of");
    assert!(html.contains("没有要新建或更新的线索"), "the commit button says it would only record the result");

    // No column is the company name: the button is off and the page says what to do.
    let id = upload(&app, &mgr, "备注.csv", "备注,日期\r\n下周回访,2026-12-01\r\n".as_bytes().to_vec())
        .await
        .expect("upload");
    let page = batch(&app, &mgr, id).await;
    assert_eq!(page["can_commit"], false, "{page}");
    let (_, html) = app.page(&mgr, &format!("/import/{id}")).await;
    assert!(html.contains("请先在“列对应关系”中指定哪一列是企业名称"), "{html}");
    assert!(html.contains("文件中没有对应的列：企业名称、地区、产业（"), "the fields named once, together: {html}");
}
