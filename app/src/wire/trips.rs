//! What crosses the wire for `api::trips`: the types its server functions take and return,
//! with their validators. Imports `domain` only; read by pages, api and services.

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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
    /// Moves on with each change of the trip or its visits (a change is made at the version read).
    pub version: i32,
    pub members: Vec<(i64, String)>,
    pub visits: usize,
    pub visits_open: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TripDetail {
    pub trip: TripRow,
    pub visits: Vec<VisitView>,
    /// May plan visits, report, change and close it.
    pub can_edit: bool,
    /// May publish and cancel it too (managers, admins, its creator).
    pub can_decide: bool,
    /// Leads to pick for a new visit: (id, company name, region names).
    pub lead_choices: Vec<(i64, String, String)>,
    /// Visits with neither a report nor a reason: they keep the trip open.
    pub blocking_close: Vec<i64>,
    /// While open: its members also on another open trip those days.
    pub away: Vec<AwayNote>,
    /// While open and the reader may change it: what its form offers.
    pub choices: Option<TripChoices>,
}

/// A member of a trip also on another open trip on some of its days (one of them out of town).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AwayNote {
    pub who: String,
    /// The other trip's id and purpose, when the reader may see it.
    pub trip: Option<(i64, String)>,
    /// `YYYY-MM-DD`, the other trip's days.
    pub start_on: String,
    pub end_on: String,
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TripChoices {
    pub teams: Vec<(i64, String)>,
    pub people: Vec<(i64, String)>,
    pub my_teams: Vec<i64>,
}
