//! Server-only code: database, services, sessions. Never compiled into the browser bundle.

pub mod activity;
pub mod background;
pub mod boundaries;
pub mod context;
pub mod csp;
pub mod db;
pub mod denials;
pub mod entities;
pub mod flash;
pub mod last_seen;
pub mod mail;
pub mod memory;
pub mod regions;
pub mod services;
pub mod sqlite_busy;

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
    /// Mark cookies `Secure` (behind HTTPS; on by default when `public_url` is https).
    pub secure_cookies: bool,
    /// Where the client's address comes from: `ConnectInfo` (the peer, default) or, behind a
    /// reverse proxy, the header it sets (`RightmostXForwardedFor`, `XRealIp`, …; names of
    /// axum-client-ip's `ClientIpSource`). Login throttling keys on this address.
    pub client_ip_source: String,
    /// A request still running after this long is answered 408.
    pub request_timeout: std::time::Duration,
    /// A lead with no activity for this many days is marked stale on the board.
    pub stale_days: i64,
    /// `LZ_MAJOR_PROJECT_WAN` (万元), from before the 重大项目 threshold moved into the score
    /// configuration (评分设置, edited by admins): adopted at start while no admin has edited
    /// that configuration, ignored with a warning after. See `score_settings::adopt_major_threshold`.
    pub legacy_major_project_wan: Option<f64>,
    pub mail: MailSettings,
    /// Local hour (Asia/Shanghai) after which tomorrow's visit reminders and the overdue
    /// follow-up digest go out.
    pub reminder_hour: u32,
    /// How often the background jobs (mail queue, reminders) look for work.
    pub job_interval: std::time::Duration,
    /// How long an import being committed holds its batch without renewing it (each part of
    /// the commit renews it). A running batch whose lease ran out was cut off (`kill -9`, a
    /// power cut) and is undone by the jobs (`import_recovery::recover`).
    pub import_lease: std::time::Duration,
    /// The address users reach the app at, for links in mail and the calendar feed URL.
    pub public_url: String,
    /// Whether the scheduled mail (reminders, digests, the weekly pack) is sent at all.
    pub scheduled_mail: bool,
    /// 周调度 mail: the weekday (Monday) and local hour after which last week's pack goes out.
    pub weekly_mail_weekday: chrono::Weekday,
    pub weekly_mail_hour: u32,
    /// 季考核 weights of: signed projects, contracted investment, 重大项目, new leads, visits.
    pub quarter_weights: [f64; 5],
    /// 承诺履约: below this percentage of the commitment a project is flagged.
    pub fulfilment_warn_pct: f64,
    /// 导入: the largest file, most rows, and what an xlsx may inflate to.
    pub import_limits: crate::domain::sheet::Limits,
    /// Where photos and voice notes are kept (by SHA-256; back it up with the database).
    pub attachments_dir: std::path::PathBuf,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// Plain SMTP (a relay on the local network).
    None,
    /// STARTTLS on a plain connection (usually port 587).
    StartTls,
    /// TLS from the start (usually port 465).
    Tls,
}

#[derive(Clone, Debug)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub password: Option<String>,
}

#[derive(Clone, Debug)]
pub struct MailSettings {
    /// None: every message is written to `outbox_dir` as an `.eml` file instead.
    pub smtp: Option<SmtpSettings>,
    pub from: String,
    pub outbox_dir: std::path::PathBuf,
    /// The first retry waits this long, each next one twice as long (at most an hour).
    pub retry_base_secs: i64,
    /// After this many failed attempts a message is marked failed (the admin may retry it).
    pub max_attempts: i32,
    /// A trip change waits this long for more changes, so members get one mail, not ten.
    pub coalesce_secs: i64,
    /// How long a delivery pass holds the messages it claimed: longer than any one send may
    /// take (30 s SMTP timeout). Those of a pass cut off (`kill -9`) go out once it has run out.
    pub lease_secs: i64,
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            smtp: None,
            from: "链招 Lianzhao <noreply@lianzhao.local>".into(),
            outbox_dir: "data/outbox".into(),
            retry_base_secs: 60,
            max_attempts: 8,
            coalesce_secs: 120,
            lease_secs: 120,
        }
    }
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
            client_ip_source: "ConnectInfo".into(),
            request_timeout: std::time::Duration::from_secs(90),
            stale_days: 14,
            legacy_major_project_wan: None,
            mail: MailSettings::default(),
            reminder_hour: 17,
            job_interval: std::time::Duration::from_secs(15),
            import_lease: std::time::Duration::from_secs(60),
            public_url: "http://127.0.0.1:3000".into(),
            scheduled_mail: true,
            weekly_mail_weekday: chrono::Weekday::Mon,
            weekly_mail_hour: 8,
            quarter_weights: [30.0, 30.0, 15.0, 10.0, 15.0],
            fulfilment_warn_pct: 80.0,
            import_limits: crate::domain::sheet::Limits::default(),
            attachments_dir: "data/attachments".into(),
        }
    }
}

/// What every request handler and server function can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    /// Refused accesses, for the log and the admins' page.
    pub denials: Arc<denials::DenialLog>,
    /// Values plain form posts leave for the page they return to.
    pub flash: Arc<flash::Flash>,
    /// The work running beside the requests (jobs, imports) and how it stops.
    pub background: background::Background,
    /// The leaders' dashboard of the last minute.
    pub dashboard: services::dashboard::DashboardCache,
    /// The lead lists' counts that reached the cap lately.
    pub counts: services::list_count::CountCache,
    /// When sessions and API tokens were last used, until the flush writes it.
    pub last_seen: Arc<last_seen::LastSeen>,
    /// The imports' previews and the progress of the commits this app runs.
    pub imports: Arc<services::imports::ImportMemory>,
}

impl AppState {
    pub fn new(db: DatabaseConnection, settings: Settings) -> AppState {
        AppState {
            db,
            settings: Arc::new(settings),
            denials: Arc::default(),
            flash: Arc::default(),
            background: background::Background::default(),
            dashboard: services::dashboard::DashboardCache::default(),
            counts: services::list_count::CountCache::default(),
            last_seen: Arc::default(),
            imports: Arc::default(),
        }
    }
}

/// Asia/Shanghai `YYYY-MM-DD HH:MM`, the way the office reads times.
pub fn local_time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.with_timezone(&chrono_tz::Asia::Shanghai).format("%Y-%m-%d %H:%M").to_string()
}

/// Asia/Shanghai date and `HH:MM` of an instant.
pub fn local_date_time(t: chrono::DateTime<chrono::Utc>) -> (String, String) {
    let local = t.with_timezone(&chrono_tz::Asia::Shanghai);
    (local.format("%Y-%m-%d").to_string(), local.format("%H:%M").to_string())
}

/// The instant an Asia/Shanghai day begins.
pub fn local_day_start(d: chrono::NaiveDate) -> chrono::DateTime<chrono::Utc> {
    from_local(d.and_time(chrono::NaiveTime::MIN))
}

/// The instant of an Asia/Shanghai wall-clock time (no daylight saving there, so it is unique).
pub fn from_local(t: chrono::NaiveDateTime) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    chrono_tz::Asia::Shanghai
        .from_local_datetime(&t)
        .earliest()
        .map(|l| l.with_timezone(&chrono::Utc))
        .unwrap_or_else(|| chrono::DateTime::from_naive_utc_and_offset(t - chrono::Duration::hours(8), chrono::Utc))
}
