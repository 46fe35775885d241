//! Personal API tokens: created by the user or an admin, revoked at will, resolved to the same
//! `SessionUser` the pages use (so the same role and team rules apply).

use super::auth::{random_hex, teams_of_row, with_team_columns};
use super::ServiceError;
use crate::backend::entities::{api_token, user};
use crate::backend::last_seen::LastSeen;
use crate::backend::local_time;
use crate::domain::lead::FieldError;
use crate::wire::auth::SessionUser;
use crate::wire::tokens::TokenRow;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QueryTrait,
    Set,
};
use sha2::{Digest, Sha256};

fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The longest a token may be made to live, in days (and the choice offered on `/me`).
pub const MAX_DAYS: i64 = 3650;

/// Creates a token for `user_id` (oneself, or anyone for an admin), valid for `days` (1 to
/// [`MAX_DAYS`]) or until revoked (`None`). Returns it (`lzk_` + 48 hex digits): only its SHA-256
/// is stored, so it is shown once.
/// Errors: `Forbidden` for someone else's token, `Invalid` at `name` (empty, over 100 characters)
/// or `days` (out of range), `NotFound` for an unknown user, `Db`.
pub async fn create(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    user_id: i64,
    name: &str,
    days: Option<i64>,
) -> Result<String, ServiceError> {
    if actor.id != user_id && !actor.role.manages_users() {
        return Err(ServiceError::Forbidden);
    }
    let name = name.trim();
    if name.is_empty() {
        return Err(ServiceError::Invalid(vec![FieldError::new("name", "err.required")]));
    }
    if name.chars().count() > 100 {
        return Err(ServiceError::Invalid(vec![FieldError::new("name", "err.too_long").with("max", 100)]));
    }
    if days.is_some_and(|d| !(1..=MAX_DAYS).contains(&d)) {
        return Err(ServiceError::Invalid(vec![FieldError::new("days", "err.range")
            .with("min", 1)
            .with("max", MAX_DAYS)]));
    }
    user::Entity::find_by_id(user_id).one(db).await?.ok_or(ServiceError::NotFound)?;
    let token = format!("lzk_{}", random_hex(24));
    api_token::ActiveModel {
        user_id: Set(user_id),
        name: Set(name.to_string()),
        token_hash: Set(hash(&token)),
        created_at: Set(Utc::now()),
        last_used_at: Set(None),
        expires_at: Set(days.map(|d| Utc::now() + chrono::Duration::days(d))),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The tokens of `user_id`, newest first, times in Asia/Shanghai (`YYYY-MM-DD HH:MM`). No access
/// check: the caller decides whose tokens may be listed.
/// Errors: `Db` only.
pub async fn list(db: &impl ConnectionTrait, user_id: i64) -> Result<Vec<TokenRow>, ServiceError> {
    Ok(api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(user_id))
        .order_by_desc(api_token::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            name: t.name,
            created_at: local_time(t.created_at),
            last_used_at: t.last_used_at.map(local_time),
            expires_at: t.expires_at.map(local_time),
            expired: t.expires_at.is_some_and(|at| at <= Utc::now()),
        })
        .collect())
}

/// Deletes token `id`, if it is the actor's own or the actor is an admin.
/// Errors: `NotFound` (no such token), `Hidden("token:{id}")` (someone else's), `Db`.
pub async fn revoke(db: &impl ConnectionTrait, actor: &SessionUser, id: i64) -> Result<(), ServiceError> {
    let t = api_token::Entity::find_by_id(id).one(db).await?.ok_or(ServiceError::NotFound)?;
    if t.user_id != actor.id && !actor.role.manages_users() {
        return Err(ServiceError::Hidden(format!("token:{id}")));
    }
    api_token::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

/// Revokes every token of `user_id` (a password reset: whoever had the account had them too).
/// Errors: the `sea_orm::DbErr` of the delete.
pub async fn revoke_all_of(db: &impl ConnectionTrait, user_id: i64) -> Result<(), sea_orm::DbErr> {
    api_token::Entity::delete_many().filter(api_token::Column::UserId.eq(user_id)).exec(db).await?;
    Ok(())
}

/// The user behind a bearer token, if it is live (not expired) and the user enabled; `None`
/// otherwise (also for an unknown role). Notes the use in `seen` at most once a minute (written by
/// its flush, so the request never waits for the write lock to record it).
/// Errors: `Db` only.
pub async fn resolve(
    db: &impl ConnectionTrait,
    seen: &LastSeen,
    token: &str,
) -> Result<Option<SessionUser>, ServiceError> {
    // The token, its user and their teams in one read (each request makes it).
    let backend = db.get_database_backend();
    let mut q = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(hash(token.trim())))
        .find_also_related(user::Entity)
        .into_query();
    with_team_columns(backend, &mut q);
    let Some(row) = db.query_one(backend.build(&q)).await? else {
        return Ok(None);
    };
    let t = api_token::Model::from_query_result(&row, "A_")?;
    let u = user::Model::from_query_result_optional(&row, "B_")?;
    if t.expires_at.is_some_and(|at| at <= Utc::now()) {
        return Ok(None);
    }
    let Some(u) = u.filter(|u| u.disabled_at.is_none()) else {
        return Ok(None);
    };
    if t.last_used_at.is_none_or(|at| Utc::now() - at > chrono::Duration::minutes(1)) {
        seen.token(t.id, Utc::now());
    }
    Ok(teams_of_row(&u, &row)?)
}
