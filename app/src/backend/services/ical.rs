//! iCalendar files: the `.ics` attached to trip mails and a user's private subscription feed.
//! Every event has a stable `UID` (`trip-{id}@lianzhao`, `visit-{id}@lianzhao`), a `SEQUENCE`
//! equal to its trip's version (which grows with every change), and the file's `METHOD`
//! matches the `method` of its MIME type. A cancelled trip goes out as a `METHOD:CANCEL` of every
//! event it had, each `STATUS:CANCELLED`; a visit taken off a standing trip (未成行) goes out as
//! a cancellation beside the plan. The feed is a snapshot: cancelled trips and visits taken off
//! are left out of it, and calendar apps drop what a re-read feed no longer has.

use super::access::{trips_of, visits_of};
use super::calendar::token_hash;
use super::ServiceError;
use crate::backend::entities::{calendar_token, lead, trip, user, visit};
use crate::backend::regions::divisions;
use crate::backend::services::pipeline::today;
use crate::backend::Settings;
use crate::domain::trip::{TripKind, TripStatus, VisitStatus};
use chrono::Duration;
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// What an `.ics` says of its events (RFC 5546): they stand, or they are called off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IcsMethod {
    Publish,
    Cancel,
}

impl IcsMethod {
    /// The iCalendar `METHOD` value: `PUBLISH` or `CANCEL`.
    pub fn code(self) -> &'static str {
        match self {
            IcsMethod::Publish => "PUBLISH",
            IcsMethod::Cancel => "CANCEL",
        }
    }

    /// The MIME type of a file with this method (the two always agree).
    pub fn content_type(self) -> String {
        format!("text/calendar; charset=utf-8; method={}", self.code())
    }
}

/// One `.ics` file to attach.
#[derive(Clone, Debug)]
pub struct IcsFile {
    pub filename: String,
    pub method: IcsMethod,
    pub body: String,
}

/// The organiser every event names (RFC 5546 asks for one): the office's sender address.
fn organizer(settings: &Settings) -> Option<String> {
    settings.mail.from.parse::<lettre::message::Mailbox>().ok().map(|m| format!("mailto:{}", m.email))
}

/// Marks an event as standing or called off, with its sequence and organiser.
fn stamp(mut e: Event, settings: &Settings, sequence: i32, method: IcsMethod) -> Event {
    e.sequence(sequence.max(0) as u32);
    e.status(if method == IcsMethod::Cancel { EventStatus::Cancelled } else { EventStatus::Confirmed });
    if let Some(o) = organizer(settings) {
        e.add_property("ORGANIZER", o);
    }
    e.done()
}

fn visit_event(settings: &Settings, v: &visit::Model, company: &str, trip: Option<&trip::Model>) -> Event {
    let mut e = Event::new();
    let title = match trip.and_then(|t| TripKind::parse(&t.kind)) {
        Some(TripKind::Inbound) => format!("客商来访：{company}"),
        _ => format!("走访：{company}"),
    };
    let mut description = String::new();
    if let Some(t) = trip {
        description.push_str(&t.purpose);
    }
    if !v.contact.is_empty() {
        description.push_str(&format!("\n联系人：{}", v.contact));
    }
    e.uid(&format!("visit-{}@lianzhao", v.id))
        .summary(&title)
        .description(description.trim())
        .starts(v.starts_at)
        .ends(v.ends_at)
        .url(&format!("{}/trips/{}", settings.public_url, v.trip_id))
        .timestamp(v.updated_at);
    if !v.place.is_empty() {
        e.location(&v.place);
    }
    e.done()
}

fn trip_event(settings: &Settings, t: &trip::Model) -> Event {
    let d = divisions();
    let place = d.destination_name(&t.destination_code);
    let mut e = Event::new();
    e.uid(&format!("trip-{}@lianzhao", t.id))
        .summary(&format!("外出招商：{}", t.purpose))
        .starts(t.start_on)
        .ends(t.end_on + Duration::days(1))
        .url(&format!("{}/trips/{}", settings.public_url, t.id))
        .timestamp(t.updated_at);
    if !place.is_empty() {
        e.location(&place);
    }
    e.done()
}

fn calendar(name: &str, method: IcsMethod, events: Vec<Event>) -> String {
    let mut cal = Calendar::new();
    cal.append_property(("METHOD", method.code()));
    cal.name(name);
    for e in events {
        cal.push(e);
    }
    cal.done().to_string()
}

async fn visit_events(
    db: &impl ConnectionTrait,
    settings: &Settings,
    visits: &[visit::Model],
    trips: &HashMap<i64, trip::Model>,
) -> Result<Vec<Event>, ServiceError> {
    let companies: HashMap<i64, String> = lead::Entity::find()
        .filter(lead::Column::Id.is_in(visits.iter().map(|v| v.lead_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l.company_name))
        .collect();
    Ok(visits
        .iter()
        .map(|v| {
            visit_event(settings, v, companies.get(&v.lead_id).map(String::as_str).unwrap_or(""), trips.get(&v.trip_id))
        })
        .collect())
}

/// The `.ics` files attached to a trip's mails: a standing trip's plan (`METHOD:PUBLISH`, the
/// trip and its visits that still stand) and, when visits were taken off, their cancellation
/// (`METHOD:CANCEL`); a cancelled trip's cancellation of every event it had. No access check.
/// Errors: `Db` only.
pub async fn trip_ics(
    db: &impl ConnectionTrait,
    settings: &Settings,
    t: &trip::Model,
) -> Result<Vec<IcsFile>, ServiceError> {
    ics_of(db, settings, t, t.status == TripStatus::Cancelled.code()).await
}

/// The `.ics` for someone taken off trip `t`: the cancellation of every event it has
/// (`METHOD:CANCEL`), as if it were cancelled for them. No access check.
/// Errors: `Db` only.
pub async fn trip_left_ics(
    db: &impl ConnectionTrait,
    settings: &Settings,
    t: &trip::Model,
) -> Result<Vec<IcsFile>, ServiceError> {
    ics_of(db, settings, t, true).await
}

/// [`trip_ics`]; `cancel_all`: every event cancelled.
async fn ics_of(
    db: &impl ConnectionTrait,
    settings: &Settings,
    t: &trip::Model,
    cancel_all: bool,
) -> Result<Vec<IcsFile>, ServiceError> {
    let visits = visit::Entity::find()
        .filter(visit::Column::TripId.eq(t.id))
        .order_by_asc(visit::Column::StartsAt)
        .all(db)
        .await?;
    let trips = HashMap::from([(t.id, t.clone())]);
    let name = format!("链招 · {}", t.purpose);
    let file = |suffix: &str, method: IcsMethod, events: Vec<Event>| IcsFile {
        filename: format!("trip-{}{suffix}.ics", t.id),
        method,
        body: calendar(&name, method, events.into_iter().map(|e| stamp(e, settings, t.version, method)).collect()),
    };
    if cancel_all {
        let mut events = vec![trip_event(settings, t)];
        events.extend(visit_events(db, settings, &visits, &trips).await?);
        return Ok(vec![file("", IcsMethod::Cancel, events)]);
    }
    let (off, standing): (Vec<visit::Model>, Vec<visit::Model>) =
        visits.into_iter().partition(|v| v.status == VisitStatus::Missed.code());
    let mut events = vec![trip_event(settings, t)];
    events.extend(visit_events(db, settings, &standing, &trips).await?);
    let mut files = vec![file("", IcsMethod::Publish, events)];
    if !off.is_empty() {
        files.push(file("-cancelled", IcsMethod::Cancel, visit_events(db, settings, &off, &trips).await?));
    }
    Ok(files)
}

/// A user's private feed by its secret token: the planned or closed trips they are on and the
/// visits they attend there, from a month back to a year ahead (Asia/Shanghai days). `None` for
/// an unknown or revoked token or a disabled user.
/// Errors: `Db` only.
pub async fn feed(db: &impl ConnectionTrait, settings: &Settings, token: &str) -> Result<Option<String>, ServiceError> {
    let Some(t) =
        calendar_token::Entity::find().filter(calendar_token::Column::TokenHash.eq(token_hash(token))).one(db).await?
    else {
        return Ok(None);
    };
    let Some(u) = user::Entity::find_by_id(t.user_id).one(db).await?.filter(|u| u.disabled_at.is_none()) else {
        return Ok(None);
    };
    let today = today();
    let from = today - Duration::days(31);
    let to = today + Duration::days(366);
    let trips: HashMap<i64, trip::Model> = trip::Entity::find()
        .filter(trip::Column::Id.in_subquery(trips_of(u.id)))
        .filter(trip::Column::EndOn.gte(from))
        .filter(trip::Column::StartOn.lte(to))
        .filter(trip::Column::Status.is_in([TripStatus::Planned.code(), TripStatus::Closed.code()]))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let visits = visit::Entity::find()
        .filter(visit::Column::Id.in_subquery(visits_of(u.id)))
        .filter(visit::Column::TripId.is_in(trips.keys().copied()))
        .filter(visit::Column::Status.ne(VisitStatus::Missed.code()))
        .order_by_asc(visit::Column::StartsAt)
        .all(db)
        .await?;
    let version = |trip_id: i64| trips.get(&trip_id).map(|t| t.version).unwrap_or(0);
    let mut events: Vec<Event> =
        trips.values().map(|t| stamp(trip_event(settings, t), settings, t.version, IcsMethod::Publish)).collect();
    let visit_list = visit_events(db, settings, &visits, &trips).await?;
    events
        .extend(visits.iter().zip(visit_list).map(|(v, e)| stamp(e, settings, version(v.trip_id), IcsMethod::Publish)));
    Ok(Some(calendar(&format!("链招 · {}", u.display_name), IcsMethod::Publish, events)))
}
