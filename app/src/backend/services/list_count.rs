//! The lead list's count, capped: past [`COUNT_CAP`] matches a list says "10,000+" instead of
//! counting every row. Counting to the cap walks 10,001 index entries (0.7 ms at 100,000 leads in
//! SQLite, three quarters of a default list page's SQL), on every page view of every broad list:
//! so a count that reached the cap is remembered for [`CAPPED_FOR`] and not walked again meanwhile
//! ([`CountCache`]: the list and the REST API share it). Counts under the cap are always
//! counted: they change with each save, and each is cheaper than a capped one.

use super::ServiceError;
use crate::backend::entities::lead;
use sea_orm::sea_query::{Alias, Expr, Query};
use sea_orm::{ConnectionTrait, DatabaseBackend, QuerySelect, QueryTrait, Select, Statement};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Beyond this many matches a list says "10,000+" instead of counting every row: an exact
/// count of a large list scans every matching row on every page view, and nobody pages that far.
pub const COUNT_CAP: u64 = 10_000;

/// How long a count that reached the cap is taken as still reaching it. For this long after
/// enough leads were deleted or changed to bring a list under 10,001, it may still say "10,000+"
/// (its pages are right: past the cap any page may be asked for); a write never makes a capped
/// list smaller than the cap otherwise.
pub const CAPPED_FOR: Duration = Duration::from_secs(10);

/// Remembered capped counts at most; past it the oldest half is forgotten.
const REMEMBERED: usize = 1_000;

/// When each count statement (its SQL and values: the filter and the reader's access terms) last
/// reached the cap, for one database (in [`crate::backend::AppState`]; a fresh one remembers
/// nothing yet). Cheap to clone: the clones share it.
#[derive(Clone, Default)]
pub struct CountCache(Arc<Mutex<HashMap<String, Instant>>>);

/// `SELECT COUNT(*) FROM (SELECT id … LIMIT COUNT_CAP + 1)`: the count, capped.
pub fn capped_count_statement(backend: DatabaseBackend, q: &Select<lead::Entity>) -> Statement {
    let mut inner = q.clone().select_only().column(lead::Column::Id).into_query();
    inner.clear_order_by().limit(COUNT_CAP + 1);
    let stmt = Query::select()
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
        .from_subquery(inner, Alias::new("sub"))
        .to_owned();
    backend.build(&stmt)
}

/// How many leads `q` matches, at most `COUNT_CAP`, and whether there are more (then possibly
/// as counted up to [`CAPPED_FOR`] ago).
/// Errors: `Db` only (also for a count row that cannot be read).
pub async fn count_capped(
    db: &impl ConnectionTrait,
    counts: &CountCache,
    q: &Select<lead::Entity>,
) -> Result<(u64, bool), ServiceError> {
    let stmt = capped_count_statement(db.get_database_backend(), q);
    let key = format!("{}\u{0}{:?}", stmt.sql, stmt.values);
    if counts.still_capped(&key, Instant::now()) {
        return Ok((COUNT_CAP, true));
    }
    let row = db.query_one(stmt).await?;
    let n = row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0).max(0) as u64;
    if n > COUNT_CAP {
        counts.remember(key, Instant::now());
    }
    Ok((n.min(COUNT_CAP), n > COUNT_CAP))
}

impl CountCache {
    /// Whether `key` reached the cap within [`CAPPED_FOR`] before `now`.
    fn still_capped(&self, key: &str, now: Instant) -> bool {
        let Ok(map) = self.0.lock() else { return false };
        map.get(key).is_some_and(|at| now.saturating_duration_since(*at) < CAPPED_FOR)
    }

    fn remember(&self, key: String, now: Instant) {
        let Ok(mut map) = self.0.lock() else { return };
        if map.len() >= REMEMBERED {
            let mut ages: Vec<Instant> = map.values().copied().collect();
            ages.sort_unstable();
            let keep_from = ages[ages.len() / 2];
            map.retain(|_, at| *at >= keep_from);
        }
        map.insert(key, now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_capped_count_is_remembered_for_a_while_and_the_oldest_are_forgotten() {
        let counts = CountCache::default();
        let t0 = Instant::now();
        assert!(!counts.still_capped("a", t0));
        counts.remember("a".into(), t0);
        assert!(counts.still_capped("a", t0 + CAPPED_FOR / 2));
        assert!(!counts.still_capped("a", t0 + CAPPED_FOR));
        assert!(!CountCache::default().still_capped("a", t0), "another database's");
        // Filling past the bound forgets the oldest half, not the newest.
        for i in 0..REMEMBERED {
            counts.remember(format!("fill-{i}"), t0 + Duration::from_millis(1 + i as u64));
        }
        let map = counts.0.lock().expect("lock");
        assert!(map.len() <= REMEMBERED);
        assert!(!map.contains_key("a"));
        assert!(map.contains_key(&format!("fill-{}", REMEMBERED - 1)));
    }
}
