//! 外出招商 trips: plan (draft), publish (members are mailed the .ics), close when every visit
//! has a report or a reason, or cancel. Who sees a trip: managers, admins and leaders all;
//! staff the trips they are on, created, or that belong to one of their teams.

use super::access::{decidable_trip, editable_trip, find_trip, may_decide, trips_of, trips_visible_to, visible_to};
use super::trip_edit::{away, plan_of};
use super::trip_mail::notify_members;
use super::visit_views::visit_views;
use super::ServiceError;
use crate::backend::entities::{lead, team, trip, trip_member, user, visit, visit_attendee};
use crate::backend::regions::divisions;
use crate::backend::Settings;
use crate::domain::lead::FieldError;
use crate::domain::trip::{visits_blocking_close, TripStatus, VisitStatus};
use crate::wire::auth::SessionUser;
use crate::wire::trips::*;
use chrono::Utc;
use sea_orm::TransactionTrait;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use std::collections::HashMap;

/// What the trip form (出访) offers: every team, the people who may go (`users::travellers`) by
/// name, and the actor's own teams. No access check.
/// Errors: `Db` only.
pub async fn choices(db: &impl ConnectionTrait, actor: &SessionUser) -> Result<TripChoices, ServiceError> {
    let teams = team::Entity::find().order_by_asc(team::Column::Name).all(db).await?;
    let people =
        user::Entity::find().filter(super::users::travellers()).order_by_asc(user::Column::DisplayName).all(db).await?;
    Ok(TripChoices {
        teams: teams.into_iter().map(|t| (t.id, t.name)).collect(),
        people: people.into_iter().map(|u| (u.id, u.display_name)).collect(),
        my_teams: actor.teams.clone(),
    })
}

/// Plans a trip (外出招商 or 客商来访) as a draft and returns its id. Staff file it under their own
/// team (or none), go on it themselves and may book only that team's members; managers and admins
/// any team and anyone (not leaders, not disabled).
/// Errors: `Forbidden` (leaders), `Invalid` as `trip_edit::plan_of` says; `Db`.
pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &SessionUser,
    form: TripForm,
) -> Result<i64, ServiceError> {
    if !actor.role.writes_leads() {
        return Err(ServiceError::Forbidden);
    }
    // The trip and its members together.
    let txn = crate::backend::db::begin_write(db).await?;
    let plan = plan_of(&txn, actor, &form, None).await?;
    let now = Utc::now();
    let t = trip::ActiveModel {
        kind: Set(plan.kind.code().into()),
        purpose: Set(plan.purpose),
        destination_code: Set(plan.destination),
        start_on: Set(plan.start),
        end_on: Set(plan.end),
        team_id: Set(plan.team_id),
        status: Set(TripStatus::Draft.code().into()),
        version: Set(1),
        created_by: Set(actor.id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    trip_member::Entity::insert_many(
        plan.members.into_iter().map(|u| trip_member::ActiveModel { trip_id: Set(t.id), user_id: Set(u) }),
    )
    .exec(&txn)
    .await?;
    txn.commit().await?;
    Ok(t.id)
}

async fn rows(db: &impl ConnectionTrait, trips: Vec<trip::Model>) -> Result<Vec<TripRow>, ServiceError> {
    let ids: Vec<i64> = trips.iter().map(|t| t.id).collect();
    let members = trip_member::Entity::find().filter(trip_member::Column::TripId.is_in(ids.clone())).all(db).await?;
    let names = super::users::names(db, members.iter().map(|m| m.user_id)).await?;
    let teams: HashMap<i64, String> = team::Entity::find()
        .filter(team::Column::Id.is_in(trips.iter().filter_map(|t| t.team_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let visits: Vec<(i64, String)> = visit::Entity::find()
        .select_only()
        .column(visit::Column::TripId)
        .column(visit::Column::Status)
        .filter(visit::Column::TripId.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    let d = divisions();
    Ok(trips
        .into_iter()
        .map(|t| {
            let mut ms: Vec<(i64, String)> = members
                .iter()
                .filter(|m| m.trip_id == t.id)
                .map(|m| (m.user_id, names.get(&m.user_id).cloned().unwrap_or_default()))
                .collect();
            ms.sort_by(|a, b| a.1.cmp(&b.1));
            let of_trip = visits.iter().filter(|(id, _)| *id == t.id);
            TripRow {
                destination_name: d.destination_name(&t.destination_code),
                team_name: t.team_id.and_then(|id| teams.get(&id).cloned()),
                members: ms,
                visits: of_trip.clone().count(),
                visits_open: of_trip.filter(|(_, s)| s == VisitStatus::Planned.code()).count(),
                id: t.id,
                kind: t.kind,
                purpose: t.purpose,
                destination_code: t.destination_code,
                start_on: t.start_on.to_string(),
                end_on: t.end_on.to_string(),
                team_id: t.team_id,
                status: t.status,
                version: t.version,
            }
        })
        .collect())
}

/// The trips `actor` may see matching `f` (status, team, only those they are on), latest start
/// first, at most 300, with members, team and visit counts.
/// Errors: `Db` only.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    f: &TripFilter,
) -> Result<Vec<TripRow>, ServiceError> {
    let mut q = trips_visible_to(trip::Entity::find(), actor);
    if let Some(s) = &f.status {
        q = q.filter(trip::Column::Status.eq(s.as_str()));
    }
    if let Some(t) = f.team {
        q = q.filter(trip::Column::TeamId.eq(t));
    }
    if f.mine {
        let on_trip = trips_of(actor.id);
        q = q.filter(trip::Column::Id.in_subquery(on_trip));
    }
    let trips = q.order_by_desc(trip::Column::StartOn).order_by_desc(trip::Column::Id).limit(300).all(db).await?;
    rows(db, trips).await
}

/// Trip `id` with its visits (times Asia/Shanghai), those blocking its close, whether `actor` may
/// edit it and, while it is open, its members away on another trip those days
/// (`trip_edit::away`) and, while editable too, what its form offers and the leads worth
/// visiting (at most 500).
/// Errors: `NotFound`/`Hidden("trip:{id}")` (see `access::find_trip`), `Db`.
pub async fn detail(db: &impl ConnectionTrait, actor: &SessionUser, id: i64) -> Result<TripDetail, ServiceError> {
    let t = find_trip(db, actor, id).await?;
    let can_edit = editable_trip(db, actor, id).await.is_ok();
    let visits = visit::Entity::find()
        .filter(visit::Column::TripId.eq(id))
        .order_by_asc(visit::Column::StartsAt)
        .all(db)
        .await?;
    let blocking_close = visits_blocking_close(
        &visits
            .iter()
            .map(|v| (v.id, VisitStatus::parse(&v.status).unwrap_or(VisitStatus::Planned)))
            .collect::<Vec<_>>(),
    );
    let can_decide = can_edit && may_decide(actor, &t);
    let open = TripStatus::parse(&t.status).is_some_and(|s| s.is_open());
    let (lead_choices, choices) = match can_edit && open {
        true => (lead_choices(db, actor, &t).await?, Some(choices(db, actor).await?)),
        false => (Vec::new(), None),
    };
    let trip = rows(db, vec![t.clone()]).await?.pop().ok_or(ServiceError::NotFound)?;
    let away = match open {
        true => away(db, actor, &t, &trip.members.iter().map(|(id, _)| *id).collect::<Vec<_>>()).await?,
        false => Vec::new(),
    };
    let visits = visit_views(db, visits).await?;
    Ok(TripDetail { trip, visits, can_edit, can_decide, lead_choices, blocking_close, away, choices })
}

/// Leads worth visiting on this trip: open ones the actor may see, of the trip's team first and
/// in the destination first.
async fn lead_choices(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    t: &trip::Model,
) -> Result<Vec<(i64, String, String)>, ServiceError> {
    let open = crate::domain::stage::OPEN.iter().map(|s| s.code()).collect::<Vec<_>>();
    let mut leads =
        visible_to(lead::Entity::find(), actor).filter(lead::Column::Stage.is_in(open)).order_by_desc(lead::Column::Id);
    let prefix = crate::domain::team::division_prefix(&t.destination_code).to_string();
    if !prefix.is_empty() {
        leads = leads.filter(lead::Column::RegionCode.starts_with(&prefix));
    }
    let leads = leads.limit(500).all(db).await?;
    let d = divisions();
    let mut out: Vec<(bool, i64, String, String)> = leads
        .into_iter()
        .map(|l| {
            let names = d.view(&super::leads::region_of(&l)).label(actor.locale);
            (t.team_id.is_some() && l.team_id == t.team_id, l.id, l.company_name, names)
        })
        .collect();
    out.sort_by_key(|(team, id, _, _)| (!*team, std::cmp::Reverse(*id)));
    Ok(out.into_iter().map(|(_, id, name, region)| (id, name, region)).collect())
}

async fn set_status(
    db: &impl ConnectionTrait,
    t: trip::Model,
    status: TripStatus,
) -> Result<trip::Model, ServiceError> {
    let version = t.version;
    let mut a: trip::ActiveModel = t.into();
    a.status = Set(status.code().into());
    a.version = Set(version + 1);
    a.updated_at = Set(Utc::now());
    Ok(a.update(db).await?)
}

/// Publishes a draft trip (planned, new version) and mails its members the plan with the `.ics`
/// (a message that cannot be built is kept as failed on `/admin/mail`, not an error here).
/// Errors: `NotFound`/`Hidden`/`Forbidden` (see `access::decidable_trip`: managers, admins and the
/// trip's creator), `Conflict("err.trip.not_draft")`, `Db`.
pub async fn publish(
    db: &impl ConnectionTrait,
    settings: &Settings,
    actor: &SessionUser,
    id: i64,
) -> Result<(), ServiceError> {
    let t = decidable_trip(db, actor, id).await?;
    if t.status != TripStatus::Draft.code() {
        return Err(ServiceError::Conflict("err.trip.not_draft".into()));
    }
    let t = set_status(db, t, TripStatus::Planned).await?;
    notify_members(db, settings, &t, false).await
}

/// Closes a published trip once every visit has a report or a reason it did not happen. A draft
/// is published or cancelled before it can end (its people were never told of it; the page
/// offers it no 结束行程, and the API says the same).
/// Errors: `NotFound`/`Hidden`/`Forbidden` (see `access::editable_trip`),
/// `Conflict("err.trip.not_open")` (closed or cancelled), `Conflict("err.trip.close_draft")`,
/// `Invalid` at `close` (`err.trip.visits_open` with the count), `Db`.
pub async fn close(db: &impl ConnectionTrait, actor: &SessionUser, id: i64) -> Result<(), ServiceError> {
    let t = editable_trip(db, actor, id).await?;
    if !TripStatus::parse(&t.status).is_some_and(|s| s.is_open()) {
        return Err(ServiceError::Conflict("err.trip.not_open".into()));
    }
    if t.status == TripStatus::Draft.code() {
        return Err(ServiceError::Conflict("err.trip.close_draft".into()));
    }
    let visits = visit::Entity::find().filter(visit::Column::TripId.eq(id)).all(db).await?;
    let open = visits_blocking_close(
        &visits
            .iter()
            .map(|v| (v.id, VisitStatus::parse(&v.status).unwrap_or(VisitStatus::Planned)))
            .collect::<Vec<_>>(),
    );
    if !open.is_empty() {
        return Err(ServiceError::Invalid(vec![
            FieldError::new("close", "err.trip.visits_open").with("count", open.len())
        ]));
    }
    set_status(db, t, TripStatus::Closed).await?;
    Ok(())
}

/// Cancels an open trip: its visits' attendees are freed and, if it was published, the members
/// are mailed the cancellation (`.ics` `METHOD:CANCEL`; coalesced like a change).
/// Errors: `NotFound`/`Hidden`/`Forbidden` (see `access::decidable_trip`: managers, admins and
/// the trip's creator), `Conflict("err.trip.not_open")`, `Db`.
pub async fn cancel(
    db: &impl ConnectionTrait,
    settings: &Settings,
    actor: &SessionUser,
    id: i64,
) -> Result<(), ServiceError> {
    let t = decidable_trip(db, actor, id).await?;
    if !TripStatus::parse(&t.status).is_some_and(|s| s.is_open()) {
        return Err(ServiceError::Conflict("err.trip.not_open".into()));
    }
    let was_published = t.status == TripStatus::Planned.code();
    // Its people are free again.
    let visit_ids: Vec<i64> =
        visit::Entity::find().filter(visit::Column::TripId.eq(id)).all(db).await?.into_iter().map(|v| v.id).collect();
    visit_attendee::Entity::delete_many().filter(visit_attendee::Column::VisitId.is_in(visit_ids)).exec(db).await?;
    let t = set_status(db, t, TripStatus::Cancelled).await?;
    if was_published {
        notify_members(db, settings, &t, true).await?;
    }
    Ok(())
}
