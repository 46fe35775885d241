//! Scheduled mail: after the configured local hour, a reminder of tomorrow's visits to each
//! attendee, and a digest of overdue follow-ups to each owner. Each is keyed (visit, person,
//! day) so it goes out once, whatever the number of restarts or app instances.

use super::ServiceError;
use crate::backend::entities::{activity, lead, trip, user, visit, visit_attendee};
use crate::backend::mail::{self, templates, Outgoing};
use crate::backend::{local_date_time, local_day_start, Settings};
use crate::domain::trip::{TripStatus, VisitStatus};
use crate::i18n::Locale;
use chrono::{DateTime, Duration, Timelike, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// Runs whatever is due at `now` (from `reminder_hour`, Asia/Shanghai): a reminder of tomorrow's
/// visits on published trips to each attendee, and a digest of overdue next steps on live leads
/// to each owner (else whoever logged the step). Returns how many messages were queued now.
/// Errors: `Db` only.
pub async fn run(db: &impl ConnectionTrait, settings: &Settings, now: DateTime<Utc>) -> Result<usize, ServiceError> {
    let local = now.with_timezone(&chrono_tz::Asia::Shanghai);
    if local.hour() < settings.reminder_hour {
        return Ok(0);
    }
    let today = local.date_naive();
    Ok(visit_reminders(db, settings, today).await? + overdue_digests(db, settings, today).await?)
}

async fn users_by_id(
    db: &impl ConnectionTrait,
    ids: impl Iterator<Item = i64>,
) -> Result<HashMap<i64, user::Model>, ServiceError> {
    Ok(user::Entity::find().filter(user::Column::Id.is_in(ids)).all(db).await?.into_iter().map(|u| (u.id, u)).collect())
}

async fn visit_reminders(
    db: &impl ConnectionTrait,
    settings: &Settings,
    today: chrono::NaiveDate,
) -> Result<usize, ServiceError> {
    let tomorrow = today + Duration::days(1);
    let from = local_day_start(tomorrow);
    let visits = visit::Entity::find()
        .filter(visit::Column::StartsAt.gte(from))
        .filter(visit::Column::StartsAt.lt(from + Duration::days(1)))
        .filter(visit::Column::Status.eq(VisitStatus::Planned.code()))
        .order_by_asc(visit::Column::StartsAt)
        .all(db)
        .await?;
    if visits.is_empty() {
        return Ok(0);
    }
    // Only published trips remind (drafts may still change).
    let trips: HashMap<i64, trip::Model> = trip::Entity::find()
        .filter(trip::Column::Id.is_in(visits.iter().map(|v| v.trip_id)))
        .filter(trip::Column::Status.eq(TripStatus::Planned.code()))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let attendees = visit_attendee::Entity::find()
        .filter(visit_attendee::Column::VisitId.is_in(visits.iter().map(|v| v.id)))
        .all(db)
        .await?;
    let people = users_by_id(db, attendees.iter().map(|a| a.user_id)).await?;
    let companies: HashMap<i64, String> = lead::Entity::find()
        .filter(lead::Column::Id.is_in(visits.iter().map(|v| v.lead_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l.company_name))
        .collect();
    let mut queued = 0;
    for v in visits.iter().filter(|v| trips.contains_key(&v.trip_id)) {
        let company = companies.get(&v.lead_id).cloned().unwrap_or_default();
        let (day, start) = local_date_time(v.starts_at);
        let (_, end) = local_date_time(v.ends_at);
        let when = format!("{day} {start}–{end}");
        for a in attendees.iter().filter(|a| a.visit_id == v.id) {
            let Some(to) = people.get(&a.user_id).cloned() else { continue };
            let locale = Locale::parse(&to.locale).unwrap_or_default();
            let mut text = when.clone();
            if !v.place.is_empty() {
                text.push_str(&format!(" @ {}", v.place));
            }
            if !v.contact.is_empty() {
                text.push_str(&format!(" · {}", v.contact));
            }
            let line = templates::Line { text, link: Some(format!("{}/trips/{}", settings.public_url, v.trip_id)) };
            let letter = templates::visit_reminder(locale, &to.display_name, &company, &when, line);
            let key = format!("reminder:visit:{}:user:{}:{}", v.id, to.id, day);
            let queued_id = mail::enqueue(
                db,
                settings,
                Outgoing { dedupe_key: Some(key), ..Outgoing::new("visit_reminder", to, letter) },
            )
            .await?;
            queued += usize::from(queued_id.is_some());
        }
    }
    Ok(queued)
}

async fn overdue_digests(
    db: &impl ConnectionTrait,
    settings: &Settings,
    today: chrono::NaiveDate,
) -> Result<usize, ServiceError> {
    let overdue = activity::Entity::find()
        .filter(activity::Column::NextDone.eq(false))
        .filter(activity::Column::NextDue.lt(today))
        .order_by_asc(activity::Column::NextDue)
        .all(db)
        .await?;
    if overdue.is_empty() {
        return Ok(0);
    }
    let leads: HashMap<i64, lead::Model> = lead::Entity::find()
        .filter(lead::Column::Id.is_in(overdue.iter().map(|a| a.lead_id)))
        .filter(lead::Column::DeletedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    // The lead's owner follows up; without one, whoever logged the step.
    let mut per_person: HashMap<i64, Vec<templates::Line>> = HashMap::new();
    for a in &overdue {
        let Some(l) = leads.get(&a.lead_id) else { continue };
        let who = l.owner_id.unwrap_or(a.created_by);
        let due = a.next_due.map(|d| d.to_string()).unwrap_or_default();
        per_person.entry(who).or_default().push(templates::Line {
            text: format!("{due} · {} · {}", l.company_name, a.next_step),
            link: Some(format!("{}/leads/{}", settings.public_url, l.id)),
        });
    }
    let people = users_by_id(db, per_person.keys().copied()).await?;
    let mut queued = 0;
    for (id, lines) in per_person {
        let Some(to) = people.get(&id).cloned() else { continue };
        let locale = Locale::parse(&to.locale).unwrap_or_default();
        let letter = templates::overdue(locale, &to.display_name, &lines);
        let key = format!("overdue:user:{id}:{today}");
        let queued_id =
            mail::enqueue(db, settings, Outgoing { dedupe_key: Some(key), ..Outgoing::new("overdue", to, letter) })
                .await?;
        queued += usize::from(queued_id.is_some());
    }
    Ok(queued)
}
