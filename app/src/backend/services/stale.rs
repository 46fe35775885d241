//! 停滞 — when a lead counts as stalled: nobody has worked with the company for the office's
//! `stale_days`. One rule for the board's marker (`kanban`) and the weekly pack's count and list
//! (`reports`): a lead was last touched at the latest of its registration, its last stage move
//! and the day of its last follow-up (跟进记录's 日期, from that Asia/Shanghai day's start: a
//! contact written down today about a call three weeks ago is a contact three weeks ago).
//! Editing its fields, a rescore or an import's update does not count — they are not work with
//! the company.

use crate::backend::entities::{activity, lead, stage_move};
use crate::backend::local_day_start;
use chrono::{DateTime, NaiveDate, Utc};
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

fn sub(q: SelectStatement) -> SimpleExpr {
    SimpleExpr::SubQuery(None, Box::new(q.into_sub_query_statement()))
}

/// SQL for the outer query's lead's last stage move (a UTC timestamp, NULL when none).
fn last_move() -> SimpleExpr {
    sub(of_lead(
        stage_move::Entity,
        stage_move::Column::LeadId,
        Func::max(Expr::col((stage_move::Entity, stage_move::Column::MovedAt))).into(),
    ))
}

/// SQL for the later of the outer query's lead's registration and its last stage move (a UTC
/// timestamp, never NULL).
pub(super) fn moved_or_registered() -> SimpleExpr {
    let created = || Expr::col((lead::Entity, lead::Column::CreatedAt));
    // `GREATEST` (SQLite's many-argument `MAX`); SQLite's is NULL with a NULL argument, so no
    // move reads as the registration. Each subquery is run once per row.
    Func::greatest([created().into(), Func::coalesce([last_move(), created().into()]).into()]).into()
}

/// SQL for the day of the outer query's lead's last follow-up (a date, NULL when none).
pub(super) fn last_contact() -> SimpleExpr {
    sub(of_lead(
        activity::Entity,
        activity::Column::LeadId,
        Func::max(Expr::col((activity::Entity, activity::Column::HappenedOn))).into(),
    ))
}

/// SQL to order leads by when they were last touched, oldest first: the later of
/// [`moved_or_registered`] and [`last_contact`] (a date compares as its start on both databases:
/// as text on SQLite, cast on PostgreSQL), each subquery run once per row. For `ORDER BY` only;
/// read the two apart for the value.
pub(super) fn touched_order() -> SimpleExpr {
    let created = || SimpleExpr::from(Expr::col((lead::Entity, lead::Column::CreatedAt)));
    Func::greatest([
        created(),
        Func::coalesce([last_move(), created()]).into(),
        Func::coalesce([last_contact(), created()]).into(),
    ])
    .into()
}

/// When a lead was last touched, from [`moved_or_registered`] and [`last_contact`].
pub(super) fn last_touch(moved_or_registered: DateTime<Utc>, last_contact: Option<NaiveDate>) -> DateTime<Utc> {
    last_contact.map(local_day_start).map_or(moved_or_registered, |c| c.max(moved_or_registered))
}

/// SQL true for a lead not touched since `before` ([`last_touch`] < `before`): registered before
/// it, no stage move since and no follow-up on a day starting at or after it (`NOT EXISTS`, by
/// `idx_stage_moves_lead` and `idx_activities_lead`).
pub(super) fn untouched_since(before: DateTime<Utc>) -> SimpleExpr {
    let moved = of_lead(stage_move::Entity, stage_move::Column::LeadId, Expr::val(1).into())
        .and_where(Expr::col((stage_move::Entity, stage_move::Column::MovedAt)).gte(before))
        .to_owned();
    let first_day = first_day_from(before);
    let followed_up = of_lead(activity::Entity, activity::Column::LeadId, Expr::val(1).into())
        .and_where(Expr::col((activity::Entity, activity::Column::HappenedOn)).gte(first_day))
        .to_owned();
    lead::Column::CreatedAt.lt(before).and(Expr::exists(moved).not()).and(Expr::exists(followed_up).not())
}

/// The first Asia/Shanghai day whose start is at or after `t`.
fn first_day_from(t: DateTime<Utc>) -> NaiveDate {
    let day = t.with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
    if local_day_start(day) >= t {
        day
    } else {
        day.succ_opt().unwrap_or(day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contact_counts_from_its_day_and_the_sql_agrees() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        let registered = local_day_start(d("2026-11-01"));
        // Logged today about a call on 11-10: touched on 11-10.
        assert_eq!(last_touch(registered, Some(d("2026-11-10"))), local_day_start(d("2026-11-10")));
        assert_eq!(last_touch(registered, None), registered);
        assert_eq!(last_touch(registered, Some(d("2026-10-01"))), registered, "a move or registration later");
        // The SQL's first day: a contact that day starts at or after `before`.
        let noon = local_day_start(d("2026-11-10")) + chrono::Duration::hours(12);
        assert_eq!(first_day_from(noon), d("2026-11-11"));
        assert_eq!(first_day_from(local_day_start(d("2026-11-10"))), d("2026-11-10"));
    }
}
