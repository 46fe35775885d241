//! When each session and API token was last used, kept in memory and written together by one
//! background task ([`LastSeen::flush`], every [`FLUSH_EVERY`] and at stop).
//!
//! A session's `last_seen_at` (which ends it after `session_idle` without a request) and a
//! token's `last_used_at` were written by the request itself, once a minute each. A write waits
//! for the database's write lock, so during an import or a rescore (each holding that lock a
//! part at a time) every such request — a page view, a dashboard — waited behind them, up to
//! the busy timeout (L3: a dashboard's p99 549 ms against 12 ms in L1), holding one of the
//! pool's connections meanwhile. Now a request only notes the time here; the flush writes all
//! of them in one transaction. The stored times are late by at most [`FLUSH_EVERY`] plus the
//! minute between touches: nothing beside an 8-hour idle limit.

use super::entities::{api_token, session};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// How often the noted times are written.
pub const FLUSH_EVERY: Duration = Duration::from_secs(15);

/// The times noted since the last flush: session id (the token's hash) → when, API token id →
/// when. The latest time wins.
#[derive(Debug, Default)]
pub struct LastSeen {
    sessions: Mutex<HashMap<String, DateTime<Utc>>>,
    tokens: Mutex<HashMap<i64, DateTime<Utc>>>,
}

/// The map behind `m`, also after a panic elsewhere while it was held (its entries are plain
/// times, never half-written).
fn locked<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl LastSeen {
    /// Notes that session `id` (its `sessions.id`) was used at `at`.
    pub fn session(&self, id: String, at: DateTime<Utc>) {
        locked(&self.sessions).insert(id, at);
    }

    /// When session `id` was last used according to the notes not yet written (`None`: no note).
    /// Its idle limit counts from the later of this and the stored time.
    pub fn session_at(&self, id: &str) -> Option<DateTime<Utc>> {
        locked(&self.sessions).get(id).copied()
    }

    /// Notes that API token `id` was used at `at`.
    pub fn token(&self, id: i64, at: DateTime<Utc>) {
        locked(&self.tokens).insert(id, at);
    }

    /// How many times wait to be written.
    pub fn pending(&self) -> usize {
        locked(&self.sessions).len() + locked(&self.tokens).len()
    }

    /// Writes every noted time in one write transaction and forgets them; rows deleted
    /// meanwhile (a logout) are skipped, and a stored time is never moved back. Returns how many
    /// times were noted. Errors: the `DbErr` of the transaction, whose times are noted again
    /// (unless newer ones came).
    pub async fn flush(&self, db: &DatabaseConnection) -> Result<usize, DbErr> {
        let sessions = std::mem::take(&mut *locked(&self.sessions));
        let tokens = std::mem::take(&mut *locked(&self.tokens));
        let n = sessions.len() + tokens.len();
        if n == 0 {
            return Ok(0);
        }
        match write(db, &sessions, &tokens).await {
            Ok(()) => Ok(n),
            Err(e) => {
                let mut map = locked(&self.sessions);
                for (id, at) in sessions {
                    map.entry(id).or_insert(at);
                }
                drop(map);
                let mut map = locked(&self.tokens);
                for (id, at) in tokens {
                    map.entry(id).or_insert(at);
                }
                Err(e)
            }
        }
    }
}

async fn write(
    db: &DatabaseConnection,
    sessions: &HashMap<String, DateTime<Utc>>,
    tokens: &HashMap<i64, DateTime<Utc>>,
) -> Result<(), DbErr> {
    use sea_orm::sea_query::Expr;
    let txn = super::db::begin_write(db).await?;
    for (id, at) in sessions {
        session::Entity::update_many()
            .col_expr(session::Column::LastSeenAt, Expr::value(*at))
            .filter(session::Column::Id.eq(id.as_str()))
            .filter(session::Column::LastSeenAt.lt(*at))
            .exec(&txn)
            .await?;
    }
    for (id, at) in tokens {
        api_token::Entity::update_many()
            .col_expr(api_token::Column::LastUsedAt, Expr::value(*at))
            .filter(api_token::Column::Id.eq(*id))
            .filter(
                sea_orm::Condition::any()
                    .add(api_token::Column::LastUsedAt.is_null())
                    .add(api_token::Column::LastUsedAt.lt(*at)),
            )
            .exec(&txn)
            .await?;
    }
    txn.commit().await
}
