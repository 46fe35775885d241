use crate::error::AppError;
use crate::wire::scoring::*;
use leptos::prelude::*;

#[server(endpoint = "scoring/settings")]
pub async fn score_settings() -> Result<ScoreSettingsPage, AppError> {
    use crate::backend::{context, services::score_settings as settings};
    let (state, user) = context::signed_in()?;
    context::respond(settings::settings_page(&state.db, &user).await)
}

/// Saves a new version (admins only) and rescores every lead with it.
#[server(endpoint = "scoring/save")]
pub async fn save_score_config(form: ScoreConfigForm) -> Result<RescoreReport, AppError> {
    use crate::backend::{context, services::score_settings as settings};
    let (state, user) = context::signed_in()?;
    if !user.role.manages_users() {
        return Err(context::fail(AppError::Forbidden));
    }
    let config = form.parse().map_err(|e| context::fail(AppError::Invalid(e)))?;
    context::leave_ok(
        <SaveScoreConfig as leptos::server_fn::ServerFn>::PATH,
        context::respond(settings::save_config(&state.db, &user, config, form.note.trim()).await),
    )
}
