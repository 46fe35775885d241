//! Personal API tokens: a user (or an admin for them) creates and revokes them.
use crate::error::AppError;
use crate::wire::tokens::*;
use leptos::prelude::*;

#[server(endpoint = "tokens/list")]
pub async fn my_tokens() -> Result<Vec<TokenRow>, AppError> {
    use crate::backend::{context, services::api_tokens};
    let (state, user) = context::signed_in()?;
    context::respond(api_tokens::list(&state.db, user.id).await)
}

/// The new token, shown once. `days`: how long it works (empty: until revoked).
#[server(endpoint = "tokens/create")]
pub async fn create_token(
    #[server(default)] name: String,
    #[server(default)] days: String,
) -> Result<String, AppError> {
    use crate::backend::{context, services::api_tokens};
    use crate::domain::lead::FieldError;
    let (state, user) = context::signed_in()?;
    let days = match days.trim() {
        "" => None,
        d => Some(
            d.parse::<i64>()
                .map_err(|_| context::fail(AppError::Invalid(vec![FieldError::new("days", "err.number")])))?,
        ),
    };
    context::leave_ok(
        <CreateToken as leptos::server_fn::ServerFn>::PATH,
        context::respond(api_tokens::create(&state.db, &user, user.id, &name, days).await),
    )
}

#[server(endpoint = "tokens/revoke")]
pub async fn revoke_token(id: i64) -> Result<(), AppError> {
    use crate::backend::{context, services::api_tokens};
    let (state, user) = context::signed_in()?;
    context::respond(api_tokens::revoke(&state.db, &user, id).await)
}
