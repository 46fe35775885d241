use app::domain::role::Role;
use lianzhao_tests::{lead_fields, uscc, TestApp};

fn field_error<'a>(body: &'a serde_json::Value, field: &str) -> Option<&'a serde_json::Value> {
    body["Invalid"].as_array()?.iter().find(|e| e["field"] == field)
}

#[tokio::test]
async fn a_lead_is_created_with_its_region_from_the_uscc() {
    let app = TestApp::spawn().await;
    let (client, _) = app.login_as("w", Role::Staff).await;
    let code = uscc("320115", 10);
    let spaced = format!("{} {}", &code[..9], &code[9..].to_lowercase());
    let (status, body) = app.call(&client, "leads/save", &lead_fields("南京江宁通信有限公司", &spaced)).await;
    assert_eq!(status, 200, "{body}");
    let id = body.as_i64().unwrap();

    let (status, lead) = app.call(&client, "leads/get", &[("id", &id.to_string())]).await;
    assert_eq!(status, 200);
    assert_eq!(lead["uscc"], code, "normalised");
    assert_eq!(lead["region"]["names"], "江苏省 南京市 江宁区");
    assert_eq!(lead["region"]["group"], "Yrd");
    assert_eq!(lead["region"]["nanjing_metro"], true);
    assert_eq!(lead["planned_investment_wan"], 12000.0);
    assert_eq!(lead["contacts"][0]["name"], "张经理");

    let (status, page) = app.page(&client, &format!("/leads/{id}")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("南京江宁通信有限公司") && page.contains("江苏省 南京市 江宁区") && page.contains("南京都市圈")
    );
}

#[tokio::test]
async fn bad_input_is_reported_at_each_field_and_nothing_is_saved() {
    let app = TestApp::spawn().await;
    let (client, _) = app.login_as("w", Role::Staff).await;
    let mut code = uscc("320115", 11);
    let last = code.pop().unwrap();
    code.push(if last == '0' { '1' } else { '0' });
    let mut fields = lead_fields("坏数据有限公司", &code);
    for (k, v) in fields.iter_mut() {
        if *k == "form[planned_investment]" {
            *v = "很多";
        }
    }
    fields.retain(|(k, _)| *k != "form[industry]");
    let (status, body) = app.call(&client, "leads/save", &fields).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(field_error(&body, "uscc").unwrap()["key"], "err.uscc.check");
    assert_eq!(field_error(&body, "planned_investment").unwrap()["key"], "err.number");
    assert_eq!(field_error(&body, "industry").unwrap()["key"], "err.required");
    let (_, list) = app.call(&client, "leads/list", &[]).await;
    assert_eq!(list["total"], 0);
}

#[tokio::test]
async fn an_exact_uscc_duplicate_is_refused_and_a_name_twin_is_flagged() {
    let app = TestApp::spawn().await;
    let (a, _) = app.login_as("a", Role::Staff).await;
    let (b, _) = app.login_as("b", Role::Staff).await;
    let code = uscc("440305", 12);
    let (_, first) = app.call(&a, "leads/save", &lead_fields("深圳南山光电股份有限公司", &code)).await;
    let first_id = first.as_i64().unwrap();

    // Another user, same code: refused, naming the existing lead.
    let (status, body) = app.call(&b, "leads/save", &lead_fields("另一个名字有限公司", &code)).await;
    assert_eq!(status, 422, "{body}");
    let err = field_error(&body, "uscc").unwrap();
    assert_eq!(err["key"], "err.uscc.duplicate");
    assert!(err["args"].to_string().contains(&first_id.to_string()));
    // Without JavaScript, the form comes back with the message at the field and the box itself
    // marked (a well-formed code: the live check's ✓ stands between them).
    let fields = lead_fields("另一个名字有限公司", &code);
    let (status, to) = crate::plain_forms::plain_post(&app, &b, "leads/save", "/leads/new", &fields).await;
    assert!((300..400).contains(&status), "{status}");
    let (_, page) = app.page(&b, &to).await;
    assert!(page.contains(r#"id="err-uscc""#) && page.contains("该信用代码已登记"), "the message at the field");
    assert!(page.contains(r#"id="uscc-status""#), "the live check's ✓ too");
    assert_eq!(page.matches(r#"aria-invalid="true""#).count(), 1, "the code's box marked, and no other");
    assert!(!page.contains(&format!(r#"href="/leads/{first_id}""#)), "no link to a lead b may not open (a 404)");
    // With another field refused too, the duplicate is said in the same answer, not after the
    // other field is mended.
    let mut fields = lead_fields("另一个名字有限公司", &code);
    fields.retain(|(k, _)| *k != "form[industry]");
    let (status, body) = app.call(&b, "leads/save", &fields).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(field_error(&body, "industry").unwrap()["key"], "err.required");
    assert_eq!(field_error(&body, "uscc").unwrap()["key"], "err.uscc.duplicate", "{body}");

    // Same name once normalised (全角, 有限公司): a warning, not a refusal.
    let (status, hints) =
        app.call(&b, "leads/similar", &[("company_name", "  深圳南山光电有限公司 "), ("uscc", "")]).await;
    assert_eq!(status, 200);
    assert_eq!(hints[0]["id"], first_id);
    assert_eq!(hints[0]["readable"], false, "b may not open a's lead");
    let (status, body) = app.call(&b, "leads/save", &lead_fields("深圳南山光电有限公司", &uscc("440305", 13))).await;
    assert_eq!(status, 200, "{body}");
    let second = body.as_i64().unwrap();
    let (_, detail) = app.call(&b, "leads/get", &[("id", &second.to_string())]).await;
    assert_eq!(detail["duplicates"][0]["id"], first_id);
}

#[tokio::test]
async fn editing_keeps_a_uscc_and_refuses_stale_versions() {
    let app = TestApp::spawn().await;
    let (client, _) = app.login_as("m", Role::Manager).await;
    let code = uscc("330106", 14);
    let (_, id) = app.call(&client, "leads/save", &lead_fields("杭州西湖智能有限公司", &code)).await;
    let id = id.as_i64().unwrap().to_string();
    let (_, edit) = app.call(&client, "leads/edit-form", &[("id", &id)]).await;
    assert_eq!(edit["form"]["version"], "1");

    let mut fields = lead_fields("杭州西湖智能科技有限公司", &code);
    fields.push(("id", &id));
    fields.push(("form[version]", "1"));
    let (status, body) = app.call(&client, "leads/save", &fields).await;
    assert_eq!(status, 200, "{body}");
    // A second client still holding version 1 is refused with 409, and nothing is overwritten.
    let mut stale = lead_fields("过期的修改有限公司", &code);
    stale.push(("id", &id));
    stale.push(("form[version]", "1"));
    let (status, body) = app.call(&client, "leads/save", &stale).await;
    assert_eq!(status, 409, "{body}");
    let (_, lead) = app.call(&client, "leads/get", &[("id", &id)]).await;
    assert_eq!(lead["company_name"], "杭州西湖智能科技有限公司");
    assert_eq!(lead["version"], 2);
}

async fn seed_list(app: &TestApp, client: &reqwest::Client) {
    let rows: &[(&str, &str, &str, &str)] = &[
        ("南京紫金通信有限公司", "320115", "electronic_comms", "5000"),
        ("上海浦东芯片有限公司", "310115", "electronic_comms", "80000"),
        ("深圳宝安机器人有限公司", "440306", "smart_manufacturing", "30000"),
        ("成都锦江物流有限公司", "510104", "modern_services", "100"),
        ("杭州滨江环保科技有限公司", "330108", "energy_materials", ""),
    ];
    for (i, (name, division, industry, amount)) in rows.iter().enumerate() {
        let code = uscc(division, 100 + i as u32);
        let sector = match *industry {
            "electronic_comms" => "semiconductors",
            "smart_manufacturing" => "industrial_robots",
            "modern_services" => "logistics",
            _ => "environmental_protection",
        };
        let fields = vec![
            ("form[company_name]", *name),
            ("form[uscc]", code.as_str()),
            ("form[industry]", industry),
            ("form[sector]", sector),
            ("form[channel]", if i % 2 == 0 { "resident" } else { "fund" }),
            ("form[stage]", if i < 2 { "negotiation" } else { "clue" }),
            ("form[planned_investment]", amount),
        ];
        let (status, body) = app.call(client, "leads/save", &fields).await;
        assert_eq!(status, 200, "{body}");
    }
}

fn names(body: &serde_json::Value) -> Vec<String> {
    body["rows"].as_array().unwrap().iter().map(|r| r["company_name"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn the_list_filters_searches_chinese_substrings_and_sorts() {
    let app = TestApp::spawn().await;
    let (client, _) = app.login_as("m", Role::Manager).await;
    seed_list(&app, &client).await;

    let list = |q: Vec<(&'static str, &'static str)>| {
        let fields: Vec<(String, String)> = q.iter().map(|(k, v)| (format!("filter[{k}]"), v.to_string())).collect();
        let app = &app;
        let client = &client;
        async move {
            let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let (status, body) = app.call(client, "leads/list", &refs).await;
            assert_eq!(status, 200, "{body}");
            body
        }
    };
    assert_eq!(list(vec![]).await["total"], 5);
    assert_eq!(names(&list(vec![("group", "yrd")]).await).len(), 3);
    assert_eq!(names(&list(vec![("group", "prd")]).await), ["深圳宝安机器人有限公司"]);
    assert_eq!(names(&list(vec![("group", "domestic")]).await), ["成都锦江物流有限公司"]);
    assert_eq!(list(vec![("industry", "electronic_comms")]).await["total"], 2);
    assert_eq!(list(vec![("stage", "negotiation"), ("group", "yrd")]).await["total"], 2);
    assert_eq!(list(vec![("channel", "fund")]).await["total"], 2);
    // Chinese substrings: two characters (LIKE) and three or more (trigram index).
    assert_eq!(names(&list(vec![("q", "芯片")]).await), ["上海浦东芯片有限公司"]);
    assert_eq!(names(&list(vec![("q", "机器人")]).await), ["深圳宝安机器人有限公司"]);
    assert_eq!(names(&list(vec![("q", "滨江环保")]).await), ["杭州滨江环保科技有限公司"]);
    assert_eq!(list(vec![("q", "不存在的公司")]).await["total"], 0);
    // Sorting by investment, largest first, unknown amounts last.
    let sorted = names(&list(vec![("sort", "-investment")]).await);
    assert_eq!(sorted.first().unwrap(), "上海浦东芯片有限公司");
    assert_eq!(sorted.last().unwrap(), "杭州滨江环保科技有限公司");
    let sorted = names(&list(vec![("sort", "investment")]).await);
    assert_eq!(sorted.first().unwrap(), "成都锦江物流有限公司");

    // The page itself reads the same filters from its URL (bookmarkable).
    let (status, page) = app.page(&client, "/leads?group=prd&sort=-investment").await;
    assert_eq!(status, 200);
    assert!(page.contains("深圳宝安机器人有限公司") && !page.contains("上海浦东芯片有限公司"));
    assert!(page.contains(r#"data-total="1""#));
}

#[tokio::test]
async fn the_list_pages_through_many_leads() {
    let app = TestApp::spawn().await;
    let (client, _) = app.login_as("m", Role::Manager).await;
    for i in 0..55u32 {
        let name = format!("批量测试{i:02}有限公司");
        let code = uscc("340503", 200 + i);
        let (status, body) = app.call(&client, "leads/save", &lead_fields(&name, &code)).await;
        assert_eq!(status, 200, "{body}");
    }
    let (_, first) = app.call(&client, "leads/list", &[("filter[sort]", "name")]).await;
    assert_eq!(first["total"], 55);
    assert_eq!(first["pages"], 2);
    assert_eq!(first["rows"].as_array().unwrap().len(), 50);
    let (_, second) = app.call(&client, "leads/list", &[("filter[sort]", "name"), ("filter[page]", "2")]).await;
    assert_eq!(second["rows"].as_array().unwrap().len(), 5);
    assert_eq!(second["rows"][4]["company_name"], "批量测试54有限公司");
    // A page's rows stay in the sort's order (the page is cut first, then its owners' names
    // are joined to it and it is ordered again), also by a column the row does not show.
    let mut by_name = names(&first);
    by_name.sort();
    assert_eq!(names(&first), by_name);
    let (_, newest) = app.call(&client, "leads/list", &[("filter[sort]", "-created")]).await;
    let newest = names(&newest);
    assert_eq!(newest.len(), 50);
    assert_eq!(newest[0], "批量测试54有限公司");
    assert_eq!(newest[49], "批量测试05有限公司");
    let (_, oldest) = app.call(&client, "leads/list", &[("filter[sort]", "-created"), ("filter[page]", "2")]).await;
    assert_eq!(
        names(&oldest),
        ["批量测试04有限公司", "批量测试03有限公司", "批量测试02有限公司", "批量测试01有限公司", "批量测试00有限公司"]
    );
}

#[tokio::test]
async fn a_broad_filter_sorted_by_another_column_keeps_its_filter_on_every_page() {
    let app = TestApp::spawn().await;
    let (client, _) = app.login_as("m", Role::Manager).await;
    // 80 leads in 长三角 (马鞍山) and 5 in 珠三角 (深圳), whose names sort first (珠 < 长 in UTF-8), so
    // a page that lost its filter would show them. For page 1 of 长三角 (50 of 80 matches among
    // 85 leads: 50 × 85 < 80²) SQLite walks the sort's index (`Plan::WalkSort`, the filter marked
    // `likely()`); for page 2 (100 × 85 > 80²) it sorts the matches.
    for i in 0..80u32 {
        let (status, body) = app
            .call(&client, "leads/save", &lead_fields(&format!("长三角{i:02}号有限公司"), &uscc("340503", 300 + i)))
            .await;
        assert_eq!(status, 200, "{body}");
    }
    for i in 0..5u32 {
        let (status, body) = app
            .call(&client, "leads/save", &lead_fields(&format!("珠三角{i}号有限公司"), &uscc("440306", 400 + i)))
            .await;
        assert_eq!(status, 200, "{body}");
    }
    let expected: Vec<String> = (0..80).map(|i| format!("长三角{i:02}号有限公司")).collect();
    for (page, rows) in [("1", &expected[..50]), ("2", &expected[50..])] {
        let (status, yrd) = app
            .call(&client, "leads/list", &[("filter[sort]", "name"), ("filter[group]", "yrd"), ("filter[page]", page)])
            .await;
        assert_eq!(status, 200, "{yrd}");
        assert_eq!(names(&yrd), rows, "page {page}");
        assert_eq!(yrd["total"], 80);
    }
    // A narrow filter: the planner sorts its few matches.
    let (_, prd) = app.call(&client, "leads/list", &[("filter[group]", "prd"), ("filter[sort]", "name")]).await;
    assert_eq!(names(&prd), (0..5).map(|i| format!("珠三角{i}号有限公司")).collect::<Vec<_>>());
}

#[tokio::test]
async fn the_language_switch_is_remembered() {
    let app = TestApp::spawn().await;
    let (client, _) = app.login_as("en", Role::Staff).await;
    let res = client
        .post(app.url("/lang"))
        .header("referer", app.url("/leads?group=yrd"))
        .form(&[("lang", "en")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/leads?group=yrd");
    let (_, page) = app.page(&client, "/leads").await;
    assert!(page.contains(r#"lang="en""#) && page.contains("Leads") && page.contains("Log out"));
    // Remembered on the user too: a fresh browser gets English after login.
    let fresh = app.client();
    let res = app.post_login(&fresh, "en", lianzhao_tests::PASSWORD).await;
    assert!(res.headers().get_all("set-cookie").iter().any(|c| c.to_str().unwrap().starts_with("lz_lang=en")));
}

#[tokio::test]
async fn without_javascript_a_bad_form_comes_back_with_the_error_at_its_field() {
    let app = TestApp::spawn().await;
    let (client, _) = app.login_as("nojs", Role::Staff).await;
    let mut code = uscc("320115", 77);
    let last = code.pop().unwrap();
    code.push(if last == '0' { '1' } else { '0' });
    let res = client
        .post(app.url("/api/leads/save"))
        .header("accept", "text/html")
        .header("referer", app.url("/leads/new"))
        .form(&lead_fields("无脚本测试有限公司", &code))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "a plain form post is answered with a redirect: {}", res.status());
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(location.contains("/leads/new") && location.contains("__err="), "{location}");
    let path = location.trim_start_matches(&app.base).to_string();
    let (status, page) = app.page(&client, &path).await;
    assert_eq!(status, 200);
    assert!(page.contains(r#"id="err-uscc""#) && page.contains("校验码错误"), "the error shows at the field");
    let (_, list) = app.call(&client, "leads/list", &[]).await;
    assert_eq!(list["total"], 0, "nothing saved");
}
