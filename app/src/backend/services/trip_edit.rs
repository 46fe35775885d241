//! A trip's form read into a plan (for a new trip and for a change), and changing a trip that
//! is still open: its kind, purpose, destination, days, team and members, where its visits
//! (走访) allow it.

use super::access::{editable_trip, trip_members, trips_visible_to};
use super::trip_mail::notify_members;
use super::ServiceError;
use crate::backend::entities::{team, team_member, trip, trip_member, user, visit, visit_attendee};
use crate::backend::regions::divisions;
use crate::backend::Settings;
use crate::domain::lead::FieldError;
use crate::domain::role::Role;
use crate::domain::trip::{TripKind, TripStatus};
use crate::wire::auth::SessionUser;
use crate::wire::trips::{AwayNote, TripForm};
use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait};

/// `raw` as a `YYYY-MM-DD` date, else `err.required` (empty) or `err.date` at `field`.
pub(super) fn date(field: &str, raw: &str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    match NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            errors.push(FieldError::new(field, if raw.trim().is_empty() { "err.required" } else { "err.date" }));
            None
        }
    }
}

/// A trip's form, read.
pub(super) struct TripPlan {
    pub kind: TripKind,
    pub purpose: String,
    /// Division code; empty for an inbound visit with no destination.
    pub destination: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub team_id: Option<i64>,
    /// Sorted, without repeats; staff are on the trips they plan.
    pub members: Vec<i64>,
}

/// Reads a trip's form for `actor`; `before`: the trip being changed and its members (a team it
/// already has, and members already on it, stay allowed to staff who could not choose them).
/// Errors: `Invalid` at `kind`, `purpose` (empty, over 500), `destination` (needed outbound;
/// words no region matches), `start_on`/`end_on` (`YYYY-MM-DD`, end before start, over 31 days),
/// `team_id` (unknown, not theirs), `members` (none, outside the team, unknown, disabled or a
/// leader); `Db`.
pub(super) async fn plan_of(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    form: &TripForm,
    before: Option<(&trip::Model, &[i64])>,
) -> Result<TripPlan, ServiceError> {
    let mut errors = Vec::new();
    let kind = TripKind::parse(&form.kind);
    if kind.is_none() {
        errors.push(FieldError::new("kind", "err.choose"));
    }
    let purpose = form.purpose.trim().to_string();
    if purpose.is_empty() {
        errors.push(FieldError::new("purpose", "err.required"));
    } else if purpose.chars().count() > 500 {
        errors.push(FieldError::new("purpose", "err.too_long").with("max", 500));
    }
    let destination = match form.destination.trim() {
        "" if kind == Some(TripKind::Outbound) => {
            errors.push(FieldError::new("destination", "err.required"));
            String::new()
        }
        "" => String::new(),
        // "深圳", "江宁区", "320115", or the name a trip's page shows ("广东省 深圳市").
        text => divisions().find_address(text).unwrap_or_else(|| {
            errors.push(FieldError::new("destination", "err.region.words").with("words", text));
            String::new()
        }),
    };
    let start = date("start_on", &form.start_on, &mut errors);
    let end = date("end_on", &form.end_on, &mut errors);
    if let (Some(s), Some(e)) = (start, end) {
        if e < s {
            errors.push(FieldError::new("end_on", "err.trip.end_before_start"));
        } else if (e - s).num_days() > 31 {
            errors.push(FieldError::new("end_on", "err.trip.too_long"));
        }
    }
    let team_id = match form.team_id.trim() {
        "" => None,
        raw => match raw.parse::<i64>() {
            Ok(id) if team::Entity::find_by_id(id).one(db).await?.is_some() => Some(id),
            _ => {
                errors.push(FieldError::new("team_id", "err.choose"));
                None
            }
        },
    };
    let (kept_team, kept_members) = match before {
        Some((t, members)) => (t.team_id, members),
        None => (None, &[][..]),
    };
    // Staff file trips under their own teams; managers under any.
    let manager = actor.role.assigns_leads();
    if team_id.is_some_and(|t| !manager && !actor.teams.contains(&t) && Some(t) != kept_team) {
        errors.push(FieldError::new("team_id", "err.trip.not_your_team"));
    }
    let mut members: Vec<i64> = form.members.values().filter_map(|v| v.trim().parse().ok()).collect();
    if actor.role == Role::Staff && !members.contains(&actor.id) {
        // Staff plan trips they go on.
        members.push(actor.id);
    }
    members.sort_unstable();
    members.dedup();
    if !manager {
        // …and book only themselves and the trip's team on it (a manager may add anyone).
        let team_members: Vec<i64> = match team_id {
            Some(t) => team_member::Entity::find()
                .filter(team_member::Column::TeamId.eq(t))
                .all(db)
                .await?
                .into_iter()
                .map(|m| m.user_id)
                .collect(),
            None => Vec::new(),
        };
        if members.iter().any(|m| *m != actor.id && !team_members.contains(m) && !kept_members.contains(m)) {
            errors.push(FieldError::new("members", "err.trip.member_not_in_team"));
        }
    }
    let known = user::Entity::find()
        .filter(user::Column::Id.is_in(members.iter().copied()))
        .filter(super::users::travellers())
        .all(db)
        .await?
        .len();
    if members.is_empty() {
        errors.push(FieldError::new("members", "err.trip.no_members"));
    } else if known != members.len() {
        errors.push(FieldError::new("members", "err.team.member"));
    }
    match (kind, start, end, errors.is_empty()) {
        (Some(kind), Some(start), Some(end), true) => {
            Ok(TripPlan { kind, purpose, destination, start, end, team_id, members })
        }
        _ => Err(ServiceError::Invalid(errors)),
    }
}

/// Who of open trip `t`'s members (`members`) is also on another open trip (a draft or published)
/// on any of its days, when either trip goes out of town (外出招商): the trip's page says so under
/// its members. Not refused: a tour's last day in one city is often the next trip's first day in
/// another, and the hours of visits are checked apart (`visit_edit::clash`); two 客商来访 on the
/// same days may share people. The other trip's purpose is named to whoever may see it
/// (`access::trips_visible_to`), else only its days; each person's every such trip (earliest
/// first), in the order of their names.
/// Errors: `Db` only.
pub(super) async fn away(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    t: &trip::Model,
    members: &[i64],
) -> Result<Vec<AwayNote>, ServiceError> {
    let on_them = Query::select()
        .column(trip_member::Column::TripId)
        .from(trip_member::Entity)
        .and_where(trip_member::Column::UserId.is_in(members.iter().copied()))
        .to_owned();
    let mut q = trip::Entity::find()
        .filter(trip::Column::Id.in_subquery(on_them))
        .filter(trip::Column::Id.ne(t.id))
        .filter(trip::Column::Status.is_in([TripStatus::Draft.code(), TripStatus::Planned.code()]))
        .filter(trip::Column::StartOn.lte(t.end_on))
        .filter(trip::Column::EndOn.gte(t.start_on));
    if t.kind != TripKind::Outbound.code() {
        q = q.filter(trip::Column::Kind.eq(TripKind::Outbound.code()));
    }
    let others = q.order_by_asc(trip::Column::StartOn).order_by_asc(trip::Column::Id).all(db).await?;
    if others.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = others.iter().map(|t| t.id).collect();
    let seen: Vec<i64> = trips_visible_to(trip::Entity::find().filter(trip::Column::Id.is_in(ids.clone())), actor)
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.id)
        .collect();
    let on = trip_member::Entity::find()
        .filter(trip_member::Column::TripId.is_in(ids))
        .filter(trip_member::Column::UserId.is_in(members.iter().copied()))
        .all(db)
        .await?;
    let names = super::users::names(db, on.iter().map(|m| m.user_id)).await?;
    let mut people: Vec<(&String, i64)> = names.iter().map(|(id, name)| (name, *id)).collect();
    people.sort();
    Ok(people
        .into_iter()
        .flat_map(|(who, user)| {
            let on = &on;
            others.iter().filter(move |o| on.iter().any(|m| m.trip_id == o.id && m.user_id == user)).map(|other| {
                AwayNote {
                    who: who.clone(),
                    trip: seen.contains(&other.id).then(|| (other.id, other.purpose.clone())),
                    start_on: other.start_on.to_string(),
                    end_on: other.end_on.to_string(),
                }
            })
        })
        .collect())
}

/// Changes open trip `id` (a draft or a published one) from `form`, if it is still at `version`:
/// its visits keep their days and people, so the new days must hold every visit and every
/// person booked on a visit stays a member (move or remove those visits first). The version
/// moves on; a published trip's members — those who stay and those taken off — are told
/// (coalesced, with the `.ics`). Returns whether they were (the trip is published).
/// Errors: `NotFound`/`Hidden`/`Forbidden` (see `access::editable_trip`),
/// `Conflict("err.trip.not_open")`, `Conflict("err.trip.stale")` (changed since `version`),
/// `Invalid` as [`plan_of`] says and at `start_on`/`end_on` (`err.trip.visit_outside`: a visit's
/// day, with how many), `members` (`err.trip.member_booked`: who is booked on a visit); `Db`.
pub async fn update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    settings: &Settings,
    actor: &SessionUser,
    id: i64,
    version: i32,
    form: TripForm,
) -> Result<bool, ServiceError> {
    let t = editable_trip(db, actor, id).await?;
    let status = TripStatus::parse(&t.status);
    if !status.is_some_and(|s| s.is_open()) {
        return Err(ServiceError::Conflict("err.trip.not_open".into()));
    }
    if t.version != version {
        return Err(ServiceError::Conflict("err.trip.stale".into()));
    }
    // Read and checked under the write lock: a visit booked meanwhile is seen.
    let txn = crate::backend::db::begin_write(db).await?;
    let before = trip_members(&txn, id).await?;
    let plan = plan_of(&txn, actor, &form, Some((&t, &before))).await?;
    let mut errors = Vec::new();
    let visits = visit::Entity::find().filter(visit::Column::TripId.eq(id)).all(&txn).await?;
    let days: Vec<NaiveDate> =
        visits.iter().map(|v| v.starts_at.with_timezone(&chrono_tz::Asia::Shanghai).date_naive()).collect();
    for (field, outside) in [
        ("start_on", days.iter().filter(|d| **d < plan.start).min()),
        ("end_on", days.iter().filter(|d| **d > plan.end).max()),
    ] {
        if let Some(day) = outside {
            let count = days.iter().filter(|d| **d < plan.start || **d > plan.end).count();
            errors.push(FieldError::new(field, "err.trip.visit_outside").with("date", day).with("count", count));
        }
    }
    let booked: Vec<i64> = visit_attendee::Entity::find()
        .filter(visit_attendee::Column::VisitId.is_in(visits.iter().map(|v| v.id)))
        .all(&txn)
        .await?
        .into_iter()
        .map(|a| a.user_id)
        .filter(|u| !plan.members.contains(u))
        .collect();
    if !booked.is_empty() {
        let mut names: Vec<String> = super::users::names(&txn, booked).await?.into_values().collect();
        names.sort();
        errors.push(FieldError::new("members", "err.trip.member_booked").with("who", names.join("、")));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    // Only over the version read: a change saved meanwhile makes this one stale.
    let moved = trip::Entity::update_many()
        .col_expr(trip::Column::Kind, Expr::value(plan.kind.code()))
        .col_expr(trip::Column::Purpose, Expr::value(plan.purpose))
        .col_expr(trip::Column::DestinationCode, Expr::value(plan.destination))
        .col_expr(trip::Column::StartOn, Expr::value(plan.start))
        .col_expr(trip::Column::EndOn, Expr::value(plan.end))
        .col_expr(trip::Column::TeamId, Expr::value(plan.team_id))
        .col_expr(trip::Column::Version, Expr::value(version + 1))
        .col_expr(trip::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(trip::Column::Id.eq(id))
        .filter(trip::Column::Version.eq(version))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(ServiceError::Conflict("err.trip.stale".into()));
    }
    trip_member::Entity::delete_many().filter(trip_member::Column::TripId.eq(id)).exec(&txn).await?;
    trip_member::Entity::insert_many(
        plan.members.iter().map(|u| trip_member::ActiveModel { trip_id: Set(id), user_id: Set(*u) }),
    )
    .exec(&txn)
    .await?;
    txn.commit().await?;
    let published = status == Some(TripStatus::Planned);
    if published {
        let t = trip::Entity::find_by_id(id).one(db).await?.ok_or(ServiceError::NotFound)?;
        let gone: Vec<i64> = before.into_iter().filter(|u| !plan.members.contains(u)).collect();
        notify_members(db, settings, &t, true).await?;
        super::trip_mail::notify_removed(db, settings, &t, &gone).await?;
    }
    Ok(published)
}
