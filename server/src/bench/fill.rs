//! `lianzhao bench`: fills a fresh database with N realistic leads and prints how long the things
//! that must stay fast take — rescoring every lead, and the lead list's queries — plus the worst
//! read latency while a rescore runs. A benchmark to run, not a test: it asserts nothing.

use app::api::auth::SessionUser;
use app::backend::entities::{chain_node, lead, lead_node};
use app::backend::services::{chains, lead_list, scoring, users};
use app::domain::catalog::{Channel, Stage, SECTORS};
use app::domain::lead_filter::LeadFilter;
use app::domain::names::normalise_company_name;
use app::domain::region::RegionCode;
use app::domain::role::Role;
use app::i18n::Locale;
use chrono::Utc;
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait, Set};
use std::time::{Duration, Instant};

const PLACES: &[&str] = &[
    "320115", "320114", "320104", "320505", "310115", "310112", "330106", "330110", "340104", "340503", "440305",
    "440306", "440106", "441900", "440604", "110108", "420106", "510107", "OS-EU", "OS-TW",
];
const WORDS: &[&str] =
    &["华芯", "中科", "瑞通", "博远", "恒信", "汇川", "天工", "启明", "星河", "鼎盛", "联创", "海纳"];
const TRADES: &[&str] = &["通信", "光电", "半导体", "机器人", "新材料", "环保", "物流", "软件", "传感", "数控"];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn session(id: i64, role: Role) -> SessionUser {
    SessionUser {
        id,
        username: format!("bench{id}"),
        display_name: String::new(),
        role,
        locale: Locale::ZhCn,
        teams: vec![],
        led_teams: vec![],
    }
}

async fn fill(db: &DatabaseConnection, n: usize) -> anyhow::Result<(SessionUser, SessionUser)> {
    let mut ids = Vec::new();
    for (i, role) in [Role::Manager, Role::Staff, Role::Staff, Role::Staff, Role::Staff, Role::Staff].iter().enumerate()
    {
        let id = users::insert(
            db,
            app::api::users::NewUser {
                username: format!("bench{i}"),
                display_name: format!("压测{i}"),
                role: *role,
                password: "bench-password".into(),
                email: String::new(),
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        ids.push((id, *role));
    }
    let manager = session(ids[0].0, Role::Manager);
    let staff = session(ids[1].0, Role::Staff);
    let nodes: Vec<i64> = chain_node::Entity::find().all(db).await?.into_iter().map(|n| n.id).collect();
    let mut rng = Rng(42);
    let now = Utc::now();
    let mut batch = Vec::new();
    let mut placements = Vec::new();
    let first_id = lead::Entity::find().count(db).await? as i64 + 1;
    for i in 0..n {
        let place = PLACES[rng.below(PLACES.len() as u64) as usize];
        let region = RegionCode::parse(place).expect("valid place");
        let sector = SECTORS[rng.below(SECTORS.len() as u64) as usize];
        let name = format!(
            "{}{}{}号{}有限公司",
            WORDS[rng.below(WORDS.len() as u64) as usize],
            TRADES[rng.below(TRADES.len() as u64) as usize],
            i,
            ["科技", "股份", "集团"][rng.below(3) as usize]
        );
        let investment = (500 + rng.below(60_000)) as f64;
        let owner = ids[1 + rng.below(5) as usize].0;
        batch.push(lead::ActiveModel {
            name_key: Set(normalise_company_name(&name)),
            company_name: Set(name),
            uscc: Set(None),
            region_code: Set(region.as_code()),
            province_code: Set(region.province().map(str::to_string)),
            city_code: Set(region.city().map(str::to_string)),
            region_group: Set(region.group().as_str().to_string()),
            nanjing_metro: Set(region.in_nanjing_metro()),
            industry: Set(sector.industry.code().to_string()),
            sector: Set(Some(sector.code.to_string())),
            planned_investment_wan: Set(Some(investment)),
            land_mu: Set(Some((investment / (100 + rng.below(400)) as f64).max(1.0).round())),
            annual_output_wan: Set(Some(investment * 1.2)),
            annual_tax_wan: Set(Some((investment / (5 + rng.below(25)) as f64).round())),
            jobs: Set(Some(50 + rng.below(500) as i32)),
            channel: Set(Channel::ALL[rng.below(Channel::ALL.len() as u64) as usize].code().to_string()),
            stage: Set(Stage::ALL[rng.below(Stage::ALL.len() as u64) as usize].code().to_string()),
            owner_id: Set(Some(owner)),
            notes: Set(String::new()),
            version: Set(1),
            high_tech: Set([None, Some(true), Some(false)][rng.below(3) as usize]),
            specialised: Set([None, Some(true), Some(false)][rng.below(3) as usize]),
            listed: Set([None, Some(false)][rng.below(2) as usize]),
            energy_use: Set([None, Some("low".to_string()), Some("high".to_string())][rng.below(3) as usize].clone()),
            score: Set(None),
            grade: Set(None),
            score_version: Set(None),
            created_by: Set(owner),
            updated_by: Set(owner),
            created_at: Set(now - chrono::Duration::minutes(rng.below(500_000) as i64)),
            updated_at: Set(now - chrono::Duration::minutes(rng.below(500_000) as i64)),
            ..Default::default()
        });
        if !nodes.is_empty() && rng.below(10) < 6 {
            placements.push(lead_node::ActiveModel {
                lead_id: Set(first_id + i as i64),
                node_id: Set(nodes[rng.below(nodes.len() as u64) as usize]),
                role: Set(["plain", "plain", "supplier", "leader"][rng.below(4) as usize].to_string()),
                supplies_enterprise_id: Set(None),
            });
        }
        if batch.len() == 400 {
            lead::Entity::insert_many(std::mem::take(&mut batch)).exec(db).await?;
        }
    }
    if !batch.is_empty() {
        lead::Entity::insert_many(batch).exec(db).await?;
    }
    for chunk in placements.chunks(1000) {
        lead_node::Entity::insert_many(chunk.to_vec()).exec(db).await?;
    }
    // Cover a third of the nodes with a local enterprise so there are gaps and covered nodes.
    for node in nodes.iter().step_by(3) {
        chains::add_enterprise(
            db,
            &manager,
            app::api::chains::EnterpriseForm {
                node_id: *node, name: format!("在区企业{node}"), ..Default::default()
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok((manager, staff))
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

async fn median_of(runs: usize, mut f: impl AsyncFnMut() -> anyhow::Result<u64>) -> anyhow::Result<(Duration, u64)> {
    let mut times = Vec::new();
    let mut rows = 0;
    for _ in 0..runs {
        let t = Instant::now();
        rows = f().await?;
        times.push(t.elapsed());
    }
    times.sort();
    Ok((times[times.len() / 2], rows))
}

pub async fn run(database_url: &str, n: usize) -> anyhow::Result<()> {
    println!("Lianzhao benchmark: {n} leads on {}", database_url.split('?').next().unwrap_or(database_url));
    let db = app::backend::db::connect_and_migrate(database_url).await?;
    if lead::Entity::find().count(&db).await? > 0 {
        anyhow::bail!("the benchmark needs an empty database");
    }
    let t = Instant::now();
    let (manager, staff) = fill(&db, n).await?;
    println!("{:<52} {:>12}", "fill (bulk insert, placements, enterprises)", ms(t.elapsed()));

    let t = Instant::now();
    let rescored = scoring::rescore(&db, scoring::Scope::All).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("{:<52} {:>12}   ({rescored} leads)", "rescore every lead", ms(t.elapsed()));

    let filters: Vec<(&str, &SessionUser, LeadFilter)> = vec![
        ("list: default (updated, newest first), page 1", &manager, LeadFilter::default()),
        ("list: page 200", &manager, LeadFilter { page: Some(200), ..Default::default() }),
        (
            "list: 长三角, sort by score",
            &manager,
            LeadFilter { group: Some("yrd".into()), sort: Some("-score".into()), ..Default::default() },
        ),
        (
            "list: industry + stage + channel",
            &manager,
            LeadFilter {
                industry: Some("electronic_comms".into()),
                stage: Some("negotiation".into()),
                channel: Some("resident".into()),
                ..Default::default()
            },
        ),
        (
            "list: grade A, by investment",
            &manager,
            LeadFilter { grade: Some("A".into()), sort: Some("-investment".into()), ..Default::default() },
        ),
        (
            "list: search 3+ chars (trigram index)",
            &manager,
            LeadFilter { q: Some("通信12".into()), ..Default::default() },
        ),
        ("list: search 2 chars (LIKE)", &manager, LeadFilter { q: Some("瑞通".into()), ..Default::default() }),
        ("list: staff member's own leads", &staff, LeadFilter::default()),
        (
            "list: one chain node, by score",
            &manager,
            LeadFilter { node: Some(4), sort: Some("-score".into()), ..Default::default() },
        ),
    ];
    for (label, who, filter) in &filters {
        let (d, rows) = median_of(5, async || {
            Ok(lead_list::list(&db, who, filter, 10_000.0).await.map_err(|e| anyhow::anyhow!("{e}"))?.total)
        })
        .await?;
        println!("{label:<52} {:>12}   ({rows} matching; median of 5)", ms(d));
    }

    // Readers during a full rescore.
    let writer_db = db.clone();
    let writer = tokio::spawn(async move { scoring::rescore(&writer_db, scoring::Scope::All).await });
    let mut worst = Duration::ZERO;
    let mut reads = 0;
    while !writer.is_finished() {
        let t = Instant::now();
        lead_list::list(&db, &manager, &LeadFilter::default(), 10_000.0).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        worst = worst.max(t.elapsed());
        reads += 1;
    }
    writer.await?.map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("{:<52} {:>12}   ({reads} reads during the rescore)", "worst list read while rescoring", ms(worst));
    Ok(())
}
