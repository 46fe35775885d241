//! What crosses the wire for `api::fulfilment`: the types its server functions take and return,
//! with their validators. Imports `domain` only; read by pages, api and services.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ActualForm {
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub investment: String,
    #[serde(default)]
    pub output: String,
    #[serde(default)]
    pub tax: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActualRow {
    pub year: i32,
    pub investment_wan: Option<f64>,
    pub output_wan: Option<f64>,
    pub tax_wan: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fulfilment {
    pub lead_id: i64,
    pub company_name: String,
    /// Committed at 签约: investment, annual output, annual tax (万元).
    pub committed: [Option<f64>; 3],
    pub years: Vec<ActualRow>,
    /// Actual investment so far, and the latest year's output and tax.
    pub actual: [Option<f64>; 3],
    /// Percent of each commitment reached.
    pub percent: [Option<f64>; 3],
    /// Some figure is below the office's threshold.
    pub warn: bool,
    pub threshold: f64,
    pub can_edit: bool,
}
