//! Rescoring many leads: one lead, the leads on some nodes, or all of them, page by page under
//! SQLite's write lock, with the chains' coverage read once and checked again at the end.

use super::coverage::Coverage;
use super::scoring::{current, every_fact_sqlite, every_placement_sqlite, input_for, ScoreFacts};
use super::ServiceError;
use crate::backend::entities::{lead, lead_node};
use crate::domain::score::{score_value, ScoreConfig};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Statement, TransactionTrait,
};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// What a rescore reads of each lead ([`ScoreFacts`]).
const FACT_COLUMNS: [lead::Column; 14] = [
    lead::Column::Id,
    lead::Column::Industry,
    lead::Column::PlannedInvestmentWan,
    lead::Column::LandMu,
    lead::Column::AnnualTaxWan,
    lead::Column::HighTech,
    lead::Column::Specialised,
    lead::Column::Listed,
    lead::Column::RegionGroup,
    lead::Column::NanjingMetro,
    lead::Column::EnergyUse,
    lead::Column::Grade,
    lead::Column::Score,
    lead::Column::ScoreVersion,
];

/// Which leads to rescore.
pub enum Scope {
    All,
    Leads(Vec<i64>),
    /// Every lead placed on these nodes (their gap status may have changed).
    Nodes(Vec<i64>),
}

/// A page's ids go into `IN (…)` lists as bound parameters: 4 × this (a grown page) must stay
/// under SQLite's 32,766.
const PAGE: usize = 5_000;

/// Leads a page of a rescore holds the write lock for: on PostgreSQL a page of 5,000 took about
/// 1 s under load, each save meanwhile waiting for it (`db::begin_write`'s advisory lock; p99
/// 2.3 s in L3), so pages there are smaller.
fn page_size(backend: sea_orm::DbBackend) -> usize {
    match backend {
        sea_orm::DbBackend::Postgres => 1_000,
        _ => PAGE,
    }
}
const WRITE_BATCH: usize = 2_500;
/// Up to this many leads, a rescore reads only their nodes' coverage (`Coverage::for_placements`).
const SCOPED_COVERAGE_MAX: usize = 50;

/// From this many leads up to [`BULK_MAX`], a rescore of every lead on SQLite is one write
/// transaction, and when it moves the scores of a third of them or more (a weight change moves
/// nearly all) it drops the indexes on the columns it moves, writes, and builds them again
/// ([`without_indexes_on`]). Writing 100,000 moved scores into their three indexes cost more
/// than the rows themselves (2.3 s in one transaction in the sqlite3 shell, against 0.4 s for the
/// rows and 0.3 s to build the indexes again with their statistics). `lianzhao bench
/// --rescore-only`, 100,000 leads, 2 cores, 2026-12-07 (second session): 1.07–1.11 s as the
/// server runs it (reading packed 0.20–0.23 s, placements packed 0.03 s, the score alone without
/// its breakdown's text 0.02 s, writing and building 0.62–0.65 s, the commit 0.18 s) against
/// 2.38 s page by page the same hour. Since migration 37 the score has one index on `leads`
/// (with the board's), and the rebuilt indexes get their statistics back rather than an `ANALYZE`
/// ([`build_again`]): median 1.40 s against 1.62 s alternating with the build before, on a slower
/// evening (README, "One score index"). Readers go on reading the old scores (WAL) until it
/// commits; a save waits for it (the whole of it, where page by page it waited one page).
const BULK_MIN: u64 = 20_000;
/// Above this many leads, a rescore of every lead goes page by page again: one transaction would
/// hold the write lock (about 2 s per 100,000 leads) long enough for a save to notice.
const BULK_MAX: u64 = 150_000;

/// Rescores page by page: each page of `PAGE` leads (1,000 on PostgreSQL; on SQLite up to four
/// times as many while nobody else writes, `db::next_write_size`) is read, scored and
/// written in a write transaction of its own, which also reads the current configuration. So a
/// save waits at most one page (on SQLite about a tenth of a second at 100,000 leads, up to about
/// 1 s for a grown page when it is the first to write) instead of the whole rescore,
/// and a lead saved meanwhile is never given a score computed from facts read before its save:
/// its page reads its facts under the same write lock it writes with. Readers (SQLite in WAL
/// mode, PostgreSQL) go on reading throughout and see the new scores page by page. A lead whose
/// score, grade and version would not change is not written; one whose grade stays keeps its
/// grade's index entries. On SQLite a page's changed index pages stay in memory until it commits
/// (up to 16 MiB of them, `cache_spill` in `db::connect`), so most are written once per page.
/// Every lead from [`BULK_MIN`] to [`BULK_MAX`] on SQLite: one transaction, the moved columns'
/// indexes built again when most scores move (saves wait for it, about 2 s per 100,000 leads).
///
/// The chains' coverage (gaps and 链主, what the gap and leader factors read) is read once, with
/// the first page, when more than `SCOPED_COVERAGE_MAX` leads are rescored (reading it took
/// 30–80 ms, on each of 20 pages at 100,000 leads); after more than one page, a last write
/// transaction reads it again and
/// rescores, with the coverage as it is then, the leads of this rescore placed on a node whose
/// coverage changed meanwhile (or supplying an enterprise that became or stopped being 链主):
/// the change's own rescore of those leads may have run before one of the pages here wrote them
/// with the coverage read at the start. Returns how many leads were scored (ids that no longer
/// exist are not counted; the leads scored again at the end are counted once).
/// Errors: `Internal` (no or unreadable score configuration), `Db`.
pub async fn rescore<C: ConnectionTrait + TransactionTrait>(db: &C, scope: Scope) -> Result<u64, ServiceError> {
    rescore_from(db, scope, None).await
}

/// [`rescore`], with the pages scoring by `coverage` (as if the first page had read it then)
/// when more than `SCOPED_COVERAGE_MAX` leads are rescored: what a chain change made meanwhile
/// looks like, for tests. `None`: the first page reads it.
/// Errors: those of [`rescore`].
#[doc(hidden)]
pub async fn rescore_from<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    scope: Scope,
    coverage: Option<Coverage>,
) -> Result<u64, ServiceError> {
    rescore_with(db, scope, coverage, Bulk::From(BULK_MIN)).await
}

/// From how many leads a rescore of every lead runs in one transaction on SQLite.
#[doc(hidden)]
#[derive(Clone, Copy)]
pub enum Bulk {
    /// From this many (up to [`BULK_MAX`]): a test's few leads take the bulk path.
    From(u64),
    /// Never: page by page, for `lianzhao bench` to compare.
    Never,
}

/// [`rescore`] of every lead, in one transaction (on SQLite) as `bulk` says rather than from
/// [`BULK_MIN`] leads.
/// Errors: those of [`rescore`].
#[doc(hidden)]
pub async fn rescore_all_with<C: ConnectionTrait + TransactionTrait>(db: &C, bulk: Bulk) -> Result<u64, ServiceError> {
    rescore_with(db, Scope::All, None, bulk).await
}

async fn rescore_with<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    scope: Scope,
    coverage: Option<Coverage>,
    bulk: Bulk,
) -> Result<u64, ServiceError> {
    // A few leads (a save, a placement) read only their own nodes' coverage; many read it whole.
    let few = matches!(&scope, Scope::Leads(ids) if ids.len() <= SCOPED_COVERAGE_MAX);
    let mut coverage = if few { None } else { coverage };
    let given = coverage.is_some();
    let ids: Option<Vec<i64>> = match scope {
        Scope::All => None,
        Scope::Leads(ids) => Some(ids),
        Scope::Nodes(nodes) => Some(
            lead_node::Entity::find()
                .filter(lead_node::Column::NodeId.is_in(nodes))
                .all(db)
                .await?
                .into_iter()
                .map(|ln| ln.lead_id)
                .collect(),
        ),
    };
    let backend = db.get_database_backend();
    let base = page_size(backend);
    // Larger pages while nobody else writes (`db::next_write_size`).
    let mut page = base;
    let mut done = 0u64;
    // Whether it ran as one transaction of every lead (the largest of all to free).
    let mut in_bulk = false;
    // How many pages ran, and how long the last one held the write lock.
    let (mut pages, mut held) = (0u32, Duration::ZERO);
    let ids = match ids {
        Some(mut ids) => {
            ids.sort_unstable();
            ids.dedup();
            let mut rest = &ids[..];
            while !rest.is_empty() {
                if pages > 0 {
                    page = crate::backend::db::next_write_size(backend, base, page, held);
                    crate::backend::db::yield_write_lock(backend, held).await;
                }
                let (chunk, after) = rest.split_at(page.min(rest.len()));
                rest = after;
                let started = Instant::now();
                done += rescore_page(db, Page::Ids(chunk), few, &mut coverage).await?.0;
                (pages, held) = (pages + 1, started.elapsed());
            }
            Some(ids)
        }
        None if backend == sea_orm::DbBackend::Sqlite
            && matches!(bulk, Bulk::From(min) if (min..=BULK_MAX).contains(&lead::Entity::find().count(db).await?)) =>
        {
            let started = Instant::now();
            done += rescore_page(db, Page::Every, few, &mut coverage).await?.0;
            (pages, held, in_bulk) = (1, started.elapsed(), true);
            None
        }
        None => {
            let mut after = 0i64;
            loop {
                let started = Instant::now();
                let (scored, last, read) =
                    rescore_page(db, Page::After(after, page as u64), few, &mut coverage).await?;
                done += scored;
                (pages, held) = (pages + 1, started.elapsed());
                match last {
                    Some(last) if read == page => after = last,
                    _ => break,
                }
                page = crate::backend::db::next_write_size(backend, base, page, held);
                crate::backend::db::yield_write_lock(backend, held).await;
            }
            None
        }
    };
    // One page that read the coverage itself did so in the transaction it wrote with: nothing
    // to settle.
    if let Some(used) = coverage.filter(|_| pages > 1 || given) {
        settle(db, &used, ids.as_deref(), held).await?;
    }
    if pages > 1 || in_bulk {
        // The pages' facts and SQLite's changed pages are freed: back to the OS now.
        crate::backend::memory::give_back();
    }
    Ok(done)
}

/// The end of a rescore that read the chains' coverage once (`used`), after a last page that
/// held the write lock for `held`: in a write transaction, reads it again and rescores the
/// leads of the rescore (`ids`, sorted; `None`: every lead) on the nodes and supplying the
/// enterprises whose coverage changed since. Returns how many.
async fn settle<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    used: &Coverage,
    ids: Option<&[i64]>,
    held: Duration,
) -> Result<u64, ServiceError> {
    crate::backend::db::yield_write_lock(db.get_database_backend(), held).await;
    let txn = crate::backend::db::begin_write(db).await?;
    let now = Coverage::load(&txn).await?;
    let (nodes, enterprises) = now.changed_since(used);
    let mut again = 0;
    if !nodes.is_empty() || !enterprises.is_empty() {
        let mut affected: Vec<i64> = lead_node::Entity::find()
            .select_only()
            .column(lead_node::Column::LeadId)
            .filter(
                sea_orm::Condition::any()
                    .add(lead_node::Column::NodeId.is_in(nodes))
                    .add(lead_node::Column::SuppliesEnterpriseId.is_in(enterprises)),
            )
            .into_tuple()
            .all(&txn)
            .await?;
        affected.sort_unstable();
        affected.dedup();
        if let Some(ids) = ids {
            affected.retain(|id| ids.binary_search(id).is_ok());
        }
        let (version, config) = current(&txn).await?;
        for chunk in affected.chunks(PAGE) {
            let leads = lead::Entity::find()
                .select_only()
                .columns(FACT_COLUMNS)
                .filter(lead::Column::Id.is_in(chunk.iter().copied()))
                .into_model::<ScoreFacts>()
                .all(&txn)
                .await?;
            again += score_and_write(&txn, &leads, &config, version, Some(&now), false).await?;
        }
    }
    txn.commit().await?;
    Ok(again)
}

/// Which leads a page of a rescore reads: these ids, the next so many by id after this one, or
/// every lead (SQLite only: read packed, `scoring::every_fact_sqlite`).
enum Page<'a> {
    Ids(&'a [i64]),
    After(i64, u64),
    Every,
}

/// One page of a rescore in its own write transaction, with `coverage` (read here first unless
/// `few`, which reads only the page's nodes'); `Page::Every` may build the moved columns'
/// indexes again rather than write into them ([`BULK_MIN`]). Returns how many leads were
/// scored, the last id read, and how many were read.
async fn rescore_page<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    page: Page<'_>,
    few: bool,
    coverage: &mut Option<Coverage>,
) -> Result<(u64, Option<i64>, usize), ServiceError> {
    let bulk = matches!(page, Page::Every);
    let began = Instant::now();
    let txn = crate::backend::db::begin_write(db).await?;
    let locked = began.elapsed();
    let (version, config) = current(&txn).await?;
    if !few && coverage.is_none() {
        *coverage = Some(Coverage::load(&txn).await?);
    }
    let query = lead::Entity::find().select_only().columns(FACT_COLUMNS);
    let leads = match page {
        // Only on SQLite (`rescore_with`).
        Page::Every => every_fact_sqlite(&txn).await?,
        Page::Ids(ids) => query.filter(lead::Column::Id.is_in(ids.iter().copied())).into_model().all(&txn).await?,
        Page::After(after, n) => {
            query
                .filter(lead::Column::Id.gt(after))
                .order_by_asc(lead::Column::Id)
                .limit(n)
                .into_model()
                .all(&txn)
                .await?
        }
    };
    let read = began.elapsed() - locked;
    let scored = score_and_write(&txn, &leads, &config, version, coverage.as_ref(), bulk).await?;
    let written = began.elapsed() - locked - read;
    txn.commit().await?;
    tracing::debug!(
        leads = leads.len(),
        lock_ms = locked.as_millis() as u64,
        read_ms = read.as_millis() as u64,
        score_write_ms = written.as_millis() as u64,
        commit_ms = (began.elapsed() - locked - read - written).as_millis() as u64,
        "rescore page"
    );
    Ok((scored, leads.last().map(|l| l.id), leads.len()))
}

/// Scores `leads` by `config` (version `version`) with `coverage` (None: their nodes' only) and
/// writes what moved; `bulk`: `leads` are every lead, and the moved columns' indexes may be
/// built again. Returns how many were scored.
async fn score_and_write(
    txn: &DatabaseTransaction,
    leads: &[ScoreFacts],
    config: &ScoreConfig,
    version: i64,
    coverage: Option<&Coverage>,
    bulk: bool,
) -> Result<u64, ServiceError> {
    if leads.is_empty() {
        return Ok(0);
    }
    let began = Instant::now();
    let mut placements: HashMap<i64, Vec<lead_node::Model>> = HashMap::new();
    // In bulk (SQLite only), `leads` are every lead: all placements, packed, not an `IN` list
    // longer than SQLite binds.
    let nodes = match bulk {
        true => every_placement_sqlite(txn).await?,
        false => {
            lead_node::Entity::find()
                .filter(lead_node::Column::LeadId.is_in(leads.iter().map(|l| l.id)))
                .all(txn)
                .await?
        }
    };
    for ln in nodes {
        placements.entry(ln.lead_id).or_default().push(ln);
    }
    let scoped;
    let coverage = match coverage {
        Some(c) => c,
        None => {
            let all: Vec<lead_node::Model> = placements.values().flatten().cloned().collect();
            scoped = Coverage::for_placements(txn, &all).await?;
            &scoped
        }
    };
    let placed = began.elapsed();
    let mut changes = Changes::default();
    for l in leads {
        let input = input_for(l, placements.get(&l.id).map(Vec::as_slice).unwrap_or(&[]), coverage);
        // The score alone, without the breakdown's text (a tenth of the time).
        let value = score_value(&input, config);
        let grade = config.grade(value).code();
        // Stored with one decimal.
        let tenths = (value * 10.0).round() as i64;
        let same_score = l.score.map(|s| (s * 10.0).round() as i64) == Some(tenths);
        let same_grade = l.grade.as_deref() == Some(grade);
        let scored = (l.id, value, grade);
        if !same_grade {
            changes.grade.push(scored);
        } else if !same_score {
            changes.score.push(scored);
        } else if l.score_version != Some(version) {
            changes.version.push(l.id);
        }
    }
    let scored = began.elapsed() - placed;
    // Most scores moved: their indexes are built again rather than written into (and the
    // grades' too when most grades moved).
    let n = leads.len();
    let rebuilt = match (changes.grade.len() * 3 >= n, (changes.grade.len() + changes.score.len()) * 3 >= n) {
        _ if !bulk => None,
        (true, _) => Some(without_indexes_on(txn, &["score", "grade"]).await?),
        (false, true) => Some(without_indexes_on(txn, &["score"]).await?),
        (false, false) => None,
    };
    write_scores(txn, &changes.grade, true, version).await?;
    write_scores(txn, &changes.score, false, version).await?;
    for batch in changes.version.chunks(WRITE_BATCH) {
        let ids: Vec<String> = batch.iter().map(i64::to_string).collect();
        txn.execute_unprepared(&format!("UPDATE leads SET score_version = {version} WHERE id IN ({})", ids.join(", ")))
            .await?;
    }
    if let Some(dropped) = rebuilt {
        build_again(txn, &dropped).await?;
    }
    tracing::debug!(
        placements_ms = placed.as_millis() as u64,
        score_ms = scored.as_millis() as u64,
        write_ms = (began.elapsed() - placed - scored).as_millis() as u64,
        grades = changes.grade.len(),
        scores = changes.score.len(),
        versions = changes.version.len(),
        "rescore page's scores"
    );
    Ok(leads.len() as u64)
}

/// Writes moved scores `(id, score, grade)` with their version, and their grades when
/// `with_grade`. On SQLite in one statement reading them from one JSON text (`json_each`): the
/// 35 statements of 2,500 `VALUES` each that 86,000 moved scores took cost SQLite as much to
/// parse as to write. Elsewhere in `VALUES` batches of [`WRITE_BATCH`].
/// Errors: `Db` only.
async fn write_scores(
    txn: &DatabaseTransaction,
    rows: &[(i64, f64, &'static str)],
    with_grade: bool,
    version: i64,
) -> Result<(), ServiceError> {
    if rows.is_empty() {
        return Ok(());
    }
    let set = if with_grade { ", grade = v.grade" } else { "" };
    let update =
        format!("UPDATE leads SET score = v.score{set}, score_version = {version} FROM v WHERE leads.id = v.id");
    if txn.get_database_backend() == sea_orm::DbBackend::Sqlite {
        let packed: Vec<String> = rows.iter().map(|(id, s, g)| format!("[{id},{s:.1},\"{g}\"]")).collect();
        txn.execute(Statement::from_sql_and_values(
            sea_orm::DbBackend::Sqlite,
            format!(
                "WITH v(id, score, grade) AS (SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?)) {update}"
            ),
            [format!("[{}]", packed.join(",")).into()],
        ))
        .await?;
        return Ok(());
    }
    for batch in rows.chunks(WRITE_BATCH) {
        let values: Vec<String> = batch.iter().map(|(id, s, g)| format!("({id}, {s:.1}, '{g}')")).collect();
        txn.execute_unprepared(&format!("WITH v(id, score, grade) AS (VALUES {}) {update}", values.join(", "))).await?;
    }
    Ok(())
}

/// An index [`without_indexes_on`] dropped: its name, the SQL it was created with (as the
/// migrations wrote it, read from `sqlite_master`) and its planner statistics (its
/// `sqlite_stat1` row, which dropping it deletes), if the database keeps any.
struct Dropped {
    name: String,
    sql: String,
    stat: Option<String>,
}

/// Drops the indexes of `leads` on any of `columns` (SQLite), returning each for
/// [`build_again`] in the same transaction. Column names are this module's constants.
async fn without_indexes_on(txn: &DatabaseTransaction, columns: &[&str]) -> Result<Vec<Dropped>, ServiceError> {
    let columns: Vec<String> = columns.iter().map(|c| format!("'{c}'")).collect();
    let analyzed = txn
        .query_one(Statement::from_string(
            sea_orm::DbBackend::Sqlite,
            "SELECT 1 AS analyzed FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'",
        ))
        .await?
        .is_some();
    let stat = match analyzed {
        true => "(SELECT s.stat FROM sqlite_stat1 AS s WHERE s.tbl = 'leads' AND s.idx = m.name)",
        false => "NULL",
    };
    let rows = txn
        .query_all(Statement::from_string(
            sea_orm::DbBackend::Sqlite,
            format!(
                "SELECT name, sql, {stat} AS stat FROM sqlite_master AS m WHERE type = 'index' \
                 AND tbl_name = 'leads' AND sql IS NOT NULL AND EXISTS (SELECT 1 FROM \
                 pragma_index_info(m.name) AS i WHERE i.name IN ({})) ORDER BY name",
                columns.join(", ")
            ),
        ))
        .await?;
    let mut dropped = Vec::with_capacity(rows.len());
    for row in rows {
        let index =
            Dropped { name: row.try_get("", "name")?, sql: row.try_get("", "sql")?, stat: row.try_get("", "stat")? };
        txn.execute_unprepared(&format!("DROP INDEX \"{}\"", index.name)).await?;
        dropped.push(index);
    }
    Ok(dropped)
}

/// Builds the indexes [`without_indexes_on`] dropped again, each with the planner statistics it
/// had (without them SQLite may not walk the score's index for a list sorted by score). They are
/// put back as they were rather than gathered again: `ANALYZE` of the indexes read each of them
/// whole once more (the map's has 14 columns), and a rescore barely moves what they hold (how
/// many leads, how many share a score or a grade on average: SQLite keeps no more than that).
/// `ANALYZE sqlite_schema` makes this connection's planner read them again; the others do when
/// they see the changed schema.
async fn build_again(txn: &DatabaseTransaction, dropped: &[Dropped]) -> Result<(), ServiceError> {
    let mut restored = false;
    for index in dropped {
        txn.execute_unprepared(&index.sql).await?;
        if let Some(stat) = &index.stat {
            txn.execute(Statement::from_sql_and_values(
                sea_orm::DbBackend::Sqlite,
                "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('leads', ?, ?)",
                [index.name.clone().into(), stat.clone().into()],
            ))
            .await?;
            restored = true;
        }
    }
    if restored {
        txn.execute_unprepared("ANALYZE sqlite_schema").await?;
    }
    Ok(())
}

/// What a rescore writes, by the indexes it touches (every value a number or a grade letter
/// computed here, never user text): the grade moved (the grade's indexes, the map's
/// `idx_leads_map`, and the score's), only the score moved (the score's indexes), only the
/// version (no index).
#[derive(Default)]
struct Changes {
    grade: Vec<(i64, f64, &'static str)>,
    score: Vec<(i64, f64, &'static str)>,
    version: Vec<i64>,
}
