//! 导入批次, set up before the commit: the corrected column mapping and duplicate mode, the
//! meaning of unknown values (kept as aliases), another sheet or header row read from the kept
//! file, kept files let go after a week, and a batch not wanted discarded.

use super::imports::{find, from_json, json, layout_of, mapping_codes, RowPacker};
use super::ServiceError;
use crate::backend::entities::import_batch;
use crate::backend::Settings;
use crate::domain::import::ImportColumn;
use crate::domain::import_merge::DuplicateMode;
use crate::domain::import_table::stream_table;
use crate::domain::lead::FieldError;
use crate::domain::sheet;
use crate::wire::auth::SessionUser;
use chrono::Utc;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait};

/// What else a preview's form may change: the sheet, the header row (Excel's row number, as
/// text from the form), and unknown values' meanings as (field, value, code).
#[derive(Clone, Copy, Debug, Default)]
pub struct Change<'a> {
    pub sheet: &'a str,
    pub header_line: &'a str,
    pub values: &'a [(String, String, String)],
}

/// Saves the corrected mapping (one lead field per file column at most; the company name is
/// required) and the duplicate mode; maps unknown values (as aliases); or reads the kept file
/// again from another sheet or header row, the mapping guessed anew.
/// Errors: `NotFound`/`Hidden("import:{id}")` (see `imports::find`),
/// `Conflict("err.import.not_editable_now")` (running or done), `Invalid` at `alias` (a value's
/// meaning), `mapping.{i}` (unknown or mapped twice), `mapping` (no company name),
/// `duplicate_mode`, or `file` (re-read refused); `Conflict("err.import.file_gone")` (the kept
/// file was let go), `Internal` (JSON), `Db`.
pub async fn configure<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    settings: &Settings,
    actor: &SessionUser,
    id: i64,
    mapping: &[String],
    mode: &str,
    change: Change<'_>,
) -> Result<(), ServiceError> {
    let batch = find(db, actor, id).await?;
    if !matches!(batch.status.as_str(), "preview" | "failed") {
        return Err(ServiceError::Conflict("err.import.not_editable_now".into()));
    }
    let layout = layout_of(&batch)?;
    let header_line = change.header_line.trim().parse::<usize>().ok();
    let sheet = Some(change.sheet.trim()).filter(|s| !s.is_empty());
    let other_sheet = sheet.is_some_and(|s| layout.sheet.as_deref() != Some(s));
    let other_header = header_line.is_some_and(|l| l != layout.header_line);
    // The mapping and mode are checked before anything is saved: a refused mapping saves none
    // of the values' meanings chosen beside it (one form sends both).
    let columns = match (other_sheet || other_header, mapping.is_empty() && mode.trim().is_empty()) {
        (false, false) => Some(checked_columns(&batch, mapping, mode)?),
        // Another sheet or header row guesses the mapping anew; only values mapped: none.
        _ => None,
    };
    if !change.values.is_empty() || columns.is_some() {
        let txn = crate::backend::db::begin_write(db).await?;
        for (field, value, code) in change.values {
            // A word the office already gave a meaning keeps it (admins change it on /admin/aliases).
            super::value_aliases::save(&txn, actor, field, value, code, false).await?;
        }
        if let Some(active) = columns {
            save(&txn, batch.id, active).await?;
        }
        txn.commit().await?;
    }
    if other_sheet || other_header {
        let sheet = sheet.map(str::to_string).or(layout.sheet.clone());
        let header_line = if other_sheet { None } else { header_line };
        return reread(db, &settings.import_limits, batch, sheet.as_deref(), header_line).await;
    }
    Ok(())
}

/// The batch's columns set to `mapping` (a lead field's code per file column, "" for none) and
/// the duplicate `mode` ("" for skip), checked: one lead field per column at most, the company
/// name mapped.
/// Errors: `Invalid` at `mapping.{i}` (unknown or mapped twice), `mapping` (no company name),
/// `duplicate_mode`; `Internal` (JSON).
fn checked_columns(
    batch: &import_batch::Model,
    mapping: &[String],
    mode: &str,
) -> Result<import_batch::ActiveModel, ServiceError> {
    let headers: Vec<String> = from_json(&batch.headers)?;
    let mut errors = Vec::new();
    let mut codes: Vec<String> = Vec::with_capacity(headers.len());
    let mut taken: Vec<ImportColumn> = Vec::new();
    for i in 0..headers.len() {
        let code = mapping.get(i).map(|c| c.trim()).unwrap_or("");
        if code.is_empty() {
            codes.push(String::new());
            continue;
        }
        match ImportColumn::parse(code) {
            None => errors.push(FieldError::new(format!("mapping.{i}"), "err.choose")),
            Some(c) if taken.contains(&c) => {
                errors.push(FieldError::new(format!("mapping.{i}"), "err.import.mapped_twice"))
            }
            Some(c) => {
                taken.push(c);
                codes.push(c.code().to_string());
            }
        }
    }
    if errors.is_empty() && !taken.contains(&ImportColumn::CompanyName) {
        errors.push(FieldError::new("mapping", "err.import.company_name_unmapped"));
    }
    let Some(mode) = DuplicateMode::parse(mode.trim()).or((mode.trim().is_empty()).then_some(DuplicateMode::Skip))
    else {
        return Err(ServiceError::Invalid(vec![FieldError::new("duplicate_mode", "err.choose")]));
    };
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    Ok(import_batch::ActiveModel {
        mapping: Set(json(&codes)?),
        duplicate_mode: Set(mode.code().into()),
        ..Default::default()
    })
}

/// Saves the columns `active` sets on batch `id` (not `ActiveModel::update`, which reads the
/// whole row back: the kept file and the rows).
async fn save(db: &impl ConnectionTrait, id: i64, active: import_batch::ActiveModel) -> Result<(), ServiceError> {
    import_batch::Entity::update_many().set(active).filter(import_batch::Column::Id.eq(id)).exec(db).await?;
    Ok(())
}

/// Batches created more than `days` ago give up their kept file (the batch, its rows and its
/// mapping stay; only switching sheet or header row is no longer offered). Returns how many.
/// Errors: `Db` only.
pub async fn forget_old_sources(db: &impl ConnectionTrait, days: i64) -> Result<u64, ServiceError> {
    let cutoff = Utc::now() - chrono::Duration::days(days);
    let done = import_batch::Entity::update_many()
        .col_expr(import_batch::Column::Source, sea_orm::sea_query::Expr::value(Option::<Vec<u8>>::None))
        .filter(import_batch::Column::Source.is_not_null())
        .filter(import_batch::Column::CreatedAt.lt(cutoff))
        .exec(db)
        .await?;
    Ok(done.rows_affected)
}

/// The kept file read again from `sheet` with its header on `header_line` (else found), in one
/// of the import slots, off the async workers, its rows packed as they are read.
async fn reread(
    db: &impl ConnectionTrait,
    limits: &sheet::Limits,
    batch: import_batch::Model,
    sheet: Option<&str>,
    header_line: Option<usize>,
) -> Result<(), ServiceError> {
    let slot = super::import_work::slot().await?;
    let Some(bytes) = super::imports::source_of(db, batch.id).await? else {
        return Err(ServiceError::Conflict("err.import.file_gone".into()));
    };
    let (limits, sheet) = (limits.clone(), sheet.map(str::to_string));
    let read = super::import_work::off_thread(move || -> Result<_, ServiceError> {
        let _slot = slot;
        let mut packer = RowPacker::new();
        let (headers, layout) =
            stream_table(&bytes, &limits, sheet.as_deref(), header_line, |cells| packer.push(&cells))?;
        Ok((headers, layout, packer.rows(), packer.finish()?))
    });
    let (headers, layout, row_count, packed) = read.await??;
    let active = import_batch::ActiveModel {
        mapping: Set(json(&mapping_codes(&headers))?),
        headers: Set(json(&headers)?),
        row_count: Set(row_count as i32),
        rows: Set(String::new()),
        rows_packed: Set(Some(packed)),
        layout: Set(Some(json(&layout)?)),
        ..Default::default()
    };
    save(db, batch.id, active).await
}

/// 放弃导入: batch `id`, not committed (awaiting confirmation, or failed and taken back), is
/// deleted with its kept file and rows, by whoever may see it ([`find`]: its uploader, managers,
/// admins). No lead refers to it: a failed commit's saved parts were taken back. Returns the
/// file's name, for the page to say which upload went.
/// Errors: those of [`find`]; `Forbidden` (a leader); `Conflict(err.import.not_editable_now)` when it is being committed
/// or is done (checked in the delete itself, so a commit starting meanwhile wins whole); `Db`.
pub async fn discard(
    db: &impl ConnectionTrait,
    memory: &super::imports::ImportMemory,
    actor: &SessionUser,
    id: i64,
) -> Result<String, ServiceError> {
    let batch = find(db, actor, id).await?;
    // As for the commit (`import_commit::claim`): those who may write leads.
    if !actor.role.writes_leads() {
        return Err(ServiceError::Forbidden);
    }
    let deleted = import_batch::Entity::delete_many()
        .filter(import_batch::Column::Id.eq(id))
        .filter(import_batch::Column::Status.is_in(["preview", "failed"]))
        .exec(db)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(ServiceError::Conflict("err.import.not_editable_now".into()));
    }
    tracing::info!(batch = id, by = actor.id, "import discarded");
    memory.previews.forget(id);
    Ok(batch.file_name)
}
