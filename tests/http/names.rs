//! One fold for company names everywhere: entry (查重 hints and the saved name), import
//! (duplicates), the list search and the API search — widths, brackets and invisible
//! characters never make two names differ; names are stored as written, minus invisibles.

use super::imports::{batch, csv, row, upload};
use app::domain::role::Role;
use lianzhao_tests::{lead_fields, uscc, TestApp};

#[tokio::test]
async fn widths_brackets_and_invisible_characters_never_make_two_names_differ() {
    let app = TestApp::spawn().await;
    let (mgr, _) = app.login_as("mgr", Role::Manager).await;
    // Written with a BOM pasted from a web page, a zero-width space and an ideographic space.
    let typed = "\u{feff}（苏州）精工\u{200b}科技\u{3000}有限公司";
    let (status, id) = app.call(&mgr, "leads/save", &lead_fields(typed, &uscc("320505", 401))).await;
    assert_eq!(status, 200, "{id}");
    let (_, detail) = app.call(&mgr, "leads/get", &[("id", &id.to_string())]).await;
    assert_eq!(detail["company_name"], "（苏州）精工科技 有限公司", "stored as written, minus invisibles: {detail}");

    // 查重 on entry: the half-width twin is found.
    let (status, hints) =
        app.call(&mgr, "leads/similar", &[("company_name", "(苏州)精工科技有限公司"), ("uscc", "")]).await;
    assert_eq!(status, 200);
    assert_eq!(hints[0]["id"], id, "{hints}");

    // The list search: half-width brackets, full-width letters, a zero-width space in the query.
    for q in ["(苏州)精工", "（苏州）精工", "苏州)精\u{200b}工", "精工科技有限", "精工"] {
        let (status, list) = app.call(&mgr, "leads/list", &[("filter[q]", q)]).await;
        assert_eq!(status, 200, "{list}");
        assert_eq!(list["total"], 1, "{q:?} finds it: {list}");
    }

    // The API search.
    let (status, token) = app.call(&mgr, "tokens/create", &[("name", "t")]).await;
    assert_eq!(status, 200, "{token}");
    let token = token.as_str().expect("token").to_string();
    let res = reqwest::Client::new()
        .get(app.url("/api/v1/leads"))
        .query(&[("q", "(苏州)精工")])
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["total"], 1, "{body}");

    // 查重 on import: the same company written another way is a duplicate, not a new lead.
    let file = csv(&["企业名称,行业,所在地区", "(苏州)精工科技有限公司\u{200d},电子通信,苏州"]);
    let batch_id = upload(&app, &mgr, "twin.csv", file).await.expect("upload");
    let page = batch(&app, &mgr, batch_id).await;
    assert_eq!(row(&page, 2)["status"], "duplicate", "{page}");
}
