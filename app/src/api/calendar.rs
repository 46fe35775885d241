//! The calendar (week and month, per person, team or the whole office) and each user's private
//! iCal subscription.

use crate::error::AppError;
use leptos::prelude::*;
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

#[server(endpoint = "calendar")]
pub async fn calendar(#[server(default)] query: CalendarQuery) -> Result<CalendarPage, AppError> {
    use crate::backend::{context, services::calendar};
    let (state, user) = context::signed_in()?;
    context::respond(calendar::page(&state.db, &user, &query).await)
}

/// The signed-in user's visits today and in the next seven days (home page).
#[server(endpoint = "calendar/upcoming")]
pub async fn upcoming_visits() -> Result<Vec<CalendarEvent>, AppError> {
    use crate::backend::{context, services::calendar};
    let (state, user) = context::signed_in()?;
    context::respond(calendar::upcoming(&state.db, &user).await)
}

/// Whether the user has a live subscription, and since when.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MySettings {
    pub email: String,
    pub feed_since: Option<String>,
}

#[server(endpoint = "me/settings")]
pub async fn get_my_settings() -> Result<MySettings, AppError> {
    use crate::backend::{context, services::calendar};
    let (state, user) = context::signed_in()?;
    context::respond(calendar::my_settings(&state.db, &user).await)
}

/// A new private feed URL (the old one stops working). Shown once: only its hash is kept.
#[server(endpoint = "me/feed/new")]
pub async fn new_calendar_feed() -> Result<String, AppError> {
    use crate::backend::{context, services::calendar};
    let (state, user) = context::signed_in()?;
    context::respond(calendar::new_token(&state.db, &state.settings, &user).await)
}

#[server(endpoint = "me/feed/revoke")]
pub async fn revoke_calendar_feed() -> Result<(), AppError> {
    use crate::backend::{context, services::calendar};
    let (state, user) = context::signed_in()?;
    context::respond(calendar::revoke_token(&state.db, &user).await)
}

#[server(endpoint = "me/email")]
pub async fn set_my_email(#[server(default)] email: String) -> Result<(), AppError> {
    use crate::backend::{context, services::calendar};
    let (state, user) = context::signed_in()?;
    context::respond(calendar::set_email(&state.db, &user, &email).await)
}
