//! Industry chains as people read them: the list, the map (nodes with their local enterprises,
//! open leads and gaps), the gap list, and the node and enterprise options. Editing them is
//! `chain_edit`; placing leads on nodes is `placements`.

use super::access::can_read_lead;
use super::coverage::Coverage;
use super::ServiceError;
use crate::backend::entities::{chain, chain_node, enterprise, enterprise_node, lead, lead_node};
use crate::domain::catalog::Stage;
use crate::domain::lead::FieldError;
use crate::domain::score::Grade;
use crate::domain::stage::code_is_landed;
use crate::wire::auth::SessionUser;
use crate::wire::chains::*;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

fn bilingual(zh: &str, en: &str) -> Bilingual {
    Bilingual { zh: zh.to_string(), en: en.to_string() }
}

/// Leads on nodes, visible to the actor, with what the map needs.
struct Placed {
    node_id: i64,
    lead: lead::Model,
    role: String,
}

async fn placed_leads(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    nodes: &[i64],
) -> Result<Vec<Placed>, ServiceError> {
    if nodes.is_empty() {
        return Ok(Vec::new());
    }
    let links =
        lead_node::Entity::find().filter(lead_node::Column::NodeId.is_in(nodes.iter().copied())).all(db).await?;
    let mut leads: HashMap<i64, lead::Model> = HashMap::new();
    for chunk in links.chunks(5_000) {
        for l in lead::Entity::find()
            .filter(lead::Column::Id.is_in(chunk.iter().map(|ln| ln.lead_id)))
            .filter(lead::Column::DeletedAt.is_null())
            .all(db)
            .await?
        {
            leads.insert(l.id, l);
        }
    }
    Ok(links
        .into_iter()
        .filter_map(|ln| {
            let l = leads.get(&ln.lead_id)?;
            can_read_lead(actor, l).then(|| Placed { node_id: ln.node_id, lead: l.clone(), role: ln.role })
        })
        .collect())
}

fn is_open(stage: &str) -> bool {
    !code_is_landed(stage) && stage != Stage::Dropped.code()
}

fn best_grade<'a>(grades: impl Iterator<Item = &'a Option<String>>) -> Option<String> {
    grades.flatten().filter_map(|g| Grade::parse(g)).min().map(|g| g.code().to_string())
}

async fn enterprises_by_node(
    db: &impl ConnectionTrait,
    nodes: &[i64],
) -> Result<HashMap<i64, Vec<EnterpriseChip>>, ServiceError> {
    let links = enterprise_node::Entity::find()
        .filter(enterprise_node::Column::NodeId.is_in(nodes.iter().copied()))
        .all(db)
        .await?;
    let ents: HashMap<i64, enterprise::Model> = enterprise::Entity::find()
        .filter(enterprise::Column::Id.is_in(links.iter().map(|l| l.enterprise_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let mut by_node: HashMap<i64, Vec<EnterpriseChip>> = HashMap::new();
    for l in links {
        if let Some(e) = ents.get(&l.enterprise_id) {
            by_node.entry(l.node_id).or_default().push(EnterpriseChip {
                id: e.id,
                name: e.name.clone(),
                is_leader: e.is_leader,
                grade: e.grade.clone(),
            });
        }
    }
    for chips in by_node.values_mut() {
        chips.sort_by(|a, b| b.is_leader.cmp(&a.is_leader).then(a.name.cmp(&b.name)));
    }
    Ok(by_node)
}

fn cards(
    nodes: Vec<chain_node::Model>,
    mut enterprises: HashMap<i64, Vec<EnterpriseChip>>,
    placed: &[Placed],
    coverage: &Coverage,
) -> Vec<NodeCard> {
    nodes
        .into_iter()
        .map(|n| {
            let here: Vec<&Placed> = placed.iter().filter(|p| p.node_id == n.id).collect();
            let open: Vec<&&Placed> = here.iter().filter(|p| is_open(&p.lead.stage)).collect();
            NodeCard {
                id: n.id,
                name: bilingual(&n.name_zh, &n.name_en),
                position: n.position,
                description: n.description,
                enterprises: enterprises.remove(&n.id).unwrap_or_default(),
                open_leads: open.len(),
                best_grade: best_grade(open.iter().map(|p| &p.lead.grade)),
                landed: here.iter().filter(|p| code_is_landed(&p.lead.stage)).count(),
                is_gap: coverage.is_gap_for(n.id, None),
            }
        })
        .collect()
}

async fn nodes_of(db: &impl ConnectionTrait, chain_ids: &[i64]) -> Result<Vec<chain_node::Model>, ServiceError> {
    Ok(chain_node::Entity::find()
        .filter(chain_node::Column::ChainId.is_in(chain_ids.iter().copied()))
        .order_by_asc(chain_node::Column::ChainId)
        .order_by_asc(chain_node::Column::SortOrder)
        .order_by_asc(chain_node::Column::Id)
        .all(db)
        .await?)
}

/// Every industry chain (产业链) in display order, with its node count, gap count (缺链) and the
/// number of distinct open leads on it that `actor` may read. Any signed-in user.
/// Errors: `Db` only.
pub async fn list(db: &impl ConnectionTrait, actor: &SessionUser) -> Result<Vec<ChainSummary>, ServiceError> {
    let chains =
        chain::Entity::find().order_by_asc(chain::Column::SortOrder).order_by_asc(chain::Column::Id).all(db).await?;
    let ids: Vec<i64> = chains.iter().map(|c| c.id).collect();
    let nodes = nodes_of(db, &ids).await?;
    let node_ids: Vec<i64> = nodes.iter().map(|n| n.id).collect();
    let placed = placed_leads(db, actor, &node_ids).await?;
    let coverage = Coverage::load(db).await?;
    Ok(chains
        .into_iter()
        .map(|c| {
            let mine: Vec<&chain_node::Model> = nodes.iter().filter(|n| n.chain_id == c.id).collect();
            let open_leads = placed
                .iter()
                .filter(|p| mine.iter().any(|n| n.id == p.node_id) && is_open(&p.lead.stage))
                .map(|p| p.lead.id)
                .collect::<std::collections::HashSet<_>>()
                .len();
            ChainSummary {
                id: c.id,
                name: bilingual(&c.name_zh, &c.name_en),
                industry: c.industry,
                nodes: mine.len(),
                gaps: mine.iter().filter(|n| coverage.is_gap_for(n.id, None)).count(),
                open_leads,
            }
        })
        .collect())
}

/// The chain map of chain `id`: its nodes in order, each with its local enterprises (链主 first),
/// the open and landed leads on it that `actor` may read, their best grade and whether it is a
/// gap; `can_edit` for managers and admins.
/// Errors: `NotFound` (no such chain), `Db`.
pub async fn map(db: &impl ConnectionTrait, actor: &SessionUser, id: i64) -> Result<ChainMap, ServiceError> {
    let c = chain::Entity::find_by_id(id).one(db).await?.ok_or(ServiceError::NotFound)?;
    let nodes = nodes_of(db, &[id]).await?;
    let node_ids: Vec<i64> = nodes.iter().map(|n| n.id).collect();
    let placed = placed_leads(db, actor, &node_ids).await?;
    let enterprises = enterprises_by_node(db, &node_ids).await?;
    let coverage = Coverage::load(db).await?;
    Ok(ChainMap {
        id: c.id,
        name: bilingual(&c.name_zh, &c.name_en),
        industry: c.industry,
        description: c.description,
        nodes: cards(nodes, enterprises, &placed, &coverage),
        can_edit: actor.role.assigns_leads(),
    })
}

/// Every gap across all chains with the open leads that could fill it, the gaps with the best
/// candidates first, candidates by score (only leads `actor` may read). With `region` (a 2-, 4-
/// or 6-digit division, the map's "gaps here"), only candidates placed there are listed.
/// Errors: `Db` only.
pub async fn gaps(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    region: Option<&str>,
) -> Result<Vec<GapView>, ServiceError> {
    let region = region.filter(|r| crate::domain::lead_filter::is_division_prefix(r));
    let chains: HashMap<i64, chain::Model> =
        chain::Entity::find().all(db).await?.into_iter().map(|c| (c.id, c)).collect();
    let mut chain_ids: Vec<i64> = chains.keys().copied().collect();
    chain_ids.sort_by_key(|id| (chains[id].sort_order, *id));
    let coverage = Coverage::load(db).await?;
    let nodes: Vec<chain_node::Model> =
        nodes_of(db, &chain_ids).await?.into_iter().filter(|n| coverage.is_gap_for(n.id, None)).collect();
    let node_ids: Vec<i64> = nodes.iter().map(|n| n.id).collect();
    let placed = placed_leads(db, actor, &node_ids).await?;
    let mut gaps: Vec<GapView> = nodes
        .into_iter()
        .filter_map(|n| {
            let c = chains.get(&n.chain_id)?;
            let mut candidates: Vec<LeadRef> = placed
                .iter()
                .filter(|p| p.node_id == n.id && is_open(&p.lead.stage))
                .filter(|p| region.is_none_or(|r| p.lead.region_code.starts_with(r)))
                .map(|p| LeadRef {
                    id: p.lead.id,
                    company_name: p.lead.company_name.clone(),
                    stage: p.lead.stage.clone(),
                    score: p.lead.score,
                    grade: p.lead.grade.clone(),
                    role: p.role.clone(),
                })
                .collect();
            candidates.sort_by(|a, b| b.score.unwrap_or(-1.0).total_cmp(&a.score.unwrap_or(-1.0)));
            Some(GapView {
                chain_id: c.id,
                chain: bilingual(&c.name_zh, &c.name_en),
                node_id: n.id,
                node: bilingual(&n.name_zh, &n.name_en),
                position: n.position,
                candidates,
            })
        })
        .collect();
    let best = |g: &GapView| g.candidates.first().and_then(|c| c.score).unwrap_or(-1.0);
    gaps.sort_by(|a, b| best(b).total_cmp(&best(a)));
    Ok(gaps)
}

/// Every chain node with its chain's names, in chain and node order, for the placement picker.
/// No access check (the map is not secret).
/// Errors: `Db` only.
pub async fn node_options(db: &impl ConnectionTrait) -> Result<Vec<NodeOption>, ServiceError> {
    let chains: HashMap<i64, chain::Model> =
        chain::Entity::find().all(db).await?.into_iter().map(|c| (c.id, c)).collect();
    let mut chain_ids: Vec<i64> = chains.keys().copied().collect();
    chain_ids.sort_by_key(|id| (chains[id].sort_order, *id));
    Ok(nodes_of(db, &chain_ids)
        .await?
        .into_iter()
        .filter_map(|n| {
            let c = chains.get(&n.chain_id)?;
            Some(NodeOption {
                id: n.id,
                chain: bilingual(&c.name_zh, &c.name_en),
                node: bilingual(&n.name_zh, &n.name_en),
                position: n.position,
            })
        })
        .collect())
}

/// Which enterprises a form offers as a name is typed (a datalist).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Offered {
    /// The 链主 only: the lead page's 配套 field (a lead supplies a 链主).
    Leaders,
    /// Every local enterprise, the 链主 first: the chain map's "known enterprise".
    All,
}

/// How many enterprises a form offers (the registry has tens of thousands at some offices; any
/// other is typed by its full name, see [`enterprise_named`]).
pub const ENTERPRISE_OPTIONS: u64 = 500;

/// Local enterprises offered in a form: the 链主 first, then by name, at most
/// [`ENTERPRISE_OPTIONS`] (`idx_enterprises_leader_name`). No access check.
/// Errors: `Db` only.
pub async fn enterprise_options(
    db: &impl ConnectionTrait,
    offered: Offered,
) -> Result<Vec<EnterpriseOption>, ServiceError> {
    let mut query = enterprise::Entity::find();
    if offered == Offered::Leaders {
        query = query.filter(enterprise::Column::IsLeader.eq(true));
    }
    Ok(query
        .order_by_desc(enterprise::Column::IsLeader)
        .order_by_asc(enterprise::Column::Name)
        .limit(ENTERPRISE_OPTIONS)
        .all(db)
        .await?
        .into_iter()
        .map(|e| EnterpriseOption { id: e.id, name: e.name, is_leader: e.is_leader })
        .collect())
}

/// A local enterprise picked in a form: its id, or its full name as typed (a leading ★, as the
/// 链主 are listed, is ignored; names match exactly). Names are not unique (the chain editor adds
/// enterprises by name, an efficiency import by USCC): a 链主 of that name comes first, then the
/// oldest. `field` is the form field the errors are shown at.
/// Errors: `Invalid` at `field`: `err.choose` (no enterprise with that id),
/// `err.chain.no_enterprise` (none of that name); `Db`.
pub async fn enterprise_named(db: &impl ConnectionTrait, raw: &str, field: &str) -> Result<i64, ServiceError> {
    let refused = |key: &str| ServiceError::Invalid(vec![FieldError::new(field, key)]);
    let raw = raw.trim();
    if let Ok(id) = raw.parse::<i64>() {
        let found = enterprise::Entity::find_by_id(id).one(db).await?;
        return found.map(|e| e.id).ok_or_else(|| refused("err.choose"));
    }
    let name = raw.trim_start_matches('★').trim();
    let found = enterprise::Entity::find()
        .filter(enterprise::Column::Name.eq(name))
        .order_by_desc(enterprise::Column::IsLeader)
        .order_by_asc(enterprise::Column::Id)
        .one(db)
        .await?;
    found.map(|e| e.id).ok_or_else(|| refused("err.chain.no_enterprise"))
}
