//! The preview of a batch, kept in memory while nothing it was computed from has changed: a
//! preview checks every row against the leads (a 100,000-row `.xlsx`: 1.7 s and +40 MiB in the
//! server for each view, 2026-12-05), and a reload, or an ActionForm's answer that re-renders the
//! page, asked for it all again.

use super::ServiceError;
use crate::backend::entities::import_batch;
use crate::wire::auth::SessionUser;
use crate::wire::imports::{PreviewCounts, PreviewRow, UnknownValue};
use sea_orm::{ConnectionTrait, Statement};
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, LazyLock, Mutex};

/// A preview's outcome: the counts, the rows shown, the unknown values.
pub type Outcome = Arc<(PreviewCounts, Vec<PreviewRow>, Vec<UnknownValue>)>;

/// Batches whose preview is kept (a few rows each: at most `PREVIEW_ROWS`); past this many, one
/// is dropped to make room.
const KEPT: usize = 32;

static PREVIEWS: LazyLock<Mutex<HashMap<i64, (u64, Outcome)>>> = LazyLock::new(Default::default);

/// What the preview of `batch` for `actor` is computed from, as one number: the batch as read and
/// configured (its rows, layout, mapping, mode, status), who looks (their role and teams decide
/// which duplicates they may merge into), the leads (how many, how many in the trash, the newest
/// id and the latest change: any save, trashing, restoring or purging moves one of them) and the
/// saved value aliases. Two reads of the database (a covering scan of `idx_leads_updated_access`,
/// 100,000 entries, and the aliases).
/// Errors: `Db`.
pub async fn key_of(
    db: &impl ConnectionTrait,
    batch: &import_batch::Model,
    actor: &SessionUser,
) -> Result<u64, ServiceError> {
    let mut h = DefaultHasher::new();
    (batch.id, &batch.status, &batch.duplicate_mode, &batch.headers, &batch.mapping, &batch.layout).hash(&mut h);
    (batch.row_count, &batch.rows, &batch.rows_packed).hash(&mut h);
    (actor.id, format!("{:?}", actor.role), &actor.teams).hash(&mut h);
    let backend = db.get_database_backend();
    let leads = db
        .query_one(Statement::from_string(
            backend,
            "SELECT COUNT(*) AS n, COUNT(deleted_at) AS trashed, MAX(id) AS newest, \
             CAST(MAX(updated_at) AS TEXT) AS changed FROM leads",
        ))
        .await?;
    if let Some(row) = leads {
        let n: i64 = row.try_get("", "n")?;
        let trashed: i64 = row.try_get("", "trashed")?;
        let newest: Option<i64> = row.try_get("", "newest")?;
        let changed: Option<String> = row.try_get("", "changed")?;
        (n, trashed, newest, changed).hash(&mut h);
    }
    for alias in db
        .query_all(Statement::from_string(backend, "SELECT field, alias, code FROM value_aliases ORDER BY id"))
        .await?
    {
        let (field, word, code): (String, String, String) =
            (alias.try_get("", "field")?, alias.try_get("", "alias")?, alias.try_get("", "code")?);
        (field, word, code).hash(&mut h);
    }
    Ok(h.finish())
}

/// The preview of batch `id` computed under `key`, if it is kept.
pub fn get(id: i64, key: u64) -> Option<Outcome> {
    let kept = PREVIEWS.lock().ok()?;
    kept.get(&id).filter(|(k, _)| *k == key).map(|(_, outcome)| outcome.clone())
}

/// Keeps `outcome` as the preview of batch `id` under `key` (replacing an older one).
pub fn put(id: i64, key: u64, outcome: Outcome) {
    if let Ok(mut kept) = PREVIEWS.lock() {
        if kept.len() >= KEPT && !kept.contains_key(&id) {
            if let Some(other) = kept.keys().next().copied() {
                kept.remove(&other);
            }
        }
        kept.insert(id, (key, outcome));
    }
}

/// Drops the preview of batch `id` (committed, discarded).
pub fn forget(id: i64) {
    if let Ok(mut kept) = PREVIEWS.lock() {
        kept.remove(&id);
    }
}
