//! 应开未开 and the plans' 督办 across projects: projects past their planned start (开工) without
//! starting, with what holds them, and other overdue milestones — for `/projects`, the weekly
//! dispatch (周调度) and the monthly bulletin.

use super::access::visible_to;
use super::pipeline::today;
use super::plan_rows::kinds;
use super::ServiceError;
use crate::backend::entities::{lead, milestone_kind, problem, project_milestone, project_procedure};
use crate::domain::catalog::Stage;
use crate::domain::procedure::ProcedureStatus;
use crate::domain::project_plan::START;
use crate::wire::auth::SessionUser;
use crate::wire::projects::{LateStart, OverdueMilestone, ProjectsOverview};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait};
use std::collections::{HashMap, HashSet};

/// Milestones not reached and planned before `today` on leads `actor` may see, with their leads.
async fn overdue_rows(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    today: NaiveDate,
) -> Result<(Vec<project_milestone::Model>, HashMap<i64, lead::Model>), ServiceError> {
    let visible = visible_to(lead::Entity::find(), actor).select_only().column(lead::Column::Id).into_query();
    let rows = project_milestone::Entity::find()
        .filter(project_milestone::Column::DoneOn.is_null())
        .filter(project_milestone::Column::PlannedOn.lt(today))
        .filter(project_milestone::Column::LeadId.in_subquery(visible))
        .all(db)
        .await?;
    let leads = lead::Entity::find()
        .filter(lead::Column::Id.is_in(rows.iter().map(|r| r.lead_id).collect::<HashSet<_>>()))
        .filter(lead::Column::Stage.ne(Stage::Dropped.code()))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    Ok((rows, leads))
}

/// 应开未开 on `today` among the leads `actor` may see: planned 开工 before today, not reached, the
/// lead not at 开工 or 投产 and not 终止; most days late first. Each lists the earlier milestones
/// not reached, the 前期手续 items still open, and the unsolved problems other than those opened
/// for them.
/// Errors: `Db`.
pub async fn late_starts(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    today: NaiveDate,
) -> Result<Vec<LateStart>, ServiceError> {
    Ok(overview_on(db, actor, today).await?.late_starts)
}

/// `/projects`: 应开未开, and every other overdue milestone (督办), most days late first.
/// Errors: `Db`.
pub async fn overview(db: &impl ConnectionTrait, actor: &SessionUser) -> Result<ProjectsOverview, ServiceError> {
    overview_on(db, actor, today()).await
}

async fn overview_on(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    today: NaiveDate,
) -> Result<ProjectsOverview, ServiceError> {
    let order = kinds(db, true).await?;
    let by_id: HashMap<i64, &milestone_kind::Model> = order.iter().map(|k| (k.id, k)).collect();
    let Some(start) = order.iter().find(|k| k.code == START && !k.archived) else {
        return Ok(ProjectsOverview { late_starts: Vec::new(), overdue: Vec::new() });
    };
    let (rows, leads) = overdue_rows(db, actor, today).await?;
    let started = [Stage::Construction.code(), Stage::Production.code()];
    let late_ids: HashSet<i64> = rows
        .iter()
        .filter(|r| r.kind_id == start.id)
        .filter(|r| leads.get(&r.lead_id).is_some_and(|l| !started.contains(&l.stage.as_str())))
        .map(|r| r.lead_id)
        .collect();
    let problems = problem::Entity::find()
        .filter(problem::Column::LeadId.is_in(late_ids.iter().copied()))
        .filter(problem::Column::Status.ne("solved"))
        .all(db)
        .await?;
    let open_items = project_procedure::Entity::find()
        .filter(project_procedure::Column::LeadId.is_in(late_ids.iter().copied()))
        .filter(project_procedure::Column::Status.is_in(ProcedureStatus::open_codes()))
        .order_by_asc(project_procedure::Column::Id)
        .all(db)
        .await?;
    let linked: HashSet<i64> =
        rows.iter().filter_map(|r| r.problem_id).chain(open_items.iter().filter_map(|i| i.problem_id)).collect();
    let mut late_starts: Vec<LateStart> = Vec::new();
    let mut overdue: Vec<OverdueMilestone> = Vec::new();
    for r in &rows {
        let (Some(l), Some(kind), Some(planned)) = (leads.get(&r.lead_id), by_id.get(&r.kind_id), r.planned_on) else {
            continue;
        };
        if kind.archived {
            continue;
        }
        let days_late = (today - planned).num_days();
        if kind.id == start.id {
            if !late_ids.contains(&l.id) {
                continue;
            }
            let holding_milestones = rows
                .iter()
                .filter(|o| o.lead_id == l.id && o.kind_id != start.id)
                .filter_map(|o| by_id.get(&o.kind_id))
                .filter(|k| (k.position, k.id) < (start.position, start.id))
                .map(|k| (k.code.clone(), k.name.clone()))
                .collect();
            late_starts.push(LateStart {
                lead_id: l.id,
                company_name: l.company_name.clone(),
                stage: l.stage.clone(),
                team_id: l.team_id,
                planned_start: planned.to_string(),
                days_late,
                holding_milestones,
                holding_procedures: open_items
                    .iter()
                    .filter(|i| i.lead_id == l.id)
                    .map(|i| (i.code.clone(), i.name.clone()))
                    .collect(),
                holding_problems: problems
                    .iter()
                    .filter(|p| p.lead_id == l.id && !linked.contains(&p.id))
                    .map(|p| p.description.clone())
                    .collect(),
            });
        } else {
            overdue.push(OverdueMilestone {
                lead_id: l.id,
                company_name: l.company_name.clone(),
                code: kind.code.clone(),
                name: kind.name.clone(),
                planned_on: planned.to_string(),
                days_late,
                owner: r.owner.clone(),
            });
        }
    }
    late_starts.sort_by_key(|s| (std::cmp::Reverse(s.days_late), s.lead_id));
    overdue.sort_by_key(|o| (std::cmp::Reverse(o.days_late), o.lead_id));
    Ok(ProjectsOverview { late_starts, overdue })
}
