//! 链上覆盖: which chain nodes are covered (an enterprise of the zone, or a landed project not in
//! the recycle bin, is on them) and which enterprises lead their chain — what the score's gap
//! and leader factors read.

use super::ServiceError;
use crate::backend::entities::{enterprise, enterprise_node, lead, lead_node};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QuerySelect};
use std::collections::{HashMap, HashSet};

/// What decides whether a node is a gap, and which enterprises are chain leaders.
pub struct Coverage {
    nodes_with_enterprises: HashSet<i64>,
    /// node → leads at a landed stage on it
    landed_on: HashMap<i64, Vec<i64>>,
    leader_enterprises: HashSet<i64>,
}

impl Coverage {
    /// The whole chain map: every enterprise placement, every landed lead's placement and every
    /// leader. For rescoring many leads at once (a configuration change, an import, a node
    /// edit).
    /// Errors: `Db` only.
    pub async fn load(db: &impl ConnectionTrait) -> Result<Coverage, ServiceError> {
        Self::load_where(db, None, None).await
    }

    /// Only what scoring leads placed as `placements` reads: whether their nodes are covered,
    /// and whether the enterprises they supply lead their chain — three indexed reads over those
    /// nodes, instead of the whole chain map, so saving or viewing one lead costs the same on a
    /// map of 10 nodes or 10,000 and nothing is cached that a chain edit could make stale.
    /// Errors: `Db` only.
    pub async fn for_placements(
        db: &impl ConnectionTrait,
        placements: &[lead_node::Model],
    ) -> Result<Coverage, ServiceError> {
        let mut nodes: Vec<i64> = placements.iter().map(|p| p.node_id).collect();
        nodes.sort_unstable();
        nodes.dedup();
        if nodes.is_empty() {
            return Ok(Coverage {
                nodes_with_enterprises: HashSet::new(),
                landed_on: HashMap::new(),
                leader_enterprises: HashSet::new(),
            });
        }
        let mut supplied: Vec<i64> = placements.iter().filter_map(|p| p.supplies_enterprise_id).collect();
        supplied.sort_unstable();
        supplied.dedup();
        Self::load_where(db, Some(&nodes), Some(&supplied)).await
    }

    /// `nodes`/`enterprises`: only these (`None`: all).
    async fn load_where(
        db: &impl ConnectionTrait,
        nodes: Option<&[i64]>,
        enterprises: Option<&[i64]>,
    ) -> Result<Coverage, ServiceError> {
        let mut on_nodes = enterprise_node::Entity::find();
        let mut landed = lead_node::Entity::find();
        if let Some(nodes) = nodes {
            on_nodes = on_nodes.filter(enterprise_node::Column::NodeId.is_in(nodes.iter().copied()));
            landed = landed.filter(lead_node::Column::NodeId.is_in(nodes.iter().copied()));
        }
        let nodes_with_enterprises = on_nodes.all(db).await?.into_iter().map(|e| e.node_id).collect();
        // A join, not `lead_id IN (landed leads)`: SQLite built that list of every landed lead
        // and looked each up (60 ms at 200,000 leads, on every lead page and save); joined, it
        // walks the nodes' placements and reads each lead by its key (4 ms).
        let landed = landed
            .join(
                JoinType::InnerJoin,
                lead_node::Entity::belongs_to(lead::Entity).from(lead_node::Column::LeadId).to(lead::Column::Id).into(),
            )
            .filter(lead::Column::Stage.is_in(crate::domain::stage::LANDED.map(|s| s.code())))
            // A lead in the recycle bin is out of the office's books: the chain map does not
            // show it, so it covers no gap either (until it is restored).
            .filter(lead::Column::DeletedAt.is_null());
        let mut landed_on: HashMap<i64, Vec<i64>> = HashMap::new();
        for ln in landed.all(db).await? {
            landed_on.entry(ln.node_id).or_default().push(ln.lead_id);
        }
        let leader_enterprises = match enterprises {
            Some([]) => HashSet::new(),
            _ => {
                let mut leaders = enterprise::Entity::find().filter(enterprise::Column::IsLeader.eq(true));
                if let Some(ids) = enterprises {
                    leaders = leaders.filter(enterprise::Column::Id.is_in(ids.iter().copied()));
                }
                leaders.all(db).await?.into_iter().map(|e| e.id).collect()
            }
        };
        Ok(Coverage { nodes_with_enterprises, landed_on, leader_enterprises })
    }

    /// 缺链 for `lead` (its own landing does not cover the gap it fills).
    pub fn is_gap_for(&self, node: i64, lead: Option<i64>) -> bool {
        !self.nodes_with_enterprises.contains(&node)
            && self.landed_on.get(&node).is_none_or(|ids| ids.iter().all(|id| Some(*id) == lead))
    }

    /// Whether enterprise `enterprise` is a 链主 (chain leader) in what was loaded (always false for
    /// an enterprise outside the `placements` given to [`Coverage::for_placements`]).
    pub fn is_leader(&self, enterprise: i64) -> bool {
        self.leader_enterprises.contains(&enterprise)
    }
}
