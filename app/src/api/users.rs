use crate::domain::lead::FieldError;
use crate::domain::role::Role;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A row on the user admin page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
    pub email: String,
    pub created_at: String,
}

/// A refused access, on the admins' page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Denial {
    /// Asia/Shanghai `YYYY-MM-DD HH:MM`.
    pub at: String,
    pub user_id: Option<i64>,
    pub user: String,
    /// `METHOD /path`.
    pub route: String,
    /// `lead:12`, or empty when the route says it all.
    pub record: String,
    /// How many of this user's refusals the rate limit held back just before this one.
    #[serde(default)]
    pub held_back: u64,
}

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

/// Someone a lead can be assigned to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OwnerChoice {
    pub id: i64,
    pub display_name: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NewUserForm {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub email: String,
}

/// A checked new user.
#[derive(Clone, Debug, PartialEq)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub password: String,
    /// May be empty (no mail is sent then).
    pub email: String,
}

pub const MIN_PASSWORD: usize = 8;

/// An e-mail address, trimmed; empty is allowed (the user gets no mail).
pub fn check_email(field: &str, email: &str) -> Result<String, FieldError> {
    let email = email.trim();
    if email.is_empty() {
        return Ok(String::new());
    }
    let ok = email.len() <= 200
        && !email.contains(char::is_whitespace)
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
        });
    if ok {
        Ok(email.to_string())
    } else {
        Err(FieldError::new(field, "err.email"))
    }
}

pub fn check_password(field: &str, password: &str) -> Result<(), FieldError> {
    if password.chars().count() < MIN_PASSWORD {
        Err(FieldError::new(field, "err.password.short").with("min", MIN_PASSWORD))
    } else if password.len() > 256 {
        Err(FieldError::new(field, "err.too_long").with("max", 256))
    } else {
        Ok(())
    }
}

impl NewUserForm {
    pub fn parse(&self) -> Result<NewUser, Vec<FieldError>> {
        let mut errors = Vec::new();
        let username = self.username.trim().to_lowercase();
        if username.len() < 2
            || username.len() > 32
            || !username.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        {
            errors.push(FieldError::new("username", "err.username"));
        }
        let display_name = self.display_name.trim().to_string();
        if display_name.is_empty() {
            errors.push(FieldError::new("display_name", "err.required"));
        } else if display_name.chars().count() > 100 {
            errors.push(FieldError::new("display_name", "err.too_long").with("max", 100));
        }
        let role = Role::parse(&self.role);
        if role.is_none() {
            errors.push(FieldError::new("role", "err.choose"));
        }
        if let Err(e) = check_password("password", &self.password) {
            errors.push(e);
        }
        let email = check_email("email", &self.email).map_err(|e| errors.push(e)).unwrap_or_default();
        match role {
            Some(role) if errors.is_empty() => {
                Ok(NewUser { username, display_name, role, password: self.password.clone(), email })
            }
            _ => Err(errors),
        }
    }
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
    context::respond(users::reset_password(&state.db, &user, id, &password).await)
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
        return Err(context::fail(AppError::Invalid(vec![FieldError::new("confirm", "err.password.mismatch")])));
    }
    let keep = context::session_token();
    let ip = context::client_addr();
    let cx = users::ChangeContext { settings: &state.settings, keep_session: keep.as_deref(), ip: &ip };
    context::respond(users::change_own_password(&state.db, &user, cx, &current, &new).await)
}

/// People a lead may be assigned to (active admins, managers and staff).
#[server(endpoint = "users/owners")]
pub async fn owner_choices() -> Result<Vec<OwnerChoice>, AppError> {
    use crate::backend::{context, services::users};
    let (state, _user) = context::signed_in()?;
    context::respond(users::owner_choices(&state.db).await)
}
