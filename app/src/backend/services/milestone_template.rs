//! The office's milestone template (项目建设节点模板): rename a milestone, change its default
//! duration or place, add the office's own, archive one. Managers and admins.

use super::plan_rows::kinds;
use super::ServiceError;
use crate::backend::entities::milestone_kind;
use crate::domain::lead::FieldError;
use crate::domain::project_plan::{BUILT_IN, MAX_DAYS};
use crate::wire::auth::SessionUser;
use crate::wire::projects::{MilestoneKindForm, MilestoneKindView, MilestoneTemplate};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};

/// The whole template in plan order, archived entries included (flagged), and whether `actor`
/// may edit it.
/// Errors: `Db`.
pub async fn list(db: &impl ConnectionTrait, actor: &SessionUser) -> Result<MilestoneTemplate, ServiceError> {
    let kinds = kinds(db, true)
        .await?
        .into_iter()
        .map(|k| MilestoneKindView {
            id: k.id,
            code: k.code,
            name: k.name,
            position: k.position,
            days: k.days,
            stage: k.stage,
            archived: k.archived,
        })
        .collect();
    Ok(MilestoneTemplate { kinds, can_edit: actor.role.assigns_leads() })
}

/// Saves template entry `id` (a new one, `custom_N`, when `None`): its name (required for a new
/// one, at most 100 characters; empty keeps a built-in's translated name), default days after
/// the milestone before it (0–3650), place in the order (1–999) and whether it is archived.
/// Returns its id.
/// Errors: `Forbidden` (not a manager or admin), `NotFound` (no such entry), `Invalid` at `name`,
/// `days`, `position`; `Db`.
pub async fn save(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    id: Option<i64>,
    form: MilestoneKindForm,
) -> Result<i64, ServiceError> {
    if !actor.role.assigns_leads() {
        return Err(ServiceError::Forbidden);
    }
    let existing = match id {
        Some(id) => Some(milestone_kind::Entity::find_by_id(id).one(db).await?.ok_or(ServiceError::NotFound)?),
        None => None,
    };
    let mut errors = Vec::new();
    let name = form.name.trim().to_string();
    if name.chars().count() > 100 {
        errors.push(FieldError::new("name", "err.too_long").with("max", 100));
    } else if name.is_empty() && existing.as_ref().is_none_or(|k| !BUILT_IN.contains(&k.code.as_str())) {
        // Only a built-in falls back on its translated name.
        errors.push(FieldError::new("name", "err.required"));
    }
    let days = match form.days.trim().parse::<i32>() {
        Ok(d) if (0..=MAX_DAYS).contains(&d) => d,
        _ => {
            errors.push(FieldError::new("days", "err.range").with("min", 0).with("max", MAX_DAYS));
            0
        }
    };
    let all = kinds(db, true).await?;
    let position = match form.position.trim() {
        "" => existing
            .as_ref()
            .map(|k| k.position)
            .unwrap_or_else(|| all.iter().map(|k| k.position).max().unwrap_or(0) + 1),
        raw => match raw.parse::<i32>() {
            Ok(p) if (1..=999).contains(&p) => p,
            _ => {
                errors.push(FieldError::new("position", "err.range").with("min", 1).with("max", 999));
                0
            }
        },
    };
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let archived = form.archived.is_some();
    match existing {
        Some(k) => {
            let id = k.id;
            let mut active: milestone_kind::ActiveModel = k.into();
            active.name = Set(name);
            active.days = Set(days);
            active.position = Set(position);
            active.archived = Set(archived);
            active.update(db).await?;
            Ok(id)
        }
        None => {
            let n = all.iter().filter(|k| k.code.starts_with("custom_")).count() + 1;
            let k = milestone_kind::ActiveModel {
                code: Set(format!("custom_{n}_{}", chrono::Utc::now().timestamp())),
                name: Set(name),
                position: Set(position),
                days: Set(days),
                stage: Set(None),
                category: Set("other".into()),
                archived: Set(archived),
                ..Default::default()
            }
            .insert(db)
            .await?;
            Ok(k.id)
        }
    }
}
