//! What crosses the wire for `api::kanban`: the types its server functions take and return,
//! with their validators. Imports `domain` only; read by pages, api and services.

use serde::{Deserialize, Serialize};

/// Cards shown per column, best score first (the header still counts them all; a link opens the
/// column's whole list). 11 columns of 60 made the page 795 KB at 200,000 leads.
pub const CARDS_PER_COLUMN: u64 = 20;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Card {
    pub id: i64,
    pub version: i32,
    pub company_name: String,
    pub region: String,
    pub planned_investment_wan: Option<f64>,
    pub grade: Option<String>,
    pub days_in_stage: i64,
    /// No activity for `stale_days` days.
    pub stale: bool,
    pub can_edit: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub stage: String,
    pub count: u64,
    pub total_investment_wan: f64,
    pub cards: Vec<Card>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Board {
    pub columns: Vec<Column>,
    pub stale_days: i64,
}
