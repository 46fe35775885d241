//! The figures of the leadership dashboard, each from one grouped query where possible.

use super::pipeline::today;
use super::ServiceError;
use crate::backend::entities::{chain, chain_node, commitment, lead, lead_node, team, team_target};
use crate::backend::local_day_start;
use crate::domain::period::{completion, Period};
use crate::domain::region::{RegionCode, RegionGroup};
use crate::domain::stage::PIPELINE;
use crate::domain::stage::{code_is_landed, LANDED};
use crate::wire::auth::SessionUser;
use crate::wire::dashboard::{Bar, Dashboard};
use chrono::{Datelike, NaiveDate};
use sea_orm::sea_query::{Expr, Func, SimpleExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, JoinType, PaginatorTrait, QueryFilter, QuerySelect,
};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a built dashboard is shown as it is: its figures are over every live lead (a second
/// at 200,000 leads on 2 cores), and leaders read it at a glance, not to the lead.
pub const FRESH_FOR: Duration = Duration::from_secs(60);

/// How old a dashboard may be and still be shown while a newer one is counted in the background.
/// Older than this (nobody opened it for a while), the next reader waits for a new one.
pub const SHOWN_AT_MOST: Duration = Duration::from_secs(300);

/// A dashboard and when it was counted.
struct Built {
    at: Instant,
    dashboard: Dashboard,
}

/// The dashboards counted lately, one per locale (the map's labels differ). Readers of one
/// younger than [`FRESH_FOR`] get it; of one younger than [`SHOWN_AT_MOST`] get it too while one
/// of them starts counting the next in the background; otherwise they wait for a count, and
/// readers arriving together wait for the same one (moka's `try_get_with`).
#[derive(Clone)]
pub struct DashboardCache {
    built: moka::future::Cache<crate::i18n::Locale, Arc<Built>>,
    counting: Arc<AtomicBool>,
}

impl Default for DashboardCache {
    fn default() -> Self {
        DashboardCache {
            built: moka::future::Cache::builder().max_capacity(8).time_to_live(SHOWN_AT_MOST).build(),
            counting: Arc::default(),
        }
    }
}

impl DashboardCache {
    /// Counts the dashboard in `locale` before anyone asks, as a leader sees it (the count
    /// depends on the reader only through role and locale), unless one is cached. Readers
    /// arriving meanwhile wait for this count. Logs how long it took, or why it failed.
    pub async fn count_ahead(&self, db: &DatabaseConnection, locale: crate::i18n::Locale) {
        let reader = SessionUser {
            id: 0,
            username: String::new(),
            display_name: String::new(),
            role: crate::domain::role::Role::Leader,
            locale,
            teams: Vec::new(),
            led_teams: Vec::new(),
        };
        let started = Instant::now();
        match cached(self, db, &reader).await {
            Ok(_) => tracing::info!(ms = started.elapsed().as_millis() as u64, "the dashboard is counted ahead"),
            Err(e) => tracing::warn!("the dashboard could not be counted ahead: {e}"),
        }
    }
}

/// [`build`] for those who see every lead, from `cache` as described there; `Dashboard::built_at`
/// says when it was counted. Errors: `Forbidden` for staff (before the cache is read),
/// `Internal` for any error of [`build`] (the cache shares one result among those waiting).
pub async fn cached(
    cache: &DashboardCache,
    db: &DatabaseConnection,
    actor: &SessionUser,
) -> Result<Dashboard, ServiceError> {
    if !actor.role.sees_all_leads() {
        return Err(ServiceError::Forbidden);
    }
    if let Some(built) = cache.built.get(&actor.locale).await {
        if built.at.elapsed() >= FRESH_FOR && !cache.counting.swap(true, Ordering::SeqCst) {
            let (cache, db, actor) = (cache.clone(), db.clone(), actor.clone());
            tokio::spawn(async move {
                match build(&db, &actor).await {
                    Ok(dashboard) => {
                        cache.built.insert(actor.locale, Arc::new(Built { at: Instant::now(), dashboard })).await
                    }
                    Err(e) => tracing::warn!("the dashboard could not be counted again: {e}"),
                }
                cache.counting.store(false, Ordering::SeqCst);
            });
        }
        return Ok(built.dashboard.clone());
    }
    cache
        .built
        .try_get_with(actor.locale, async {
            build(db, actor).await.map(|dashboard| Arc::new(Built { at: Instant::now(), dashboard }))
        })
        .await
        .map(|built| built.dashboard.clone())
        .map_err(|e| ServiceError::Internal(format!("dashboard: {e}")))
}

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
    // Chains: leads placed on each chain's nodes, and how many of them landed (a lead on two
    // nodes of one chain counts once), counted by the database.
    let landed: Vec<&str> = LANDED.iter().map(|s| s.code()).collect();
    let lead_on_node = || Expr::col((lead_node::Entity, lead_node::Column::LeadId));
    let landed_lead = Expr::case(Expr::col((lead::Entity, lead::Column::Stage)).is_in(landed), lead_on_node());
    let per_chain: HashMap<i64, (i64, i64)> = lead_node::Entity::find()
        .select_only()
        .column(chain_node::Column::ChainId)
        .column_as(SimpleExpr::from(Func::count_distinct(lead_on_node())), "n")
        .column_as(SimpleExpr::from(Func::count_distinct(landed_lead)), "landed")
        .join(
            JoinType::InnerJoin,
            lead_node::Entity::belongs_to(chain_node::Entity)
                .from(lead_node::Column::NodeId)
                .to(chain_node::Column::Id)
                .into(),
        )
        .join(
            JoinType::InnerJoin,
            lead_node::Entity::belongs_to(lead::Entity).from(lead_node::Column::LeadId).to(lead::Column::Id).into(),
        )
        .filter(lead::Column::DeletedAt.is_null())
        .group_by(chain_node::Column::ChainId)
        .into_tuple::<(i64, i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(chain, n, landed)| (chain, (n, landed)))
        .collect();
    let mut chains: Vec<Bar> = chain::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| {
            let (all, landed) = per_chain.get(&c.id).copied().unwrap_or_default();
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
    // Each month counted by the database over its Asia/Shanghai days (an index range each).
    let mut trend = Vec::with_capacity(months.len());
    for m in &months {
        let (from, to) = m.days();
        let (a, b) = (local_day_start(from), local_day_start(to + chrono::Duration::days(1)));
        let created =
            live().filter(lead::Column::CreatedAt.gte(a)).filter(lead::Column::CreatedAt.lt(b)).count(db).await?;
        let signed = commitment::Entity::find()
            .filter(commitment::Column::RecordedAt.gte(a))
            .filter(commitment::Column::RecordedAt.lt(b))
            .count(db)
            .await?;
        trend.push(Bar { label: m.code(), value: created as f64, extra: Some(signed as f64) });
    }
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
    let built_at = crate::backend::local_time(chrono::Utc::now());
    Ok(Dashboard { funnel, regions, chains, grades, trend, targets, year, map, built_at })
}
