//! The kanban board: per stage, the count and total planned investment of the filtered leads
//! (one grouped query), and the best-scored cards with days in stage and a stale marker.

use super::access::can_edit_lead;
use super::lead_list::filtered;
use super::leads::region_of;
use super::stale;
use super::ServiceError;
use crate::backend::entities::lead;
use crate::backend::regions::divisions;
use crate::domain::catalog::Stage;
use crate::domain::lead_filter::LeadFilter;
use crate::wire::auth::SessionUser;
use crate::wire::kanban::{Board, Card, Column, CARDS_PER_COLUMN};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, NullOrdering, Order};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select};
use std::collections::HashMap;

/// The kanban board (看板) of the leads `actor` may see that match `filter` (its stage ignored):
/// one column per stage with the count and total planned investment (万元), and at most
/// `CARDS_PER_COLUMN` cards, best score first, each with days in stage and stale when untouched
/// for `stale_days` (see `stale`: registered, moved and followed up — by the follow-up's own day,
/// not the day it was written down — all longer ago than that).
/// Errors: `Invalid` at `owner` (a bad owner filter), `Db`, `Internal` (no score configuration).
pub async fn board(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    filter: &LeadFilter,
    stale_days: i64,
) -> Result<Board, ServiceError> {
    let major_project_wan = super::scoring::major_project_wan(db).await?;
    let base =
        filtered(db.get_database_backend(), actor, &LeadFilter { stage: None, ..filter.clone() }, major_project_wan)?;
    let totals: Vec<(String, i64, Option<f64>)> = totals_query(base.clone()).into_tuple().all(db).await?;
    let totals: HashMap<String, (i64, f64)> =
        totals.into_iter().map(|(stage, n, total)| (stage, (n, total.unwrap_or(0.0)))).collect();
    let mut per_stage = Vec::new();
    for stage in Stage::ALL {
        let (count, total) = totals.get(stage.code()).copied().unwrap_or((0, 0.0));
        let leads = if count == 0 {
            Vec::new()
        } else {
            base.clone()
                .filter(lead::Column::Stage.eq(stage.code()))
                .order_by_with_nulls(lead::Column::Score, Order::Desc, NullOrdering::Last)
                .order_by_desc(lead::Column::Id)
                .limit(CARDS_PER_COLUMN)
                .all(db)
                .await?
        };
        per_stage.push((stage, count, total, leads));
    }
    let ids: Vec<i64> = per_stage.iter().flat_map(|(_, _, _, leads)| leads.iter().map(|l| l.id)).collect();
    let touched = touched_at(db, &ids).await?;
    let now = Utc::now();
    let d = divisions();
    let columns = per_stage
        .into_iter()
        .map(|(stage, count, total, leads)| {
            let cards = leads
                .into_iter()
                .map(|l| {
                    let entered = l.stage_changed_at.unwrap_or(l.created_at);
                    let last = touched.get(&l.id).copied().unwrap_or(l.created_at);
                    Card {
                        id: l.id,
                        version: l.version,
                        region: {
                            // The city ("南京市"), the province of a provincial-level one,
                            // or the overseas area.
                            let view = d.view(&region_of(&l));
                            match view.overseas_key {
                                Some(_) => view.label(actor.locale),
                                None => view
                                    .names
                                    .split(' ')
                                    .nth(1)
                                    .or(view.names.split(' ').next())
                                    .unwrap_or_default()
                                    .to_string(),
                            }
                        },
                        planned_investment_wan: l.planned_investment_wan,
                        grade: l.grade.clone(),
                        days_in_stage: (now - entered).num_days(),
                        stale: (now - last).num_days() >= stale_days,
                        can_edit: can_edit_lead(actor, &l),
                        company_name: l.company_name,
                    }
                })
                .collect();
            Column { stage: stage.code().to_string(), count: count as u64, total_investment_wan: total, cards }
        })
        .collect();
    Ok(Board { columns, stale_days })
}

/// The board's column headers of the leads `base` selects: per stage its code, how many
/// (`n`) and their total planned investment in 万元 (`total`, NULL when none has one). On
/// SQLite a staff member's or a manager's unfiltered totals are read from
/// `idx_leads_stage_access_totals` alone (migration 32), on PostgreSQL from
/// `idx_leads_stage_totals_pg` (migration 36). Builds the query only.
pub fn totals_query(base: Select<lead::Entity>) -> Select<lead::Entity> {
    base.select_only()
        .column(lead::Column::Stage)
        // COUNT(*), not COUNT(id): the same number (ids are never NULL), and on PostgreSQL the
        // totals index (migration 36) answers it without the table's rows.
        .column_as(Expr::cust("COUNT(*)"), "n")
        .column_as(Expr::col(lead::Column::PlannedInvestmentWan).sum(), "total")
        .group_by(lead::Column::Stage)
}

/// When each of leads `ids` was last touched (`stale::last_touch`), in one query.
/// Errors: `Db`.
async fn touched_at(db: &impl ConnectionTrait, ids: &[i64]) -> Result<HashMap<i64, DateTime<Utc>>, ServiceError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(lead::Entity::find()
        .select_only()
        .column(lead::Column::Id)
        .column_as(stale::moved_or_registered(), "moved")
        .column_as(stale::last_contact(), "contact")
        .filter(lead::Column::Id.is_in(ids.iter().copied()))
        .into_tuple::<(i64, DateTime<Utc>, Option<NaiveDate>)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, moved, contact)| (id, stale::last_touch(moved, contact)))
        .collect())
}
