//! 停滞 — when a lead counts as stalled: no one has worked on it for the office's `stale_days`.
//! One rule for the board's marker (`kanban`) and the weekly pack's count and list (`reports`):
//! a lead was last touched at the latest of its registration, its last stage move and its last
//! follow-up logged (跟进记录, when it was written down); editing its fields, a rescore or an
//! import's update does not count — they are not work with the company.

use crate::backend::entities::{activity, lead, stage_move};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Func, Query, SelectStatement, SimpleExpr};
use sea_orm::{ColumnTrait, EntityTrait};

/// `SELECT expr FROM entity WHERE entity.lead_id = leads.id` (`lead_id`: its lead column), for the
/// lead of the outer query.
fn of_lead<E: EntityTrait>(entity: E, lead_id: E::Column, expr: SimpleExpr) -> SelectStatement {
    Query::select()
        .expr(expr)
        .from(entity)
        .and_where(Expr::col((entity, lead_id)).equals((lead::Entity, lead::Column::Id)))
        .to_owned()
}

/// SQL for when the outer query's lead was last touched (a UTC timestamp, never NULL): the
/// latest of `leads.created_at`, its last `stage_moves.moved_at` and its last
/// `activities.created_at`.
pub(super) fn touched() -> SimpleExpr {
    let newest = |q: SelectStatement| SimpleExpr::SubQuery(None, Box::new(q.into_sub_query_statement()));
    let last_move = newest(of_lead(
        stage_move::Entity,
        stage_move::Column::LeadId,
        Func::max(Expr::col((stage_move::Entity, stage_move::Column::MovedAt))).into(),
    ));
    let last_activity = newest(of_lead(
        activity::Entity,
        activity::Column::LeadId,
        Func::max(Expr::col((activity::Entity, activity::Column::CreatedAt))).into(),
    ));
    let created = || Expr::col((lead::Entity, lead::Column::CreatedAt));
    // A comparison with NULL (no move, no follow-up) is not true: the other side is taken.
    let moved: SimpleExpr =
        Expr::case(Expr::expr(last_move.clone()).gt(created()), last_move).finally(created()).into();
    Expr::case(Expr::expr(last_activity.clone()).gt(moved.clone()), last_activity).finally(moved).into()
}

/// SQL true for a lead not touched (see [`touched`]) since `before`: registered before it, with
/// no stage move and no follow-up logged since (`NOT EXISTS`, by `idx_stage_moves_lead` and
/// `idx_activities_lead_created`).
pub(super) fn untouched_since(before: DateTime<Utc>) -> SimpleExpr {
    let moved = of_lead(stage_move::Entity, stage_move::Column::LeadId, Expr::val(1).into())
        .and_where(Expr::col((stage_move::Entity, stage_move::Column::MovedAt)).gte(before))
        .to_owned();
    let followed_up = of_lead(activity::Entity, activity::Column::LeadId, Expr::val(1).into())
        .and_where(Expr::col((activity::Entity, activity::Column::CreatedAt)).gte(before))
        .to_owned();
    lead::Column::CreatedAt.lt(before).and(Expr::exists(moved).not()).and(Expr::exists(followed_up).not())
}
