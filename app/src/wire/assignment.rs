//! What crosses the wire for `api::assignment`: the types its server functions take and return,
//! with their validators. Imports `domain` only; read by pages, api and services.

use super::teams::SuggestionView;
use serde::{Deserialize, Serialize};

/// A team and its members, for the assign form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AssignTarget {
    pub team_id: i64,
    pub team_name: String,
    pub members: Vec<(i64, String)>,
}

/// A lead in the unassigned queue (no team, or no owner), with the suggestion.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueRow {
    pub id: i64,
    pub company_name: String,
    /// Where it is: a division, or an overseas area (`components::region::region_label`).
    pub region: super::leads::RegionView,
    pub industry: String,
    pub grade: Option<String>,
    pub score: Option<f64>,
    pub team_name: Option<String>,
    pub owner_name: Option<String>,
    pub suggestion: Option<SuggestionView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AssignReport {
    pub assigned: usize,
}
