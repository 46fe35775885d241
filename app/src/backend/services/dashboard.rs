//! The figures of the leadership dashboard, each from one grouped query where possible.

use super::pipeline::today;
use super::ServiceError;
use crate::backend::entities::{chain, chain_node, commitment, lead, lead_node, team, team_target};
use crate::domain::period::{completion, Period};
use crate::domain::region::{RegionCode, RegionGroup};
use crate::domain::stage::code_is_landed;
use crate::domain::stage::PIPELINE;
use crate::wire::auth::SessionUser;
use crate::wire::dashboard::{Bar, Dashboard};
use chrono::{Datelike, NaiveDate};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::HashMap;

/// The leaders' dashboard (领导驾驶舱) over the live leads: the stage funnel (count, planned 万元),
/// the four region groups and the chains (leads, landed), grades A–D, the last 12 months of new
/// leads and signings (Asia/Shanghai months), and this year's signings against team targets (%).
/// Errors: `Forbidden` for staff, `Db`, `Internal` (no score configuration).
pub async fn build(db: &impl ConnectionTrait, actor: &SessionUser) -> Result<Dashboard, ServiceError> {
    if !actor.role.sees_all_leads() {
        return Err(ServiceError::Forbidden);
    }
    let live = || lead::Entity::find().filter(lead::Column::DeletedAt.is_null());
    // Funnel: count and planned investment per stage.
    let per_stage: Vec<(String, i64, Option<f64>)> = live()
        .select_only()
        .column(lead::Column::Stage)
        .column_as(Expr::col(lead::Column::Id).count(), "n")
        .column_as(Expr::col(lead::Column::PlannedInvestmentWan).sum(), "wan")
        .group_by(lead::Column::Stage)
        .into_tuple()
        .all(db)
        .await?;
    let funnel = PIPELINE
        .iter()
        .map(|s| {
            let row = per_stage.iter().find(|(code, ..)| code == s.code());
            Bar { label: s.code().into(), value: row.map(|r| r.1 as f64).unwrap_or(0.0), extra: row.and_then(|r| r.2) }
        })
        .collect();
    // Regions: by division code and stage, folded into the four groups.
    let per_region: Vec<(String, String, i64)> = live()
        .select_only()
        .column(lead::Column::RegionCode)
        .column(lead::Column::Stage)
        .column_as(Expr::col(lead::Column::Id).count(), "n")
        .group_by(lead::Column::RegionCode)
        .group_by(lead::Column::Stage)
        .into_tuple()
        .all(db)
        .await?;
    let mut groups: HashMap<&'static str, (f64, f64)> = HashMap::new();
    for (code, stage, n) in per_region {
        let group = RegionCode::parse(&code).map(|r| r.group()).unwrap_or(RegionGroup::OtherDomestic);
        let e = groups.entry(group.as_str()).or_default();
        e.0 += n as f64;
        if code_is_landed(&stage) {
            e.1 += n as f64;
        }
    }
    let regions = RegionGroup::ALL
        .iter()
        .map(|g| {
            let (n, s) = groups.get(g.as_str()).copied().unwrap_or_default();
            Bar { label: g.as_str().into(), value: n, extra: Some(s) }
        })
        .collect();
    // Chains: leads placed on each chain's nodes, and how many of them landed.
    let nodes: HashMap<i64, i64> =
        chain_node::Entity::find().all(db).await?.into_iter().map(|n| (n.id, n.chain_id)).collect();
    let stages: HashMap<i64, String> = live()
        .select_only()
        .column(lead::Column::Id)
        .column(lead::Column::Stage)
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut per_chain: HashMap<i64, (std::collections::HashSet<i64>, std::collections::HashSet<i64>)> = HashMap::new();
    for ln in lead_node::Entity::find().all(db).await? {
        let (Some(c), Some(stage)) = (nodes.get(&ln.node_id), stages.get(&ln.lead_id)) else { continue };
        let e = per_chain.entry(*c).or_default();
        e.0.insert(ln.lead_id);
        if code_is_landed(stage) {
            e.1.insert(ln.lead_id);
        }
    }
    let mut chains: Vec<Bar> = chain::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| {
            let (all, landed) = per_chain.get(&c.id).map(|(a, l)| (a.len(), l.len())).unwrap_or_default();
            Bar { label: c.name_zh, value: all as f64, extra: Some(landed as f64) }
        })
        .collect();
    chains.sort_by(|a, b| b.value.total_cmp(&a.value));
    // Grades.
    let per_grade: Vec<(Option<String>, i64)> = live()
        .select_only()
        .column(lead::Column::Grade)
        .column_as(Expr::col(lead::Column::Id).count(), "n")
        .group_by(lead::Column::Grade)
        .into_tuple()
        .all(db)
        .await?;
    let grades = ["A", "B", "C", "D"]
        .iter()
        .map(|g| Bar {
            label: g.to_string(),
            value: per_grade.iter().find(|(x, _)| x.as_deref() == Some(*g)).map(|r| r.1 as f64).unwrap_or(0.0),
            extra: None,
        })
        .collect();
    // Trend: the last 12 months of new leads and signings.
    let today = today();
    let mut months = Vec::new();
    let mut p = Period::month_of(today);
    for _ in 0..12 {
        months.push(p);
        p = p.prev();
    }
    months.reverse();
    let first = months.first().map(|m| m.days().0).unwrap_or(today);
    let start = crate::backend::from_local(first.and_hms_opt(0, 0, 0).unwrap_or_default());
    let created: Vec<chrono::DateTime<chrono::Utc>> = live()
        .select_only()
        .column(lead::Column::CreatedAt)
        .filter(lead::Column::CreatedAt.gte(start))
        .into_tuple()
        .all(db)
        .await?;
    let signed: Vec<chrono::DateTime<chrono::Utc>> = commitment::Entity::find()
        .select_only()
        .column(commitment::Column::RecordedAt)
        .filter(commitment::Column::RecordedAt.gte(start))
        .into_tuple()
        .all(db)
        .await?;
    let month_of =
        |t: &chrono::DateTime<chrono::Utc>| Period::month_of(t.with_timezone(&chrono_tz::Asia::Shanghai).date_naive());
    let trend = months
        .iter()
        .map(|m| Bar {
            label: m.code(),
            value: created.iter().filter(|t| month_of(t) == *m).count() as f64,
            extra: Some(signed.iter().filter(|t| month_of(t) == *m).count() as f64),
        })
        .collect();
    // Targets: this year's signings against each team's annual target.
    let year = today.year();
    let teams = team::Entity::find().all(db).await?;
    let year_start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today);
    // `numbers` takes days `from..=to`: 1 January to 31 December, leap year or not.
    let year_end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today);
    let numbers = super::reports::numbers(db, &teams, year_start, year_end).await?;
    let targets_by_team: HashMap<i64, team_target::Model> = team_target::Entity::find()
        .filter(team_target::Column::Year.eq(year))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.team_id, t))
        .collect();
    let targets = numbers
        .into_iter()
        .filter_map(|n| {
            let t = targets_by_team.get(&n.team_id?)?;
            Some(Bar {
                label: n.team.clone(),
                value: completion(n.signings as f64, t.signed_projects as f64).unwrap_or(0.0),
                extra: completion(n.contracted_wan, t.contracted_wan),
            })
        })
        .collect();
    let map = super::map::province_map(db, actor).await?;
    Ok(Dashboard { funnel, regions, chains, grades, trend, targets, year, map })
}
