//! What a plain form post leaves for the page the browser is sent back to (the redirect carries
//! no body): the typed values of a refused lead form, or a value shown once — a new API token or
//! calendar URL, which must never travel in a URL. Kept in memory per user for [`KEEP`], taken
//! once; a restart forgets them (the user types again, or makes a new token).
//!
//! Bounded so that no user can grow the server's memory with it: a value over [`MAX_VALUE`] is
//! not kept, a user holds at most [`PER_USER`] values (their oldest goes first), and all users
//! together at most [`MAX_ENTRIES`] (the oldest anywhere goes first).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a left value waits for its page.
pub const KEEP: Duration = Duration::from_secs(600);
/// The largest value kept, in bytes of JSON (a lead form with ten contacts and long notes is a
/// few KB).
pub const MAX_VALUE: usize = 64 * 1024;
/// Values one user holds at once (one per kind of form).
pub const PER_USER: usize = 8;
/// Values all users hold at once.
pub const MAX_ENTRIES: usize = 10_000;

#[derive(Default)]
pub struct Flash {
    entries: Mutex<HashMap<(i64, String), (Instant, String)>>,
}

impl Flash {
    /// Leaves `value` (JSON) for `user` under `key`, replacing an earlier one; see the module
    /// doc for what is dropped to make room.
    pub fn put(&self, user: i64, key: &str, value: String) {
        if value.len() > MAX_VALUE {
            return;
        }
        let Ok(mut entries) = self.entries.lock() else { return };
        let now = Instant::now();
        let id = (user, key.to_string());
        if !entries.contains_key(&id) {
            entries.retain(|_, (at, _)| now.duration_since(*at) < KEEP);
            let oldest = |entries: &HashMap<(i64, String), (Instant, String)>, mine: bool| {
                entries
                    .iter()
                    .filter(|((u, _), _)| !mine || *u == user)
                    .min_by_key(|(_, (at, _))| *at)
                    .map(|(k, _)| k.clone())
            };
            if entries.keys().filter(|(u, _)| *u == user).count() >= PER_USER {
                if let Some(k) = oldest(&entries, true) {
                    entries.remove(&k);
                }
            }
            if entries.len() >= MAX_ENTRIES {
                if let Some(k) = oldest(&entries, false) {
                    entries.remove(&k);
                }
            }
        }
        entries.insert(id, (now, value));
    }

    /// Takes what was left for `user` under `key`, if it is younger than [`KEEP`].
    pub fn take(&self, user: i64, key: &str) -> Option<String> {
        let mut entries = self.entries.lock().ok()?;
        let (at, value) = entries.remove(&(user, key.to_string()))?;
        (at.elapsed() < KEEP).then_some(value)
    }

    /// Forgets everything left for `user` (at sign-out and password change).
    pub fn forget(&self, user: i64) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.retain(|(u, _), _| *u != user);
        }
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

    #[test]
    fn no_user_can_grow_it() {
        let f = Flash::default();
        f.put(1, "big", "x".repeat(MAX_VALUE + 1));
        assert_eq!(f.take(1, "big"), None, "too large to keep");
        for i in 0..1000 {
            f.put(1, &format!("k{i}"), "1".into());
        }
        assert_eq!(f.entries.lock().unwrap().len(), PER_USER, "one user holds at most {PER_USER}");
        assert!(f.take(1, "k999").is_some() && f.take(1, "k0").is_none(), "the newest stay");
        for u in 0..(MAX_ENTRIES as i64 + 50) {
            f.put(u, "k", "1".into());
        }
        assert_eq!(f.entries.lock().unwrap().len(), MAX_ENTRIES);
        assert!(f.take(MAX_ENTRIES as i64 + 49, "k").is_some(), "a new value is kept when full");
        f.put(7, "a", "1".into());
        f.forget(7);
        assert_eq!(f.take(7, "a"), None);
    }
}
