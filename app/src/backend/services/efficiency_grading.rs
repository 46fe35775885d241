//! 亩均效益 grading runs: the rules in force, and a year's grades computed anew from its figures
//! in one transaction (every enterprise of the year at once: benchmarks and shares depend on
//! all). The latest graded year's grade is written onto the enterprise, which the chain map
//! shows.

use super::ServiceError;
use crate::backend::db::begin_write;
use crate::backend::entities::{efficiency_config, enterprise, enterprise_figure, enterprise_grade};
use crate::domain::efficiency::{grade_all, EfficiencyConfig, Figures};
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait};

/// Grades per INSERT (well inside the databases' bound-parameter limits).
const CHUNK: usize = 500;

/// The rules in force: the newest saved version, else the built-in default as version 0.
/// Errors: `Internal` (a stored version that does not parse), `Db`.
pub async fn current(db: &impl ConnectionTrait) -> Result<(i64, EfficiencyConfig), ServiceError> {
    let row = efficiency_config::Entity::find().order_by_desc(efficiency_config::Column::Id).one(db).await?;
    match row {
        None => Ok((0, EfficiencyConfig::default())),
        Some(r) => Ok((r.id, parse(&r)?)),
    }
}

/// A stored version's rules.
/// Errors: `Internal` when its JSON does not parse.
pub fn parse(row: &efficiency_config::Model) -> Result<EfficiencyConfig, ServiceError> {
    serde_json::from_str(&row.config).map_err(|e| ServiceError::Internal(format!("efficiency config {}: {e}", row.id)))
}

/// The figures as the domain reads them.
pub fn figures_of(f: &enterprise_figure::Model) -> Figures {
    Figures {
        land_mu: f.land_mu,
        tax_wan: f.tax_wan,
        revenue_wan: f.revenue_wan,
        added_value_wan: f.added_value_wan,
        energy_tce: f.energy_tce,
        rd_wan: f.rd_wan,
        employees: f.employees,
    }
}

/// The years that have figures, newest first.
/// Errors: `Db`.
pub async fn years(db: &impl ConnectionTrait) -> Result<Vec<i32>, ServiceError> {
    let years: Vec<i32> = enterprise_figure::Entity::find()
        .select_only()
        .column(enterprise_figure::Column::Year)
        .distinct()
        .order_by_desc(enterprise_figure::Column::Year)
        .into_tuple()
        .all(db)
        .await?;
    Ok(years)
}

/// Grades every enterprise with figures for `year` under the rules in force, replacing that
/// year's grades; when `year` is the latest with figures, each graded enterprise's grade on the
/// chain map becomes this one (none when not rated). Returns how many enterprises were graded.
/// Errors: `Internal` (stored rules), `Db`.
pub async fn regrade<C: ConnectionTrait + TransactionTrait>(db: &C, year: i32) -> Result<usize, ServiceError> {
    let (config_id, config) = current(db).await?;
    let txn = begin_write(db).await?;
    let rows = enterprise_figure::Entity::find()
        .filter(enterprise_figure::Column::Year.eq(year))
        .order_by_asc(enterprise_figure::Column::EnterpriseId)
        .all(&txn)
        .await?;
    let figures: Vec<Figures> = rows.iter().map(figures_of).collect();
    let results = grade_all(&config, &figures);
    enterprise_grade::Entity::delete_many().filter(enterprise_grade::Column::Year.eq(year)).exec(&txn).await?;
    let now = Utc::now();
    let mut models = Vec::with_capacity(rows.len());
    for (row, a) in rows.iter().zip(&results) {
        let breakdown = serde_json::to_string(&a.parts).map_err(|e| ServiceError::Internal(e.to_string()))?;
        models.push(enterprise_grade::ActiveModel {
            enterprise_id: Set(row.enterprise_id),
            year: Set(year),
            config_id: Set(config_id),
            score: Set(a.score),
            rank: Set(a.rank.map(|r| r as i32)),
            grade: Set(a.grade.map(|g| g.code().to_string())),
            not_rated: Set(a.not_rated.map(|n| n.key().to_string())),
            breakdown: Set(breakdown),
            graded_at: Set(now),
            ..Default::default()
        });
    }
    let mut models = models.into_iter().peekable();
    while models.peek().is_some() {
        let chunk: Vec<_> = models.by_ref().take(CHUNK).collect();
        enterprise_grade::Entity::insert_many(chunk).exec(&txn).await?;
    }
    let latest = enterprise_figure::Entity::find()
        .select_only()
        .column_as(enterprise_figure::Column::Year.max(), "latest")
        .into_tuple::<Option<i32>>()
        .one(&txn)
        .await?
        .flatten();
    if latest == Some(year) {
        for grade in ["A", "B", "C", "D", ""] {
            let ids: Vec<i64> = rows
                .iter()
                .zip(&results)
                .filter(|(_, a)| a.grade.map(|g| g.code()).unwrap_or("") == grade)
                .map(|(r, _)| r.enterprise_id)
                .collect();
            let value = (!grade.is_empty()).then(|| grade.to_string());
            for chunk in ids.chunks(CHUNK) {
                enterprise::Entity::update_many()
                    .col_expr(enterprise::Column::Grade, Expr::value(value.clone()))
                    .filter(enterprise::Column::Id.is_in(chunk.to_vec()))
                    .exec(&txn)
                    .await?;
            }
        }
    }
    txn.commit().await?;
    Ok(rows.len())
}

/// Grades every year anew (after the rules change). Returns how many grades were written.
/// Errors: those of [`regrade`].
pub async fn regrade_all<C: ConnectionTrait + TransactionTrait>(db: &C) -> Result<usize, ServiceError> {
    let mut n = 0;
    // Oldest first, so the latest year writes the chain map's grades last.
    for year in years(db).await?.into_iter().rev() {
        n += regrade(db, year).await?;
    }
    Ok(n)
}
