//! The preview of a batch, kept in memory while nothing it was computed from has changed: a
//! preview checks every row against the leads (a 100,000-row `.xlsx`: 1.7 s and +40 MiB in the
//! server for each view, 2026-12-05), and a reload, or an ActionForm's answer that re-renders the
//! page, asked for it all again.
//!
//! What the leads and aliases are is read from a counter the database moves itself on every
//! change a preview would see (migration 34's triggers), so no code path that writes a lead can
//! forget to invalidate it. The triggers watch the columns a match reads, `version` among them;
//! the shown duplicates' foresight (`import_changes::foresee`) reads every field a merge takes
//! and the contacts, which change only through `leads::update`, and so with a new version. Kept per batch and viewer (an uploader and their manager see
//! different duplicates), least recently used dropped first, within a budget of bytes. Kept per
//! app (`AppState::imports`), not per process: batch ids are one database's (the tests, `lianzhao
//! bench` and a sibling instance run several apps in one process).

use super::ServiceError;
use crate::backend::entities::import_batch;
use crate::wire::auth::SessionUser;
use crate::wire::imports::{PreviewCounts, PreviewRow, UnknownValue};
use sea_orm::{ConnectionTrait, Statement, Value};
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex};

/// A preview's outcome: the counts, the rows shown, the unknown values.
pub type Outcome = Arc<(PreviewCounts, Vec<PreviewRow>, Vec<UnknownValue>)>;

/// The kept outcomes' estimated bytes, all batches and viewers together: a preview shows at most
/// `PREVIEW_ROWS` rows, but their cells are the file's and can be long.
const BUDGET: usize = 8 << 20;

struct Kept {
    key: u64,
    outcome: Outcome,
    bytes: usize,
    /// When it was last read or written, in [`Cache::clock`] ticks.
    used: u64,
}

#[derive(Default)]
struct Cache {
    kept: HashMap<(i64, i64), Kept>,
    bytes: usize,
    clock: u64,
}

/// The kept previews of one app's batches.
#[derive(Default)]
pub struct PreviewCache(Mutex<Cache>);

/// What the preview of `batch` for `actor` is computed from, as one number: the batch as read and
/// configured (its rows, layout, mapping, mode, status), who looks (their role and teams decide
/// which duplicates they may see and merge into) and the counter of changes to the leads and the
/// saved value aliases (one row read). `None` when that counter is missing (a database restored
/// by hand without it): then nothing can say the leads did not change, and nothing is kept.
/// Errors: `Db`.
pub async fn key_of(
    db: &impl ConnectionTrait,
    batch: &import_batch::Model,
    actor: &SessionUser,
) -> Result<Option<u64>, ServiceError> {
    let mut h = DefaultHasher::new();
    (batch.id, &batch.status, &batch.duplicate_mode, &batch.headers, &batch.mapping, &batch.layout).hash(&mut h);
    (batch.row_count, &batch.rows, &batch.rows_packed).hash(&mut h);
    (actor.id, actor.role, &actor.teams, &actor.led_teams).hash(&mut h);
    let backend = db.get_database_backend();
    let counter = db
        .query_one(Statement::from_sql_and_values(
            backend,
            match backend {
                sea_orm::DatabaseBackend::Postgres => "SELECT n FROM change_counters WHERE name = $1",
                _ => "SELECT n FROM change_counters WHERE name = ?",
            },
            [Value::from(migration::IMPORT_PREVIEW_COUNTER)],
        ))
        .await?
        .map(|row| row.try_get::<i64>("", "n"))
        .transpose()?;
    Ok(counter.map(|n| {
        n.hash(&mut h);
        h.finish()
    }))
}

impl PreviewCache {
    /// The preview of batch `id` for viewer `actor` computed under `key`, if it is kept.
    pub fn get(&self, id: i64, actor: i64, key: u64) -> Option<Outcome> {
        let mut cache = self.0.lock().ok()?;
        cache.clock += 1;
        let now = cache.clock;
        let kept = cache.kept.get_mut(&(id, actor)).filter(|k| k.key == key)?;
        kept.used = now;
        Some(kept.outcome.clone())
    }

    /// Keeps `outcome` as the preview of batch `id` for viewer `actor` under `key` (replacing an
    /// older one), dropping the least recently used ones while the budget is exceeded; an outcome
    /// larger than the whole budget is not kept.
    pub fn put(&self, id: i64, actor: i64, key: u64, outcome: Outcome) {
        let bytes = weight(&outcome);
        let Ok(mut cache) = self.0.lock() else { return };
        if let Some(old) = cache.kept.remove(&(id, actor)) {
            cache.bytes -= old.bytes;
        }
        if bytes > BUDGET {
            return;
        }
        while cache.bytes + bytes > BUDGET {
            let Some(oldest) = cache.kept.iter().min_by_key(|(_, k)| k.used).map(|(at, _)| *at) else { break };
            if let Some(old) = cache.kept.remove(&oldest) {
                cache.bytes -= old.bytes;
            }
        }
        cache.clock += 1;
        let used = cache.clock;
        cache.bytes += bytes;
        cache.kept.insert((id, actor), Kept { key, outcome, bytes, used });
    }

    /// Drops every viewer's preview of batch `id` (committed, discarded).
    pub fn forget(&self, id: i64) {
        if let Ok(mut cache) = self.0.lock() {
            let gone: Vec<(i64, i64)> = cache.kept.keys().filter(|(batch, _)| *batch == id).copied().collect();
            for at in gone {
                if let Some(old) = cache.kept.remove(&at) {
                    cache.bytes -= old.bytes;
                }
            }
        }
    }
}

/// An outcome's estimated size in bytes: its texts and a fixed share per row, issue and note.
fn weight(outcome: &Outcome) -> usize {
    let (_, rows, unknown) = &**outcome;
    let rows: usize = rows
        .iter()
        .map(|r| {
            r.cells.iter().map(|c| c.len() + 24).sum::<usize>()
                + (r.issues.len() + r.notes.len()) * 96
                + r.target.as_ref().map_or(0, |(_, name)| name.len())
                + 160
        })
        .sum();
    rows + unknown.iter().map(|u| u.field.len() + u.value.len() + 64).sum::<usize>() + 256
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(cell: &str) -> Outcome {
        let row = PreviewRow::new(2, vec![cell.to_string()], "new", "create", Vec::new());
        Arc::new((PreviewCounts::default(), vec![row], Vec::new()))
    }

    #[test]
    fn kept_per_viewer_least_recently_used_dropped_within_the_budget() {
        // A quarter of the budget each (a 长 is 3 bytes): three fit, a fourth drops one.
        let cache = PreviewCache::default();
        let big = "长".repeat(BUDGET / 4 / 3);
        cache.put(-1, 1, 7, outcome(&big));
        cache.put(-2, 1, 7, outcome(&big));
        assert!(cache.get(-1, 1, 7).is_some(), "kept");
        assert!(cache.get(-1, 2, 7).is_none(), "another viewer's is not theirs");
        assert!(cache.get(-1, 1, 8).is_none(), "another key is not it");
        cache.put(-3, 1, 7, outcome(&big));
        cache.put(-4, 1, 7, outcome(&big));
        assert!(cache.get(-2, 1, 7).is_none(), "the least recently used went");
        assert!(cache.get(-1, 1, 7).is_some(), "the one read since stayed");
        cache.put(-5, 1, 7, outcome(&"长".repeat(BUDGET)));
        assert!(cache.get(-5, 1, 7).is_none(), "larger than the budget: not kept");
        for id in -5..0 {
            cache.forget(id);
        }
        assert!(cache.get(-1, 1, 7).is_none(), "forgotten");
    }
}
