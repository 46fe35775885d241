//! Giving memory freed by a large piece of work back to the OS at once.
//!
//! The server's allocator (jemalloc, set in the `lianzhao` binary) keeps freed pages for up to
//! its decay time (1 s) before returning them, per arena; an import's commit frees tens of MiB
//! per part on whichever threads ran it, and what one arena keeps the next part's threads do not
//! reuse, so the process's peak held about twice what the work needed (a 100,000-row commit
//! +156 MiB, +73 with jemalloc purging at once). The binary registers a function that purges
//! every arena ([`on_give_back`]); the import calls [`give_back`] after each part. This crate
//! does not know the allocator: without a registration (tests, other binaries) nothing happens.

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
