//! 走访: booking a company visit on a trip (refusing double bookings inside the transaction),
//! its report (走访纪要, which becomes an activity and may move the lead's stage), or the reason
//! it did not happen.

use super::access::editable_trip;
use super::trip_edit::date;
use super::trip_mail::changed;
use super::visit_edit::{booking_of, clash, clash_error, open_trip, visit_on_editable_trip, Booking};
use super::ServiceError;
use crate::backend::entities::{activity, lead, visit, visit_attendee};
use crate::backend::Settings;
use crate::domain::lead::FieldError;
use crate::domain::trip::{Intention, TripKind, TripStatus, VisitStatus};
use crate::wire::auth::SessionUser;
use crate::wire::pipeline::MoveForm;
use crate::wire::trips::{ReportForm, VisitForm};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait};

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
    let Booking { lead: l, starts, ends, place, contact, attendees } = booking_of(db, actor, &t, &form, None).await?;
    let now = Utc::now();
    let txn = crate::backend::db::begin_write(db).await?;
    let clashes = clash(&txn, &attendees, starts, ends, None).await?;
    if !clashes.is_empty() {
        drop(txn);
        return Err(clash_error(db, actor, trip_id, &clashes).await?);
    }
    let v = visit::ActiveModel {
        trip_id: Set(trip_id),
        lead_id: Set(l.id),
        starts_at: Set(starts),
        ends_at: Set(ends),
        place: Set(place),
        contact: Set(contact),
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

/// Records that a published trip's visit did not happen (未成行) with `reason`, frees its
/// attendees' slot, and tells the trip's members. A draft's visit is deleted instead (nobody was
/// told of it; the page offers it 删除走访, not 未成行).
/// Errors: `NotFound` (no such visit), `Hidden`/`Forbidden` (see `access::editable_trip`),
/// `Conflict` (`err.trip.not_open`, `err.visit.already_reported`, `err.visit.missed_draft`),
/// `Invalid` at `reason` (empty, over 500), `Db`.
pub async fn missed(
    db: &impl ConnectionTrait,
    settings: &Settings,
    actor: &SessionUser,
    visit_id: i64,
    reason: &str,
) -> Result<(), ServiceError> {
    let (v, t) = visit_on_editable_trip(db, actor, visit_id).await?;
    if t.status == TripStatus::Draft.code() {
        return Err(ServiceError::Conflict("err.visit.missed_draft".into()));
    }
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
