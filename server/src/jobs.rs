//! Background jobs: every `job_interval`, take back imports cut off, queue the scheduled mail
//! that is due (visit reminders, overdue digests) and deliver the queue; hourly, refresh the
//! query planner's statistics and forget uploads kept over a week by import previews. Beside
//! them, every 15 s, write when sessions and API tokens were last used.
//! Safe to run in several app instances at once. When the app stops, the loop ends after the
//! step it is in (a mail pass hands back the leases of what it has not sent); abandoned after
//! the grace period, it ends at once.

use app::backend::last_seen;
use app::backend::mail::worker;
use app::backend::services::{reminders, weekly_mail};
use app::backend::AppState;

/// Starts the jobs loop, and the writing of when sessions and API tokens were last used, as
/// background tasks of the app (`state.background`).
pub fn spawn(state: AppState) {
    let background = state.background.clone();
    let seen = state.clone();
    background.tasks.spawn(async move {
        tokio::select! {
            _ = state.background.abandon.cancelled() => {}
            _ = jobs(&state) => {}
        }
    });
    background.tasks.spawn(async move {
        tokio::select! {
            _ = seen.background.abandon.cancelled() => {}
            _ = last_seen(&seen) => {}
        }
    });
}

/// Every [`last_seen::FLUSH_EVERY`], and once more when the app stops, writes the noted uses of
/// sessions and API tokens ([`app::backend::last_seen`]).
async fn last_seen(state: &AppState) {
    let mut tick = tokio::time::interval(last_seen::FLUSH_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let stop = tokio::select! {
            biased;
            _ = state.background.stopping.cancelled() => true,
            _ = tick.tick() => false,
        };
        if let Err(e) = state.last_seen.flush(&state.db).await {
            tracing::warn!(error = %e, "could not write when sessions were last used");
        }
        if stop {
            return;
        }
    }
}

async fn jobs(state: &AppState) {
    let stopping = &state.background.stopping;
    let mut tick = tokio::time::interval(state.settings.job_interval);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut analyzed: Option<tokio::time::Instant> = None;
    loop {
        tokio::select! {
            // A tick overdue after a long step must not win over the stop.
            biased;
            _ = stopping.cancelled() => return,
            _ = tick.tick() => {}
        }
        // Imports cut off (by a crash of this or another instance): once their lease is over,
        // their saved parts are taken back. (The first tick is at once: at start.)
        match app::backend::services::import_recovery::recover(&state.db).await {
            Ok(0) => {}
            Ok(n) => tracing::warn!(batches = n, "imports cut off and taken back"),
            Err(e) => tracing::error!(error = %e, "could not look for imports cut off"),
        }
        if analyzed.is_none_or(|at| at.elapsed() >= std::time::Duration::from_secs(3600)) {
            if let Err(e) = app::backend::db::maintain(&state.db).await {
                tracing::warn!(error = %e, "database upkeep failed (ANALYZE; on PostgreSQL VACUUM (ANALYZE))");
            }
            // Uploaded files are kept a week at most for switching sheet or header row.
            if let Err(e) = app::backend::services::import_setup::forget_old_sources(&state.db, 7).await {
                tracing::warn!(error = %e, "could not forget old uploads");
            }
            // 督办 of the construction plans: overdue milestones open their problem entry.
            let today = chrono::Utc::now().with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
            if let Err(e) = app::backend::services::plan_escalation::escalate(&state.db, None, today).await {
                tracing::warn!(error = %e, "overdue milestones could not be escalated");
            }
            analyzed = Some(tokio::time::Instant::now());
        }
        let now = chrono::Utc::now();
        if state.settings.scheduled_mail {
            if let Err(e) = reminders::run(&state.db, &state.settings, now).await {
                tracing::error!(error = %e, "scheduled mail failed");
            }
            if let Err(e) = weekly_mail::run(&state.db, &state.settings, now).await {
                tracing::error!(error = %e, "weekly mail failed");
            }
        }
        // Drain what is due, a batch at a time.
        loop {
            match worker::run_once(&state.db, &state.settings, stopping).await {
                Ok(0) => break,
                Ok(_) => continue,
                Err(e) => {
                    tracing::error!(error = %e, "mail delivery pass failed");
                    break;
                }
            }
        }
    }
}
