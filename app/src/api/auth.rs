use crate::error::AppError;
use crate::wire::auth::*;
use leptos::prelude::*;

/// Who is signed in (None on the login page).
#[server(endpoint = "me")]
pub async fn me() -> Result<Option<SessionUser>, AppError> {
    Ok(crate::backend::context::current_user().ok())
}
