//! A visit's form read into a booking (for a new visit and for a change), double bookings
//! found inside the write transaction, and changing or removing a planned visit (走访).

use super::access::{editable_trip, find_readable, trip_members, trips_visible_to, visible_to};
use super::trip_mail::changed;
use super::ServiceError;
use crate::backend::entities::{lead, trip, user, visit, visit_attendee};
use crate::backend::{from_local, local_date_time, Settings};
use crate::domain::lead::FieldError;
use crate::domain::trip::{Slot, TripStatus, VisitStatus};
use crate::wire::auth::SessionUser;
use crate::wire::trips::VisitForm;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use sea_orm::{Set, TransactionTrait};

/// A visit's form, read: the lead, the slot (UTC), place, contact and who goes.
pub(super) struct Booking {
    pub lead: lead::Model,
    pub starts: DateTime<Utc>,
    pub ends: DateTime<Utc>,
    pub place: String,
    pub contact: String,
    /// Sorted, without repeats; every member when the form named none.
    pub attendees: Vec<i64>,
}

/// The lead named in the form: "#123 …", "123", a company name the actor can see, or a part of
/// one that only one such lead's name contains (a name is rarely typed whole on a phone, and the
/// form's suggestions list only the trip's destination). `Err`: the message at the field —
/// `err.required`, `err.visit.lead` (none), `err.visit.lead_many` (several contain it; `names`:
/// the first three).
async fn pick_lead(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    raw: &str,
    booked: Option<i64>,
) -> Result<Result<lead::Model, FieldError>, ServiceError> {
    let raw = raw.trim();
    let none = || FieldError::new("lead", if raw.is_empty() { "err.required" } else { "err.visit.lead" });
    let id = raw.strip_prefix('#').unwrap_or(raw).split_whitespace().next().and_then(|n| n.parse::<i64>().ok());
    // A visit's own company stays its company for whoever may change the visit (a member of
    // the trip may attend a visit to a company whose page is not theirs to read).
    if let Some(id) = id.filter(|id| Some(*id) == booked) {
        return Ok(lead::Entity::find_by_id(id).one(db).await?.ok_or_else(none));
    }
    if let Some(id) = id {
        return Ok(find_readable(db, actor, id).await.map_err(|_| none()));
    }
    if raw.is_empty() {
        return Ok(Err(none()));
    }
    let exact = visible_to(lead::Entity::find(), actor).filter(lead::Column::CompanyName.eq(raw)).one(db).await?;
    if let Some(l) = exact {
        return Ok(Ok(l));
    }
    let mut like = visible_to(lead::Entity::find(), actor)
        .filter(lead::Column::CompanyName.contains(raw))
        .order_by_asc(lead::Column::CompanyName)
        .limit(4)
        .all(db)
        .await?;
    Ok(match like.len() {
        0 => Err(none()),
        1 => Ok(like.remove(0)),
        _ => {
            let names: Vec<&str> = like.iter().take(3).map(|l| l.company_name.as_str()).collect();
            Err(FieldError::new("lead", "err.visit.lead_many").with("names", names.join("、")))
        }
    })
}

/// Reads a visit's form on trip `t` for `actor`; `booked`: the lead of the visit being changed
/// (kept without a check of who may read it).
/// Errors: `Invalid` at `lead` (missing, not one they may read, several), `date`/`start`/`end`
/// (unreadable, outside the trip's days), `place`/`contact` (over 200), `attendees` (not a
/// member); `Db`.
pub(super) async fn booking_of(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    t: &trip::Model,
    form: &VisitForm,
    booked: Option<i64>,
) -> Result<Booking, ServiceError> {
    let mut errors = Vec::new();
    let l = match pick_lead(db, actor, &form.lead, booked).await? {
        Ok(l) => Some(l),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let slot = match Slot::parse(&form.date, &form.start, &form.end, (t.start_on, t.end_on)) {
        Ok(s) => Some(s),
        Err((at, e)) => {
            let field = ["date", "start", "end"][at];
            let err = FieldError::new(field, e.key());
            errors.push(if e.key() == "err.visit.outside_trip" {
                err.with("from", t.start_on).with("to", t.end_on)
            } else {
                err
            });
            None
        }
    };
    for (field, value) in [("place", &form.place), ("contact", &form.contact)] {
        if value.chars().count() > 200 {
            errors.push(FieldError::new(field, "err.too_long").with("max", 200));
        }
    }
    let members = trip_members(db, t.id).await?;
    let mut attendees: Vec<i64> = form.attendees.values().filter_map(|v| v.trim().parse().ok()).collect();
    if attendees.is_empty() {
        attendees = members.clone();
    }
    attendees.sort_unstable();
    attendees.dedup();
    if attendees.iter().any(|a| !members.contains(a)) {
        errors.push(FieldError::new("attendees", "err.visit.not_member"));
    }
    let (Some(lead), Some(slot), true) = (l, slot, errors.is_empty()) else {
        return Err(ServiceError::Invalid(errors));
    };
    Ok(Booking {
        lead,
        starts: from_local(slot.start),
        ends: from_local(slot.end),
        place: form.place.trim().to_string(),
        contact: form.contact.trim().to_string(),
        attendees,
    })
}

/// Inside write transaction `txn`: locks `attendees` (a concurrent booking of any of them waits
/// until this one commits, then sees it: row locks on PostgreSQL, the write lock on SQLite) and
/// returns, for each of them booked elsewhere overlapping `starts..ends` (visit `except`'s own
/// booking left out), their earliest such booking, in the order of `attendees` (empty: free).
/// Errors: `Db` only.
pub(super) async fn clash(
    txn: &DatabaseTransaction,
    attendees: &[i64],
    starts: DateTime<Utc>,
    ends: DateTime<Utc>,
    except: Option<i64>,
) -> Result<Vec<visit_attendee::Model>, ServiceError> {
    user::Entity::update_many()
        .col_expr(user::Column::UpdatedAt, Expr::col(user::Column::UpdatedAt).into())
        .filter(user::Column::Id.is_in(attendees.iter().copied()))
        .exec(txn)
        .await?;
    let mut q = visit_attendee::Entity::find()
        .filter(visit_attendee::Column::UserId.is_in(attendees.iter().copied()))
        .filter(visit_attendee::Column::StartsAt.lt(ends))
        .filter(visit_attendee::Column::EndsAt.gt(starts));
    if let Some(id) = except {
        q = q.filter(visit_attendee::Column::VisitId.ne(id));
    }
    let found = q.order_by_asc(visit_attendee::Column::StartsAt).all(txn).await?;
    Ok(attendees.iter().filter_map(|a| found.iter().find(|c| c.user_id == *a).cloned()).collect())
}

/// `Ok` while trip `t` is a draft or published.
/// Errors: `Conflict("err.trip.not_open")`.
pub(super) fn open_trip(t: &trip::Model) -> Result<(), ServiceError> {
    if TripStatus::parse(&t.status).is_some_and(|s| s.is_open()) {
        Ok(())
    } else {
        Err(ServiceError::Conflict("err.trip.not_open".into()))
    }
}

/// One refusal at `attendees` per clash, for a visit being booked on trip `trip_id`: "王芳 is
/// already at 华芯半导体 on 2026-12-02 09:00–11:00 (trip 「深圳电子信息产业链招商」)." The
/// company is named only to someone who may read that lead, and the other visit's trip only when
/// it is another trip they may open; anyone else hears that the person is busy then.
/// Errors: `Db` only (the refusal is the `Ok` value).
pub(super) async fn clash_error(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    trip_id: i64,
    clashes: &[visit_attendee::Model],
) -> Result<ServiceError, ServiceError> {
    let names = super::users::names(db, clashes.iter().map(|c| c.user_id)).await?;
    let mut errors = Vec::with_capacity(clashes.len());
    for c in clashes {
        let (lead, other_trip) = match visit::Entity::find_by_id(c.visit_id).one(db).await? {
            Some(v) => {
                let other = match v.trip_id != trip_id {
                    true => trips_visible_to(trip::Entity::find_by_id(v.trip_id), actor).one(db).await?,
                    false => None,
                };
                (lead::Entity::find_by_id(v.lead_id).one(db).await?, other)
            }
            None => (None, None),
        };
        let (day, from) = local_date_time(c.starts_at);
        let (_, to) = local_date_time(c.ends_at);
        let when = format!("{day} {from}–{to}");
        let error = match (lead.filter(|l| super::access::can_read_lead(actor, l)), other_trip) {
            (Some(l), Some(t)) => FieldError::new("attendees", "err.visit.clash_on_trip")
                .with("company", l.company_name)
                .with("trip", t.purpose),
            (Some(l), None) => FieldError::new("attendees", "err.visit.clash").with("company", l.company_name),
            (None, _) => FieldError::new("attendees", "err.visit.clash_busy"),
        };
        let who = names.get(&c.user_id).cloned().unwrap_or_default();
        errors.push(error.with("who", who).with("when", when));
    }
    Ok(ServiceError::Invalid(errors))
}

/// Planned visit `visit_id` and its trip, if `actor` may work on the trip and it is open.
/// Errors: `NotFound`, those of `access::editable_trip`, `Conflict` (`err.trip.not_open`,
/// `err.visit.already_reported`).
pub(super) async fn visit_on_editable_trip(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    visit_id: i64,
) -> Result<(visit::Model, trip::Model), ServiceError> {
    let v = visit::Entity::find_by_id(visit_id).one(db).await?.ok_or(ServiceError::NotFound)?;
    let t = editable_trip(db, actor, v.trip_id).await?;
    open_trip(&t)?;
    if v.status != VisitStatus::Planned.code() {
        return Err(ServiceError::Conflict("err.visit.already_reported".into()));
    }
    Ok((v, t))
}

/// Changes planned visit `visit_id` (its company, day, times, place, contact, who goes) as
/// [`super::visits::add`] books one, refusing a double booking of anyone but with itself; then
/// the trip's version moves on and a published trip's members are told (coalesced, the `.ics`
/// updating the event in their calendars).
/// Errors: those of `visits::add`, `NotFound` (no such visit),
/// `Conflict("err.visit.already_reported")`.
pub async fn update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    settings: &Settings,
    actor: &SessionUser,
    visit_id: i64,
    form: VisitForm,
) -> Result<(), ServiceError> {
    let (v, t) = visit_on_editable_trip(db, actor, visit_id).await?;
    let b = booking_of(db, actor, &t, &form, Some(v.lead_id)).await?;
    let txn = crate::backend::db::begin_write(db).await?;
    let clashes = clash(&txn, &b.attendees, b.starts, b.ends, Some(v.id)).await?;
    if !clashes.is_empty() {
        drop(txn);
        return Err(clash_error(db, actor, t.id, &clashes).await?);
    }
    // Only while it is still planned: a report filed meanwhile keeps its visit.
    let moved = visit::Entity::update_many()
        .col_expr(visit::Column::LeadId, Expr::value(b.lead.id))
        .col_expr(visit::Column::StartsAt, Expr::value(b.starts))
        .col_expr(visit::Column::EndsAt, Expr::value(b.ends))
        .col_expr(visit::Column::Place, Expr::value(b.place))
        .col_expr(visit::Column::Contact, Expr::value(b.contact))
        .col_expr(visit::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(visit::Column::Id.eq(v.id))
        .filter(visit::Column::Status.eq(v.status.as_str()))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(ServiceError::Conflict("err.visit.already_reported".into()));
    }
    visit_attendee::Entity::delete_many().filter(visit_attendee::Column::VisitId.eq(v.id)).exec(&txn).await?;
    visit_attendee::Entity::insert_many(b.attendees.into_iter().map(|u| visit_attendee::ActiveModel {
        visit_id: Set(v.id),
        user_id: Set(u),
        starts_at: Set(b.starts),
        ends_at: Set(b.ends),
    }))
    .exec(&txn)
    .await?;
    txn.commit().await?;
    changed(db, settings, &t).await
}

/// Removes planned visit `visit_id` from a draft trip (nobody has it in a calendar yet). On a
/// published trip a visit that will not happen is marked 未成行 with its reason instead
/// (`visits::missed`): the members' calendars get its cancellation and the trip keeps the record.
/// Errors: `NotFound` (no such visit), `Hidden`/`Forbidden` (see `access::editable_trip`),
/// `Conflict` (`err.trip.not_open`, `err.visit.already_reported`, `err.visit.published` on a
/// published trip), `Db`.
pub async fn remove<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    settings: &Settings,
    actor: &SessionUser,
    visit_id: i64,
) -> Result<(), ServiceError> {
    let (v, t) = visit_on_editable_trip(db, actor, visit_id).await?;
    if t.status != TripStatus::Draft.code() {
        return Err(ServiceError::Conflict("err.visit.published".into()));
    }
    let txn = crate::backend::db::begin_write(db).await?;
    visit_attendee::Entity::delete_many().filter(visit_attendee::Column::VisitId.eq(v.id)).exec(&txn).await?;
    let gone = visit::Entity::delete_many()
        .filter(visit::Column::Id.eq(v.id))
        .filter(visit::Column::Status.eq(v.status.as_str()))
        .exec(&txn)
        .await?;
    if gone.rows_affected != 1 {
        return Err(ServiceError::Conflict("err.visit.already_reported".into()));
    }
    txn.commit().await?;
    changed(db, settings, &t).await
}
