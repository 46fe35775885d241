//! Storing and applying the fit score: the versioned configuration and each lead's inputs (its
//! data and its place on the chains); rescoring is in `rescore`.

use super::coverage::Coverage;
use super::rescore::{rescore, Scope};
use super::ServiceError;
use crate::backend::entities::{lead, lead_node, score_config};
use crate::backend::local_time;
use crate::domain::catalog::Industry;
use crate::domain::region::RegionGroup;
use crate::domain::score::{score, ChainRole, EnergyUse, NodePlacement, ScoreConfig, ScoreInput};
use crate::wire::auth::SessionUser;
use crate::wire::scoring::{diff, ConfigVersion, RescoreReport, ScoreSettingsPage, ScoreView};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};

fn parse_config(row: &score_config::Model) -> Result<ScoreConfig, ServiceError> {
    serde_json::from_str(&row.config).map_err(|e| ServiceError::Internal(format!("score config {}: {e}", row.id)))
}

/// The current (newest) score configuration and its version id.
/// Errors: `Internal` (no configuration, or one that does not parse; the migrations seed one),
/// `Db`.
pub async fn current(db: &impl ConnectionTrait) -> Result<(i64, ScoreConfig), ServiceError> {
    let row = score_config::Entity::find()
        .order_by_desc(score_config::Column::Id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::Internal("no score configuration".into()))?;
    Ok((row.id, parse_config(&row)?))
}

/// The one 重大项目 threshold (万元): the current score configuration's, which admins edit on the
/// scoring settings page. Lists, the board, reports, exports and the score all read it here.
/// Errors: `Db`, `Internal` (no configuration; the migrations seed one).
pub async fn major_project_wan(db: &impl ConnectionTrait) -> Result<f64, ServiceError> {
    Ok(current(db).await?.1.thresholds.major_project_wan)
}

/// Moves `LZ_MAJOR_PROJECT_WAN` (万元, the old deployment setting) into the score configuration:
/// a new version carrying it, written by the system, unless an admin has already set the
/// threshold there (an admin-written version whose threshold differs from the one before it;
/// edits of weights or grades alone do not count). Then the setting is left alone and a warning
/// says where the threshold lives now. The new version and the rescore it causes commit together.
/// Returns whether a version was added.
/// Errors: `Invalid` at `thresholds.major_project_wan` (not a positive number), `Db`, `Internal`
/// (no configuration, or a stored version that does not parse).
pub async fn adopt_major_threshold<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    wan: f64,
) -> Result<bool, ServiceError> {
    if !(wan.is_finite() && wan > 0.0) {
        return Err(ServiceError::Invalid(vec![crate::domain::lead::FieldError::new(
            "thresholds.major_project_wan",
            "err.score.threshold",
        )]));
    }
    let (_, mut config) = current(db).await?;
    if config.thresholds.major_project_wan == wan {
        return Ok(false);
    }
    let versions = score_config::Entity::find().order_by_asc(score_config::Column::Id).all(db).await?;
    let mut before: Option<f64> = None;
    let mut set_by_admin = false;
    for row in &versions {
        let threshold = parse_config(row)?.thresholds.major_project_wan;
        if row.created_by.is_some() && before.is_some_and(|b| b != threshold) {
            set_by_admin = true;
        }
        before = Some(threshold);
    }
    if set_by_admin {
        tracing::warn!(
            "LZ_MAJOR_PROJECT_WAN={wan} is ignored: the 重大项目 threshold is {} in the score configuration, which admins edit on /settings/scoring",
            config.thresholds.major_project_wan
        );
        return Ok(false);
    }
    config.thresholds.major_project_wan = wan;
    let json = serde_json::to_string(&config).map_err(|e| ServiceError::Internal(e.to_string()))?;
    let txn = db.begin().await?;
    score_config::ActiveModel {
        config: Set(json),
        note: Set("LZ_MAJOR_PROJECT_WAN".into()),
        created_by: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    rescore(&txn, Scope::All).await?;
    txn.commit().await?;
    Ok(true)
}

/// Score configuration version `id` (to explain a score made by an older version).
/// Errors: `NotFound` (no such version), `Internal` (it does not parse), `Db`.
pub async fn version(db: &impl ConnectionTrait, id: i64) -> Result<ScoreConfig, ServiceError> {
    let row = score_config::Entity::find_by_id(id).one(db).await?.ok_or(ServiceError::NotFound)?;
    parse_config(&row)
}

/// What the score reads from a lead (selected alone when rescoring many leads).
#[derive(Clone, Debug, sea_orm::FromQueryResult)]
pub struct ScoreFacts {
    pub id: i64,
    pub industry: String,
    pub planned_investment_wan: Option<f64>,
    pub land_mu: Option<f64>,
    pub annual_tax_wan: Option<f64>,
    pub high_tech: Option<bool>,
    pub specialised: Option<bool>,
    pub listed: Option<bool>,
    pub region_group: String,
    pub nanjing_metro: bool,
    pub energy_use: Option<String>,
    /// The stored grade, score and the version that computed them, so a rescore leaves alone
    /// what it would not change.
    pub grade: Option<String>,
    pub score: Option<f64>,
    pub score_version: Option<i64>,
}

impl From<&lead::Model> for ScoreFacts {
    fn from(l: &lead::Model) -> Self {
        ScoreFacts {
            id: l.id,
            industry: l.industry.clone(),
            planned_investment_wan: l.planned_investment_wan,
            land_mu: l.land_mu,
            annual_tax_wan: l.annual_tax_wan,
            high_tech: l.high_tech,
            specialised: l.specialised,
            listed: l.listed,
            region_group: l.region_group.clone(),
            nanjing_metro: l.nanjing_metro,
            energy_use: l.energy_use.clone(),
            grade: l.grade.clone(),
            score: l.score,
            score_version: l.score_version,
        }
    }
}

impl ScoreFacts {
    /// The facts of a lead not saved yet (as an import inserts it).
    pub fn of_input(input: &crate::domain::lead::LeadInput, region: &crate::domain::region::RegionCode) -> Self {
        ScoreFacts {
            id: 0,
            industry: input.industry.code().to_string(),
            planned_investment_wan: input.planned_investment_wan,
            land_mu: input.land_mu,
            annual_tax_wan: input.annual_tax_wan,
            high_tech: input.high_tech,
            specialised: input.specialised,
            listed: input.listed,
            region_group: region.group().as_str().to_string(),
            nanjing_metro: region.in_nanjing_metro(),
            energy_use: input.energy_use.map(|e| e.code().to_string()),
            grade: None,
            score: None,
            score_version: None,
        }
    }
}

/// What the score reads for one lead: its facts, and for each placement whether the node is a gap
/// (缺链, its own landing aside) and whether it supplies a local 链主.
pub fn input_for(l: &ScoreFacts, placements: &[lead_node::Model], coverage: &Coverage) -> ScoreInput {
    ScoreInput {
        industry: Industry::parse(&l.industry),
        nodes: placements
            .iter()
            .map(|p| NodePlacement {
                is_gap: coverage.is_gap_for(p.node_id, Some(l.id)),
                role: ChainRole::parse(&p.role).unwrap_or(ChainRole::Plain),
                supplies_local_leader: p.supplies_enterprise_id.is_some_and(|e| coverage.is_leader(e)),
            })
            .collect(),
        planned_investment_wan: l.planned_investment_wan,
        land_mu: l.land_mu,
        annual_tax_wan: l.annual_tax_wan,
        high_tech: l.high_tech,
        specialised: l.specialised,
        listed: l.listed,
        region_group: RegionGroup::parse(&l.region_group),
        nanjing_metro: l.nanjing_metro,
        energy: l.energy_use.as_deref().and_then(EnergyUse::parse),
    }
}

/// The lead's fit score (契合度) with its breakdown, computed by the version that produced the
/// stored score; `None` if it was never scored.
/// Errors: `NotFound` (its version row is gone), `Internal` (the version does not parse), `Db`.
pub async fn view(db: &impl ConnectionTrait, l: &lead::Model) -> Result<Option<ScoreView>, ServiceError> {
    let Some(version_id) = l.score_version else { return Ok(None) };
    let config = version(db, version_id).await?;
    let placements = lead_node::Entity::find().filter(lead_node::Column::LeadId.eq(l.id)).all(db).await?;
    let coverage = Coverage::for_placements(db, &placements).await?;
    let fit = score(&input_for(&ScoreFacts::from(l), &placements, &coverage), &config);
    Ok(Some(ScoreView { version: version_id, fit }))
}

/// The scoring settings page: the current configuration, every version newest first with who
/// made it (Asia/Shanghai `YYYY-MM-DD HH:MM`) and what it changed, and whether `actor` may edit
/// (admins).
/// Errors: `Internal` (no configuration, or a version that does not parse), `Db`.
pub async fn settings_page(db: &impl ConnectionTrait, actor: &SessionUser) -> Result<ScoreSettingsPage, ServiceError> {
    let rows = score_config::Entity::find().order_by_asc(score_config::Column::Id).all(db).await?;
    let who = super::users::names(db, rows.iter().filter_map(|r| r.created_by)).await?;
    let mut history = Vec::new();
    let mut previous: Option<ScoreConfig> = None;
    for row in &rows {
        let config = parse_config(row)?;
        history.push(ConfigVersion {
            version: row.id,
            created_by: row.created_by.and_then(|id| who.get(&id).cloned()),
            created_at: local_time(row.created_at),
            note: row.note.clone(),
            changes: previous.as_ref().map(|p| diff(p, &config)).unwrap_or_default(),
        });
        previous = Some(config);
    }
    history.reverse();
    let (version, config) = current(db).await?;
    Ok(ScoreSettingsPage { version, config, history, can_edit: actor.role.manages_users() })
}

/// Saves `config` (already validated at the edge) as a new version by an admin and rescores every
/// lead with it. Returns the version, how many leads were rescored and how long it took (ms).
/// Errors: `Forbidden` (not an admin), `Internal` (serialising), `Db`.
pub async fn save_config<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &SessionUser,
    config: ScoreConfig,
    note: &str,
) -> Result<RescoreReport, ServiceError> {
    if !actor.role.manages_users() {
        return Err(ServiceError::Forbidden);
    }
    let json = serde_json::to_string(&config).map_err(|e| ServiceError::Internal(e.to_string()))?;
    let row = score_config::ActiveModel {
        config: Set(json),
        note: Set(note.to_string()),
        created_by: Set(Some(actor.id)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let started = std::time::Instant::now();
    let rescored = rescore(db, Scope::All).await?;
    Ok(RescoreReport { version: row.id, rescored, millis: started.elapsed().as_millis() as u64 })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_seeded_version_1_is_the_domain_default() {
        let seeded: crate::domain::score::ScoreConfig =
            serde_json::from_str(migration::seed_chains::DEFAULT_SCORE_CONFIG).unwrap();
        assert_eq!(seeded, crate::domain::score::ScoreConfig::default());
    }
}
