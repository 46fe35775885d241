//! Whether this process is serving anyone besides the caller: the requests in flight and when
//! the last one started or ended. A long writer (an import's parts, a rescore's pages) rests
//! between its parts to leave the machine to them, and need not rest when nobody is there
//! ([`super::sqlite_busy::hand_over`]). A process that serves no requests (`lianzhao import`
//! beside a running server) cannot see the server's users: it is never quiet.

use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Whether this process serves requests ([`serves_requests`]).
static SERVES: AtomicBool = AtomicBool::new(false);
/// Requests being served now.
static IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);
/// When a request last started or ended (µs since [`epoch`]; 0: never).
static LAST_CHANGE_US: AtomicU64 = AtomicU64::new(0);
/// The same two for the requests that may write ([`serving_write`]).
static WRITES_IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);
static LAST_WRITE_CHANGE_US: AtomicU64 = AtomicU64::new(0);

tokio::task_local! {
    /// Set while the current task serves a request, `true` for one that may write (a long writer
    /// run by a request, such as the rescore after a settings save, is not "somebody else").
    static IN_REQUEST: bool;
    /// Set while the current task runs as the server would ([`as_server`]).
    static AS_SERVER: ();
}

/// Says this process serves requests (the server's router, once built): from then on a long
/// writer here may find it quiet.
pub fn serves_requests() {
    SERVES.store(true, Ordering::Relaxed);
}

/// Runs `work` as if in a process that serves requests (none now): what the server does when
/// nobody is there, for `make bench` in its own process.
pub async fn as_server<F: Future>(work: F) -> F::Output {
    AS_SERVER.scope((), work).await
}

fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

/// Microseconds since this process first asked (never 0: 0 stands for "never" in the stamps).
pub(crate) fn now_us() -> u64 {
    epoch().elapsed().as_micros() as u64 + 1
}

/// Counts a request in flight while it runs (and as a write, if it may write).
struct InFlight {
    writes: bool,
}

impl InFlight {
    fn start(writes: bool) -> Self {
        let now = now_us();
        IN_FLIGHT.fetch_add(1, Ordering::Relaxed);
        LAST_CHANGE_US.store(now, Ordering::Relaxed);
        if writes {
            WRITES_IN_FLIGHT.fetch_add(1, Ordering::Relaxed);
            LAST_WRITE_CHANGE_US.store(now, Ordering::Relaxed);
        }
        InFlight { writes }
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let now = now_us();
        IN_FLIGHT.fetch_sub(1, Ordering::Relaxed);
        LAST_CHANGE_US.store(now, Ordering::Relaxed);
        if self.writes {
            WRITES_IN_FLIGHT.fetch_sub(1, Ordering::Relaxed);
            LAST_WRITE_CHANGE_US.store(now, Ordering::Relaxed);
        }
    }
}

/// Runs `request` (a request's handler, up to its response's head) counted as in flight: a
/// request that only reads (GET, HEAD). The server wraps every route in it or in
/// [`serving_write`].
pub async fn serving<F: Future>(request: F) -> F::Output {
    let _counted = InFlight::start(false);
    IN_REQUEST.scope(false, request).await
}

/// [`serving`] for a request that may write (any other method: a save, a stage move, a server
/// function).
pub async fn serving_write<F: Future>(request: F) -> F::Output {
    let _counted = InFlight::start(true);
    IN_REQUEST.scope(true, request).await
}

/// Whether nobody else has been served for `within`: this process serves requests, none is in
/// flight besides the one the caller runs in (if any), and none started or ended within the last
/// `within`.
pub fn quiet_for(within: Duration) -> bool {
    if !SERVES.load(Ordering::Relaxed) && AS_SERVER.try_with(|_| ()).is_err() {
        return false;
    }
    let own = IN_REQUEST.try_with(|_| 1).unwrap_or(0);
    if IN_FLIGHT.load(Ordering::Relaxed) > own {
        return false;
    }
    let last = LAST_CHANGE_US.load(Ordering::Relaxed);
    // The caller's own request started before its long write began: compare against `within`
    // only what others did (an own start older than `within` is outside it anyway).
    last == 0 || now_us().saturating_sub(last) >= within.as_micros() as u64
}

/// Whether nobody else has made a request that may write for `within`: this process serves
/// requests, none is in flight besides the caller's own, and none started or ended within the
/// last `within`. Readers never wait for SQLite's write lock (WAL), so a long writer may take
/// larger transactions while only they are served ([`super::sqlite_busy::next_bite`]) — the
/// importing user's progress page, which reloads itself each second, among them.
pub fn no_other_writes_for(within: Duration) -> bool {
    if !SERVES.load(Ordering::Relaxed) && AS_SERVER.try_with(|_| ()).is_err() {
        return false;
    }
    let own = IN_REQUEST.try_with(|writes| usize::from(*writes)).unwrap_or(0);
    if WRITES_IN_FLIGHT.load(Ordering::Relaxed) > own {
        return false;
    }
    let last = LAST_WRITE_CHANGE_US.load(Ordering::Relaxed);
    last == 0 || now_us().saturating_sub(last) >= within.as_micros() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Another request, in flight (a write if `writes`) until the returned sender is used; the
    /// handle ends with it.
    async fn in_flight(writes: bool) -> (tokio::sync::oneshot::Sender<()>, tokio::task::JoinHandle<()>) {
        let (started_tx, started_rx) = tokio::sync::oneshot::channel::<()>();
        let (end_tx, end_rx) = tokio::sync::oneshot::channel::<()>();
        let work = async move {
            let _ = started_tx.send(());
            let _ = end_rx.await;
        };
        let handle = if writes { tokio::spawn(serving_write(work)) } else { tokio::spawn(serving(work)) };
        started_rx.await.expect("started");
        (end_tx, handle)
    }

    #[tokio::test]
    async fn a_request_in_flight_or_just_ended_is_somebody_else_but_not_its_own_task() {
        let (end_tx, other) = in_flight(false).await;
        // A process that serves nobody cannot tell: never quiet.
        assert!(!quiet_for(Duration::ZERO));
        serves_requests();
        assert!(!quiet_for(Duration::ZERO), "another request is in flight");
        // Inside a request of its own, the other one still counts.
        assert!(!serving(async { quiet_for(Duration::ZERO) }).await);
        let _ = end_tx.send(());
        other.await.expect("other");
        assert!(!quiet_for(Duration::from_secs(60)), "it ended just now");
        tokio::time::sleep(Duration::from_millis(5)).await;
        assert!(quiet_for(Duration::from_millis(1)));
        // Its own request is not somebody else.
        assert!(serving(async { quiet_for(Duration::ZERO) }).await);

        // Writes are told apart (in the same test: the counters are the process's).
        assert!(no_other_writes_for(Duration::from_millis(1)));
        let (end_tx, reader) = in_flight(false).await;
        assert!(!quiet_for(Duration::ZERO), "a reader is somebody");
        assert!(no_other_writes_for(Duration::ZERO), "but not a writer");
        let _ = end_tx.send(());
        reader.await.expect("reader");
        let (end_tx, writer) = in_flight(true).await;
        assert!(!no_other_writes_for(Duration::ZERO), "a write request in flight");
        assert!(!serving_write(async { no_other_writes_for(Duration::ZERO) }).await, "besides one's own");
        let _ = end_tx.send(());
        writer.await.expect("writer");
        assert!(!no_other_writes_for(Duration::from_secs(60)), "it ended just now");
        tokio::time::sleep(Duration::from_millis(5)).await;
        assert!(no_other_writes_for(Duration::from_millis(1)));
        assert!(serving_write(async { no_other_writes_for(Duration::ZERO) }).await, "its own write is not another's");
    }
}
