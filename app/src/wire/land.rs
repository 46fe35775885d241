//! What crosses the wire for `api::land` (标准地 承诺履约复核 and its early warning). Imports
//! `domain` only; read by pages, api and services.

use crate::domain::land_review::Check;
use serde::{Deserialize, Serialize};

/// The contract as typed (amounts 万元/亩, dates `YYYY-MM-DD`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LandForm {
    #[serde(default)]
    pub contract_no: String,
    #[serde(default)]
    pub land_mu: String,
    #[serde(default)]
    pub intensity: String,
    #[serde(default)]
    pub tax_per_mu: String,
    #[serde(default)]
    pub output_per_mu: String,
    #[serde(default)]
    pub signed_on: String,
    #[serde(default)]
    pub full_output_on: String,
    #[serde(default)]
    pub review_on: String,
}

/// A project's 标准地 contract read against its actual figures on today (Asia/Shanghai).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LandReview {
    pub lead_id: i64,
    pub company_name: String,
    pub contract_no: String,
    pub land_mu: f64,
    pub signed_on: String,
    pub full_output_on: Option<String>,
    pub review_on: String,
    /// The review date has passed (复核).
    pub reviewed: bool,
    /// Whole months until the review date (0 once passed).
    pub months_to_review: i32,
    pub checks: Vec<Check>,
    /// Some indicator is breached (违约) / forecast to miss (预警).
    pub breach: bool,
    pub warning: bool,
}

/// The land panel of a signed project: its review, if a contract is recorded, and the form's
/// values (the contract's, or the area committed at 签约).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LandPanel {
    pub review: Option<LandReview>,
    pub form: LandForm,
    pub can_edit: bool,
}
