//! Opening the database: SQLite (default, WAL, busy timeout, foreign keys) or PostgreSQL.

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    SqlxSqliteConnector, TransactionTrait,
};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/lianzhao.db?mode=rwc";

/// Connects to `url` and runs every pending migration.
pub async fn connect_and_migrate(url: &str) -> Result<DatabaseConnection, DbErr> {
    let db = connect(url).await?;
    migrate(&db).await?;
    Ok(db)
}

/// Starts a transaction that will write, holding the one write lock until it ends, on both
/// databases: what it reads is not changed by another transaction begun here before it commits
/// (a rescore's page reads a lead's facts and the chains' coverage and writes the score computed
/// from them; a save meanwhile would be overwritten with a score of its old facts).
/// - SQLite takes its write lock at once (what `BEGIN IMMEDIATE` does): in a deferred
///   transaction the first write could find the connection already holding a read snapshot, and
///   SQLite then answers "database is locked" at once instead of waiting out the busy timeout
///   (16 concurrent lead saves failed 7 times out of 400 before).
/// - PostgreSQL (read committed, row locks only) takes the transaction-level advisory lock
///   [`WRITE_LOCK_KEY`], waited for in turn, also across app instances; nested (a savepoint in a
///   transaction begun here) it is already held.
pub async fn begin_write<C: ConnectionTrait + TransactionTrait>(db: &C) -> Result<DatabaseTransaction, DbErr> {
    let txn = db.begin().await?;
    match txn.get_database_backend() {
        // Matches no row, changes nothing, but holds the write lock until commit.
        DbBackend::Sqlite => {
            txn.execute_unprepared("UPDATE users SET id = id WHERE 0").await?;
        }
        DbBackend::Postgres => {
            txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")).await?;
        }
        DbBackend::MySql => {}
    }
    Ok(txn)
}

/// The PostgreSQL advisory lock [`begin_write`] takes ("LZWR" in ASCII).
pub const WRITE_LOCK_KEY: i64 = 0x4c5a_5752;

/// Between two write transactions of a long writer (an import's parts, a rescore's pages) that
/// held the lock for `held`: on SQLite, leaves the write lock (and the machine) free for the
/// saves and readers waiting ([`super::sqlite_busy::hand_over`]: half of `held`, 5–110 ms,
/// longer while this process's connections still find it taken); on PostgreSQL (row locks,
/// queued fairly) nothing.
pub async fn yield_write_lock(backend: DbBackend, held: std::time::Duration) {
    if backend == DbBackend::Sqlite {
        super::sqlite_busy::hand_over(held).await;
    }
}

/// How many rows a long writer (an import's parts, a rescore's pages) takes in its next write
/// transaction after one of `last` rows that held the lock for `held`, `base` being its size when
/// others are about: on SQLite larger while nobody else writes
/// ([`super::sqlite_busy::next_bite`]: up to 4 × `base`, holding the lock up to about 1 s); on
/// PostgreSQL always `base`.
pub fn next_write_size(backend: DbBackend, base: usize, last: usize, held: std::time::Duration) -> usize {
    match backend {
        DbBackend::Sqlite => super::sqlite_busy::next_bite(base, last, held),
        _ => base,
    }
}

/// Refreshes the query planner's statistics (`ANALYZE`; on SQLite 2.3 s at 300,000 leads, measured
/// with the sqlite3 shell on the bench's database).
/// Without them SQLite cannot tell a selective filter from one that matches a quarter of the
/// leads, and sorts whole lists instead of walking the sort's index. Run after an import; at
/// start-up and hourly through [`maintain`].
pub async fn analyze(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    db.execute_unprepared("ANALYZE").await?;
    Ok(())
}

/// The database's upkeep, at start-up and hourly (and after `make bench`'s fill): [`analyze`] on
/// SQLite; on PostgreSQL `VACUUM (ANALYZE)`, which also marks the pages whose rows every
/// transaction sees (the visibility map: a list's count read from an index alone) and clears the
/// old row versions a rescore leaves, before autovacuum would (after the bench's fill it ran
/// through the list measurements). 1.3–1.7 s at 200,000 leads, 79 ms on an empty database; it
/// blocks no reads or writes (a plain VACUUM, not FULL). Not after an import: there it took the
/// commit of 100,000 rows from 16.8 to 26.8 s, and autovacuum follows an import by itself.
/// Must not run in a transaction: `db` is the pool.
pub async fn maintain(db: &DatabaseConnection) -> Result<(), DbErr> {
    match db.get_database_backend() {
        DbBackend::Postgres => {
            db.execute_unprepared("VACUUM (ANALYZE)").await?;
            Ok(())
        }
        _ => analyze(db).await,
    }
}

/// Runs the pending migrations, then fills what only the application can compute.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    use migration::MigratorTrait;
    migration::Migrator::up(db, None).await?;
    fold_names(db).await
}

/// Leads whose `name_fold` is not yet filled (those from before the fold existed) get it, and
/// their stored name and duplicate key by the same rules (invisible characters removed). In
/// chunks of 1,000; when there is nothing to do, one query that finds nothing.
async fn fold_names(db: &DatabaseConnection) -> Result<(), DbErr> {
    use super::entities::lead;
    use crate::domain::names::{clean_company_name, fold_company_name, normalise_company_name};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, TransactionTrait};
    loop {
        let todo: Vec<(i64, String)> = lead::Entity::find()
            .select_only()
            .columns([lead::Column::Id, lead::Column::CompanyName])
            .filter(lead::Column::NameFold.eq(""))
            .filter(lead::Column::CompanyName.ne(""))
            .limit(1_000)
            .into_tuple()
            .all(db)
            .await?;
        if todo.is_empty() {
            return Ok(());
        }
        let txn = db.begin().await?;
        for (id, name) in todo {
            let clean = clean_company_name(&name);
            // A name of invisible characters only keeps a fold that is not empty.
            let fold = Some(fold_company_name(&clean)).filter(|f| !f.is_empty()).unwrap_or_else(|| "-".into());
            lead::Entity::update_many()
                .col_expr(lead::Column::NameFold, sea_orm::sea_query::Expr::value(fold))
                .col_expr(lead::Column::NameKey, sea_orm::sea_query::Expr::value(normalise_company_name(&clean)))
                .col_expr(lead::Column::CompanyName, sea_orm::sea_query::Expr::value(clean))
                .filter(lead::Column::Id.eq(id))
                .exec(&txn)
                .await?;
        }
        txn.commit().await?;
    }
}

pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    if url.starts_with("sqlite:") {
        if let Some(dir) = sqlite_parent_dir(url) {
            std::fs::create_dir_all(&dir).map_err(|e| DbErr::Custom(format!("cannot create {dir}: {e}")))?;
        }
        let opts = SqliteConnectOptions::from_str(url)
            .map_err(|e| DbErr::Custom(e.to_string()))?
            .journal_mode(SqliteJournalMode::Wal)
            // FULL, not NORMAL: in WAL mode NORMAL leaves the last commits in the OS's cache, so
            // a power cut (not a crash: kill -9 loses nothing either way) can drop saves the
            // user was told succeeded. FULL syncs the WAL at each commit: 0.6 ms per commit on
            // this class of machine (13,700 → 1,600 bare commits/s), small beside a lead save's
            // own work; bulk writes (import, rescore) commit once and barely notice.
            .synchronous(SqliteSynchronous::Full)
            // A transaction keeps up to 16 MiB of changed pages in memory (spilling them to the
            // WAL past that) instead of spilling whenever they outgrow the 512 KiB page cache and
            // writing them again when changed again: an import's part (2,000–8,000 rows into a
            // table of 26 indexes) or a rescore's page touches far more index pages than that. In
            // the sqlite3 shell on the bench's 100,000 leads: 20,000 rows in 4 parts 3.3 → 2.1 s
            // and a rescore's 20 pages 2.6 → 1.7 s with no spilling at all, as fast as a 64 MiB
            // cache; but unbounded, one part of 8,000 new leads held 44 MiB until its commit
            // (2026-12-05, sqlite3 shell: 8,000 + 8,000 + 2,000 + 2,000 new leads and two pages of
            // score changes, peak 48 / 24 / 16 MiB and 1.30 / 1.40 / 1.53 s with no cap / 16 / 8
            // MiB). In KiB (negative): SQLite also reads a positive number as a yes or no, cut to
            // its lowest byte, so page counts that are multiples of 256 (1,024, 4,096, 16,384)
            // turn spilling off. The memory is given back at commit.
            .pragma("cache_spill", "-16384")
            // The page cache a connection keeps for reads: 512 KiB, not SQLite's 2 MiB. Pages
            // not in it come from the OS's file cache (a copy, no disk read). In the bench's L1
            // (100 people, 100,000 leads, 16 connections) the server's peak went 169–173 →
            // 129–130 MiB (goal 150) with no route slower (2 MiB: 169–173; 1 MiB: 142–148);
            // import and rescore times within the runs' spread.
            .pragma("cache_size", "-512")
            .busy_timeout(super::sqlite_busy::BUSY_TIMEOUT)
            .foreign_keys(true)
            .create_if_missing(true);
        // 16, as on PostgreSQL: a save waiting for the write lock (behind an import's part or a
        // rescore's page) holds its connection meanwhile, so with 8, readers queued for one
        // (L3 at 100,000 leads: 201 of 2,404 requests waited over 100 ms for a connection).
        // Connections open as needed; each keeps at most a 512 KiB page cache (above).
        sqlite_pool(opts, 16).await
    } else {
        let mut opts = ConnectOptions::new(url.to_string());
        opts.max_connections(16)
            .sqlx_logging(false)
            // Every statement is planned for its values. sqlx prepares each statement once per
            // connection, and after five runs PostgreSQL may switch to a plan for any value: for
            // the list's capped count `grade = $1 … LIMIT $2` that was a scan of every lead
            // (86 ms, against 5 ms planned for 'A': `make bench`'s `grade A` 82 requests/s at 32
            // connections). Planning the list's statements takes well under a millisecond.
            .map_sqlx_postgres_opts(|pg| pg.options([("plan_cache_mode", "force_custom_plan")]));
        Database::connect(opts).await
    }
}

/// A pool of at most `max` connections opened with `opts`, as sea-orm's connection. Each
/// connection waits for the write lock with [`super::sqlite_busy`]'s handler.
async fn sqlite_pool(opts: SqliteConnectOptions, max: u32) -> Result<DatabaseConnection, DbErr> {
    let pool = SqlitePoolOptions::new()
        .max_connections(max)
        // A request waiting this long for a free connection is logged (sqlx's default: 2 s):
        // the sign that the pool is too small for the load.
        .acquire_slow_threshold(std::time::Duration::from_millis(100))
        .after_connect(|conn, _| Box::pin(super::sqlite_busy::install(conn)))
        .connect_with(opts)
        .await
        .map_err(|e| DbErr::Conn(sea_orm::RuntimeErr::SqlxError(e)))?;
    Ok(SqlxSqliteConnector::from_sqlx_sqlite_pool(pool))
}

/// Opens the SQLite file at `path` read-write, one connection, in rollback-journal mode with
/// foreign keys on: for a backup's copy, to settle it before it is checked (no `-wal`/`-shm`
/// files are left beside it). Errors: the file is missing or not SQLite.
pub async fn open_copy(path: &std::path::Path) -> Result<DatabaseConnection, DbErr> {
    let opts = SqliteConnectOptions::new()
        .filename(path)
        .journal_mode(SqliteJournalMode::Delete)
        .foreign_keys(true)
        .create_if_missing(false);
    sqlite_pool(opts, 1).await
}

/// Opens the SQLite file at `path` read-only, one connection (to check a backup before it is
/// restored). Errors: the file is missing or not SQLite.
pub async fn open_read_only(path: &std::path::Path) -> Result<DatabaseConnection, DbErr> {
    let opts = SqliteConnectOptions::new().filename(path).read_only(true).create_if_missing(false);
    sqlite_pool(opts, 1).await
}

/// The database file of a `sqlite:` URL (`sqlite://data/lianzhao.db?mode=rwc` →
/// `data/lianzhao.db`); `None` for PostgreSQL and in-memory databases.
pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && !path.starts_with(":memory:")).then(|| std::path::PathBuf::from(path))
}

/// `sqlite://data/lianzhao.db?mode=rwc` → `data`.
fn sqlite_parent_dir(url: &str) -> Option<String> {
    let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    let path = path.split('?').next()?;
    if path.is_empty() || path.starts_with(":memory:") {
        return None;
    }
    let parent = std::path::Path::new(path).parent()?.to_str()?.to_string();
    (!parent.is_empty()).then_some(parent)
}

#[cfg(test)]
mod tests {
    /// The SQLite linked in is built as `.cargo/config.toml` says (`LIBSQLITE3_FLAGS`): no
    /// process-wide page-cache group and no memory statistics, each a lock every connection takes.
    #[tokio::test]
    async fn sqlite_is_built_without_its_process_wide_locks() {
        use sea_orm::{ConnectionTrait, DbBackend, Statement};
        let db = super::connect("sqlite::memory:").await.expect("in-memory SQLite");
        let rows = db
            .query_all(Statement::from_string(DbBackend::Sqlite, "PRAGMA compile_options"))
            .await
            .expect("compile options");
        let options: Vec<String> = rows.iter().filter_map(|r| r.try_get_by_index::<String>(0).ok()).collect();
        assert!(options.iter().any(|o| o == "THREADSAFE=1"), "{options:?}");
        assert!(!options.iter().any(|o| o == "ENABLE_MEMORY_MANAGEMENT"), "{options:?}");
        assert!(options.iter().any(|o| o == "DEFAULT_MEMSTATUS=0"), "{options:?}");
    }

    /// A transaction spills its changed pages past about 16 MiB (`cache_spill` given in KiB: a
    /// page count that is a multiple of 256 is also read as "no" and turns spilling off).
    #[tokio::test]
    async fn a_transaction_holds_at_most_16_mib_of_changed_pages() {
        use sea_orm::{ConnectionTrait, DbBackend, Statement};
        let db = super::connect("sqlite::memory:").await.expect("in-memory SQLite");
        let read = |sql: &'static str| {
            let db = &db;
            async move {
                let row = db.query_one(Statement::from_string(DbBackend::Sqlite, sql)).await.expect(sql);
                row.and_then(|r| r.try_get_by_index::<i64>(0).ok()).expect(sql)
            }
        };
        let spill_bytes = read("PRAGMA cache_spill").await * read("PRAGMA page_size").await;
        assert!((14 << 20..=16 << 20).contains(&spill_bytes), "spills past {spill_bytes} bytes");
    }

    #[test]
    fn finds_the_sqlite_directory() {
        assert_eq!(super::sqlite_parent_dir("sqlite://data/lianzhao.db?mode=rwc").as_deref(), Some("data"));
        assert_eq!(super::sqlite_parent_dir("sqlite::memory:"), None);
        assert_eq!(super::sqlite_parent_dir("sqlite://x.db"), None);
        let file = super::sqlite_file("sqlite://data/lianzhao.db?mode=rwc");
        assert_eq!(file.as_deref(), Some(std::path::Path::new("data/lianzhao.db")));
        assert_eq!(super::sqlite_file("sqlite::memory:"), None);
        assert_eq!(super::sqlite_file("postgres://u@h/db"), None);
    }
}
