//! The commit of an import: all rows of the batch in one transaction — new leads inserted in
//! chunks, duplicates merged under the chosen mode through the same update as the lead form
//! (version-checked, field history recorded), every new lead scored — and the outcome saved
//! with the batch. Any failure rolls the whole batch back and is reported on its page.
//! Progress is kept in memory for the page to show while the commit runs.

use super::import_preview::{classify, Keys, Known, Verdict};
use super::imports::{batch_rows, end_progress, find, mapping_of, mode_of, set_progress, FailedRow};
use super::leads::{contact_rows, new_lead, resolve_region};
use super::scoring::{input_for, ScoreFacts};
use super::ServiceError;
use crate::backend::background::Background;
use crate::backend::entities::{import_batch, lead, lead_contact};
use crate::domain::import_merge::{merge, DuplicateMode};
use crate::domain::lead::FieldError;
use crate::wire::auth::SessionUser;
use crate::wire::imports::RowIssue;
use chrono::Utc;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use std::collections::HashMap;

/// Rows per INSERT (well inside SQLite's and PostgreSQL's bound-parameter limits).
const CHUNK: usize = 400;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub created: usize,
    pub updated: usize,
    pub skipped: usize,
    pub failed: usize,
}

/// Marks the batch running (once: a second click or a second instance gets a conflict) and
/// commits it in the background; the outcome or the failure is saved with the batch. When the
/// app stops, the commit may finish within the grace period; abandoned after it, it rolls back
/// and the batch says it was interrupted (it can be committed again).
/// Errors: `Conflict("err.import.stopping")` once the app is stopping; those of [`claim`]; none
/// from the commit itself.
pub async fn start(
    db: &DatabaseConnection,
    background: &Background,
    actor: &SessionUser,
    id: i64,
) -> Result<(), ServiceError> {
    if background.stopping.is_cancelled() {
        return Err(ServiceError::Conflict("err.import.stopping".into()));
    }
    claim(db, actor, id).await?;
    let (db, actor, abandon) = (db.clone(), actor.clone(), background.abandon.clone());
    background.tasks.spawn(async move {
        tokio::select! {
            biased;
            _ = abandon.cancelled() => {
                // The commit's future is dropped here: an open transaction rolls back. (One cut
                // off in its COMMIT or its ANALYZE afterwards is done: then nothing is marked.)
                end_progress(id);
                match interrupted(&db, Some(id)).await {
                    Ok(0) => {}
                    Ok(_) => tracing::warn!(batch = id, "import interrupted by the app's stop; rolled back"),
                    Err(e) => tracing::error!(batch = id, error = %e, "could not mark the interrupted import"),
                }
            }
            result = run(&db, &actor, id) => {
                if let Err(e) = result {
                    tracing::warn!(batch = id, error = %e, "import failed");
                }
            }
        }
    });
    Ok(())
}

/// Moves the batch from preview (or a failed attempt) to running.
/// Errors: `NotFound`/`Hidden("import:{id}")` (see `imports::find`), `Forbidden` (leaders),
/// `Invalid` at `mapping` (company name not mapped), `Conflict("err.import.not_editable_now")`
/// (already running or done), `Internal` (stored mapping unreadable), `Db`.
pub async fn claim(db: &DatabaseConnection, actor: &SessionUser, id: i64) -> Result<(), ServiceError> {
    let batch = find(db, actor, id).await?;
    if !actor.role.writes_leads() {
        return Err(ServiceError::Forbidden);
    }
    if !mapping_of(&batch)?.contains(&Some(crate::domain::import::ImportColumn::CompanyName)) {
        return Err(ServiceError::Invalid(vec![FieldError::new("mapping", "err.import.company_name_unmapped")]));
    }
    let claimed = import_batch::Entity::update_many()
        .col_expr(import_batch::Column::Status, sea_orm::sea_query::Expr::value("running"))
        .col_expr(import_batch::Column::Error, sea_orm::sea_query::Expr::value(None::<String>))
        .filter(import_batch::Column::Id.eq(id))
        .filter(import_batch::Column::Status.is_in(["preview", "failed"]))
        .exec(db)
        .await?;
    if claimed.rows_affected == 0 {
        return Err(ServiceError::Conflict("err.import.not_editable_now".into()));
    }
    set_progress(id, 0, batch.row_count as u64);
    Ok(())
}

/// Batches left "running" by a process that stopped mid-commit (their transaction was rolled
/// back with it) become failed, so they can be committed again. Run when a process's jobs
/// start, before it commits anything. (With several instances, a batch another instance is
/// committing at that moment shows failed until that commit ends and marks it done.) Returns how
/// many.
/// Errors: `Db` only.
pub async fn recover(db: &DatabaseConnection) -> Result<u64, ServiceError> {
    interrupted(db, None).await
}

/// Marks batch `id` (None: every batch) that is still running as failed with
/// `err.import.interrupted`; returns how many.
async fn interrupted(db: &DatabaseConnection, id: Option<i64>) -> Result<u64, ServiceError> {
    let error = serde_json::to_string(&FieldError::new("", "err.import.interrupted")).unwrap_or_default();
    let mut update = import_batch::Entity::update_many()
        .col_expr(import_batch::Column::Status, sea_orm::sea_query::Expr::value("failed"))
        .col_expr(import_batch::Column::Error, sea_orm::sea_query::Expr::value(error))
        .filter(import_batch::Column::Status.eq("running"));
    if let Some(id) = id {
        update = update.filter(import_batch::Column::Id.eq(id));
    }
    Ok(update.exec(db).await?.rows_affected)
}

/// Commits a claimed batch in one transaction; on failure nothing of it stays and the batch says
/// why (the error's first field message, or a logged reference). Returns the counts created,
/// updated, skipped and failed.
/// Errors: whatever the commit met, also saved on the batch: `NotFound`/`Hidden` (batch),
/// `Invalid`, `Forbidden`, `Stale` (a duplicate changed meanwhile), `Conflict`, `Internal`, `Db`.
pub async fn run(db: &DatabaseConnection, actor: &SessionUser, id: i64) -> Result<Outcome, ServiceError> {
    let result = commit(db, actor, id).await;
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
        let saved = import_batch::Entity::update_many()
            .col_expr(import_batch::Column::Status, sea_orm::sea_query::Expr::value("failed"))
            .col_expr(
                import_batch::Column::Error,
                sea_orm::sea_query::Expr::value(serde_json::to_string(&error).unwrap_or_default()),
            )
            .filter(import_batch::Column::Id.eq(id))
            .exec(db)
            .await;
        if let Err(db_error) = saved {
            tracing::error!(batch = id, error = %db_error, "could not record the failed import");
        }
    }
    end_progress(id);
    result
}

async fn commit(db: &DatabaseConnection, actor: &SessionUser, id: i64) -> Result<Outcome, ServiceError> {
    let batch = find(db, actor, id).await?;
    let input = batch_rows(db, &batch).await?;
    let rows = &input.rows;
    let mapping = &input.mapping;
    let mapped: Vec<_> = mapping.iter().flatten().copied().collect();
    let mode = mode_of(&batch);
    let total = rows.len() as u64;

    // Every row is read and checked before the write lock is taken (other saves go on
    // meanwhile); inside, the leads the rows could match are read again and the rows checked
    // again only if one of those leads changed in between.
    let started = std::time::Instant::now();
    let keys = Keys::of(&input);
    let mut known = Known::load(db, &keys).await?;
    let mut verdicts = classify(&input, &known, actor);
    let checked = started.elapsed();
    let txn = crate::backend::db::begin_write(db).await?;
    let locked = std::time::Instant::now();
    let current = Known::load(&txn, &keys).await?;
    if !current.same_as(&known) {
        verdicts = classify(&input, &current, actor);
        known = current;
    }
    let mut outcome = Outcome::default();
    let mut failed: Vec<FailedRow> = Vec::new();
    let mut done = 0u64;

    // New leads, in chunks, each scored as it goes in (no chain placements yet, so the score
    // needs nothing but the row; the same function `rescore` uses).
    let (score_version, config) = super::scoring::current(&txn).await?;
    let coverage = super::coverage::Coverage::load(&txn).await?;
    let now = Utc::now();
    let owner = (!actor.role.assigns_leads()).then_some(actor.id);
    let mut contacts_of: HashMap<String, &Vec<crate::domain::lead::Contact>> = HashMap::new();
    let mut chunk: Vec<lead::ActiveModel> = Vec::with_capacity(CHUNK);
    for v in &verdicts {
        done += 1;
        let Verdict::New(input) = v else { continue };
        let region = resolve_region(input)?;
        let mut active = new_lead(actor, owner, input, &region, now);
        active.import_batch_id = Set(Some(id));
        let facts = ScoreFacts::of_input(input, &region);
        let fit = crate::domain::score::score(&input_for(&facts, &[], &coverage), &config);
        active.score = Set(Some(fit.score));
        active.grade = Set(Some(fit.grade.code().to_string()));
        active.score_version = Set(Some(score_version));
        if !input.contacts.is_empty() {
            contacts_of.insert(input.name_key.clone(), &input.contacts);
        }
        chunk.push(active);
        outcome.created += 1;
        if chunk.len() == CHUNK {
            lead::Entity::insert_many(std::mem::take(&mut chunk)).exec(&txn).await?;
            set_progress(id, done, total);
        }
    }
    if !chunk.is_empty() {
        lead::Entity::insert_many(chunk).exec(&txn).await?;
    }
    let created: Vec<(i64, String)> = lead::Entity::find()
        .select_only()
        .columns([lead::Column::Id, lead::Column::NameKey])
        .filter(lead::Column::ImportBatchId.eq(id))
        .order_by_asc(lead::Column::Id)
        .into_tuple()
        .all(&txn)
        .await?;
    let contacts: Vec<lead_contact::ActiveModel> = created
        .iter()
        .filter_map(|(lead_id, key)| contacts_of.get(key).map(|cs| contact_rows(*lead_id, cs)))
        .flatten()
        .collect();
    for part in contacts.chunks(CHUNK * 2) {
        lead_contact::Entity::insert_many(part.to_vec()).exec(&txn).await?;
    }

    // Duplicates, then the rows that could not be read.
    for (i, v) in verdicts.iter().enumerate() {
        match v {
            Verdict::New(_) => {}
            Verdict::Duplicate { target, form, editable, .. } => {
                if mode == DuplicateMode::Skip || !editable {
                    outcome.skipped += 1;
                    continue;
                }
                let existing = known.get(*target);
                let saved = super::leads::edit_form(&txn, actor, existing.id).await?.form;
                let Some(merged) = merge(&saved, form, &mapped, mode) else {
                    outcome.skipped += 1;
                    continue;
                };
                match merged.parse() {
                    Ok(input) => {
                        super::leads::update(&txn, actor, existing.id, input).await?;
                        outcome.updated += 1;
                    }
                    Err(errors) => {
                        outcome.failed += 1;
                        failed.push(FailedRow {
                            line: input.line(i),
                            cells: rows[i].clone(),
                            issues: errors.into_iter().map(|error| RowIssue { column: None, error }).collect(),
                        });
                    }
                }
            }
            Verdict::Invalid(issues) => {
                outcome.failed += 1;
                failed.push(FailedRow { line: input.line(i), cells: rows[i].clone(), issues: issues.clone() });
            }
        }
    }
    set_progress(id, total, total);

    import_batch::Entity::update_many()
        .col_expr(import_batch::Column::Status, sea_orm::sea_query::Expr::value("done"))
        .col_expr(import_batch::Column::Created, sea_orm::sea_query::Expr::value(outcome.created as i32))
        .col_expr(import_batch::Column::Updated, sea_orm::sea_query::Expr::value(outcome.updated as i32))
        .col_expr(import_batch::Column::Skipped, sea_orm::sea_query::Expr::value(outcome.skipped as i32))
        .col_expr(import_batch::Column::Failed, sea_orm::sea_query::Expr::value(outcome.failed as i32))
        .col_expr(
            import_batch::Column::Report,
            sea_orm::sea_query::Expr::value(
                serde_json::to_string(&failed).map_err(|e| ServiceError::Internal(e.to_string()))?,
            ),
        )
        .col_expr(import_batch::Column::FinishedAt, sea_orm::sea_query::Expr::value(Utc::now()))
        // The file was kept only to switch sheet or header row in the preview.
        .col_expr(import_batch::Column::Source, sea_orm::sea_query::Expr::value(Option::<Vec<u8>>::None))
        .filter(import_batch::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    // The write lock's hold is what other saves may wait for (SQLite's busy timeout is 10 s).
    tracing::info!(
        batch = id,
        rows = total,
        created = outcome.created,
        checked_ms = checked.as_millis() as u64,
        lock_wait_ms = (locked - started).saturating_sub(checked).as_millis() as u64,
        locked_ms = locked.elapsed().as_millis() as u64,
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
