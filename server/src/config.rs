//! Configuration: defaults, then an optional `lianzhao.toml`, then environment variables.

use anyhow::Context;
use app::backend::{MailSettings, Settings, SmtpSecurity, SmtpSettings};
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::Path;

#[derive(Clone, Debug)]
pub struct Config {
    /// `DATABASE_URL`: `sqlite://data/lianzhao.db?mode=rwc` (default) or `postgres://…`.
    pub database_url: String,
    /// `LEPTOS_SITE_ADDR`: where to listen (default `127.0.0.1:3000`).
    pub site_addr: SocketAddr,
    /// `LEPTOS_SITE_ROOT`: the built site (wasm, JS, CSS), default `target/site`.
    pub site_root: String,
    /// `LZ_BACKUP_DIR`: where the running app writes a daily SQLite backup (unset: none).
    pub backup_dir: Option<std::path::PathBuf>,
    /// `LZ_BACKUP_KEEP`: how many daily backups to keep (default 14).
    pub backup_keep: usize,
    /// `LZ_STOP_GRACE_SECS`: on SIGTERM, how long a running import (and the mail being sent) may
    /// take to finish before it is rolled back (default 30; systemd waits 90 s, set docker's
    /// `stop_grace_period` above it).
    pub stop_grace: std::time::Duration,
    pub settings: Settings,
}

/// The file form; every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    database_url: Option<String>,
    site_addr: Option<String>,
    site_root: Option<String>,
    session_idle_minutes: Option<i64>,
    session_max_days: Option<i64>,
    login_max_failures_per_user: Option<u64>,
    login_max_failures_per_ip: Option<u64>,
    login_window_minutes: Option<i64>,
    secure_cookies: Option<bool>,
    client_ip_source: Option<String>,
    request_timeout_secs: Option<u64>,
    stale_days: Option<i64>,
    major_project_wan: Option<f64>,
    smtp_host: Option<String>,
    smtp_port: Option<u16>,
    smtp_security: Option<String>,
    smtp_user: Option<String>,
    smtp_password: Option<String>,
    mail_from: Option<String>,
    outbox_dir: Option<String>,
    attachments_dir: Option<String>,
    mail_retry_secs: Option<i64>,
    mail_max_attempts: Option<i32>,
    mail_coalesce_secs: Option<i64>,
    mail_lease_secs: Option<i64>,
    reminder_hour: Option<u32>,
    job_interval_ms: Option<u64>,
    import_lease_secs: Option<u64>,
    public_url: Option<String>,
    scheduled_mail: Option<bool>,
    weekly_mail_weekday: Option<u32>,
    weekly_mail_hour: Option<u32>,
    quarter_weights: Option<String>,
    fulfilment_warn_pct: Option<f64>,
    import_max_mb: Option<usize>,
    import_max_rows: Option<usize>,
    import_max_unzipped_mb: Option<u64>,
    backup_dir: Option<String>,
    backup_keep: Option<usize>,
    stop_grace_secs: Option<u64>,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn env_parse<T: std::str::FromStr>(name: &str) -> anyhow::Result<Option<T>>
where
    T::Err: std::fmt::Display,
{
    env(name).map(|v| v.parse::<T>().map_err(|e| anyhow::anyhow!("{name}={v}: {e}"))).transpose()
}

impl Config {
    /// Reads `path` if given (an error if it is missing), else `lianzhao.toml` if present.
    pub fn load(path: Option<&Path>) -> anyhow::Result<Config> {
        let file: FileConfig = match path {
            Some(p) => {
                let text = std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
                toml::from_str(&text).with_context(|| format!("parsing {}", p.display()))?
            }
            None if Path::new("lianzhao.toml").exists() => {
                let text = std::fs::read_to_string("lianzhao.toml")?;
                toml::from_str(&text).context("parsing lianzhao.toml")?
            }
            None => FileConfig::default(),
        };
        let defaults = Settings::default();
        let minutes = chrono::Duration::minutes;
        let public_url = env("LZ_PUBLIC_URL")
            .or(file.public_url.clone())
            .map(|u| u.trim_end_matches('/').to_string())
            .unwrap_or_else(|| {
                format!("http://{}", env("LEPTOS_SITE_ADDR").unwrap_or_else(|| "127.0.0.1:3000".into()))
            });
        let settings = Settings {
            session_idle: env_parse("LZ_SESSION_IDLE_MINUTES")?
                .or(file.session_idle_minutes)
                .map(minutes)
                .unwrap_or(defaults.session_idle),
            session_max: env_parse("LZ_SESSION_MAX_DAYS")?
                .or(file.session_max_days)
                .map(chrono::Duration::days)
                .unwrap_or(defaults.session_max),
            login_max_failures_per_user: env_parse("LZ_LOGIN_MAX_FAILURES_PER_USER")?
                .or(file.login_max_failures_per_user)
                .unwrap_or(defaults.login_max_failures_per_user),
            login_max_failures_per_ip: env_parse("LZ_LOGIN_MAX_FAILURES_PER_IP")?
                .or(file.login_max_failures_per_ip)
                .unwrap_or(defaults.login_max_failures_per_ip),
            login_window: env_parse("LZ_LOGIN_WINDOW_MINUTES")?
                .or(file.login_window_minutes)
                .map(minutes)
                .unwrap_or(defaults.login_window),
            secure_cookies: env_parse("LZ_SECURE_COOKIES")?
                .or(file.secure_cookies)
                .unwrap_or_else(|| served_over_https(&public_url)),
            client_ip_source: {
                let source = env("LZ_CLIENT_IP_SOURCE")
                    .or(file.client_ip_source.clone())
                    .unwrap_or(defaults.client_ip_source.clone());
                source
                    .parse::<axum_client_ip::ClientIpSource>()
                    .map_err(|e| anyhow::anyhow!("LZ_CLIENT_IP_SOURCE: {e}"))?;
                source
            },
            request_timeout: env_parse("LZ_REQUEST_TIMEOUT_SECS")?
                .or(file.request_timeout_secs)
                .map(std::time::Duration::from_secs)
                .unwrap_or(defaults.request_timeout),
            stale_days: env_parse("LZ_STALE_DAYS")?.or(file.stale_days).unwrap_or(defaults.stale_days).max(1),
            legacy_major_project_wan: {
                let wan: Option<f64> = env_parse("LZ_MAJOR_PROJECT_WAN")?.or(file.major_project_wan);
                if let Some(w) = wan {
                    anyhow::ensure!(
                        w.is_finite() && w > 0.0,
                        "LZ_MAJOR_PROJECT_WAN must be a positive number of 万元, not {w}"
                    );
                }
                wan
            },
            mail: mail_settings(&file, &defaults.mail)?,
            reminder_hour: {
                let h = env_parse("LZ_REMINDER_HOUR")?.or(file.reminder_hour).unwrap_or(defaults.reminder_hour);
                anyhow::ensure!(h < 24, "LZ_REMINDER_HOUR must be 0–23, not {h}");
                h
            },
            job_interval: env_parse("LZ_JOB_INTERVAL_MS")?
                .or(file.job_interval_ms)
                .map(std::time::Duration::from_millis)
                .unwrap_or(defaults.job_interval),
            import_lease: match env_parse::<u64>("LZ_IMPORT_LEASE_SECS")?.or(file.import_lease_secs) {
                None => defaults.import_lease,
                Some(secs) => {
                    // Below a second every import would be taken back by the next look; above a
                    // day an import cut off would wait that long.
                    anyhow::ensure!((1..=86_400).contains(&secs), "LZ_IMPORT_LEASE_SECS must be 1–86400, not {secs}");
                    std::time::Duration::from_secs(secs)
                }
            },
            public_url: public_url.clone(),
            scheduled_mail: env_parse("LZ_SCHEDULED_MAIL")?.or(file.scheduled_mail).unwrap_or(true),
            weekly_mail_weekday: match env_parse::<u32>("LZ_WEEKLY_WEEKDAY")?.or(file.weekly_mail_weekday) {
                None => defaults.weekly_mail_weekday,
                Some(n @ 1..=7) => chrono::Weekday::try_from((n - 1) as u8)?,
                Some(n) => anyhow::bail!("LZ_WEEKLY_WEEKDAY must be 1 (Monday) to 7 (Sunday), not {n}"),
            },
            weekly_mail_hour: {
                let h = env_parse("LZ_WEEKLY_HOUR")?.or(file.weekly_mail_hour).unwrap_or(defaults.weekly_mail_hour);
                anyhow::ensure!(h < 24, "LZ_WEEKLY_HOUR must be 0–23, not {h}");
                h
            },
            quarter_weights: match env("LZ_QUARTER_WEIGHTS").or(file.quarter_weights.clone()) {
                None => defaults.quarter_weights,
                Some(text) => parse_weights(&text)?,
            },
            fulfilment_warn_pct: env_parse("LZ_FULFILMENT_WARN_PCT")?
                .or(file.fulfilment_warn_pct)
                .unwrap_or(defaults.fulfilment_warn_pct),
            import_limits: app::domain::sheet::Limits {
                max_bytes: env_parse::<usize>("LZ_IMPORT_MAX_MB")?
                    .or(file.import_max_mb)
                    .map(|mb| mb << 20)
                    .unwrap_or(defaults.import_limits.max_bytes),
                max_rows: env_parse("LZ_IMPORT_MAX_ROWS")?
                    .or(file.import_max_rows)
                    .unwrap_or(defaults.import_limits.max_rows),
                max_uncompressed: env_parse::<u64>("LZ_IMPORT_MAX_UNZIPPED_MB")?
                    .or(file.import_max_unzipped_mb)
                    .map(|mb| mb << 20)
                    .unwrap_or(defaults.import_limits.max_uncompressed),
                max_entries: defaults.import_limits.max_entries,
            },
            attachments_dir: env("LZ_ATTACHMENTS_DIR")
                .or(file.attachments_dir.clone())
                .map(Into::into)
                .unwrap_or(defaults.attachments_dir.clone()),
        };
        let site_addr = env("LEPTOS_SITE_ADDR").or(file.site_addr).unwrap_or_else(|| "127.0.0.1:3000".into());
        Ok(Config {
            database_url: env("DATABASE_URL")
                .or(file.database_url)
                .unwrap_or_else(|| app::backend::db::DEFAULT_DATABASE_URL.to_string()),
            site_addr: site_addr.parse().with_context(|| format!("bad listen address {site_addr}"))?,
            site_root: env("LEPTOS_SITE_ROOT").or(file.site_root).unwrap_or_else(|| "target/site".into()),
            backup_dir: env("LZ_BACKUP_DIR").or(file.backup_dir).filter(|d| !d.trim().is_empty()).map(Into::into),
            backup_keep: env_parse("LZ_BACKUP_KEEP")?.or(file.backup_keep).unwrap_or(14).max(1),
            stop_grace: std::time::Duration::from_secs(
                env_parse("LZ_STOP_GRACE_SECS")?.or(file.stop_grace_secs).unwrap_or(30),
            ),
            settings,
        })
    }
}

/// "30,30,15,10,15": weights of signed projects, contracted investment, 重大项目, new leads, visits.
fn parse_weights(text: &str) -> anyhow::Result<[f64; 5]> {
    let parts: Vec<f64> = text.split(',').map(|p| p.trim().parse::<f64>()).collect::<Result<_, _>>()?;
    let weights: [f64; 5] =
        parts.try_into().map_err(|_| anyhow::anyhow!("LZ_QUARTER_WEIGHTS needs five numbers, e.g. 30,30,15,10,15"))?;
    anyhow::ensure!(
        weights.iter().all(|w| *w >= 0.0) && weights.iter().sum::<f64>() > 0.0,
        "LZ_QUARTER_WEIGHTS: not negative, not all zero"
    );
    Ok(weights)
}

fn mail_settings(file: &FileConfig, defaults: &MailSettings) -> anyhow::Result<MailSettings> {
    let host = env("LZ_SMTP_HOST").or(file.smtp_host.clone());
    let security = match env("LZ_SMTP_SECURITY").or(file.smtp_security.clone()).as_deref().map(str::trim) {
        None | Some("starttls") => SmtpSecurity::StartTls,
        Some("tls") => SmtpSecurity::Tls,
        Some("none") => SmtpSecurity::None,
        Some(other) => anyhow::bail!("LZ_SMTP_SECURITY must be starttls, tls or none, not {other}"),
    };
    let default_port = match security {
        SmtpSecurity::Tls => 465,
        SmtpSecurity::StartTls => 587,
        SmtpSecurity::None => 25,
    };
    let smtp = match host {
        Some(host) => Some(SmtpSettings {
            host,
            port: env_parse("LZ_SMTP_PORT")?.or(file.smtp_port).unwrap_or(default_port),
            security,
            username: env("LZ_SMTP_USER").or(file.smtp_user.clone()),
            password: env("LZ_SMTP_PASSWORD").or(file.smtp_password.clone()),
        }),
        None => None,
    };
    Ok(MailSettings {
        smtp,
        from: env("LZ_MAIL_FROM").or(file.mail_from.clone()).unwrap_or_else(|| defaults.from.clone()),
        outbox_dir: env("LZ_OUTBOX_DIR")
            .or(file.outbox_dir.clone())
            .map(Into::into)
            .unwrap_or(defaults.outbox_dir.clone()),
        retry_base_secs: env_parse("LZ_MAIL_RETRY_SECS")?
            .or(file.mail_retry_secs)
            .unwrap_or(defaults.retry_base_secs)
            .max(1),
        max_attempts: env_parse("LZ_MAIL_MAX_ATTEMPTS")?
            .or(file.mail_max_attempts)
            .unwrap_or(defaults.max_attempts)
            .max(1),
        coalesce_secs: env_parse("LZ_MAIL_COALESCE_SECS")?
            .or(file.mail_coalesce_secs)
            .unwrap_or(defaults.coalesce_secs)
            .max(0),
        lease_secs: match env_parse::<i64>("LZ_MAIL_LEASE_SECS")?.or(file.mail_lease_secs) {
            None => defaults.lease_secs,
            // Under a second a slow send would be claimed again by the next pass; over an hour
            // mail cut off by a crash would wait that long.
            Some(secs @ 1..=3_600) => secs,
            Some(secs) => anyhow::bail!("LZ_MAIL_LEASE_SECS (mail_lease_secs) must be 1–3600, not {secs}"),
        },
    })
}

/// The text `--help` prints after the commands.
pub const ENV_HELP: &str = "\
Configuration (environment variables override lianzhao.toml, which overrides the defaults):
  DATABASE_URL                    sqlite://data/lianzhao.db?mode=rwc (default) or postgres://user:pw@host/db
  LEPTOS_SITE_ADDR                listen address, default 127.0.0.1:3000
  LEPTOS_SITE_ROOT                built site (pkg/ with wasm, JS, CSS), default target/site
  LZ_SESSION_IDLE_MINUTES         sign out after this much inactivity, default 480
  LZ_SESSION_MAX_DAYS             sign out this long after login at the latest, default 7
  LZ_LOGIN_MAX_FAILURES_PER_USER  failed logins per account per window before a pause, default 5
  LZ_LOGIN_MAX_FAILURES_PER_IP    failed logins per IP per window before a pause, default 20
  LZ_LOGIN_WINDOW_MINUTES         the throttling window, default 15
  LZ_SECURE_COOKIES               true behind HTTPS
  LZ_STALE_DAYS                   days without activity before a lead is marked stale, default 14
  LZ_MAJOR_PROJECT_WAN            old home of the 重大项目 threshold (万元): adopted into 评分设置
                                  once, while no admin has edited it there
  LZ_SMTP_HOST                    SMTP server; unset: mail is written to LZ_OUTBOX_DIR as .eml files
  LZ_SMTP_PORT                    default 587 (starttls), 465 (tls), 25 (none)
  LZ_SMTP_SECURITY                starttls (default), tls or none
  LZ_SMTP_USER, LZ_SMTP_PASSWORD  SMTP login, if the server wants one
  LZ_MAIL_FROM                    sender, default 链招 Lianzhao <noreply@lianzhao.local>
  LZ_OUTBOX_DIR                   where unsent mail goes without SMTP, default data/outbox
  LZ_ATTACHMENTS_DIR              where visit photos and voice notes are kept, default data/attachments
  LZ_MAIL_RETRY_SECS              first retry after a failed send, doubling each time, default 60
  LZ_MAIL_MAX_ATTEMPTS            attempts before a message is marked failed, default 8
  LZ_MAIL_COALESCE_SECS           a trip change waits this long for further changes, default 120
  LZ_MAIL_LEASE_SECS              mail claimed by a delivery cut off (kill -9) goes out once this is over (a send
                                  gives up after half of it, at most 30 s), default 120
  LZ_REMINDER_HOUR                local hour for visit reminders and overdue digests, default 17
  LZ_JOB_INTERVAL_MS              how often background jobs look for work, default 15000
  LZ_PUBLIC_URL                   the app's address in mail and calendar links, default http://LEPTOS_SITE_ADDR
  LZ_SCHEDULED_MAIL               false: no reminders, digests or weekly packs (other mail still goes)
  LZ_WEEKLY_WEEKDAY, LZ_WEEKLY_HOUR  when last week's 周调度 pack is mailed, default 1 (Monday) and 8
  LZ_QUARTER_WEIGHTS              季考核 weights: signed, contracted, 重大项目, new leads, visits; default 30,30,15,10,15
  LZ_FULFILMENT_WARN_PCT          承诺履约 warning below this percentage of the commitment, default 80
  LZ_IMPORT_MAX_MB                largest spreadsheet accepted for import, default 30
  LZ_IMPORT_MAX_ROWS              most rows in one import, default 100000
  LZ_IMPORT_MAX_UNZIPPED_MB       most an .xlsx may inflate to (zip bombs are refused), default 300
  LZ_BACKUP_DIR                   SQLite: write a backup here once a day (lianzhao-YYYYmmdd-HHMM.db)
  LZ_BACKUP_KEEP                  how many daily backups to keep, default 14
  LZ_STOP_GRACE_SECS              on SIGTERM, how long a running import may take to finish before it rolls back, default 30
  LZ_IMPORT_LEASE_SECS            an import cut off (kill -9) is undone once its lease, renewed by each part, is this old; default 60
The same keys in lower case (database_url, site_addr, site_root, session_idle_minutes, …) may be
set in lianzhao.toml in the working directory, or in the file given with --config.";

/// Whether the public URL is https (then cookies are `Secure` unless configured otherwise).
fn served_over_https(public_url: &str) -> bool {
    public_url.trim().get(..8).is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_secure_by_default_behind_https() {
        assert!(served_over_https("https://zs.example.gov.cn"));
        assert!(served_over_https("HTTPS://ZS.EXAMPLE.GOV.CN/"));
        assert!(!served_over_https("http://127.0.0.1:3000"));
        assert!(!served_over_https("htt"));
        // Through the file form too (no LZ_SECURE_COOKIES / LZ_PUBLIC_URL in the test's environment).
        let dir = std::env::temp_dir().join(format!("lz-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("lianzhao.toml");
        std::fs::write(&file, "public_url = \"https://zs.example.gov.cn\"\n").unwrap();
        if std::env::var("LZ_SECURE_COOKIES").is_err() && std::env::var("LZ_PUBLIC_URL").is_err() {
            assert!(Config::load(Some(&file)).unwrap().settings.secure_cookies);
        }
        std::fs::write(&file, "public_url = \"http://10.0.0.5:3000\"\n").unwrap();
        if std::env::var("LZ_SECURE_COOKIES").is_err() && std::env::var("LZ_PUBLIC_URL").is_err() {
            assert!(!Config::load(Some(&file)).unwrap().settings.secure_cookies);
        }
    }
}
