//! 导入: spreadsheets of leads through the real upload form, preview, commit and report, on the
//! real database — every kind of bad row, encodings, mapping corrections, duplicate modes.
//! Limits, round trips, restarts and all-or-nothing on a failure mid-batch: `import_safety`.

use app::backend::entities::{lead, lead_contact};
use app::domain::role::Role;
use calamine::{Data, Reader, Xlsx};
use lianzhao_tests::{lead_fields, uscc, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;

/// Posts the upload form; Ok(batch id) or Err((error key, max)).
pub(crate) async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    name: &str,
    bytes: Vec<u8>,
) -> Result<i64, (String, String)> {
    let form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()));
    let res = client.post(app.url("/import/upload")).multipart(form).send().await.expect("upload");
    assert_eq!(res.status(), 303, "upload answers with a redirect");
    let to = res.headers()["location"].to_str().unwrap().to_string();
    if let Some(id) = to.strip_prefix("/import/") {
        return Ok(id.parse().expect("batch id"));
    }
    let query: std::collections::HashMap<String, String> =
        url_pairs(to.strip_prefix("/import?").unwrap_or_else(|| panic!("unexpected redirect {to}")));
    Err((query.get("error").cloned().unwrap_or_default(), query.get("max").cloned().unwrap_or_default()))
}

fn url_pairs(q: &str) -> std::collections::HashMap<String, String> {
    q.split('&').filter_map(|kv| kv.split_once('=')).map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

pub(crate) async fn batch(app: &TestApp, client: &reqwest::Client, id: i64) -> Value {
    let (status, page) = app.call(client, "imports/get", &[("id", &id.to_string())]).await;
    assert_eq!(status, 200, "{page}");
    page
}

/// Commits and waits for the background commit to finish; the batch page afterwards.
pub(crate) async fn commit(app: &TestApp, client: &reqwest::Client, id: i64) -> Value {
    let (status, body) = app.call(client, "imports/commit", &[("id", &id.to_string())]).await;
    assert_eq!(status, 200, "{body}");
    for _ in 0..600 {
        let page = batch(app, client, id).await;
        if page["summary"]["status"] != "running" {
            return page;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("import {id} still running after 30 s");
}

pub(crate) fn row(page: &Value, line: u64) -> &Value {
    page["rows"].as_array().unwrap().iter().find(|r| r["line"] == line).unwrap_or_else(|| panic!("line {line}: {page}"))
}

/// (column, message key) of each issue of a row.
pub(crate) fn issues(page: &Value, line: u64) -> Vec<(Value, String)> {
    row(page, line)["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["column"].clone(), i["error"]["key"].as_str().unwrap().to_string()))
        .collect()
}

pub(crate) fn csv(lines: &[&str]) -> Vec<u8> {
    lines.join("\r\n").into_bytes()
}

pub(crate) async fn by_uscc(app: &TestApp, u: &str) -> lead::Model {
    lead::Entity::find().filter(lead::Column::Uscc.eq(u)).one(&app.db).await.unwrap().expect("lead")
}

pub(crate) async fn by_name(app: &TestApp, name: &str) -> lead::Model {
    lead::Entity::find().filter(lead::Column::CompanyName.eq(name)).one(&app.db).await.unwrap().expect("lead")
}

#[tokio::test]
async fn csv_preview_marks_every_kind_of_row_and_the_commit_imports_the_good_ones() {
    let app = TestApp::spawn().await;
    let (mgr, _) = app.login_as("mgr", Role::Manager).await;
    let existing = uscc("320115", 500);
    let (status, body) = app.call(&mgr, "leads/save", &lead_fields("已有电子有限公司", &existing)).await;
    assert_eq!(status, 200, "{body}");
    // No USCC: the region is picked by hand.
    let mut friend = lead_fields("老朋友科技有限公司", "");
    friend.push(("form[region_code]", "320100"));
    let (status, body) = app.call(&mgr, "leads/save", &friend).await;
    assert_eq!(status, 200, "{body}");
    let good = uscc("320115", 1);
    let file = csv(&[
        "企业名称,统一社会信用代码,所在地区,行业,计划投资（万元）,用地（亩）,渠道,阶段,联系人,联系电话,备注",
        &format!("南京芯片科技有限公司,{good},,电子通信,1.5亿,80,委托招商,洽谈,王总,13800000001,首批"),
        "苏州精密机械有限公司,,江苏省苏州市,智能制造,3000万,,,,,,",
        "坏代码有限公司,91320115MA0000000X,,电子通信,,,,,,,",
        "造船有限公司,,南京,造船,,,,,,,",
        "金额有限公司,,南京,电子通信,很多,,,,,,",
        ",,南京,电子通信,,,,,,,",
        "南京芯片科技有限公司,,南京,电子通信,,,,,,,",
        &format!("已有电子有限公司,{existing},,电子通信,9000,,,,,,"),
        "老朋友科技股份有限公司,,南京,电子通信,,,,,,,",
        "火星基地有限公司,,火星,电子通信,,,,,,,",
        "海外企业有限公司,,,电子通信,,,,,,,",
        "多错有限公司,,火星,造船,很多,,,,,,",
    ]);
    let id = upload(&app, &mgr, "线索.csv", file).await.expect("upload");
    let page = batch(&app, &mgr, id).await;
    assert_eq!(page["summary"]["status"], "preview");
    assert_eq!(page["mapping"][0], "company_name");
    assert_eq!(page["mapping"][4], "planned_investment");
    let counts = &page["counts"];
    assert_eq!(
        (counts["new"].as_u64(), counts["duplicate"].as_u64(), counts["invalid"].as_u64()),
        (Some(2), Some(2), Some(8)),
        "{page}"
    );
    assert_eq!((counts["create"].as_u64(), counts["skip"].as_u64()), (Some(2), Some(2)));
    // Problems first, each at its cell; before the commit a bad row is "not imported", not
    // "failed" (nothing has been tried yet).
    assert_eq!(page["rows"][0]["status"], "invalid");
    let (_, html) = app.page(&mgr, &format!("/import/{id}")).await;
    assert!(html.contains("未导入") && !html.contains(">失败<"), "{html}");
    // A row names its company beside what happens to it (the cells are a swipe away on a phone).
    assert!(html.contains(r#"<small class="row-company">"#), "{html}");
    assert_eq!(issues(&page, 4), vec![(1.into(), "err.uscc.check".to_string())]);
    assert_eq!(issues(&page, 5), vec![(3.into(), "err.import.unknown_value".to_string())]);
    assert_eq!(issues(&page, 6)[0].0, Value::from(4));
    assert_eq!(issues(&page, 7), vec![(0.into(), "err.required".to_string())]);
    assert_eq!(issues(&page, 8), vec![(0.into(), "err.import.duplicate_in_file".to_string())]);
    assert_eq!(issues(&page, 11), vec![(2.into(), "err.region.unknown".to_string())]);
    assert_eq!(issues(&page, 12), vec![(2.into(), "err.region.required".to_string())]);
    let all: Vec<Value> = issues(&page, 13).into_iter().map(|(c, _)| c).collect();
    assert_eq!(all, vec![Value::from(3), Value::from(2), Value::from(4)], "every problem of a row at once");
    assert_eq!(row(&page, 9)["status"], "duplicate");
    assert_eq!(row(&page, 9)["by_uscc"], true);
    assert_eq!(row(&page, 10)["status"], "duplicate");
    assert_eq!(row(&page, 10)["by_uscc"], false);
    assert_eq!(row(&page, 2)["action"], "create");
    // The HTML page shows the preview in Chinese.
    let (status, html) = app.page(&mgr, &format!("/import/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("无法识别的取值：造船") && html.contains("与文件第 2 行重复"), "{html}");

    let done = commit(&app, &mgr, id).await;
    let s = &done["summary"];
    assert_eq!(s["status"], "done", "{done}");
    assert_eq!(
        (s["created"].as_i64(), s["updated"].as_i64(), s["skipped"].as_i64(), s["failed"].as_i64()),
        (Some(2), Some(0), Some(2), Some(8))
    );
    let chip = by_uscc(&app, &good).await;
    assert_eq!(
        (chip.region_code.as_str(), chip.stage.as_str(), chip.channel.as_str()),
        ("320115", "negotiation", "agency")
    );
    assert_eq!(
        (chip.planned_investment_wan, chip.land_mu, chip.import_batch_id),
        (Some(15000.0), Some(80.0), Some(id))
    );
    assert!(chip.score.is_some() && chip.grade.is_some(), "scored as if entered by hand");
    assert_eq!(chip.owner_id, None, "a manager's import waits in the unassigned queue");
    let contacts =
        lead_contact::Entity::find().filter(lead_contact::Column::LeadId.eq(chip.id)).all(&app.db).await.unwrap();
    assert_eq!((contacts[0].name.as_str(), contacts[0].phone.as_str()), ("王总", "13800000001"));
    let suzhou = by_name(&app, "苏州精密机械有限公司").await;
    assert_eq!((suzhou.region_code.as_str(), suzhou.city_code.as_deref()), ("320500", Some("3205")));
    assert_eq!(suzhou.planned_investment_wan, Some(3000.0));
    assert_eq!(by_uscc(&app, &existing).await.planned_investment_wan, Some(12000.0), "skipped, unchanged");
    // 查看本次新建的线索: the list of the leads this batch created, and only those.
    let (_, html) = app.page(&mgr, &format!("/import/{id}")).await;
    assert!(html.contains(&format!("href=\"/leads?import={id}\"")) && html.contains("查看本次新建的线索"), "{html}");
    let (status, html) = app.page(&mgr, &format!("/leads?import={id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("南京芯片科技有限公司") && html.contains("苏州精密机械有限公司"), "{html}");
    assert!(!html.contains("已有电子有限公司") && !html.contains("老朋友科技有限公司"), "{html}");
    assert!(html.contains("id=\"filter-import\"") && html.contains(&format!("href=\"/import/{id}\"")), "{html}");
    assert!(html.contains(&format!("导入批次 #{id} 新建或更新的线索")), "the tag says what the list holds: {html}");
    assert!(html.contains("id=\"filter-import-clear\" href=\"/leads\""), "and how to leave it: {html}");
    let (status, listed) = app.call(&mgr, "leads/list", &[("filter[import]", &id.to_string())]).await;
    assert_eq!(status, 200, "{listed}");
    assert_eq!(listed["total"], 2, "{listed}");

    // The failed rows come back as a spreadsheet with the reasons.
    let res = mgr.get(app.url(&format!("/import/{id}/failed.xlsx"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<Vec<String>> = sheet.rows().map(|r| r.iter().map(Data::to_string).collect()).collect();
    assert_eq!(rows.len(), 1 + 8);
    assert_eq!((rows[0][0].as_str(), rows[0].last().unwrap().as_str()), ("行号", "原因"));
    let shipyard = rows.iter().find(|r| r[1] == "造船有限公司").unwrap();
    assert!(shipyard.last().unwrap().contains("行业：无法识别的取值：造船"), "{shipyard:?}");
    // Done is done.
    let (status, _) = app.call(&mgr, "imports/commit", &[("id", &id.to_string())]).await;
    assert_eq!(status, 409);
    let (status, list) = app.call(&mgr, "imports/list", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(list[0]["id"], id);
}

#[tokio::test]
async fn gbk_csv_and_xlsx_are_read_and_a_wrong_mapping_is_corrected() {
    let app = TestApp::spawn().await;
    let (staff, staff_id) = app.login_as("s", Role::Staff).await;
    let (gbk, _, unmappable) = encoding_rs::GBK.encode("公司名称,地区,所属产业\r\n杭州数据有限公司,杭州,电子通信\r\n");
    assert!(!unmappable);
    let id = upload(&app, &staff, "gbk.csv", gbk.into_owned()).await.expect("gbk upload");
    let page = batch(&app, &staff, id).await;
    assert_eq!(page["headers"][0], "公司名称");
    assert_eq!(page["counts"]["new"], 1, "{page}");

    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["Firm", "Region", "Industry", "Investment"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "Shenzhen Robotics Co., Ltd.").unwrap();
    sheet.write_string(1, 1, "深圳").unwrap();
    sheet.write_string(1, 2, "Intelligent Manufacturing").unwrap();
    sheet.write_number(1, 3, 5000.0).unwrap();
    let id = upload(&app, &staff, "en.xlsx", book.save_to_buffer().unwrap()).await.expect("xlsx upload");
    let page = batch(&app, &staff, id).await;
    assert_eq!(page["mapping"], serde_json::json!(["", "region_code", "industry", "planned_investment"]));
    assert_eq!(page["can_commit"], false, "no company name column yet");
    let sid = id.to_string();
    // Mapping errors are reported at the field.
    let (status, body) = app
        .call(
            &staff,
            "imports/configure",
            &[("id", &sid), ("mapping[0]", "industry"), ("mapping[1]", "region_code"), ("mapping[2]", "industry")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(body.to_string().contains("mapping.2") && body.to_string().contains("err.import.mapped_twice"), "{body}");
    let (status, body) = app.call(&staff, "imports/configure", &[("id", &sid), ("mapping[1]", "region_code")]).await;
    assert_eq!(status, 422);
    assert!(body.to_string().contains("err.import.company_name_unmapped"), "{body}");
    let fields = [
        ("id", sid.as_str()),
        ("mapping[0]", "company_name"),
        ("mapping[1]", "region_code"),
        ("mapping[2]", "industry"),
        ("mapping[3]", "planned_investment"),
        ("duplicate_mode", "fill"),
    ];
    let (status, body) = app.call(&staff, "imports/configure", &fields).await;
    assert_eq!(status, 200, "{body}");
    let page = batch(&app, &staff, id).await;
    assert_eq!((page["counts"]["new"].as_u64(), page["duplicate_mode"].as_str()), (Some(1), Some("fill")), "{page}");
    let done = commit(&app, &staff, id).await;
    assert_eq!(done["summary"]["created"], 1, "{done}");
    let robot = by_name(&app, "Shenzhen Robotics Co., Ltd.").await;
    assert_eq!((robot.region_code.as_str(), robot.industry.as_str()), ("440300", "smart_manufacturing"));
    assert_eq!(
        (robot.planned_investment_wan, robot.owner_id),
        (Some(5000.0), Some(staff_id)),
        "staff own what they import"
    );

    // Another staff member sees neither the batch nor it in their list; a leader may not import.
    let (other, _) = app.login_as("s2", Role::Staff).await;
    let (status, _) = app.call(&other, "imports/get", &[("id", &sid)]).await;
    assert_eq!(status, 404);
    let (_, list) = app.call(&other, "imports/list", &[]).await;
    assert_eq!(list.as_array().map(Vec::len), Some(0));
    let (leader, _) = app.login_as("boss", Role::Leader).await;
    let form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(b"a\nb".to_vec()).file_name("x.csv"));
    let res = leader.post(app.url("/import/upload")).multipart(form).send().await.unwrap();
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn a_duplicate_left_as_it_is_does_not_fail_for_a_value_it_would_not_save() {
    let app = TestApp::spawn().await;
    let (mgr, _) = app.login_as("mgr", Role::Manager).await;
    let u = uscc("320115", 21);
    let (status, body) = app.call(&mgr, "leads/save", &lead_fields("造船重复有限公司", &u)).await;
    assert_eq!(status, 200, "{body}");
    let file = csv(&["企业名称,统一社会信用代码,行业,计划投资", &format!("造船重复有限公司,{u},造船,1.5亿")]);
    let id = upload(&app, &mgr, "dup.csv", file).await.unwrap();
    let counts = |page: &Value| {
        let c = &page["counts"];
        (c["duplicate"].as_u64(), c["invalid"].as_u64(), c["skip"].as_u64())
    };
    // Skipped (the default mode): the unknown industry would not be saved, so it fails nothing.
    let page = batch(&app, &mgr, id).await;
    assert_eq!(counts(&page), (Some(1), Some(0), Some(1)), "{page}");
    assert_eq!(page["unknown_values"], serde_json::json!([]), "{page}");
    // Its amount is read as 万元, not saved: the note says so.
    let note = &page["rows"][0]["notes"][0];
    assert_eq!((note["column"].as_u64(), note["error"]["key"].as_str()), (Some(3), Some("import.note.converted.read")));
    let (_, html) = app.page(&mgr, &format!("/import/{id}")).await;
    assert!(html.contains("→ 读作 15,000 万元") && !html.contains("保存为"), "{html}");
    // Overwritten, it would be saved: the row fails until the value is given a meaning.
    let sid = id.to_string();
    let fields = [
        ("id", sid.as_str()),
        ("mapping[0]", "company_name"),
        ("mapping[1]", "uscc"),
        ("mapping[2]", "industry"),
        ("mapping[3]", "planned_investment"),
        ("duplicate_mode", "overwrite"),
    ];
    let (status, body) = app.call(&mgr, "imports/configure", &fields).await;
    assert_eq!(status, 200, "{body}");
    let page = batch(&app, &mgr, id).await;
    assert_eq!(counts(&page), (Some(0), Some(1), Some(0)), "{page}");
    assert_eq!(page["unknown_values"][0]["value"], "造船", "{page}");
    assert_eq!(page["rows"][0]["notes"][0]["error"]["key"], "import.note.converted", "{page}");
}

#[tokio::test]
async fn two_rows_may_update_one_lead_and_a_region_the_uscc_overrules_is_no_change() {
    let app = TestApp::spawn().await;
    let (mgr, _) = app.login_as("mgr", Role::Manager).await;
    let u = uscc("320115", 31);
    let (status, body) = app.call(&mgr, "leads/save", &lead_fields("双行合并有限公司", &u)).await;
    assert_eq!(status, 200, "{body}");
    let lead_id = by_uscc(&app, &u).await.id;
    let overwrite = |id: i64, columns: &'static [&'static str]| {
        let app = &app;
        let mgr = &mgr;
        async move {
            let sid = id.to_string();
            let mut fields: Vec<(String, String)> =
                vec![("id".into(), sid), ("duplicate_mode".into(), "overwrite".into())];
            fields.extend(columns.iter().enumerate().map(|(i, c)| (format!("mapping[{i}]"), c.to_string())));
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let (status, body) = app.call(mgr, "imports/configure", &fields).await;
            assert_eq!(status, 200, "{body}");
            batch(app, mgr, id).await
        }
    };

    // One row finds the lead by its USCC, another by its name: both update it, and the batch
    // lists it once.
    let file = csv(&[
        "企业名称,统一社会信用代码,计划投资",
        &format!("双行合并科技有限公司,{u},9000"),
        "双行合并有限公司,,9500",
    ]);
    let id = upload(&app, &mgr, "two.csv", file).await.unwrap();
    let page = overwrite(id, &["company_name", "uscc", "planned_investment"]).await;
    assert_eq!(page["counts"]["duplicate"], 2, "{page}");
    let done = commit(&app, &mgr, id).await;
    assert_eq!(
        (done["summary"]["status"].as_str(), done["summary"]["updated"].as_u64()),
        (Some("done"), Some(2)),
        "{done}"
    );
    let (_, listed) = app.call(&mgr, "leads/list", &[("filter[import]", &id.to_string())]).await;
    assert_eq!((listed["total"].as_u64(), listed["rows"][0]["id"].as_i64()), (Some(1), Some(lead_id)), "{listed}");

    // A region the lead's USCC overrules (registered in 江宁区, the file says 苏州市) would not be
    // saved: no change, said so in the preview, skipped by the commit.
    let version = by_uscc(&app, &u).await.version;
    let file = csv(&["企业名称,统一社会信用代码,所在地区", &format!("双行合并有限公司,{u},苏州市")]);
    let id = upload(&app, &mgr, "region.csv", file).await.unwrap();
    let page = overwrite(id, &["company_name", "uscc", "region_code"]).await;
    let shown = row(&page, 2);
    assert_eq!(
        (shown["action"].as_str(), shown["issues"][0]["error"]["key"].as_str()),
        (Some("skip"), Some("import.skip.unchanged")),
        "{shown}"
    );
    assert_eq!(shown["notes"][0]["error"]["key"], "import.note.region_from_uscc", "and why: {shown}");
    let done = commit(&app, &mgr, id).await;
    assert_eq!(done["summary"]["skipped"], 1, "{done}");
    let l = by_uscc(&app, &u).await;
    assert_eq!((l.version, l.region_code.as_str()), (version, "320115"));
}

#[tokio::test]
async fn duplicates_are_skipped_filled_or_overwritten_and_never_blanked() {
    let app = TestApp::spawn().await;
    let (mgr, _) = app.login_as("mgr", Role::Manager).await;
    let u = uscc("320115", 7);
    let (status, body) = app.call(&mgr, "leads/save", &lead_fields("重复电子有限公司", &u)).await;
    assert_eq!(status, 200, "{body}");
    let file = || {
        csv(&[
            "企业名称,统一社会信用代码,计划投资,用地,备注,阶段",
            &format!("重复电子有限公司,{u},8000,120,新信息,投产"),
        ])
    };
    // `foreseen`: why the preview says the row will be left as it is (checked against the saved
    // lead), if it does.
    let run = |mode: &'static str, foreseen: Option<&'static str>| {
        let app = &app;
        let mgr = &mgr;
        async move {
            let id = upload(app, mgr, "dup.csv", file()).await.unwrap();
            let sid = id.to_string();
            let fields: Vec<(&str, &str)> = vec![
                ("id", &sid),
                ("mapping[0]", "company_name"),
                ("mapping[1]", "uscc"),
                ("mapping[2]", "planned_investment"),
                ("mapping[3]", "land_mu"),
                ("mapping[4]", "notes"),
                ("mapping[5]", "stage"),
                ("duplicate_mode", mode),
            ];
            let (status, body) = app.call(mgr, "imports/configure", &fields).await;
            assert_eq!(status, 200, "{body}");
            // Each shown duplicate is checked against its saved lead: the counts are exact (no
            // "at most" hint) and a lead the merge would not change is a skip already.
            let (_, html) = app.page(mgr, &format!("/import/{id}")).await;
            assert!(!html.contains("最多可能的条数"), "{mode}: {html}");
            // A duplicate the mode skips says so in the preview.
            let shown = row(&batch(app, mgr, id).await, 2).clone();
            let key = shown["issues"][0]["error"]["key"].clone();
            let why = if mode == "skip" { Some("import.skip.by_mode") } else { foreseen };
            assert_eq!(key, why.map(Value::from).unwrap_or(Value::Null), "{mode}: {shown}");
            assert_eq!(shown["action"], if why.is_some() { "skip" } else { "update" }, "{mode}: {shown}");
            (commit(app, mgr, id).await, shown, html)
        }
    };
    // The report lists each row that matched a lead: what became of it, and why when skipped.
    let said = |done: &Value| {
        let m = &done["merged"][0];
        let why = m["issues"][0]["error"]["key"].as_str().unwrap_or("").to_string();
        (m["line"].as_u64(), m["action"].as_str().unwrap_or("").to_string(), why, m["target"][1].clone())
    };
    let named = Value::from("重复电子有限公司");
    let (done, _, _) = run("skip", None).await;
    assert_eq!(done["summary"]["skipped"], 1, "{done}");
    assert_eq!(said(&done), (Some(2), "skip".into(), "import.skipped.by_mode".into(), named.clone()), "{done}");
    let l = by_uscc(&app, &u).await;
    assert_eq!((l.version, l.land_mu), (1, None));
    assert_eq!(done["merged"][0]["target"][0], l.id, "{done}");

    let (done, shown, _) = run("fill", None).await;
    // What the update will change, at each cell: land and notes were empty.
    let noted: Vec<(u64, &str)> = shown["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["column"].as_u64().unwrap_or(99), n["error"]["key"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(noted, [(3, "import.change.was_empty"), (4, "import.change.was_empty")], "{shown}");
    assert_eq!(done["summary"]["updated"], 1, "{done}");
    assert_eq!(done["merged"][0]["notes"], shown["notes"], "the report says what changed: {done}");
    assert_eq!(said(&done), (Some(2), "update".into(), String::new(), named.clone()), "{done}");
    let l = by_uscc(&app, &u).await;
    assert_eq!((l.planned_investment_wan, l.land_mu, l.notes.as_str()), (Some(12000.0), Some(120.0), "新信息"));
    assert_eq!((l.version, l.stage.as_str()), (2, "clue"), "an import never moves the stage");

    let (done, _, _) = run("fill", Some("import.skip.filled")).await;
    assert_eq!(
        (done["summary"]["updated"].as_i64(), done["summary"]["skipped"].as_i64()),
        (Some(0), Some(1)),
        "nothing left to fill"
    );
    // Fill mode says the fields were filled (not that they held the file's values: 8000 ≠ 12000).
    assert_eq!(said(&done), (Some(2), "skip".into(), "import.skipped.filled".into(), named.clone()), "{done}");
    let (_, html) = app.page(&mgr, &format!("/import/{}", done["summary"]["id"])).await;
    assert!(html.contains(r#"id="merged""#) && html.contains("均已填写（只补全空白字段），未改动"), "{html}");
    assert!(
        html.contains("与已有线索重复时：只补全空白字段（新的联系人会添加）。"),
        "the report names the mode: {html}"
    );

    let (done, shown, html) = run("overwrite", None).await;
    assert_eq!(shown["notes"][0]["column"], 2, "{shown}");
    assert_eq!(shown["notes"][0]["error"]["args"][0], serde_json::json!(["was", "12000"]), "{shown}");
    assert!(html.contains("原为“12000”"), "the preview says what the lead held: {html}");
    assert_eq!(done["summary"]["updated"], 1);
    let l = by_uscc(&app, &u).await;
    assert_eq!((l.planned_investment_wan, l.version), (Some(8000.0), 3));
    let (_, report) = app.page(&mgr, &format!("/import/{}", done["summary"]["id"])).await;
    assert!(report.contains("原为“12000”"), "and so does the report: {report}");
    // 查看本次更新的线索: a batch that only updated lists the lead it updated, not the whole list.
    let batch_id = done["summary"]["id"].to_string();
    assert!(report.contains(&format!("href=\"/leads?import={batch_id}\"")) && report.contains("查看本次更新的线索"));
    let (_, listed) = app.call(&mgr, "leads/list", &[("filter[import]", &batch_id)]).await;
    assert_eq!((listed["total"].as_u64(), listed["rows"][0]["id"].as_i64()), (Some(1), Some(l.id)), "{listed}");
    // A batch committed before the updated leads were kept (migration 35) links the whole list,
    // not an empty one.
    app::backend::entities::import_update::Entity::delete_many()
        .filter(app::backend::entities::import_update::Column::BatchId.eq(done["summary"]["id"].as_i64().unwrap()))
        .exec(&app.db)
        .await
        .unwrap();
    let (_, old) = app.page(&mgr, &format!("/import/{batch_id}")).await;
    assert!(
        !old.contains("?import=") && old.contains(r#"id="see-leads" href="/leads" class="button">查看线索"#),
        "{old}"
    );
    // Overwriting with the values the lead holds already changes nothing, and says so.
    let (done, _, _) = run("overwrite", Some("import.skip.unchanged")).await;
    assert_eq!(said(&done), (Some(2), "skip".into(), "import.skipped.unchanged".into(), named.clone()), "{done}");
    assert_eq!(by_uscc(&app, &u).await.version, 3);
    // A matched lead put in the recycle bin since is no longer linked from the report.
    let (status, body) = app.call(&mgr, "leads/delete", &[("id", &l.id.to_string())]).await;
    assert_eq!(status, 200, "{body}");
    let report = batch(&app, &mgr, done["summary"]["id"].as_i64().unwrap_or_default()).await;
    assert_eq!(report["merged"][0]["target"], Value::Null, "{report}");
    let (status, body) = app.call(&mgr, "leads/restore", &[("id", &l.id.to_string())]).await;
    assert_eq!(status, 200, "{body}");
    let history = app::backend::entities::lead_change::Entity::find()
        .filter(app::backend::entities::lead_change::Column::LeadId.eq(l.id))
        .all(&app.db)
        .await
        .unwrap();
    assert!(
        history.iter().any(|h| h.field == "planned_investment" && h.new_value == "8000"),
        "field history recorded: {history:?}"
    );

    // A staff member's file naming a lead outside their rights: skipped, nothing of it shown.
    let (staff, _) = app.login_as("s", Role::Staff).await;
    let id =
        upload(&app, &staff, "dup.csv", csv(&["企业名称,统一社会信用代码,计划投资", &format!("别人的公司,{u},1")]))
            .await
            .unwrap();
    let sid = id.to_string();
    let (status, _) = app
        .call(
            &staff,
            "imports/configure",
            &[
                ("id", &sid),
                ("mapping[0]", "company_name"),
                ("mapping[1]", "uscc"),
                ("mapping[2]", "planned_investment"),
                ("duplicate_mode", "overwrite"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    let page = batch(&app, &staff, id).await;
    assert_eq!(row(&page, 2)["action"], "skip");
    assert_eq!(row(&page, 2)["target"], Value::Null, "no name or id of a lead they may not read");
    assert_eq!(issues(&page, 2)[0].1, "err.import.not_editable");
    let done = commit(&app, &staff, id).await;
    assert_eq!(done["summary"]["skipped"], 1);
    assert_eq!(by_uscc(&app, &u).await.planned_investment_wan, Some(8000.0));
    // The report says why, still without the lead's name.
    let merged = &done["merged"][0];
    assert_eq!((&merged["action"], &merged["target"]), (&Value::from("skip"), &Value::Null), "{done}");
    assert_eq!(merged["issues"][0]["error"]["key"], "import.skipped.not_yours", "{done}");
    // The manager reading that report sees which lead it was (they may read it).
    let seen = batch(&app, &mgr, id).await;
    assert_eq!(seen["merged"][0]["target"][1], "重复电子有限公司", "{seen}");
    // The same file committed by the manager updates the lead; the staff member reading that
    // report still learns nothing of it: names follow who reads, not who committed.
    let id =
        upload(&app, &staff, "dup2.csv", csv(&["企业名称,统一社会信用代码,计划投资", &format!("别人的公司,{u},2")]))
            .await
            .unwrap();
    let sid = id.to_string();
    let mapping = [("id", sid.as_str()), ("mapping[0]", "company_name"), ("mapping[1]", "uscc")];
    let fields: Vec<(&str, &str)> =
        mapping.into_iter().chain([("mapping[2]", "planned_investment"), ("duplicate_mode", "overwrite")]).collect();
    assert_eq!(app.call(&mgr, "imports/configure", &fields).await.0, 200);
    // (Overwritten: the lead now bears the file's name, as the report shows it.)
    assert_eq!(commit(&app, &mgr, id).await["merged"][0]["target"][1], "别人的公司");
    let seen = batch(&app, &staff, id).await;
    assert_eq!(
        (&seen["merged"][0]["action"], &seen["merged"][0]["target"]),
        (&Value::from("update"), &Value::Null),
        "{seen}"
    );
}

#[tokio::test]
async fn an_import_not_wanted_is_discarded_by_its_uploader_and_a_done_one_is_kept() {
    let app = TestApp::spawn().await;
    let (fang, _) = app.login_as("fang", Role::Staff).await;
    let (li, _) = app.login_as("li", Role::Staff).await;
    let file =
        |n| csv(&["企业名称,统一社会信用代码,行业", &format!("放弃测试电子有限公司,{},电子通信", uscc("320115", n))]);
    let id = upload(&app, &fang, "传错的文件.csv", file(901)).await.expect("upload");
    let sid = id.to_string();
    // Another staff member does not see it, so cannot discard it either.
    assert_eq!(app.call(&li, "imports/discard", &[("id", &sid)]).await.0, 404);
    let (_, html) = app.page(&fang, &format!("/import/{id}")).await;
    assert!(html.contains(r#"id="discard""#), "the batch page offers to discard it");
    // In the history, not committed: its outcome's counts are dashes, not zeros.
    let (_, html) = app.page(&fang, "/import").await;
    let row = &html[html.find("传错的文件.csv").expect("listed")..];
    let row = &row[..row.find("</tr>").expect("its row")];
    assert_eq!(row.matches(">—</td>").count(), 4, "{row}");
    // A plain form post (no JavaScript) deletes it and returns to the import page.
    let res = fang
        .post(app.url("/api/imports/discard"))
        .header("accept", "text/html")
        .header("referer", app.url(&format!("/import/{id}")))
        .form(&[("id", sid.as_str())])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    assert_eq!(res.headers()["location"], "/import");
    assert_eq!(app.call(&fang, "imports/get", &[("id", &sid)]).await.0, 404);
    let (_, html) = app.page(&fang, "/import").await;
    assert!(html.contains("已放弃“传错的文件.csv”的导入"), "the page says which upload went");
    assert_eq!(html.matches("传错的文件.csv").count(), 1, "gone from the history: {html}");
    let (_, html) = app.page(&fang, "/import").await;
    assert!(!html.contains("传错的文件.csv"), "said once");
    // Back to the discarded batch's page: it says what became of it and leads back.
    let (status, html) = app.page(&fang, &format!("/import/{id}")).await;
    assert_eq!(status, 404);
    assert!(
        html.contains("这个导入批次不存在或你无权查看：它可能已被放弃") && html.contains(r#"href="/import""#),
        "{html}"
    );
    let kept = app::backend::entities::import_batch::Entity::find_by_id(id).one(&app.db).await.unwrap();
    assert!(kept.is_none(), "the row and its kept file are deleted");

    // A manager may discard a staff member's upload too.
    let (boss, _) = app.login_as("boss", Role::Manager).await;
    let id = upload(&app, &fang, "又传错了.csv", file(903)).await.expect("upload");
    assert_eq!(app.call(&boss, "imports/discard", &[("id", &id.to_string())]).await.0, 200);
    assert_eq!(app.call(&fang, "imports/get", &[("id", &id.to_string())]).await.0, 404);

    // A committed import stays: its leads came from it.
    let id = upload(&app, &fang, "要的文件.csv", file(902)).await.expect("upload");
    assert_eq!(commit(&app, &fang, id).await["summary"]["created"], 1);
    let (status, body) = app.call(&fang, "imports/discard", &[("id", &id.to_string())]).await;
    assert_eq!((status, body["Conflict"].as_str()), (409, Some("err.import.not_editable_now")), "{body}");
    assert_eq!(batch(&app, &fang, id).await["summary"]["status"], "done");
}

/// More duplicates than the preview shows: the ones shown are foreseen against their leads, the
/// rest are not, so the count of updates is an upper bound and the page says so (in the mode's
/// words); the commit then counts each as updated or skipped.
#[tokio::test]
async fn more_updates_than_shown_are_counted_as_at_most() {
    let app = TestApp::spawn().await;
    let (mgr, _) = app.login_as("mgr", Role::Manager).await;
    let shown = app::wire::imports::PREVIEW_ROWS;
    let n = shown + 20;
    let lines: Vec<String> = std::iter::once("企业名称,所在地区,行业,计划投资（万元）".to_string())
        .chain(
            (0..n).map(|i| format!("上限测试{i}号电子有限公司,南京,电子通信,{}", if i % 2 == 0 { "" } else { "800" })),
        )
        .collect();
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let first = upload(&app, &mgr, "先导入.csv", csv(&refs)).await.expect("upload");
    assert_eq!(commit(&app, &mgr, first).await["summary"]["created"], n as u64);
    // The same companies again, each with an investment: those without one get it filled.
    let again: Vec<String> = std::iter::once("企业名称,所在地区,行业,计划投资（万元）".to_string())
        .chain((0..n).map(|i| format!("上限测试{i}号电子有限公司,南京,电子通信,1200")))
        .collect();
    let refs: Vec<&str> = again.iter().map(String::as_str).collect();
    let id = upload(&app, &mgr, "再导入.csv", csv(&refs)).await.expect("upload");
    let sid = id.to_string();
    let fields = [
        ("id", sid.as_str()),
        ("mapping[0]", "company_name"),
        ("mapping[1]", "region_code"),
        ("mapping[2]", "industry"),
        ("mapping[3]", "planned_investment"),
        ("duplicate_mode", "fill"),
    ];
    let (status, body) = app.call(&mgr, "imports/configure", &fields).await;
    assert_eq!(status, 200, "{body}");
    let page = batch(&app, &mgr, id).await;
    let c = &page["counts"];
    assert_eq!(c["duplicate"].as_u64(), Some(n as u64), "{c}");
    assert_eq!(c["updates_foreseen"], false, "{c}");
    // The shown half that holds an amount already is a skip; the rest counted as updates.
    let skips = page["rows"].as_array().expect("rows").iter().filter(|r| r["action"] == "skip").count() as u64;
    assert!(skips > 0, "{page}");
    assert_eq!((c["update"].as_u64(), c["skip"].as_u64()), (Some(n as u64 - skips), Some(skips)), "{c}");
    let (_, html) = app.page(&mgr, &format!("/import/{id}")).await;
    assert!(html.contains(r#"id="update-at-most""#) && html.contains("已有线索中这些字段都已填写的不会改动"), "{html}");
    let done = commit(&app, &mgr, id).await;
    assert_eq!(
        (done["summary"]["updated"].as_u64(), done["summary"]["skipped"].as_u64()),
        (Some(n as u64 / 2), Some(n as u64 / 2)),
        "{done}"
    );
}

/// Two apps in one process (as in these tests, `lianzhao bench`, or a sibling instance) each
/// have a batch 1: one's commit in progress and kept preview are not the other's (they were kept
/// per process by batch id, and a view could show another database's commit's progress).
#[tokio::test]
async fn an_apps_import_progress_and_previews_are_its_own() {
    let (one, two) = (TestApp::spawn().await, TestApp::spawn().await);
    let (mgr_one, _) = one.login_as("mgr", Role::Manager).await;
    let (mgr_two, mgr_two_id) = two.login_as("mgr", Role::Manager).await;
    let id = upload(&one, &mgr_one, "一.csv", csv(&["企业名称", "一号科技有限公司"])).await.expect("upload");
    let first = batch(&one, &mgr_one, id).await;
    assert_eq!(first["progress"], Value::Null, "{first}");
    let same = upload(&two, &mgr_two, "二.csv", csv(&["企业名称", "二号科技有限公司", "三号科技有限公司"]))
        .await
        .expect("upload");
    assert_eq!(same, id, "both databases' first batch");
    // The second app claims its batch 1 (queued: its progress is set, the commit not yet run).
    let actor = lianzhao_tests::session_user(mgr_two_id, "mgr", Role::Manager);
    app::backend::services::import_commit::claim(&two.db, &two.settings, &two.state.imports, &actor, id)
        .await
        .expect("claim");
    assert!(two.state.imports.progress(id).is_some_and(|p| p.total == 2), "the second app's commit is queued");
    assert_eq!(batch(&two, &mgr_two, id).await["progress"]["total"], 2, "and its page says so");
    assert_eq!(one.state.imports.progress(id), None, "not the first app's");
    assert_eq!(batch(&one, &mgr_one, id).await, first, "the first app's batch 1 is as it was");
}

/// The preview is kept between views only while nothing it was computed from changed: a lead
/// saved, trashed or restored meanwhile shows in the next view.
#[tokio::test]
async fn a_preview_viewed_again_shows_the_leads_as_they_are_now() {
    let app = TestApp::spawn().await;
    let (mgr, _) = app.login_as("mgr", Role::Manager).await;
    let file =
        csv(&["企业名称,所在地区,行业", "后来录入科技有限公司,南京,电子通信", "一直新的科技有限公司,苏州,智能制造"]);
    let id = upload(&app, &mgr, "再看.csv", file).await.expect("upload");
    let counts = |page: &Value| (page["counts"]["new"].as_u64(), page["counts"]["duplicate"].as_u64());
    let first = batch(&app, &mgr, id).await;
    assert_eq!(counts(&first), (Some(2), Some(0)), "{first}");
    assert_eq!(batch(&app, &mgr, id).await, first, "viewed again, nothing changed: the same preview");

    // Someone saves one of the file's companies meanwhile: the next view shows it as a duplicate.
    let mut fields = lead_fields("后来录入科技有限公司", "");
    fields.push(("form[region_code]", "320100"));
    let (status, saved) = app.call(&mgr, "leads/save", &fields).await;
    let lead = saved.as_i64().unwrap_or_else(|| panic!("{status} {saved}"));
    let page = batch(&app, &mgr, id).await;
    assert_eq!(counts(&page), (Some(1), Some(1)), "{page}");
    assert_eq!(row(&page, 2)["status"], "duplicate", "{page}");
    // Trashed: the row says so; restored: a duplicate again.
    let (status, body) = app.call(&mgr, "leads/delete", &[("id", &lead.to_string())]).await;
    assert_eq!(status, 200, "{body}");
    let page = batch(&app, &mgr, id).await;
    assert_eq!(issues(&page, 2), vec![(0.into(), "err.import.in_trash".to_string())], "{page}");
    let (status, body) = app.call(&mgr, "leads/restore", &[("id", &lead.to_string())]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(row(&batch(&app, &mgr, id).await, 2)["status"], "duplicate");

    // The file's other company, saved and trashed: then, with no view between, the first lead
    // trashed and the second restored. The leads' count, trash count, newest id and latest
    // change all stand as before (neither moves `updated_at`); the view still shows the swap.
    let mut fields = lead_fields("一直新的科技有限公司", "");
    fields.push(("form[region_code]", "320500"));
    let (status, saved) = app.call(&mgr, "leads/save", &fields).await;
    let other = saved.as_i64().unwrap_or_else(|| panic!("{status} {saved}"));
    let (status, body) = app.call(&mgr, "leads/delete", &[("id", &other.to_string())]).await;
    assert_eq!(status, 200, "{body}");
    let page = batch(&app, &mgr, id).await;
    assert_eq!(row(&page, 2)["status"], "duplicate", "{page}");
    assert_eq!(issues(&page, 3), vec![(0.into(), "err.import.in_trash".to_string())], "{page}");
    for (call, id) in [("leads/delete", lead), ("leads/restore", other)] {
        let (status, body) = app.call(&mgr, call, &[("id", &id.to_string())]).await;
        assert_eq!(status, 200, "{call}: {body}");
    }
    let page = batch(&app, &mgr, id).await;
    assert_eq!(issues(&page, 2), vec![(0.into(), "err.import.in_trash".to_string())], "{page}");
    assert_eq!(row(&page, 3)["status"], "duplicate", "{page}");
}

#[tokio::test]
async fn a_lead_names_the_import_that_created_it() {
    let app = TestApp::spawn().await;
    let (fang, _) = app.login_as("fang", Role::Staff).await;
    let (boss, _) = app.login_as("boss", Role::Manager).await;
    let c = uscc("320115", 931);
    let file = csv(&["企业名称,统一社会信用代码,行业", &format!("来源可查电子有限公司,{c},电子通信")]);
    let id = upload(&app, &fang, "展会名片整理.csv", file).await.expect("upload");
    // The preview says what the new lead gets that the file does not give: whose it is (the
    // one who commits: staff keep what they log, a manager's import is unassigned), its channel
    // and stage.
    let (_, html) = app.page(&fang, &format!("/import/{id}")).await;
    assert!(html.contains("新建的线索：负责人为你（"), "{html}");
    assert!(html.contains("；渠道记为“其他”（文件中没有渠道列）；阶段为“线索”（文件中没有阶段列）。"), "{html}");
    let (_, html) = app.page(&boss, &format!("/import/{id}")).await;
    assert!(html.contains("新建的线索：负责人为“未分配”"), "{html}");
    assert_eq!(commit(&app, &fang, id).await["summary"]["created"], 1);
    assert_eq!(by_uscc(&app, &c).await.channel, "other");
    let lead = by_uscc(&app, &c).await;
    // The uploader (its owner) and a manager both see the file and may open the batch.
    for who in [&fang, &boss] {
        let (status, html) = app.page(who, &format!("/leads/{}", lead.id)).await;
        assert_eq!(status, 200);
        assert!(html.contains(&format!("由导入“展会名片整理.csv”（批次 #{id}）新建")), "{html}");
        assert!(html.contains(&format!(r#"<a href="/import/{id}">"#)), "a link to the batch: {html}");
    }
    // A lead entered by hand names no import.
    let (status, saved) =
        app.call(&boss, "leads/save", &lead_fields("手工录入电子有限公司", &uscc("320115", 932))).await;
    let hand = saved.as_i64().unwrap_or_else(|| panic!("{status} {saved}"));
    let (_, html) = app.page(&boss, &format!("/leads/{hand}")).await;
    assert!(!html.contains("imported-from"), "no import named: {html}");
}
