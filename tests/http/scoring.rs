//! The fit score (契合度) as readers see it: its breakdown on the lead page, a weight change that
//! is versioned and rescores every lead, and a full rescore racing a landing on a chain's gap.

use crate::chains::{get, lead, new_chain, new_node};
use app::domain::role::Role;
use lianzhao_tests::{lead_fields, uscc, TestApp};

#[tokio::test]
async fn the_lead_page_shows_the_score_with_its_breakdown() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("m", Role::Manager).await;
    let code = uscc("320115", 7);
    let mut fields = lead_fields("南京芯通微电子有限公司", &code);
    fields.extend([
        ("form[land_mu]", "50"),
        ("form[annual_tax]", "1200"),
        ("form[high_tech]", "yes"),
        ("form[specialised]", "no"),
        ("form[listed]", "no"),
        ("form[energy_use]", "low"),
    ]);
    let (status, body) = app.call(&manager, "leads/save", &fields).await;
    assert_eq!(status, 200, "{body}");
    let id = body.as_i64().unwrap();
    let detail = get(&app, &manager, id).await;
    let fit = &detail["score"]["fit"];
    assert_eq!(detail["score"]["version"], 1);
    let factors: Vec<&str> = fit["factors"].as_array().unwrap().iter().map(|f| f["key"].as_str().unwrap()).collect();
    assert_eq!(factors, ["industry", "chain", "scale", "land", "innovation", "region", "energy"]);
    let chain = &fit["factors"][1];
    assert_eq!(chain["unknown"], true, "not placed yet: unknown, visibly");
    // 12,000 万元 on 50 亩 = 240 万元/亩; 1,200 万元 tax = 24 万元/亩.
    assert_eq!(fit["factors"][3]["raw"], "score.raw.land");
    assert_eq!(fit["factors"][3]["raw_args"], serde_json::json!([["intensity", "240"], ["tax", "24"]]));
    let (status, page) = app.page(&manager, &format!("/leads/{id}")).await;
    assert_eq!(status, 200);
    for text in [
        "3+1 契合度",
        "产业契合",
        "首位产业电子通信",
        // The figures once (beside the factor), the reason the standards they are held to.
        "投资强度 240，亩均税收 24（万元/亩）",
        "对照标准地：投资强度 300 万元/亩、亩均税收",
        "未知（缺数据）",
        "南京都市圈",
    ] {
        assert!(page.contains(text), "lead page lacks {text}");
    }
    assert!(!page.contains("投资强度 240 万元/亩"), "the figure said twice");
    // The list sorts by score and filters by grade.
    let grade = fit["grade"].as_str().unwrap().to_string();
    let (_, list) = app.call(&manager, "leads/list", &[("filter[grade]", &grade), ("filter[sort]", "-score")]).await;
    assert_eq!(list["rows"][0]["id"], id);
    assert_eq!(list["rows"][0]["grade"], grade.as_str());
    let other = if grade == "D" { "A" } else { "D" };
    let (_, list) = app.call(&manager, "leads/list", &[("filter[grade]", other)]).await;
    assert_eq!(list["total"], 0);
}

#[tokio::test]
async fn changing_the_weights_is_versioned_and_rescores_every_lead() {
    let app = TestApp::spawn().await;
    let (admin, _) = app.login_as("root", Role::Admin).await;
    let (manager, _) = app.login_as("m", Role::Manager).await;
    let (staff, _) = app.login_as("s", Role::Staff).await;
    let first = lead(&app, &manager, "重评分一号有限公司", 11).await;
    let second = lead(&app, &staff, "重评分二号有限公司", 12).await;
    let before = get(&app, &manager, first).await["score"]["fit"]["score"].as_f64().unwrap();

    let (status, page) = app.call(&admin, "scoring/settings", &[]).await;
    assert_eq!(status, 200);
    let mut fields: Vec<(String, String)> = Vec::new();
    for (path, value) in [
        ("weights.industry", "60"),
        ("weights.chain", "20"),
        ("weights.scale", "20"),
        ("weights.land", "15"),
        ("weights.innovation", "10"),
        ("weights.region", "10"),
        ("weights.energy_penalty", "10"),
        ("thresholds.intensity_wan_per_mu", "300"),
        ("thresholds.tax_wan_per_mu", "20"),
        ("thresholds.major_project_wan", "10000"),
        ("thresholds.scale_full_wan", "50000"),
        ("grades.a", "80"),
        ("grades.b", "65"),
        ("grades.c", "50"),
    ] {
        fields.push((format!("form[values][{path}]"), value.to_string()));
    }
    fields.push(("form[note]".into(), "首位产业加权".into()));
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();

    // Only admins change weights.
    for client in [&manager, &staff] {
        let (status, _) = app.call(client, "scoring/save", &refs).await;
        assert_eq!(status, 403);
    }
    let (status, report) = app.call(&admin, "scoring/save", &refs).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["version"], 2);
    assert_eq!(report["rescored"], 2);

    for id in [first, second] {
        let lead = get(&app, &manager, id).await;
        assert_eq!(lead["score"]["version"], 2, "every lead rescored with the new version");
    }
    let after = get(&app, &manager, first).await["score"]["fit"]["score"].as_f64().unwrap();
    assert!(after > before, "electronic comms weighs more now: {before} → {after}");
    let (_, list) = app.call(&manager, "leads/list", &[("filter[sort]", "-score")]).await;
    assert_eq!(list["rows"][0]["score"].as_f64().unwrap(), after, "the list reads the stored score");

    let (_, page2) = app.call(&manager, "scoring/settings", &[]).await;
    assert_eq!(page2["can_edit"], false);
    let newest = &page2["history"][0];
    assert_eq!(newest["version"], 2);
    assert_eq!(newest["created_by"], "root 测试");
    assert_eq!(newest["note"], "首位产业加权");
    assert_eq!(newest["changes"][0]["field"], "weights.industry");
    assert_eq!(newest["changes"][0]["old"], "25");
    assert_eq!(newest["changes"][0]["new"], "60");
    assert_eq!(page["version"], 1);

    // A bad value is refused at its field and nothing changes.
    let mut bad = refs.clone();
    bad[11] = ("form[values][grades.a]", "40");
    let (status, body) = app.call(&admin, "scoring/save", &bad).await;
    assert_eq!(status, 422);
    assert_eq!(body["Invalid"][0]["field"], "grades.a");
    let (_, page3) = app.call(&admin, "scoring/settings", &[]).await;
    assert_eq!(page3["version"], 2);
}

/// A full rescore reads the chains' coverage once, with its first page. A lead that lands on a
/// node meanwhile closes that node's gap and rescores the node's other leads at once, but a page
/// of the full rescore may write them again afterwards with the gap as it was at the start: the
/// rescore's last step reads the coverage again and scores those leads once more.
#[tokio::test]
async fn a_landing_during_a_full_rescore_leaves_no_gap_credit_behind() {
    use app::backend::entities::lead;
    use app::backend::services::coverage::Coverage;
    use app::backend::services::rescore::{rescore_from, Scope};
    use sea_orm::EntityTrait;
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("m", Role::Manager).await;
    let chain = new_chain(&app, &manager).await;
    let open = new_node(&app, &manager, chain, "惯性传感器", "midstream").await;
    let strong = lead(&app, &manager, "惯导科技有限公司", 1).await;
    let weak = lead(&app, &manager, "小惯性器件有限公司", 2).await;
    for id in [strong, weak] {
        let (status, body) = app
            .call(
                &manager,
                "leads/place",
                &[("lead_id", &id.to_string()), ("node_id", &open.to_string()), ("role", "plain")],
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }
    let stored = |id: i64| {
        let db = app.db.clone();
        async move { lead::Entity::find_by_id(id).one(&db).await.expect("read").expect("lead").score }
    };
    let with_gap = stored(weak).await;
    // The rescore starts: its first page reads the map with the node still a gap.
    let at_start = Coverage::load(&app.db).await.expect("coverage");
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
    let without_gap = stored(weak).await;
    assert!(without_gap < with_gap, "the landing rescored the node's other lead: {without_gap:?} < {with_gap:?}");
    // Its pages score with the map of the start; its end finds the node covered now.
    rescore_from(&app.db, Scope::All, Some(at_start)).await.expect("rescore");
    assert_eq!(stored(weak).await, without_gap, "scored again with the node covered");
    let shown = get(&app, &manager, weak).await["score"]["fit"]["score"].as_f64();
    assert_eq!(shown.map(|s| (s * 10.0).round()), without_gap.map(|s| (s * 10.0).round()));
}

/// Every lead rescored in one transaction (SQLite, from `BULK_MIN` leads; here from one): the
/// moved columns' indexes are dropped and built again as the migrations made them, with their
/// statistics, and the scores are those a rescore lead by lead gives.
#[tokio::test]
async fn a_bulk_rescore_builds_the_score_indexes_again_and_scores_as_page_by_page() {
    use app::backend::entities::{lead, score_config};
    use app::backend::services::{demo, rescore, scoring};
    use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, QueryOrder, QuerySelect, Set, Statement};
    let app = TestApp::spawn().await;
    demo::seed(&app.db, 150).await.expect("demo leads");
    let sqlite = app.db.get_database_backend() == sea_orm::DbBackend::Sqlite;
    let rows = |sql: &'static str| {
        let db = app.db.clone();
        async move {
            let rows = db.query_all(Statement::from_string(db.get_database_backend(), sql)).await.expect(sql);
            rows.iter()
                .map(|r| (r.try_get::<String>("", "a").expect("a"), r.try_get::<String>("", "b").unwrap_or_default()))
                .collect::<Vec<_>>()
        }
    };
    let indexes =
        "SELECT name AS a, sql AS b FROM sqlite_master WHERE type = 'index' AND tbl_name = 'leads' ORDER BY name";
    let stats = "SELECT idx AS a, stat AS b FROM sqlite_stat1 WHERE tbl = 'leads' ORDER BY idx";
    // A dropped index's statistics row goes with it and comes back as a new row: its rowid says
    // whether the index was built again.
    let stat_row = "SELECT idx AS a, CAST(rowid AS TEXT) AS b FROM sqlite_stat1 WHERE idx IN \
                    ('idx_leads_score_grade', 'idx_leads_stage_score', 'idx_leads_team') ORDER BY idx";
    if sqlite {
        app.db.execute_unprepared("ANALYZE").await.expect("analyze");
    }
    let (indexes_before, stats_before, rows_before) =
        if sqlite { (rows(indexes).await, rows(stats).await, rows(stat_row).await) } else { Default::default() };
    let scores = || async {
        lead::Entity::find()
            .select_only()
            .columns([lead::Column::Id, lead::Column::Score, lead::Column::Grade, lead::Column::ScoreVersion])
            .order_by_asc(lead::Column::Id)
            .into_tuple::<(i64, Option<f64>, Option<String>, Option<i64>)>()
            .all(&app.db)
            .await
            .expect("scores")
    };
    let before = scores().await;

    // Weight moves from 产业 to 规模 (as an admin would): nearly every score moves.
    let (_, mut config) = scoring::current(&app.db).await.expect("config");
    config.weights.industry -= 15.0;
    config.weights.scale += 15.0;
    score_config::ActiveModel {
        config: Set(serde_json::to_string(&config).expect("json")),
        note: Set("bulk".into()),
        created_by: Set(None),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("new weights");
    let n = rescore::rescore_all_with(&app.db, rescore::Bulk::From(1)).await.expect("bulk rescore");
    assert_eq!(n, before.len() as u64);
    let bulk = scores().await;
    let moved = bulk.iter().zip(&before).filter(|(a, b)| a.1 != b.1).count();
    assert!(moved * 2 > before.len(), "most scores moved: {moved} of {}", before.len());
    // Scored lead by lead again (pages, no index rebuilt): nothing differs.
    rescore::rescore(&app.db, rescore::Scope::All).await.expect("rescore");
    assert_eq!(scores().await, bulk, "the bulk rescore scored as page by page does");
    if sqlite {
        assert_eq!(rows(indexes).await, indexes_before, "every index as the migrations made it");
        // Each index keeps its statistics: a rebuilt one's are put back as they were, not
        // gathered again.
        assert_eq!(rows(stats).await, stats_before, "with its statistics");
        // The score's indexes were built again; one without score or grade was left alone.
        let rows_after = rows(stat_row).await;
        assert_eq!(rows_after.len(), 3, "{rows_after:?}");
        let again: Vec<bool> = rows_after.iter().zip(&rows_before).map(|(a, b)| a.1 != b.1).collect();
        assert_eq!(
            again,
            [true, true, false],
            "idx_leads_score_grade, idx_leads_stage_score rebuilt; idx_leads_team not"
        );
        let plan = app
            .db
            .query_all(Statement::from_string(
                sea_orm::DbBackend::Sqlite,
                "EXPLAIN QUERY PLAN SELECT id FROM leads ORDER BY score DESC LIMIT 50",
            ))
            .await
            .expect("plan");
        let detail: Vec<String> = plan.iter().map(|r| r.try_get::<String>("", "detail").expect("detail")).collect();
        assert!(detail.iter().any(|d| d.contains("idx_leads_score_grade")), "{detail:?}");
    }
    // The list reads them, best first.
    let (manager, _) = app.login_as("bulk-m", Role::Manager).await;
    let (_, list) = app.call(&manager, "leads/list", &[("filter[sort]", "-score")]).await;
    let best = bulk.iter().filter_map(|l| l.1).fold(f64::MIN, f64::max);
    assert_eq!(list["rows"][0]["score"].as_f64(), Some(best), "{list}");
}
