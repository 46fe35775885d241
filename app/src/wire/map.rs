//! The 招商地图 page's data: the map drawn on the server, its figures as a table, the open city's
//! panel and the leads the map cannot place.

use crate::wire::leads::LeadRow;
use serde::{Deserialize, Serialize};

/// One division's figures on the current layer (a row of the table beside the map).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PlaceFigure {
    /// 4 digits (a city) or 2 (a province, for leads placed only in a province, and the teams' focus).
    pub code: String,
    pub name: String,
    /// Leads (leads/investment/projects layers), trips (trips layer) or teams (teams layer).
    pub count: u64,
    /// Planned investment, 万元 (leads layers).
    pub investment_wan: f64,
    /// Signed and landed projects (projects layer).
    pub signed: u64,
    /// Visits planned or made (trips layer).
    pub visits: u64,
    /// The best grade among the leads (A–D).
    pub best_grade: Option<String>,
    /// The furthest stage a lead has reached (a stage code).
    pub top_stage: Option<String>,
    /// Team names (teams layer).
    pub teams: Vec<String>,
}

/// A legend entry: the fill colour and what it means (already translated).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LegendItem {
    pub fill: String,
    pub label: String,
}

/// The open city's panel: its figures and its leads, best first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CityPanel {
    pub code: String,
    pub name: String,
    pub figure: PlaceFigure,
    /// At most 20, highest score first.
    pub leads: Vec<LeadRow>,
    /// All the city's leads under the filter (capped like the list).
    pub total: u64,
}

/// `/map`: the SVG (a whole `<svg>` element, drawn on the server), the figures behind it (largest
/// first), the legend, the open city's panel, and what is not on the map (overseas areas,
/// leads without a city).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapView {
    pub svg: String,
    pub figures: Vec<PlaceFigure>,
    pub legend: Vec<LegendItem>,
    pub panel: Option<CityPanel>,
    /// Overseas areas (OS-EU, …) with their lead counts: listed beside the map, never lost.
    pub overseas: Vec<(String, u64)>,
    /// The period of the trips layer, `YYYY-MM-DD – YYYY-MM-DD` (Asia/Shanghai).
    pub period: Option<String>,
}
