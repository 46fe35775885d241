//! The stored side of 项目建设计划 that the pipeline also writes: the office's milestone template,
//! a project's milestone rows, and recording a milestone as reached when the lead moves to the
//! stage it stands for. Below `pipeline` and `project_plan` (both read it).

use super::access::find_editable;
use super::ServiceError;
use crate::backend::entities::{lead, milestone_kind, problem, problem_update, project_milestone};
use crate::domain::catalog::Stage;
use crate::domain::stage::is_landed;
use crate::i18n::{tr, Locale};
use crate::wire::auth::SessionUser;
use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};

/// The template in plan order (position, then id); archived entries only with `archived`.
pub async fn kinds(db: &impl ConnectionTrait, archived: bool) -> Result<Vec<milestone_kind::Model>, DbErr> {
    let mut q = milestone_kind::Entity::find();
    if !archived {
        q = q.filter(milestone_kind::Column::Archived.eq(false));
    }
    q.order_by_asc(milestone_kind::Column::Position).order_by_asc(milestone_kind::Column::Id).all(db).await
}

/// A lead's milestone rows (any order).
pub async fn rows(db: &impl ConnectionTrait, lead_id: i64) -> Result<Vec<project_milestone::Model>, DbErr> {
    project_milestone::Entity::find().filter(project_milestone::Column::LeadId.eq(lead_id)).all(db).await
}

/// A milestone's name in `locale`: the office's own, else the built-in's translation.
pub fn kind_name(locale: Locale, code: &str, name: &str) -> String {
    if name.trim().is_empty() {
        tr(locale, &format!("milestone.{code}")).to_string()
    } else {
        name.to_string()
    }
}

/// Records the milestone standing for `stage` (注册, 拿地, 开工, 投产) as reached on `day` for lead
/// `lead_id`, unless it already has an actual date; creates the row when the plan has none. Does
/// nothing for stages no milestone stands for.
/// Errors: `Db`.
pub async fn record_stage(
    db: &impl ConnectionTrait,
    lead_id: i64,
    stage: Stage,
    day: NaiveDate,
    actor_id: i64,
) -> Result<(), DbErr> {
    let Some(kind) = milestone_kind::Entity::find()
        .filter(milestone_kind::Column::Stage.eq(stage.code()))
        .filter(milestone_kind::Column::Archived.eq(false))
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let now = Utc::now();
    let existing = project_milestone::Entity::find()
        .filter(project_milestone::Column::LeadId.eq(lead_id))
        .filter(project_milestone::Column::KindId.eq(kind.id))
        .one(db)
        .await?;
    match existing {
        Some(row) if row.done_on.is_some() => Ok(()),
        Some(row) => {
            // Reached: the 问题清单 entry opened when it ran late is solved.
            let note = tr(Locale::ZhCn, "plan.problem_solved").replace("{done}", &day.to_string());
            settle_problem(db, row.problem_id, &note, actor_id).await.map_err(|e| match e {
                ServiceError::Db(e) => e,
                other => DbErr::Custom(other.to_string()),
            })?;
            let mut active: project_milestone::ActiveModel = row.into();
            active.done_on = Set(Some(day));
            active.done_by = Set(Some(actor_id));
            active.done_at = Set(Some(now));
            active.updated_by = Set(actor_id);
            active.updated_at = Set(now);
            active.update(db).await.map(|_| ())
        }
        None => project_milestone::ActiveModel {
            lead_id: Set(lead_id),
            kind_id: Set(kind.id),
            planned_on: Set(None),
            done_on: Set(Some(day)),
            department: Set(String::new()),
            owner: Set(String::new()),
            problem_id: Set(None),
            done_by: Set(Some(actor_id)),
            done_at: Set(Some(now)),
            updated_by: Set(actor_id),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await
        .map(|_| ()),
    }
}

/// Whether a lead has a plan to show: landed (签约 and after), or paused or dropped with
/// milestones already recorded.
pub fn has_plan(l: &lead::Model, rows: &[project_milestone::Model]) -> bool {
    Stage::parse(&l.stage).is_some_and(is_landed) || !rows.is_empty()
}

/// Lead `lead_id` when `actor` may change it and it has a plan.
/// Errors: `NotFound`/`Hidden`/`Forbidden` (see `access::find_editable`),
/// `Conflict("err.plan.not_signed")` before 签约, `Db`.
pub async fn editable_plan(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    lead_id: i64,
) -> Result<lead::Model, ServiceError> {
    let l = find_editable(db, actor, lead_id).await?;
    if !has_plan(&l, &rows(db, lead_id).await?) {
        return Err(ServiceError::Conflict("err.plan.not_signed".into()));
    }
    Ok(l)
}

/// Solves problem `problem_id` (opened for a milestone or a 前期手续 item now finished) with
/// `note` in its history; nothing when there is none or it is solved already.
/// Errors: `Db`.
pub async fn settle_problem(
    db: &impl ConnectionTrait,
    problem_id: Option<i64>,
    note: &str,
    actor_id: i64,
) -> Result<(), ServiceError> {
    let Some(pid) = problem_id else { return Ok(()) };
    let Some(p) = problem::Entity::find_by_id(pid).one(db).await?.filter(|p| p.status != "solved") else {
        return Ok(());
    };
    let now = Utc::now();
    problem_update::ActiveModel {
        problem_id: Set(pid),
        note: Set(note.to_string()),
        status: Set("solved".into()),
        created_by: Set(actor_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let mut active: problem::ActiveModel = p.into();
    active.status = Set("solved".into());
    active.updated_at = Set(now);
    active.update(db).await?;
    Ok(())
}
