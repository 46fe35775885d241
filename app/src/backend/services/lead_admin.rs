//! The recycle bin (soft delete, restore), 重大项目 settings, and the field history view.

use super::access::can_edit_lead;
use super::access::find_readable;
use super::access::require_manager;
use super::users::names;
use super::ServiceError;
use crate::backend::entities::{lead, user};
use crate::backend::local_time;
use crate::domain::lead::FieldError;
use crate::wire::auth::SessionUser;
use crate::wire::lead_admin::{MajorForm, MajorProject, TrashRow};
use crate::wire::leads::FieldChange;
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

pub async fn delete(db: &impl ConnectionTrait, actor: &SessionUser, id: i64) -> Result<(), ServiceError> {
    let l = find_readable(db, actor, id).await?;
    if !can_edit_lead(actor, &l) {
        return Err(ServiceError::Forbidden);
    }
    let mut active: lead::ActiveModel = l.into();
    active.deleted_at = Set(Some(Utc::now()));
    active.deleted_by = Set(Some(actor.id));
    active.update(db).await?;
    Ok(())
}

pub async fn restore(db: &impl ConnectionTrait, actor: &SessionUser, id: i64) -> Result<(), ServiceError> {
    require_manager(actor)?;
    let l = lead::Entity::find_by_id(id)
        .filter(lead::Column::DeletedAt.is_not_null())
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let mut active: lead::ActiveModel = l.into();
    active.deleted_at = Set(None);
    active.deleted_by = Set(None);
    active.update(db).await?;
    Ok(())
}

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
            let ok = user::Entity::find_by_id(uid).one(db).await?.is_some_and(|u| u.disabled_at.is_none());
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
