//! 导入批次: an uploaded file kept with its guessed (then corrected) column mapping and the
//! duplicate mode, its preview on demand, the list of past imports, and the failed rows as a
//! spreadsheet. The commit itself is `import_commit`.

use super::import_preview::{preview, verdicts, BatchRows, Keys, Known};
use super::import_rows::rows_in;
pub use super::import_rows::{keep_source, kept_source, pack_rows, rows_of, RowPacker, Rows};
use super::{import_preview_cache, import_work, ServiceError};
use crate::backend::entities::import_batch;
use crate::backend::{local_time, Settings};
use crate::domain::import::{guess_mapping, ImportColumn};
use crate::domain::import_merge::DuplicateMode;
use crate::domain::import_table::{stream_table, Layout};
use crate::domain::import_units::Unit;
use crate::domain::lead::FieldError;
use crate::domain::role::may_open_import;
use crate::domain::sheet::SheetError;
use crate::wire::auth::SessionUser;
use crate::wire::imports::{
    ImportPage, ImportPhase, ImportProgress, ImportSummary, PreviewCounts, PreviewRow, ReadAs, UnknownValue,
    PREVIEW_ROWS,
};
use chrono::Utc;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Mutex;

pub use super::import_report::{reasons, FailedRow};

pub(super) fn json<T: Serialize>(v: &T) -> Result<String, ServiceError> {
    serde_json::to_string(v).map_err(|e| ServiceError::Internal(e.to_string()))
}

pub(super) fn from_json<T: for<'de> Deserialize<'de>>(s: &str) -> Result<T, ServiceError> {
    serde_json::from_str(s).map_err(|e| ServiceError::Internal(e.to_string()))
}

/// The batch's column mapping, one lead field (or none) per file column.
/// Errors: `Internal` when the stored JSON does not parse.
pub fn mapping_of(batch: &import_batch::Model) -> Result<Vec<Option<ImportColumn>>, ServiceError> {
    let codes: Vec<String> = from_json(&batch.mapping)?;
    Ok(codes.iter().map(|c| ImportColumn::parse(c)).collect())
}

/// How the batch's file was read (sheet, header row, row numbers, amount unit); the default for
/// older batches without one.
/// Errors: `Internal` when the stored JSON does not parse.
pub fn layout_of(batch: &import_batch::Model) -> Result<Layout, ServiceError> {
    batch.layout.as_deref().map(from_json).transpose().map(Option::unwrap_or_default)
}

/// The batch's rows (taken out of `batch`, unpacked off the async workers), their numbers,
/// mapping, units and the aliases in force.
/// Errors: `Internal` (stored JSON that does not parse), `Db`.
pub async fn batch_rows(db: &impl ConnectionTrait, batch: &mut import_batch::Model) -> Result<BatchRows, ServiceError> {
    let layout = layout_of(batch)?;
    let (headers, mapping) = (from_json(&batch.headers)?, mapping_of(batch)?);
    let aliases = super::value_aliases::load(db).await?;
    let (packed, text) = (batch.rows_packed.take(), std::mem::take(&mut batch.rows));
    let rows = import_work::off_thread(move || rows_in(packed.as_deref(), &text)).await??;
    Ok(BatchRows { headers, rows, lines: layout.lines, mapping, amount_unit: layout.amount_unit, aliases })
}

/// The batch's duplicate mode; the default (skip) for an unknown code.
pub fn mode_of(batch: &import_batch::Model) -> DuplicateMode {
    DuplicateMode::parse(&batch.duplicate_mode).unwrap_or_default()
}

/// Reads the file within the limits and keeps it as a batch awaiting its preview; returns its
/// id. The guessed mapping and skip mode are stored; the file itself only when there is another
/// sheet or header row to switch to. Anyone who writes leads. The file is read in one of
/// [`import_work::AT_ONCE`] slots, off the async workers; its rows are kept compressed
/// ([`RowPacker`]).
/// Errors: `Forbidden` (leaders), `Invalid` at `file` (the `SheetError` key: too large (max in MB),
/// too many rows or columns, no header, old .xls, unreadable, bad encoding, zip bomb; or
/// `err.import.no_rows`), `Internal` (JSON), `Db`.
pub async fn upload(
    db: &impl ConnectionTrait,
    settings: &Settings,
    actor: &SessionUser,
    file_name: &str,
    bytes: Vec<u8>,
) -> Result<i64, ServiceError> {
    if !actor.role.writes_leads() {
        return Err(ServiceError::Forbidden);
    }
    let slot = import_work::slot().await?;
    let limits = settings.import_limits.clone();
    // The slot goes with the work: a request given up meanwhile does not free it early.
    let read = import_work::off_thread(move || -> Result<_, ServiceError> {
        let _slot = slot;
        // Each row packed as it is read: the rows are never all held as cells.
        let mut packer = RowPacker::new();
        let (headers, layout) = stream_table(&bytes, &limits, None, None, |cells| packer.push(&cells))?;
        if packer.rows() == 0 {
            return Err(ServiceError::Invalid(vec![FieldError::new("file", "err.import.no_rows")]));
        }
        // Kept only where there is something to switch: another sheet, another header row.
        let keep = layout.sheets.len() > 1 || layout.candidates.len() > 1;
        let source = if keep { Some(keep_source(bytes)?) } else { None };
        Ok((headers, packer.rows(), packer.finish()?, layout, source))
    });
    let (headers, row_count, packed, layout, source) = read.await??;
    let name: String = file_name.chars().rev().take(200).collect::<Vec<_>>().into_iter().rev().collect();
    let batch = import_batch::ActiveModel {
        user_id: Set(actor.id),
        file_name: Set(if name.trim().is_empty() { "upload".into() } else { name }),
        created_at: Set(Utc::now()),
        status: Set("preview".into()),
        duplicate_mode: Set(DuplicateMode::Skip.code().into()),
        headers: Set(json(&headers)?),
        mapping: Set(json(&mapping_codes(&headers))?),
        row_count: Set(row_count as i32),
        rows: Set(String::new()),
        rows_packed: Set(Some(packed)),
        layout: Set(Some(json(&layout)?)),
        source: Set(source),
        ..Default::default()
    };
    // Not `ActiveModel::insert`: it reads the row back (the file and the rows once more).
    let id = import_batch::Entity::insert(batch).exec(db).await?.last_insert_id;
    // The file and its packed rows are freed: back to the OS now, not after jemalloc's decay.
    crate::backend::memory::give_back();
    Ok(id)
}

impl From<SheetError> for ServiceError {
    /// A refused file is always the upload field's message (sizes in MB).
    fn from(e: SheetError) -> Self {
        let mut error = FieldError::new("file", e.message_key());
        if let Some(max) = e.max() {
            let max = if matches!(e, SheetError::TooLarge { .. }) { max >> 20 } else { max };
            error = error.with("max", max);
        }
        ServiceError::Invalid(vec![error])
    }
}

/// The guessed lead field of each header, as codes ("" for none).
pub(super) fn mapping_codes(headers: &[String]) -> Vec<String> {
    guess_mapping(headers).iter().map(|c| c.map(|c| c.code().to_string()).unwrap_or_default()).collect()
}

/// The batch if `actor` started it (admins and managers: any), without its kept file: `source`
/// is `Some` of no bytes when there is one (it is up to 30 MB, read only to read the file again:
/// [`source_of`]; the preview loads the batch at each view).
/// Errors: `NotFound` (no such batch), `Hidden("import:{id}")` (someone else's), `Db`.
pub async fn find(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    id: i64,
) -> Result<import_batch::Model, ServiceError> {
    use import_batch::Column as C;
    use sea_orm::Iterable;
    let batch = import_batch::Entity::find_by_id(id)
        .select_only()
        .columns(C::iter().filter(|c| !matches!(c, C::Source)))
        // No bytes of it (NULL stays NULL): the same on SQLite and PostgreSQL.
        .column_as(sea_orm::sea_query::Expr::cust(r#"substr("source", 1, 0)"#), "source")
        .into_model::<import_batch::Model>()
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if may_open_import(actor.role, actor.id, batch.user_id) {
        Ok(batch)
    } else {
        Err(ServiceError::Hidden(format!("import:{id}")))
    }
}

/// The file kept with batch `id` (see [`find`]), if any, as it was uploaded.
/// Errors: `Db` only.
pub async fn source_of(db: &impl ConnectionTrait, id: i64) -> Result<Option<Vec<u8>>, ServiceError> {
    let source: Option<Option<Vec<u8>>> = import_batch::Entity::find_by_id(id)
        .select_only()
        .column(import_batch::Column::Source)
        .into_tuple()
        .one(db)
        .await?;
    Ok(source.flatten().map(kept_source))
}

/// A batch without its big columns.
#[derive(sea_orm::FromQueryResult)]
struct Listed {
    id: i64,
    user_id: i64,
    file_name: String,
    created_at: chrono::DateTime<Utc>,
    status: String,
    row_count: i32,
    created: i32,
    updated: i32,
    skipped: i32,
    failed: i32,
}

fn summary(b: Listed, by: String) -> ImportSummary {
    ImportSummary {
        id: b.id,
        file_name: b.file_name,
        by,
        created_at: local_time(b.created_at),
        status: b.status,
        row_count: b.row_count,
        created: b.created,
        updated: b.updated,
        skipped: b.skipped,
        failed: b.failed,
    }
}

fn listed(b: &import_batch::Model) -> Listed {
    Listed {
        id: b.id,
        user_id: b.user_id,
        file_name: b.file_name.clone(),
        created_at: b.created_at,
        status: b.status.clone(),
        row_count: b.row_count,
        created: b.created,
        updated: b.updated,
        skipped: b.skipped,
        failed: b.failed,
    }
}

/// The latest imports `actor` may see (their own; managers and admins: everyone's), at most 50,
/// newest first, times in Asia/Shanghai.
/// Errors: `Db` only.
pub async fn list(db: &impl ConnectionTrait, actor: &SessionUser) -> Result<Vec<ImportSummary>, ServiceError> {
    use import_batch::Column as C;
    let mut q = import_batch::Entity::find()
        .select_only()
        .columns([C::Id, C::UserId, C::FileName, C::CreatedAt, C::Status, C::RowCount])
        .columns([C::Created, C::Updated, C::Skipped, C::Failed]);
    // The history lists what `may_open_import` allows.
    if !actor.role.assigns_leads() {
        q = q.filter(C::UserId.eq(actor.id));
    }
    let batches = q.order_by_desc(C::CreatedAt).order_by_desc(C::Id).limit(50).into_model::<Listed>().all(db).await?;
    let who = super::users::names(db, batches.iter().map(|b| b.user_id)).await?;
    Ok(batches
        .into_iter()
        .map(|b| {
            let by = who.get(&b.user_id).cloned().unwrap_or_default();
            summary(b, by)
        })
        .collect())
}

/// The batch with its preview under the current mapping and mode (at most `PREVIEW_ROWS` rows:
/// problems, then duplicates, then new), or for a done batch its failed rows; while it is being
/// committed, its progress only (no rows, no counts).
/// Errors: those of [`find`] (`NotFound`, `Hidden`), `Internal` (stored JSON), `Db`.
pub async fn page(
    db: &impl ConnectionTrait,
    memory: &ImportMemory,
    actor: &SessionUser,
    id: i64,
) -> Result<ImportPage, ServiceError> {
    let mut batch = find(db, actor, id).await?;
    let headers: Vec<String> = from_json(&batch.headers)?;
    let mapping = mapping_of(&batch)?;
    let mode = mode_of(&batch);
    let who = super::users::names(db, [batch.user_id]).await?;
    let mut unknown = Vec::new();
    if matches!(batch.status.as_str(), "done" | "running") {
        // Its preview will not be asked for again.
        memory.previews.forget(batch.id);
    }
    let mut merged = Vec::new();
    let (counts, rows) = if batch.status == "done" {
        // The outcome is in the report; the preview of today's data would be misleading.
        let report = super::import_report::shown_of(&batch)?;
        // The commit kept at most `PREVIEW_ROWS` of them.
        merged = super::import_report::merged_shown(db, actor, report.merged).await?;
        (Default::default(), report.failed.into_iter().map(|f| f.shown()).collect())
    } else if batch.status == "running" {
        // The page shows the progress (and reloads each second): checking every row again would
        // cost the commit a core for each view, and show its own new leads as duplicates.
        (Default::default(), Vec::new())
    } else {
        let key = import_preview_cache::key_of(db, &batch, actor).await?;
        let outcome = match key.and_then(|key| memory.previews.get(batch.id, actor.id, key)) {
            Some(kept) => kept,
            None => {
                let outcome = std::sync::Arc::new(checked(db, actor, &mut batch, mode).await?);
                if let Some(key) = key {
                    memory.previews.put(batch.id, actor.id, key, outcome.clone());
                }
                outcome
            }
        };
        let (counts, rows, found) = (*outcome).clone();
        unknown = found;
        (counts, rows)
    };
    let layout = layout_of(&batch)?;
    let read_as = ReadAs {
        can_change: batch.source.is_some() && matches!(batch.status.as_str(), "preview" | "failed"),
        sheets: layout.sheets,
        sheet: layout.sheet,
        header_line: layout.header_line,
        candidates: layout.candidates,
        amount_unit: layout.amount_unit.and_then(|u| match u {
            Unit::Money { label, .. } => Some(label),
            Unit::Foreign { currency } => Some(currency),
            Unit::Area { .. } => None,
        }),
    };
    let error = batch.error.as_deref().map(from_json::<FieldError>).transpose()?;
    // A batch committed before migration 35 kept no list of the leads it updated.
    let updates_listed = batch.status != "done"
        || batch.updated == 0
        || crate::backend::entities::import_update::Entity::find()
            .filter(crate::backend::entities::import_update::Column::BatchId.eq(batch.id))
            .one(db)
            .await?
            .is_some();
    Ok(ImportPage {
        updates_listed,
        can_commit: matches!(batch.status.as_str(), "preview" | "failed")
            && mapping.contains(&Some(ImportColumn::CompanyName)),
        // A commit's progress, while the batch says it runs (a failed one is taken back first).
        progress: (batch.status == "running").then(|| memory.progress(batch.id)).flatten(),
        summary: summary(listed(&batch), who.get(&batch.user_id).cloned().unwrap_or_default()),
        headers,
        mapping: mapping.iter().map(|c| c.map(|c| c.code().to_string()).unwrap_or_default()).collect(),
        duplicate_mode: mode.code().into(),
        counts,
        rows,
        merged,
        new_owner: (!actor.role.assigns_leads()).then(|| actor.display_name.clone()),
        unknown_values: unknown,
        read_as,
        error,
    })
}

/// Every row of `batch` checked against the leads as they are now, for `actor` (nothing kept but
/// the counts, the rows shown and the unknown values), in one of the import slots, off the async
/// workers.
/// Errors: `Internal` (stored JSON), `Db`.
async fn checked(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    batch: &mut import_batch::Model,
    mode: DuplicateMode,
) -> Result<(PreviewCounts, Vec<PreviewRow>, Vec<UnknownValue>), ServiceError> {
    let slot = import_work::slot().await?;
    let input = batch_rows(db, batch).await?;
    let (input, keys) = import_work::off_thread(move || {
        let keys = Keys::of(&input);
        (input, keys)
    })
    .await?;
    let known = Known::load(db, &keys).await?;
    let mapping = input.mapping.clone();
    let reader = actor.clone();
    let (mut counts, mut rows, unknown, to_merge) = import_work::off_thread(move || {
        let _slot = slot;
        preview(&input, verdicts(&input, &known, &reader, mode), &known, &reader, mode, PREVIEW_ROWS)
    })
    .await?;
    // Every row was unpacked and checked; only the counts and shown rows are kept.
    crate::backend::memory::give_back();
    super::import_changes::foresee(db, actor, &mapping, mode, to_merge, &mut counts, &mut rows).await?;
    Ok((counts, rows, unknown))
}

/// What an app keeps of its imports beside the database: the previews computed and where its
/// commits are. One per `AppState` (`AppState::imports`), since batch ids are one database's and
/// a process may run several apps (the tests, `lianzhao bench`, a sibling instance).
#[derive(Default)]
pub struct ImportMemory {
    pub previews: import_preview_cache::PreviewCache,
    progress: Mutex<HashMap<i64, ImportProgress>>,
}

impl ImportMemory {
    /// Batch `id` is at `phase`, with `done` of `total` rows written.
    pub(super) fn set_progress(&self, id: i64, phase: ImportPhase, done: u64, total: u64) {
        if let Ok(mut p) = self.progress.lock() {
            p.insert(id, ImportProgress { phase, done, total });
        }
    }

    pub(super) fn end_progress(&self, id: i64) {
        if let Ok(mut p) = self.progress.lock() {
            p.remove(&id);
        }
    }

    /// Where the commit of batch `id` is, while this app runs it.
    pub fn progress(&self, id: i64) -> Option<ImportProgress> {
        self.progress.lock().ok().and_then(|p| p.get(&id).copied())
    }
}

/// The rows of batch `id` that were not imported, with the reasons, as `.xlsx` bytes (see
/// [`super::import_report::failed_rows_xlsx`]).
/// Errors: those of [`find`] (`NotFound`, `Hidden`), `Internal` (stored JSON, writing the
/// workbook), `Db`.
pub async fn failed_rows_xlsx(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    id: i64,
    locale: crate::i18n::Locale,
) -> Result<Vec<u8>, ServiceError> {
    let batch = find(db, actor, id).await?;
    super::import_report::failed_rows_xlsx(&batch, locale)
}
