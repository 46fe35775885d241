//! What crosses the wire for `api::users`: the types its server functions take and return,
//! with their validators. Imports `domain` only; read by pages, api and services.

use crate::domain::lead::FieldError;
use crate::domain::role::Role;
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
        let email =
            crate::domain::email::parse_optional("email", &self.email).map_err(|e| errors.push(e)).unwrap_or_default();
        match role {
            Some(role) if errors.is_empty() => {
                Ok(NewUser { username, display_name, role, password: self.password.clone(), email })
            }
            _ => Err(errors),
        }
    }
}
