//! Exactly once for what a phone syncs (离线队列): each queued item carries an idempotency key; the
//! write and the key's receipt commit in one transaction, so a second send of the key (the answer
//! was lost on a weak signal, the phone retried) gets the first answer and changes nothing.

use super::ServiceError;
use crate::backend::entities::sync_receipt;
use crate::domain::lead::FieldError;
use crate::wire::auth::SessionUser;
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, QueryFilter, Set};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// The longest key accepted (a UUID is 36).
pub const MAX_KEY: usize = 64;

/// What [`claim`] found.
pub enum Claim {
    /// The key was applied before: its stored answer (JSON).
    Replay(String),
    /// A write transaction (holding SQLite's write lock) to do the work in, then [`settle`].
    Fresh(DatabaseTransaction),
}

/// Checks `key` (empty: no idempotency, a plain form post) and starts the write.
/// Errors: `Invalid` at `idem` (over [`MAX_KEY`] or characters outside `A-Za-z0-9-_`),
/// `Conflict("err.sync.foreign_key")` (the key is another user's), `Db`.
pub async fn claim(db: &DatabaseConnection, actor: &SessionUser, key: &str) -> Result<Claim, ServiceError> {
    let key = key.trim();
    if key.len() > MAX_KEY || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Err(ServiceError::Invalid(vec![FieldError::new("idem", "err.sync.key")]));
    }
    let txn = crate::backend::db::begin_write(db).await?;
    if key.is_empty() {
        return Ok(Claim::Fresh(txn));
    }
    match sync_receipt::Entity::find().filter(sync_receipt::Column::IdemKey.eq(key)).one(&txn).await? {
        Some(r) if r.user_id == actor.id => Ok(Claim::Replay(r.result)),
        Some(_) => Err(ServiceError::Conflict("err.sync.foreign_key".into())),
        None => {
            // The receipt goes in first: a second send of the key racing this one (PostgreSQL,
            // where nothing above locks) waits on the key's unique index and fails there, before
            // doing any of the work; it is answered 500 and replays on its next try.
            sync_receipt::ActiveModel {
                idem_key: Set(key.to_string()),
                user_id: Set(actor.id),
                kind: Set(String::new()),
                result: Set("null".into()),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            Ok(Claim::Fresh(txn))
        }
    }
}

/// Records `result` under `key` (if any; its row was written by [`claim`]) in `txn` and commits
/// the work and the receipt together.
/// Errors: `Db`.
pub async fn settle<T: Serialize>(
    txn: DatabaseTransaction,
    actor: &SessionUser,
    key: &str,
    kind: &str,
    result: &T,
) -> Result<(), ServiceError> {
    let key = key.trim();
    if !key.is_empty() {
        let json = serde_json::to_string(result).map_err(|e| ServiceError::Internal(e.to_string()))?;
        sync_receipt::Entity::update_many()
            .col_expr(sync_receipt::Column::Kind, Expr::value(kind))
            .col_expr(sync_receipt::Column::Result, Expr::value(json))
            .filter(sync_receipt::Column::IdemKey.eq(key))
            .filter(sync_receipt::Column::UserId.eq(actor.id))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// The stored answer of a replayed key.
/// Errors: `Internal` if it no longer reads as `T`.
pub fn replayed<T: DeserializeOwned>(json: &str) -> Result<T, ServiceError> {
    serde_json::from_str(json).map_err(|e| ServiceError::Internal(format!("sync receipt: {e}")))
}
