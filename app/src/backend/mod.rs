//! Server-only code: database, services, sessions. Never compiled into the browser bundle.

pub mod context;
pub mod db;
pub mod entities;
pub mod regions;
pub mod services;

use sea_orm::DatabaseConnection;
use std::sync::Arc;

/// Knobs the office may turn (from config).
#[derive(Clone, Debug)]
pub struct Settings {
    /// A session ends after this long without a request.
    pub session_idle: chrono::Duration,
    /// …and at the latest this long after login.
    pub session_max: chrono::Duration,
    /// Failed logins allowed per account within `login_window`.
    pub login_max_failures_per_user: u64,
    /// Failed logins allowed per IP within `login_window`.
    pub login_max_failures_per_ip: u64,
    pub login_window: chrono::Duration,
    /// Mark cookies `Secure` (behind HTTPS).
    pub secure_cookies: bool,
    /// A lead with no activity for this many days is marked stale on the board.
    pub stale_days: i64,
    /// 重大项目 threshold for planned investment, 万元 (1 亿元).
    pub major_project_wan: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            session_idle: chrono::Duration::hours(8),
            session_max: chrono::Duration::days(7),
            login_max_failures_per_user: 5,
            login_max_failures_per_ip: 20,
            login_window: chrono::Duration::minutes(15),
            secure_cookies: false,
            stale_days: 14,
            major_project_wan: 10_000.0,
        }
    }
}

/// What every request handler and server function can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
}

/// Asia/Shanghai `YYYY-MM-DD HH:MM`, the way the office reads times.
pub fn local_time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.with_timezone(&chrono_tz::Asia::Shanghai).format("%Y-%m-%d %H:%M").to_string()
}
