//! What crosses the wire for `api::calendar`: the types its server functions take and return,
//! with their validators. Imports `domain` only; read by pages, api and services.

use serde::{Deserialize, Serialize};

/// One thing on the calendar: a trip (spanning days) or a visit (a slot on one day).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalendarEvent {
    /// "trip" or "visit"
    pub kind: String,
    pub id: i64,
    pub trip_id: i64,
    pub title: String,
    pub start_date: String,
    pub end_date: String,
    /// `HH:MM` for visits.
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub place: String,
    pub people: Vec<String>,
    pub status: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CalendarQuery {
    /// "week" (default) or "month"
    pub view: Option<String>,
    /// Any day in the period, `YYYY-MM-DD`; default today.
    pub date: Option<String>,
    pub user: Option<i64>,
    pub team: Option<i64>,
}

impl CalendarQuery {
    pub fn from_pairs<'a>(get: impl Fn(&str) -> Option<&'a str>) -> CalendarQuery {
        let some = |k: &str| get(k).map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
        CalendarQuery {
            view: some("view"),
            date: some("date"),
            user: some("user").and_then(|v| v.parse().ok()),
            team: some("team").and_then(|v| v.parse().ok()),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalendarPage {
    pub view: String,
    pub first: String,
    pub last: String,
    pub today: String,
    pub prev: String,
    pub next: String,
    pub events: Vec<CalendarEvent>,
    pub people: Vec<(i64, String)>,
    pub teams: Vec<(i64, String)>,
}

/// Whether the user has a live subscription, and since when.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MySettings {
    pub email: String,
    pub feed_since: Option<String>,
}
