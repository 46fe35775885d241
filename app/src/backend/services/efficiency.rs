//! `/efficiency` (亩均效益评价): a year's grades of the zone's enterprises with the breakdown and
//! what each grade brings, and one enterprise's history. Everyone signed in reads (the grades
//! are the office's published 综合评价); managers and admins import and change the rules.

use super::efficiency_grading::{figures_of, years};
use super::ServiceError;
use crate::backend::entities::{efficiency_batch, enterprise, enterprise_figure, enterprise_grade};
use crate::backend::local_time;
use crate::domain::efficiency::{consequences, Part};
use crate::domain::score::Grade;
use crate::wire::auth::SessionUser;
use crate::wire::efficiency::{EfficiencyPage, EnterpriseEfficiency, FigureBatchSummary, GradeRow};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

/// The row of one grade; `previous` is the year before's grade, if any.
fn row(
    g: &enterprise_grade::Model,
    e: &enterprise::Model,
    f: Option<&enterprise_figure::Model>,
    previous: Option<String>,
) -> GradeRow {
    let parts: Vec<Part> = serde_json::from_str(&g.breakdown).unwrap_or_default();
    GradeRow {
        enterprise_id: e.id,
        name: e.name.clone(),
        uscc: e.uscc.clone(),
        year: g.year,
        score: g.score,
        rank: g.rank,
        grade: g.grade.clone(),
        not_rated: g.not_rated.clone(),
        parts,
        consequences: g
            .grade
            .as_deref()
            .and_then(Grade::parse)
            .map(|gr| consequences(gr).into_iter().map(String::from).collect())
            .unwrap_or_default(),
        figures: f.map(figures_of).unwrap_or_default(),
        previous_grade: previous,
        config_id: g.config_id,
    }
}

/// Grade `grade` first (A, B, C, D), then the not rated; by score, then name.
fn order(a: &GradeRow, b: &GradeRow) -> std::cmp::Ordering {
    let key = |r: &GradeRow| r.grade.clone().unwrap_or_else(|| "Z".into());
    key(a).cmp(&key(b)).then(b.score.total_cmp(&a.score)).then(a.name.cmp(&b.name))
}

/// Year `year`'s grades (else the latest year's) filtered to `grade` (A–D, `-` for not rated, empty
/// for all), with the count per grade, the years there are and the latest figures files.
/// Errors: `Db`.
pub async fn page(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    year: Option<i32>,
    grade: &str,
) -> Result<EfficiencyPage, ServiceError> {
    let years = years(db).await?;
    let year = year.filter(|y| years.contains(y)).or_else(|| years.first().copied());
    let mut rows = Vec::new();
    let mut counts = Vec::new();
    if let Some(year) = year {
        let grades = enterprise_grade::Entity::find().filter(enterprise_grade::Column::Year.eq(year)).all(db).await?;
        let before: HashMap<i64, String> = enterprise_grade::Entity::find()
            .filter(enterprise_grade::Column::Year.eq(year - 1))
            .all(db)
            .await?
            .into_iter()
            .filter_map(|g| g.grade.map(|gr| (g.enterprise_id, gr)))
            .collect();
        let figures: HashMap<i64, enterprise_figure::Model> = enterprise_figure::Entity::find()
            .filter(enterprise_figure::Column::Year.eq(year))
            .all(db)
            .await?
            .into_iter()
            .map(|f| (f.enterprise_id, f))
            .collect();
        let ids: Vec<i64> = grades.iter().map(|g| g.enterprise_id).collect();
        let mut enterprises: HashMap<i64, enterprise::Model> = HashMap::new();
        for chunk in ids.chunks(500) {
            for e in enterprise::Entity::find().filter(enterprise::Column::Id.is_in(chunk.to_vec())).all(db).await? {
                enterprises.insert(e.id, e);
            }
        }
        for code in ["A", "B", "C", "D"] {
            counts.push((code.to_string(), grades.iter().filter(|g| g.grade.as_deref() == Some(code)).count()));
        }
        counts.push(("-".into(), grades.iter().filter(|g| g.grade.is_none()).count()));
        for g in &grades {
            let wanted = match grade {
                "" => true,
                "-" => g.grade.is_none(),
                code => g.grade.as_deref() == Some(code),
            };
            if let (true, Some(e)) = (wanted, enterprises.get(&g.enterprise_id)) {
                rows.push(row(g, e, figures.get(&e.id), before.get(&e.id).cloned()));
            }
        }
        rows.sort_by(order);
    }
    let batches = efficiency_batch::Entity::find()
        .select_only()
        .columns([
            efficiency_batch::Column::Id,
            efficiency_batch::Column::FileName,
            efficiency_batch::Column::Year,
            efficiency_batch::Column::Status,
            efficiency_batch::Column::RowCount,
            efficiency_batch::Column::UserId,
            efficiency_batch::Column::CreatedAt,
        ])
        .order_by_desc(efficiency_batch::Column::Id)
        .limit(20)
        .into_tuple::<(i64, String, i32, String, i32, i64, chrono::DateTime<chrono::Utc>)>()
        .all(db)
        .await?;
    let who = super::users::names(db, batches.iter().map(|b| b.5)).await?;
    let batches = batches
        .into_iter()
        .map(|(id, file_name, year, status, row_count, user, at)| FigureBatchSummary {
            id,
            file_name,
            year,
            status,
            row_count,
            by: who.get(&user).cloned().unwrap_or_default(),
            created_at: local_time(at),
        })
        .collect();
    Ok(EfficiencyPage { year, years, rows, counts, batches, can_manage: actor.role.assigns_leads() })
}

/// Enterprise `id` with every year's grade, newest first.
/// Errors: `NotFound`, `Db`.
pub async fn enterprise(db: &impl ConnectionTrait, id: i64) -> Result<EnterpriseEfficiency, ServiceError> {
    let e = enterprise::Entity::find_by_id(id).one(db).await?.ok_or(ServiceError::NotFound)?;
    let grades = enterprise_grade::Entity::find()
        .filter(enterprise_grade::Column::EnterpriseId.eq(id))
        .order_by_desc(enterprise_grade::Column::Year)
        .all(db)
        .await?;
    let figures: HashMap<i32, enterprise_figure::Model> = enterprise_figure::Entity::find()
        .filter(enterprise_figure::Column::EnterpriseId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.year, f))
        .collect();
    let history = grades
        .iter()
        .map(|g| {
            let previous = grades.iter().find(|p| p.year == g.year - 1).and_then(|p| p.grade.clone());
            row(g, &e, figures.get(&g.year), previous)
        })
        .collect();
    Ok(EnterpriseEfficiency { id: e.id, name: e.name, uscc: e.uscc, is_leader: e.is_leader, history })
}
