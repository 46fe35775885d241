//! What a trip's members are told: the .ics (with its cancellations) and the bilingual mail,
//! when a trip is published, changed or cancelled.

use super::access::trip_members;
use super::visit_views::visit_views;
use super::ServiceError;
use crate::backend::entities::{trip, user, visit};
use crate::backend::mail::{self, templates, MailAttachment, Outgoing};
use crate::backend::Settings;
use crate::domain::trip::{TripStatus, VisitStatus};
use crate::i18n::{tr, Locale};
use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

fn dates(t: &trip::Model) -> String {
    if t.start_on == t.end_on {
        t.start_on.to_string()
    } else {
        format!("{} – {}", t.start_on, t.end_on)
    }
}

/// Mails every member the trip with its visits and the trip's `.ics` files: as planned
/// (`changed == false`, at once) or as changed (also for a cancellation; coalesced per trip and
/// member, sent `coalesce_secs` later). Members without an address or disabled get nothing.
/// Errors: `Db` only.
pub async fn notify_members(
    db: &impl ConnectionTrait,
    settings: &Settings,
    t: &trip::Model,
    changed: bool,
) -> Result<(), ServiceError> {
    let member_ids = trip_members(db, t.id).await?;
    let visits = visit::Entity::find()
        .filter(visit::Column::TripId.eq(t.id))
        .order_by_asc(visit::Column::StartsAt)
        .all(db)
        .await?;
    let views = visit_views(db, visits.clone()).await?;
    let attachments = attached(super::ical::trip_ics(db, settings, t).await?);
    let members = user::Entity::find().filter(user::Column::Id.is_in(member_ids)).all(db).await?;
    for to in members {
        let locale = Locale::parse(&to.locale).unwrap_or_default();
        let lines = views
            .iter()
            .map(|v| templates::Line {
                text: format!(
                    "{} {}–{} {}{}",
                    v.date,
                    v.start,
                    v.end,
                    v.company_name,
                    if v.status == VisitStatus::Missed.code() {
                        format!(" ({})", tr(locale, "visit.status.missed"))
                    } else if v.place.is_empty() {
                        String::new()
                    } else {
                        format!(" @ {}", v.place)
                    }
                ),
                link: None,
            })
            .collect();
        let letter = templates::trip(
            locale,
            &to.display_name,
            changed,
            &t.purpose,
            &dates(t),
            format!("{}/trips/{}", settings.public_url, t.id),
            lines,
        );
        let coalesce = changed.then(|| format!("trip:{}:to:{}", t.id, to.id));
        mail::enqueue(
            db,
            settings,
            Outgoing {
                attachments: attachments.clone(),
                coalesce_key: coalesce,
                not_before: changed.then(|| Utc::now() + Duration::seconds(settings.mail.coalesce_secs)),
                ..Outgoing::new(if changed { "trip_changed" } else { "trip_planned" }, to, letter)
            },
        )
        .await?;
    }
    Ok(())
}

fn attached(ics: Vec<super::ical::IcsFile>) -> Vec<MailAttachment> {
    ics.into_iter()
        .map(|f| MailAttachment {
            content_type: f.method.content_type(),
            filename: f.filename,
            body: f.body.into_bytes(),
        })
        .collect()
}

/// Mails each of `gone`, just taken off published trip `t`, that they are no longer on it, with
/// the cancellation of its events (`.ics` `METHOD:CANCEL`); coalesced with the trip's other
/// mails to them (taken off and put back within the wait, they get the trip as it stands).
/// Members without an address or disabled get nothing.
/// Errors: `Db` only.
pub async fn notify_removed(
    db: &impl ConnectionTrait,
    settings: &Settings,
    t: &trip::Model,
    gone: &[i64],
) -> Result<(), ServiceError> {
    if gone.is_empty() {
        return Ok(());
    }
    let attachments = attached(super::ical::trip_left_ics(db, settings, t).await?);
    let people = user::Entity::find().filter(user::Column::Id.is_in(gone.iter().copied())).all(db).await?;
    for to in people {
        let locale = Locale::parse(&to.locale).unwrap_or_default();
        let letter = templates::trip_left(locale, &to.display_name, &t.purpose, &dates(t));
        mail::enqueue(
            db,
            settings,
            Outgoing {
                attachments: attachments.clone(),
                coalesce_key: Some(format!("trip:{}:to:{}", t.id, to.id)),
                not_before: Some(Utc::now() + Duration::seconds(settings.mail.coalesce_secs)),
                ..Outgoing::new("trip_changed", to, letter)
            },
        )
        .await?;
    }
    Ok(())
}

/// After a change to a trip: bump its version and, if it is published, tell the members
/// (coalesced).
/// Errors: `Db` only.
pub async fn changed(db: &impl ConnectionTrait, settings: &Settings, t: &trip::Model) -> Result<(), ServiceError> {
    let mut a: trip::ActiveModel = t.clone().into();
    a.version = Set(t.version + 1);
    a.updated_at = Set(Utc::now());
    let t = a.update(db).await?;
    if t.status == TripStatus::Planned.code() {
        notify_members(db, settings, &t, true).await?;
    }
    Ok(())
}
