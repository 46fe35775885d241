//! 走访: booking a company visit on a trip (refusing double bookings inside the transaction),
//! its report (走访纪要, which becomes an activity and may move the lead's stage), or the reason
//! it did not happen.

use super::access::{editable_trip, trip_members};
use super::access::{find_readable, visible_to};
use super::trip_mail::changed;
use super::trips::date;
use super::ServiceError;
use crate::backend::entities::{activity, lead, trip, user, visit, visit_attendee};
use crate::backend::{from_local, local_date_time, Settings};
use crate::domain::lead::FieldError;
use crate::domain::trip::{Intention, Slot, TripKind, TripStatus, VisitStatus};
use crate::wire::auth::SessionUser;
use crate::wire::pipeline::MoveForm;
use crate::wire::trips::{ReportForm, VisitForm};
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};

fn open_trip(t: &trip::Model) -> Result<(), ServiceError> {
    if TripStatus::parse(&t.status).is_some_and(|s| s.is_open()) {
        Ok(())
    } else {
        Err(ServiceError::Conflict("err.trip.not_open".into()))
    }
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
) -> Result<Result<lead::Model, FieldError>, ServiceError> {
    let raw = raw.trim();
    let none = || FieldError::new("lead", if raw.is_empty() { "err.required" } else { "err.visit.lead" });
    let id = raw.strip_prefix('#').unwrap_or(raw).split_whitespace().next().and_then(|n| n.parse::<i64>().ok());
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

/// Books a visit (走访) to a lead the actor may read on open trip `trip_id`, on a day of the trip
/// (Asia/Shanghai times), with the given attendees (default: every member), refusing a double
/// booking of anyone inside the transaction; then the trip's version moves on and, if published,
/// its members are told. Returns the visit's id.
/// Errors: `NotFound`/`Hidden`/`Forbidden` (see `access::editable_trip`),
/// `Conflict("err.trip.not_open")`, `Invalid` at `lead` (missing or not one they may read),
/// `date`/`start`/`end` (unreadable, outside the trip), `place`/`contact` (over 200),
/// `attendees` (not a member, or `err.visit.clash`/`err.visit.clash_busy`); `Db`.
pub async fn add<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    settings: &Settings,
    actor: &SessionUser,
    trip_id: i64,
    form: VisitForm,
) -> Result<i64, ServiceError> {
    let t = editable_trip(db, actor, trip_id).await?;
    open_trip(&t)?;
    let mut errors = Vec::new();
    let l = match pick_lead(db, actor, &form.lead).await? {
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
    let members = trip_members(db, trip_id).await?;
    let mut attendees: Vec<i64> = form.attendees.values().filter_map(|v| v.trim().parse().ok()).collect();
    if attendees.is_empty() {
        attendees = members.clone();
    }
    attendees.sort_unstable();
    attendees.dedup();
    if attendees.iter().any(|a| !members.contains(a)) {
        errors.push(FieldError::new("attendees", "err.visit.not_member"));
    }
    let (Some(l), Some(slot), true) = (l, slot, errors.is_empty()) else {
        return Err(ServiceError::Invalid(errors));
    };
    let (starts, ends) = (from_local(slot.start), from_local(slot.end));
    let place = if form.place.trim().is_empty() && TripKind::parse(&t.kind) == Some(TripKind::Inbound) {
        String::new()
    } else {
        form.place.trim().to_string()
    };
    let now = Utc::now();
    let txn = crate::backend::db::begin_write(db).await?;
    // Lock the attendees first: a concurrent booking of any of them waits here until this one
    // commits, then sees it (row locks on PostgreSQL, the write lock on SQLite).
    user::Entity::update_many()
        .col_expr(user::Column::UpdatedAt, Expr::col(user::Column::UpdatedAt).into())
        .filter(user::Column::Id.is_in(attendees.clone()))
        .exec(&txn)
        .await?;
    let clash = visit_attendee::Entity::find()
        .filter(visit_attendee::Column::UserId.is_in(attendees.clone()))
        .filter(visit_attendee::Column::StartsAt.lt(ends))
        .filter(visit_attendee::Column::EndsAt.gt(starts))
        .one(&txn)
        .await?;
    if let Some(c) = clash {
        drop(txn);
        return Err(clash_error(db, actor, &c).await?);
    }
    let v = visit::ActiveModel {
        trip_id: Set(trip_id),
        lead_id: Set(l.id),
        starts_at: Set(starts),
        ends_at: Set(ends),
        place: Set(place),
        contact: Set(form.contact.trim().to_string()),
        status: Set(VisitStatus::Planned.code().into()),
        learned: Set(String::new()),
        intention: Set(None),
        next_step: Set(String::new()),
        next_due: Set(None),
        missed_reason: Set(String::new()),
        activity_id: Set(None),
        reported_by: Set(None),
        reported_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    visit_attendee::Entity::insert_many(attendees.into_iter().map(|u| visit_attendee::ActiveModel {
        visit_id: Set(v.id),
        user_id: Set(u),
        starts_at: Set(starts),
        ends_at: Set(ends),
    }))
    .exec(&txn)
    .await?;
    txn.commit().await?;
    changed(db, settings, &t).await?;
    Ok(v.id)
}

/// "王芳 is already at 华芯半导体 on 2026-12-02 09:00–11:00." The company is named only to
/// someone who may read that lead; anyone else hears that the person is busy then.
async fn clash_error(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    c: &visit_attendee::Model,
) -> Result<ServiceError, ServiceError> {
    let who = user::Entity::find_by_id(c.user_id).one(db).await?.map(|u| u.display_name).unwrap_or_default();
    let lead = match visit::Entity::find_by_id(c.visit_id).one(db).await? {
        Some(v) => lead::Entity::find_by_id(v.lead_id).one(db).await?,
        None => None,
    };
    let (day, from) = local_date_time(c.starts_at);
    let (_, to) = local_date_time(c.ends_at);
    let when = format!("{day} {from}–{to}");
    let error = match lead.filter(|l| super::access::can_read_lead(actor, l)) {
        Some(l) => FieldError::new("attendees", "err.visit.clash").with("company", l.company_name),
        None => FieldError::new("attendees", "err.visit.clash_busy"),
    };
    Ok(ServiceError::Invalid(vec![error.with("who", who).with("when", when)]))
}

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

/// Files the visit's report (走访纪要): it becomes an activity on the lead (with the intention and
/// next step) and the visit is done; a requested stage move is made first, so a refused move
/// loses nothing.
/// Errors: `NotFound` (no such visit or lead), `Hidden`/`Forbidden` (see
/// `access::editable_trip`), `Conflict` (`err.trip.not_open`, `err.visit.already_reported`),
/// `Invalid` at `learned` (empty, over 5000), `intention`, `next_due`, `next_step` (missing with
/// a due date, over 500), `move_to`/`move_comment` (the move refused or not theirs); `Stale`
/// (the lead changed since); `Db`; `Internal` from the move's rescore.
pub async fn report<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &SessionUser,
    visit_id: i64,
    form: ReportForm,
) -> Result<(), ServiceError> {
    let (v, t) = visit_on_editable_trip(db, actor, visit_id).await?;
    let mut errors = Vec::new();
    let learned = form.learned.trim().to_string();
    if learned.is_empty() {
        errors.push(FieldError::new("learned", "err.required"));
    } else if learned.chars().count() > 5000 {
        errors.push(FieldError::new("learned", "err.too_long").with("max", 5000));
    }
    let intention = Intention::parse(&form.intention);
    if intention.is_none() {
        errors.push(FieldError::new("intention", "err.choose"));
    }
    let next_due = if form.next_due.trim().is_empty() { None } else { date("next_due", &form.next_due, &mut errors) };
    if next_due.is_some() && form.next_step.trim().is_empty() {
        errors.push(FieldError::new("next_step", "err.required"));
    }
    if form.next_step.chars().count() > 500 {
        errors.push(FieldError::new("next_step", "err.too_long").with("max", 500));
    }
    let Some(intention) = intention.filter(|_| errors.is_empty()) else {
        return Err(ServiceError::Invalid(errors));
    };
    let l = lead::Entity::find_by_id(v.lead_id).one(db).await?.ok_or(ServiceError::NotFound)?;
    // The stage move goes first: if it is refused (a skip without a comment, a stale lead),
    // nothing of the report is lost — the form keeps it and says why.
    let move_to = form.move_to.trim();
    if !move_to.is_empty() && move_to != l.stage {
        super::pipeline::move_stage(
            db,
            actor,
            l.id,
            MoveForm {
                to: move_to.to_string(),
                comment: form.move_comment.clone(),
                version: l.version.to_string(),
                ..Default::default()
            },
        )
        .await
        .map_err(|e| match e {
            ServiceError::Invalid(errs) => ServiceError::Invalid(
                errs.into_iter()
                    .map(|mut fe| {
                        fe.field = if fe.field == "comment" { "move_comment".into() } else { "move_to".into() };
                        fe
                    })
                    .collect(),
            ),
            // The reporter may not move this lead: say so at the field, keep the report.
            ServiceError::NotFound | ServiceError::Hidden(_) | ServiceError::Forbidden => {
                ServiceError::Invalid(vec![FieldError::new("move_to", "err.visit.move_forbidden")])
            }
            other => other,
        })?;
    }
    let attendees = visit_attendee::Entity::find().filter(visit_attendee::Column::VisitId.eq(v.id)).all(db).await?;
    let names = super::users::names(db, attendees.iter().map(|a| a.user_id)).await?;
    let mut participants: Vec<String> = names.into_values().collect();
    participants.sort();
    let now = Utc::now();
    let kind = if TripKind::parse(&t.kind) == Some(TripKind::Inbound) { "visit_in" } else { "visit_out" };
    let txn = crate::backend::db::begin_write(db).await?;
    let a = activity::ActiveModel {
        lead_id: Set(v.lead_id),
        kind: Set(kind.into()),
        happened_on: Set(v.starts_at.with_timezone(&chrono_tz::Asia::Shanghai).date_naive()),
        participants: Set(participants.join("、")),
        summary: Set(format!("【{}】{learned}", intention_label(intention))),
        next_step: Set(form.next_step.trim().to_string()),
        next_due: Set(next_due),
        next_done: Set(false),
        created_by: Set(actor.id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut active: visit::ActiveModel = v.into();
    active.status = Set(VisitStatus::Done.code().into());
    active.learned = Set(learned);
    active.intention = Set(Some(intention.code().into()));
    active.next_step = Set(form.next_step.trim().to_string());
    active.next_due = Set(next_due);
    active.activity_id = Set(Some(a.id));
    active.reported_by = Set(Some(actor.id));
    active.reported_at = Set(Some(now));
    active.updated_at = Set(now);
    active.update(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// The intention as the timeline shows it (stored text, so it reads the same for everyone).
fn intention_label(i: Intention) -> &'static str {
    match i {
        Intention::None => "意向：无",
        Intention::Weak => "意向：较弱",
        Intention::Interested => "意向：有兴趣",
        Intention::Strong => "意向：强烈",
    }
}

/// Records that the visit did not happen (未成行) with `reason`, frees its attendees' slot, and
/// tells a published trip's members.
/// Errors: `NotFound` (no such visit), `Hidden`/`Forbidden` (see `access::editable_trip`),
/// `Conflict` (`err.trip.not_open`, `err.visit.already_reported`), `Invalid` at `reason` (empty,
/// over 500), `Db`.
pub async fn missed(
    db: &impl ConnectionTrait,
    settings: &Settings,
    actor: &SessionUser,
    visit_id: i64,
    reason: &str,
) -> Result<(), ServiceError> {
    let (v, t) = visit_on_editable_trip(db, actor, visit_id).await?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ServiceError::Invalid(vec![FieldError::new("reason", "err.required")]));
    }
    if reason.chars().count() > 500 {
        return Err(ServiceError::Invalid(vec![FieldError::new("reason", "err.too_long").with("max", 500)]));
    }
    let id = v.id;
    let mut active: visit::ActiveModel = v.into();
    active.status = Set(VisitStatus::Missed.code().into());
    active.missed_reason = Set(reason.to_string());
    active.reported_by = Set(Some(actor.id));
    active.reported_at = Set(Some(Utc::now()));
    active.updated_at = Set(Utc::now());
    active.update(db).await?;
    // The attendees are free in that slot again.
    visit_attendee::Entity::delete_many().filter(visit_attendee::Column::VisitId.eq(id)).exec(db).await?;
    changed(db, settings, &t).await
}
