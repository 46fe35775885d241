//! The work that runs beside the requests — the jobs loop (mail, reminders) and imports being
//! committed — and how it stops when the app is stopped (SIGTERM from `systemctl stop` or
//! `docker stop`): first it is asked to finish what it is doing and start nothing new; what has
//! not finished when the grace period ends is abandoned (an import's transaction rolls back and
//! its batch says it was interrupted; a message being sent keeps its lease).

use std::time::Duration;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

#[derive(Clone, Debug, Default)]
pub struct Background {
    /// Cancelled when the app stops: finish the current step, start nothing new.
    pub stopping: CancellationToken,
    /// Cancelled when the grace period is over: give up now.
    pub abandon: CancellationToken,
    /// Every background task, so the stop can wait for them.
    pub tasks: TaskTracker,
}

impl Background {
    /// Asks every task to stop, waits up to `grace` for them, then abandons those left and
    /// waits for them to give up. Returns whether all finished within `grace`.
    pub async fn stop(&self, grace: Duration) -> bool {
        self.stopping.cancel();
        self.tasks.close();
        let finished = tokio::time::timeout(grace, self.tasks.wait()).await.is_ok();
        if !finished {
            tracing::warn!(grace_s = grace.as_secs_f64(), "background work still running: abandoning it");
            self.abandon.cancel();
            self.tasks.wait().await;
        }
        finished
    }
}
