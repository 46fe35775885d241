//! Passwords (argon2), database sessions, and login throttling.

use super::ServiceError;
use crate::api::auth::SessionUser;
use crate::backend::entities::{login_failure, session, team, team_member, user};
use crate::backend::Settings;
use crate::domain::role::Role;
use crate::i18n::Locale;
use chrono::Utc;
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use sha2::{Digest, Sha256};

pub const SESSION_COOKIE: &str = "lz_session";

pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    hex::encode(buf)
}

fn token_id(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub async fn hash_password(password: &str) -> Result<String, ServiceError> {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || password_auth::generate_hash(password))
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()))
}

/// Verifies against `hash`, or against a throw-away hash when the user is unknown, so the
/// answer takes as long either way and timing does not reveal who has an account.
async fn verify_password(password: &str, hash: Option<&str>) -> bool {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let (password, hash) = (password.to_string(), hash.map(str::to_string));
    tokio::task::spawn_blocking(move || {
        let hash = hash.unwrap_or_else(|| DUMMY.get_or_init(|| password_auth::generate_hash("unknown-user")).clone());
        password_auth::verify_password(password, &hash).is_ok()
    })
    .await
    .unwrap_or(false)
}

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("wrong username or password")]
    Invalid,
    #[error("too many failed attempts; retry in {minutes} min")]
    Throttled { minutes: i64 },
    #[error(transparent)]
    Service(#[from] ServiceError),
}

impl From<sea_orm::DbErr> for LoginError {
    fn from(e: sea_orm::DbErr) -> Self {
        LoginError::Service(e.into())
    }
}

/// The user as requests see them, with the teams they belong to and lead.
pub async fn session_user(db: &impl ConnectionTrait, u: &user::Model) -> Result<Option<SessionUser>, sea_orm::DbErr> {
    let Some(role) = Role::parse(&u.role) else { return Ok(None) };
    let teams = team_member::Entity::find()
        .filter(team_member::Column::UserId.eq(u.id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.team_id)
        .collect();
    let led_teams = team::Entity::find()
        .filter(team::Column::LeadUserId.eq(u.id))
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.id)
        .collect();
    Ok(Some(SessionUser {
        id: u.id,
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        role,
        locale: Locale::parse(&u.locale).unwrap_or_default(),
        teams,
        led_teams,
    }))
}

/// Minutes until the oldest failure in the window ages out, if `max` failures were reached.
async fn throttled(
    db: &impl ConnectionTrait,
    column: login_failure::Column,
    value: &str,
    max: u64,
    settings: &Settings,
) -> Result<Option<i64>, sea_orm::DbErr> {
    let since = Utc::now() - settings.login_window;
    let recent = login_failure::Entity::find().filter(column.eq(value)).filter(login_failure::Column::At.gt(since));
    if recent.clone().count(db).await? < max {
        return Ok(None);
    }
    let oldest = recent.order_by_asc(login_failure::Column::At).one(db).await?;
    let minutes = oldest
        .map(|f| ((f.at + settings.login_window) - Utc::now()).num_minutes() + 1)
        .unwrap_or(settings.login_window.num_minutes());
    Ok(Some(minutes.max(1)))
}

/// Checks the password (refusing while throttled) and opens a new session. Returns the cookie
/// token (only its hash is stored) and the user.
pub async fn login(
    db: &impl ConnectionTrait,
    settings: &Settings,
    username: &str,
    password: &str,
    ip: &str,
) -> Result<(String, SessionUser), LoginError> {
    let username = username.trim().to_lowercase();
    for (column, value, max) in [
        (login_failure::Column::Username, username.as_str(), settings.login_max_failures_per_user),
        (login_failure::Column::Ip, ip, settings.login_max_failures_per_ip),
    ] {
        if let Some(minutes) = throttled(db, column, value, max, settings).await? {
            return Err(LoginError::Throttled { minutes });
        }
    }
    let found = user::Entity::find().filter(user::Column::Username.eq(&username)).one(db).await?;
    let ok = verify_password(password, found.as_ref().map(|u| u.password_hash.as_str())).await;
    let user = match found {
        Some(u) if ok && u.disabled_at.is_none() => u,
        _ => {
            login_failure::ActiveModel {
                username: Set(username.clone()),
                ip: Set(ip.to_string()),
                at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(db)
            .await?;
            return Err(LoginError::Invalid);
        }
    };
    login_failure::Entity::delete_many().filter(login_failure::Column::Username.eq(&username)).exec(db).await?;
    // Housekeeping on a cheap, rare path: failures long out of any window, sessions long expired.
    let stale = Utc::now() - chrono::Duration::days(1);
    login_failure::Entity::delete_many().filter(login_failure::Column::At.lt(stale)).exec(db).await?;
    session::Entity::delete_many().filter(session::Column::ExpiresAt.lt(Utc::now())).exec(db).await?;
    let session_user =
        session_user(db, &user).await?.ok_or_else(|| ServiceError::Internal(format!("bad role {}", user.role)))?;
    let token = open_session(db, settings, user.id, ip).await?;
    Ok((token, session_user))
}

pub async fn open_session(
    db: &impl ConnectionTrait,
    settings: &Settings,
    user_id: i64,
    ip: &str,
) -> Result<String, sea_orm::DbErr> {
    let token = random_hex(32);
    let now = Utc::now();
    session::ActiveModel {
        id: Set(token_id(&token)),
        user_id: Set(user_id),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + settings.session_max),
        ip: Set(Some(ip.chars().take(64).collect())),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The user behind a session cookie, if the session is alive and the user enabled. Expired or
/// idle sessions are deleted on sight.
pub async fn resolve_session(
    db: &impl ConnectionTrait,
    settings: &Settings,
    token: &str,
) -> Result<Option<SessionUser>, sea_orm::DbErr> {
    let id = token_id(token);
    let Some(s) = session::Entity::find_by_id(id.clone()).one(db).await? else {
        return Ok(None);
    };
    let now = Utc::now();
    if s.expires_at < now || s.last_seen_at + settings.session_idle < now {
        session::Entity::delete_by_id(id).exec(db).await?;
        return Ok(None);
    }
    let Some(u) = user::Entity::find_by_id(s.user_id).one(db).await? else {
        return Ok(None);
    };
    if u.disabled_at.is_some() {
        end_sessions_of(db, u.id).await?;
        return Ok(None);
    }
    // Touch at most once a minute: a write per request would be wasted work.
    if now - s.last_seen_at > chrono::Duration::minutes(1) {
        let mut active: session::ActiveModel = s.into();
        active.last_seen_at = Set(now);
        active.update(db).await?;
    }
    session_user(db, &u).await
}

pub async fn end_session(db: &impl ConnectionTrait, token: &str) -> Result<(), sea_orm::DbErr> {
    session::Entity::delete_by_id(token_id(token)).exec(db).await?;
    Ok(())
}

pub async fn end_sessions_of(db: &impl ConnectionTrait, user_id: i64) -> Result<(), sea_orm::DbErr> {
    session::Entity::delete_many().filter(session::Column::UserId.eq(user_id)).exec(db).await?;
    Ok(())
}

/// Remembers the user's language (for mail and new browsers).
pub async fn set_locale(db: &impl ConnectionTrait, user_id: i64, locale: Locale) -> Result<(), sea_orm::DbErr> {
    if let Some(u) = user::Entity::find_by_id(user_id).one(db).await? {
        let mut active: user::ActiveModel = u.into();
        active.locale = Set(locale.code().to_string());
        active.update(db).await?;
    }
    Ok(())
}
