//! 招商项目效益评价 / 承诺履约: a signed project's actual investment, output and tax per year
//! against what it committed at 签约.

use crate::error::AppError;
use leptos::prelude::*;
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

/// None when the lead has not signed (no commitment recorded).
#[server(endpoint = "fulfilment/get")]
pub async fn get_fulfilment(lead_id: i64) -> Result<Option<Fulfilment>, AppError> {
    use crate::backend::{context, services::fulfilment};
    let (state, user) = context::signed_in()?;
    context::respond(fulfilment::of_lead(&state.db, &state.settings, &user, lead_id).await)
}

#[server(endpoint = "fulfilment/save")]
pub async fn save_actual(lead_id: i64, form: ActualForm) -> Result<(), AppError> {
    use crate::backend::{context, services::fulfilment};
    let (state, user) = context::signed_in()?;
    context::respond(fulfilment::save(&state.db, &user, lead_id, form).await)
}

/// Every signed project with its fulfilment, those below the threshold first.
#[server(endpoint = "fulfilment/list")]
pub async fn list_fulfilment() -> Result<Vec<Fulfilment>, AppError> {
    use crate::backend::{context, services::fulfilment};
    let (state, user) = context::signed_in()?;
    context::respond(fulfilment::list(&state.db, &state.settings, &user).await)
}
