//! 前期手续 of a signed project, handled for the company by the office (帮办代办): the built-in
//! items (审批/核准/备案, 规划选址, 用地, 环评, 能评, 七通一平) and any added for the project, each
//! with department, 帮办代办 person, due date, status and the documents noted. Staff edit the
//! items of leads they may change, managers all, leaders read.

use super::plan_escalation::escalate;
use super::plan_rows::{editable_plan, settle_problem};
use super::ServiceError;
use crate::backend::entities::project_procedure;
use crate::domain::lead::FieldError;
use crate::domain::procedure::{days_late, is_built_in, ProcedureStatus, BUILT_IN};
use crate::domain::project_plan::parse_day;
use crate::i18n::{tr, Locale};
use crate::wire::auth::SessionUser;
use crate::wire::projects::{ProcedureForm, ProcedureView};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};

fn view(code: &str, row: Option<&project_procedure::Model>, today: NaiveDate) -> ProcedureView {
    let status = row.and_then(|r| ProcedureStatus::parse(&r.status)).unwrap_or(ProcedureStatus::Todo);
    ProcedureView {
        code: code.to_string(),
        name: row.map(|r| r.name.clone()).unwrap_or_default(),
        department: row.map(|r| r.department.clone()).unwrap_or_default(),
        agent: row.map(|r| r.agent.clone()).unwrap_or_default(),
        due_on: row.and_then(|r| r.due_on).map(|d| d.to_string()),
        status: status.code().to_string(),
        documents: row.map(|r| r.documents.clone()).unwrap_or_default(),
        days_late: days_late(row.and_then(|r| r.due_on), status, today),
        problem_id: row.and_then(|r| r.problem_id),
    }
}

/// The 前期手续 of lead `lead_id` on `today`: every built-in item (未启动 until saved), then the
/// items added for the project in the order they were added. No access check: callers read the
/// lead first.
/// Errors: `Db`.
pub async fn procedures(
    db: &impl ConnectionTrait,
    lead_id: i64,
    today: NaiveDate,
) -> Result<Vec<ProcedureView>, ServiceError> {
    let rows = project_procedure::Entity::find()
        .filter(project_procedure::Column::LeadId.eq(lead_id))
        .order_by_asc(project_procedure::Column::Id)
        .all(db)
        .await?;
    let mut out: Vec<ProcedureView> =
        BUILT_IN.iter().map(|(code, _)| view(code, rows.iter().find(|r| r.code == *code), today)).collect();
    out.extend(rows.iter().filter(|r| !is_built_in(&r.code)).map(|r| view(&r.code, Some(r), today)));
    Ok(out)
}

/// Saves 前期手续 item `code` of lead `lead_id` (a built-in code, an item added before, or empty to
/// add one named `form.name`). Finishing an item (已办结 or 无需办理) solves the 问题清单 entry opened
/// for it; an open item past its due date opens one.
/// Errors: `NotFound` (no such item on this project), `NotFound`/`Hidden`/`Forbidden` (lead),
/// `Conflict("err.plan.not_signed")`, `Invalid` at `name` (missing for a new item, over 100),
/// `department`/`agent` (over 100), `due` (not `YYYY-MM-DD`), `status` (unknown), `documents`
/// (over 2000); `Db`.
pub async fn save<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &SessionUser,
    lead_id: i64,
    code: &str,
    form: ProcedureForm,
) -> Result<(), ServiceError> {
    editable_plan(db, actor, lead_id).await?;
    let code = code.trim();
    let existing = project_procedure::Entity::find()
        .filter(project_procedure::Column::LeadId.eq(lead_id))
        .filter(project_procedure::Column::Code.eq(code))
        .one(db)
        .await?;
    if !code.is_empty() && existing.is_none() && !is_built_in(code) {
        return Err(ServiceError::NotFound);
    }
    let mut errors = Vec::new();
    let name = form.name.trim().to_string();
    if name.chars().count() > 100 {
        errors.push(FieldError::new("name", "err.too_long").with("max", 100));
    } else if code.is_empty() && name.is_empty() {
        errors.push(FieldError::new("name", "err.required"));
    }
    for (field, value) in [("department", &form.department), ("agent", &form.agent)] {
        if value.trim().chars().count() > 100 {
            errors.push(FieldError::new(field, "err.too_long").with("max", 100));
        }
    }
    if form.documents.trim().chars().count() > 2000 {
        errors.push(FieldError::new("documents", "err.too_long").with("max", 2000));
    }
    let due = match form.due.trim() {
        "" => None,
        raw => parse_day(raw).or_else(|| {
            errors.push(FieldError::new("due", "err.date"));
            None
        }),
    };
    let status = match form.status.trim() {
        "" => existing.as_ref().and_then(|r| ProcedureStatus::parse(&r.status)).or(Some(ProcedureStatus::Todo)),
        raw => ProcedureStatus::parse(raw).or_else(|| {
            errors.push(FieldError::new("status", "err.choose"));
            None
        }),
    };
    let Some(status) = status.filter(|_| errors.is_empty()) else { return Err(ServiceError::Invalid(errors)) };
    let now = Utc::now();
    let mut active = match existing.clone() {
        Some(r) => r.into(),
        None => project_procedure::ActiveModel {
            lead_id: Set(lead_id),
            code: Set(if code.is_empty() { new_code(db, lead_id).await? } else { code.to_string() }),
            problem_id: Set(None),
            ..Default::default()
        },
    };
    // Only an item added for the project carries a name (an empty one keeps it).
    if !is_built_in(code) && !name.is_empty() {
        active.name = Set(name);
    } else if existing.is_none() {
        active.name = Set(String::new());
    }
    active.department = Set(form.department.trim().to_string());
    active.agent = Set(form.agent.trim().to_string());
    active.due_on = Set(due);
    active.status = Set(status.code().to_string());
    active.documents = Set(form.documents.trim().to_string());
    // The entry of a late item: kept while it is late (and until settled as finished); due again
    // today or later, it is solved and let go; reopened, the solved one is let go.
    let today = super::pipeline::today();
    if let Some(old) = existing.as_ref().and_then(|r| r.problem_id).filter(|_| status.is_open()) {
        let late = due.is_some_and(|d| d < today);
        if !late {
            let note = tr(Locale::ZhCn, "plan.problem_replanned")
                .replace("{date}", &due.map(|d| d.to_string()).unwrap_or_else(|| "—".into()));
            settle_problem(db, Some(old), &note, actor.id).await?;
        }
        let reopened = existing.as_ref().and_then(|r| ProcedureStatus::parse(&r.status)).is_some_and(|s| !s.is_open());
        if !late || reopened {
            active.problem_id = Set(None);
        }
    }
    active.updated_by = Set(actor.id);
    active.updated_at = Set(now);
    active.save(db).await?;
    if !status.is_open() {
        let note = tr(Locale::ZhCn, "procedure.problem_solved")
            .replace("{status}", tr(Locale::ZhCn, &format!("procedure.status.{}", status.code())));
        settle_problem(db, existing.and_then(|r| r.problem_id), &note, actor.id).await?;
    }
    escalate(db, Some(lead_id), today).await?;
    Ok(())
}

/// The next free `custom_N` code on the project.
async fn new_code(db: &impl ConnectionTrait, lead_id: i64) -> Result<String, ServiceError> {
    let taken = project_procedure::Entity::find().filter(project_procedure::Column::LeadId.eq(lead_id)).all(db).await?;
    let n = (1..).find(|n| !taken.iter().any(|r| r.code == format!("custom_{n}"))).unwrap_or(1);
    Ok(format!("custom_{n}"))
}
