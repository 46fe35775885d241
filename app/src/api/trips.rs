//! 外出招商 trips and 客商来访 inspection visits, their 走访 visits and reports.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TripForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub purpose: String,
    /// A city or district, by name or code ("深圳", "320115"); empty for inbound visits.
    #[serde(default)]
    pub destination: String,
    #[serde(default)]
    pub start_on: String,
    #[serde(default)]
    pub end_on: String,
    #[serde(default)]
    pub team_id: String,
    /// `members[ID]=ID` check boxes.
    #[serde(default)]
    pub members: BTreeMap<String, String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VisitForm {
    /// "#123 某某公司", "123", or the exact company name.
    #[serde(default)]
    pub lead: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub start: String,
    #[serde(default)]
    pub end: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub contact: String,
    /// `attendees[ID]=ID`; empty means every member of the trip.
    #[serde(default)]
    pub attendees: BTreeMap<String, String>,
}

/// 走访纪要.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportForm {
    #[serde(default)]
    pub learned: String,
    #[serde(default)]
    pub intention: String,
    #[serde(default)]
    pub next_step: String,
    #[serde(default)]
    pub next_due: String,
    /// Move the lead to this stage as well (optional).
    #[serde(default)]
    pub move_to: String,
    #[serde(default)]
    pub move_comment: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TripRow {
    pub id: i64,
    pub kind: String,
    pub purpose: String,
    pub destination_code: String,
    pub destination_name: String,
    pub start_on: String,
    pub end_on: String,
    pub team_id: Option<i64>,
    pub team_name: Option<String>,
    pub status: String,
    pub members: Vec<(i64, String)>,
    pub visits: usize,
    pub visits_open: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VisitView {
    pub id: i64,
    pub lead_id: i64,
    pub company_name: String,
    pub date: String,
    pub start: String,
    pub end: String,
    pub place: String,
    pub contact: String,
    pub status: String,
    pub attendees: Vec<(i64, String)>,
    pub learned: String,
    pub intention: Option<String>,
    pub next_step: String,
    pub next_due: Option<String>,
    pub missed_reason: String,
    pub lead_stage: String,
    pub lead_version: i32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TripDetail {
    pub trip: TripRow,
    pub visits: Vec<VisitView>,
    /// May plan visits, report, publish and close.
    pub can_edit: bool,
    /// Leads to pick for a new visit: (id, company name, region names).
    pub lead_choices: Vec<(i64, String, String)>,
    /// Visits with neither a report nor a reason: they keep the trip open.
    pub blocking_close: Vec<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TripFilter {
    pub status: Option<String>,
    pub team: Option<i64>,
    /// Only trips the reader is on.
    pub mine: bool,
}

impl TripFilter {
    pub fn from_pairs<'a>(get: impl Fn(&str) -> Option<&'a str>) -> TripFilter {
        let some = |k: &str| get(k).map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
        TripFilter {
            status: some("status"),
            team: some("team").and_then(|t| t.parse().ok()),
            mine: get("mine").is_some_and(|v| v == "1" || v == "true"),
        }
    }
}

/// What the trip form offers: teams with members, and everyone who can travel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TripChoices {
    pub teams: Vec<(i64, String)>,
    pub people: Vec<(i64, String)>,
    pub my_teams: Vec<i64>,
}

#[server(endpoint = "trips/list")]
pub async fn list_trips(#[server(default)] filter: TripFilter) -> Result<Vec<TripRow>, AppError> {
    use crate::backend::{context, services::trips};
    let (state, user) = context::signed_in()?;
    context::respond(trips::list(&state.db, &user, &filter).await)
}

#[server(endpoint = "trips/get")]
pub async fn get_trip(id: i64) -> Result<TripDetail, AppError> {
    use crate::backend::{context, services::trips};
    let (state, user) = context::signed_in()?;
    context::respond(trips::detail(&state.db, &user, id).await)
}

#[server(endpoint = "trips/choices")]
pub async fn get_trip_choices() -> Result<TripChoices, AppError> {
    use crate::backend::{context, services::trips};
    let (state, user) = context::signed_in()?;
    context::respond(trips::choices(&state.db, &user).await)
}

#[server(endpoint = "trips/create")]
pub async fn create_trip(form: TripForm) -> Result<i64, AppError> {
    use crate::backend::{context, services::trips};
    let (state, user) = context::signed_in()?;
    let id = context::respond(trips::create(&state.db, &user, form).await)?;
    leptos_axum::redirect(&format!("/trips/{id}"));
    Ok(id)
}

/// 发布: members are told (mail with the .ics).
#[server(endpoint = "trips/publish")]
pub async fn publish_trip(id: i64) -> Result<(), AppError> {
    use crate::backend::{context, services::trips};
    let (state, user) = context::signed_in()?;
    context::respond(trips::publish(&state.db, &state.settings, &user, id).await)
}

#[server(endpoint = "trips/close")]
pub async fn close_trip(id: i64) -> Result<(), AppError> {
    use crate::backend::{context, services::trips};
    let (state, user) = context::signed_in()?;
    context::respond(trips::close(&state.db, &user, id).await)
}

#[server(endpoint = "trips/cancel")]
pub async fn cancel_trip(id: i64) -> Result<(), AppError> {
    use crate::backend::{context, services::trips};
    let (state, user) = context::signed_in()?;
    context::respond(trips::cancel(&state.db, &state.settings, &user, id).await)
}

#[server(endpoint = "visits/add")]
pub async fn add_visit(trip_id: i64, form: VisitForm) -> Result<i64, AppError> {
    use crate::backend::{context, services::visits};
    let (state, user) = context::signed_in()?;
    context::respond(visits::add(&state.db, &state.settings, &user, trip_id, form).await)
}

#[server(endpoint = "visits/report")]
pub async fn report_visit(visit_id: i64, form: ReportForm) -> Result<(), AppError> {
    use crate::backend::{context, services::visits};
    let (state, user) = context::signed_in()?;
    context::respond(visits::report(&state.db, &user, visit_id, form).await)
}

/// 未成行: the visit did not happen, and why.
#[server(endpoint = "visits/missed")]
pub async fn visit_missed(visit_id: i64, #[server(default)] reason: String) -> Result<(), AppError> {
    use crate::backend::{context, services::visits};
    let (state, user) = context::signed_in()?;
    context::respond(visits::missed(&state.db, &state.settings, &user, visit_id, &reason).await)
}
