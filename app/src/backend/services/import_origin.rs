//! Where a lead came from: the import batch that created it (`leads.import_batch_id`), named on
//! the lead's page beside who created it and when.

use super::ServiceError;
use crate::backend::entities::import_batch;
use crate::domain::role::may_open_import;
use crate::wire::auth::SessionUser;
use crate::wire::leads::ImportOrigin;
use sea_orm::{ConnectionTrait, EntityTrait, QuerySelect};

/// The batch `batch` (a lead's `import_batch_id`) as the lead page names it for `actor`: its id,
/// whether they may open it and, if so, its file name (the batch's page, report and file name go
/// by one rule, `role::may_open_import`). `None` without a batch, or when the batch is gone (a
/// lead's batch cannot be discarded, but an older database may lack it).
/// Errors: `Db`.
pub async fn of(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    batch: Option<i64>,
) -> Result<Option<ImportOrigin>, ServiceError> {
    let Some(id) = batch else { return Ok(None) };
    use import_batch::Column as C;
    let found: Option<(String, i64)> = import_batch::Entity::find_by_id(id)
        .select_only()
        .columns([C::FileName, C::UserId])
        .into_tuple()
        .one(db)
        .await?;
    Ok(found.map(|(file_name, uploader)| {
        let can_open = may_open_import(actor.role, actor.id, uploader);
        ImportOrigin { id, file_name: can_open.then_some(file_name), can_open }
    }))
}
