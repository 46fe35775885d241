//! Placing leads on chain nodes (with a role: 龙头, 配套 to a local enterprise, or plain) and
//! reading a lead's places. A placement changes scores: the lead's own, and — for a landed
//! project — those of the other leads on the node, whose gap may now be covered.

use super::access::can_edit_lead;
use super::coverage::Coverage;
use super::rescore::{rescore, Scope};
use super::ServiceError;
use crate::backend::entities::{chain, chain_node, enterprise, lead, lead_node};
use crate::domain::lead::FieldError;
use crate::domain::score::ChainRole;
use crate::domain::stage::code_is_landed;
use crate::wire::auth::SessionUser;
use crate::wire::chains::Bilingual;
use crate::wire::leads::PlacementView;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait};
use std::collections::HashMap;

fn bilingual(zh: &str, en: &str) -> Bilingual {
    Bilingual { zh: zh.to_string(), en: en.to_string() }
}

async fn editable_lead(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    lead_id: i64,
) -> Result<lead::Model, ServiceError> {
    let l = super::access::find_readable(db, actor, lead_id).await?;
    if !can_edit_lead(actor, &l) {
        return Err(ServiceError::Forbidden);
    }
    Ok(l)
}

/// Places lead `lead_id` on node `node_id` as 龙头 (`leader`), 配套 (`supplier`, optionally to
/// local enterprise `supplies`) or `plain`, replacing an earlier placement there, and rescores
/// the lead (a landed lead: every lead on the node). Anyone who may change the lead.
/// Errors: `NotFound`/`Hidden` (see `access::find_readable`), `Forbidden`, `Invalid` at `node_id`
/// (no such node), `role` (unknown) or `supplies` (not an enterprise id); `Db`; `Internal` from
/// the rescore.
pub async fn place_lead<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &SessionUser,
    lead_id: i64,
    node_id: i64,
    role: &str,
    supplies: &str,
) -> Result<(), ServiceError> {
    let l = editable_lead(db, actor, lead_id).await?;
    chain_node::Entity::find_by_id(node_id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::Invalid(vec![FieldError::new("node_id", "err.choose")]))?;
    let role =
        ChainRole::parse(role).ok_or_else(|| ServiceError::Invalid(vec![FieldError::new("role", "err.choose")]))?;
    let supplies = match (role, supplies.trim()) {
        (ChainRole::Supplier, s) if !s.is_empty() => Some(super::chains::enterprise_named(db, s, "supplies").await?),
        _ => None,
    };
    lead_node::Entity::delete_by_id((lead_id, node_id)).exec(db).await?;
    lead_node::ActiveModel {
        lead_id: Set(lead_id),
        node_id: Set(node_id),
        role: Set(role.code().to_string()),
        supplies_enterprise_id: Set(supplies),
    }
    .insert(db)
    .await?;
    let scope = if code_is_landed(&l.stage) { Scope::Nodes(vec![node_id]) } else { Scope::Leads(vec![lead_id]) };
    rescore(db, scope).await?;
    Ok(())
}

/// Takes lead `lead_id` off node `node_id` (no error if it was not there) and rescores it (a
/// landed lead: also every lead left on the node). Anyone who may change the lead.
/// Errors: `NotFound`/`Hidden` (see `access::find_readable`), `Forbidden`, `Db`, `Internal` from
/// the rescore.
pub async fn unplace_lead<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &SessionUser,
    lead_id: i64,
    node_id: i64,
) -> Result<(), ServiceError> {
    let l = editable_lead(db, actor, lead_id).await?;
    let scope = if code_is_landed(&l.stage) { Scope::Nodes(vec![node_id]) } else { Scope::Leads(vec![lead_id]) };
    lead_node::Entity::delete_by_id((lead_id, node_id)).exec(db).await?;
    rescore(db, scope).await?;
    if code_is_landed(&l.stage) {
        rescore(db, Scope::Leads(vec![lead_id])).await?;
    }
    Ok(())
}

/// A lead's places on the chains, for its page: chain and node names, position, role, the
/// enterprise it supplies and whether the node is a gap (its own landing aside). No access check.
/// Errors: `Db` only.
pub async fn placements_of(db: &impl ConnectionTrait, lead_id: i64) -> Result<Vec<PlacementView>, ServiceError> {
    let links = lead_node::Entity::find().filter(lead_node::Column::LeadId.eq(lead_id)).all(db).await?;
    let nodes: HashMap<i64, chain_node::Model> = chain_node::Entity::find()
        .filter(chain_node::Column::Id.is_in(links.iter().map(|l| l.node_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|n| (n.id, n))
        .collect();
    let chains: HashMap<i64, chain::Model> = chain::Entity::find()
        .filter(chain::Column::Id.is_in(nodes.values().map(|n| n.chain_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let ents: HashMap<i64, String> = enterprise::Entity::find()
        .filter(enterprise::Column::Id.is_in(links.iter().filter_map(|l| l.supplies_enterprise_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e.name))
        .collect();
    let coverage = Coverage::for_placements(db, &links).await?;
    Ok(links
        .into_iter()
        .filter_map(|l| {
            let n = nodes.get(&l.node_id)?;
            let c = chains.get(&n.chain_id)?;
            Some(PlacementView {
                node_id: n.id,
                chain_id: c.id,
                chain: bilingual(&c.name_zh, &c.name_en),
                node: bilingual(&n.name_zh, &n.name_en),
                position: n.position.clone(),
                role: l.role,
                supplies: l.supplies_enterprise_id.and_then(|e| ents.get(&e).cloned()),
                is_gap: coverage.is_gap_for(n.id, Some(lead_id)),
            })
        })
        .collect())
}
