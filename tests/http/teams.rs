//! 招商专班: record access through teams, bulk assignment, the suggestion and the queue.

use app::domain::role::Role;
use lianzhao_tests::{lead_fields, uscc, TestApp};
use serde_json::Value;

pub async fn new_lead(app: &TestApp, client: &reqwest::Client, name: &str, division: &str, seed: u32) -> String {
    let (status, body) = app.call(client, "leads/save", &lead_fields(name, &uscc(division, seed))).await;
    assert_eq!(status, 200, "{body}");
    body.as_i64().expect("lead id").to_string()
}

/// Saves a team; `members` are user ids.
pub async fn save_team(
    app: &TestApp,
    client: &reqwest::Client,
    id: Option<&str>,
    name: &str,
    regions: &str,
    lead_user: Option<i64>,
    members: &[i64],
) -> (u16, Value) {
    let lead = lead_user.map(|l| l.to_string()).unwrap_or_default();
    let keys: Vec<(String, String)> = members.iter().map(|m| (format!("form[members][{m}]"), m.to_string())).collect();
    let mut fields: Vec<(&str, &str)> =
        vec![("form[name]", name), ("form[focus_regions]", regions), ("form[lead_user_id]", &lead)];
    if let Some(id) = id {
        fields.push(("id", id));
    }
    fields.extend(keys.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    app.call(client, "teams/save", &fields).await
}

pub async fn assign(app: &TestApp, client: &reqwest::Client, leads: &[&str], team: &str, owner: &str) -> (u16, Value) {
    let keys: Vec<(String, String)> = leads.iter().map(|l| (format!("lead_ids[{l}]"), l.to_string())).collect();
    let mut fields: Vec<(&str, &str)> = vec![("team_id", team), ("owner_id", owner)];
    fields.extend(keys.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    app.call(client, "assign/leads", &fields).await
}

#[tokio::test]
async fn staff_reach_their_teams_leads_and_team_leads_reassign_within_the_team() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    let (member, member_id) = app.login_as("member", Role::Staff).await;
    let (outsider, _) = app.login_as("outsider", Role::Staff).await;
    let (_, colleague_id) = app.login_as("colleague", Role::Staff).await;
    let lead = new_lead(&app, &manager, "专班可见科技有限公司", "320115", 1).await;

    let (status, team) = save_team(&app, &manager, None, "南京专班", "南京", None, &[member_id, colleague_id]).await;
    assert_eq!(status, 200, "{team}");
    let team = team.as_i64().unwrap().to_string();
    let (status, other_team) = save_team(&app, &manager, None, "深圳专班", "深圳", None, &[]).await;
    assert_eq!(status, 200);
    let other_team = other_team.as_i64().unwrap().to_string();

    // Not yet assigned: only the creator (and managers) reach it.
    assert_eq!(app.call(&member, "leads/get", &[("id", &lead)]).await.0, 404);
    let (status, body) = assign(&app, &manager, &[&lead], &team, "").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["assigned"], 1);
    // The field history (审计) records the team, by name.
    let (status, history) = app.call(&manager, "leads/history", &[("id", &lead)]).await;
    assert_eq!(status, 200, "{history}");
    let change = history.as_array().unwrap().iter().find(|c| c["field"] == "team_id").expect("a team change");
    assert_eq!((change["old"].as_str(), change["new"].as_str()), (Some(""), Some("南京专班")), "{change}");

    // A member of the team reads and works the lead; someone outside is refused by id.
    let (status, detail) = app.call(&member, "leads/get", &[("id", &lead)]).await;
    assert_eq!(status, 200, "{detail}");
    assert_eq!(detail["can_edit"], true);
    let (status, _) = app
        .call(&member, "pipeline/log", &[("lead_id", &lead), ("form[kind]", "call"), ("form[summary]", "电话沟通")])
        .await;
    assert_eq!(status, 200);
    assert_eq!(app.call(&outsider, "leads/get", &[("id", &lead)]).await.0, 404);
    assert_eq!(
        app.call(&outsider, "pipeline/log", &[("lead_id", &lead), ("form[kind]", "call"), ("form[summary]", "x")])
            .await
            .0,
        404
    );
    let (_, list) = app.call(&outsider, "leads/list", &[]).await;
    assert_eq!(list["total"], 0, "{list}");

    // A plain member may not reassign; the team lead may, within the team only.
    let member_str = member_id.to_string();
    let colleague = colleague_id.to_string();
    assert_eq!(assign(&app, &member, &[&lead], &team, &colleague).await.0, 403);
    let (status, targets) = app.call(&member, "assign/targets", &[]).await;
    assert_eq!((status, targets.clone()), (200, serde_json::json!([])), "a plain member assigns nowhere");
    let (status, _) =
        save_team(&app, &manager, Some(&team), "南京专班", "南京", Some(member_id), &[member_id, colleague_id]).await;
    assert_eq!(status, 200);
    // The bulk-assign form offers a team lead their team (with its members, by name), a manager
    // every team, even one without members.
    let (status, targets) = app.call(&member, "assign/targets", &[]).await;
    assert_eq!(status, 200, "{targets}");
    let names = |t: &Value| -> Vec<String> {
        t["members"].as_array().unwrap().iter().map(|m| m[1].as_str().unwrap_or_default().to_string()).collect()
    };
    assert_eq!(targets.as_array().map(Vec::len), Some(1), "{targets}");
    assert_eq!(targets[0]["team_name"], "南京专班");
    assert_eq!(names(&targets[0]), ["colleague 测试", "member 测试"], "{targets}");
    let (_, targets) = app.call(&manager, "assign/targets", &[]).await;
    let mut teams: Vec<&str> = targets.as_array().unwrap().iter().filter_map(|t| t["team_name"].as_str()).collect();
    teams.sort_unstable();
    assert_eq!(teams, ["南京专班", "深圳专班"], "{targets}");
    let (status, body) = assign(&app, &member, &[&lead], &team, &colleague).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(assign(&app, &member, &[&lead], &other_team, "").await.0, 403, "not into another team");
    let (status, body) =
        assign(&app, &manager, &[&lead], &team, &app.create_user("stranger", Role::Staff).await.to_string()).await;
    assert_eq!(status, 422, "the owner must be in the team: {body}");
    assert_eq!(body["Invalid"][0]["field"], "owner_id");
    let (_, detail) = app.call(&manager, "leads/get", &[("id", &lead)]).await;
    assert_eq!(detail["owner_name"], "colleague 测试", "{detail}");
    let _ = member_str;
    // A disabled member is no longer offered; their team still is.
    let (admin, _) = app.login_as("adm", Role::Admin).await;
    let (status, _) = app.call(&admin, "users/set-disabled", &[("id", &colleague), ("disabled", "true")]).await;
    assert_eq!(status, 200);
    let (_, targets) = app.call(&member, "assign/targets", &[]).await;
    assert_eq!(targets[0]["team_name"], "南京专班", "{targets}");
    assert_eq!(names(&targets[0]), ["member 测试"], "{targets}");

    // Only managers and admins create teams.
    assert_eq!(save_team(&app, &member, None, "自建专班", "", None, &[]).await.0, 403);
    let (status, body) = save_team(&app, &manager, None, "南京专班", "", None, &[]).await;
    assert_eq!((status, body["Invalid"][0]["field"].as_str()), (422, Some("name")), "names are unique");
    let (status, body) = save_team(&app, &manager, None, "火星专班", "火星 南京", None, &[]).await;
    assert_eq!(status, 422);
    assert_eq!(body["Invalid"][0]["field"], "focus_regions");
    assert!(body["Invalid"][0]["args"].to_string().contains("火星"), "{body}");
}

#[tokio::test]
async fn bulk_assignment_follows_the_suggestion_and_empties_the_queue() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    let (_, s1) = app.login_as("s1", Role::Staff).await;
    let (_, s2) = app.login_as("s2", Role::Staff).await;
    let (_, s3) = app.login_as("s3", Role::Staff).await;
    let (status, nanjing) = save_team(&app, &manager, None, "南京驻点专班", "南京", None, &[s1, s2]).await;
    assert_eq!(status, 200);
    let (status, shenzhen) = save_team(&app, &manager, None, "深圳驻点专班", "深圳", None, &[s3]).await;
    assert_eq!(status, 200);
    let nanjing = nanjing.as_i64().unwrap();
    let mut leads = Vec::new();
    for i in 0..3 {
        leads.push(new_lead(&app, &manager, &format!("宁链{i}科技有限公司"), "320115", 10 + i).await);
    }
    let sz = new_lead(&app, &manager, "深链科技有限公司", "440305", 20).await;

    let (status, queue) = app.call(&manager, "assign/queue", &[]).await;
    assert_eq!(status, 200, "{queue}");
    let rows = queue.as_array().unwrap();
    assert_eq!(rows.len(), 4);
    let mut nanjing_owners = Vec::new();
    for row in rows {
        let s = &row["suggestion"];
        if row["id"].as_i64().map(|i| i.to_string()).as_deref() == Some(sz.as_str()) {
            assert_eq!(s["team_id"], shenzhen);
            assert_eq!(s["owner_id"], s3);
        } else {
            assert_eq!(s["team_id"], nanjing);
            assert_eq!(s["reasons"][0]["Region"], "320100", "{s}");
            assert!(s["reason_names"][0].as_str().unwrap().contains("南京"));
            nanjing_owners.push(s["owner_id"].as_i64().unwrap());
        }
    }
    // Both have no open leads: the lower id first, then each suggestion counts those above it,
    // so the three spread over the two members instead of all going to one.
    let (lo, hi) = (s1.min(s2), s1.max(s2));
    assert_eq!(nanjing_owners, [lo, hi, lo]);
    let third = rows.iter().filter(|r| r["suggestion"]["team_id"] == nanjing).nth(2).unwrap();
    assert_eq!(third["suggestion"]["reasons"][1]["FewestCounted"], serde_json::json!([0, 1]), "{third}");
    let (_, page) = app.page(&manager, "/leads/unassigned").await;
    assert!(page.contains("另有本页上方建议给该成员的 1 条"), "the page says what was counted");

    let refs: Vec<&str> = leads.iter().map(String::as_str).collect();
    let (status, body) = assign(&app, &manager, &refs, &nanjing.to_string(), &s2.to_string()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["assigned"], 3);
    let (_, queue) = app.call(&manager, "assign/queue", &[]).await;
    assert_eq!(queue.as_array().unwrap().len(), 1);
    assert_eq!(queue[0]["id"].to_string(), sz);

    // s2 now has three open leads: the next Nanjing lead goes to s1.
    let next = new_lead(&app, &manager, "宁链新科技有限公司", "320115", 30).await;
    let (_, s) = app.call(&manager, "assign/suggest", &[("lead_id", &next)]).await;
    assert_eq!(s["owner_id"], s1, "{s}");
    assert_eq!(s["reasons"][1]["FewestOpen"], 0);

    // All or nothing: one lead the team lead cannot touch refuses the batch.
    let (status, _) = assign(&app, &manager, &[&next, "999999"], &nanjing.to_string(), "").await;
    assert_eq!(status, 404);
    let (_, detail) = app.call(&manager, "leads/get", &[("id", &next)]).await;
    assert!(detail["owner_name"].is_null(), "nothing assigned: {detail}");

    // The list filters by team, like the board and the exports.
    let (_, by_team) = app.call(&manager, "leads/list", &[("filter[team]", &nanjing.to_string())]).await;
    assert_eq!(by_team["total"], 3, "{by_team}");

    // The pages render.
    for path in ["/teams", &format!("/teams/{nanjing}"), "/leads/unassigned"] {
        let (status, html) = app.page(&manager, path).await;
        assert_eq!(status, 200, "{path}");
        assert!(html.contains("南京驻点专班"), "{path}");
    }
    assert!(
        super::plain_forms::tag_of(&app.page(&manager, "/leads/unassigned").await.1, "bulk-assign-submit").is_some()
    );
    // Each count says what it counts: the team's open leads, a member's across every team.
    let (_, list) = app.page(&manager, "/teams").await;
    assert!(list.contains(r#"id="teams-open-note""#) && list.contains("不含签约及以后"));
    let (_, page) = app.page(&manager, &format!("/teams/{nanjing}")).await;
    assert!(page.contains(r#"id="team-open""#) && page.contains("在办线索（含其他专班）"));
    // No chains or industries chosen: a dash, not a line ending at its colon.
    let shown = page.replace("<!>", "");
    assert!(shown.contains("<p>重点产业链: —</p>") && shown.contains("<p>重点产业: —</p>"), "{shown}");
    // A leader who types the address is told they may not, without a form the server would refuse.
    let (leader, _) = app.login_as("leader", Role::Leader).await;
    let (status, html) = app.page(&leader, "/leads/unassigned").await;
    assert_eq!(status, 403);
    let main = html.split("<main").nth(1).unwrap_or_default();
    assert!(html.contains("无权执行此操作"), "says why: {main}");
    assert!(super::plain_forms::tag_of(&html, "bulk-assign-submit").is_none(), "no assign form");
}

/// A staff member's own new lead is their team's work when they are on one team: it carries the
/// team (its people see it, its weekly numbers count it) and does not wait in 待分配 to be
/// taken from them. On two teams the choice is a manager's: it waits, still theirs.
#[tokio::test]
async fn a_staff_members_new_lead_belongs_to_their_one_team() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    let (one, one_id) = app.login_as("one", Role::Staff).await;
    let (two, two_id) = app.login_as("two", Role::Staff).await;
    let (status, nanjing) =
        save_team(&app, &manager, None, "南京驻点专班", "南京", Some(one_id), &[one_id, two_id]).await;
    assert_eq!(status, 200, "{nanjing}");
    let (status, _) = save_team(&app, &manager, None, "深圳驻点专班", "深圳", None, &[two_id]).await;
    assert_eq!(status, 200);

    let mine = new_lead(&app, &one, "组长自报科技有限公司", "320115", 31).await;
    let (_, detail) = app.call(&one, "leads/get", &[("id", &mine)]).await;
    assert_eq!((&detail["team"][0], &detail["owner_name"]), (&nanjing, &serde_json::json!("one 测试")), "{detail}");
    let theirs = new_lead(&app, &two, "两班成员自报科技有限公司", "320115", 32).await;
    let (_, detail) = app.call(&two, "leads/get", &[("id", &theirs)]).await;
    assert!(detail["team"].is_null(), "on two teams: a manager chooses: {detail}");

    let (_, queue) = app.call(&manager, "assign/queue", &[]).await;
    let waiting: Vec<String> = queue.as_array().unwrap().iter().map(|r| r["id"].to_string()).collect();
    assert!(!waiting.contains(&mine) && waiting.contains(&theirs), "{waiting:?}");
}

/// The lead list filters by 专班 with a select of the teams by name (a link from a team's page
/// showed "招商专班 #3", and the list offered no way to choose a team).
#[tokio::test]
async fn the_lead_list_filters_by_team_chosen_by_name() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    let (staff, _) = app.login_as("s", Role::Staff).await;
    let ours = new_lead(&app, &manager, "南京专班的科技有限公司", "320115", 1).await;
    new_lead(&app, &manager, "无专班的科技有限公司", "320115", 2).await;
    let (_, team) = save_team(&app, &manager, None, "南京专班", "南京", None, &[]).await;
    let team = team.as_i64().expect("team id").to_string();
    save_team(&app, &manager, None, "深圳专班", "深圳", None, &[]).await;
    let (status, body) = assign(&app, &manager, &[&ours], &team, "").await;
    assert_eq!(status, 200, "{body}");

    let (status, page) = app.page(&manager, &format!("/leads?team={team}")).await;
    assert_eq!(status, 200);
    assert!(page.contains(r#"<select name="team" id="filter-team">"#), "{page}");
    assert!(page.contains(&format!(r#"<option value="{team}" selected>南京专班</option>"#)), "chosen by name");
    assert!(page.contains(">深圳专班</option>") && page.contains(">全部专班</option>"));
    assert!(page.contains("南京专班的科技有限公司") && !page.contains("无专班的科技有限公司"), "filtered");
    // A staff member is offered their own teams (another's gave 「共 0 条」), a manager all.
    let (status, names) = app.call(&staff, "teams/names", &[]).await;
    assert_eq!((status, names), (200, serde_json::json!([])));
    let (member, member_id) = app.login_as("s2", Role::Staff).await;
    let (status, body) = save_team(&app, &manager, Some(&team), "南京专班", "南京", None, &[member_id]).await;
    assert_eq!(status, 200, "{body}");
    let (_, names) = app.call(&member, "teams/names", &[]).await;
    assert_eq!(names, serde_json::json!([[team.parse::<i64>().unwrap(), "南京专班"]]));
    let (_, names) = app.call(&manager, "teams/names", &[]).await;
    assert_eq!(names.as_array().map(Vec::len), Some(2));
    // A team deleted since the link was made stays chosen.
    let (_, page) = app.page(&manager, "/leads?team=999").await;
    assert!(page.contains(r#"<option value="999" selected>"#), "{page}");
}
