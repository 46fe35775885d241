//! An import commits in parts (see `import_commit`): the new leads of each part are saved in a
//! transaction of their own, so a long import holds SQLite's write lock a moment at a time and
//! saves made meanwhile go through. The batch stays all or nothing at rest: a commit that fails
//! takes back the parts it saved, and one cut off (a stop past its grace, `kill -9`, a power
//! cut) is taken back once its lease has run out, by the jobs of whichever instance looks next.
//!
//! A take-back goes in three steps, each safe to cut off: the running batch's lease is cleared
//! (`lease_until` NULL: from then on its commit, should it still be alive, cannot renew and
//! stops, and it cannot be claimed again while it stays running) and the reason is recorded;
//! its leads are deleted; only then is it marked failed. One cut off between the steps is still
//! running with no lease, and the next `recover` finishes it, keeping the reason: a `recover`
//! that meets a take-back still going only deletes the same leads alongside it.

use super::ServiceError;
use crate::backend::entities::{
    attachment, import_batch, land_contract, lead, project_event_lead, project_milestone, project_procedure,
};
use crate::domain::lead::FieldError;
use chrono::Utc;
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
};
use std::time::Duration;

/// Leads deleted per transaction when a batch is taken back.
const UNDO_PART: u64 = 2_000;

/// Extends the running batch `id`'s lease to now + `lease` (inside the transaction of the part
/// being saved). Errors: `Conflict("err.import.interrupted")` when the batch is no longer running
/// or is being taken back (another instance found its lease run out), `Db`.
pub async fn renew(db: &impl ConnectionTrait, id: i64, lease: Duration) -> Result<(), ServiceError> {
    let renewed = import_batch::Entity::update_many()
        .col_expr(import_batch::Column::LeaseUntil, Expr::value(lease_end(lease)))
        .filter(import_batch::Column::Id.eq(id))
        .filter(import_batch::Column::Status.eq("running"))
        .filter(import_batch::Column::LeaseUntil.is_not_null())
        .exec(db)
        .await?;
    if renewed.rows_affected == 0 {
        return Err(ServiceError::Conflict("err.import.interrupted".into()));
    }
    Ok(())
}

/// Deletes the leads batch `id` created (with what was added to them meanwhile: their
/// contacts, activities and the rest go with them, by cascade or here; an attachment's file
/// stays, content-addressed and perhaps shared), 2,000 a transaction. Returns how many.
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
        // These refer to a lead without a cascading foreign key: they go first, by hand.
        macro_rules! without_cascade {
            ($($entity:ident),*) => {$(
                $entity::Entity::delete_many().filter($entity::Column::LeadId.is_in(ids.clone())).exec(&txn).await?;
            )*};
        }
        without_cascade!(attachment, land_contract, project_procedure, project_milestone, project_event_lead);
        let deleted = lead::Entity::delete_many().filter(lead::Column::Id.is_in(ids)).exec(&txn).await?;
        txn.commit().await?;
        removed += deleted.rows_affected;
    }
}

/// now + `lease`, as stored in `lease_until`.
pub fn lease_end(lease: Duration) -> chrono::DateTime<Utc> {
    Utc::now() + chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::seconds(60))
}

/// Takes back every running batch whose lease has run out, or that is being taken back (no
/// lease): see the module's doc. It ends failed with `err.import.interrupted` (so it can be
/// committed again). Run when an instance's jobs start and at each of their steps. Returns how
/// many batches. Errors: `Db` only (a batch cut off by it is finished by the next run).
pub async fn recover(db: &DatabaseConnection) -> Result<u64, ServiceError> {
    take_back_all(db, true).await
}

/// For a copy of the database (a backup), where no commit will ever go on: every batch still
/// running in it is taken back, whatever its lease, so the copy holds each import whole or not
/// at all. Returns how many batches. Errors: `Db` only.
pub async fn settle_copy(db: &DatabaseConnection) -> Result<u64, ServiceError> {
    take_back_all(db, false).await
}

async fn take_back_all(db: &DatabaseConnection, only_lapsed: bool) -> Result<u64, ServiceError> {
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
        let error = FieldError::new("", "err.import.interrupted");
        if take_back(db, id, only_lapsed, &error).await? {
            taken += 1;
        }
    }
    Ok(taken)
}

/// Takes batch `id` back if it is running (and, with `only_lapsed`, its lease has run out or it
/// is already being taken back): its lease cleared, its leads deleted, then it is marked failed.
/// The take-back that clears the lease records `error` as the reason; one that finds the lease
/// already cleared (another take-back going on, or cut off) only helps finish it, and the first
/// reason stays (a commit that failed says why, even when a `recover` finishes its take-back).
/// Returns whether this call marked it failed. Errors: `Db`; the batch then stays running with
/// no lease, for the next `recover`.
pub async fn take_back(
    db: &DatabaseConnection,
    id: i64,
    only_lapsed: bool,
    error: &FieldError,
) -> Result<bool, ServiceError> {
    let reason = serde_json::to_string(error).unwrap_or_default();
    let mut stop = import_batch::Entity::update_many()
        .col_expr(import_batch::Column::LeaseUntil, Expr::value(Option::<chrono::DateTime<Utc>>::None))
        .col_expr(import_batch::Column::Error, Expr::value(reason.clone()))
        .filter(import_batch::Column::Id.eq(id))
        .filter(import_batch::Column::Status.eq("running"))
        .filter(import_batch::Column::LeaseUntil.is_not_null());
    if only_lapsed {
        stop = stop.filter(import_batch::Column::LeaseUntil.lt(Utc::now()));
    }
    // A commit still alive renews inside each part's transaction: this waits for its part to
    // end (the write lock, or the batch's row on PostgreSQL); after it, that commit cannot renew.
    if stop.exec(db).await?.rows_affected == 0 {
        let being_taken_back = import_batch::Entity::find()
            .filter(import_batch::Column::Id.eq(id))
            .filter(import_batch::Column::Status.eq("running"))
            .filter(import_batch::Column::LeaseUntil.is_null())
            .count(db)
            .await?;
        if being_taken_back == 0 {
            return Ok(false);
        }
    }
    let removed = undo(db, id).await?;
    // The reason set by the take-back that started it (none for a batch from before leases).
    let kept = Func::coalesce([Expr::col(import_batch::Column::Error).into(), Expr::value(reason)]);
    let marked = import_batch::Entity::update_many()
        .col_expr(import_batch::Column::Status, Expr::value("failed"))
        .col_expr(import_batch::Column::Error, kept.into())
        .filter(import_batch::Column::Id.eq(id))
        .filter(import_batch::Column::Status.eq("running"))
        .filter(import_batch::Column::LeaseUntil.is_null())
        .exec(db)
        .await?;
    tracing::warn!(batch = id, removed, error = %error.key, "import taken back");
    Ok(marked.rows_affected > 0)
}

/// A batch whose lease is over, or that has none (being taken back, or from before leases).
fn lapsed() -> Condition {
    Condition::any()
        .add(import_batch::Column::LeaseUntil.is_null())
        .add(import_batch::Column::LeaseUntil.lt(Utc::now()))
}
