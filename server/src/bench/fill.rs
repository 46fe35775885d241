//! The benchmark's data: N realistic leads (names, regions, sectors, amounts, stages, channels,
//! owners), placed on chain nodes, in three teams, each with a few activities; local
//! enterprises on a third of the nodes. Deterministic (a fixed-seed generator).

use app::backend::entities::{activity, chain_node, lead, lead_node, team, team_member};
use app::backend::services::{chain_edit, users};
use app::domain::catalog::{Channel, Stage, SECTORS};
use app::domain::names::normalise_company_name;
use app::domain::region::RegionCode;
use app::domain::role::Role;
use app::i18n::Locale;
use app::wire::auth::SessionUser;
use chrono::Utc;
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, PaginatorTrait, Set};

pub const PLACES: &[&str] = &[
    "320115", "320114", "320104", "320505", "310115", "310112", "330106", "330110", "340104", "340503", "440305",
    "440306", "440106", "441900", "440604", "110108", "420106", "510107", "OS-EU", "OS-TW",
];
const WORDS: &[&str] =
    &["华芯", "中科", "瑞通", "博远", "恒信", "汇川", "天工", "启明", "星河", "鼎盛", "联创", "海纳"];
const TRADES: &[&str] = &["通信", "光电", "半导体", "机器人", "新材料", "环保", "物流", "软件", "传感", "数控"];

pub struct Rng(pub u64);
impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    pub fn below(&mut self, n: u64) -> u64 {
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

pub async fn fill(db: &DatabaseConnection, n: usize) -> anyhow::Result<(SessionUser, SessionUser)> {
    let mut ids = Vec::new();
    for (i, role) in [Role::Manager, Role::Staff, Role::Staff, Role::Staff, Role::Staff, Role::Staff].iter().enumerate()
    {
        let id = users::insert(
            db,
            app::wire::users::NewUser {
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
    // Three 招商专班 of two or three staff each (the manager leads them all).
    let mut teams = Vec::new();
    for (t, name) in ["长三角专班", "珠三角专班", "综合专班"].iter().enumerate() {
        let saved = team::ActiveModel {
            name: Set(name.to_string()),
            lead_user_id: Set(Some(ids[0].0)),
            focus_regions: Set("[]".into()),
            focus_chains: Set("[]".into()),
            focus_industries: Set("[]".into()),
            created_at: Set(Utc::now()),
            updated_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(db)
        .await?;
        for member in [1 + t, 2 + t] {
            team_member::ActiveModel { team_id: Set(saved.id), user_id: Set(ids[member].0) }.insert(db).await?;
        }
        teams.push(saved.id);
    }
    let manager = session(ids[0].0, Role::Manager);
    let staff = SessionUser { teams: vec![teams[0]], ..session(ids[1].0, Role::Staff) };
    let nodes: Vec<i64> = chain_node::Entity::find().all(db).await?.into_iter().map(|n| n.id).collect();
    let mut rng = Rng(42);
    let now = Utc::now();
    let mut batch = Vec::new();
    let mut placements = Vec::new();
    let mut activities = Vec::new();
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
            name_fold: Set(app::domain::names::fold_company_name(&name)),
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
            team_id: Set([Some(teams[0]), Some(teams[1]), Some(teams[2]), None][rng.below(4) as usize]),
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
        for k in 0..rng.below(4) {
            let day = (now - chrono::Duration::days((rng.below(300) + k * 7) as i64)).date_naive();
            activities.push(activity::ActiveModel {
                lead_id: Set(first_id + i as i64),
                kind: Set(["call", "visit_out", "visit_in", "meeting"][rng.below(4) as usize].to_string()),
                happened_on: Set(day),
                participants: Set(String::new()),
                summary: Set(format!("第{k}次对接：了解投资意向与用地需求")),
                next_step: Set(String::new()),
                next_due: Set(None),
                next_done: Set(false),
                created_by: Set(owner),
                created_at: Set(now),
                ..Default::default()
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
    for chunk in activities.chunks(1000) {
        activity::Entity::insert_many(chunk.to_vec()).exec(db).await?;
    }
    // Cover a third of the nodes with a local enterprise so there are gaps and covered nodes.
    for node in nodes.iter().step_by(3) {
        chain_edit::add_enterprise(
            db,
            &manager,
            app::wire::chains::EnterpriseForm {
                node_id: *node, name: format!("在区企业{node}"), ..Default::default()
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok((manager, staff))
}
