//! 项目建设计划 after 签约: a project's milestones (注册 … 纳统) with planned and actual dates,
//! counting back (倒排) from one date, and reaching a milestone moving the lead to the stage it
//! stands for. Staff edit the plans of leads they may change, managers all, leaders read.

use super::access::{can_edit_lead, find_readable};
use super::pipeline::{move_stage, today};
use super::plan_escalation::{escalate, settle};
use super::plan_rows::settle_problem;
use super::plan_rows::{editable_plan, has_plan, kind_name, kinds, rows};
use super::project_procedures::procedures;
use super::ServiceError;
use crate::backend::entities::{commitment, milestone_kind, project_milestone};
use crate::domain::catalog::Stage;
use crate::domain::lead::FieldError;
use crate::domain::project_plan::{check_order, count_back as counted, parse_day, MilestoneStatus, Weekends};
use crate::domain::stage::position;
use crate::i18n::{tr, Locale};
use crate::wire::auth::SessionUser;
use crate::wire::pipeline::MoveForm;
use crate::wire::projects::*;
use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set, TransactionTrait, TryIntoModel};
use std::collections::HashMap;

fn date(field: &str, raw: &str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let day = parse_day(raw);
    if day.is_none() {
        errors.push(FieldError::new(field, "err.date"));
    }
    day
}

fn view(kind: &milestone_kind::Model, row: Option<&project_milestone::Model>, today: NaiveDate) -> MilestoneView {
    let planned = row.and_then(|r| r.planned_on);
    let done = row.and_then(|r| r.done_on);
    let status = MilestoneStatus::of(planned, done, today);
    MilestoneView {
        kind_id: kind.id,
        code: kind.code.clone(),
        name: kind.name.clone(),
        planned_on: planned.map(|d| d.to_string()),
        done_on: done.map(|d| d.to_string()),
        department: row.map(|r| r.department.clone()).unwrap_or_default(),
        owner: row.map(|r| r.owner.clone()).unwrap_or_default(),
        status: status.code().to_string(),
        days_late: match status {
            MilestoneStatus::Overdue(days) => Some(days),
            _ => None,
        },
        problem_id: row.and_then(|r| r.problem_id),
        stage: kind.stage.clone(),
    }
}

/// The plan of lead `lead_id` in the template's order, each milestone with its status on today
/// (Asia/Shanghai); archived template entries only where this plan recorded something. `None`
/// before 签约 (no plan yet).
/// Errors: `NotFound`/`Hidden` (see `access::find_readable`), `Db`.
pub async fn plan(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    lead_id: i64,
) -> Result<Option<PlanView>, ServiceError> {
    let l = find_readable(db, actor, lead_id).await?;
    let rows = rows(db, lead_id).await?;
    if !has_plan(&l, &rows) {
        return Ok(None);
    }
    let by_kind: HashMap<i64, &project_milestone::Model> = rows.iter().map(|r| (r.kind_id, r)).collect();
    let today = today();
    let milestones = kinds(db, true)
        .await?
        .iter()
        .filter(|k| !k.archived || by_kind.contains_key(&k.id))
        .map(|k| view(k, by_kind.get(&k.id).copied(), today))
        .collect();
    let committed_start = commitment::Entity::find_by_id(lead_id).one(db).await?.and_then(|c| c.start_on);
    Ok(Some(PlanView {
        lead_id,
        milestones,
        committed_start: committed_start.map(|d| d.to_string()),
        procedures: procedures(db, lead_id, today).await?,
        can_edit: can_edit_lead(actor, &l),
        today: today.to_string(),
    }))
}

/// Writes `planned` dates (by kind id) into lead `lead_id`'s rows, creating missing rows.
async fn write_planned(
    db: &impl ConnectionTrait,
    lead_id: i64,
    actor_id: i64,
    planned: &[(i64, Option<NaiveDate>)],
    existing: &HashMap<i64, project_milestone::Model>,
) -> Result<(), ServiceError> {
    let now = Utc::now();
    for (kind_id, day) in planned {
        match existing.get(kind_id) {
            Some(row) if row.planned_on == *day => {}
            Some(row) => {
                let mut active: project_milestone::ActiveModel = row.clone().into();
                active.planned_on = Set(*day);
                active.updated_by = Set(actor_id);
                active.updated_at = Set(now);
                active.update(db).await?;
            }
            None if day.is_none() => {}
            None => {
                project_milestone::ActiveModel {
                    lead_id: Set(lead_id),
                    kind_id: Set(*kind_id),
                    planned_on: Set(*day),
                    done_on: Set(None),
                    department: Set(String::new()),
                    owner: Set(String::new()),
                    problem_id: Set(None),
                    done_by: Set(None),
                    done_at: Set(None),
                    updated_by: Set(actor_id),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(db)
                .await?;
            }
        }
    }
    Ok(())
}

/// The order check over the template: error at `field` naming the milestone planned after its
/// successor (`err.plan.order`, `{milestone}` and `{next}`).
fn ordered(
    locale: Locale,
    order: &[milestone_kind::Model],
    planned: &HashMap<i64, Option<NaiveDate>>,
    field: &str,
) -> Result<(), ServiceError> {
    let dates: Vec<Option<NaiveDate>> = order.iter().map(|k| planned.get(&k.id).copied().flatten()).collect();
    check_order(&dates).map_err(|i| {
        let next = (i + 1..dates.len()).find(|j| dates[*j].is_some()).unwrap_or(i);
        ServiceError::Invalid(vec![FieldError::new(field, "err.plan.order")
            .with("milestone", kind_name(locale, &order[i].code, &order[i].name))
            .with("next", kind_name(locale, &order[next].code, &order[next].name))])
    })
}

/// 倒排: fills the planned dates of lead `lead_id`'s milestones from `form.anchor` (a kind id) on
/// `form.date`, with the template's default durations (days), counted back before it and forward
/// after it, weekends kept unless `skip_weekends`; dates already planned stay unless `replace`.
/// Then opens 问题清单 entries for milestones now overdue.
/// Errors: `NotFound`/`Hidden`/`Forbidden` (see `access::find_editable`),
/// `Conflict("err.plan.not_signed")`, `Invalid` at `anchor` (not in the template), `date`
/// (missing or not `YYYY-MM-DD`; `err.plan.order` when kept dates would fall out of order), `Db`.
pub async fn count_back<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &SessionUser,
    lead_id: i64,
    form: CountBackForm,
) -> Result<(), ServiceError> {
    editable_plan(db, actor, lead_id).await?;
    let order = kinds(db, false).await?;
    let mut errors = Vec::new();
    let anchor = form.anchor.trim().parse::<i64>().ok().and_then(|id| order.iter().position(|k| k.id == id));
    if anchor.is_none() {
        errors.push(FieldError::new("anchor", "err.choose"));
    }
    let on = date("date", &form.date, &mut errors);
    if on.is_none() && errors.iter().all(|e| e.field != "date") {
        errors.push(FieldError::new("date", "err.required"));
    }
    let (Some(anchor), Some(on)) = (anchor, on) else { return Err(ServiceError::Invalid(errors)) };
    let weekends = if form.skip_weekends.is_some() { Weekends::Skip } else { Weekends::Keep };
    let days: Vec<i32> = order.iter().map(|k| k.days).collect();
    let dates = counted(&days, anchor, on, weekends);
    let existing: HashMap<i64, project_milestone::Model> =
        rows(db, lead_id).await?.into_iter().map(|r| (r.kind_id, r)).collect();
    let replace = form.replace.is_some();
    let planned: Vec<(i64, Option<NaiveDate>)> = order
        .iter()
        .zip(dates)
        .map(|(k, d)| match existing.get(&k.id).and_then(|r| r.planned_on) {
            Some(kept) if !replace => (k.id, Some(kept)),
            _ => (k.id, Some(d)),
        })
        .collect();
    ordered(actor.locale, &order, &planned.iter().copied().collect(), "date")?;
    write_planned(db, lead_id, actor.id, &planned, &existing).await?;
    escalate(db, Some(lead_id), today()).await?;
    Ok(())
}

/// Saves one milestone of lead `lead_id` (`kind_id` in the template): planned and actual dates,
/// department and person in charge. Reaching a milestone that stands for a stage (注册, 拿地,
/// 开工, 投产) moves a lead still before that stage to it (a recorded stage move); reaching an
/// overdue one solves the 问题清单 entry opened for it.
/// Errors: `NotFound` (no such template entry), `NotFound`/`Hidden`/`Forbidden` (lead),
/// `Conflict("err.plan.not_signed")`, `Invalid` at `planned` (not a date, or `err.plan.order`),
/// `done` (not a date, or after today: `err.plan.done_future`), `department`/`owner` (over 100
/// characters), `Db`; errors of `pipeline::move_stage` for the stage move (the milestone stands).
pub async fn save_milestone<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &SessionUser,
    lead_id: i64,
    kind_id: i64,
    form: MilestoneForm,
) -> Result<(), ServiceError> {
    let l = editable_plan(db, actor, lead_id).await?;
    let kind = milestone_kind::Entity::find_by_id(kind_id).one(db).await?.ok_or(ServiceError::NotFound)?;
    let mut errors = Vec::new();
    let planned = date("planned", &form.planned, &mut errors);
    let done = date("done", &form.done, &mut errors);
    let today = today();
    if done.is_some_and(|d| d > today) {
        errors.push(FieldError::new("done", "err.plan.done_future"));
    }
    for (field, value) in [("department", &form.department), ("owner", &form.owner)] {
        if value.trim().chars().count() > 100 {
            errors.push(FieldError::new(field, "err.too_long").with("max", 100));
        }
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let existing: HashMap<i64, project_milestone::Model> =
        rows(db, lead_id).await?.into_iter().map(|r| (r.kind_id, r)).collect();
    let order = kinds(db, true).await?;
    let mut all: HashMap<i64, Option<NaiveDate>> = existing.iter().map(|(k, r)| (*k, r.planned_on)).collect();
    all.insert(kind_id, planned);
    ordered(actor.locale, &order, &all, "planned")?;
    let now = Utc::now();
    let before = existing.get(&kind_id);
    let reached = done.is_some() && before.and_then(|r| r.done_on).is_none();
    let mut active = match before {
        Some(r) => r.clone().into(),
        None => project_milestone::ActiveModel {
            lead_id: Set(lead_id),
            kind_id: Set(kind_id),
            problem_id: Set(None),
            ..Default::default()
        },
    };
    active.planned_on = Set(planned);
    active.done_on = Set(done);
    active.department = Set(form.department.trim().to_string());
    active.owner = Set(form.owner.trim().to_string());
    if reached {
        active.done_by = Set(Some(actor.id));
        active.done_at = Set(Some(now));
    } else if done.is_none() {
        active.done_by = Set(None);
        active.done_at = Set(None);
    }
    // The 问题清单 entry of a late milestone: kept while it is late (and until it is settled as
    // reached); replanned to today or later, it is solved and let go; reopened, the solved one is
    // let go, so running late again opens a new entry.
    if let Some(old) = before.and_then(|r| r.problem_id).filter(|_| done.is_none()) {
        let late = planned.is_some_and(|p| p < today);
        if !late {
            let note = tr(Locale::ZhCn, "plan.problem_replanned")
                .replace("{date}", &planned.map(|d| d.to_string()).unwrap_or_else(|| "—".into()));
            settle_problem(db, Some(old), &note, actor.id).await?;
        }
        if !late || before.is_some_and(|r| r.done_on.is_some()) {
            active.problem_id = Set(None);
        }
    }
    active.updated_by = Set(actor.id);
    active.updated_at = Set(now);
    let saved = active.save(db).await?;
    if reached {
        if let Ok(row) = saved.try_into_model() {
            settle(db, &row, actor.id).await?;
        }
        let behind = |target: Stage| {
            let now_at = Stage::parse(&l.stage).and_then(position);
            matches!((now_at, position(target)), (Some(a), Some(b)) if a < b)
        };
        if let Some(target) = kind.stage.as_deref().and_then(Stage::parse).filter(|s| behind(*s)) {
            let name = kind_name(Locale::ZhCn, &kind.code, &kind.name);
            let form = MoveForm {
                to: target.code().to_string(),
                comment: format!("{name} {}", done.map(|d| d.to_string()).unwrap_or_default()),
                version: l.version.to_string(),
                ..Default::default()
            };
            move_stage(db, actor, lead_id, form).await?;
        }
    }
    escalate(db, Some(lead_id), today).await?;
    Ok(())
}
