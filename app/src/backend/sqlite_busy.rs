//! How a SQLite connection waits for the write lock, and how a long writer (an import's parts, a
//! rescore's pages) hands it over between its transactions.
//!
//! SQLite's own busy handler (`sqlite3_busy_timeout`) sleeps longer each time it finds the lock
//! taken, up to 100 ms between tries, so a long writer had to leave the lock free for 110 ms
//! between two parts or a waiting save could miss it every time until its busy timeout ran out
//! (seen in L3: a stage move waited 10.3 s and failed). Those fixed gaps were 2.1 s of a
//! 100,000-lead rescore and 5.6 s of an import, whatever the load. Here every connection tries
//! again every millisecond for up to [`BUSY_TIMEOUT`], and a long writer leaves the lock free for
//! half as long as it held it (at least [`WRITE_GAP`], at most [`WRITE_GAP_MAX`]), longer while
//! this process's connections are still finding it taken. Half, because the gap is also the
//! readers' share of the machine: a writer that took the lock back after 5 ms kept both of 2
//! cores busy (its SQL and the Rust preparing the next part) and the list's p99 during an import
//! and a rescore went from 2.1× to 4.7× its p99 without them (L3). When this process serves
//! requests and served none during a part, nobody needs that share and the writer rests only
//! [`WRITE_GAP`]: a rescore of 100,000 leads alone took 2.7 s instead of 4.2–5.1 s. A process
//! that serves nothing (`lianzhao import` beside the server) always rests half: it cannot see
//! the server's users (resting 5 ms there, saves in the server waited up to 1.2 s in L3).
//!
//! The handler replaces SQLite's own for the life of the connection: a later `PRAGMA
//! busy_timeout` (or `sqlite3_busy_timeout`) on it would silently put SQLite's back.

use super::activity::now_us;
use std::ffi::{c_int, c_void};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How long a statement waits for the write lock before SQLite answers "database is locked".
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a waiting connection sleeps between two tries.
const POLL: Duration = Duration::from_millis(1);

/// The shortest a long writer leaves the lock free between two of its transactions: a few of a
/// waiting connection's tries (another process's connections, opened by the same code, try as
/// often).
pub const WRITE_GAP: Duration = Duration::from_millis(5);

/// The longest a long writer leaves the lock free between two parts (unless it held it for over
/// twice as long).
pub const WRITE_GAP_MAX: Duration = Duration::from_millis(110);

/// When a connection of this process last found the lock taken ([`now_us`]; 0: never).
static LAST_BUSY_US: AtomicU64 = AtomicU64::new(0);
/// How many times connections of this process found the lock taken (for tests and logs).
static BUSY_TRIES: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// When the current wait began (each connection runs on its own worker thread, and SQLite
    /// calls the handler on the thread running the statement).
    static WAIT_STARTED: std::cell::Cell<Option<Instant>> = const { std::cell::Cell::new(None) };
}

/// SQLite's busy handler: `tries` is how many times it was called for this wait (0 first).
/// Returns 1 to try again after [`POLL`], 0 to give up ("database is locked").
extern "C" fn on_busy(_: *mut c_void, tries: c_int) -> c_int {
    let now = Instant::now();
    let started = WAIT_STARTED.with(|cell| {
        if tries == 0 || cell.get().is_none() {
            cell.set(Some(now));
        }
        cell.get().unwrap_or(now)
    });
    if now.duration_since(started) >= BUSY_TIMEOUT {
        return 0;
    }
    LAST_BUSY_US.store(now_us(), Ordering::Relaxed);
    BUSY_TRIES.fetch_add(1, Ordering::Relaxed);
    std::thread::sleep(POLL);
    1
}

/// Installs the busy handler on a freshly opened connection (the pool's `after_connect`).
/// Errors: SQLite refused it (`sqlx::Error::Protocol` with its code).
pub async fn install(conn: &mut sqlx::SqliteConnection) -> Result<(), sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    let db = handle.as_raw_handle();
    // SAFETY: `db` is this connection's open handle, locked for us by `lock_handle` so no other
    // thread uses it meanwhile; `on_busy` is a plain function that never unwinds and reads no
    // argument pointer, so a null user pointer is fine. The handler replaces the one
    // `sqlite3_busy_timeout` set, for the life of the connection.
    let rc = unsafe { libsqlite3_sys::sqlite3_busy_handler(db.as_ptr(), Some(on_busy), std::ptr::null_mut()) };
    if rc == libsqlite3_sys::SQLITE_OK {
        Ok(())
    } else {
        Err(sqlx::Error::Protocol(format!("sqlite3_busy_handler answered {rc}")))
    }
}

/// How many times this process's connections have found the write lock taken.
pub fn busy_tries() -> u64 {
    BUSY_TRIES.load(Ordering::Relaxed)
}

/// Whether a connection of this process found the lock taken within the last `within`.
fn waited_within(within: Duration) -> bool {
    let last = LAST_BUSY_US.load(Ordering::Relaxed);
    last != 0 && now_us().saturating_sub(last) <= within.as_micros() as u64
}

/// Between two write transactions of a long writer on SQLite, after it held the lock for
/// `held`: leaves the lock free for half of that, within [`WRITE_GAP`]..=[`WRITE_GAP_MAX`] (only
/// [`WRITE_GAP`] when this process serves requests and served none meanwhile:
/// [`super::activity::quiet_for`]), then
/// a millisecond at a time while connections of this process are still finding it taken (one
/// save took it, the next is waiting), up to [`WRITE_GAP_MAX`] in all.
pub async fn hand_over(held: Duration) {
    let started = Instant::now();
    // Nobody served meanwhile: nobody to leave the machine to, only the lock to another
    // process's connections.
    let rest = if super::activity::quiet_for(held) { WRITE_GAP } else { gap_after(held) };
    tokio::time::sleep(rest).await;
    while waited_within(POLL * 3) && started.elapsed() < WRITE_GAP_MAX {
        tokio::time::sleep(POLL).await;
    }
}

/// How long a long writer's transaction may grow to hold the lock while nobody else is served
/// ([`next_bite`]): a save that arrives in such a quiet moment waits at most about this long,
/// once (the writer is back to its base size for the next). With 0.4 s an import's parts of
/// 2,000 (0.25 s each at 100,000 leads) hardly grew: 45 parts instead of 51, no faster.
pub const QUIET_HOLD: Duration = Duration::from_secs(1);

/// How many times its first size a long writer's transaction may grow to ([`next_bite`]).
const MAX_GROWTH: usize = 4;

/// How many rows a long writer on SQLite takes in its next transaction (an import's part, a
/// rescore's page), after one of `last` rows that held the write lock for `held`; `base` is its
/// size when others are about. Twice `last` (at most `MAX_GROWTH` × `base`) while this process
/// serves requests and served none that may write during the last one (readers do not wait for
/// the lock: [`super::activity::no_other_writes_for`]) and no connection of it found the lock
/// taken, if twice as many rows would still hold the lock under
/// [`QUIET_HOLD`] (the same size if they would not, half if the last held it longer); `base`
/// again as soon as anyone writes or waits. Fewer, larger transactions
/// write each index page they touch to the WAL fewer times: 20,000 new leads into 300,000 took
/// 2.4 s of SQL in parts of 2,000, 1.9 s in parts of 4,000 and 1.4 s in parts of 10,000; 100,000
/// changed scores 2.3 s in pages of 5,000, 1.9 s in 10,000, 1.5 s in 20,000 (sqlite3 shell,
/// 2 cores). A process that serves nothing (`lianzhao import` beside the server) cannot see the
/// server's users and keeps `base`.
pub fn next_bite(base: usize, last: usize, held: Duration) -> usize {
    let quiet = super::activity::no_other_writes_for(held) && !waited_within(held);
    bite_after(base, last, held, quiet)
}

/// [`next_bite`] with the quiet decided.
fn bite_after(base: usize, last: usize, held: Duration, quiet: bool) -> usize {
    if !quiet {
        return base;
    }
    let next = if held * 2 <= QUIET_HOLD {
        last * 2
    } else if held <= QUIET_HOLD {
        last
    } else {
        last / 2
    };
    next.clamp(base, base * MAX_GROWTH)
}

/// Half of `held`, within [`WRITE_GAP`]..=[`WRITE_GAP_MAX`].
fn gap_after(held: Duration) -> Duration {
    (held / 2).clamp(WRITE_GAP, WRITE_GAP_MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_writer_rests_half_as_long_as_it_held_the_lock() {
        assert_eq!(gap_after(Duration::from_millis(2)), WRITE_GAP);
        assert_eq!(gap_after(Duration::from_millis(80)), Duration::from_millis(40));
        assert_eq!(gap_after(Duration::from_secs(2)), WRITE_GAP_MAX);
    }

    #[test]
    fn a_long_writer_takes_bigger_bites_only_while_nobody_is_about_and_the_lock_is_held_briefly() {
        let ms = Duration::from_millis;
        // Quiet and quick: doubles, up to four times the base.
        assert_eq!(bite_after(2_000, 2_000, ms(100), true), 4_000);
        assert_eq!(bite_after(2_000, 4_000, ms(500), true), 8_000);
        assert_eq!(bite_after(2_000, 8_000, ms(100), true), 8_000);
        // Twice as long would pass QUIET_HOLD: the same size; longer than it: half.
        assert_eq!(bite_after(2_000, 4_000, ms(600), true), 4_000);
        assert_eq!(bite_after(2_000, 8_000, ms(1_200), true), 4_000);
        assert_eq!(bite_after(2_000, 2_000, ms(2_000), true), 2_000);
        // Anyone served or waiting meanwhile: the base at once.
        assert_eq!(bite_after(2_000, 8_000, ms(10), false), 2_000);
        assert_eq!(bite_after(5_000, 5_000, ms(10), false), 5_000);
    }
}
