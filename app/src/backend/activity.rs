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

tokio::task_local! {
    /// Set while the current task serves a request (a long writer run by a request, such as the
    /// rescore after a settings save, is not "somebody else").
    static IN_REQUEST: ();
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

/// Counts a request in flight while it runs.
struct InFlight;

impl InFlight {
    fn start() -> Self {
        IN_FLIGHT.fetch_add(1, Ordering::Relaxed);
        LAST_CHANGE_US.store(now_us(), Ordering::Relaxed);
        InFlight
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        IN_FLIGHT.fetch_sub(1, Ordering::Relaxed);
        LAST_CHANGE_US.store(now_us(), Ordering::Relaxed);
    }
}

/// Runs `request` (a request's handler, up to its response's head) counted as in flight. The
/// server wraps every route in it.
pub async fn serving<F: Future>(request: F) -> F::Output {
    let _counted = InFlight::start();
    IN_REQUEST.scope((), request).await
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

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_request_in_flight_or_just_ended_is_somebody_else_but_not_its_own_task() {
        let (started_tx, started_rx) = tokio::sync::oneshot::channel::<()>();
        let (end_tx, end_rx) = tokio::sync::oneshot::channel::<()>();
        let other = tokio::spawn(serving(async move {
            let _ = started_tx.send(());
            let _ = end_rx.await;
        }));
        started_rx.await.expect("started");
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
    }
}
