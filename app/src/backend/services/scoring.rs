//! Storing and applying the fit score: the versioned configuration and each lead's inputs (its
//! data and its place on the chains), and a lead's score explained; rescoring is in `rescore`,
//! the settings page and new versions in `score_settings`.

use super::coverage::Coverage;
use super::ServiceError;
use crate::backend::entities::{lead, lead_node, score_config};
use crate::domain::catalog::Industry;
use crate::domain::region::RegionGroup;
use crate::domain::score::{score, ChainRole, EnergyUse, NodePlacement, ScoreConfig, ScoreInput};
use crate::wire::scoring::ScoreView;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

pub(super) fn parse_config(row: &score_config::Model) -> Result<ScoreConfig, ServiceError> {
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

/// Every lead's [`ScoreFacts`], by id, read on SQLite as one packed row (a JSON array of arrays
/// built by SQLite itself): the driver hands rows over one by one, and 100,000 of them took about
/// 0.5 s where the packed text takes about 0.25 s to build and read (`lianzhao bench
/// --rescore-only`). A flag reads as 0/1, as SQLite stores it.
/// Errors: `Db`, `Internal` (the packed text does not read: a column's type changed).
pub(super) async fn every_fact_sqlite(db: &impl ConnectionTrait) -> Result<Vec<ScoreFacts>, ServiceError> {
    type Packed = (
        i64,
        String,
        Option<f64>,
        Option<f64>,
        Option<f64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        String,
        i64,
        Option<String>,
        Option<String>,
        Option<f64>,
        Option<i64>,
    );
    let row = db
        .query_one(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Sqlite,
            "SELECT json_group_array(json_array(id, industry, planned_investment_wan, land_mu, annual_tax_wan, \
             high_tech, specialised, listed, region_group, nanjing_metro, energy_use, grade, score, score_version)) \
             AS facts FROM (SELECT * FROM leads ORDER BY id)",
        ))
        .await?;
    let Some(row) = row else { return Ok(Vec::new()) };
    let text: String = row.try_get("", "facts")?;
    let packed: Vec<Packed> =
        serde_json::from_str(&text).map_err(|e| ServiceError::Internal(format!("packed score facts: {e}")))?;
    let flag = |v: Option<i64>| v.map(|n| n != 0);
    Ok(packed
        .into_iter()
        .map(|p| ScoreFacts {
            id: p.0,
            industry: p.1,
            planned_investment_wan: p.2,
            land_mu: p.3,
            annual_tax_wan: p.4,
            high_tech: flag(p.5),
            specialised: flag(p.6),
            listed: flag(p.7),
            region_group: p.8,
            nanjing_metro: p.9 != 0,
            energy_use: p.10,
            grade: p.11,
            score: p.12,
            score_version: p.13,
        })
        .collect())
}

/// Every placement (`lead_nodes`), read on SQLite as one packed row like
/// [`every_fact_sqlite`]: 60,000 of them took about 80 ms row by row.
/// Errors: `Db`, `Internal` (the packed text does not read).
pub(super) async fn every_placement_sqlite(db: &impl ConnectionTrait) -> Result<Vec<lead_node::Model>, ServiceError> {
    let row = db
        .query_one(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Sqlite,
            "SELECT json_group_array(json_array(lead_id, node_id, role, supplies_enterprise_id)) AS placed \
             FROM lead_nodes",
        ))
        .await?;
    let Some(row) = row else { return Ok(Vec::new()) };
    let text: String = row.try_get("", "placed")?;
    let packed: Vec<(i64, i64, String, Option<i64>)> =
        serde_json::from_str(&text).map_err(|e| ServiceError::Internal(format!("packed placements: {e}")))?;
    Ok(packed
        .into_iter()
        .map(|(lead_id, node_id, role, supplies_enterprise_id)| lead_node::Model {
            lead_id,
            node_id,
            role,
            supplies_enterprise_id,
        })
        .collect())
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
