//! 领导驾驶舱: the office at a glance.
use crate::error::AppError;
use crate::wire::dashboard::*;
use leptos::prelude::*;

#[server(endpoint = "dashboard")]
pub async fn get_dashboard() -> Result<Dashboard, AppError> {
    use crate::backend::{context, services::dashboard};
    let (state, user) = context::signed_in()?;
    context::respond(dashboard::cached(&state.dashboard, &state.db, &user).await)
}
