//! 别名: the office's words for enumerated values, as kept in `value_aliases`. Admins list,
//! add and remove them on `/admin/aliases`; a user who maps an unknown value once in an import
//! preview adds one too, so the next file with that word reads it (and says so at the cell).

use super::access::require_admin;
use super::ServiceError;
use crate::backend::entities::value_alias;
use crate::domain::import_alias::{alias_key, parse_alias, Alias, Aliases};
use crate::domain::lead::FieldError;
use crate::wire::auth::SessionUser;
use crate::wire::imports::AliasRow;
use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

/// The aliases in force: built-in, then saved.
/// Errors: `Db` only.
pub async fn load(db: &impl ConnectionTrait) -> Result<Aliases, ServiceError> {
    let saved = value_alias::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|a| Alias { field: a.field, alias: a.alias, code: a.code })
        .collect();
    Ok(Aliases::with_saved(saved))
}

/// Every saved alias, by field then word, with who saved it (admins only).
/// Errors: `Forbidden` (not an admin), `Db`.
pub async fn list(db: &impl ConnectionTrait, actor: &SessionUser) -> Result<Vec<AliasRow>, ServiceError> {
    require_admin(actor)?;
    let rows = value_alias::Entity::find()
        .order_by_asc(value_alias::Column::Field)
        .order_by_asc(value_alias::Column::AliasKey)
        .all(db)
        .await?;
    let who = super::users::names(db, rows.iter().map(|a| a.created_by)).await?;
    Ok(rows
        .into_iter()
        .map(|a| AliasRow {
            id: a.id,
            by: who.get(&a.created_by).cloned().unwrap_or_default(),
            field: a.field,
            alias: a.alias,
            code: a.code,
        })
        .collect())
}

/// Saves `alias` → `code` for `field`; an earlier meaning of the same word is replaced only when
/// `overwrite` (an admin's edit), else kept. No role check: an import preview's user saves too.
/// Errors: `Invalid` at `alias` (`err.alias.invalid`) for an unknown field or code or an empty or
/// over-long word; `Db`.
pub async fn save(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    field: &str,
    alias: &str,
    code: &str,
    overwrite: bool,
) -> Result<(), ServiceError> {
    let Some(a) = parse_alias(field.trim(), alias, code.trim()) else {
        return Err(ServiceError::Invalid(vec![FieldError::new("alias", "err.alias.invalid")]));
    };
    let mut conflict = OnConflict::columns([value_alias::Column::Field, value_alias::Column::AliasKey]);
    if overwrite {
        conflict.update_columns([
            value_alias::Column::Alias,
            value_alias::Column::Code,
            value_alias::Column::CreatedBy,
        ]);
    } else {
        conflict.do_nothing();
    }
    let inserted = value_alias::Entity::insert(value_alias::ActiveModel {
        alias_key: Set(alias_key(&a.alias)),
        field: Set(a.field),
        alias: Set(a.alias),
        code: Set(a.code),
        created_by: Set(actor.id),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .on_conflict(conflict.to_owned())
    .exec(db)
    .await;
    match inserted {
        Ok(_) | Err(sea_orm::DbErr::RecordNotInserted) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// An admin adds an alias (replacing the word's earlier meaning).
/// Errors: `Forbidden` (not an admin), then those of [`save`].
pub async fn add(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    field: &str,
    alias: &str,
    code: &str,
) -> Result<(), ServiceError> {
    require_admin(actor)?;
    save(db, actor, field, alias, code, true).await
}

/// An admin removes alias `id`.
/// Errors: `Forbidden` (not an admin), `NotFound` (no such alias), `Db`.
pub async fn remove(db: &impl ConnectionTrait, actor: &SessionUser, id: i64) -> Result<(), ServiceError> {
    require_admin(actor)?;
    let done = value_alias::Entity::delete_many().filter(value_alias::Column::Id.eq(id)).exec(db).await?;
    if done.rows_affected == 0 {
        return Err(ServiceError::NotFound);
    }
    Ok(())
}
