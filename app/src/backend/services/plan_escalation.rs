//! 督办 of the plan: a milestone past its planned date and not reached opens a 问题清单 entry,
//! once — later sweeps update that entry (a new planned date moves its deadline) and never open
//! a second; reaching the milestone solves it.

use super::plan_rows::kind_name;
use super::ServiceError;
use crate::backend::db::begin_write;
use crate::backend::entities::{lead, milestone_kind, problem, problem_update, project_milestone};
use crate::domain::catalog::Stage;
use crate::i18n::{tr, Locale};
use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait};
use std::collections::HashMap;

/// The entry's text, in the office's language (zh-CN): which milestone, planned for when.
fn describe(kind: &milestone_kind::Model, planned: NaiveDate) -> String {
    tr(Locale::ZhCn, "plan.problem")
        .replace("{milestone}", &kind_name(Locale::ZhCn, &kind.code, &kind.name))
        .replace("{planned}", &planned.to_string())
}

/// Opens (or updates) the 问题清单 entry of every milestone overdue on `today` — planned before
/// it, not reached, on a live lead (not deleted, 搁置 or 终止), template entry not archived — of
/// lead `lead` or of all leads. The entry takes the milestone's category, department, person and
/// planned date as its deadline. An entry someone solved stays solved. Safe to run from several
/// places at once: a milestone links one entry, set under the write lock. Returns how many
/// entries were opened.
/// Errors: `Db`.
pub async fn escalate<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    lead: Option<i64>,
    today: NaiveDate,
) -> Result<usize, ServiceError> {
    let mut q = project_milestone::Entity::find()
        .filter(project_milestone::Column::DoneOn.is_null())
        .filter(project_milestone::Column::PlannedOn.lt(today));
    if let Some(id) = lead {
        q = q.filter(project_milestone::Column::LeadId.eq(id));
    }
    let overdue = q.all(db).await?;
    if overdue.is_empty() {
        return Ok(0);
    }
    let kinds: HashMap<i64, milestone_kind::Model> =
        milestone_kind::Entity::find().all(db).await?.into_iter().map(|k| (k.id, k)).collect();
    let paused = [Stage::OnHold.code(), Stage::Dropped.code()];
    let live: HashMap<i64, lead::Model> = lead::Entity::find()
        .filter(lead::Column::Id.is_in(overdue.iter().map(|m| m.lead_id)))
        .filter(lead::Column::DeletedAt.is_null())
        .filter(lead::Column::Stage.is_not_in(paused))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    let mut opened = 0;
    for m in overdue {
        let (Some(kind), Some(planned)) = (kinds.get(&m.kind_id), m.planned_on) else { continue };
        if kind.archived || !live.contains_key(&m.lead_id) {
            continue;
        }
        let description = describe(kind, planned);
        match m.problem_id {
            Some(pid) => {
                // Update the one entry: a moved planned date moves its deadline, a new person in
                // charge becomes its responsible.
                problem::Entity::update_many()
                    .col_expr(problem::Column::Deadline, Expr::value(planned))
                    .col_expr(problem::Column::Description, Expr::value(description))
                    .col_expr(problem::Column::Department, Expr::value(m.department.clone()))
                    .col_expr(problem::Column::Responsible, Expr::value(m.owner.clone()))
                    .col_expr(problem::Column::UpdatedAt, Expr::value(Utc::now()))
                    .filter(problem::Column::Id.eq(pid))
                    .filter(problem::Column::Status.ne("solved"))
                    .filter(
                        problem::Column::Deadline
                            .ne(planned)
                            .or(problem::Column::Department.ne(m.department.clone()))
                            .or(problem::Column::Responsible.ne(m.owner.clone())),
                    )
                    .exec(db)
                    .await?;
            }
            None => {
                let txn = begin_write(db).await?;
                let now = Utc::now();
                let p = problem::ActiveModel {
                    lead_id: Set(m.lead_id),
                    category: Set(kind.category.clone()),
                    description: Set(description),
                    department: Set(m.department.clone()),
                    responsible: Set(m.owner.clone()),
                    deadline: Set(Some(planned)),
                    status: Set("open".into()),
                    created_by: Set(m.updated_by),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
                let linked = project_milestone::Entity::update_many()
                    .col_expr(project_milestone::Column::ProblemId, Expr::value(p.id))
                    .filter(project_milestone::Column::Id.eq(m.id))
                    .filter(project_milestone::Column::ProblemId.is_null())
                    .exec(&txn)
                    .await?;
                if linked.rows_affected == 1 {
                    txn.commit().await?;
                    opened += 1;
                } else {
                    // Another sweep linked one first: this entry is rolled back.
                    txn.rollback().await?;
                }
            }
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
    let Some(pid) = row.problem_id else { return Ok(()) };
    let Some(p) = problem::Entity::find_by_id(pid).one(db).await?.filter(|p| p.status != "solved") else {
        return Ok(());
    };
    let now = Utc::now();
    problem_update::ActiveModel {
        problem_id: Set(pid),
        note: Set(tr(Locale::ZhCn, "plan.problem_solved")
            .replace("{done}", &row.done_on.map(|d| d.to_string()).unwrap_or_default())),
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
