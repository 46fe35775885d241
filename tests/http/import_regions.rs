//! 导入 of a file whose 所在地区 and 统一社会信用代码 disagree: the lead is saved with the
//! region the USCC was registered in (as the lead form does), and the preview says so at the
//! region cell, so the file's region is never dropped unseen (nor made finer unsaid).

use super::imports::{batch, by_uscc, commit, row, upload};
use app::domain::role::Role;
use lianzhao_tests::{uscc, TestApp};

#[tokio::test]
async fn a_region_the_credit_code_contradicts_is_noted_at_its_cell_and_the_code_s_is_saved() {
    let app = TestApp::spawn().await;
    let (mgr, _) = app.login_as("mgr", Role::Manager).await;
    let u = |n| uscc("320115", n);
    let text = [
        "企业名称,统一社会信用代码,所在地区,行业".to_string(),
        format!("地区甲有限公司,{},苏州市,智能制造", u(361)),
        format!("地区乙有限公司,{},南京市,智能制造", u(362)),
        format!("地区丙有限公司,{},江苏省南京市江宁区,智能制造", u(363)),
        "地区丁有限公司,,苏州市,智能制造".to_string(),
        // Registered by 南京市's bureau (320100): the file's 江宁区 says more, and is kept.
        format!("地区戊有限公司,{},江宁区,智能制造", uscc("320100", 364)),
        // An overseas area beside a mainland USCC: noted.
        format!("地区己有限公司,{},OS-EU,智能制造", u(365)),
        // Refused for now (an unknown industry): the note comes with that reason, in one pass.
        format!("地区庚有限公司,{},苏州市,人工智能", u(366)),
    ]
    .join("\r\n");
    let id = upload(&app, &mgr, "地区.csv", text.clone().into_bytes()).await.expect("upload");
    let page = batch(&app, &mgr, id).await;
    assert_eq!(page["counts"]["new"], 6, "{page}");
    let noted = &row(&page, 2)["notes"];
    assert_eq!(noted[0]["error"]["key"], "import.note.region_from_uscc", "{page}");
    assert_eq!(noted[0]["column"], 2, "at the region cell");
    assert_eq!(row(&page, 7)["notes"][0]["error"]["key"], "import.note.region_from_uscc", "{page}");
    assert_eq!(row(&page, 8)["status"], "invalid", "{page}");
    assert_eq!(row(&page, 8)["notes"][0]["error"]["key"], "import.note.region_from_uscc", "{page}");
    // 南京市 beside a USCC of 江宁区: saved as the finer region, and said (no surprise later).
    assert_eq!(row(&page, 3)["notes"][0]["error"]["key"], "import.note.region_refined", "{page}");
    for line in [4, 5, 6] {
        assert_eq!(row(&page, line)["notes"], serde_json::json!([]), "row {line} agrees or has no USCC");
    }
    let (_, html) = app.page(&mgr, &format!("/import/{id}")).await;
    assert!(
        html.contains("将按信用代码登记地保存为“江苏省 南京市 江宁区”（与“苏州市”不一致）"),
        "the preview says which region is saved and why"
    );
    assert!(html.contains("将按信用代码登记地细化为“江苏省 南京市 江宁区”"), "and which finer region");
    // Skipped or updated rows save no region from the file's USCC: no note promises one.
    let skip = upload(&app, &mgr, "地区2.csv", text.into_bytes()).await.expect("upload");

    assert_eq!(commit(&app, &mgr, id).await["summary"]["created"], 6);
    assert_eq!(by_uscc(&app, &u(361)).await.region_code, "320115", "as the note said");
    assert_eq!(by_uscc(&app, &u(362)).await.region_code, "320115");
    assert_eq!(by_uscc(&app, &uscc("320100", 364)).await.region_code, "320115", "the finer region kept");
    assert_eq!(by_uscc(&app, &u(365)).await.region_code, "320115");
    let again = batch(&app, &mgr, skip).await;
    assert_eq!(again["counts"]["duplicate"], 6, "{again}");
    assert_eq!(row(&again, 2)["notes"], serde_json::json!([]), "a skipped row promises nothing");
}
