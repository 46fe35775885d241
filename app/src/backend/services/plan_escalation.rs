//! 督办 of the plan: a milestone past its planned date and not reached, or a 前期手续 item past its
//! due date and still open, opens a 问题清单 entry, once — later sweeps update that entry (a new
//! date moves its deadline) and never open a second; reaching or finishing it solves it.

use super::plan_rows::{kind_name, settle_problem};
use super::ServiceError;
use crate::backend::db::begin_write;
use crate::backend::entities::{lead, milestone_kind, problem, project_milestone, project_procedure};
use crate::domain::catalog::Stage;
use crate::domain::procedure::{category, ProcedureStatus};
use crate::i18n::{tr, Locale};
use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait};
use std::collections::{HashMap, HashSet};

/// The entry's text, in the office's language (zh-CN): which milestone, planned for when.
fn describe(kind: &milestone_kind::Model, planned: NaiveDate) -> String {
    tr(Locale::ZhCn, "plan.problem")
        .replace("{milestone}", &kind_name(Locale::ZhCn, &kind.code, &kind.name))
        .replace("{planned}", &planned.to_string())
}

/// What ran late: a milestone or a 前期手续 item (their row ids).
#[derive(Clone, Copy)]
enum Late {
    Milestone(i64),
    Procedure(i64),
}

/// The entry an overdue milestone or item opens or updates.
struct Entry {
    late: Late,
    lead_id: i64,
    problem_id: Option<i64>,
    category: String,
    description: String,
    department: String,
    responsible: String,
    deadline: NaiveDate,
    created_by: i64,
}

/// Opens the entry (returns true) or updates the one already linked.
async fn open_or_update<C: ConnectionTrait + TransactionTrait>(db: &C, e: Entry) -> Result<bool, ServiceError> {
    if let Some(pid) = e.problem_id {
        // Update the one entry: a moved date moves its deadline, a new person in charge becomes
        // its responsible. An entry someone solved stays solved.
        problem::Entity::update_many()
            .col_expr(problem::Column::Deadline, Expr::value(e.deadline))
            .col_expr(problem::Column::Description, Expr::value(e.description))
            .col_expr(problem::Column::Department, Expr::value(e.department.clone()))
            .col_expr(problem::Column::Responsible, Expr::value(e.responsible.clone()))
            .col_expr(problem::Column::UpdatedAt, Expr::value(Utc::now()))
            .filter(problem::Column::Id.eq(pid))
            .filter(problem::Column::Status.ne("solved"))
            .filter(
                problem::Column::Deadline
                    .ne(e.deadline)
                    .or(problem::Column::Department.ne(e.department))
                    .or(problem::Column::Responsible.ne(e.responsible)),
            )
            .exec(db)
            .await?;
        return Ok(false);
    }
    let txn = begin_write(db).await?;
    let now = Utc::now();
    let p = problem::ActiveModel {
        lead_id: Set(e.lead_id),
        category: Set(e.category),
        description: Set(e.description),
        department: Set(e.department),
        responsible: Set(e.responsible),
        deadline: Set(Some(e.deadline)),
        status: Set("open".into()),
        created_by: Set(e.created_by),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let linked = match e.late {
        Late::Milestone(id) => {
            project_milestone::Entity::update_many()
                .col_expr(project_milestone::Column::ProblemId, Expr::value(p.id))
                .filter(project_milestone::Column::Id.eq(id))
                .filter(project_milestone::Column::ProblemId.is_null())
                // Re-read under the lock: reached meanwhile, it needs no entry.
                .filter(project_milestone::Column::DoneOn.is_null())
                .exec(&txn)
                .await?
        }
        Late::Procedure(id) => {
            project_procedure::Entity::update_many()
                .col_expr(project_procedure::Column::ProblemId, Expr::value(p.id))
                .filter(project_procedure::Column::Id.eq(id))
                .filter(project_procedure::Column::ProblemId.is_null())
                // Re-read under the lock: finished meanwhile, it needs no entry.
                .filter(project_procedure::Column::Status.is_in(ProcedureStatus::open_codes()))
                .exec(&txn)
                .await?
        }
    };
    if linked.rows_affected == 1 {
        txn.commit().await?;
        Ok(true)
    } else {
        // Another sweep linked one first, or it was reached or finished meanwhile: rolled back.
        txn.rollback().await?;
        Ok(false)
    }
}

/// Opens (or updates) the 问题清单 entry of every milestone and 前期手续 item overdue on `today` —
/// a milestone planned before it and not reached (template entry not archived), an item due
/// before it and still open — on a live lead (not deleted, 搁置 or 终止), of lead `lead` or of all
/// leads. The entry takes the category, department, person and date as its deadline. An entry
/// someone solved stays solved. Safe to run from several places at once: a milestone or item
/// links one entry, set under the write lock. Returns how many entries were opened.
/// Errors: `Db`.
pub async fn escalate<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    lead: Option<i64>,
    today: NaiveDate,
) -> Result<usize, ServiceError> {
    let mut q = project_milestone::Entity::find()
        .filter(project_milestone::Column::DoneOn.is_null())
        .filter(project_milestone::Column::PlannedOn.lt(today));
    let mut items = project_procedure::Entity::find()
        .filter(project_procedure::Column::Status.is_in(ProcedureStatus::open_codes()))
        .filter(project_procedure::Column::DueOn.lt(today));
    if let Some(id) = lead {
        q = q.filter(project_milestone::Column::LeadId.eq(id));
        items = items.filter(project_procedure::Column::LeadId.eq(id));
    }
    let overdue = q.all(db).await?;
    let items = items.all(db).await?;
    if overdue.is_empty() && items.is_empty() {
        return Ok(0);
    }
    let kinds: HashMap<i64, milestone_kind::Model> =
        milestone_kind::Entity::find().all(db).await?.into_iter().map(|k| (k.id, k)).collect();
    let paused = [Stage::OnHold.code(), Stage::Dropped.code()];
    let live: HashSet<i64> = lead::Entity::find()
        .filter(lead::Column::Id.is_in(overdue.iter().map(|m| m.lead_id).chain(items.iter().map(|i| i.lead_id))))
        .filter(lead::Column::DeletedAt.is_null())
        .filter(lead::Column::Stage.is_not_in(paused))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.id)
        .collect();
    let mut entries = Vec::new();
    for m in overdue {
        let (Some(kind), Some(planned)) = (kinds.get(&m.kind_id), m.planned_on) else { continue };
        if kind.archived || !live.contains(&m.lead_id) {
            continue;
        }
        entries.push(Entry {
            late: Late::Milestone(m.id),
            lead_id: m.lead_id,
            problem_id: m.problem_id,
            category: kind.category.clone(),
            description: describe(kind, planned),
            department: m.department,
            responsible: m.owner,
            deadline: planned,
            created_by: m.updated_by,
        });
    }
    for i in items {
        let Some(due) = i.due_on.filter(|_| live.contains(&i.lead_id)) else { continue };
        let name = if i.name.is_empty() {
            tr(Locale::ZhCn, &format!("procedure.{}", i.code)).to_string()
        } else {
            i.name.clone()
        };
        entries.push(Entry {
            late: Late::Procedure(i.id),
            lead_id: i.lead_id,
            problem_id: i.problem_id,
            category: category(&i.code).to_string(),
            description: tr(Locale::ZhCn, "procedure.problem")
                .replace("{item}", &name)
                .replace("{due}", &due.to_string()),
            department: i.department,
            responsible: i.agent,
            deadline: due,
            created_by: i.updated_by,
        });
    }
    let mut opened = 0;
    for e in entries {
        if open_or_update(db, e).await? {
            opened += 1;
        }
    }
    Ok(opened)
}

/// Solves the 问题清单 entry opened for milestone `row` (now reached), with a note in its history;
/// nothing when it has none or it is solved already.
/// Errors: `Db`.
pub async fn settle(
    db: &impl ConnectionTrait,
    row: &project_milestone::Model,
    actor_id: i64,
) -> Result<(), ServiceError> {
    let note = tr(Locale::ZhCn, "plan.problem_solved")
        .replace("{done}", &row.done_on.map(|d| d.to_string()).unwrap_or_default());
    settle_problem(db, row.problem_id, &note, actor_id).await
}
