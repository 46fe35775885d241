//! What a phone takes along on a trip (离线包): the signed-in user's visits this week, and each
//! visit with the company's facts, contacts, last three timeline entries, open problems, next
//! steps and its check-in. Only what the reader may read: a lead they may not read shows its name
//! (the trip already shows it) and nothing more.

use super::access::{editable_trip, find_readable, find_trip, trips_of};
use super::visit_views::visit_views;
use super::ServiceError;
use crate::backend::entities::{trip, visit};
use crate::backend::regions::divisions;
use crate::backend::{local_day_start, local_time};
use crate::domain::trip::{TripStatus, VisitStatus};
use crate::wire::auth::SessionUser;
use crate::wire::field::*;
use crate::wire::problems::ProblemFilter;
use chrono::{Datelike, Duration, NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// The days a phone takes along on `today` (both ends included): Monday of this week to six days
/// from today, so seven days ahead counting today: on a Monday this week exactly (Monday to
/// Sunday), later in the week also the next week's first days (a trip on Monday is packed on
/// Friday).
pub fn window(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    (monday, today + Duration::days(6))
}

/// The trips `actor` is on that overlap [`window`]`(today)` (not cancelled), earliest first, each
/// with its visits in the window by time.
/// Errors: `Db`.
pub async fn week(db: &impl ConnectionTrait, actor: &SessionUser, today: NaiveDate) -> Result<FieldWeek, ServiceError> {
    let (from, to) = window(today);
    let trips = trip::Entity::find()
        .filter(trip::Column::Id.in_subquery(trips_of(actor.id)))
        .filter(trip::Column::StartOn.lte(to))
        .filter(trip::Column::EndOn.gte(from))
        .filter(trip::Column::Status.ne(TripStatus::Cancelled.code()))
        .order_by_asc(trip::Column::StartOn)
        .order_by_asc(trip::Column::Id)
        .all(db)
        .await?;
    let visits = visit::Entity::find()
        .filter(visit::Column::TripId.is_in(trips.iter().map(|t| t.id)))
        .filter(visit::Column::StartsAt.gte(local_day_start(from)))
        .filter(visit::Column::StartsAt.lt(local_day_start(to + Duration::days(1))))
        .order_by_asc(visit::Column::StartsAt)
        .all(db)
        .await?;
    let checkins: Vec<(i64, bool, String)> =
        visits.iter().map(|v| (v.id, v.checkin_server_at.is_some(), v.checkin_flag.clone())).collect();
    let trip_of: Vec<(i64, i64)> = visits.iter().map(|v| (v.id, v.trip_id)).collect();
    let views = visit_views(db, visits).await?;
    let d = divisions();
    let trips = trips
        .into_iter()
        .map(|t| FieldTrip {
            visits: views
                .iter()
                .filter(|v| trip_of.iter().any(|(vid, tid)| *vid == v.id && *tid == t.id))
                .map(|v| {
                    let (_, checked_in, flag) = checkins.iter().find(|c| c.0 == v.id).cloned().unwrap_or_default();
                    FieldVisitRow {
                        id: v.id,
                        lead_id: v.lead_id,
                        company_name: v.company_name.clone(),
                        date: v.date.clone(),
                        start: v.start.clone(),
                        end: v.end.clone(),
                        place: v.place.clone(),
                        status: v.status.clone(),
                        checked_in,
                        checkin_flag: flag,
                    }
                })
                .collect(),
            destination_name: d.destination_name(&t.destination_code),
            id: t.id,
            kind: t.kind,
            purpose: t.purpose,
            destination_code: t.destination_code,
            start_on: t.start_on.to_string(),
            end_on: t.end_on.to_string(),
            status: t.status,
        })
        .collect();
    Ok(FieldWeek {
        user_id: actor.id,
        from: from.to_string(),
        to: to.to_string(),
        fetched_at: local_time(Utc::now()),
        trips,
    })
}

/// Visit `id` as the phone shows it (see the module's note on what a reader may see).
/// Errors: `NotFound` (no such visit), `Hidden`/`NotFound` (the trip is not the reader's to see,
/// see `access::find_trip`), `Db`.
pub async fn visit(db: &impl ConnectionTrait, actor: &SessionUser, id: i64) -> Result<FieldVisit, ServiceError> {
    let v = visit::Entity::find_by_id(id).one(db).await?.ok_or(ServiceError::NotFound)?;
    let t = find_trip(db, actor, v.trip_id).await?;
    let can_report = editable_trip(db, actor, t.id).await.is_ok()
        && TripStatus::parse(&t.status).is_some_and(|s| s.is_open())
        && v.status == VisitStatus::Planned.code();
    let can_attach = editable_trip(db, actor, t.id).await.is_ok();
    let checkin = checkin_view(db, &v).await?;
    let lead_id = v.lead_id;
    let view = visit_views(db, vec![v]).await?.pop().ok_or(ServiceError::NotFound)?;
    let mut out = FieldVisit {
        user_id: actor.id,
        lead: None,
        timeline: Vec::new(),
        problems: Vec::new(),
        next_steps: Vec::new(),
        visit: view,
        trip_id: t.id,
        trip_purpose: t.purpose.clone(),
        destination_name: divisions().destination_name(&t.destination_code),
        checkin,
        attachments: Vec::new(),
        can_attach: false,
        can_report,
        fetched_at: local_time(Utc::now()),
    };
    match find_readable(db, actor, lead_id).await {
        Ok(_) => {}
        Err(ServiceError::Hidden(_) | ServiceError::NotFound) => return Ok(out),
        Err(e) => return Err(e),
    }
    out.attachments = super::attachments::list(db, lead_id, Some(id)).await?;
    out.can_attach = can_attach;
    let (l, contacts) = super::leads::with_contacts(db, actor, lead_id).await?;
    let owner_name = match l.owner_id {
        Some(o) => super::users::names(db, [o]).await?.remove(&o),
        None => None,
    };
    let can_edit = super::access::can_edit_lead(actor, &l);
    out.lead = Some(FieldLead {
        can_edit,
        id: l.id,
        version: l.version,
        region_names: divisions().name_of(&l.region_code),
        company_name: l.company_name,
        uscc: l.uscc,
        region_code: l.region_code,
        industry: l.industry,
        stage: l.stage,
        owner_name,
        planned_investment_wan: l.planned_investment_wan,
        notes: l.notes,
        contacts,
    });
    out.timeline = super::pipeline::pipeline(db, actor, lead_id).await?.timeline.into_iter().take(3).collect();
    out.problems = super::problems::list(db, actor, &ProblemFilter::default(), Some(lead_id))
        .await?
        .into_iter()
        .filter(|p| p.status != "solved")
        .collect();
    out.next_steps = super::pipeline::activities(db, actor, lead_id)
        .await?
        .into_iter()
        .filter(|a| !a.next_done && !a.next_step.is_empty())
        .map(|a| (a.next_due.unwrap_or_default(), a.next_step))
        .collect();
    Ok(out)
}

async fn checkin_view(db: &impl ConnectionTrait, v: &visit::Model) -> Result<Option<CheckinView>, ServiceError> {
    let (Some(server_at), Some(by)) = (v.checkin_server_at, v.checkin_by) else {
        return Ok(None);
    };
    let by = super::users::names(db, [by]).await?.remove(&by).unwrap_or_default();
    let position = match (v.checkin_lat, v.checkin_lng, v.checkin_accuracy_m) {
        (Some(lat), Some(lng), Some(acc)) => Some((lat, lng, acc)),
        _ => None,
    };
    Ok(Some(CheckinView {
        at: local_time(v.checkin_at.unwrap_or(server_at)),
        server_at: local_time(server_at),
        by,
        position,
        place: if v.checkin_city.is_empty() { String::new() } else { divisions().name_of(&v.checkin_city) },
        flag: v.checkin_flag.clone(),
    }))
}

#[cfg(test)]
mod tests {
    use super::window;
    use chrono::NaiveDate;

    #[test]
    fn a_monday_takes_its_own_week_and_a_friday_the_next_days_too() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        // 2026-12-07 is a Monday.
        assert_eq!(window(day(7)), (day(7), day(13)));
        assert_eq!(window(day(11)), (day(7), day(17)));
        assert_eq!(window(day(13)), (day(7), day(19)));
    }
}
