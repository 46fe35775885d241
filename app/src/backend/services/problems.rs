//! 问题清单: problems blocking leads, their updates, and the office-wide list with overdue
//! items (督办) first.

use super::access::can_edit_lead;
use super::access::{find_readable, visible_to};
use super::pipeline::today;
use super::users::names;
use super::ServiceError;
use crate::backend::entities::{lead, problem, problem_update};
use crate::backend::local_time;
use crate::domain::lead::FieldError;
use crate::wire::auth::SessionUser;
use crate::wire::problems::*;
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait, Set,
};
use std::collections::HashMap;

/// Records a problem (问题) blocking lead `lead_id`, open, and returns its id. Anyone who may
/// change the lead.
/// Errors: `NotFound`/`Hidden` (lead missing, in the recycle bin or not readable), `Forbidden`
/// (readable but not theirs to change), `Invalid` at `category` (unknown), `description`
/// (empty), `department`/`responsible` (over 100 characters), `deadline` (not `YYYY-MM-DD`);
/// `Db`.
pub async fn create(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    lead_id: i64,
    form: ProblemForm,
) -> Result<i64, ServiceError> {
    let l = find_readable(db, actor, lead_id).await?;
    if !can_edit_lead(actor, &l) {
        return Err(ServiceError::Forbidden);
    }
    let mut errors = Vec::new();
    if !CATEGORIES.contains(&form.category.as_str()) {
        errors.push(FieldError::new("category", "err.choose"));
    }
    if form.description.trim().is_empty() {
        errors.push(FieldError::new("description", "err.required"));
    }
    for (field, value) in [("department", &form.department), ("responsible", &form.responsible)] {
        if value.chars().count() > 100 {
            errors.push(FieldError::new(field, "err.too_long").with("max", 100));
        }
    }
    let deadline = if form.deadline.trim().is_empty() {
        None
    } else {
        NaiveDate::parse_from_str(form.deadline.trim(), "%Y-%m-%d")
            .map_err(|_| errors.push(FieldError::new("deadline", "err.date")))
            .ok()
    };
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let now = Utc::now();
    let p = problem::ActiveModel {
        lead_id: Set(lead_id),
        category: Set(form.category),
        description: Set(form.description.trim().to_string()),
        department: Set(form.department.trim().to_string()),
        responsible: Set(form.responsible.trim().to_string()),
        deadline: Set(deadline),
        status: Set("open".into()),
        created_by: Set(actor.id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(p.id)
}

/// Sets problem `problem_id`'s status with a note (kept in its update history). Anyone who may
/// change its lead.
/// Errors: `NotFound` (no such problem, or its lead missing or deleted), `Hidden` (lead not
/// readable), `Forbidden`, `Invalid` at `status` (unknown) or `note` (over 2000 characters), `Db`.
pub async fn update(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    problem_id: i64,
    status: &str,
    note: &str,
) -> Result<(), ServiceError> {
    let p = problem::Entity::find_by_id(problem_id).one(db).await?.ok_or(ServiceError::NotFound)?;
    let l = find_readable(db, actor, p.lead_id).await?;
    if !can_edit_lead(actor, &l) {
        return Err(ServiceError::Forbidden);
    }
    if !STATUSES.contains(&status) {
        return Err(ServiceError::Invalid(vec![FieldError::new("status", "err.choose")]));
    }
    if note.chars().count() > 2000 {
        return Err(ServiceError::Invalid(vec![FieldError::new("note", "err.too_long").with("max", 2000)]));
    }
    let now = Utc::now();
    problem_update::ActiveModel {
        problem_id: Set(problem_id),
        note: Set(note.trim().to_string()),
        status: Set(status.to_string()),
        created_by: Set(actor.id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let mut active: problem::ActiveModel = p.into();
    active.status = Set(status.to_string());
    active.updated_at = Set(now);
    active.update(db).await?;
    Ok(())
}

/// Problems on leads the actor may see (of one lead, or all) matching `filter` (its page
/// aside), in the list's order ([`ordered`]), each with its updates (times Asia/Shanghai) and
/// whether the actor may edit it: a lead's problems and the export.
/// Errors: `Db` only.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    filter: &ProblemFilter,
    lead_id: Option<i64>,
) -> Result<Vec<ProblemView>, ServiceError> {
    let today = today();
    let rows = ordered(matching(actor, filter, lead_id, today), today).all(db).await?;
    views(db, actor, rows, today).await
}

/// Page `filter.page` (from 1; past the last: the last) of the problems on leads the actor may
/// see matching `filter`, [`PROBLEMS_PER_PAGE`] a page in the list's order, with how many match
/// in all: `/problems`.
/// Errors: `Db` only.
pub async fn page(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    filter: &ProblemFilter,
) -> Result<ProblemPage, ServiceError> {
    let today = today();
    let total = matching(actor, filter, None, today).count(db).await?;
    let pages = total.div_ceil(PROBLEMS_PER_PAGE).max(1);
    let page = filter.page.unwrap_or(1).clamp(1, pages);
    let rows = ordered(matching(actor, filter, None, today), today)
        .offset((page - 1) * PROBLEMS_PER_PAGE)
        .limit(PROBLEMS_PER_PAGE)
        .all(db)
        .await?;
    Ok(ProblemPage { rows: views(db, actor, rows, today).await?, total, page, pages })
}

/// The problems on leads `actor` may see (of lead `lead_id`, or all) that `filter` lets through.
fn matching(
    actor: &SessionUser,
    filter: &ProblemFilter,
    lead_id: Option<i64>,
    today: NaiveDate,
) -> sea_orm::Select<problem::Entity> {
    let visible = visible_to(lead::Entity::find(), actor).select_only().column(lead::Column::Id).into_query();
    let mut q = problem::Entity::find().filter(problem::Column::LeadId.in_subquery(visible));
    if let Some(id) = lead_id {
        q = q.filter(problem::Column::LeadId.eq(id));
    }
    if let Some(s) = &filter.status {
        q = q.filter(problem::Column::Status.eq(s.as_str()));
    }
    if let Some(c) = &filter.category {
        q = q.filter(problem::Column::Category.eq(c.as_str()));
    }
    if filter.overdue == Some(true) {
        q = q.filter(overdue(today));
    }
    q
}

/// 督办: not solved and past its deadline (`today`, Asia/Shanghai).
fn overdue(today: NaiveDate) -> sea_orm::Condition {
    sea_orm::Condition::all().add(problem::Column::Status.ne("solved")).add(problem::Column::Deadline.lt(today))
}

/// The list's order: overdue (督办) first, then the ones still to solve before the solved, each
/// by deadline (none last), the newest first within a day. In SQL, so a page is the right slice
/// of it.
fn ordered(q: sea_orm::Select<problem::Entity>, today: NaiveDate) -> sea_orm::Select<problem::Entity> {
    use sea_orm::sea_query::{CaseStatement, SimpleExpr};
    let overdue_first = CaseStatement::new().case(overdue(today), 0).finally(1);
    let solved_last = CaseStatement::new().case(problem::Column::Status.eq("solved"), 1).finally(0);
    q.order_by(SimpleExpr::Case(Box::new(overdue_first)), sea_orm::Order::Asc)
        .order_by(SimpleExpr::Case(Box::new(solved_last)), sea_orm::Order::Asc)
        .order_by(sea_orm::sea_query::Expr::col(problem::Column::Deadline).is_null(), sea_orm::Order::Asc)
        .order_by_asc(problem::Column::Deadline)
        .order_by_desc(problem::Column::Id)
}

/// `rows` as the list shows them (in their order): their leads' names, their updates and who
/// made them, whether `actor` may edit each.
async fn views(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    rows: Vec<problem::Model>,
    today: NaiveDate,
) -> Result<Vec<ProblemView>, ServiceError> {
    let leads: HashMap<i64, lead::Model> = lead::Entity::find()
        .filter(lead::Column::Id.is_in(rows.iter().map(|p| p.lead_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    let mut updates: HashMap<i64, Vec<problem_update::Model>> = HashMap::new();
    for u in problem_update::Entity::find()
        .filter(problem_update::Column::ProblemId.is_in(rows.iter().map(|p| p.id)))
        .order_by_asc(problem_update::Column::Id)
        .all(db)
        .await?
    {
        updates.entry(u.problem_id).or_default().push(u);
    }
    let who = names(db, updates.values().flatten().map(|u| u.created_by)).await?;
    Ok(rows
        .into_iter()
        .map(|p| {
            let l = leads.get(&p.lead_id);
            ProblemView {
                overdue: p.status != "solved" && p.deadline.is_some_and(|d| d < today),
                company_name: l.map(|l| l.company_name.clone()).unwrap_or_default(),
                can_edit: l.is_some_and(|l| can_edit_lead(actor, l)),
                updates: updates
                    .remove(&p.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|u| ProblemUpdateView {
                        note: u.note,
                        status: u.status,
                        who: who.get(&u.created_by).cloned().unwrap_or_default(),
                        at: local_time(u.created_at),
                    })
                    .collect(),
                id: p.id,
                lead_id: p.lead_id,
                category: p.category,
                description: p.description,
                department: p.department,
                responsible: p.responsible,
                deadline: p.deadline.map(|d| d.to_string()),
                status: p.status,
            }
        })
        .collect())
}
