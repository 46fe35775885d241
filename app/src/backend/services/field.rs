//! What a phone sends from a trip (外出招商), each item applied exactly once by its idempotency key
//! (see `receipts`): a visit report (走访纪要), an activity (跟进记录), a company met on the road,
//! and the check-in (签到) with its city check.

use super::receipts::{claim, replayed, settle, Claim};
use super::ServiceError;
use crate::backend::entities::{lead, visit};
use crate::backend::regions::seats;
use crate::domain::geo::{judge, nearest, Position, PositionError, Verdict};
use crate::domain::lead::FieldError;
use crate::domain::trip::TripKind;
use crate::wire::auth::SessionUser;
use crate::wire::field::{CheckinForm, QuickLeadForm};
use crate::wire::pipeline::ActivityForm;
use crate::wire::trips::ReportForm;
use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, Set};

/// How far ahead of the server a phone's clock may be (minutes), and how old a queued check-in
/// may be (days: a week on the road without signal, and some).
pub const CLOCK_AHEAD_MIN: i64 = 10;
pub const CHECKIN_MAX_AGE_DAYS: i64 = 14;

/// Files visit `visit_id`'s report (see `visits::report` for the rules and errors) once per `key`.
/// Errors: as `visits::report`, and as `receipts::claim`.
pub async fn report(
    db: &DatabaseConnection,
    actor: &SessionUser,
    key: &str,
    visit_id: i64,
    form: ReportForm,
) -> Result<(), ServiceError> {
    match claim(db, actor, key).await? {
        Claim::Replay(json) => replayed(&json),
        Claim::Fresh(txn) => {
            super::visits::report(&txn, actor, visit_id, form).await?;
            settle(txn, actor, key, "report", &()).await
        }
    }
}

/// Logs an activity on lead `lead_id` (see `pipeline::log_activity`) once per `key`; its id.
/// Errors: as `pipeline::log_activity`, and as `receipts::claim`.
pub async fn activity(
    db: &DatabaseConnection,
    actor: &SessionUser,
    key: &str,
    lead_id: i64,
    form: ActivityForm,
) -> Result<i64, ServiceError> {
    match claim(db, actor, key).await? {
        Claim::Replay(json) => replayed(&json),
        Claim::Fresh(txn) => {
            let id = super::pipeline::log_activity(&txn, actor, lead_id, form).await?;
            settle(txn, actor, key, "activity", &id).await?;
            Ok(id)
        }
    }
}

/// Registers a company met on the road (see `leads::create`) once per `key`; its id. The errors of
/// the one contact are reported at `contact_name` / `contact_phone`.
/// Errors: `Invalid` (the lead form's checks), as `leads::create`, and as `receipts::claim`.
pub async fn quick_lead(
    db: &DatabaseConnection,
    actor: &SessionUser,
    key: &str,
    form: &QuickLeadForm,
) -> Result<i64, ServiceError> {
    let input = form.to_lead_form().parse().map_err(|errors| {
        ServiceError::Invalid(
            errors
                .into_iter()
                .map(|mut e| {
                    if let Some(rest) = e.field.strip_prefix("contacts.0.") {
                        e.field = format!("contact_{rest}");
                    }
                    e
                })
                .collect(),
        )
    })?;
    match claim(db, actor, key).await? {
        Claim::Replay(json) => replayed(&json),
        Claim::Fresh(txn) => {
            let id = super::leads::create(&txn, actor, input).await?;
            settle(txn, actor, key, "lead", &id).await?;
            Ok(id)
        }
    }
}

/// Replaces lead `lead_id`'s notes (备注) with `notes` as the phone had them, if the lead is still
/// at `version` (empty: whatever it is now — the user saw the changes and keeps their text); once
/// per `key`. The rest of the lead is saved as it is.
/// Errors: `Stale` (changed since `version`: the changes, so the phone keeps its text and shows
/// them), `Invalid` at `notes` (too long), as `leads::edit_form` and `leads::update`, and as
/// `receipts::claim`.
pub async fn lead_notes(
    db: &DatabaseConnection,
    actor: &SessionUser,
    key: &str,
    lead_id: i64,
    version: &str,
    notes: &str,
) -> Result<(), ServiceError> {
    let txn = match claim(db, actor, key).await? {
        Claim::Replay(json) => return replayed(&json),
        Claim::Fresh(txn) => txn,
    };
    let mut form = super::leads::edit_form(&txn, actor, lead_id).await?.form;
    form.notes = notes.to_string();
    form.version = version.trim().to_string();
    let input = form.parse().map_err(ServiceError::Invalid)?;
    super::leads::update(&txn, actor, lead_id, input).await?;
    settle(txn, actor, key, "lead_notes", &()).await
}

/// The phone's clock as sent: RFC 3339, or local (Asia/Shanghai) `YYYY-MM-DDTHH:MM[:SS]`; empty
/// means "now". Refused when ahead of `now` by more than [`CLOCK_AHEAD_MIN`] or older than
/// [`CHECKIN_MAX_AGE_DAYS`].
fn phone_time(raw: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(now);
    }
    let parsed = DateTime::parse_from_rfc3339(raw).map(|t| t.with_timezone(&Utc)).ok().or_else(|| {
        ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(raw, f).ok())
            .map(crate::backend::from_local)
    });
    match parsed {
        Some(t) if t > now + Duration::minutes(CLOCK_AHEAD_MIN) => {
            Err(FieldError::new("phone_time", "err.checkin.future"))
        }
        Some(t) if t < now - Duration::days(CHECKIN_MAX_AGE_DAYS) => {
            Err(FieldError::new("phone_time", "err.checkin.too_old").with("days", CHECKIN_MAX_AGE_DAYS))
        }
        Some(t) => Ok(t),
        None => Err(FieldError::new("phone_time", "err.checkin.time")),
    }
}

/// The position as sent: all three fields or none.
fn position(form: &CheckinForm) -> Result<Option<Position>, FieldError> {
    let given = [&form.lat, &form.lng, &form.accuracy].iter().filter(|v| !v.trim().is_empty()).count();
    if given == 0 {
        return Ok(None);
    }
    Position::parse(&form.lat, &form.lng, &form.accuracy).map(Some).map_err(|e| match e {
        PositionError::Lat => FieldError::new("lat", "err.checkin.position"),
        PositionError::Lng => FieldError::new("lng", "err.checkin.position"),
        PositionError::Accuracy => FieldError::new("accuracy", "err.checkin.position"),
    })
}

/// 签到 at visit `visit_id` once per `key`: the phone's time and the server's; with a position,
/// the nearest county seat and a flag when it lies in neither the trip's destination city nor
/// the company's registered one (an outbound trip only: an inbound visit happens at the zone).
/// A mismatch is recorded, never refused. A visit already checked in keeps its first check-in.
/// Errors: `Invalid` at `phone_time`, `lat`, `lng`, `accuracy`; as `visits::report` for the
/// visit and trip (`NotFound`, `Hidden`, `Forbidden`, `Conflict`); as `receipts::claim`.
pub async fn check_in(
    db: &DatabaseConnection,
    actor: &SessionUser,
    key: &str,
    visit_id: i64,
    form: &CheckinForm,
) -> Result<(), ServiceError> {
    let now = Utc::now();
    let errors: Vec<FieldError> =
        [phone_time(&form.phone_time, now).err(), position(form).err()].into_iter().flatten().collect();
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let at = phone_time(&form.phone_time, now).map_err(|e| ServiceError::Invalid(vec![e]))?;
    let pos = position(form).map_err(|e| ServiceError::Invalid(vec![e]))?;
    let txn = match claim(db, actor, key).await? {
        Claim::Replay(json) => return replayed(&json),
        Claim::Fresh(txn) => txn,
    };
    let (v, t) = super::visit_edit::visit_on_editable_trip(&txn, actor, visit_id).await?;
    if v.checkin_server_at.is_some() {
        return settle(txn, actor, key, "checkin", &()).await;
    }
    let l = lead::Entity::find_by_id(v.lead_id).one(&txn).await?.ok_or(ServiceError::NotFound)?;
    // Made on another day than the visit's (Asia/Shanghai days): recorded and flagged as well.
    let other_day = crate::backend::local_date_time(at).0 != crate::backend::local_date_time(v.starts_at).0;
    let mut flags: Vec<&str> = Vec::new();
    let mut a: visit::ActiveModel = v.into();
    a.checkin_at = Set(Some(at));
    a.checkin_server_at = Set(Some(now));
    a.checkin_by = Set(Some(actor.id));
    if let Some(p) = pos {
        let expected: Vec<&str> = if TripKind::parse(&t.kind) == Some(TripKind::Outbound) {
            vec![t.destination_code.as_str(), l.region_code.as_str()]
        } else {
            Vec::new()
        };
        let verdict = judge(seats(), &p, &expected);
        a.checkin_lat = Set(Some(p.lat));
        a.checkin_lng = Set(Some(p.lng));
        a.checkin_accuracy_m = Set(Some(p.accuracy_m));
        a.checkin_city = Set(nearest(seats(), &p).map(|(s, _)| s.code.clone()).unwrap_or_default());
        flags.push(verdict.flag());
        if verdict != Verdict::Matches {
            tracing::info!(
                visit = visit_id,
                user = actor.id,
                flag = verdict.flag(),
                "check-in away from the visit's city"
            );
        }
    }
    if other_day {
        flags.push(OTHER_DAY);
    }
    a.checkin_flag = Set(flags.into_iter().filter(|f| !f.is_empty()).collect::<Vec<_>>().join(" "));
    a.updated_at = Set(now);
    a.update(&txn).await?;
    settle(txn, actor, key, "checkin", &()).await
}

/// The check-in flag of one made on another day than the visit's (beside the place's flags of
/// `geo::Verdict::flag`; a visit's flags are joined by spaces).
pub const OTHER_DAY: &str = "other_day";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_times_parse_and_are_bounded() {
        let now = DateTime::parse_from_rfc3339("2026-12-01T02:00:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(phone_time("", now), Ok(now));
        // 10:00 in 上海 is 02:00 UTC.
        assert_eq!(phone_time("2026-12-01T10:00", now), Ok(now));
        assert_eq!(
            phone_time("2026-12-01T01:30:00Z", now).map(|t| t.to_rfc3339()),
            Ok("2026-12-01T01:30:00+00:00".into())
        );
        assert_eq!(phone_time("2026-12-01T11:00", now).unwrap_err().key, "err.checkin.future");
        assert_eq!(phone_time("2026-11-01T10:00", now).unwrap_err().key, "err.checkin.too_old");
        assert_eq!(phone_time("昨天", now).unwrap_err().key, "err.checkin.time");
    }

    #[test]
    fn a_position_is_all_three_fields_or_none() {
        let f = |lat: &str, lng: &str, acc: &str| CheckinForm {
            lat: lat.into(),
            lng: lng.into(),
            accuracy: acc.into(),
            ..Default::default()
        };
        assert_eq!(position(&f("", "", "")), Ok(None));
        assert!(position(&f("32.0", "118.8", "30")).unwrap().is_some());
        assert_eq!(position(&f("32.0", "", "")).unwrap_err().field, "lng");
    }
}
