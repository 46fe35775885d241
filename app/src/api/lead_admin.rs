use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A deleted lead in the recycle bin (回收站).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrashRow {
    pub id: i64,
    pub company_name: String,
    pub deleted_by: String,
    pub deleted_at: String,
}

/// 重大项目: whether the lead is one (by amount or flag), its 包保领导 and lead department.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MajorProject {
    pub is_major: bool,
    pub by_amount: bool,
    pub flagged: bool,
    pub threshold_wan: f64,
    pub leader_in_charge: Option<String>,
    pub leader_in_charge_id: Option<i64>,
    pub lead_department: String,
    pub can_edit: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MajorForm {
    #[serde(default)]
    pub flagged: String,
    #[serde(default)]
    pub leader_in_charge_id: String,
    #[serde(default)]
    pub lead_department: String,
}

/// Moves a lead to the recycle bin (whoever may edit it).
#[server(endpoint = "leads/delete")]
pub async fn delete_lead(id: i64) -> Result<(), AppError> {
    use crate::backend::{context, services::lead_admin};
    let (state, user) = context::signed_in()?;
    context::respond(lead_admin::delete(&state.db, &user, id).await)?;
    leptos_axum::redirect("/leads");
    Ok(())
}

/// Restores a deleted lead (managers and admins).
#[server(endpoint = "leads/restore")]
pub async fn restore_lead(id: i64) -> Result<(), AppError> {
    use crate::backend::{context, services::lead_admin};
    let (state, user) = context::signed_in()?;
    context::respond(lead_admin::restore(&state.db, &user, id).await)
}

#[server(endpoint = "leads/trash")]
pub async fn trash() -> Result<Vec<TrashRow>, AppError> {
    use crate::backend::{context, services::lead_admin};
    let (state, user) = context::signed_in()?;
    context::respond(lead_admin::trash(&state.db, &user).await)
}

#[server(endpoint = "leads/major")]
pub async fn get_major_project(id: i64) -> Result<MajorProject, AppError> {
    use crate::backend::{context, services::lead_admin};
    let (state, user) = context::signed_in()?;
    context::respond(lead_admin::major(&state.db, &user, id, state.settings.major_project_wan).await)
}

#[server(endpoint = "leads/set-major")]
pub async fn set_major_project(id: i64, form: MajorForm) -> Result<(), AppError> {
    use crate::backend::{context, services::lead_admin};
    let (state, user) = context::signed_in()?;
    context::respond(lead_admin::set_major(&state.db, &user, id, form).await)
}

/// Field history (审计), managers and above.
#[server(endpoint = "leads/history")]
pub async fn lead_history(id: i64) -> Result<Vec<crate::api::leads::FieldChange>, AppError> {
    use crate::backend::{context, services::lead_admin};
    let (state, user) = context::signed_in()?;
    context::respond(lead_admin::history(&state.db, &user, id).await)
}
