//! 招商项目效益评价 / 承诺履约: a signed project's actual investment, output and tax per year
//! against what it committed at 签约.
use crate::error::AppError;
use crate::wire::fulfilment::*;
use leptos::prelude::*;

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
