//! 项目建设 after 签约: a project's milestone plan (倒排时间节点), 应开未开 and the overdue
//! milestones across projects, and the office's milestone template.
use crate::error::AppError;
use crate::wire::projects::*;
use leptos::prelude::*;

/// None before 签约 (no plan yet).
#[server(endpoint = "projects/plan")]
pub async fn get_plan(lead_id: i64) -> Result<Option<PlanView>, AppError> {
    use crate::backend::{context, services::project_plan};
    let (state, user) = context::signed_in()?;
    context::respond(project_plan::plan(&state.db, &user, lead_id).await)
}

/// 倒排: fill the planned dates from one milestone's date.
#[server(endpoint = "projects/count-back")]
pub async fn count_back_plan(lead_id: i64, form: CountBackForm) -> Result<(), AppError> {
    use crate::backend::{context, services::project_plan};
    let (state, user) = context::signed_in()?;
    context::respond(project_plan::count_back(&state.db, &user, lead_id, form).await)
}

#[server(endpoint = "projects/milestone")]
pub async fn save_milestone(lead_id: i64, kind_id: i64, form: MilestoneForm) -> Result<(), AppError> {
    use crate::backend::{context, services::project_plan};
    let (state, user) = context::signed_in()?;
    context::respond(project_plan::save_milestone(&state.db, &user, lead_id, kind_id, form).await)
}

/// Saves 前期手续 item `code` of a project (empty: add one named `form.name`).
#[server(endpoint = "projects/procedure")]
pub async fn save_procedure(
    lead_id: i64,
    #[server(default)] code: String,
    form: ProcedureForm,
) -> Result<(), AppError> {
    use crate::backend::{context, services::project_procedures};
    let (state, user) = context::signed_in()?;
    context::respond(project_procedures::save(&state.db, &user, lead_id, &code, form).await)
}

/// 应开未开 and the other overdue milestones of the projects the user may see.
#[server(endpoint = "projects/overview")]
pub async fn get_projects_overview() -> Result<ProjectsOverview, AppError> {
    use crate::backend::{context, services::plan_overview};
    let (state, user) = context::signed_in()?;
    context::respond(plan_overview::overview(&state.db, &user).await)
}

#[server(endpoint = "projects/kinds")]
pub async fn milestone_kinds() -> Result<MilestoneTemplate, AppError> {
    use crate::backend::{context, services::milestone_template};
    let (state, user) = context::signed_in()?;
    context::respond(milestone_template::list(&state.db, &user).await)
}

/// Saves template entry `id` (empty: a new one). Managers and admins.
#[server(endpoint = "projects/kind")]
pub async fn save_milestone_kind(#[server(default)] id: String, form: MilestoneKindForm) -> Result<i64, AppError> {
    use crate::backend::{context, services::milestone_template};
    let (state, user) = context::signed_in()?;
    let id = id.trim().parse::<i64>().ok();
    context::respond(milestone_template::save(&state.db, &user, id, form).await)
}
