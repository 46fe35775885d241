//! What crosses the wire for `api::planner`: the types its server functions take and return,
//! with their validators. Imports `domain` only; read by pages, api and services.

use crate::domain::planner::Ranked;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClusterView {
    /// Six-digit city code.
    pub city: String,
    pub city_name: String,
    /// "江宁区 3、浦口区 1"
    pub districts: String,
    pub leads: Vec<Ranked>,
    pub a_grade: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlannerView {
    pub team_id: Option<i64>,
    pub teams: Vec<(i64, String)>,
    pub week: String,
    pub from: String,
    pub to: String,
    pub clusters: Vec<ClusterView>,
    /// Team members and how many visits they already have that week.
    pub busy: Vec<(String, i64)>,
}
