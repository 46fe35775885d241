//! Configuration: defaults, then an optional `lianzhao.toml`, then environment variables.

use anyhow::Context;
use app::backend::Settings;
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
    stale_days: Option<i64>,
    major_project_wan: Option<f64>,
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
            secure_cookies: env_parse("LZ_SECURE_COOKIES")?.or(file.secure_cookies).unwrap_or(false),
            stale_days: env_parse("LZ_STALE_DAYS")?.or(file.stale_days).unwrap_or(defaults.stale_days).max(1),
            major_project_wan: env_parse("LZ_MAJOR_PROJECT_WAN")?
                .or(file.major_project_wan)
                .unwrap_or(defaults.major_project_wan),
        };
        let site_addr = env("LEPTOS_SITE_ADDR").or(file.site_addr).unwrap_or_else(|| "127.0.0.1:3000".into());
        Ok(Config {
            database_url: env("DATABASE_URL")
                .or(file.database_url)
                .unwrap_or_else(|| app::backend::db::DEFAULT_DATABASE_URL.to_string()),
            site_addr: site_addr.parse().with_context(|| format!("bad listen address {site_addr}"))?,
            site_root: env("LEPTOS_SITE_ROOT").or(file.site_root).unwrap_or_else(|| "target/site".into()),
            settings,
        })
    }
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
  LZ_MAJOR_PROJECT_WAN            planned investment (万元) that makes a 重大项目, default 10000
The same keys in lower case (database_url, site_addr, site_root, session_idle_minutes, …) may be
set in lianzhao.toml in the working directory, or in the file given with --config.";
