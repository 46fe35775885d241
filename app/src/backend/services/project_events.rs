//! 集中开工/竣工: the zone gathers several projects into one start (or completion) event; the
//! office chooses the projects (those whose 开工, or 竣工, is not reached), prints the list, and
//! after the event records its date as each project's milestone (through the plan, so stages
//! move and late entries settle as when one project reports it). Managers and admins organise;
//! everyone reads the events of projects they may see.

use super::access::visible_to;
use super::pipeline::today;
use super::plan_rows::kinds;
use super::project_plan::save_milestone;
use super::ServiceError;
use crate::backend::db::begin_write;
use crate::backend::entities::{lead, project_event, project_event_lead, project_milestone};
use crate::backend::local_time;
use crate::domain::lead::FieldError;
use crate::domain::project_plan::parse_day;
use crate::wire::auth::SessionUser;
use crate::wire::project_events::*;
use crate::wire::projects::MilestoneForm;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};
use std::collections::HashMap;

/// Projects in one event at most.
const MAX_PROJECTS: usize = 200;

/// The milestone code an event kind records.
fn milestone_of(kind: &str) -> Option<&'static str> {
    match kind {
        "start" => Some("start"),
        "completion" => Some("completion"),
        _ => None,
    }
}

/// Each visible lead's milestone row of `code`, by lead.
async fn milestones(
    db: &impl ConnectionTrait,
    code: &str,
    lead_ids: Option<Vec<i64>>,
) -> Result<HashMap<i64, project_milestone::Model>, ServiceError> {
    let Some(kind) = kinds(db, true).await?.into_iter().find(|k| k.code == code) else {
        return Ok(HashMap::new());
    };
    let mut q = project_milestone::Entity::find().filter(project_milestone::Column::KindId.eq(kind.id));
    if let Some(ids) = lead_ids {
        q = q.filter(project_milestone::Column::LeadId.is_in(ids));
    }
    Ok(q.all(db).await?.into_iter().map(|m| (m.lead_id, m)).collect())
}

/// Leads with a plan whose `code` milestone is not reached (for completion: 开工 reached), that
/// `actor` may see, by planned date.
async fn candidates(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    code: &str,
) -> Result<Vec<EventCandidate>, ServiceError> {
    let open: HashMap<i64, project_milestone::Model> =
        milestones(db, code, None).await?.into_iter().filter(|(_, m)| m.done_on.is_none()).collect();
    let started = if code == "completion" { Some(milestones(db, "start", None).await?) } else { None };
    let ids: Vec<i64> = open
        .keys()
        .copied()
        .filter(|id| started.as_ref().is_none_or(|s| s.get(id).is_some_and(|m| m.done_on.is_some())))
        .collect();
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let leads =
            visible_to(lead::Entity::find(), actor).filter(lead::Column::Id.is_in(chunk.to_vec())).all(db).await?;
        out.extend(leads.into_iter().map(|l| EventCandidate {
            lead_id: l.id,
            planned_on: open.get(&l.id).and_then(|m| m.planned_on).map(|d| d.to_string()),
            company_name: l.company_name,
        }));
    }
    out.sort_by(|a, b| a.planned_on.cmp(&b.planned_on).then(a.company_name.cmp(&b.company_name)));
    Ok(out)
}

/// One event with the projects in it that `actor` may see.
async fn view(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    e: project_event::Model,
) -> Result<ProjectEventView, ServiceError> {
    let ids: Vec<i64> = project_event_lead::Entity::find()
        .filter(project_event_lead::Column::EventId.eq(e.id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.lead_id)
        .collect();
    let leads = visible_to(lead::Entity::find(), actor)
        .filter(lead::Column::Id.is_in(ids.clone()))
        .order_by_asc(lead::Column::CompanyName)
        .all(db)
        .await?;
    let rows = milestones(db, milestone_of(&e.kind).unwrap_or("start"), Some(ids)).await?;
    let projects: Vec<EventProject> = leads
        .into_iter()
        .map(|l| EventProject {
            planned_on: rows.get(&l.id).and_then(|m| m.planned_on).map(|d| d.to_string()),
            done_on: rows.get(&l.id).and_then(|m| m.done_on).map(|d| d.to_string()),
            lead_id: l.id,
            company_name: l.company_name,
            stage: l.stage,
            planned_investment_wan: l.planned_investment_wan,
        })
        .collect();
    Ok(ProjectEventView {
        id: e.id,
        total_investment_wan: projects.iter().filter_map(|p| p.planned_investment_wan).sum(),
        kind: e.kind,
        name: e.name,
        held_on: e.held_on.to_string(),
        place: e.place,
        recorded_at: e.recorded_at.map(local_time),
        projects,
    })
}

/// The events, newest first, and the projects that may join one.
/// Errors: `Db`.
pub async fn list(db: &impl ConnectionTrait, actor: &SessionUser) -> Result<ProjectEvents, ServiceError> {
    let events = project_event::Entity::find().order_by_desc(project_event::Column::HeldOn).all(db).await?;
    let mut views = Vec::with_capacity(events.len());
    for e in events {
        views.push(view(db, actor, e).await?);
    }
    let can_edit = actor.role.assigns_leads();
    let (start_candidates, completion_candidates) = if can_edit {
        (candidates(db, actor, "start").await?, candidates(db, actor, "completion").await?)
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(ProjectEvents { events: views, start_candidates, completion_candidates, can_edit, today: today().to_string() })
}

/// One event (for its printed list).
/// Errors: `NotFound`, `Db`.
pub async fn get(db: &impl ConnectionTrait, actor: &SessionUser, id: i64) -> Result<ProjectEventView, ServiceError> {
    let e = project_event::Entity::find_by_id(id).one(db).await?.ok_or(ServiceError::NotFound)?;
    view(db, actor, e).await
}

/// Creates an event with its projects (each one whose milestone is not reached); returns its id.
/// Errors: `Forbidden` (not a manager or admin), `Invalid` at `kind`, `name` (empty or over 100
/// characters), `held_on` (not a date), `place` (over 100), `leads` (none, over 200, or one that
/// cannot join: `err.event.not_candidate`), `Db`.
pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &SessionUser,
    form: EventForm,
) -> Result<i64, ServiceError> {
    if !actor.role.assigns_leads() {
        return Err(ServiceError::Forbidden);
    }
    let mut errors = Vec::new();
    let code = milestone_of(&form.kind);
    if code.is_none() {
        errors.push(FieldError::new("kind", "err.event.kind"));
    }
    let name = form.name.trim();
    if name.is_empty() {
        errors.push(FieldError::new("name", "err.required"));
    } else if name.chars().count() > 100 {
        errors.push(FieldError::new("name", "err.too_long").with("max", 100));
    }
    let held_on = parse_day(&form.held_on);
    if held_on.is_none() {
        errors.push(FieldError::new("held_on", "err.date"));
    }
    if form.place.trim().chars().count() > 100 {
        errors.push(FieldError::new("place", "err.too_long").with("max", 100));
    }
    let mut ids: Vec<i64> = form.leads.iter().filter_map(|s| s.trim().parse().ok()).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        errors.push(FieldError::new("leads", "err.event.no_projects"));
    } else if ids.len() > MAX_PROJECTS {
        errors.push(FieldError::new("leads", "err.event.too_many").with("max", MAX_PROJECTS));
    }
    if let Some(code) = code.filter(|_| !ids.is_empty()) {
        let allowed: Vec<i64> = candidates(db, actor, code).await?.into_iter().map(|c| c.lead_id).collect();
        if ids.iter().any(|id| !allowed.contains(id)) {
            errors.push(FieldError::new("leads", "err.event.not_candidate"));
        }
    }
    let (Some(held_on), true) = (held_on, errors.is_empty()) else {
        return Err(ServiceError::Invalid(errors));
    };
    let txn = begin_write(db).await?;
    let saved = project_event::ActiveModel {
        kind: Set(form.kind.clone()),
        name: Set(name.to_string()),
        held_on: Set(held_on),
        place: Set(form.place.trim().to_string()),
        recorded_at: Set(None),
        created_by: Set(actor.id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    project_event_lead::Entity::insert_many(
        ids.iter().map(|id| project_event_lead::ActiveModel { event_id: Set(saved.id), lead_id: Set(*id) }),
    )
    .exec_without_returning(&txn)
    .await?;
    txn.commit().await?;
    Ok(saved.id)
}

/// Records the event's date as each project's 开工 (or 竣工) through its plan (a project that
/// reached it already keeps its own date). Returns how many were recorded and those refused,
/// with the reason (the event still in the future: `err.plan.done_future` for all).
/// Errors: `Forbidden` (not a manager or admin), `NotFound`, `Db`.
pub async fn record<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &SessionUser,
    id: i64,
) -> Result<RecordOutcome, ServiceError> {
    if !actor.role.assigns_leads() {
        return Err(ServiceError::Forbidden);
    }
    let e = project_event::Entity::find_by_id(id).one(db).await?.ok_or(ServiceError::NotFound)?;
    let code = milestone_of(&e.kind).ok_or(ServiceError::NotFound)?;
    let Some(kind) = kinds(db, true).await?.into_iter().find(|k| k.code == code) else {
        return Err(ServiceError::NotFound);
    };
    let event = view(db, actor, e.clone()).await?;
    let rows = milestones(db, code, Some(event.projects.iter().map(|p| p.lead_id).collect())).await?;
    let mut outcome = RecordOutcome::default();
    for p in &event.projects {
        let row = rows.get(&p.lead_id);
        if row.is_some_and(|r| r.done_on.is_some()) {
            continue;
        }
        let form = MilestoneForm {
            planned: row.and_then(|r| r.planned_on).map(|d| d.to_string()).unwrap_or_default(),
            done: e.held_on.to_string(),
            department: row.map(|r| r.department.clone()).unwrap_or_default(),
            owner: row.map(|r| r.owner.clone()).unwrap_or_default(),
        };
        match save_milestone(db, actor, p.lead_id, kind.id, form).await {
            Ok(()) => outcome.recorded += 1,
            Err(ServiceError::Invalid(errors)) => {
                let key = errors.into_iter().next().map(|e| e.key).unwrap_or_else(|| "err.invalid".into());
                outcome.refused.push((p.company_name.clone(), key));
            }
            Err(ServiceError::Conflict(key)) => outcome.refused.push((p.company_name.clone(), key)),
            Err(e) => return Err(e),
        }
    }
    if outcome.recorded > 0 {
        let mut m: project_event::ActiveModel = e.into();
        m.recorded_at = Set(Some(Utc::now()));
        m.update(db).await?;
    }
    Ok(outcome)
}
