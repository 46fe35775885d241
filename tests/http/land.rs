//! 标准地 承诺履约复核 through HTTP, with exact figures: a contract reviewed after its date (a
//! breach), one warned months ahead by the straight-line forecast, bad input at its field, the
//! list on `/projects`, and who may record.

use super::projects::{invalid, today};
use super::teams::new_lead;
use app::domain::role::Role;
use chrono::Datelike;
use lianzhao_tests::TestApp;
use serde_json::Value;

async fn signed_lead(app: &TestApp, client: &reqwest::Client, name: &str, seed: u32) -> String {
    let lead = new_lead(app, client, name, "320115", seed).await;
    let fields = [
        ("lead_id", lead.as_str()),
        ("form[to]", "signed"),
        ("form[comment]", "签约"),
        ("form[signed_investment]", "2亿"),
        ("form[signed_land_mu]", "50"),
    ];
    let (status, body) = app.call(client, "pipeline/move", &fields).await;
    assert_eq!(status, 200, "{body}");
    lead
}

async fn actual(app: &TestApp, client: &reqwest::Client, lead: &str, year: i32, investment: &str, tax: &str) {
    let year = year.to_string();
    let fields =
        [("lead_id", lead), ("form[year]", year.as_str()), ("form[investment]", investment), ("form[tax]", tax)];
    let (status, body) = app.call(client, "fulfilment/save", &fields).await;
    assert_eq!(status, 200, "{body}");
}

async fn save(app: &TestApp, client: &reqwest::Client, lead: &str, fields: &[(&str, &str)]) -> (u16, Value) {
    let mut all = vec![("lead_id", lead)];
    all.extend_from_slice(fields);
    app.call(client, "land/save", &all).await
}

fn check<'a>(review: &'a Value, indicator: &str) -> &'a Value {
    review["checks"].as_array().unwrap().iter().find(|c| c["indicator"] == indicator).expect("indicator checked")
}

#[tokio::test]
async fn a_land_contract_is_reviewed_and_warned_ahead_with_exact_figures() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    let y = today().year();
    let date = |year: i32, rest: &str| format!("{year}-{rest}");

    // A: signed a year ago; 12,000 万元 invested over two years on 50 亩, tax 250 then 750.
    let a = signed_lead(&app, &manager, "标准地预警科技有限公司", 11).await;
    let (_, panel) = app.call(&manager, "land/get", &[("lead_id", &a)]).await;
    assert_eq!((panel["review"].clone(), panel["form"]["land_mu"].as_str()), (Value::Null, Some("50")), "{panel}");
    actual(&app, &manager, &a, y - 1, "6000", "250").await;
    actual(&app, &manager, &a, y, "6000", "750").await;
    let (signed, review_on, full) = (date(y - 1, "01-01"), date(y + 1, "01-01"), date(y, "12-31"));
    let contract = [
        ("form[contract_no]", "宁高新标准地-01"),
        ("form[land_mu]", "50"),
        ("form[intensity]", "400"),
        ("form[tax_per_mu]", "20"),
        ("form[signed_on]", signed.as_str()),
        ("form[full_output_on]", full.as_str()),
        ("form[review_on]", review_on.as_str()),
    ];
    let (status, body) = save(&app, &manager, &a, &contract).await;
    assert_eq!(status, 200, "{body}");
    let (_, panel) = app.call(&manager, "land/get", &[("lead_id", &a)]).await;
    let r = &panel["review"];
    assert_eq!(
        (r["warning"].as_bool(), r["breach"].as_bool(), r["reviewed"].as_bool()),
        (Some(true), Some(false), Some(false))
    );
    // 投资强度: 0 on signing, 120 at the end of last year, 240 at the end of this one: the line
    // reaches 240.0 万元/亩 on the review date against 400 committed.
    let i = check(r, "Intensity");
    assert_eq!(
        (i["committed"].as_f64(), i["actual"].as_f64(), i["forecast"].as_f64()),
        (Some(400.0), Some(240.0), Some(240.0))
    );
    assert_eq!(i["warning"], true);
    // 亩均税收: 5 then 15 → 15.0 on the review date against 20.
    let t = check(r, "TaxPerMu");
    assert_eq!(
        (t["actual"].as_f64(), t["forecast"].as_f64(), t["warning"].as_bool()),
        (Some(15.0), Some(15.0), Some(true))
    );
    let months = r["months_to_review"].as_i64().unwrap();
    assert!((0..=12).contains(&months), "{months}");

    // B: reviewed at the start of this year with 10,000 万元 on 50 亩 and tax 300: a breach.
    let b = signed_lead(&app, &manager, "标准地违约材料有限公司", 12).await;
    actual(&app, &manager, &b, y - 2, "10000", "300").await;
    let (b_signed, b_review) = (date(y - 3, "01-01"), date(y, "01-01"));
    let fields = [
        ("form[land_mu]", "50"),
        ("form[intensity]", "400"),
        ("form[tax_per_mu]", "20"),
        ("form[signed_on]", b_signed.as_str()),
        ("form[review_on]", b_review.as_str()),
    ];
    assert_eq!(save(&app, &manager, &b, &fields).await.0, 200);
    let (_, panel) = app.call(&manager, "land/get", &[("lead_id", &b)]).await;
    let r = &panel["review"];
    assert_eq!((r["breach"].as_bool(), r["reviewed"].as_bool()), (Some(true), Some(true)));
    assert_eq!(check(r, "Intensity")["actual"].as_f64(), Some(200.0));
    assert_eq!(
        (check(r, "TaxPerMu")["actual"].as_f64(), check(r, "TaxPerMu")["breach"].as_bool()),
        (Some(6.0), Some(true))
    );

    // Bad input at its field.
    let bad = [
        ("form[land_mu]", "0"),
        ("form[intensity]", "四百"),
        ("form[signed_on]", b_review.as_str()),
        ("form[review_on]", b_signed.as_str()),
    ];
    let (status, body) = save(&app, &manager, &b, &bad).await;
    assert_eq!(status, 422);
    assert_eq!(
        invalid(&body),
        [("land_mu", "err.number"), ("intensity", "err.number"), ("review_on", "err.land.review_before")]
            .map(|(f, k)| (f.to_string(), k.to_string()))
    );
    let none =
        [("form[land_mu]", "50"), ("form[signed_on]", b_signed.as_str()), ("form[review_on]", b_review.as_str())];
    assert_eq!(
        invalid(&save(&app, &manager, &b, &none).await.1),
        [("intensity".to_string(), "err.land.none".to_string())]
    );
    let outside = [
        ("form[land_mu]", "50"),
        ("form[intensity]", "400"),
        ("form[signed_on]", b_signed.as_str()),
        ("form[review_on]", b_review.as_str()),
        ("form[full_output_on]", "2099-01-01"),
    ];
    assert_eq!(
        invalid(&save(&app, &manager, &b, &outside).await.1),
        [("full_output_on".to_string(), "err.land.full_output_between".to_string())]
    );

    // The list: the breach first, then the warning; on /projects too.
    let (_, list) = app.call(&manager, "land/list", &[]).await;
    let order: Vec<String> = list.as_array().unwrap().iter().map(|r| r["lead_id"].to_string()).collect();
    assert_eq!(order, [b.clone(), a.clone()]);
    let (_, html) = app.page(&manager, "/projects").await;
    assert!(html.contains("id=\"land-table\"") && html.contains("标准地违约材料") && html.contains("标准地预警科技"));
    let (_, html) = app.page(&manager, &format!("/leads/{a}")).await;
    assert!(html.contains("id=\"land-summary\""), "the warning is on the project's page");

    // Leaders read; a lead before 签约 has no contract to record.
    let (leader, _) = app.login_as("ld", Role::Leader).await;
    assert_eq!(save(&app, &leader, &a, &contract).await.0, 403);
    let open = new_lead(&app, &manager, "尚未签约有限公司", "320115", 13).await;
    assert_eq!(app.call(&manager, "land/get", &[("lead_id", &open)]).await.1, Value::Null);
    assert_eq!(save(&app, &manager, &open, &contract).await.0, 409);
}
