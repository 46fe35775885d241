//! 越权记录: every refused access — a 403, or a record the user may not see answered as "not
//! found" — as a structured log event (`target: "lianzhao::denied"`, fields user, route,
//! record) and in a short in-memory list for the admins' page (`/admin/denials`). Both are
//! rate-limited per user (governor), so someone hammering a route cannot flood the log; what the
//! limit held back is counted.

use crate::wire::auth::SessionUser;
use crate::wire::users::Denial;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::collections::{HashMap, VecDeque};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// The response header a handler sets to mark a hidden record's 404 as a denial (`lead:12`);
/// the outermost middleware reads it, logs, and removes it before the client sees anything.
pub const DENIED_HEADER: &str = "x-lianzhao-denied";

/// How many recent denials the admin page shows.
const KEEP: usize = 200;

pub struct DenialLog {
    recent: Mutex<VecDeque<Denial>>,
    limiter: DefaultKeyedRateLimiter<i64>,
    held_back: AtomicU64,
    /// Per user: refusals the limit held back since their last logged one.
    held_by_user: Mutex<HashMap<i64, u64>>,
}

impl Default for DenialLog {
    fn default() -> Self {
        // 20 a minute per user (a burst of 20), anonymous callers sharing one key.
        let quota = Quota::per_minute(NonZeroU32::new(20).unwrap_or(NonZeroU32::MIN));
        DenialLog {
            recent: Mutex::new(VecDeque::new()),
            limiter: RateLimiter::keyed(quota),
            held_back: AtomicU64::new(0),
            held_by_user: Mutex::new(HashMap::new()),
        }
    }
}

impl DenialLog {
    /// Notes that `user` (None: not signed in / unknown token) was refused `route` (`GET /api/…`),
    /// on `record` if known (`lead:12`).
    pub fn note(&self, user: Option<&SessionUser>, route: &str, record: Option<&str>) {
        let key = user.map(|u| u.id).unwrap_or(0);
        if self.limiter.check_key(&key).is_err() {
            self.held_back.fetch_add(1, Ordering::Relaxed);
            if let Ok(mut held) = self.held_by_user.lock() {
                *held.entry(key).or_default() += 1;
            }
            return;
        }
        let held_back = self.held_by_user.lock().ok().and_then(|mut h| h.remove(&key)).unwrap_or(0);
        let username = user.map(|u| u.username.as_str()).unwrap_or("-");
        tracing::warn!(target: "lianzhao::denied", user_id = key, user = %username, %route, record = record.unwrap_or("-"), held_back, "access denied");
        let denial = Denial {
            at: super::local_time(chrono::Utc::now()),
            user_id: user.map(|u| u.id),
            user: user.map(|u| u.display_name.clone()).unwrap_or_default(),
            route: route.chars().take(200).collect(),
            record: record.unwrap_or_default().chars().take(100).collect(),
            held_back,
        };
        if let Ok(mut recent) = self.recent.lock() {
            recent.push_front(denial);
            recent.truncate(KEEP);
        }
    }

    /// The recent denials, newest first, and how many the rate limit kept out of the log.
    pub fn recent(&self) -> (Vec<Denial>, u64) {
        let list = self.recent.lock().map(|r| r.iter().cloned().collect()).unwrap_or_default();
        (list, self.held_back.load(Ordering::Relaxed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_user_is_rate_limited_and_the_rest_counted() {
        let log = DenialLog::default();
        for _ in 0..25 {
            log.note(None, "GET /api/v1/leads/1", Some("lead:1"));
        }
        let (recent, held) = log.recent();
        assert_eq!((recent.len(), held), (20, 5));
        assert_eq!(recent[0].record, "lead:1");
        // The next one logged for that user says how many were held back before it.
        let later =
            DenialLog { limiter: RateLimiter::keyed(Quota::per_minute(NonZeroU32::MIN)), ..DenialLog::default() };
        later.note(None, "GET /x", None);
        later.note(None, "GET /x", None);
        assert_eq!(later.held_by_user.lock().unwrap().get(&0), Some(&1));
    }
}
