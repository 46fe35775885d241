//! 每周外出招商计划: suggestions of whom to visit, by city, and turning one into a draft trip.
use crate::error::AppError;
use crate::wire::planner::*;
use leptos::prelude::*;
use std::collections::BTreeMap;

#[server(endpoint = "planner")]
pub async fn get_planner(
    #[server(default)] team: Option<i64>,
    #[server(default)] week: String,
) -> Result<PlannerView, AppError> {
    use crate::backend::{context, services::planner};
    let (state, user) = context::signed_in()?;
    context::respond(planner::view(&state.db, &user, team, &week).await)
}

/// Makes a draft trip to `city` in `week` for the team, with a visit per chosen lead in the
/// first free slots of its members; opens the trip.
#[server(endpoint = "planner/accept")]
pub async fn accept_plan(
    team_id: i64,
    week: String,
    city: String,
    #[server(default)] lead_ids: BTreeMap<String, String>,
) -> Result<i64, AppError> {
    use crate::backend::{context, services::planner};
    let (state, user) = context::signed_in()?;
    let ids: Vec<i64> = lead_ids.values().filter_map(|v| v.parse().ok()).collect();
    let trip = context::respond(planner::accept(&state.db, &state.settings, &user, team_id, &week, &city, &ids).await)?;
    leptos_axum::redirect(&format!("/trips/{trip}"));
    Ok(trip)
}
