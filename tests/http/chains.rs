use app::domain::role::Role;
use lianzhao_tests::{lead_fields, uscc, TestApp};
use serde_json::{json, Value};

pub(crate) async fn new_chain(app: &TestApp, client: &reqwest::Client) -> i64 {
    let (status, body) = app
        .call(
            client,
            "chains/create",
            &[
                ("form[name_zh]", "测试传感器产业链"),
                ("form[industry]", "smart_manufacturing"),
                ("form[description]", "测试"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body.as_i64().unwrap()
}

pub(crate) async fn new_node(app: &TestApp, client: &reqwest::Client, chain: i64, name: &str, position: &str) -> i64 {
    let chain = chain.to_string();
    let (status, body) = app
        .call(
            client,
            "chains/add-node",
            &[("form[chain_id]", &chain), ("form[name_zh]", name), ("form[position]", position)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body.as_i64().unwrap()
}

pub(crate) async fn map(app: &TestApp, client: &reqwest::Client, chain: i64) -> Value {
    let (status, body) = app.call(client, "chains/map", &[("id", &chain.to_string())]).await;
    assert_eq!(status, 200, "{body}");
    body
}

pub(crate) fn node(map: &Value, id: i64) -> &Value {
    map["nodes"].as_array().unwrap().iter().find(|n| n["id"] == id).unwrap()
}

pub(crate) async fn lead(app: &TestApp, client: &reqwest::Client, name: &str, seed: u32) -> i64 {
    let (status, body) = app.call(client, "leads/save", &lead_fields(name, &uscc("320115", seed))).await;
    assert_eq!(status, 200, "{body}");
    body.as_i64().unwrap()
}

pub(crate) async fn get(app: &TestApp, client: &reqwest::Client, id: i64) -> Value {
    let (status, body) = app.call(client, "leads/get", &[("id", &id.to_string())]).await;
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test]
async fn every_database_starts_with_five_seeded_chains_of_six_to_twelve_nodes() {
    let app = TestApp::spawn().await;
    let (client, _) = app.login_as("m", Role::Manager).await;
    let (status, chains) = app.call(&client, "chains/list", &[]).await;
    assert_eq!(status, 200);
    let chains = chains.as_array().unwrap();
    assert!(chains.len() >= 5);
    for c in chains {
        let n = c["nodes"].as_u64().unwrap();
        assert!((6..=12).contains(&n), "{c}");
        assert_eq!(c["gaps"], c["nodes"], "nothing is covered in an empty zone");
    }
    let (status, page) = app.page(&client, "/chains").await;
    assert_eq!(status, 200);
    assert!(page.contains("5G 与电子通信产业链"));
}

#[tokio::test]
async fn managers_edit_chains_and_staff_and_leaders_cannot() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("m", Role::Manager).await;
    let (staff, _) = app.login_as("s", Role::Staff).await;
    let (leader, _) = app.login_as("l", Role::Leader).await;
    let chain = new_chain(&app, &manager).await;
    let node_id = new_node(&app, &manager, chain, "MEMS 传感器", "upstream").await;

    for client in [&staff, &leader] {
        let (status, _) =
            app.call(client, "chains/create", &[("form[name_zh]", "x"), ("form[industry]", "other")]).await;
        assert_eq!(status, 403);
        let (status, _) = app
            .call(
                client,
                "chains/add-node",
                &[("form[chain_id]", &chain.to_string()), ("form[name_zh]", "y"), ("form[position]", "upstream")],
            )
            .await;
        assert_eq!(status, 403);
        let (status, _) = app
            .call(client, "chains/add-enterprise", &[("form[node_id]", &node_id.to_string()), ("form[name]", "z")])
            .await;
        assert_eq!(status, 403);
        let (status, _) = app.call(client, "chains/delete-node", &[("id", &node_id.to_string())]).await;
        assert_eq!(status, 403);
    }
    // Bad input is reported by field.
    let (status, body) = app
        .call(
            &manager,
            "chains/add-node",
            &[("form[chain_id]", &chain.to_string()), ("form[name_zh]", " "), ("form[position]", "sideways")],
        )
        .await;
    assert_eq!(status, 422);
    let fields: Vec<&str> = body["Invalid"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["name_zh", "position"]);
    let (status, _) = app
        .call(
            &staff,
            "chains/update-node",
            &[("id", &node_id.to_string()), ("form[name_zh]", "改名"), ("form[position]", "upstream")],
        )
        .await;
    assert_eq!(status, 403);
    let (status, body) = app
        .call(
            &manager,
            "chains/update-node",
            &[("id", &node_id.to_string()), ("form[name_zh]", "MEMS 惯性传感器"), ("form[position]", "midstream")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    // Everyone reads the map.
    let m = map(&app, &staff, chain).await;
    assert_eq!(node(&m, node_id)["name"]["zh"], "MEMS 惯性传感器");
    assert_eq!(node(&m, node_id)["position"], "midstream");
    assert_eq!(m["can_edit"], false);
    assert_eq!(node(&m, node_id)["is_gap"], true);
    // Deleting a node works for managers.
    let (status, _) = app.call(&manager, "chains/delete-node", &[("id", &node_id.to_string())]).await;
    assert_eq!(status, 200);
    assert!(map(&app, &manager, chain).await["nodes"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn gaps_close_when_an_enterprise_or_a_landed_project_arrives() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("m", Role::Manager).await;
    let chain = new_chain(&app, &manager).await;
    let covered = new_node(&app, &manager, chain, "压力传感器", "upstream").await;
    let open = new_node(&app, &manager, chain, "惯性传感器", "midstream").await;
    let (status, body) = app
        .call(
            &manager,
            "chains/add-enterprise",
            &[
                ("form[node_id]", &covered.to_string()),
                ("form[name]", "钢城传感股份有限公司"),
                ("form[is_leader]", "true"),
                ("form[grade]", "A"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");

    let m = map(&app, &manager, chain).await;
    assert_eq!(node(&m, covered)["is_gap"], false);
    assert_eq!(node(&m, covered)["enterprises"][0]["name"], "钢城传感股份有限公司");
    assert_eq!(node(&m, open)["is_gap"], true);

    // Two leads on the open node: both are gap candidates, best score first.
    let strong = lead(&app, &manager, "惯导科技有限公司", 1).await;
    let weak = lead(&app, &manager, "小惯性器件有限公司", 2).await;
    for (id, role) in [(strong, "leader"), (weak, "plain")] {
        let (status, body) = app
            .call(
                &manager,
                "leads/place",
                &[("lead_id", &id.to_string()), ("node_id", &open.to_string()), ("role", role)],
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }
    let (_, gaps) = app.call(&manager, "chains/gaps", &[]).await;
    let gap = gaps.as_array().unwrap().iter().find(|g| g["node_id"] == open).expect("open node is a gap");
    let candidates: Vec<i64> =
        gap["candidates"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect();
    assert_eq!(candidates, [strong, weak], "best first");
    assert!(gaps.as_array().unwrap().iter().all(|g| g["node_id"] != covered));
    let m = map(&app, &manager, chain).await;
    assert_eq!(node(&m, open)["open_leads"], 2);

    let before_weak = get(&app, &manager, weak).await["score"]["fit"]["score"].as_f64().unwrap();
    // The strong lead signs: its node is covered for everyone else, so the weak lead no longer
    // fills a gap and is rescored; the strong lead keeps its own gap credit.
    let (status, body) = app
        .call(
            &manager,
            "pipeline/move",
            &[
                ("lead_id", &strong.to_string()),
                ("form[to]", "signed"),
                ("form[comment]", "直接签约"),
                ("form[signed_investment]", "2亿"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, gaps) = app.call(&manager, "chains/gaps", &[]).await;
    assert!(gaps.as_array().unwrap().iter().all(|g| g["node_id"] != open), "gap closed by a landed project");
    let weak_now = get(&app, &manager, weak).await;
    assert!(weak_now["score"]["fit"]["score"].as_f64().unwrap() < before_weak);
    assert_eq!(weak_now["placements"][0]["is_gap"], false);
    let strong_now = get(&app, &manager, strong).await;
    assert_eq!(strong_now["placements"][0]["is_gap"], true);

    let (status, page) = app.page(&manager, "/gaps").await;
    assert_eq!(status, 200);
    assert!(!page.contains("惯性传感器") || !page.contains("小惯性器件有限公司"));

    // The signed lead goes to the recycle bin: the map no longer shows it, so it covers nothing
    // and the gap is open again, for the weak lead's score too; restoring it closes the gap.
    let (status, body) = app.call(&manager, "leads/delete", &[("id", &strong.to_string())]).await;
    assert_eq!(status, 200, "{body}");
    let m = map(&app, &manager, chain).await;
    assert_eq!((node(&m, open)["is_gap"].clone(), node(&m, open)["landed"].clone()), (json!(true), json!(0)));
    let (_, gaps) = app.call(&manager, "chains/gaps", &[]).await;
    assert!(gaps.as_array().unwrap().iter().any(|g| g["node_id"] == open), "a deleted landing fills no gap");
    let weak_then = get(&app, &manager, weak).await;
    assert_eq!(weak_then["placements"][0]["is_gap"], true);
    assert_eq!(weak_then["score"]["fit"]["score"].as_f64(), Some(before_weak), "rescored when the landing left");
    let (status, body) = app.call(&manager, "leads/restore", &[("id", &strong.to_string())]).await;
    assert_eq!(status, 200, "{body}");
    let m = map(&app, &manager, chain).await;
    assert_eq!((node(&m, open)["is_gap"].clone(), node(&m, open)["landed"].clone()), (json!(false), json!(1)));
    assert_eq!(get(&app, &manager, weak).await["placements"][0]["is_gap"], false);
}

/// Saving or viewing one lead reads only its own nodes' coverage: on the demo map (enterprises,
/// leaders, landed projects, leads on several nodes) it must decide every lead exactly as the
/// whole map does.
#[tokio::test]
async fn one_leads_coverage_agrees_with_the_whole_map() {
    use app::backend::entities::{lead, lead_node};
    use app::backend::services::coverage::Coverage;
    use app::backend::services::scoring::{input_for, ScoreFacts};
    use sea_orm::EntityTrait;
    let app = TestApp::spawn().await;
    app::backend::services::demo::seed(&app.db, 300).await.expect("demo data");
    let whole = Coverage::load(&app.db).await.expect("coverage");
    let placements = lead_node::Entity::find().all(&app.db).await.expect("placements");
    let (mut placed, mut nodes, mut gaps, mut leaders) = (0, 0, 0, 0);
    for l in lead::Entity::find().all(&app.db).await.expect("leads") {
        let own: Vec<_> = placements.iter().filter(|p| p.lead_id == l.id).cloned().collect();
        let scoped = Coverage::for_placements(&app.db, &own).await.expect("scoped coverage");
        let facts = ScoreFacts::from(&l);
        let expected = input_for(&facts, &own, &whole);
        assert_eq!(input_for(&facts, &own, &scoped), expected, "lead {}", l.id);
        placed += usize::from(!own.is_empty());
        nodes += expected.nodes.len();
        gaps += expected.nodes.iter().filter(|n| n.is_gap).count();
        leaders += expected.nodes.iter().filter(|n| n.supplies_local_leader).count();
    }
    // The demo map exercises every branch: placed leads, gaps and covered nodes, leaders.
    assert!(placed > 20 && gaps > 0 && leaders > 0, "placed {placed}, gaps {gaps}, leaders {leaders}");
    assert!(nodes > gaps, "some placements are on covered nodes: {nodes} placements, {gaps} gaps");
}

/// 配套: the lead page offers the 链主 by name (a datalist, not a list of the whole registry), and
/// a supplier is placed by the enterprise's full name as typed; an unknown name is refused at the
/// field.
#[tokio::test]
async fn a_supplier_is_placed_by_the_enterprise_name_it_supplies() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("m", Role::Manager).await;
    let chain = new_chain(&app, &manager).await;
    let node = new_node(&app, &manager, chain, "电机控制器", "midstream").await;
    // Names are not unique: an ordinary enterprise of the 链主's name came first.
    for (name, leader) in
        [("链主电驱股份有限公司", "false"), ("链主电驱股份有限公司", "true"), ("普通配件有限公司", "false")]
    {
        let fields = [
            ("form[node_id]", node.to_string()),
            ("form[name]", name.to_string()),
            ("form[is_leader]", leader.to_string()),
            ("form[grade]", "A".to_string()),
        ];
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, body) = app.call(&manager, "chains/add-enterprise", &fields).await;
        assert_eq!(status, 200, "{body}");
    }
    let id = lead(&app, &manager, "配套电机有限公司", 7).await;
    let place = |supplies: &'static str| {
        let (id, node) = (id.to_string(), node.to_string());
        let (app, manager) = (&app, &manager);
        async move {
            let fields =
                [("lead_id", id.as_str()), ("node_id", node.as_str()), ("role", "supplier"), ("supplies", supplies)];
            app.call(manager, "leads/place", &fields).await
        }
    };
    let (status, body) = place("没有这家企业").await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        (body["Invalid"][0]["field"].as_str(), body["Invalid"][0]["key"].as_str()),
        (Some("supplies"), Some("err.chain.no_enterprise"))
    );
    assert!(get(&app, &manager, id).await["placements"].as_array().unwrap().is_empty(), "nothing placed");
    let (status, body) = place("★ 链主电驱股份有限公司").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(get(&app, &manager, id).await["placements"][0]["supplies"], "链主电驱股份有限公司");
    {
        use app::backend::entities::{enterprise, lead_node};
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let leader = enterprise::Entity::find().filter(enterprise::Column::IsLeader.eq(true)).one(&app.db).await;
        let placed = lead_node::Entity::find().filter(lead_node::Column::LeadId.eq(id)).one(&app.db).await;
        assert_eq!(placed.unwrap().unwrap().supplies_enterprise_id, Some(leader.unwrap().unwrap().id), "the 链主");
    }

    let (status, html) = app.page(&manager, &format!("/leads/{id}")).await;
    assert_eq!(status, 200);
    let datalist = html.split("<datalist id=\"place-supplies-list\">").nth(1).expect("the 链主 datalist");
    let datalist = datalist.split("</datalist>").next().unwrap_or_default();
    assert!(datalist.contains("链主电驱股份有限公司") && !datalist.contains("普通配件有限公司"), "{datalist}");

    // The chain map takes a known enterprise the same way: by its full name as offered (★ for a
    // 链主), from one list for the page rather than a select of the registry in every node.
    let other = new_node(&app, &manager, chain, "整车装配", "downstream").await;
    let add = |picked: &'static str| {
        let other = other.to_string();
        let (app, manager) = (&app, &manager);
        async move {
            let fields = [("form[node_id]", other.as_str()), ("form[enterprise_id]", picked)];
            app.call(manager, "chains/add-enterprise", &fields).await
        }
    };
    let (status, body) = add("没有这家企业").await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        (body["Invalid"][0]["field"].as_str(), body["Invalid"][0]["key"].as_str()),
        (Some("enterprise_id"), Some("err.chain.no_enterprise"))
    );
    // A known name and a new enterprise's name both filled in: refused, nothing added.
    let both = [
        ("form[node_id]", other.to_string()),
        ("form[enterprise_id]", "★ 链主电驱股份有限公司".to_string()),
        ("form[name]", "另一家新企业有限公司".to_string()),
    ];
    let both: Vec<(&str, &str)> = both.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = app.call(&manager, "chains/add-enterprise", &both).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        (body["Invalid"][0]["field"].as_str(), body["Invalid"][0]["key"].as_str()),
        (Some("enterprise_id"), Some("err.chain.known_or_new"))
    );
    // A grade or the 链主 box beside a known enterprise (which keeps its own): refused too.
    for (field, value) in [("form[grade]", "C"), ("form[is_leader]", "true")] {
        let fields = [
            ("form[node_id]", other.to_string()),
            ("form[enterprise_id]", "★ 链主电驱股份有限公司".to_string()),
            (field, value.to_string()),
        ];
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, body) = app.call(&manager, "chains/add-enterprise", &fields).await;
        assert_eq!((status, body["Invalid"][0]["key"].as_str()), (422, Some("err.chain.known_or_new")), "{field}");
    }
    // An unticked box (a script sends `false`) says nothing: the known enterprise is added.
    let fields = [
        ("form[node_id]", other.to_string()),
        ("form[enterprise_id]", "★ 链主电驱股份有限公司".to_string()),
        ("form[is_leader]", "false".to_string()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = app.call(&manager, "chains/add-enterprise", &fields).await;
    assert_eq!(status, 200, "{body}");
    let m = map(&app, &manager, chain).await;
    let on_other: Vec<(&str, bool)> = super::chains::node(&m, other)["enterprises"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["name"].as_str().unwrap(), e["is_leader"].as_bool().unwrap()))
        .collect();
    assert_eq!(on_other, [("链主电驱股份有限公司", true)], "the 链主 of that name, not a new enterprise");
    let (status, html) = app.page(&manager, &format!("/chains/{chain}")).await;
    assert_eq!(status, 200);
    assert_eq!(html.matches("<datalist id=\"chain-enterprise-list\"").count(), 1, "one list for the page");
    assert!(html.contains("<option value=\"★ 链主电驱股份有限公司\"") && html.contains("普通配件有限公司"));
    assert_eq!(html.matches("list=\"chain-enterprise-list\"").count(), 2, "each node's form offers it");
    assert!(!html.contains("<select name=\"form[enterprise_id]\""));
}
