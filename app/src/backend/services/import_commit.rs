//! The commit of an import: new leads saved in parts of [`PART_ROWS`] (up to four times as many
//! while nobody else writes: `db::next_write_size`; each part a transaction
//! of its own, in INSERTs of [`CHUNK`] rows; every new lead scored as it goes in), then in the
//! last part the duplicates merged under the chosen mode through the same update as the lead
//! form (version-checked, field history recorded) and the outcome saved with the batch.
//! A part holds SQLite's write lock for a moment, not the whole file, so saves made during a
//! long import wait a fraction of a second instead of failing after the 10 s busy timeout. The
//! batch stays all or nothing: its leads appear part by part while it runs, and a failure takes
//! back the parts already saved (`import_recovery`). Progress is kept in memory for the page.

use super::import_changes::{merge_saved, notes};
use super::import_parts::{kept, read_part, save_contacts, Holds, Kept, Merged};
use super::import_preview::{row_form, Keys, Known};
use super::import_recovery::{lease_end, renew, take_back, undo};
use super::import_report::{FailedRow, Report};
use super::imports::{batch_rows, find, mapping_of, mode_of, ImportMemory};
use super::leads::{new_lead, resolve_region};
use super::scoring::{input_for, ScoreFacts};
use super::ServiceError;
use crate::backend::background::Background;
use crate::backend::entities::{import_batch, import_update, lead};
use crate::backend::Settings;
use crate::domain::import_merge::DuplicateMode;
use crate::domain::lead::FieldError;
use crate::wire::auth::SessionUser;
use crate::wire::imports::{ImportPhase, RowIssue};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Rows per INSERT (well inside SQLite's and PostgreSQL's bound-parameter limits).
const CHUNK: usize = 400;

/// New leads per transaction (on SQLite up to four times as many while nobody else writes,
/// `db::next_write_size`). On the bench machine (2 cores, 200,000 leads with their 21 indexes) a
/// part of 2,000 holds the write lock for about 0.3 s.
pub const PART_ROWS: usize = 2_000;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub created: usize,
    pub updated: usize,
    pub skipped: usize,
    pub failed: usize,
}

/// Marks the batch running (once: a second click or a second instance gets a conflict) and
/// commits it in the background; the outcome or the failure is saved with the batch. When the
/// app stops, the commit may finish within the grace period; abandoned after it, the parts it
/// saved are taken back and the batch says it was interrupted (it can be committed again).
/// Errors: `Conflict("err.import.stopping")` once the app is stopping; those of [`claim`]; none
/// from the commit itself.
pub async fn start(
    db: &DatabaseConnection,
    settings: &Settings,
    background: &Background,
    memory: &Arc<ImportMemory>,
    actor: &SessionUser,
    id: i64,
) -> Result<(), ServiceError> {
    if background.stopping.is_cancelled() {
        return Err(ServiceError::Conflict("err.import.stopping".into()));
    }
    claim(db, settings, memory, actor, id).await?;
    let (db, memory, actor, abandon) = (db.clone(), memory.clone(), actor.clone(), background.abandon.clone());
    let lease = settings.import_lease;
    background.tasks.spawn(async move {
        tokio::select! {
            biased;
            _ = abandon.cancelled() => {
                // The commit's future is dropped here: the part being saved rolls back; the
                // parts saved before it are taken back. (One cut off in its last COMMIT or its
                // ANALYZE afterwards is done: then nothing is marked.)
                memory.end_progress(id);
                let error = FieldError::new("", "err.import.interrupted");
                match take_back(&db, id, false, &error).await {
                    Ok(false) => {}
                    Ok(true) => tracing::warn!(batch = id, "import interrupted by the app's stop; taken back"),
                    // It stays running with no lease: the next start's jobs finish taking it back.
                    Err(e) => tracing::error!(batch = id, error = %e, "could not take back the interrupted import"),
                }
            }
            result = run(&db, &memory, lease, &actor, id) => {
                if let Err(e) = result {
                    tracing::warn!(batch = id, error = %e, "import failed");
                }
            }
        }
    });
    Ok(())
}

/// Moves the batch from preview (or a failed attempt) to running, with a lease of
/// `settings.import_lease`.
/// Errors: `NotFound`/`Hidden("import:{id}")` (see `imports::find`), `Forbidden` (leaders),
/// `Invalid` at `mapping` (company name not mapped), `Conflict("err.import.not_editable_now")`
/// (already running or done), `Internal` (stored mapping unreadable), `Db`.
pub async fn claim(
    db: &DatabaseConnection,
    settings: &Settings,
    memory: &ImportMemory,
    actor: &SessionUser,
    id: i64,
) -> Result<(), ServiceError> {
    let batch = find(db, actor, id).await?;
    if !actor.role.writes_leads() {
        return Err(ServiceError::Forbidden);
    }
    if !mapping_of(&batch)?.contains(&Some(crate::domain::import::ImportColumn::CompanyName)) {
        return Err(ServiceError::Invalid(vec![FieldError::new("mapping", "err.import.company_name_unmapped")]));
    }
    let until = lease_end(settings.import_lease);
    let claimed = import_batch::Entity::update_many()
        .col_expr(import_batch::Column::Status, sea_orm::sea_query::Expr::value("running"))
        .col_expr(import_batch::Column::Error, sea_orm::sea_query::Expr::value(None::<String>))
        .col_expr(import_batch::Column::LeaseUntil, sea_orm::sea_query::Expr::value(until))
        .filter(import_batch::Column::Id.eq(id))
        .filter(import_batch::Column::Status.is_in(["preview", "failed"]))
        .exec(db)
        .await?;
    if claimed.rows_affected == 0 {
        return Err(ServiceError::Conflict("err.import.not_editable_now".into()));
    }
    memory.set_progress(id, ImportPhase::Queued, 0, batch.row_count as u64);
    Ok(())
}

/// Commits a claimed batch, part by part; on failure the parts saved are taken back and the
/// batch says why (the error's first field message, or a logged reference). `lease`: how long
/// each part's renewal holds the batch. Returns the counts created, updated, skipped and failed.
/// Errors: whatever the commit met, also saved on the batch: `NotFound`/`Hidden` (batch),
/// `Invalid`, `Forbidden`, `Stale` (a duplicate changed meanwhile), `Conflict` (among them
/// `err.import.interrupted`: another instance took the batch back), `Internal`, `Db`.
pub async fn run(
    db: &DatabaseConnection,
    memory: &ImportMemory,
    lease: Duration,
    actor: &SessionUser,
    id: i64,
) -> Result<Outcome, ServiceError> {
    let result = commit(db, memory, lease, actor, id).await;
    if let Err(e) = &result {
        let error = match e {
            ServiceError::Invalid(errors) => {
                errors.first().cloned().unwrap_or_else(|| FieldError::new("", "err.import.commit_failed"))
            }
            ServiceError::Conflict(key) => FieldError::new("", key),
            ServiceError::Stale(_) => FieldError::new("", "err.import.changed_meanwhile"),
            other => {
                let reference = super::auth::random_hex(4);
                tracing::error!(%reference, batch = id, error = %other, "import commit failed");
                FieldError::new("", "err.import.commit_failed").with("reference", reference)
            }
        };
        // Taken back before the batch says failed: a failed batch has nothing left in the leads.
        // (Should the take-back fail, the batch stays running with no lease and the jobs' next
        // `recover` finishes it.) Interrupted: another instance is taking it back.
        if !matches!(e, ServiceError::Conflict(key) if key.as_str() == "err.import.interrupted") {
            if let Err(undo_error) = take_back(db, id, false, &error).await {
                tracing::error!(batch = id, error = %undo_error, "could not take back the failed import");
            }
        }
    }
    memory.end_progress(id);
    // The batch's rows and checks are freed: back to the OS now, not after jemalloc's decay.
    crate::backend::memory::give_back();
    result
}

async fn commit(
    db: &DatabaseConnection,
    memory: &ImportMemory,
    lease: Duration,
    actor: &SessionUser,
    id: i64,
) -> Result<Outcome, ServiceError> {
    // One of the import slots for the whole commit: it holds the rows and a parsed lead per row.
    // Waiting for it (behind other imports) renews the lease `claim` gave, so the jobs do not
    // take a batch that is only queued for cut off.
    let _slot = loop {
        tokio::select! {
            slot = super::import_work::slot() => break slot?,
            _ = tokio::time::sleep(lease / 3) => renew(db, id, lease).await?,
        }
    };
    let mut batch = find(db, actor, id).await?;
    memory.set_progress(id, ImportPhase::Checking, 0, batch.row_count as u64);
    let input = batch_rows(db, &mut batch).await?;
    let total = input.rows.len() as u64;

    // Every row is read and checked before the write lock is taken (other saves go on
    // meanwhile), off the async workers; inside, the leads the rows could match are read again
    // and the rows checked again only if one of those leads changed in between.
    let started = Instant::now();
    let (input, keys) = super::import_work::off_thread(move || {
        let keys = Keys::of(&input);
        (input, keys)
    })
    .await?;
    let known = Known::load(db, &keys).await?;
    let who = actor.clone();
    let mode = mode_of(&batch);
    let (input, mut known, mut verdicts) = super::import_work::off_thread(move || {
        let verdicts = kept(&input, &known, &who, mode);
        (input, known, verdicts)
    })
    .await?;
    let checked = started.elapsed();
    memory.set_progress(id, ImportPhase::Waiting, 0, total);
    // The checks' keys and parsed rows are freed: back to the OS before the parts allocate theirs.
    crate::backend::memory::give_back();
    let rows = &input.rows;
    let mapping = &input.mapping;
    let mapped: Vec<_> = mapping.iter().flatten().copied().collect();
    // What an earlier attempt cut off left behind and nobody took back yet (normally nothing:
    // one indexed lookup).
    undo(db, id).await?;
    // The checks and that may have taken a while: the lease is renewed before the lock is waited for.
    renew(db, id, lease).await?;
    let mut holds = Holds::default();
    let mut txn = crate::backend::db::begin_write(db).await?;
    holds.taken();
    memory.set_progress(id, ImportPhase::Writing, 0, total);
    let lock_wait = started.elapsed().saturating_sub(checked);
    renew(&txn, id, lease).await?;
    let reloading = Instant::now();
    let current = Known::load(&txn, &keys).await?;
    let reloaded = reloading.elapsed();
    let rechecked = !current.same_as(&known);
    if rechecked {
        verdicts = kept(&input, &current, actor, mode);
        known = current;
    }
    let rechecked_in = reloading.elapsed() - reloaded;
    // The keys served their last lookup.
    drop(keys);
    let mut outcome = Outcome::default();
    let mut failed: Vec<FailedRow> = Vec::new();
    let mut report = Merged::default();

    // New leads, in chunks, each scored as it goes in (no chain placements yet, so the score
    // needs nothing but the row; the same function `rescore` uses); a part is committed every
    // `part_rows` leads (PART_ROWS, more while nobody else writes). Each part's rows are read
    // again (`new_input`) before its transaction: no parsed lead is kept per row, and the lock
    // is not held while they are read. (A lead created meanwhile by someone else that matches a
    // later row by name is not seen as its duplicate; one with its USCC fails the batch, which
    // is taken back and can be confirmed again.)
    let new_rows: Vec<usize> =
        verdicts.iter().enumerate().filter(|(_, v)| matches!(v, Kept::New)).map(|(i, _)| i).collect();
    let reader = input.reader();
    let (mut score_version, mut config) = super::scoring::current(&txn).await?;
    // New leads have no placements yet: no node's coverage reaches their scores.
    let coverage = super::coverage::Coverage::default();
    let now = Utc::now();
    let owner = (!actor.role.assigns_leads()).then_some(actor.id);
    // Larger parts while nobody else writes (`db::next_write_size`).
    let backend = sea_orm::ConnectionTrait::get_database_backend(db);
    let mut part_rows = PART_ROWS;
    let mut saved_up_to = 0i64;
    let mut next = 0usize;
    let mut part = read_part(&input, &reader, &new_rows[..part_rows.min(new_rows.len())])?;
    loop {
        let mut contacts_of: HashMap<String, Vec<crate::domain::lead::Contact>> = HashMap::new();
        let mut chunk: Vec<lead::ActiveModel> = Vec::with_capacity(CHUNK);
        for (i, mut new) in part.drain(..) {
            let region = resolve_region(&new)?;
            let mut active = new_lead(actor, owner, &new, &region, now);
            active.import_batch_id = Set(Some(id));
            let facts = ScoreFacts::of_input(&new, &region);
            // The score alone: the breakdown's text is built when a lead page shows it.
            let fit = crate::domain::score::score_value(&input_for(&facts, &[], &coverage), &config);
            active.score = Set(Some(fit));
            active.grade = Set(Some(config.grade(fit).code().to_string()));
            active.score_version = Set(Some(score_version));
            if !new.contacts.is_empty() {
                contacts_of.insert(std::mem::take(&mut new.name_key), std::mem::take(&mut new.contacts));
            }
            chunk.push(active);
            outcome.created += 1;
            next += 1;
            if chunk.len() == CHUNK {
                lead::Entity::insert_many(std::mem::take(&mut chunk)).exec(&txn).await?;
                memory.set_progress(id, ImportPhase::Writing, i as u64 + 1, total);
            }
        }
        if !chunk.is_empty() {
            lead::Entity::insert_many(chunk).exec(&txn).await?;
        }
        saved_up_to = save_contacts(&txn, id, saved_up_to, &contacts_of).await?;
        if next >= new_rows.len() {
            break;
        }
        txn.commit().await?;
        let held = holds.released();
        // The part's leads and statements are freed: back to the OS before the next part's.
        crate::backend::memory::give_back();
        part_rows = crate::backend::db::next_write_size(backend, PART_ROWS, part_rows, held);
        crate::backend::db::yield_write_lock(backend, held).await;
        part = read_part(&input, &reader, &new_rows[next..(next + part_rows).min(new_rows.len())])?;
        txn = crate::backend::db::begin_write(db).await?;
        holds.taken();
        renew(&txn, id, lease).await?;
        // A new score configuration saved meanwhile applies from this part on (its rescore
        // may already have passed these ids). New leads have no placements: the coverage
        // does not reach their scores.
        (score_version, config) = super::scoring::current(&txn).await?;
    }

    // Duplicates, then the rows that could not be read.
    let mut linked = std::collections::HashSet::new();
    for (i, v) in verdicts.iter_mut().enumerate() {
        match v {
            Kept::New => {}
            Kept::Skip { target, by_uscc, editable } => {
                outcome.skipped += 1;
                let why = if *editable { "import.skipped.by_mode" } else { "import.skipped.not_yours" };
                report.skipped(&input, i, known.get(*target), *by_uscc, why);
            }
            Kept::Merge { target, by_uscc } => {
                let existing = known.get(*target);
                let form = row_form(&input, &reader, i)
                    .ok_or_else(|| ServiceError::Internal(format!("row {i} of the batch is gone")))?;
                let saved = super::leads::edit_form(&txn, actor, existing.id).await?.form;
                let Some(merged) = merge_saved(&saved, &form, &mapped, mode) else {
                    outcome.skipped += 1;
                    // Fill mode leaves a lead whose fields the file gives are all filled, whatever
                    // they hold; overwrite, one that holds the file's values already.
                    let why = if mode == DuplicateMode::FillEmpty {
                        "import.skipped.filled"
                    } else {
                        "import.skipped.unchanged"
                    };
                    report.skipped(&input, i, existing, *by_uscc, why);
                    continue;
                };
                match merged.parse() {
                    Ok(lead) => {
                        super::leads::update(&txn, actor, existing.id, lead).await?;
                        // For the report's link to the leads it created and updated (once: two
                        // rows, one by USCC and one by name, may update the same lead).
                        if linked.insert(existing.id) {
                            import_update::ActiveModel { batch_id: Set(id), lead_id: Set(existing.id) }
                                .insert(&txn)
                                .await?;
                        }
                        outcome.updated += 1;
                        report.updated(&input, i, existing, *by_uscc, notes(mapping, &saved, &merged));
                    }
                    Err(errors) => {
                        outcome.failed += 1;
                        failed.push(FailedRow {
                            line: input.line(i),
                            cells: rows.get(i).unwrap_or_default(),
                            issues: errors.into_iter().map(|error| RowIssue { column: None, error }).collect(),
                        });
                    }
                }
            }
            Kept::Fail(issues) => {
                outcome.failed += 1;
                failed.push(FailedRow {
                    line: input.line(i),
                    cells: rows.get(i).unwrap_or_default(),
                    issues: std::mem::take(issues),
                });
            }
        }
    }
    memory.set_progress(id, ImportPhase::Writing, total, total);

    let marked = import_batch::Entity::update_many()
        .col_expr(import_batch::Column::Status, sea_orm::sea_query::Expr::value("done"))
        .col_expr(import_batch::Column::Created, sea_orm::sea_query::Expr::value(outcome.created as i32))
        .col_expr(import_batch::Column::Updated, sea_orm::sea_query::Expr::value(outcome.updated as i32))
        .col_expr(import_batch::Column::Skipped, sea_orm::sea_query::Expr::value(outcome.skipped as i32))
        .col_expr(import_batch::Column::Failed, sea_orm::sea_query::Expr::value(outcome.failed as i32))
        .col_expr(
            import_batch::Column::Report,
            sea_orm::sea_query::Expr::value(
                serde_json::to_string(&Report { failed, merged: report.0 })
                    .map_err(|e| ServiceError::Internal(e.to_string()))?,
            ),
        )
        .col_expr(import_batch::Column::FinishedAt, sea_orm::sea_query::Expr::value(Utc::now()))
        // The file was kept only to switch sheet or header row in the preview.
        .col_expr(import_batch::Column::Source, sea_orm::sea_query::Expr::value(Option::<Vec<u8>>::None))
        .col_expr(
            import_batch::Column::LeaseUntil,
            sea_orm::sea_query::Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .filter(import_batch::Column::Id.eq(id))
        .filter(import_batch::Column::Status.eq("running"))
        .exec(&txn)
        .await?;
    if marked.rows_affected == 0 {
        // Another instance found the lease run out and took the batch back.
        return Err(ServiceError::Conflict("err.import.interrupted".into()));
    }
    txn.commit().await?;
    holds.released();
    // The write lock's hold is what other saves may wait for (SQLite's busy timeout is 10 s).
    tracing::info!(
        batch = id,
        rows = total,
        created = outcome.created,
        checked_ms = checked.as_millis() as u64,
        lock_wait_ms = lock_wait.as_millis() as u64,
        // Inside the lock: the matching leads read again, and the rows checked again only when
        // one of them changed meanwhile.
        reload_ms = reloaded.as_millis() as u64,
        rechecked,
        recheck_ms = rechecked_in.as_millis() as u64,
        locked_ms = holds.total.as_millis() as u64,
        parts = holds.parts,
        longest_part_ms = holds.longest.as_millis() as u64,
        "import committed"
    );
    // Many new rows: the planner's statistics are out of date. The batch is committed by now, so
    // a failed ANALYZE is logged, never reported as a failed import (which could be run again).
    if outcome.created > 1_000 {
        if let Err(e) = crate::backend::db::analyze(db).await {
            tracing::warn!(error = %e, "ANALYZE after an import failed");
        }
    }
    Ok(outcome)
}
