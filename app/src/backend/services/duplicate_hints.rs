//! 查重 hints while a lead is typed: other leads with the same USCC or normalised name, with
//! whether the user may open them.

use super::access::can_read_lead;
use super::users::names;
use super::ServiceError;
use crate::backend::entities::lead;
use crate::domain::names::normalise_company_name;
use crate::domain::uscc::Uscc;
use crate::wire::auth::SessionUser;
use crate::wire::leads::DuplicateHint;
use sea_orm::sea_query::Condition;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

pub(super) async fn similar_to(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    name_key: &str,
    uscc: Option<&str>,
    exclude: Option<i64>,
) -> Result<Vec<DuplicateHint>, ServiceError> {
    let mut cond = Condition::any();
    if !name_key.is_empty() {
        cond = cond.add(lead::Column::NameKey.eq(name_key));
    }
    if let Some(u) = uscc {
        cond = cond.add(lead::Column::Uscc.eq(u));
    }
    if cond.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = lead::Entity::find().filter(cond).filter(lead::Column::DeletedAt.is_null());
    if let Some(id) = exclude {
        q = q.filter(lead::Column::Id.ne(id));
    }
    let found = q.order_by_asc(lead::Column::Id).limit(10).all(db).await?;
    let who = names(db, found.iter().filter_map(|l| l.owner_id)).await?;
    Ok(found
        .into_iter()
        .map(|l| DuplicateHint {
            id: l.id,
            same_uscc: uscc.is_some() && l.uscc.as_deref() == uscc,
            readable: can_read_lead(actor, &l),
            owner_name: l.owner_id.and_then(|o| who.get(&o).cloned()),
            company_name: l.company_name,
        })
        .collect())
}

/// Duplicate hints (查重) for a name and USCC as typed (the form asks while the user types): up
/// to 10 live leads, oldest first, with the same normalised name or the same valid USCC (an
/// invalid USCC is ignored), other than `exclude`; each says whether `actor` may open it.
/// Errors: `Db` only.
pub async fn similar(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    company_name: &str,
    uscc: &str,
    exclude: Option<i64>,
) -> Result<Vec<DuplicateHint>, ServiceError> {
    let key = normalise_company_name(company_name);
    let uscc = Uscc::parse(uscc).ok();
    similar_to(db, actor, &key, uscc.as_ref().map(Uscc::as_str), exclude).await
}
