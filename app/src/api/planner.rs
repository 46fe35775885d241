//! 每周外出招商计划: suggestions of whom to visit, by city, and turning one into a draft trip.

use crate::domain::planner::Ranked;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClusterView {
    /// Six-digit city code.
    pub city: String,
    pub city_name: String,
    /// "江宁区 3、浦口区 1"
    pub districts: String,
    pub leads: Vec<Ranked>,
    pub a_grade: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlannerView {
    pub team_id: Option<i64>,
    pub teams: Vec<(i64, String)>,
    pub week: String,
    pub from: String,
    pub to: String,
    pub clusters: Vec<ClusterView>,
    /// Team members and how many visits they already have that week.
    pub busy: Vec<(String, i64)>,
}

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
