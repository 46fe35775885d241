use crate::error::AppError;
use crate::wire::users::*;
use leptos::prelude::*;

/// Recent refused accesses, newest first, and how many the rate limit kept out (admins).
#[server(endpoint = "admin/denials")]
pub async fn recent_denials() -> Result<(Vec<Denial>, u64), AppError> {
    use crate::backend::context;
    let (state, user) = context::signed_in()?;
    if !user.role.manages_users() {
        return Err(context::fail(AppError::Forbidden));
    }
    Ok(state.denials.recent())
}

#[server(endpoint = "users/list")]
pub async fn list_users() -> Result<Vec<UserRow>, AppError> {
    use crate::backend::{context, services::users};
    let (state, user) = context::signed_in()?;
    context::respond(users::list(&state.db, &user).await)
}

#[server(endpoint = "users/create")]
pub async fn create_user(form: NewUserForm) -> Result<i64, AppError> {
    use crate::backend::{context, services::users};
    let (state, user) = context::signed_in()?;
    let input = form.parse().map_err(|e| context::fail(AppError::Invalid(e)))?;
    context::respond(users::create(&state.db, &user, input).await)
}

#[server(endpoint = "users/set-disabled")]
pub async fn set_user_disabled(id: i64, disabled: bool) -> Result<(), AppError> {
    use crate::backend::{context, services::users};
    let (state, user) = context::signed_in()?;
    context::respond(users::set_disabled(&state.db, &user, id, disabled).await)
}

#[server(endpoint = "users/reset-password")]
pub async fn reset_password(id: i64, password: String) -> Result<(), AppError> {
    use crate::backend::{context, services::users};
    let (state, user) = context::signed_in()?;
    check_password("password", &password).map_err(|e| context::fail(AppError::Invalid(vec![e])))?;
    context::leave_ok(
        <ResetPassword as leptos::server_fn::ServerFn>::PATH,
        context::respond(users::reset_password(&state.db, &user, id, &password).await),
    )
}

/// Changes the signed-in user's own password; their other sessions end.
#[server(endpoint = "me/password")]
pub async fn change_password(
    #[server(default)] current: String,
    #[server(default)] new: String,
    #[server(default)] confirm: String,
) -> Result<(), AppError> {
    use crate::backend::{context, services::users};
    let (state, user) = context::signed_in()?;
    if new != confirm {
        return Err(context::fail(AppError::Invalid(vec![crate::domain::lead::FieldError::new(
            "confirm",
            "err.password.mismatch",
        )])));
    }
    let keep = context::session_token();
    let ip = context::client_addr();
    let cx = users::ChangeContext { settings: &state.settings, keep_session: keep.as_deref(), ip: &ip };
    let changed = context::respond(users::change_own_password(&state.db, &user, cx, &current, &new).await);
    if changed.is_ok() {
        // The other sessions end; so does anything left for this user's pages.
        state.flash.forget(user.id);
    }
    context::leave_ok(<ChangePassword as leptos::server_fn::ServerFn>::PATH, changed)
}

/// People who may be a major project's 包保领导 (enabled leaders and managers).
#[server(endpoint = "users/in-charge")]
pub async fn in_charge_choices() -> Result<Vec<OwnerChoice>, AppError> {
    use crate::backend::{context, services::users};
    let (state, _user) = context::signed_in()?;
    context::respond(users::in_charge_choices(&state.db).await)
}

/// People a lead may be assigned to (active admins, managers and staff).
#[server(endpoint = "users/owners")]
pub async fn owner_choices() -> Result<Vec<OwnerChoice>, AppError> {
    use crate::backend::{context, services::users};
    let (state, _user) = context::signed_in()?;
    context::respond(users::owner_choices(&state.db).await)
}
