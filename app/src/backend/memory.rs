//! Giving memory freed by a large piece of work back to the OS at once.
//!
//! The server's allocator (jemalloc, set in the `lianzhao` binary) keeps freed pages for up to
//! its decay time (1 s) before returning them, per arena; an import's commit frees tens of MiB
//! per part on whichever threads ran it, and what one arena keeps the next part's threads do not
//! reuse, so the process's peak held far more than the work needed. The binary registers a
//! function that purges every arena ([`on_give_back`]); [`give_back`] runs after an upload is
//! stored, after a preview's check, after a commit's checks, after each of its parts and at its
//! end, and after a rescore of more than one page. Measured (release, 2026-12-05, 100,000 new
//! leads from a 14 MB CSV): the commit's peak +181 → +104–115 MiB with SQLite's 16 MiB spill cap
//! (`db::connect`). This crate does not know the allocator: without a registration (tests,
//! other binaries) nothing happens.

use std::sync::OnceLock;

static GIVE_BACK: OnceLock<fn()> = OnceLock::new();

/// Registers what [`give_back`] runs (once; later calls are ignored).
pub fn on_give_back(purge: fn()) {
    let _ = GIVE_BACK.set(purge);
}

/// Returns the pages freed so far to the OS, if the binary registered how. Takes a few
/// milliseconds (the allocator's `madvise` calls); call it between large steps, not per row.
pub fn give_back() {
    if let Some(purge) = GIVE_BACK.get() {
        purge();
    }
}
