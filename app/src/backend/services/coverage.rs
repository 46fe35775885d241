//! 链上覆盖: which chain nodes are covered (an enterprise of the zone, or a landed project not in
//! the recycle bin, is on them) and which enterprises lead their chain — what the score's gap
//! and leader factors read.

use super::ServiceError;
use crate::backend::entities::{enterprise, enterprise_node, lead, lead_node};
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QuerySelect};
use std::collections::{HashMap, HashSet};

/// What decides whether a node is a gap, and which enterprises are chain leaders.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    nodes_with_enterprises: HashSet<i64>,
    /// node → the smallest and largest id of the leads at a landed stage on it (equal: one lead;
    /// all a gap needs to know is whether a lead other than the one scored has landed there)
    landed_on: HashMap<i64, (i64, i64)>,
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
            return Ok(Coverage::default());
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
        let nodes_with_enterprises = on_nodes
            .select_only()
            .column(enterprise_node::Column::NodeId)
            .distinct()
            .into_tuple::<i64>()
            .all(db)
            .await?
            .into_iter()
            .collect();
        // A join, not `lead_id IN (landed leads)`: SQLite built that list of every landed lead
        // and looked each up (60 ms at 200,000 leads, on every lead page and save); joined, it
        // walks the nodes' placements and reads each lead by its key (4 ms). Grouped here, so a
        // node's landed leads come back as one row (the whole map: 27,000 placements → 45 rows,
        // 80 → 30 ms at 300,000 leads); grouped by `node_id + 0` so SQLite scans the placements
        // in table order and groups them itself instead of walking the node index and reading
        // each placement's row from it (87 ms).
        // Literal SQL, not `node.add(0)`: that binds the 0 as a parameter, once in the select and
        // once in the GROUP BY, and PostgreSQL then sees two different expressions.
        let group: SimpleExpr = if nodes.is_some() {
            Expr::col((lead_node::Entity, lead_node::Column::NodeId)).into()
        } else {
            Expr::cust(r#""lead_nodes"."node_id" + 0"#)
        };
        let landed = landed
            .select_only()
            .expr(group.clone())
            .column_as(lead_node::Column::LeadId.min(), "first")
            .column_as(lead_node::Column::LeadId.max(), "last")
            .join(
                JoinType::InnerJoin,
                lead_node::Entity::belongs_to(lead::Entity).from(lead_node::Column::LeadId).to(lead::Column::Id).into(),
            )
            .filter(lead::Column::Stage.is_in(crate::domain::stage::LANDED.map(|s| s.code())))
            // A lead in the recycle bin is out of the office's books: the chain map does not
            // show it, so it covers no gap either (until it is restored).
            .filter(lead::Column::DeletedAt.is_null())
            .group_by(group)
            .into_tuple::<(i64, i64, i64)>()
            .all(db)
            .await?;
        let landed_on = landed.into_iter().map(|(node, first, last)| (node, (first, last))).collect();
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
            && self.landed_on.get(&node).is_none_or(|&(first, last)| first == last && Some(first) == lead)
    }

    /// What differs from `before` (an earlier load of the whole map): the nodes whose gap status
    /// may differ for some lead (an enterprise or a landed lead came or went), and the
    /// enterprises that became or stopped being 链主. Both sorted; both empty when nothing
    /// that the score reads changed.
    pub fn changed_since(&self, before: &Coverage) -> (Vec<i64>, Vec<i64>) {
        let mut nodes: Vec<i64> =
            self.nodes_with_enterprises.symmetric_difference(&before.nodes_with_enterprises).copied().collect();
        for node in self.landed_on.keys().chain(before.landed_on.keys()) {
            if self.landed_on.get(node) != before.landed_on.get(node) {
                nodes.push(*node);
            }
        }
        nodes.sort_unstable();
        nodes.dedup();
        let mut enterprises: Vec<i64> =
            self.leader_enterprises.symmetric_difference(&before.leader_enterprises).copied().collect();
        enterprises.sort_unstable();
        (nodes, enterprises)
    }

    /// Whether enterprise `enterprise` is a 链主 (chain leader) in what was loaded (always false for
    /// an enterprise outside the `placements` given to [`Coverage::for_placements`]).
    pub fn is_leader(&self, enterprise: i64) -> bool {
        self.leader_enterprises.contains(&enterprise)
    }
}

#[cfg(test)]
mod tests {
    use super::Coverage;

    fn map(enterprises: &[i64], landed: &[(i64, (i64, i64))], leaders: &[i64]) -> Coverage {
        Coverage {
            nodes_with_enterprises: enterprises.iter().copied().collect(),
            landed_on: landed.iter().copied().collect(),
            leader_enterprises: leaders.iter().copied().collect(),
        }
    }

    #[test]
    fn a_gap_is_a_node_with_no_enterprise_and_no_landing_but_the_leads_own() {
        let c = map(&[1], &[(2, (7, 7)), (3, (7, 9))], &[]);
        assert!(!c.is_gap_for(1, None), "an enterprise covers it");
        assert!(c.is_gap_for(2, Some(7)), "its own landing does not cover it");
        assert!(!c.is_gap_for(2, Some(8)) && !c.is_gap_for(2, None), "another lead's landing does");
        assert!(!c.is_gap_for(3, Some(7)), "two leads landed: one other than 7");
        assert!(c.is_gap_for(4, None), "nothing there");
    }

    #[test]
    fn what_changed_is_the_nodes_and_leaders_that_differ() {
        let before = map(&[1], &[(2, (7, 7)), (3, (7, 9))], &[10]);
        assert_eq!(before.changed_since(&before.clone()), (vec![], vec![]));
        // Node 1 lost its enterprise, 2 got a second landing, 3 is as it was (7..9 still),
        // 5 got its first; enterprise 10 is no longer a 链主 and 11 is.
        let after = map(&[], &[(2, (7, 8)), (3, (7, 9)), (5, (4, 4))], &[11]);
        assert_eq!(after.changed_since(&before), (vec![1, 2, 5], vec![10, 11]));
        assert_eq!(before.changed_since(&after), (vec![1, 2, 5], vec![10, 11]));
    }
}
