//! 备份与恢复 for the SQLite database. `lianzhao backup FILE` writes a consistent copy while the
//! app runs (`VACUUM INTO` reads in one transaction: every write committed before it is in,
//! nothing after; an import committing meanwhile, in parts, is taken back in the copy, so every
//! import batch is all in or all out); `lianzhao restore FILE` puts a
//! checked copy in place of the database of a stopped instance and keeps the old one beside it;
//! with `LZ_BACKUP_DIR` the running app writes one a day and keeps the newest `LZ_BACKUP_KEEP`.
//! PostgreSQL offices use pg_dump/pg_restore (README, "Backups").

use anyhow::{bail, ensure, Context};
use app::backend::db::{open_read_only, sqlite_file};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};
use std::time::Duration;

const PG_HINT: &str = "this is a PostgreSQL database: back it up with `pg_dump -Fc` and restore it with \
`pg_restore --clean` (README, Backups)";

/// The daily backups in `LZ_BACKUP_DIR` are named `lianzhao-20261201-0300.db` (Asia/Shanghai).
const DAILY_PREFIX: &str = "lianzhao-";

/// What a backup (or a database) holds, to tell two apart: row counts and a digest of every
/// lead's id, version and company name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contents {
    pub leads: i64,
    pub users: i64,
    pub activities: i64,
    /// FNV-1a over `id:version:company_name` of every lead, by id.
    pub lead_digest: u64,
}

/// `path` with `suffix` added to its file name (`x.db` → `x.db.partial`).
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// Holds the database's lock file (`NAME.lock`) for as long as the returned file lives: shared
/// for a serving app (several may serve one database), exclusive for a restore, so a restore
/// never replaces the file under a running app. The operating system drops the lock when the
/// process ends, however it ends.
/// Errors: the other kind of holder has it ("stop the app first"), or the file cannot be made.
pub fn hold(db_file: &Path, exclusive: bool) -> anyhow::Result<File> {
    let path = with_suffix(db_file, ".lock");
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    let locked = if exclusive { file.try_lock() } else { file.try_lock_shared() };
    match locked {
        Ok(()) => Ok(file),
        Err(TryLockError::WouldBlock) if exclusive => {
            bail!("the app is running on {}: stop it before restoring", db_file.display())
        }
        Err(TryLockError::WouldBlock) => {
            bail!("{} is being restored: start the app when that is done", db_file.display())
        }
        Err(TryLockError::Error(e)) => Err(e).with_context(|| format!("cannot lock {}", path.display())),
    }
}

/// Writes a consistent copy of the database to `file` (which must not exist yet), checks it
/// and returns what it holds. The copy is written as `FILE.partial` and renamed when complete,
/// so a copy cut off halfway never carries the final name.
/// Errors: a PostgreSQL database (use pg_dump), `file` exists, the disk is full, or the copy
/// fails its integrity check.
pub async fn backup(db: &DatabaseConnection, file: &Path) -> anyhow::Result<Contents> {
    ensure!(db.get_database_backend() == DbBackend::Sqlite, PG_HINT);
    ensure!(!file.exists(), "{} exists already: choose another name", file.display());
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let partial = with_suffix(file, ".partial");
    let _ = std::fs::remove_file(&partial);
    let target = partial.to_str().context("the backup's path is not valid UTF-8")?;
    db.execute(Statement::from_sql_and_values(DbBackend::Sqlite, "VACUUM INTO ?", [target.into()]))
        .await
        .with_context(|| format!("writing {}", partial.display()))?;
    settle(&partial).await?;
    let contents = check(&partial).await?;
    File::open(&partial)?.sync_all()?;
    std::fs::rename(&partial, file)?;
    Ok(contents)
}

/// An import commits in parts: one committing while the copy was read is in it halfway, and
/// will never finish there. Its parts are taken back in the copy, so a backup holds every
/// import whole or not at all.
async fn settle(copy: &Path) -> anyhow::Result<()> {
    let db = app::backend::db::open_copy(copy).await.with_context(|| format!("cannot open {}", copy.display()))?;
    let taken = app::backend::services::import_recovery::settle_copy(&db)
        .await
        .map_err(|e| anyhow::anyhow!("taking back an import cut off in the copy: {e}"))?;
    if taken > 0 {
        tracing::info!(batches = taken, "an import was committing while the backup was read: not in the backup");
    }
    db.close().await?;
    Ok(())
}

/// Opens `file` read-only and says what it holds, after SQLite's `PRAGMA integrity_check`
/// answers ok and the file proves to be a Lianzhao database (its migrations table).
/// Errors: not SQLite, damaged, or not this app's.
pub async fn check(file: &Path) -> anyhow::Result<Contents> {
    ensure!(file.is_file(), "{} is not a file", file.display());
    let db = open_read_only(file).await.with_context(|| format!("cannot open {} as SQLite", file.display()))?;
    let integrity = text(&db, "PRAGMA integrity_check")
        .await
        .with_context(|| format!("{} is damaged or not a SQLite database", file.display()))?;
    ensure!(integrity == "ok", "{} is damaged: {integrity}", file.display());
    let migrations = count(&db, "SELECT COUNT(*) FROM seaql_migrations").await;
    ensure!(matches!(migrations, Ok(n) if n > 0), "{} is not a Lianzhao database", file.display());
    let mut digest: u64 = 0xcbf2_9ce4_8422_2325;
    let rows = db
        .query_all(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT id || ':' || version || ':' || company_name FROM leads ORDER BY id",
        ))
        .await?;
    for row in &rows {
        let line: String = row.try_get_by_index(0)?;
        for byte in line.bytes().chain([b'\n']) {
            digest = (digest ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    let contents = Contents {
        leads: rows.len() as i64,
        users: count(&db, "SELECT COUNT(*) FROM users").await?,
        activities: count(&db, "SELECT COUNT(*) FROM activities").await?,
        lead_digest: digest,
    };
    db.close().await?;
    Ok(contents)
}

async fn text(db: &DatabaseConnection, sql: &str) -> anyhow::Result<String> {
    let row = db.query_one(Statement::from_string(DbBackend::Sqlite, sql)).await?.context("no answer")?;
    Ok(row.try_get_by_index(0)?)
}

async fn count(db: &DatabaseConnection, sql: &str) -> anyhow::Result<i64> {
    let row = db.query_one(Statement::from_string(DbBackend::Sqlite, sql)).await?.context("no answer")?;
    Ok(row.try_get_by_index(0)?)
}

/// What a restore did.
#[derive(Debug)]
pub struct Restored {
    pub contents: Contents,
    /// Where the database it replaced went (`NAME.before-restore-YYYYmmdd-HHMMSS`), if there was one.
    pub previous: Option<PathBuf>,
}

/// Puts backup `file` in place of the SQLite database of `database_url`, for an instance that
/// is stopped: the backup is checked first; the current database and its write-ahead log move
/// aside as `NAME.before-restore-…`; the copy is written as `NAME.restoring` and renamed into
/// place. The next start applies any migrations the backup predates.
/// Errors: a PostgreSQL URL, a running app on this database, a backup that fails [`check`].
pub async fn restore(database_url: &str, file: &Path) -> anyhow::Result<Restored> {
    let target = sqlite_file(database_url).context(PG_HINT)?;
    let _lock = hold(&target, true)?;
    let contents = check(file).await?;
    let incoming = with_suffix(&target, ".restoring");
    std::fs::copy(file, &incoming).with_context(|| format!("cannot write {}", incoming.display()))?;
    File::open(&incoming)?.sync_all()?;
    let previous = match target.exists() {
        true => {
            let stamp = chrono::Utc::now().with_timezone(&chrono_tz::Asia::Shanghai).format("%Y%m%d-%H%M%S");
            // Never over an earlier kept database (two restores in one second).
            let mut aside = with_suffix(&target, &format!(".before-restore-{stamp}"));
            let mut n = 1;
            while aside.exists() || with_suffix(&aside, "-wal").exists() {
                n += 1;
                aside = with_suffix(&target, &format!(".before-restore-{stamp}-{n}"));
            }
            std::fs::rename(&target, &aside)?;
            // The log and its index belong to the old file: they move with it (SQLite finds
            // them by name), so the kept database still holds every committed write.
            for companion in ["-wal", "-shm"] {
                let path = with_suffix(&target, companion);
                if path.exists() {
                    std::fs::rename(&path, with_suffix(&aside, companion))?;
                }
            }
            Some(aside)
        }
        false => None,
    };
    std::fs::rename(&incoming, &target)?;
    Ok(Restored { contents, previous })
}

/// The daily backup: every hour it looks at `dir`, and when its newest `lianzhao-….db` is a
/// day old (or there is none) writes a new one, then deletes all but the newest `keep`. Failures
/// are logged and tried again the next hour; the app goes on serving.
pub fn spawn_daily(db: DatabaseConnection, dir: PathBuf, keep: usize) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            match daily(&db, &dir, keep).await {
                Ok(Some(path)) => tracing::info!(file = %path.display(), "daily backup written"),
                Ok(None) => {}
                Err(e) => tracing::error!(error = format!("{e:#}"), dir = %dir.display(), "daily backup failed"),
            }
        }
    })
}

/// One look at the backup folder (see [`spawn_daily`]); the path written, if one was due.
async fn daily(db: &DatabaseConnection, dir: &Path, keep: usize) -> anyhow::Result<Option<PathBuf>> {
    let now = chrono::Utc::now().with_timezone(&chrono_tz::Asia::Shanghai);
    let name = format!("{DAILY_PREFIX}{}.db", now.format("%Y%m%d-%H%M"));
    let mut existing = daily_backups(dir)?;
    // What a backup cut off by a crash left (a new name each time, so nothing else removes it).
    for entry in std::fs::read_dir(dir)?.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if name.strip_suffix(".partial").is_some_and(is_daily_name) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    let yesterday = format!("{DAILY_PREFIX}{}.db", (now - chrono::Duration::hours(23)).format("%Y%m%d-%H%M"));
    let due = existing
        .last()
        .is_none_or(|newest| newest.file_name().and_then(|n| n.to_str()).is_some_and(|n| n < yesterday.as_str()));
    let written = match due {
        true => {
            let path = dir.join(&name);
            backup(db, &path).await?;
            existing.push(path.clone());
            Some(path)
        }
        false => None,
    };
    existing.sort();
    let surplus = existing.len().saturating_sub(keep.max(1));
    for old in &existing[..surplus] {
        std::fs::remove_file(old).with_context(|| format!("cannot delete {}", old.display()))?;
    }
    Ok(written)
}

/// Whether `name` is one the daily backup writes (`lianzhao-20261201-0300.db`): other files in
/// the folder (`lianzhao-升级前.db`, a copy made by hand) are neither counted nor deleted.
fn is_daily_name(name: &str) -> bool {
    name.strip_prefix(DAILY_PREFIX).and_then(|rest| rest.strip_suffix(".db")).is_some_and(|stamp| {
        stamp.len() == 13 && stamp.char_indices().all(|(i, c)| if i == 8 { c == '-' } else { c.is_ascii_digit() })
    })
}

/// The daily backups in `dir`, oldest first (their names sort by time).
fn daily_backups(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(is_daily_name))
        .collect();
    found.sort();
    Ok(found)
}
