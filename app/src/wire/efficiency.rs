//! What crosses the wire for `api::efficiency` (亩均效益评价 of the zone's enterprises). Imports
//! `domain` only.

use crate::domain::efficiency::{EfficiencyConfig, Figures, Part};
use serde::{Deserialize, Serialize};

/// A cell that could not be read: its column's header, the message key and its arguments.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CellProblem {
    pub column: String,
    pub key: String,
    pub args: Vec<(String, String)>,
}

/// One row of a figures file as read, and what saving it would do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FigureLine {
    /// The row number as the spreadsheet program shows it.
    pub line: usize,
    pub uscc: String,
    pub name: String,
    pub year: i32,
    pub figures: Figures,
    /// The enterprise the USCC names; None: a new enterprise is added.
    pub enterprise_id: Option<i64>,
    /// The enterprise's name as the app has it (when it differs from the file's).
    pub known_name: Option<String>,
    /// The year already has figures for it (they are replaced).
    pub replaces: bool,
    pub problems: Vec<CellProblem>,
}

/// A figures file's preview (or, once saved, its outcome).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FigureBatchPage {
    pub id: i64,
    pub file_name: String,
    pub year: i32,
    /// preview / done
    pub status: String,
    pub row_count: i32,
    /// Rows that would add an enterprise, update one, and rows with problems.
    pub new_count: usize,
    pub update_count: usize,
    pub problem_count: usize,
    /// Each header and the label key of the column it was read as ("" for none).
    pub mapping: Vec<(String, String)>,
    /// At most 200 rows: problems first, then file order.
    pub rows: Vec<FigureLine>,
    pub created: i32,
    pub updated: i32,
    pub failed: i32,
    pub can_commit: bool,
}

/// One enterprise's grade for a year, with the breakdown and what it brings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GradeRow {
    pub enterprise_id: i64,
    pub name: String,
    pub uscc: Option<String>,
    pub year: i32,
    pub score: f64,
    pub rank: Option<i32>,
    pub grade: Option<String>,
    /// Why not rated (message key).
    pub not_rated: Option<String>,
    pub parts: Vec<Part>,
    /// Message keys (`efficiency.effect.*`).
    pub consequences: Vec<String>,
    pub figures: Figures,
    /// The grade of the year before, if graded.
    pub previous_grade: Option<String>,
    /// The rules version it was graded under.
    pub config_id: i64,
}

/// A figures file in the list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FigureBatchSummary {
    pub id: i64,
    pub file_name: String,
    pub year: i32,
    pub status: String,
    pub row_count: i32,
    pub by: String,
    pub created_at: String,
}

/// `/efficiency`: one year's grades (best first, the not rated last), the count per grade, the
/// years there are, and the figures files.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EfficiencyPage {
    pub year: Option<i32>,
    pub years: Vec<i32>,
    pub rows: Vec<GradeRow>,
    /// (grade or "-" for not rated, count)
    pub counts: Vec<(String, usize)>,
    pub batches: Vec<FigureBatchSummary>,
    pub can_manage: bool,
}

/// `/efficiency/enterprise/{id}`: every year's grade, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnterpriseEfficiency {
    pub id: i64,
    pub name: String,
    pub uscc: Option<String>,
    pub is_leader: bool,
    pub history: Vec<GradeRow>,
}

/// One saved version of the rules.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RulesVersion {
    pub id: i64,
    pub note: String,
    pub by: Option<String>,
    pub at: String,
    pub config: EfficiencyConfig,
}

/// `/settings/efficiency`: the rules in force (id 0: the built-in default, never saved) and
/// every saved version, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EfficiencyRules {
    pub id: i64,
    pub config: EfficiencyConfig,
    pub versions: Vec<RulesVersion>,
    pub can_edit: bool,
}

/// The rules as typed: one weight and benchmark per indicator in `Indicator::ALL` order (a
/// weight of 0 or empty leaves the indicator out; an empty benchmark means the year's average),
/// the cap, the least land, the cut-off mode (`score`/`share`) and its three figures.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RulesForm {
    #[serde(default)]
    pub weights: Vec<String>,
    #[serde(default)]
    pub benchmarks: Vec<String>,
    #[serde(default)]
    pub cap: String,
    #[serde(default)]
    pub min_land_mu: String,
    #[serde(default)]
    pub mode: String,
    #[serde(default)]
    pub a: String,
    #[serde(default)]
    pub b: String,
    #[serde(default)]
    pub c: String,
    #[serde(default)]
    pub note: String,
}
