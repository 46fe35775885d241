//! 招商专班: teams, their members, focus and annual targets.
use crate::error::AppError;
use crate::wire::teams::*;
use leptos::prelude::*;

#[server(endpoint = "teams/list")]
pub async fn list_teams() -> Result<Vec<TeamView>, AppError> {
    use crate::backend::{context, services::teams};
    let (state, user) = context::signed_in()?;
    context::respond(teams::list(&state.db, &user).await)
}

/// The teams the reader may filter leads by, as `(id, name)` by name: the lead filters' 专班
/// select (a staff member's own teams).
#[server(endpoint = "teams/names")]
pub async fn team_names() -> Result<Vec<(i64, String)>, AppError> {
    use crate::backend::{context, services::teams};
    let (state, user) = context::signed_in()?;
    context::respond(teams::names(&state.db, &user).await)
}

#[server(endpoint = "teams/get")]
pub async fn get_team(id: i64) -> Result<TeamView, AppError> {
    use crate::backend::{context, services::teams};
    let (state, user) = context::signed_in()?;
    context::respond(teams::get(&state.db, &user, id).await)
}

#[server(endpoint = "teams/choices")]
pub async fn get_team_choices() -> Result<TeamChoices, AppError> {
    use crate::backend::{context, services::teams};
    let (state, _user) = context::signed_in()?;
    context::respond(teams::choices(&state.db).await)
}

#[server(endpoint = "teams/save")]
pub async fn save_team(#[server(default)] id: Option<i64>, form: TeamForm) -> Result<i64, AppError> {
    use crate::backend::{context, services::teams};
    let (state, user) = context::signed_in()?;
    let saved = context::respond(teams::save(&state.db, &user, id, form).await)?;
    if id.is_none() {
        leptos_axum::redirect(&format!("/teams/{saved}"));
    }
    Ok(saved)
}

#[server(endpoint = "teams/target")]
pub async fn save_target(team_id: i64, form: TargetForm) -> Result<(), AppError> {
    use crate::backend::{context, services::teams};
    let (state, user) = context::signed_in()?;
    context::respond(teams::save_target(&state.db, &user, team_id, form).await)
}
