use app::domain::role::Role;
use lianzhao_tests::{lead_fields, uscc, TestApp};

async fn new_lead(app: &TestApp, client: &reqwest::Client, name: &str, seed: u32) -> String {
    let (status, body) = app.call(client, "leads/save", &lead_fields(name, &uscc("320115", seed))).await;
    assert_eq!(status, 200, "{body}");
    body.as_i64().unwrap().to_string()
}

#[tokio::test]
async fn every_field_change_is_recorded_and_a_stale_save_says_what_changed() {
    let app = TestApp::spawn().await;
    let (alice, _) = app.login_as("alice", Role::Manager).await;
    let (bob, _) = app.login_as("bob", Role::Manager).await;
    let code = uscc("320115", 1);
    let id = new_lead(&app, &alice, "审计测试有限公司", 1).await;

    // Both open the edit form at version 1; Alice saves first.
    let mut first = lead_fields("审计测试科技有限公司", &code);
    first.retain(|(k, _)| *k != "form[planned_investment]");
    first.extend([("id", id.as_str()), ("form[version]", "1"), ("form[planned_investment]", "9000")]);
    let (status, body) = app.call(&alice, "leads/save", &first).await;
    assert_eq!(status, 200, "{body}");

    let mut second = lead_fields("鲍勃的版本有限公司", &code);
    second.extend([("id", id.as_str()), ("form[version]", "1")]);
    let (status, body) = app.call(&bob, "leads/save", &second).await;
    assert_eq!(status, 409, "{body}");
    let changes = body["Stale"].as_array().expect("the changes since version 1");
    let fields: Vec<&str> = changes.iter().map(|c| c["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["company_name", "planned_investment"]);
    assert_eq!(changes[0]["old"], "审计测试有限公司");
    assert_eq!(changes[0]["new"], "审计测试科技有限公司");
    assert_eq!(changes[0]["who"], "alice 测试");
    let (_, lead) = app.call(&alice, "leads/get", &[("id", &id)]).await;
    assert_eq!(lead["company_name"], "审计测试科技有限公司", "nothing of Alice's is lost");

    // A stage move is history too; managers read it all.
    let (status, _) = app.call(&alice, "pipeline/move", &[("lead_id", &id), ("form[to]", "contact")]).await;
    assert_eq!(status, 200);
    let (status, history) = app.call(&bob, "leads/history", &[("id", &id)]).await;
    assert_eq!(status, 200);
    let fields: Vec<&str> = history.as_array().unwrap().iter().map(|c| c["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["stage", "planned_investment", "company_name"], "newest first");
    let (_, page) = app.page(&bob, &format!("/leads/{id}")).await;
    assert!(page.contains("修改记录") && page.contains("审计测试有限公司 → 审计测试科技有限公司"));

    // The lead's one timeline holds the edits too (for managers), beside the moves.
    let (_, p) = app.call(&bob, "pipeline/get", &[("lead_id", &id)]).await;
    let kinds: Vec<String> = p["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["item"].as_object().unwrap().keys().next().unwrap().clone())
        .collect();
    assert_eq!(kinds, ["Move", "Change", "Change"], "{p}");
    // Staff do not see the audit trail.
    let (staff, _) = app.login_as("s", Role::Staff).await;
    let (status, _) = app.call(&staff, "leads/history", &[("id", &id)]).await;
    assert_eq!(status, 403);

    // A contact added (or changed) is history too, both lists side by side; a save that keeps
    // them records none.
    let mut third = lead_fields("审计测试科技有限公司", &code);
    third.retain(|(k, _)| *k != "form[planned_investment]");
    third.extend([
        ("id", id.as_str()),
        ("form[planned_investment]", "9000"),
        ("form[contacts][1][name]", "李工"),
        ("form[contacts][1][title]", "财务总监"),
        ("form[contacts][1][phone]", "13900001111"),
    ]);
    let (status, body) = app.call(&alice, "leads/save", &third).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app.call(&alice, "leads/save", &third).await;
    assert_eq!(status, 200, "{body}");
    let (_, history) = app.call(&bob, "leads/history", &[("id", &id)]).await;
    let contacts: Vec<&serde_json::Value> =
        history.as_array().unwrap().iter().filter(|c| c["field"] == "contacts").collect();
    assert_eq!(contacts.len(), 1, "{history}");
    assert_eq!(contacts[0]["old"], "张经理 025-88881234");
    assert_eq!(contacts[0]["new"], "张经理 025-88881234；李工 财务总监 13900001111");
    let (_, page) = app.page(&bob, &format!("/leads/{id}")).await;
    assert!(page.contains("<strong>联系人</strong>") && page.contains("李工 财务总监 13900001111"), "{page}");
    // In English the contacts are joined as English joins a list.
    let res = bob.post(app.url("/lang")).form(&[("lang", "en")]).send().await.unwrap();
    assert_eq!(res.status(), 303);
    let (_, page) = app.page(&bob, &format!("/leads/{id}")).await;
    assert!(page.contains("张经理 025-88881234; 李工 财务总监 13900001111"), "{page}");
}

#[tokio::test]
async fn deleted_leads_go_to_the_recycle_bin_and_managers_restore_them() {
    let app = TestApp::spawn().await;
    let (staff, _) = app.login_as("s", Role::Staff).await;
    let (manager, _) = app.login_as("m", Role::Manager).await;
    let id = new_lead(&app, &staff, "回收站测试有限公司", 2).await;
    let (status, _) = app.call(&staff, "leads/delete", &[("id", &id)]).await;
    assert_eq!(status, 200);
    let (status, _) = app.call(&staff, "leads/get", &[("id", &id)]).await;
    assert_eq!(status, 404);
    let (_, list) = app.call(&manager, "leads/list", &[]).await;
    assert_eq!(list["total"], 0, "gone from lists");
    let (status, _) = app.call(&staff, "leads/trash", &[]).await;
    assert_eq!(status, 403, "staff cannot open the bin");
    let (status, _) = app.call(&staff, "leads/restore", &[("id", &id)]).await;
    assert_eq!(status, 403);
    let (_, bin) = app.call(&manager, "leads/trash", &[]).await;
    assert_eq!(bin[0]["company_name"], "回收站测试有限公司");
    assert_eq!(bin[0]["deleted_by"], "s 测试");
    let (status, _) = app.call(&manager, "leads/restore", &[("id", &id)]).await;
    assert_eq!(status, 200);
    let (status, lead) = app.call(&staff, "leads/get", &[("id", &id)]).await;
    assert_eq!(status, 200);
    assert_eq!(lead["company_name"], "回收站测试有限公司", "restored whole");
}

#[tokio::test]
async fn major_projects_by_amount_or_flag_get_a_leader_in_charge() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("m", Role::Manager).await;
    let (staff, staff_id) = app.login_as("s", Role::Staff).await;
    let (leader, leader_id) = app.login_as("boss", Role::Leader).await;
    let _ = leader;
    let big = new_lead(&app, &manager, "一亿元项目有限公司", 3).await; // 1.2亿 in lead_fields
    let (_, m) = app.call(&manager, "leads/major", &[("id", &big)]).await;
    assert_eq!(m["is_major"], true);
    assert_eq!(m["by_amount"], true);

    let small_code = uscc("320115", 4);
    let mut small = lead_fields("小项目有限公司", &small_code);
    for (k, v) in small.iter_mut() {
        if *k == "form[planned_investment]" {
            *v = "800";
        }
    }
    let (_, small_id) = app.call(&manager, "leads/save", &small).await;
    let small_id = small_id.as_i64().unwrap().to_string();
    let (_, m) = app.call(&manager, "leads/major", &[("id", &small_id)]).await;
    assert_eq!(m["is_major"], false);
    let leader_s = leader_id.to_string();
    let fields = [
        ("id", small_id.as_str()),
        ("form[flagged]", "true"),
        ("form[leader_in_charge_id]", leader_s.as_str()),
        ("form[lead_department]", "经济发展局"),
    ];
    let (status, _) = app.call(&staff, "leads/set-major", &fields).await;
    assert_eq!(status, 403, "only managers flag major projects");
    let (status, body) = app.call(&manager, "leads/set-major", &fields).await;
    assert_eq!(status, 200, "{body}");
    let (_, m) = app.call(&manager, "leads/major", &[("id", &small_id)]).await;
    assert_eq!(m["is_major"], true);
    assert_eq!(m["leader_in_charge"], "boss 测试");
    assert_eq!(m["lead_department"], "经济发展局");
    // A 包保领导 is a leader or a manager: a staff member (or the administrator) is refused, and
    // the form offers leaders and managers only.
    let staff_id = staff_id.to_string();
    let by_staff = [("id", small_id.as_str()), ("form[leader_in_charge_id]", staff_id.as_str())];
    let (status, body) = app.call(&manager, "leads/set-major", &by_staff).await;
    assert_eq!((status, body["Invalid"][0]["field"].as_str()), (422, Some("leader_in_charge_id")), "{body}");
    let (_, offered) = app.call(&manager, "users/in-charge", &[]).await;
    let names: Vec<&str> = offered.as_array().unwrap().iter().filter_map(|o| o["display_name"].as_str()).collect();
    assert!(names.contains(&"boss 测试") && !names.contains(&"s 测试"), "{names:?}");

    // The list (and board) can show only major projects: by amount or by flag.
    new_lead(&app, &manager, "另一亿元项目有限公司", 7).await; // 1.2亿: major by amount
    let other_code = uscc("320115", 8);
    let mut other = lead_fields("普通项目有限公司", &other_code);
    for (k, v) in other.iter_mut() {
        if *k == "form[planned_investment]" {
            *v = "500";
        }
    }
    app.call(&manager, "leads/save", &other).await;
    let (_, list) = app.call(&manager, "leads/list", &[("filter[major]", "true"), ("filter[sort]", "name")]).await;
    let names: Vec<&str> =
        list["rows"].as_array().unwrap().iter().map(|r| r["company_name"].as_str().unwrap()).collect();
    assert_eq!(list["total"], 3, "{names:?}");
    assert!(names.contains(&"小项目有限公司") && !names.contains(&"普通项目有限公司"));
    let (_, page) = app.page(&manager, "/leads?major=1").await;
    assert!(page.contains("小项目有限公司") && !page.contains("普通项目有限公司"));
}

#[tokio::test]
async fn the_problem_list_filters_and_puts_overdue_items_first() {
    let app = TestApp::spawn().await;
    let (staff, _) = app.login_as("s", Role::Staff).await;
    let (manager, _) = app.login_as("m", Role::Manager).await;
    let a = new_lead(&app, &staff, "问题甲有限公司", 5).await;
    let b = new_lead(&app, &staff, "问题乙有限公司", 6).await;
    let past = (chrono::Utc::now() - chrono::Duration::days(5)).format("%Y-%m-%d").to_string();
    let future = (chrono::Utc::now() + chrono::Duration::days(20)).format("%Y-%m-%d").to_string();
    for (lead, category, deadline, text) in [
        (&a, "land", future.as_str(), "用地指标未落实"),
        (&b, "environment", past.as_str(), "环评批复延迟"),
        (&a, "approval", "", "备案材料不全"),
    ] {
        let (status, body) = app
            .call(
                &staff,
                "problems/create",
                &[
                    ("lead_id", lead.as_str()),
                    ("form[category]", category),
                    ("form[description]", text),
                    ("form[department]", "自然资源局"),
                    ("form[deadline]", deadline),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }
    let (status, body) =
        app.call(&staff, "problems/create", &[("lead_id", a.as_str()), ("form[category]", "land")]).await;
    assert_eq!(status, 422);
    assert_eq!(body["Invalid"][0]["field"], "description");

    let (_, all) = app.call(&manager, "problems/list", &[]).await;
    let texts: Vec<&str> = all["rows"].as_array().unwrap().iter().map(|p| p["description"].as_str().unwrap()).collect();
    assert_eq!(texts, ["环评批复延迟", "用地指标未落实", "备案材料不全"], "overdue first, then by deadline");
    assert_eq!(all["rows"][0]["overdue"], true);
    assert_eq!((all["total"].as_u64(), all["page"].as_u64(), all["pages"].as_u64()), (Some(3), Some(1), Some(1)));
    let (_, land) = app.call(&manager, "problems/list", &[("filter[category]", "land")]).await;
    assert_eq!(land["rows"].as_array().unwrap().len(), 1);
    let (_, overdue) = app.call(&manager, "problems/list", &[("filter[overdue]", "true")]).await;
    assert_eq!(overdue["rows"].as_array().unwrap().len(), 1);

    // Solving it takes it off the overdue list, with the update recorded.
    let pid = all["rows"][0]["id"].to_string();
    let (status, _) = app
        .call(&staff, "problems/update", &[("problem_id", &pid), ("status", "solved"), ("note", "已取得批复")])
        .await;
    assert_eq!(status, 200);
    let (_, overdue) = app.call(&manager, "problems/list", &[("filter[overdue]", "true")]).await;
    assert!(overdue["rows"].as_array().unwrap().is_empty());
    let (_, solved) = app.call(&manager, "problems/list", &[("filter[status]", "solved")]).await;
    assert_eq!(solved["rows"][0]["updates"][0]["note"], "已取得批复");
    // Solved, it goes after those still to solve, though its deadline is the earliest.
    let (_, all) = app.call(&manager, "problems/list", &[]).await;
    let texts: Vec<&str> = all["rows"].as_array().unwrap().iter().map(|p| p["description"].as_str().unwrap()).collect();
    assert_eq!(texts, ["用地指标未落实", "备案材料不全", "环评批复延迟"], "the solved last");
    let (status, page) = app.page(&manager, "/problems?category=land").await;
    assert_eq!(status, 200);
    assert!(page.contains("用地指标未落实") && !page.contains("备案材料不全"));
    // Changed by a plain form post (the page's own form): back at that problem's row, not at the
    // top of the list.
    let next = all["rows"][1]["id"].to_string();
    let fields = [("problem_id", next.as_str()), ("status", "in_progress"), ("note", "已联系自然资源局")];
    let (status, to) = crate::plain_forms::plain_post(&app, &manager, "problems/update", "/problems", &fields).await;
    assert!((300..400).contains(&status) && to == format!("/problems#problem-{next}"), "{status} {to}");
    let (_, page) = app.page(&manager, "/problems").await;
    assert!(page.contains(&format!(r#"id="problem-{next}""#)) && page.contains("已联系自然资源局"));
    assert!(!page.contains(r#"id="problem-said""#), "still on the page: nothing to say");
    // Solved from the 待办 list, it leaves it: the list says so, once.
    let open = all["rows"][0]["id"].to_string();
    let fields = [("problem_id", open.as_str()), ("status", "solved"), ("note", "")];
    let (_, to) =
        crate::plain_forms::plain_post(&app, &manager, "problems/update", "/problems?status=open", &fields).await;
    assert_eq!(to, format!("/problems?status=open#problem-{open}"));
    let (_, page) = app.page(&manager, "/problems?status=open").await;
    assert!(page.contains(r#"id="problem-said""#) && page.contains("已将问题标记为「已解决」"), "{page}");
    let (_, page) = app.page(&manager, "/problems?status=open").await;
    assert!(!page.contains(r#"id="problem-said""#), "said once");

    // Another staff member sees none of them.
    let (other, _) = app.login_as("o", Role::Staff).await;
    let (_, none) = app.call(&other, "problems/list", &[]).await;
    assert!(none["rows"].as_array().unwrap().is_empty());
    assert_eq!(none["total"], 0);
}

#[tokio::test]
async fn the_problem_list_comes_in_pages_and_the_export_holds_them_all() {
    use app::wire::problems::PROBLEMS_PER_PAGE;
    let app = TestApp::spawn().await;
    let (staff, _) = app.login_as("s", Role::Staff).await;
    let (manager, _) = app.login_as("m", Role::Manager).await;
    let lead = new_lead(&app, &staff, "问题多多有限公司", 5).await;
    let past = (chrono::Utc::now() - chrono::Duration::days(3)).format("%Y-%m-%d").to_string();
    let n = PROBLEMS_PER_PAGE + 3;
    for i in 0..n {
        // The last one made is the only overdue one: it leads page 1 whatever its id.
        let deadline = if i == n - 1 { past.clone() } else { format!("2099-01-{:02}", 1 + i % 28) };
        let text = format!("第{i}号问题");
        let fields = [
            ("lead_id", lead.as_str()),
            ("form[category]", "land"),
            ("form[description]", text.as_str()),
            ("form[deadline]", deadline.as_str()),
        ];
        let (status, body) = app.call(&staff, "problems/create", &fields).await;
        assert_eq!(status, 200, "{body}");
    }
    let (_, first) = app.call(&manager, "problems/list", &[]).await;
    assert_eq!((first["total"].as_u64(), first["page"].as_u64(), first["pages"].as_u64()), (Some(n), Some(1), Some(2)));
    assert_eq!(first["rows"].as_array().unwrap().len() as u64, PROBLEMS_PER_PAGE);
    assert_eq!(first["rows"][0]["description"], format!("第{}号问题", n - 1), "overdue first, across pages");
    let (_, second) = app.call(&manager, "problems/list", &[("filter[page]", "2")]).await;
    let rows = second["rows"].as_array().unwrap();
    assert_eq!((rows.len(), second["page"].as_u64()), (3, Some(2)));
    // Deadlines run on across the pages (2099-01-26 … 2099-01-28 last).
    let deadlines = |v: &serde_json::Value| -> Vec<String> {
        v["rows"].as_array().unwrap().iter().map(|p| p["deadline"].as_str().unwrap_or("").to_string()).collect()
    };
    let mut all = deadlines(&first);
    all.extend(deadlines(&second));
    let mut sorted = all[1..].to_vec();
    sorted.sort();
    assert_eq!(all[1..], sorted[..], "by deadline after the overdue one");
    let ids: std::collections::HashSet<String> =
        first["rows"].as_array().unwrap().iter().chain(rows).map(|p| p["id"].to_string()).collect();
    assert_eq!(ids.len() as u64, n, "no problem on both pages, none left out");
    // A page past the last shows the last.
    let (_, past_end) = app.call(&manager, "problems/list", &[("filter[page]", "9")]).await;
    assert_eq!(past_end["page"], 2);

    // The page says which page of how many and links to the one before.
    let (status, page) = app.page(&manager, "/problems?page=2").await;
    assert_eq!(status, 200);
    assert!(page.contains(&format!("共 {n} 条 · 第 2/2 页")), "the summary");
    assert!(page.contains(r#"href="/problems" rel="prev""#), "a link back to page 1");
    let (_, page) = app.page(&manager, "/problems?category=land").await;
    assert!(page.contains(r#"href="/problems?category=land&amp;page=2" rel="next""#), "the next page keeps the filter");
    // The export is every problem, not a page.
    let csv = manager.get(app.url("/problems/export.csv?page=2")).send().await.unwrap().text().await.unwrap();
    assert_eq!(csv.matches("号问题").count() as u64, n, "{csv}");
}
