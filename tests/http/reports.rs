//! 周调度, 月通报, 季考核 and the dashboard: the numbers of a seeded week and month, the same
//! numbers in the xlsx downloads (read back with calamine), the idempotent Monday mail through the
//! real SMTP sink, and who may see what.

use super::teams::{assign, new_lead, save_team};
use super::trips::{add_visit, day};
use app::backend::entities::lead;
use app::domain::period::Period;
use app::domain::role::Role;
use calamine::{Data, Reader, Xlsx};
use chrono::Datelike;
use lianzhao_tests::smtp::{smtp_settings, SmtpSink};
use lianzhao_tests::TestApp;
use mail_parser::MimeHeaders;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::Value;

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().with_timezone(&chrono_tz::Asia::Shanghai).date_naive()
}

/// A team with two members and this week's work: three new leads, one signed (3 亿, a 重大项目),
/// one visited and reported, one stale, a problem due, a trip planned for next week.
async fn seed_week(app: &TestApp) -> (reqwest::Client, String, String) {
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    let (_, a) = app.login_as("a", Role::Staff).await;
    let (_, b) = app.login_as("b", Role::Staff).await;
    let (status, team) = save_team(app, &manager, None, "深圳专班", "深圳", Some(a), &[a, b]).await;
    assert_eq!(status, 200);
    let team = team.as_i64().unwrap().to_string();
    let l1 = new_lead(app, &manager, "深南电子有限公司", "440305", 1).await;
    let l2 = new_lead(app, &manager, "前海通信有限公司", "440305", 2).await;
    let l3 = new_lead(app, &manager, "宝安材料有限公司", "440305", 3).await;
    let l4 = new_lead(app, &manager, "宝安旧材料有限公司", "440305", 94).await;
    assert_eq!(assign(app, &manager, &[&l1, &l2, &l3, &l4], &team, &a.to_string()).await.0, 200);
    let (status, body) = app
        .call(
            &manager,
            "pipeline/move",
            &[
                ("lead_id", &l1),
                ("form[to]", "signed"),
                ("form[comment]", "对方决策很快"),
                ("form[signed_investment]", "3亿"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let d = today().to_string();
    let trip = team_trip(app, &manager, "深圳回访", &team, a, &d).await;
    let (_, v) = add_visit(app, &manager, &trip, &l2, &d, "00:00", "00:30", &[]).await;
    let v = v.as_i64().unwrap().to_string();
    assert_eq!(app.call(&manager, "trips/publish", &[("id", &trip)]).await.0, 200);
    let (status, body) = app
        .call(
            &manager,
            "visits/report",
            &[("visit_id", &v), ("form[learned]", "有扩产需求"), ("form[intention]", "interested")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    // l4 was registered over a year ago (no month, quarter or year of the reports counts it new)
    // and nobody has followed it up or moved it since: 停滞, though its fields were edited now
    // (an edit is not work with the company). l3 was only registered, this week: not stale.
    let stale = lead::Entity::find_by_id(l4.parse::<i64>().unwrap()).one(&app.db).await.unwrap().unwrap();
    let mut stale: lead::ActiveModel = stale.into();
    stale.created_at = Set(chrono::Utc::now() - chrono::Duration::days(400));
    stale.updated_at = Set(chrono::Utc::now());
    stale.update(&app.db).await.unwrap();
    // A call three weeks ago, written down only now: a contact three weeks ago, still stale.
    let three_weeks_ago = (today() - chrono::Duration::days(21)).to_string();
    let (status, body) = app
        .call(
            &manager,
            "pipeline/log",
            &[
                ("lead_id", &l4),
                ("form[kind]", "call"),
                ("form[summary]", "电话回访"),
                ("form[happened_on]", &three_weeks_ago),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = app
        .call(
            &manager,
            "problems/create",
            &[
                ("lead_id", &l2),
                ("form[category]", "land"),
                ("form[description]", "用地指标待落实"),
                ("form[deadline]", &d),
            ],
        )
        .await;
    assert_eq!(status, 200);
    team_trip(app, &manager, "下周东莞走访", &team, b, &day(7)).await;
    (manager, team, l1)
}

async fn team_trip(app: &TestApp, c: &reqwest::Client, purpose: &str, team: &str, member: i64, on: &str) -> String {
    let key = format!("form[members][{member}]");
    let member = member.to_string();
    let (status, body) = app
        .call(
            c,
            "trips/create",
            &[
                ("form[kind]", "outbound"),
                ("form[purpose]", purpose),
                ("form[destination]", "深圳"),
                ("form[start_on]", on),
                ("form[end_on]", on),
                ("form[team_id]", team),
                (&key, &member),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body.as_i64().unwrap().to_string()
}

fn team_row<'a>(pack: &'a Value, name: &str) -> &'a Value {
    pack["teams"].as_array().unwrap().iter().find(|t| t["numbers"]["team"] == name).expect("team in the pack")
}

fn sheet_rows(bytes: Vec<u8>) -> Vec<Vec<Data>> {
    named_sheet_rows(bytes, None)
}

/// The rows of the sheet called `name` (the first when `None`).
fn named_sheet_rows(bytes: Vec<u8>, name: Option<&str>) -> Vec<Vec<Data>> {
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("a valid xlsx");
    let name = name.map(str::to_string).unwrap_or_else(|| book.sheet_names()[0].clone());
    book.worksheet_range(&name).expect("the sheet").rows().map(|r| r.to_vec()).collect()
}

#[tokio::test]
async fn the_weekly_pack_counts_the_week_and_the_xlsx_says_the_same() {
    let app = TestApp::spawn().await;
    let (manager, team, _) = seed_week(&app).await;
    let (status, pack) = app.call(&manager, "reports/weekly", &[("week", "")]).await;
    assert_eq!(status, 200, "{pack}");
    assert_eq!(pack["week"], Period::week_of(today()).code());
    let t = team_row(&pack, "深圳专班");
    let n = &t["numbers"];
    assert_eq!(
        (n["new_leads"].as_i64(), n["signings"].as_i64(), n["major_signed"].as_i64()),
        (Some(3), Some(1), Some(1))
    );
    assert_eq!(n["contracted_wan"], 30000.0);
    assert_eq!((n["visits_done"].as_i64(), n["trips_planned"].as_i64()), (Some(1), Some(1)));
    assert!(n["stage_moves"].as_i64().unwrap() >= 1);
    assert_eq!(t["stale_count"], 1);
    assert_eq!(t["stale"][0]["company_name"], "宝安旧材料有限公司");
    assert!((20..=21).contains(&t["stale"][0]["days"].as_i64().unwrap()), "since the call's day: {t}");
    // The board marks the same lead 停滞, by the same rule.
    let (_, board) = app.call(&manager, "kanban/board", &[]).await;
    let stale_cards: Vec<&str> = board["columns"]
        .as_array()
        .expect("columns")
        .iter()
        .flat_map(|c| c["cards"].as_array().into_iter().flatten())
        .filter(|c| c["stale"] == true)
        .map(|c| c["company_name"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(stale_cards, vec!["宝安旧材料有限公司"], "{board}");
    assert_eq!(t["problems"][0]["description"], "用地指标待落实");
    assert_eq!(t["next_week"][0]["purpose"], "下周东莞走访");
    assert_eq!(t["next_week"][0]["draft"], true, "not yet published: said so");

    // The manager's comment; staff may not write one.
    let team_id = team.clone();
    let week = pack["week"].as_str().unwrap().to_string();
    // This week is the latest begun: no way on to the next.
    assert_eq!((pack["next"].is_null(), &pack["begun"]), (true, &Value::Bool(true)), "{}", pack["next"]);
    let fields = [("week", week.as_str()), ("team_id", team_id.as_str()), ("comment", "抓紧推进宝安材料")];
    assert_eq!(app.call(&manager, "reports/comment", &fields).await.0, 200);
    let (staff, _) = app.login_as("c", Role::Staff).await;
    assert_eq!(app.call(&staff, "reports/comment", &fields).await.0, 403);
    let (_, pack) = app.call(&manager, "reports/weekly", &[("week", &week)]).await;
    assert_eq!(team_row(&pack, "深圳专班")["comment"][0], "抓紧推进宝安材料");
    assert_eq!(app.call(&manager, "reports/weekly", &[("week", "2026-W99")]).await.0, 422);

    let (status, html) = app.page(&manager, &format!("/weekly?week={week}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("宝安旧材料有限公司") && html.contains("抓紧推进宝安材料"));
    assert!(html.contains(r#"下周东莞走访</a> <span class="status status-draft">草稿</span>"#), "{html}");

    let res = manager.get(app.url(&format!("/reports/weekly.xlsx?week={week}"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let rows = sheet_rows(res.bytes().await.unwrap().to_vec());
    let row = rows.iter().find(|r| r[0] == Data::String("深圳专班".into())).expect("the team's row");
    // new leads, trips done, trips planned, visits done, visits planned, moves, signings, 万元, major
    assert_eq!(row[1], Data::Float(3.0));
    assert_eq!(row[4], Data::Float(1.0));
    assert_eq!(row[7], Data::Float(1.0));
    assert_eq!(row[8], Data::Float(30000.0));
    assert_eq!(row[9], Data::Float(1.0));
    // 停滞 and problems due, on the team's row and the total's, under their headers.
    assert_eq!((row[10].clone(), row[11].clone()), (Data::Float(1.0), Data::Float(1.0)));
    let total = rows.last().expect("the total row");
    assert_eq!((total.len(), rows[0].len()), (12, 12), "{total:?}");
    assert_eq!((total[10].clone(), total[11].clone()), (Data::Float(1.0), Data::Float(1.0)), "{total:?}");
    // The same numbers as CSV.
    let res = manager.get(app.url(&format!("/reports/weekly.csv?week={week}"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = res.text().await.unwrap();
    let line = csv.lines().find(|l| l.starts_with("深圳专班,")).expect("the team's line");
    assert!(line.starts_with("深圳专班,3,") && line.contains(",30000,1,"), "{line}");
}

#[tokio::test]
async fn monthly_and_quarterly_reports_measure_against_target_shares() {
    let app = TestApp::spawn().await;
    let (manager, team, _) = seed_week(&app).await;
    let year = today().year().to_string();
    // Before any target: said once above the table, and under the team's name in both tables.
    let month = Period::month_of(today()).code();
    let (_, html) = app.page(&manager, &format!("/reports/monthly?month={month}")).await;
    let said = html.split(r#"id="no-targets""#).nth(1).and_then(|p| p.split("</p>").next()).unwrap_or_default();
    assert!(
        said.contains(&format!("{year} 年尚未为任何专班设置年度目标")) && said.contains(r#"href="/teams""#),
        "{said}"
    );
    assert_eq!(html.matches(r#"class="muted no-target">未设年度目标<"#).count(), 2, "the period's row and 年度累计's");
    let (status, _) = app
        .call(
            &manager,
            "teams/target",
            &[
                ("team_id", &team),
                ("form[year]", &year),
                ("form[signed_projects]", "12"),
                ("form[contracted_wan]", "120000"),
                ("form[major_projects]", "4"),
                ("form[new_leads]", "36"),
                ("form[visits]", "24"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    let (status, r) = app.call(&manager, "reports/period", &[("period", &month)]).await;
    assert_eq!(status, 200, "{r}");
    let row = &r["rows"][0];
    assert_eq!(row["numbers"]["team"], "深圳专班");
    assert_eq!(row["targets"][0], 1.0, "12 a year is 1 a month");
    assert_eq!(row["targets"][1], 10000.0);
    assert_eq!(row["completion"][0], 100.0);
    assert_eq!(row["completion"][1], 300.0);
    assert_eq!(row["completion"][3], 100.0, "3 new leads of 3");
    assert_eq!(row["completion"][4], 50.0, "1 visit of 2");
    assert_eq!(row["rank"], 1);
    assert_eq!(r["signed"][0]["company_name"], "深南电子有限公司");
    assert_eq!(r["signed"][0]["major"], true);
    // 年度累计: since 1 January against the whole year's targets, beside the year's time gone by.
    let ytd = &r["year"][0];
    assert_eq!(ytd["numbers"]["team"], "深圳专班", "{r}");
    assert_eq!(ytd["annual"][0], 12.0);
    assert_eq!(ytd["numbers"]["signings"], 1);
    let done = ytd["completion"][0].as_f64().unwrap_or_default();
    assert!((done - 100.0 / 12.0).abs() < 1e-9, "1 of 12: {done}");
    let elapsed = r["year_elapsed"].as_f64().unwrap_or_default();
    assert!(elapsed > 0.0 && elapsed <= 100.0, "{elapsed}");
    assert_eq!(r["year_through"], today().to_string());
    // A lead of no team counts in the office's total, which only those who see the whole office
    // get; a member's total is their teams' (as in the weekly pack).
    new_lead(&app, &manager, "无专班科技有限公司", "440305", 4).await;
    let (_, r) = app.call(&manager, "reports/period", &[("period", &month)]).await;
    assert_eq!(r["totals"]["new_leads"], 4, "{}", r["totals"]);
    let member = app.client();
    assert_eq!(app.post_login(&member, "a", lianzhao_tests::PASSWORD).await.status(), 303);
    let (status, mine) = app.call(&member, "reports/period", &[("period", &month)]).await;
    assert_eq!((status, mine["totals"]["new_leads"].as_i64()), (200, Some(3)), "{mine}");

    let quarter = Period::quarter_of(today()).code();
    let (status, q) = app.call(&manager, "reports/period", &[("period", &quarter)]).await;
    assert_eq!(status, 200);
    let qrow = &q["rows"][0];
    assert_eq!(qrow["targets"][0], 3.0);
    let score = qrow["score"].as_f64().unwrap();
    assert!(score > 0.0 && score <= 120.0, "{score}");

    for (path, key, code) in [("/reports/monthly", "month", &month), ("/reports/quarterly", "quarter", &quarter)] {
        let (status, html) = app.page(&manager, &format!("{path}?{key}={code}")).await;
        assert_eq!(status, 200, "{path}");
        assert!(html.contains("深南电子有限公司"));
        let share = if key == "month" { "十二分之一" } else { "四分之一" };
        assert!(html.contains(r#"id="period-note""#) && html.contains(share), "the targets' share is said");
        // This period is the latest: no way on to one not yet begun, the way back there.
        let period = Period::parse(code).unwrap();
        assert!(!html.contains(&format!("{key}={}\"", period.next().code())), "{path}: a period not begun");
        assert!(html.contains(&format!("{key}={}\"", period.prev().code())), "{path}: the one before");
        assert!(!html.contains(r#"id="not-begun""#), "{path}: this one has begun");
        let (status, ahead) = app.page(&manager, &format!("{path}?{key}={}", period.next().code())).await;
        assert_eq!(status, 200, "{path}: one typed ahead still opens");
        assert!(ahead.contains(r#"id="not-begun""#), "{path}: and says it has not begun");
        // Nothing to rank on yet: no rank and no score (were 1–n at 0.0).
        let row = ahead.split(r#"class="period-row""#).nth(1).unwrap_or_default().replace("<!>", "");
        assert!(row.starts_with(r#"><td class="num">—</td>"#), "{path}: not ranked: {row}");
        let (_, r) = app.call(&manager, "reports/period", &[("period", &period.next().code())]).await;
        assert_eq!(r["rows"][0]["rank"], 0, "{path}: {r}");
        assert!(!html.contains(r#"id="no-targets""#) && !html.contains("no-target"), "{path}: targets set");
        let res = manager.get(app.url(&format!("{path}.xlsx?{key}={code}"))).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}.xlsx");
        let rows = sheet_rows(res.bytes().await.unwrap().to_vec());
        let team_row = rows.iter().find(|r| r[1] == Data::String("深圳专班".into())).expect("team row");
        assert_eq!(team_row[2], Data::Float(1.0), "signings");
        assert_eq!(team_row[5], Data::Float(30000.0), "contracted");
        // 4 重大项目 a year: a month's share 0.33 (two decimals, as the page shows it), a quarter's 1.
        let major_share = if key == "month" { 0.33 } else { 1.0 };
        assert_eq!(team_row[9], Data::Float(major_share), "the 重大项目 target");
        if key == "month" {
            let table = html.split(r#"id="period-table""#).nth(1).unwrap_or_default();
            assert!(table.contains(">0.33<"), "the page's share as the file's: {table}");
        }
        let year = html.split(r#"id="year-table""#).nth(1).and_then(|t| t.split("</table>").next()).unwrap_or_default();
        let shown = year.replace("<!>", "");
        assert!(shown.contains("深圳专班") && shown.contains(">1 / 12<"), "年度累计 on the page: {year}");
        assert!(html.contains("时序进度"), "the year's time said");
        let res = manager.get(app.url(&format!("{path}.xlsx?{key}={code}"))).send().await.unwrap();
        let bytes = res.bytes().await.unwrap().to_vec();
        let year_rows = named_sheet_rows(bytes.clone(), Some("年度累计"));
        let at = year_rows.iter().position(|r| r[0] == Data::String("深圳专班".into())).expect("年度累计 row");
        let team_row = &year_rows[at];
        // Under the table: the days counted and 时序进度, as the page says them.
        let through = format!("统计区间：{}-01-01 至 {}；时序进度 {elapsed:.1}%", today().year(), today());
        assert!(year_rows.iter().any(|r| r[0] == Data::String(through.clone())), "{through}: {year_rows:?}");
        // 1 of 12 signed (8.3 %) in red when the year is further on than that, as on the page.
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
        let mut sheet = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/worksheets/sheet3.xml").expect("the third sheet"),
            &mut sheet,
        )
        .unwrap();
        let cell = sheet.split(&format!(r#"<c r="D{}""#, at + 1)).nth(1).and_then(|c| c.split('>').next());
        let styled = cell.is_some_and(|c| c.contains(" s=\""));
        assert_eq!(styled, elapsed > 100.0 / 12.0, "{path}: the signed completion's cell {cell:?}");
        let mut styles = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/styles.xml").expect("styles"), &mut styles).unwrap();
        assert!(!styled || styles.contains("FFFF0000"), "red: {styles}");
        assert_eq!(
            (&team_row[1], &team_row[2]),
            (&Data::Float(1.0), &Data::Float(12.0)),
            "signed to date, of the year's"
        );
        let csv = manager.get(app.url(&format!("{path}.csv?{key}={code}"))).send().await.unwrap();
        assert_eq!(csv.status(), 200, "{path}.csv");
        let text = csv.text().await.unwrap();
        assert!(text.lines().any(|l| l.contains(",深圳专班,1,") && l.contains(",30000,")), "{text}");
    }
    assert_eq!(app.call(&manager, "reports/period", &[("period", "2026-13")]).await.0, 422);
    // Typed wrong in the address: the page says what a period looks like (no field to mark).
    let (status, page) = app.page(&manager, "/reports/monthly?month=garbage").await;
    assert_eq!(status, 422);
    assert!(page.contains("期间格式不正确") && !page.contains("请修改标红的字段"), "the period's own message");
    let bad = manager.get(app.url("/reports/monthly.xlsx?month=nonsense")).send().await.unwrap();
    assert_eq!(bad.status(), 422);
}

#[tokio::test]
async fn the_dashboard_is_for_leadership_and_draws_its_charts() {
    use app::backend::entities::{chain, chain_node, lead_node};
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    let app = TestApp::spawn().await;
    let (_, _, signed) = seed_week(&app).await;
    // The signed lead on two nodes of one chain (counted once, and landed), another lead on one.
    let first = chain::Entity::find().order_by_asc(chain::Column::Id).one(&app.db).await.unwrap().unwrap();
    let nodes = chain_node::Entity::find().filter(chain_node::Column::ChainId.eq(first.id)).all(&app.db).await.unwrap();
    let other = lead::Entity::find().filter(lead::Column::CompanyName.eq("前海通信有限公司")).one(&app.db).await;
    let other = other.unwrap().unwrap().id;
    for (lead_id, node) in
        [(signed.parse().unwrap(), &nodes[0]), (signed.parse().unwrap(), &nodes[1]), (other, &nodes[0])]
    {
        let placed = lead_node::ActiveModel {
            lead_id: Set(lead_id),
            node_id: Set(node.id),
            role: Set("plain".into()),
            supplies_enterprise_id: Set(None),
        };
        lead_node::Entity::insert(placed).exec(&app.db).await.unwrap();
    }
    let (leader, _) = app.login_as("boss", Role::Leader).await;
    let (status, d) = app.call(&leader, "dashboard", &[]).await;
    assert_eq!(status, 200, "{d}");
    let stage =
        |code: &str| d["funnel"].as_array().unwrap().iter().find(|b| b["label"] == code).unwrap()["value"].as_f64();
    assert_eq!(stage("signed"), Some(1.0));
    assert_eq!(stage("clue"), Some(3.0), "two new, one registered a year ago");
    let prd = d["regions"].as_array().unwrap().iter().find(|b| b["label"] == "prd").unwrap();
    assert_eq!((prd["value"].as_f64(), prd["extra"].as_f64()), (Some(4.0), Some(1.0)));
    let this_month = &d["trend"].as_array().unwrap().last().unwrap().clone();
    assert_eq!((this_month["value"].as_f64(), this_month["extra"].as_f64()), (Some(3.0), Some(1.0)));
    let bar = d["chains"].as_array().unwrap().iter().find(|b| b["label"] == first.name_zh.as_str()).unwrap();
    assert_eq!((bar["value"].as_f64(), bar["extra"].as_f64()), (Some(2.0), Some(1.0)), "{bar}");
    let (status, html) = app.page(&leader, "/dashboard").await;
    assert_eq!(status, 200);
    assert!(html.contains("<svg") && html.contains("chart-funnel") && html.contains("<title>"));
    // Two bars each: the legend says which is which (the grades' single bar needs none).
    assert_eq!(html.matches(r#"class="chart-legend""#).count(), 5, "funnel, regions, chains, trend, targets");
    // Each row's two numbers after its bars, in the legend's order (this month: 3 new, 1 signed).
    assert!(html.contains(">3 / 1</text>"), "{html}");
    assert!(html.contains("线索数<span class=\"swatch swatch-extra\" aria-hidden=\"true\"></span>计划投资"), "{html}");
    // The funnel's amounts as the office says them (万元 below 1 亿元, 亿元 from it), not raw 万元.
    let with_amount = d["funnel"].as_array().unwrap().iter().find(|b| b["extra"].as_f64().unwrap_or(0.0) > 0.0);
    let bar = with_amount.expect("a stage with planned investment");
    let said = app::domain::money::format_wan_short(bar["extra"].as_f64().unwrap());
    assert!(said.ends_with("亿元") || said.ends_with("万元"), "{said}");
    assert!(html.contains(&format!(">{} / {said}</text>", bar["value"].as_f64().unwrap())), "{said} {html}");
    let built_at = d["built_at"].as_str().unwrap().to_string();
    assert!(html.contains(r#"id="dashboard-built-at""#) && html.contains(&built_at), "{built_at}");
    // Counted at most once a minute: a lead added now shows in the next minute's figures, and
    // every leader meanwhile gets the same counted dashboard, saying when it was counted.
    let (manager, _) = app.login_as("mgr2", Role::Manager).await;
    new_lead(&app, &manager, "南山新增有限公司", "440305", 9).await;
    let (status, again) = app.call(&manager, "dashboard", &[]).await;
    assert_eq!(status, 200);
    assert_eq!((&again["funnel"], &again["built_at"]), (&d["funnel"], &d["built_at"]));
    let (staff, _) = app.login_as("s", Role::Staff).await;
    assert_eq!(app.call(&staff, "dashboard", &[]).await.0, 403);
}

#[tokio::test]
async fn the_dashboard_is_counted_at_start_before_a_leader_asks() {
    let app = TestApp::spawn().await;
    let (manager, _) = app.login_as("mgr", Role::Manager).await;
    new_lead(&app, &manager, "开机前有限公司", "440305", 3).await;
    // What `serve` does at start.
    lianzhao_server::count_ahead(&app.state).await.unwrap();
    new_lead(&app, &manager, "开机后有限公司", "440305", 4).await;
    // The first leader gets the count made at start (it is not a minute old): one lead, not two.
    let (leader, _) = app.login_as("boss", Role::Leader).await;
    let (status, d) = app.call(&leader, "dashboard", &[]).await;
    assert_eq!(status, 200, "{d}");
    let leads: f64 = d["funnel"].as_array().unwrap().iter().filter_map(|b| b["value"].as_f64()).sum();
    assert_eq!(leads, 1.0, "{d}");
}

#[tokio::test]
async fn the_weekly_mail_goes_out_once_per_person_and_week() {
    let sink = SmtpSink::start().await;
    let mut settings = smtp_settings(sink.port);
    settings.weekly_mail_weekday = today().weekday();
    settings.weekly_mail_hour = 0;
    settings.scheduled_mail = true;
    let app = TestApp::spawn_with(settings.clone()).await;
    seed_week(&app).await;
    // mgr, a and b get it (c is in no team; the leader has no address in this test). Wait for
    // all three before restarting: a send cut off by the restart would wait out its lease (2 min).
    let is_weekly = |m: &lianzhao_tests::smtp::Received| m.parsed().subject().is_some_and(|s| s.contains("周调度"));
    let mut weekly = Vec::new();
    for _ in 0..200 {
        weekly = sink.messages().into_iter().filter(|m| is_weekly(m)).collect();
        if weekly.len() >= 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(weekly.len(), 3, "three weekly mails");
    let last_week = Period::week_of(today() - chrono::Duration::days(7)).code();
    assert!(weekly[0].parsed().subject().unwrap().contains(&last_week));
    let parsed = weekly[0].parsed();
    let xlsx =
        parsed.attachments().find(|a| a.attachment_name().is_some_and(|n| n.ends_with(".xlsx"))).expect("workbook");
    assert!(!sheet_rows(xlsx.contents().to_vec()).is_empty());
    let second = app.spawn_sibling(settings.clone()).await;
    let app = app.restart().await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let mut to: Vec<String> = sink
        .messages()
        .iter()
        .filter(|m| m.parsed().subject().is_some_and(|s| s.contains("周调度")))
        .map(|m| m.to[0].clone())
        .collect();
    to.sort();
    assert_eq!(to, ["a@test.example.cn", "b@test.example.cn", "mgr@test.example.cn"], "once each");
    drop((second, app));
}

#[tokio::test]
async fn committed_versus_actual_percentages_and_the_warning() {
    let app = TestApp::spawn().await;
    let (manager, _, signed) = seed_week(&app).await;
    let (status, f) = app.call(&manager, "fulfilment/get", &[("lead_id", &signed)]).await;
    assert_eq!(status, 200);
    assert_eq!(f["committed"][0], 30000.0);
    assert!(f["years"].as_array().unwrap().is_empty());
    assert_eq!(f["warn"], false, "nothing recorded is not a shortfall");

    let save = |year: &'static str, investment: &'static str| {
        let signed = signed.clone();
        let manager = manager.clone();
        let app = &app;
        async move {
            app.call(
                &manager,
                "fulfilment/save",
                &[("lead_id", &signed), ("form[year]", year), ("form[investment]", investment)],
            )
            .await
        }
    };
    assert_eq!(save("2025", "1亿").await.0, 200);
    let (_, f) = app.call(&manager, "fulfilment/get", &[("lead_id", &signed)]).await;
    let pct = f["percent"][0].as_f64().unwrap();
    assert!((pct - 33.333).abs() < 0.01, "{pct}");
    assert_eq!(f["warn"], true, "below 80 %");
    assert_eq!(save("2026", "20000").await.0, 200);
    let (_, f) = app.call(&manager, "fulfilment/get", &[("lead_id", &signed)]).await;
    assert_eq!(f["actual"][0], 30000.0, "cumulative");
    assert_eq!(f["percent"][0], 100.0);
    assert_eq!(f["warn"], false);
    let (status, body) = save("20x6", "1").await;
    assert_eq!((status, body["Invalid"][0]["field"].as_str()), (422, Some("year")));
    // A lead that has not signed has nothing to compare with.
    let other = new_lead(&app, &manager, "未签约科技有限公司", "440305", 9).await;
    let (_, none) = app.call(&manager, "fulfilment/get", &[("lead_id", &other)]).await;
    assert!(none.is_null());
    let (status, _) = app
        .call(&manager, "fulfilment/save", &[("lead_id", &other), ("form[year]", "2026"), ("form[investment]", "1")])
        .await;
    assert_eq!(status, 409);
    let (status, html) = app.page(&manager, "/reports/fulfilment").await;
    assert_eq!(status, 200);
    assert!(html.contains("深南电子有限公司") && html.contains("100%"));
    let (_, html) = app.page(&manager, &format!("/leads/{signed}")).await;
    assert!(html.contains("id=\"fulfilment\""));
}

#[tokio::test]
async fn the_weekly_pack_is_found_at_the_address_of_its_siblings() {
    let app = TestApp::spawn().await;
    let (client, _) = app.login_as("reader", Role::Manager).await;
    let res = client.get(app.url("/reports/weekly?week=2026-W49")).send().await.unwrap();
    assert_eq!(res.status(), 308);
    assert_eq!(res.headers()["location"], "/weekly?week=2026-W49");
    let (status, page) = app.page(&client, "/weekly?week=2026-W49").await;
    assert!(status == 200 && page.contains("2026-W49"), "{status}");
}
