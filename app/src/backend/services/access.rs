//! Who may read and change what, in one place (访问控制). Every service, the REST API and the
//! downloads ask here; the role rules themselves are pure and live in `domain::role`.
//!
//! A record the actor may not read answers `ServiceError::Hidden` (shown as not found, logged as
//! a refusal) so that ids do not leak; a record they may read but not change answers `Forbidden`.

use super::ServiceError;
use crate::backend::entities::{lead, team, trip, trip_member, visit_attendee};
use crate::domain::role::{may_edit_lead, may_read_lead, LeadAccess};
use crate::wire::auth::SessionUser;
use sea_orm::sea_query::{Condition, Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Select};

// ---- roles -------------------------------------------------------------------------------

/// Managers and admins, who assign leads and edit chains, teams, major projects and the
/// recycle bin.
/// Errors: `Forbidden` for anyone else.
pub fn require_manager(actor: &SessionUser) -> Result<(), ServiceError> {
    if actor.role.assigns_leads() {
        Ok(())
    } else {
        Err(ServiceError::Forbidden)
    }
}

/// Admins only (users, mail queue, value aliases).
/// Errors: `Forbidden` for anyone else.
pub fn require_admin(actor: &SessionUser) -> Result<(), ServiceError> {
    if actor.role.manages_users() {
        Ok(())
    } else {
        Err(ServiceError::Forbidden)
    }
}

// ---- leads -------------------------------------------------------------------------------

/// Restricts a query to the leads `user` may read (the SQL form of `may_read_lead`), leaving out
/// the recycle bin (回收站).
pub fn visible_to(query: Select<lead::Entity>, user: &SessionUser) -> Select<lead::Entity> {
    let query = query.filter(lead::Column::DeletedAt.is_null());
    if user.role.sees_all_leads() {
        query
    } else {
        let mut mine = Condition::any().add(lead::Column::OwnerId.eq(user.id)).add(lead::Column::CreatedBy.eq(user.id));
        if !user.teams.is_empty() {
            mine = mine.add(lead::Column::TeamId.is_in(user.teams.iter().copied()));
        }
        query.filter(mine)
    }
}

/// The teams whose leads `actor` is offered as a list filter (专班): every team for a role that
/// sees all leads, else their own (another team's filter gave them 「共 0 条」).
pub fn teams_offered_to(query: Select<team::Entity>, user: &SessionUser) -> Select<team::Entity> {
    if user.role.sees_all_leads() {
        query
    } else {
        query.filter(team::Column::Id.is_in(user.teams.iter().copied()))
    }
}

fn lead_access(l: &lead::Model) -> LeadAccess {
    LeadAccess { owner: l.owner_id, creator: l.created_by, team: l.team_id }
}

/// Whether `actor` may read `l` (owner, creator, team member, or a role that sees all).
pub fn can_read_lead(actor: &SessionUser, l: &lead::Model) -> bool {
    may_read_lead(actor.role, actor.id, &actor.teams, &lead_access(l))
}

/// Whether `actor` may change `l`.
pub fn can_edit_lead(actor: &SessionUser, l: &lead::Model) -> bool {
    may_edit_lead(actor.role, actor.id, &actor.teams, &lead_access(l))
}

/// The lead `id` if `actor` may read it and it is not deleted.
/// Errors: `NotFound` (no such lead, or in the recycle bin), `Hidden("lead:{id}")` (not theirs
/// to read), `Db`.
pub async fn find_readable(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    id: i64,
) -> Result<lead::Model, ServiceError> {
    let l = lead::Entity::find_by_id(id)
        .filter(lead::Column::DeletedAt.is_null())
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if can_read_lead(actor, &l) {
        Ok(l)
    } else {
        Err(ServiceError::Hidden(format!("lead:{id}")))
    }
}

/// The lead `id` if `actor` may change it (leaders never; staff their own, created or team's).
/// Errors: those of `find_readable`, `Forbidden` (readable but not theirs to change).
pub async fn find_editable(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    id: i64,
) -> Result<lead::Model, ServiceError> {
    let l = find_readable(db, actor, id).await?;
    if can_edit_lead(actor, &l) {
        Ok(l)
    } else {
        Err(ServiceError::Forbidden)
    }
}

// ---- trips -------------------------------------------------------------------------------

/// The ids of the trips `user` is on (a subquery).
pub fn trips_of(user: i64) -> SelectStatement {
    Query::select()
        .column(trip_member::Column::TripId)
        .from(trip_member::Entity)
        .and_where(trip_member::Column::UserId.eq(user))
        .to_owned()
}

/// The ids of the visits `user` attends (a subquery).
pub fn visits_of(user: i64) -> SelectStatement {
    Query::select()
        .column(visit_attendee::Column::VisitId)
        .from(visit_attendee::Entity)
        .and_where(visit_attendee::Column::UserId.eq(user))
        .to_owned()
}

/// Restricts a trip query to what `actor` may see: managers, admins and leaders all; staff the
/// trips they are on, created, or that belong to one of their teams.
pub fn trips_visible_to(q: Select<trip::Entity>, actor: &SessionUser) -> Select<trip::Entity> {
    if actor.role.sees_all_leads() {
        return q;
    }
    let on_trip = trips_of(actor.id);
    let mut cond =
        Condition::any().add(trip::Column::CreatedBy.eq(actor.id)).add(trip::Column::Id.in_subquery(on_trip));
    if !actor.teams.is_empty() {
        cond = cond.add(trip::Column::TeamId.is_in(actor.teams.iter().copied()));
    }
    q.filter(cond)
}

/// The trip (出访) `id` if `actor` may see it.
/// Errors: `NotFound` (no such trip), `Hidden("trip:{id}")` (exists, not theirs to see), `Db`.
pub async fn find_trip(db: &impl ConnectionTrait, actor: &SessionUser, id: i64) -> Result<trip::Model, ServiceError> {
    match trips_visible_to(trip::Entity::find_by_id(id), actor).one(db).await? {
        Some(t) => Ok(t),
        None if trip::Entity::find_by_id(id).one(db).await?.is_some() => {
            Err(ServiceError::Hidden(format!("trip:{id}")))
        }
        None => Err(ServiceError::NotFound),
    }
}

/// The user ids on trip `trip_id` (empty for an unknown trip; no access check).
/// Errors: `Db` only.
pub async fn trip_members(db: &impl ConnectionTrait, trip_id: i64) -> Result<Vec<i64>, ServiceError> {
    Ok(trip_member::Entity::find()
        .filter(trip_member::Column::TripId.eq(trip_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.user_id)
        .collect())
}

/// The trip `id` if `actor` may publish or cancel it — the decisions that tell its members it is
/// on or off: managers and admins, and its creator. Its other members work on it (visits,
/// reports, changes, closing) but neither send out nor call off a trip someone else planned.
/// Errors: those of [`editable_trip`], `Forbidden` (a member who did not create it).
pub async fn decidable_trip(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    id: i64,
) -> Result<trip::Model, ServiceError> {
    let t = editable_trip(db, actor, id).await?;
    if may_decide(actor, &t) {
        Ok(t)
    } else {
        Err(ServiceError::Forbidden)
    }
}

/// Whether `actor`, who may work on trip `t`, may also publish or cancel it ([`decidable_trip`]).
pub fn may_decide(actor: &SessionUser, t: &trip::Model) -> bool {
    actor.role.assigns_leads() || t.created_by == actor.id
}

/// The trip `id` if `actor` may work on it: managers and admins, its creator and its members.
/// Errors: those of `find_trip`, `Forbidden` (leaders read only; staff who only see it through a
/// team but neither created it nor are on it).
pub async fn editable_trip(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    id: i64,
) -> Result<trip::Model, ServiceError> {
    let t = find_trip(db, actor, id).await?;
    if !actor.role.writes_leads() {
        return Err(ServiceError::Forbidden);
    }
    if actor.role.assigns_leads() || t.created_by == actor.id || trip_members(db, id).await?.contains(&actor.id) {
        Ok(t)
    } else {
        Err(ServiceError::Forbidden)
    }
}
