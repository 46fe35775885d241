//! The recycle bin (soft delete, restore), 重大项目 settings, and the field history view.

use super::access::can_edit_lead;
use super::access::find_readable;
use super::access::require_manager;
use super::rescore::{rescore, Scope};
use super::users::names;
use super::ServiceError;
use crate::backend::entities::{lead, lead_node, user};
use crate::backend::local_time;
use crate::domain::lead::FieldError;
use crate::domain::stage::code_is_landed;
use crate::wire::auth::SessionUser;
use crate::wire::lead_admin::{MajorForm, MajorProject, TrashRow};
use crate::wire::leads::FieldChange;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};

/// Moves lead `id` to the recycle bin (回收站: soft delete, who and when kept). Anyone who may
/// change it. A landed lead stops covering its chain nodes, whose other leads are rescored.
/// Errors: `NotFound` (missing or already deleted), `Hidden("lead:{id}")` (not readable),
/// `Forbidden` (readable but not theirs to change), `Internal` (no score configuration, on a
/// rescore: nothing is deleted), `Db`.
pub async fn delete<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &SessionUser,
    id: i64,
) -> Result<(), ServiceError> {
    let l = find_readable(db, actor, id).await?;
    if !can_edit_lead(actor, &l) {
        return Err(ServiceError::Forbidden);
    }
    let landed = code_is_landed(&l.stage);
    let mut active: lead::ActiveModel = l.into();
    active.deleted_at = Set(Some(Utc::now()));
    active.deleted_by = Set(Some(actor.id));
    // With its rescore, in one transaction: a failed rescore deletes nothing.
    let txn = crate::backend::db::begin_write(db).await?;
    active.update(&txn).await?;
    if landed {
        rescore_its_nodes(&txn, id).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// A landed lead leaving or coming back from the recycle bin uncovers or covers its nodes
/// (`Coverage`): the other leads on them are rescored (their 缺链 factor may change).
async fn rescore_its_nodes<C: ConnectionTrait + TransactionTrait>(db: &C, id: i64) -> Result<(), ServiceError> {
    let nodes = lead_node::Entity::find().filter(lead_node::Column::LeadId.eq(id)).all(db).await?;
    rescore(db, Scope::Nodes(nodes.into_iter().map(|n| n.node_id).collect())).await?;
    Ok(())
}

/// Takes lead `id` out of the recycle bin (managers and admins).
/// A landed lead covers its chain nodes again, whose other leads are rescored.
/// Errors: `Forbidden` (others), `NotFound` (no such lead in the bin), `Internal` (no score
/// configuration, on a rescore: nothing is restored), `Db`.
pub async fn restore<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &SessionUser,
    id: i64,
) -> Result<(), ServiceError> {
    require_manager(actor)?;
    let l = lead::Entity::find_by_id(id)
        .filter(lead::Column::DeletedAt.is_not_null())
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let landed = code_is_landed(&l.stage);
    let mut active: lead::ActiveModel = l.into();
    active.deleted_at = Set(None);
    active.deleted_by = Set(None);
    let txn = crate::backend::db::begin_write(db).await?;
    active.update(&txn).await?;
    if landed {
        rescore_its_nodes(&txn, id).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// The recycle bin: every deleted lead, latest deleted first, with who deleted it and when
/// (Asia/Shanghai). Managers and admins.
/// Errors: `Forbidden` (others), `Db`.
pub async fn trash(db: &impl ConnectionTrait, actor: &SessionUser) -> Result<Vec<TrashRow>, ServiceError> {
    require_manager(actor)?;
    let rows = lead::Entity::find()
        .filter(lead::Column::DeletedAt.is_not_null())
        .order_by_desc(lead::Column::DeletedAt)
        .all(db)
        .await?;
    let who = names(db, rows.iter().filter_map(|r| r.deleted_by)).await?;
    Ok(rows
        .into_iter()
        .map(|r| TrashRow {
            id: r.id,
            deleted_by: r.deleted_by.and_then(|id| who.get(&id).cloned()).unwrap_or_default(),
            deleted_at: r.deleted_at.map(local_time).unwrap_or_default(),
            company_name: r.company_name,
        })
        .collect())
}

/// Lead `id`'s 重大项目 status: major by amount (planned investment at or over the threshold,
/// 万元) or flagged, its 包保领导 and lead department, and whether `actor` may edit it.
/// Errors: `NotFound`/`Hidden` (see `access::find_readable`), `Db`, `Internal` (no score
/// configuration).
pub async fn major(db: &impl ConnectionTrait, actor: &SessionUser, id: i64) -> Result<MajorProject, ServiceError> {
    let l = find_readable(db, actor, id).await?;
    let threshold_wan = super::scoring::major_project_wan(db).await?;
    let by_amount = l.planned_investment_wan.is_some_and(|v| v >= threshold_wan);
    let leader = match l.leader_in_charge_id {
        Some(uid) => names(db, [uid]).await?.remove(&uid),
        None => None,
    };
    Ok(MajorProject {
        is_major: by_amount || l.major_flag,
        by_amount,
        flagged: l.major_flag,
        threshold_wan,
        leader_in_charge: leader,
        leader_in_charge_id: l.leader_in_charge_id,
        lead_department: l.lead_department,
        can_edit: actor.role.assigns_leads(),
    })
}

/// Sets lead `id`'s 重大项目 flag, 包保领导 (an enabled leader or manager, or none) and lead department, with a
/// new version and its field history (managers and admins; no version check).
/// Errors: `Forbidden` (others), `NotFound`/`Hidden` (see `access::find_readable`), `Invalid` at
/// `leader_in_charge_id` (not an enabled leader or manager) or `lead_department` (over 100 characters), `Db`.
pub async fn set_major(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    id: i64,
    form: MajorForm,
) -> Result<(), ServiceError> {
    require_manager(actor)?;
    let l = find_readable(db, actor, id).await?;
    let leader = match form.leader_in_charge_id.trim() {
        "" => None,
        raw => {
            let uid: i64 = raw
                .parse()
                .map_err(|_| ServiceError::Invalid(vec![FieldError::new("leader_in_charge_id", "err.choose")]))?;
            let ok = user::Entity::find_by_id(uid).one(db).await?.is_some_and(|u| {
                u.disabled_at.is_none()
                    && crate::domain::role::Role::parse(&u.role)
                        .is_some_and(|r| super::users::IN_CHARGE_ROLES.contains(&r))
            });
            if !ok {
                return Err(ServiceError::Invalid(vec![FieldError::new("leader_in_charge_id", "err.choose")]));
            }
            Some(uid)
        }
    };
    if form.lead_department.chars().count() > 100 {
        return Err(ServiceError::Invalid(vec![FieldError::new("lead_department", "err.too_long").with("max", 100)]));
    }
    let before = l.clone();
    let mut active: lead::ActiveModel = l.into();
    active.major_flag = Set(matches!(form.flagged.as_str(), "true" | "on" | "yes"));
    active.leader_in_charge_id = Set(leader);
    active.lead_department = Set(form.lead_department.trim().to_string());
    active.version = Set(before.version + 1);
    active.updated_by = Set(actor.id);
    active.updated_at = Set(Utc::now());
    let after = active.update(db).await?;
    super::history::record(db, &before, &after, actor.id).await
}

/// Lead `id`'s field history (审计), newest first. Managers, admins and leaders.
/// Errors: `Forbidden` (staff), `NotFound`/`Hidden` (see `access::find_readable`), `Db`.
pub async fn history(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    id: i64,
) -> Result<Vec<FieldChange>, ServiceError> {
    if !actor.role.sees_all_leads() {
        return Err(ServiceError::Forbidden);
    }
    find_readable(db, actor, id).await?;
    super::history::of_lead(db, id).await
}
