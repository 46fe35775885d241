//! What an import survives: files too big, too long, zip bombs and old workbooks refused before
//! they are read; an export from one office imported into another with the same data; a commit
//! cut off by a restart committed again; a failure deep in a batch rolls the whole batch back.

use super::imports::{batch, by_name, by_uscc, commit, csv, upload};
use app::backend::entities::lead;
use app::domain::role::Role;
use lianzhao_tests::{lead_fields, uscc, TestApp};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

#[tokio::test]
async fn oversized_files_long_files_zip_bombs_and_old_workbooks_are_refused() {
    use std::io::Write;
    let mut settings = TestApp::test_settings();
    settings.import_limits =
        app::domain::sheet::Limits { max_bytes: 1 << 20, max_rows: 10, max_uncompressed: 2 << 20, max_entries: 50 };
    let app = TestApp::spawn_with(settings).await;
    let (staff, _) = app.login_as("s", Role::Staff).await;

    let big = format!("企业名称\n{}", "很长的公司名称有限公司\n".repeat(60_000)).into_bytes();
    assert!(big.len() > 1 << 20);
    assert_eq!(upload(&app, &staff, "big.csv", big).await, Err(("err.import.too_large".into(), "1".into())));
    let mut eleven = vec!["企业名称".to_string()];
    eleven.extend((0..11).map(|i| format!("公司{i}")));
    assert_eq!(
        upload(&app, &staff, "long.csv", eleven.join("\n").into_bytes()).await,
        Err(("err.import.too_many_rows".into(), "10".into()))
    );
    // 16 MiB of zeros in a few KiB of zip, named like a workbook.
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    w.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    for _ in 0..16 {
        w.write_all(&vec![0u8; 1 << 20]).unwrap();
    }
    let bomb = w.finish().unwrap().into_inner();
    assert!(bomb.len() < 64 << 10);
    assert_eq!(upload(&app, &staff, "bomb.xlsx", bomb).await.map_err(|e| e.0), Err("err.import.zip_bomb".into()));
    let xls = [vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], vec![0; 512]].concat();
    assert_eq!(upload(&app, &staff, "old.xls", xls).await.map_err(|e| e.0), Err("err.import.old_excel".into()));
    // A file of 0 bytes is empty, not missing; the form sent with no file chosen is missing.
    assert_eq!(upload(&app, &staff, "empty.csv", Vec::new()).await.map_err(|e| e.0), Err("err.import.empty".into()));
    assert_eq!(upload(&app, &staff, "empty.xlsx", Vec::new()).await.map_err(|e| e.0), Err("err.import.empty".into()));
    assert_eq!(upload(&app, &staff, "", Vec::new()).await.map_err(|e| e.0), Err("err.import.no_file".into()));
    // Another kind of file renamed: unreadable, not read as text of some encoding.
    let pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 12 /Filter /FlateDecode >>\nstream\nx\x9c\x03\x00\x00\x00\x00\x01\nendstream\n".to_vec();
    assert_eq!(upload(&app, &staff, "名单.xlsx", pdf).await.map_err(|e| e.0), Err("err.import.unreadable".into()));
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01".to_vec();
    assert_eq!(upload(&app, &staff, "名单.csv", png).await.map_err(|e| e.0), Err("err.import.unreadable".into()));
    let (status, html) = app.page(&staff, "/import?error=err.import.unreadable").await;
    assert_eq!(status, 200);
    assert!(html.contains("无法读取该文件：它不是 Excel 表格（.xlsx）或文本表格（CSV）"), "{html}");
    assert_eq!(
        upload(&app, &staff, "h.csv", b"a,b\n".to_vec()).await.map_err(|e| e.0),
        Err("err.import.no_rows".into())
    );
    // The upload page says why, at the file field.
    let (status, html) = app.page(&staff, "/import?error=err.import.too_large&max=1").await;
    assert_eq!(status, 200);
    assert!(html.contains("文件过大，最大 1 MB"), "{html}");
    let (_, list) = app.call(&staff, "imports/list", &[]).await;
    assert_eq!(list.as_array().map(Vec::len), Some(0), "nothing refused was kept");
}

/// Leads exported from one office import into another with the same data.
#[tokio::test]
async fn export_then_import_gives_the_same_leads() {
    let source = TestApp::spawn().await;
    let (mgr, _) = source.login_as("mgr", Role::Manager).await;
    let usccs = [uscc("320115", 31), uscc("440305", 32), uscc("310115", 33)];
    let extra: [&[(&str, &str)]; 3] = [
        &[
            ("form[land_mu]", "85.5"),
            ("form[annual_output]", "3亿"),
            ("form[annual_tax]", "1200"),
            ("form[jobs]", "300"),
        ],
        &[
            ("form[industry]", "smart_manufacturing"),
            ("form[sector]", ""),
            ("form[channel]", "fund"),
            ("form[stage]", "visit"),
        ],
        &[("form[planned_investment]", "")],
    ];
    let names = ["=1+1恶意科技有限公司", "深圳机器人有限公司", "上海数据服务有限公司"];
    for i in 0..3 {
        let mut fields = lead_fields(names[i], &usccs[i]);
        for (k, v) in extra[i] {
            fields.retain(|(fk, _)| fk != k);
            fields.push((k, v));
        }
        let (status, body) = source.call(&mgr, "leads/save", &fields).await;
        assert_eq!(status, 200, "{body}");
    }
    for format in ["xlsx", "csv"] {
        let file = mgr
            .get(source.url(&format!("/leads/export.{format}")))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap()
            .to_vec();
        let target = TestApp::spawn().await;
        let (admin, _) = target.login_as("admin", Role::Admin).await;
        let id = upload(&target, &admin, &format!("leads.{format}"), file).await.expect("upload the export");
        let page = batch(&target, &admin, id).await;
        assert_eq!(page["counts"]["new"], 3, "{format}: {page}");
        let done = commit(&target, &admin, id).await;
        assert_eq!(done["summary"]["created"], 3, "{format}: {done}");
        for u in &usccs {
            let (a, b) = (by_uscc(&source, u).await, by_uscc(&target, u).await);
            let data = |l: &lead::Model| {
                (
                    l.company_name.clone(),
                    l.region_code.clone(),
                    l.industry.clone(),
                    l.sector.clone(),
                    l.stage.clone(),
                    l.channel.clone(),
                    (l.planned_investment_wan, l.land_mu, l.annual_output_wan, l.annual_tax_wan, l.jobs),
                    (l.score, l.grade.clone()),
                )
            };
            assert_eq!(data(&a), data(&b), "{format}");
        }
    }
}

/// A commit cut off by a restart (its transaction gone with the process) can be committed again.
/// The rows are kept compressed (as one JSON text, a 30 MB file's rows were held several times
/// over by its upload); a batch kept as JSON text by the version before is still previewed and
/// committed.
#[tokio::test]
async fn rows_are_kept_compressed_and_a_batch_kept_as_text_before_still_imports() {
    use app::backend::entities::import_batch;
    use sea_orm::{ActiveModelTrait, Set};
    let app = TestApp::spawn().await;
    let (mgr, _) = app.login_as("mgr", Role::Manager).await;
    let lines: Vec<String> = std::iter::once("企业名称,所在地区,行业,备注".to_string())
        .chain((0..300).map(|i| format!("压缩测试{i}有限公司,南京,电子通信,第{i}行的备注")))
        .collect();
    let file = lines.join("\n").into_bytes();
    let id = upload(&app, &mgr, "a.csv", file.clone()).await.unwrap();
    let kept = import_batch::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap();
    assert_eq!(kept.rows, "", "no JSON text is kept");
    let packed = kept.rows_packed.clone().expect("the rows, packed");
    assert!(packed.len() * 3 < file.len(), "compressed: {} bytes for a file of {}", packed.len(), file.len());
    assert_eq!(batch(&app, &mgr, id).await["counts"]["new"], 300);

    // As the version before kept it: the rows as JSON text.
    let rows = app::backend::services::imports::rows_of(&kept).unwrap();
    assert_eq!(rows.len(), 300);
    assert_eq!(rows.get(299).unwrap().join("|"), "压缩测试299有限公司|南京|电子通信|第299行的备注");
    let mut old: import_batch::ActiveModel = kept.into();
    old.rows = Set(serde_json::to_string(&rows.iter().collect::<Vec<_>>()).unwrap());
    old.rows_packed = Set(None);
    old.update(&app.db).await.unwrap();
    let page = batch(&app, &mgr, id).await;
    assert_eq!(page["counts"]["new"], 300, "{page}");
    let done = commit(&app, &mgr, id).await;
    assert_eq!(done["summary"]["created"], 300, "{done}");
    assert_eq!(by_name(&app, "压缩测试299有限公司").await.notes, "第299行的备注");
}

/// A text file is read as it arrives (its rows never all held as cells) and kept compressed for
/// another header row to be chosen; read again from it, the table is the one read first.
#[tokio::test]
async fn a_kept_text_file_is_compressed_and_read_again_for_another_header_row() {
    use app::backend::entities::import_batch;
    let app = TestApp::spawn().await;
    let (mgr, _) = app.login_as("mgr", Role::Manager).await;
    let mut lines = vec!["2026年线索汇总（第四季度）".to_string(), "企业名称,所在地区,行业,备注".to_string()];
    lines.extend((0..500).map(|i| format!("表头测试{i}有限公司,南京,电子通信,第{i}行：新建厂房与研发中心")));
    let file = encoding_rs::GBK.encode(&lines.join("\r\n")).0.into_owned();
    let id = upload(&app, &mgr, "汇总.csv", file.clone()).await.unwrap();
    let kept = import_batch::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap();
    let source = kept.source.expect("kept: there is another header row to choose");
    assert!(source.starts_with(&[0x1f, 0x8b]), "gzip: {:?}", &source[..8.min(source.len())]);
    assert!(source.len() * 4 < file.len(), "compressed: {} bytes for a file of {}", source.len(), file.len());
    let page = batch(&app, &mgr, id).await;
    assert_eq!((page["read_as"]["header_line"].as_u64(), page["summary"]["row_count"].as_u64()), (Some(2), Some(500)));
    let id_text = id.to_string();
    for line in ["1", "2"] {
        let (status, body) =
            app.call(&mgr, "imports/configure", &[("id", id_text.as_str()), ("read[header_line]", line)]).await;
        assert_eq!(status, 200, "{body}");
        if line == "1" {
            let page = batch(&app, &mgr, id).await;
            let read = (page["read_as"]["header_line"].as_u64(), page["summary"]["row_count"].as_u64());
            assert_eq!(read, (Some(1), Some(501)), "the title line as the header: the old header is a row");
        }
    }
    let page = batch(&app, &mgr, id).await;
    assert_eq!(page["summary"]["row_count"], 500, "{page}");
    assert_eq!(page["counts"]["new"], 500, "{page}");
    let done = commit(&app, &mgr, id).await;
    assert_eq!(done["summary"]["created"], 500, "{done}");
    assert_eq!(by_name(&app, "表头测试499有限公司").await.notes, "第499行：新建厂房与研发中心");
}

#[tokio::test]
async fn an_import_interrupted_by_a_restart_can_be_committed_again() {
    use app::backend::entities::import_batch;
    use sea_orm::{ActiveModelTrait, Set};
    let app = TestApp::spawn().await;
    let (mgr, _) = app.login_as("mgr", Role::Manager).await;
    let id =
        upload(&app, &mgr, "a.csv", csv(&["企业名称,所在地区,行业", "重启测试有限公司,南京,电子通信"])).await.unwrap();
    import_batch::ActiveModel { id: Set(id), status: Set("running".into()), ..Default::default() }
        .update(&app.db)
        .await
        .unwrap();
    let app = app.restart().await;
    let client = app.client();
    assert_eq!(app.post_login(&client, "mgr", lianzhao_tests::PASSWORD).await.status(), 303);
    let mut page = batch(&app, &client, id).await;
    for _ in 0..100 {
        if page["summary"]["status"] == "failed" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        page = batch(&app, &client, id).await;
    }
    assert_eq!(page["summary"]["status"], "failed", "{page}");
    assert_eq!(page["error"]["key"], "err.import.interrupted");
    let done = commit(&app, &client, id).await;
    assert_eq!(done["summary"]["created"], 1, "{done}");
}

/// A take-back started by a failed commit and finished by the jobs' `recover` (they race, or the
/// first was cut off) keeps the failure's own reason, and leaves nothing of the batch's leads:
/// neither they nor what refers to them without a cascading key (here a visit photo).
#[tokio::test]
async fn a_take_back_finished_by_recovery_keeps_the_reason_it_began_with() {
    use app::backend::entities::{attachment, import_batch};
    use sea_orm::{ActiveModelTrait, Set};
    let app = TestApp::spawn().await;
    let (mgr, mgr_id) = app.login_as("mgr", Role::Manager).await;
    let id =
        upload(&app, &mgr, "a.csv", csv(&["企业名称,所在地区,行业", "撤回测试有限公司,南京,电子通信"])).await.unwrap();
    assert_eq!(commit(&app, &mgr, id).await["summary"]["created"], 1);
    let lead_id =
        lead::Entity::find().filter(lead::Column::ImportBatchId.eq(id)).one(&app.db).await.unwrap().unwrap().id;
    attachment::ActiveModel {
        lead_id: Set(lead_id),
        visit_id: Set(None),
        sha256: Set("0".repeat(64)),
        kind: Set("photo".into()),
        mime: Set("image/jpeg".into()),
        size_bytes: Set(1),
        created_by: Set(mgr_id),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    // As a failed commit leaves it when its take-back is cut off after clearing the lease.
    let reason = app::domain::lead::FieldError::new("", "err.import.commit_failed").with("reference", "abcd1234");
    import_batch::ActiveModel {
        id: Set(id),
        status: Set("running".into()),
        lease_until: Set(None),
        error: Set(Some(serde_json::to_string(&reason).unwrap())),
        ..Default::default()
    }
    .update(&app.db)
    .await
    .unwrap();
    app::backend::services::import_recovery::recover(&app.db).await.unwrap();
    let page = batch(&app, &mgr, id).await;
    assert_eq!(page["summary"]["status"], "failed", "{page}");
    assert_eq!(page["error"]["key"], "err.import.commit_failed", "{page}");
    assert!(page["error"]["args"].to_string().contains("abcd1234"), "{page}");
    assert_eq!(lead::Entity::find().filter(lead::Column::ImportBatchId.eq(id)).count(&app.db).await.unwrap(), 0);
    let photos = attachment::Entity::find().filter(attachment::Column::LeadId.eq(lead_id)).count(&app.db).await;
    assert_eq!(photos.unwrap(), 0, "the photo of a lead taken back");
}

#[tokio::test]
async fn a_failure_mid_batch_rolls_the_whole_batch_back() {
    let app = TestApp::spawn().await;
    let (mgr, _) = app.login_as("mgr", Role::Manager).await;
    let before = lead::Entity::find().count(&app.db).await.unwrap();
    let mut lines = vec!["企业名称,所在地区,行业".to_string()];
    // More than a part (PART_ROWS): the first part is committed before the failure.
    let n = app::backend::services::import_commit::PART_ROWS + 600;
    for i in 0..n {
        let name = if i == n - 150 {
            "爆炸测试有限公司".to_string()
        } else {
            format!("批量{i:04}科技有限公司")
        };
        lines.push(format!("{name},南京,电子通信"));
    }
    let id = upload(&app, &mgr, "big.csv", lines.join("\n").into_bytes()).await.unwrap();
    // The database refuses one row deep in the batch (after its first part was committed).
    let backend = app.db.get_database_backend();
    let (create, drop) = match backend {
        sea_orm::DbBackend::Sqlite => (
            vec!["CREATE TRIGGER boom BEFORE INSERT ON leads WHEN NEW.company_name = '爆炸测试有限公司' BEGIN SELECT RAISE(ABORT, 'boom'); END"],
            "DROP TRIGGER boom",
        ),
        _ => (
            vec![
                "CREATE FUNCTION boom() RETURNS trigger AS $$ BEGIN IF NEW.company_name = '爆炸测试有限公司' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
                "CREATE TRIGGER boom BEFORE INSERT ON leads FOR EACH ROW EXECUTE FUNCTION boom()",
            ],
            "DROP TRIGGER boom ON leads",
        ),
    };
    for sql in create {
        app.db.execute_unprepared(sql).await.unwrap();
    }
    let failed = commit(&app, &mgr, id).await;
    assert_eq!(failed["summary"]["status"], "failed", "{failed}");
    assert_eq!(failed["error"]["key"], "err.import.commit_failed");
    assert_eq!(lead::Entity::find().count(&app.db).await.unwrap(), before, "nothing of the batch stayed");
    assert_eq!(lead::Entity::find().filter(lead::Column::ImportBatchId.eq(id)).count(&app.db).await.unwrap(), 0);
    let (_, html) = app.page(&mgr, &format!("/import/{id}")).await;
    assert!(html.contains("本批导入未成功，已全部撤回"), "{html}");

    // Fixed, it goes through on a second try.
    app.db.execute_unprepared(drop).await.unwrap();
    let done = commit(&app, &mgr, id).await;
    assert_eq!(
        (done["summary"]["status"].as_str(), done["summary"]["created"].as_i64()),
        (Some("done"), Some(n as i64)),
        "{done}"
    );
    assert_eq!(lead::Entity::find().count(&app.db).await.unwrap(), before + n as u64);
}

/// The rows are checked before the import takes SQLite's write lock, so other saves go on
/// meanwhile; a lead that changed to match a row while the import waited for the lock is seen
/// (the rows are checked again inside it): the row becomes a duplicate, not a second lead with
/// the same USCC that would fail the whole batch. (On PostgreSQL writers do not queue on one
/// lock; there the unique USCC refuses the batch and it can be confirmed again.)
#[tokio::test]
async fn a_lead_that_matches_a_row_while_the_import_waits_for_the_lock_is_matched() {
    if lianzhao_tests::backend_name() != "sqlite" {
        return;
    }
    let app = TestApp::spawn().await;
    let (mgr, mgr_id) = app.login_as("mgr", Role::Manager).await;
    let (status, body) = app.call(&mgr, "leads/save", &lead_fields("原名科技有限公司", &uscc("320115", 71))).await;
    assert_eq!(status, 200, "{body}");
    let existing = body.as_i64().unwrap();
    let taken = uscc("320115", 72);
    // 37 rows: the progress map is the process's, keyed by batch id, and other tests' servers
    // commit their own batch 1 meanwhile; only a batch of 37 rows waiting for the lock is this one.
    const ROWS: usize = 37;
    let race_row = format!("抢先科技有限公司,{taken},南京,电子通信");
    let others: Vec<String> = (1..ROWS).map(|i| format!("另一家{i}号科技有限公司,,南京,电子通信")).collect();
    let mut lines = vec!["企业名称,统一社会信用代码,所在地区,行业", race_row.as_str()];
    lines.extend(others.iter().map(String::as_str));
    let id = upload(&app, &mgr, "race.csv", csv(&lines)).await.unwrap();
    // The commit is claimed; then another save holds the write lock, and the import checks its
    // rows and waits for it.
    let actor = lianzhao_tests::session_user(mgr_id, "mgr", Role::Manager);
    app::backend::services::import_commit::claim(&app.db, &app.settings, &app.state.imports, &actor, id).await.unwrap();
    let txn = app::backend::db::begin_write(&app.db).await.unwrap();
    let (db, memory, who, lease) =
        (app.db.clone(), app.state.imports.clone(), actor.clone(), app.settings.import_lease);
    let run =
        tokio::spawn(async move { app::backend::services::import_commit::run(&db, &memory, lease, &who, id).await });
    // Until its rows are checked (against the lead as it was) and it waits for the lock: the
    // race this test is about, every time (other tests' imports may hold the slots a while).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let progress = app.state.imports.progress(id);
        let phase = progress.map(|p| p.phase);
        if phase == Some(app::wire::imports::ImportPhase::Waiting) && progress.is_some_and(|p| p.total == ROWS as u64) {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the import never waited for the lock: {phase:?}");
        assert!(!run.is_finished(), "the import ended before the lead changed");
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    txn.execute_unprepared(&format!("UPDATE leads SET uscc = '{taken}' WHERE id = {existing}")).await.unwrap();
    txn.commit().await.unwrap();
    let outcome = run.await.unwrap();
    assert!(outcome.is_ok(), "{outcome:?}");
    let page = batch(&app, &mgr, id).await;
    let summary = &page["summary"];
    assert_eq!(summary["status"], "done", "{page}");
    assert_eq!(
        (summary["created"].as_i64(), summary["skipped"].as_i64()),
        (Some(ROWS as i64 - 1), Some(1)),
        "{summary}"
    );
    assert_eq!(by_uscc(&app, &taken).await.id, existing);
}
