//! 标准地 承诺履约复核: a signed project's land contract read against its actual figures, with
//! breaches after the review date and early warnings before it.
use crate::error::AppError;
use crate::wire::land::*;
use leptos::prelude::*;

/// None before 签约.
#[server(endpoint = "land/get")]
pub async fn get_land(lead_id: i64) -> Result<Option<LandPanel>, AppError> {
    use crate::backend::{context, services::land_contracts};
    let (state, user) = context::signed_in()?;
    context::respond(land_contracts::panel(&state.db, &user, lead_id).await)
}

#[server(endpoint = "land/save")]
pub async fn save_land(lead_id: i64, form: LandForm) -> Result<(), AppError> {
    use crate::backend::{context, services::land_contracts};
    let (state, user) = context::signed_in()?;
    context::respond(land_contracts::save(&state.db, &user, lead_id, form).await)
}

/// Every contract the user may see: breaches, then warnings, then the rest.
#[server(endpoint = "land/list")]
pub async fn list_land() -> Result<Vec<LandReview>, AppError> {
    use crate::backend::{context, services::land_contracts};
    let (state, user) = context::signed_in()?;
    context::respond(land_contracts::list(&state.db, &user).await)
}
