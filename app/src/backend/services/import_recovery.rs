//! An import commits in parts (see `import_commit`): the new leads of each part are saved in a
//! transaction of their own, so a long import holds SQLite's write lock a moment at a time and
//! saves made meanwhile go through. The batch stays all or nothing at rest: a commit that fails
//! takes back the parts it saved, and one cut off (a stop past its grace, `kill -9`, a power
//! cut) is taken back once its lease has run out, by the jobs of whichever instance looks next.

use super::ServiceError;
use crate::backend::entities::{import_batch, lead};
use crate::domain::lead::FieldError;
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use std::time::Duration;

/// Leads deleted per transaction when a batch is taken back.
const UNDO_PART: u64 = 2_000;

/// Extends the running batch `id`'s lease to now + `lease`, inside the transaction of the part
/// being saved. Errors: `Conflict("err.import.interrupted")` when the batch is no longer running
/// (another instance found its lease run out and took it back), `Db`.
pub async fn renew(db: &impl ConnectionTrait, id: i64, lease: Duration) -> Result<(), ServiceError> {
    let until = Utc::now() + chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::seconds(60));
    let renewed = import_batch::Entity::update_many()
        .col_expr(import_batch::Column::LeaseUntil, Expr::value(until))
        .filter(import_batch::Column::Id.eq(id))
        .filter(import_batch::Column::Status.eq("running"))
        .exec(db)
        .await?;
    if renewed.rows_affected == 0 {
        return Err(ServiceError::Conflict("err.import.interrupted".into()));
    }
    Ok(())
}

/// Deletes the leads batch `id` created (with what was added to them meanwhile: their
/// contacts, activities and the rest go with them), 2,000 a transaction. Returns how many.
/// Only for a batch that is not done: a done batch's leads are the office's.
/// Errors: `Db` only.
pub async fn undo(db: &DatabaseConnection, id: i64) -> Result<u64, ServiceError> {
    let mut removed = 0;
    loop {
        // Read outside the write lock: only this batch's commit or its undo adds or deletes them.
        let ids: Vec<i64> = lead::Entity::find()
            .select_only()
            .column(lead::Column::Id)
            .filter(lead::Column::ImportBatchId.eq(id))
            .limit(UNDO_PART)
            .into_tuple()
            .all(db)
            .await?;
        if ids.is_empty() {
            return Ok(removed);
        }
        let txn = crate::backend::db::begin_write(db).await?;
        let deleted = lead::Entity::delete_many().filter(lead::Column::Id.is_in(ids)).exec(&txn).await?;
        txn.commit().await?;
        removed += deleted.rows_affected;
    }
}

/// Takes back every running batch whose lease has run out (or that never had one): it is marked
/// failed with `err.import.interrupted` (so it can be committed again), then its saved parts
/// are deleted. Run when an instance's jobs start and at each of their steps. Returns how many
/// batches. Errors: `Db` only.
pub async fn recover(db: &DatabaseConnection) -> Result<u64, ServiceError> {
    take_back(db, true).await
}

/// For a copy of the database (a backup), where no commit will ever go on: every batch still
/// running in it is taken back, whatever its lease, so the copy holds each import whole or not
/// at all. Returns how many batches. Errors: `Db` only.
pub async fn settle_copy(db: &DatabaseConnection) -> Result<u64, ServiceError> {
    take_back(db, false).await
}

async fn take_back(db: &DatabaseConnection, only_lapsed: bool) -> Result<u64, ServiceError> {
    let mut running = import_batch::Entity::find()
        .select_only()
        .column(import_batch::Column::Id)
        .filter(import_batch::Column::Status.eq("running"));
    if only_lapsed {
        running = running.filter(lapsed());
    }
    let cut: Vec<i64> = running.into_tuple().all(db).await?;
    let mut taken = 0;
    for id in cut {
        // Marked first and only if still lapsed, so a commit that renewed meanwhile is left be.
        if mark_interrupted(db, id, only_lapsed).await? > 0 {
            let removed = undo(db, id).await?;
            tracing::warn!(batch = id, removed, "import cut off: taken back");
            taken += 1;
        }
    }
    Ok(taken)
}

/// Marks batch `id`, if it is still running (and, with `only_lapsed`, its lease has run out),
/// failed with `err.import.interrupted`. Returns how many rows changed (0 or 1).
/// Errors: `Db` only.
pub async fn mark_interrupted(db: &impl ConnectionTrait, id: i64, only_lapsed: bool) -> Result<u64, ServiceError> {
    let error = serde_json::to_string(&FieldError::new("", "err.import.interrupted")).unwrap_or_default();
    let mut update = import_batch::Entity::update_many()
        .col_expr(import_batch::Column::Status, Expr::value("failed"))
        .col_expr(import_batch::Column::Error, Expr::value(error))
        .col_expr(import_batch::Column::LeaseUntil, Expr::value(Option::<chrono::DateTime<Utc>>::None))
        .filter(import_batch::Column::Id.eq(id))
        .filter(import_batch::Column::Status.eq("running"));
    if only_lapsed {
        update = update.filter(lapsed());
    }
    Ok(update.exec(db).await?.rows_affected)
}

/// A batch whose lease is over (or was never taken).
fn lapsed() -> Condition {
    Condition::any()
        .add(import_batch::Column::LeaseUntil.is_null())
        .add(import_batch::Column::LeaseUntil.lt(Utc::now()))
}
