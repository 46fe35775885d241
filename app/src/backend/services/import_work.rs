//! How many imports hold their rows in memory at once, and where their CPU-bound work runs.
//!
//! Reading an upload, checking its rows for the preview and committing them each hold the file's
//! rows (and, committing, a parsed lead per row) in memory for a second or more: four 30 MB CSV
//! files uploaded at once took the server to 1.5 GiB. At most [`AT_ONCE`] of them run at a time;
//! the others wait their turn. Their parsing and checking run on tokio's blocking threads, so
//! the pages other people load meanwhile are not queued behind them on the 2 cores' workers.

use super::ServiceError;
use tokio::sync::{Semaphore, SemaphorePermit};

/// Imports (uploads, previews, commits, 亩均 figure uploads) reading or holding rows at once, in
/// this process: one per core of the small server an office runs.
pub const AT_ONCE: usize = 2;

static SLOTS: Semaphore = Semaphore::const_new(AT_ONCE);

/// Waits for one of the [`AT_ONCE`] slots; the slot is free again when the permit is dropped.
/// Errors: `Internal` only if the semaphore were closed (it never is).
pub async fn slot() -> Result<SemaphorePermit<'static>, ServiceError> {
    SLOTS.acquire().await.map_err(|e| ServiceError::Internal(e.to_string()))
}

/// Runs `work` (parsing, checking: CPU for a second or more) on a blocking thread and waits for it.
/// Errors: `Internal` if `work` panicked.
pub async fn off_thread<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, ServiceError> {
    tokio::task::spawn_blocking(work).await.map_err(|e| ServiceError::Internal(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn at_most_at_once_imports_hold_a_slot_and_a_freed_one_is_taken() {
        let mut held = Vec::new();
        for _ in 0..AT_ONCE {
            held.push(slot().await.unwrap());
        }
        assert!(tokio::time::timeout(Duration::from_millis(100), slot()).await.is_err(), "one more waits");
        held.pop();
        let next = tokio::time::timeout(Duration::from_secs(5), slot()).await;
        assert!(next.is_ok(), "a freed slot is taken");
    }

    #[tokio::test]
    async fn work_runs_off_the_async_workers_and_a_panic_is_an_error() {
        let there = off_thread(|| std::thread::current().id()).await.unwrap();
        assert_ne!(there, std::thread::current().id());
        assert!(off_thread(|| -> u8 { panic!("a bad row") }).await.is_err());
    }
}
