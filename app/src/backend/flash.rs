//! What a plain form post leaves for the page the browser is sent back to (the redirect carries
//! no body): the typed values of a refused lead form, or a value shown once — a new API token or
//! calendar URL, which must never travel in a URL. Kept in memory per user for
//! [`KEEP`], taken once; a restart forgets them (the user types again, or makes a new token).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a left value waits for its page.
pub const KEEP: Duration = Duration::from_secs(600);
/// At most this many values wait at once (a flood of refused posts cannot grow memory further;
/// past it a value is not kept and the page shows the form empty, as before).
pub const MAX_ENTRIES: usize = 10_000;

#[derive(Default)]
pub struct Flash {
    entries: Mutex<HashMap<(i64, String), (Instant, String)>>,
}

impl Flash {
    /// Leaves `value` (JSON) for `user` under `key`, replacing an earlier one.
    pub fn put(&self, user: i64, key: &str, value: String) {
        let Ok(mut entries) = self.entries.lock() else { return };
        let now = Instant::now();
        if entries.len() >= MAX_ENTRIES {
            entries.retain(|_, (at, _)| now.duration_since(*at) < KEEP);
        }
        if entries.len() < MAX_ENTRIES || entries.contains_key(&(user, key.to_string())) {
            entries.insert((user, key.to_string()), (now, value));
        }
    }

    /// Takes what was left for `user` under `key`, if it is younger than [`KEEP`].
    pub fn take(&self, user: i64, key: &str) -> Option<String> {
        let mut entries = self.entries.lock().ok()?;
        let (at, value) = entries.remove(&(user, key.to_string()))?;
        (at.elapsed() < KEEP).then_some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_taken_once_and_only_by_its_user() {
        let f = Flash::default();
        f.put(1, "k", "\"a\"".into());
        assert_eq!(f.take(2, "k"), None);
        assert_eq!(f.take(1, "k").as_deref(), Some("\"a\""));
        assert_eq!(f.take(1, "k"), None);
    }
}
