//! Editing the industry chains (managers and admins): chains, their nodes, and the local
//! enterprises on them (链主 among them). Every change that moves a gap rescores the leads it
//! touches.

use super::access::require_manager;
use super::rescore::{rescore, Scope};
use super::ServiceError;
use crate::backend::entities::{chain, chain_node, enterprise, enterprise_node, lead_node};
use crate::domain::catalog::Industry;
use crate::domain::lead::FieldError;
use crate::domain::score::Grade;
use crate::domain::uscc::Uscc;
use crate::wire::auth::SessionUser;
use crate::wire::chains::*;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};

/// Creates an industry chain (产业链) and returns its id; it sorts after the seeded chains (100).
/// Errors: `Forbidden` (not a manager or admin), `Invalid` at `name_zh` (empty, over 100),
/// `name_en` (over 100 characters), `industry` (not in the catalogue), `Db`.
pub async fn create_chain(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    form: ChainForm,
) -> Result<i64, ServiceError> {
    require_manager(actor)?;
    let mut errors = Vec::new();
    check_name("name_zh", &form.name_zh, &mut errors);
    if form.name_en.chars().count() > 100 {
        errors.push(FieldError::new("name_en", "err.too_long").with("max", 100));
    }
    if Industry::parse(&form.industry).is_none() {
        errors.push(FieldError::new("industry", "err.choose"));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let now = Utc::now();
    let c = chain::ActiveModel {
        name_zh: Set(form.name_zh.trim().to_string()),
        name_en: Set(form.name_en.trim().to_string()),
        industry: Set(form.industry),
        description: Set(form.description.trim().to_string()),
        sort_order: Set(100),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(c.id)
}

/// A node needs a name and one of the three positions.
fn check_node_form(form: &NodeForm) -> Result<(), ServiceError> {
    let mut errors = Vec::new();
    check_name("name_zh", &form.name_zh, &mut errors);
    if !POSITIONS.contains(&form.position.as_str()) {
        errors.push(FieldError::new("position", "err.choose"));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ServiceError::Invalid(errors))
    }
}

/// Adds a node (产业链节点) at the end of chain `form.chain_id` and returns its id.
/// Errors: `Forbidden` (not a manager or admin), `NotFound` (no such chain), `Invalid` at
/// `name_zh` (empty, over 100) or `position` (not upstream/midstream/downstream), `Db`.
pub async fn add_node(db: &impl ConnectionTrait, actor: &SessionUser, form: NodeForm) -> Result<i64, ServiceError> {
    require_manager(actor)?;
    chain::Entity::find_by_id(form.chain_id).one(db).await?.ok_or(ServiceError::NotFound)?;
    check_node_form(&form)?;
    let last = chain_node::Entity::find()
        .filter(chain_node::Column::ChainId.eq(form.chain_id))
        .order_by_desc(chain_node::Column::SortOrder)
        .one(db)
        .await?
        .map(|n| n.sort_order)
        .unwrap_or(0);
    let n = chain_node::ActiveModel {
        chain_id: Set(form.chain_id),
        name_zh: Set(form.name_zh.trim().to_string()),
        name_en: Set(form.name_en.trim().to_string()),
        position: Set(form.position),
        sort_order: Set(last + 1),
        description: Set(form.description.trim().to_string()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(n.id)
}

/// Renames, moves or re-describes a node (the form's `chain_id` is ignored). Gaps do not change,
/// so nothing is rescored.
/// Errors: `Forbidden` (not a manager or admin), `NotFound` (no such node), `Invalid` at
/// `name_zh` or `position` as in [`add_node`], `Db`.
pub async fn update_node(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    id: i64,
    form: NodeForm,
) -> Result<(), ServiceError> {
    require_manager(actor)?;
    let node = chain_node::Entity::find_by_id(id).one(db).await?.ok_or(ServiceError::NotFound)?;
    check_node_form(&form)?;
    let mut active: chain_node::ActiveModel = node.into();
    active.name_zh = Set(form.name_zh.trim().to_string());
    active.name_en = Set(form.name_en.trim().to_string());
    active.position = Set(form.position);
    active.description = Set(form.description.trim().to_string());
    active.update(db).await?;
    Ok(())
}

/// Deletes node `id` (its placements go with it) and rescores the leads that were on it.
/// Errors: `Forbidden` (not a manager or admin), `NotFound` (no such node), `Db`, and
/// `Internal` from the rescore (no or unreadable score configuration).
pub async fn delete_node<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &SessionUser,
    id: i64,
) -> Result<(), ServiceError> {
    require_manager(actor)?;
    let leads: Vec<i64> = lead_node::Entity::find()
        .filter(lead_node::Column::NodeId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.lead_id)
        .collect();
    let deleted = chain_node::Entity::delete_by_id(id).exec(db).await?;
    if deleted.rows_affected == 0 {
        return Err(ServiceError::NotFound);
    }
    rescore(db, Scope::Leads(leads)).await?;
    Ok(())
}

/// Whether the form's 链主 box is ticked (`true`, `on` from a browser, `1`).
fn is_leader(form: &EnterpriseForm) -> bool {
    matches!(form.is_leader.trim(), "true" | "on" | "1")
}

/// Puts a local enterprise on node `form.node_id`: the existing one `form.enterprise_id` (its id or
/// its full name, see `chains::enterprise_named`), or, when that is empty, a new one from the form
/// (name, optional USCC, 链主 flag, grade). Returns the enterprise's id and rescores the leads on
/// the node (it is no longer a gap for them).
/// Errors: `Forbidden` (not a manager or admin), `NotFound` (no such node), `Invalid` at
/// `enterprise_id` (`err.choose`, `err.chain.no_enterprise`: no such enterprise;
/// `err.chain.known_or_new`: a known enterprise and a new one's name, USCC, grade or 链主 flag
/// both filled in),
/// `Invalid` at `name` (empty, over 100), `uscc` (malformed, or `err.enterprise.duplicate` when
/// another enterprise has it), `grade` (unknown); `Db`; `Internal` from the rescore.
pub async fn add_enterprise<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &SessionUser,
    form: EnterpriseForm,
) -> Result<i64, ServiceError> {
    require_manager(actor)?;
    chain_node::Entity::find_by_id(form.node_id).one(db).await?.ok_or(ServiceError::NotFound)?;
    let picked = form.enterprise_id.trim();
    let enterprise_id = if picked.is_empty() {
        new_enterprise(db, &form).await?
    } else if [&form.name, &form.uscc, &form.grade].iter().any(|f| !f.trim().is_empty()) || is_leader(&form) {
        // A known enterprise and a new one both filled in (its name, USCC, grade or a ticked
        // 链主 box, which a known enterprise keeps as it is): which was meant is not guessed.
        // An unticked box (`false`, `0` from a script) says nothing.
        return Err(ServiceError::Invalid(vec![FieldError::new("enterprise_id", "err.chain.known_or_new")]));
    } else {
        super::chains::enterprise_named(db, picked, "enterprise_id").await?
    };
    let exists = enterprise_node::Entity::find_by_id((enterprise_id, form.node_id)).one(db).await?.is_some();
    if !exists {
        enterprise_node::ActiveModel { enterprise_id: Set(enterprise_id), node_id: Set(form.node_id) }
            .insert(db)
            .await?;
    }
    // Leads on this node may no longer fill a gap.
    rescore(db, Scope::Nodes(vec![form.node_id])).await?;
    Ok(enterprise_id)
}

/// A new local enterprise from the chain map's form (name, optional USCC, 链主 flag, grade).
/// Errors: `Invalid` at `name` (empty, over 100), `uscc` (malformed, or
/// `err.enterprise.duplicate` when another enterprise has it), `grade` (unknown); `Db`.
async fn new_enterprise(db: &impl ConnectionTrait, form: &EnterpriseForm) -> Result<i64, ServiceError> {
    let mut errors = Vec::new();
    check_name("name", &form.name, &mut errors);
    let uscc = if form.uscc.trim().is_empty() {
        None
    } else {
        match Uscc::parse(&form.uscc) {
            Ok(u) => Some(u.to_string()),
            Err(e) => {
                errors.push(crate::domain::lead::uscc_error("uscc", &e));
                None
            }
        }
    };
    let grade = if form.grade.trim().is_empty() {
        None
    } else {
        match Grade::parse(&form.grade) {
            Some(g) => Some(g.code().to_string()),
            None => {
                errors.push(FieldError::new("grade", "err.choose"));
                None
            }
        }
    };
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let created = enterprise::ActiveModel {
        name: Set(form.name.trim().to_string()),
        uscc: Set(uscc),
        is_leader: Set(is_leader(form)),
        grade: Set(grade),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|e| {
        if super::is_unique_violation(&e) {
            ServiceError::Invalid(vec![FieldError::new("uscc", "err.enterprise.duplicate")])
        } else {
            e.into()
        }
    })?;
    Ok(created.id)
}

/// Takes enterprise `enterprise_id` off node `node_id` (no error if it was not on it) and rescores
/// the leads on the node.
/// Errors: `Forbidden` (not a manager or admin), `Db`, `Internal` from the rescore.
pub async fn remove_enterprise<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &SessionUser,
    enterprise_id: i64,
    node_id: i64,
) -> Result<(), ServiceError> {
    require_manager(actor)?;
    enterprise_node::Entity::delete_by_id((enterprise_id, node_id)).exec(db).await?;
    rescore(db, Scope::Nodes(vec![node_id])).await?;
    Ok(())
}
