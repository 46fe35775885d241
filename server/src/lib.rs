//! The `lianzhao` binary's wiring: configuration, the HTTP router, the CLI. No business logic:
//! that lives in `app::backend::services`.
// The page views' types are deep (Leptos builds one type per view tree); the release build's
// layout queries need more than the default 128 levels for them.
#![recursion_limit = "256"]

pub mod api_v1;
pub mod assets;
pub mod attachments;
pub mod backup;
pub mod bench;
pub mod cli;
pub mod cli_import;
pub mod config;
pub mod downloads;
pub mod jobs;
pub mod security;
pub mod service_worker;
pub mod uploads;
pub mod web;

use app::backend::AppState;

/// Opens (and migrates) the database and builds the app state.
pub async fn state(config: &config::Config) -> anyhow::Result<AppState> {
    let db = app::backend::db::connect_and_migrate(&config.database_url).await?;
    if let Some(wan) = config.settings.legacy_major_project_wan {
        app::backend::services::score_settings::adopt_major_threshold(&db, wan).await?;
    }
    Ok(AppState::new(db, config.settings.clone()))
}

/// What a start counts before the first reader asks, in the background: the leaders' dashboard
/// in the default language (zh-CN). At 100,000 leads its first count takes about 1.7 s on 2
/// cores, which every leader opening it after a start would otherwise wait for; later counts run
/// behind the shown one (`services::dashboard::cached`). A background task like the jobs: a stop
/// ends it where it is (it only reads). Returns the task (it logs its errors).
pub fn count_ahead(state: &AppState) -> tokio::task::JoinHandle<()> {
    let state = state.clone();
    let background = state.background.clone();
    background.tasks.spawn(async move {
        tokio::select! {
            _ = state.background.stopping.cancelled() => {}
            _ = state.dashboard.count_ahead(&state.db, app::i18n::Locale::default()) => {}
        }
    })
}

/// Serves until Ctrl-C or SIGTERM (what `systemctl stop` and `docker stop` send): requests in
/// flight finish first, then the background work within `config.stop_grace` (an import still
/// running after it rolls back; unsent mail is handed back to the queue). Returns once all of it
/// has stopped.
pub async fn serve(config: config::Config, state: AppState) -> anyhow::Result<()> {
    // Held while serving: `lianzhao restore` refuses to replace the file under a running app.
    let _serving = match app::backend::db::sqlite_file(&config.database_url) {
        Some(file) => Some(backup::hold(&file, false)?),
        None => None,
    };
    let options = web::leptos_options(&config.site_root, config.site_addr);
    jobs::spawn(state.clone());
    let background = state.background.clone();
    let backups = match (&config.backup_dir, app::backend::db::sqlite_file(&config.database_url)) {
        (Some(dir), Some(_)) => Some(backup::spawn_daily(state.db.clone(), dir.clone(), config.backup_keep)),
        (Some(_), None) => {
            tracing::warn!("LZ_BACKUP_DIR is for SQLite; back up PostgreSQL with pg_dump (README, Backups)");
            None
        }
        _ => None,
    };
    if state.settings.mail.smtp.is_none() {
        // Said once here; each message written is logged at debug level.
        tracing::info!(
            "no SMTP server configured (LZ_SMTP_HOST): mail is written to {} as .eml files",
            state.settings.mail.outbox_dir.display()
        );
    }
    count_ahead(&state);
    let router = web::router(state, options);
    let listener = tokio::net::TcpListener::bind(config.site_addr).await?;
    let addr = listener.local_addr()?;
    // Listening for the stop before saying "running": a stop sent at once is not lost.
    let stop = stop_signal();
    tracing::info!("listening on http://{addr}");
    println!("链招 Lianzhao is running at http://{addr}");
    axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(stop)
        .await?;
    if let Some(backups) = backups {
        backups.abort();
    }
    if background.stop(config.stop_grace).await {
        tracing::info!("stopped: background work finished");
    }
    Ok(())
}

/// Ctrl-C, or SIGTERM on Unix (systemctl stop). SIGTERM's handler is registered when this is
/// called, not when the future is first polled: the server says it is running only after that,
/// so a stop sent the moment it is up ends it cleanly instead of killing it.
fn stop_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    async move {
        let terminate = async {
            #[cfg(unix)]
            if let Some(term) = term.as_mut() {
                term.recv().await;
                return;
            }
            std::future::pending::<()>().await
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = terminate => {}
        }
        tracing::info!("stopping: finishing the requests in flight");
    }
}
