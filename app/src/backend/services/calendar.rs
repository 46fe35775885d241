//! The calendar of trips and visits, and the user's feed token (the iCal files themselves are
//! `ical`).

use super::access::{trips_of, trips_visible_to, visits_of};
use super::ServiceError;
use crate::backend::entities::{calendar_token, lead, team, trip, trip_member, user, visit, visit_attendee};
use crate::backend::regions::divisions;
use crate::backend::services::auth::random_hex;
use crate::backend::services::pipeline::today;
use crate::backend::{local_date_time, local_day_start as day_start, local_time, Settings};
use crate::domain::calendar::{range, step, CalendarView};
use crate::domain::trip::{TripStatus, VisitStatus};
use crate::wire::auth::SessionUser;
use crate::wire::calendar::{CalendarEvent, CalendarPage, CalendarQuery, MySettings};
use chrono::{Duration, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// Trips (出访) and visits between two Asia/Shanghai dates (inclusive) that `actor` may see,
/// optionally only those of one person (member or attendee) or one team; cancelled trips and
/// missed visits left out. Trips come first by start date, then visits by start time; dates are
/// `YYYY-MM-DD`, visit times `HH:MM`, people sorted by name.
/// Errors: `Db` only.
pub async fn events(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    first: NaiveDate,
    last: NaiveDate,
    person: Option<i64>,
    team_id: Option<i64>,
) -> Result<Vec<CalendarEvent>, ServiceError> {
    let mut trips = trips_visible_to(trip::Entity::find(), actor)
        .filter(trip::Column::StartOn.lte(last))
        .filter(trip::Column::EndOn.gte(first))
        .filter(trip::Column::Status.ne(TripStatus::Cancelled.code()));
    if let Some(p) = person {
        trips = trips.filter(trip::Column::Id.in_subquery(trips_of(p)));
    }
    if let Some(t) = team_id {
        trips = trips.filter(trip::Column::TeamId.eq(t));
    }
    let trips = trips.order_by_asc(trip::Column::StartOn).all(db).await?;
    // Visits of visible trips in the period (a visit lies within its trip's dates).
    let visible_trip_ids = trips_visible_to(trip::Entity::find(), actor)
        .filter(trip::Column::StartOn.lte(last))
        .filter(trip::Column::EndOn.gte(first))
        .filter(trip::Column::Status.ne(TripStatus::Cancelled.code()))
        .all(db)
        .await?;
    let trip_of: HashMap<i64, trip::Model> = visible_trip_ids.into_iter().map(|t| (t.id, t)).collect();
    let mut visits = visit::Entity::find()
        .filter(visit::Column::TripId.is_in(trip_of.keys().copied()))
        .filter(visit::Column::StartsAt.gte(day_start(first)))
        .filter(visit::Column::StartsAt.lt(day_start(last + Duration::days(1))))
        .filter(visit::Column::Status.ne(VisitStatus::Missed.code()));
    if let Some(p) = person {
        visits = visits.filter(visit::Column::Id.in_subquery(visits_of(p)));
    }
    let mut visits = visits.order_by_asc(visit::Column::StartsAt).all(db).await?;
    if let Some(t) = team_id {
        visits.retain(|v| trip_of.get(&v.trip_id).is_some_and(|tr| tr.team_id == Some(t)));
    }
    event_list(db, trips, visits).await
}

async fn event_list(
    db: &impl ConnectionTrait,
    trips: Vec<trip::Model>,
    visits: Vec<visit::Model>,
) -> Result<Vec<CalendarEvent>, ServiceError> {
    let members = trip_member::Entity::find()
        .filter(trip_member::Column::TripId.is_in(trips.iter().map(|t| t.id)))
        .all(db)
        .await?;
    let attendees = visit_attendee::Entity::find()
        .filter(visit_attendee::Column::VisitId.is_in(visits.iter().map(|v| v.id)))
        .all(db)
        .await?;
    let names =
        super::users::names(db, members.iter().map(|m| m.user_id).chain(attendees.iter().map(|a| a.user_id))).await?;
    let companies: HashMap<i64, String> = lead::Entity::find()
        .filter(lead::Column::Id.is_in(visits.iter().map(|v| v.lead_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l.company_name))
        .collect();
    let d = divisions();
    let mut out: Vec<CalendarEvent> = trips
        .into_iter()
        .map(|t| {
            let mut people: Vec<String> =
                members.iter().filter(|m| m.trip_id == t.id).filter_map(|m| names.get(&m.user_id).cloned()).collect();
            people.sort();
            CalendarEvent {
                kind: "trip".into(),
                id: t.id,
                trip_id: t.id,
                title: t.purpose,
                start_date: t.start_on.to_string(),
                end_date: t.end_on.to_string(),
                start_time: None,
                end_time: None,
                place: d.destination_name(&t.destination_code),
                people,
                status: t.status,
            }
        })
        .collect();
    out.extend(visits.into_iter().map(|v| {
        let (day, start) = local_date_time(v.starts_at);
        let (_, end) = local_date_time(v.ends_at);
        let mut people: Vec<String> =
            attendees.iter().filter(|a| a.visit_id == v.id).filter_map(|a| names.get(&a.user_id).cloned()).collect();
        people.sort();
        CalendarEvent {
            kind: "visit".into(),
            id: v.id,
            trip_id: v.trip_id,
            title: companies.get(&v.lead_id).cloned().unwrap_or_default(),
            start_date: day.clone(),
            end_date: day,
            start_time: Some(start),
            end_time: Some(end),
            place: v.place,
            people,
            status: v.status,
        }
    }));
    Ok(out)
}

/// The calendar page for `q`: the week, or whole weeks covering the month, around `q.date`
/// (`YYYY-MM-DD`, today in Asia/Shanghai when missing or unreadable), with the events `actor` may
/// see and the people (`users::travellers`) and teams to filter by.
/// Errors: `Db` only.
pub async fn page(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    q: &CalendarQuery,
) -> Result<CalendarPage, ServiceError> {
    let view = q.view.as_deref().and_then(CalendarView::parse).unwrap_or_default();
    let today = today();
    let date = q.date.as_deref().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()).unwrap_or(today);
    let (first, last) = range(view, date);
    let events = events(db, actor, first, last, q.user, q.team).await?;
    let people = user::Entity::find()
        .filter(super::users::travellers())
        .order_by_asc(user::Column::DisplayName)
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let teams = team::Entity::find()
        .order_by_asc(team::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    Ok(CalendarPage {
        view: view.code().into(),
        first: first.to_string(),
        last: last.to_string(),
        today: today.to_string(),
        prev: step(view, date, false).to_string(),
        next: step(view, date, true).to_string(),
        events,
        people,
        teams,
    })
}

/// The actor's own visits from today to a week ahead (eight Asia/Shanghai days, inclusive).
/// Errors: `Db` only.
pub async fn upcoming(db: &impl ConnectionTrait, actor: &SessionUser) -> Result<Vec<CalendarEvent>, ServiceError> {
    let today = today();
    let mut list = events(db, actor, today, today + Duration::days(7), Some(actor.id), None).await?;
    list.retain(|e| e.kind == "visit");
    Ok(list)
}

pub(super) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The actor's mail address and when their calendar feed token was made (Asia/Shanghai
/// `YYYY-MM-DD HH:MM`; `None` without one).
/// Errors: `NotFound` if the actor's user row is gone, `Db`.
pub async fn my_settings(db: &impl ConnectionTrait, actor: &SessionUser) -> Result<MySettings, ServiceError> {
    let u = user::Entity::find_by_id(actor.id).one(db).await?.ok_or(ServiceError::NotFound)?;
    let token = calendar_token::Entity::find_by_id(actor.id).one(db).await?;
    Ok(MySettings { email: u.email, feed_since: token.map(|t| local_time(t.created_at)) })
}

/// Replaces the actor's calendar feed token and returns the feed URL
/// (`{public_url}/ical/{48 hex digits}.ics`); only the token's hash is stored, so it is shown once.
/// Errors: `Db` only.
pub async fn new_token(
    db: &impl ConnectionTrait,
    settings: &Settings,
    actor: &SessionUser,
) -> Result<String, ServiceError> {
    let token = random_hex(24);
    calendar_token::Entity::delete_by_id(actor.id).exec(db).await?;
    calendar_token::ActiveModel {
        user_id: Set(actor.id),
        token_hash: Set(token_hash(&token)),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(format!("{}/ical/{token}.ics", settings.public_url))
}

/// Deletes the actor's calendar feed token, so the old feed URL stops working.
/// Errors: `Db` only.
pub async fn revoke_token(db: &impl ConnectionTrait, actor: &SessionUser) -> Result<(), ServiceError> {
    calendar_token::Entity::delete_by_id(actor.id).exec(db).await?;
    Ok(())
}

/// Sets the actor's own mail address (trimmed; empty means no mail).
/// Errors: `Invalid` at `email` (`err.email`), `NotFound` if the actor's user row is gone, `Db`.
pub async fn set_email(db: &impl ConnectionTrait, actor: &SessionUser, email: &str) -> Result<(), ServiceError> {
    let email = crate::domain::email::parse_optional("email", email).map_err(|e| ServiceError::Invalid(vec![e]))?;
    let u = user::Entity::find_by_id(actor.id).one(db).await?.ok_or(ServiceError::NotFound)?;
    let mut a: user::ActiveModel = u.into();
    a.email = Set(email);
    a.updated_at = Set(Utc::now());
    a.update(db).await?;
    Ok(())
}
