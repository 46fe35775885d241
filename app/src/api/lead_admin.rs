use crate::error::AppError;
use crate::wire::lead_admin::*;
use leptos::prelude::*;

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
    context::respond(lead_admin::major(&state.db, &user, id).await)
}

#[server(endpoint = "leads/set-major")]
pub async fn set_major_project(id: i64, form: MajorForm) -> Result<(), AppError> {
    use crate::backend::{context, services::lead_admin};
    let (state, user) = context::signed_in()?;
    context::respond(lead_admin::set_major(&state.db, &user, id, form).await)
}

/// Field history (审计), managers and above.
#[server(endpoint = "leads/history")]
pub async fn lead_history(id: i64) -> Result<Vec<crate::wire::leads::FieldChange>, AppError> {
    use crate::backend::{context, services::lead_admin};
    let (state, user) = context::signed_in()?;
    context::respond(lead_admin::history(&state.db, &user, id).await)
}
