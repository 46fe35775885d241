//! The calendar (week and month, per person, team or the whole office) and each user's private
//! iCal subscription.
use crate::error::AppError;
use crate::wire::calendar::*;
use leptos::prelude::*;

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
    context::leave_ok(
        <NewCalendarFeed as leptos::server_fn::ServerFn>::PATH,
        context::respond(calendar::new_token(&state.db, &state.settings, &user).await),
    )
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
    context::leave_ok(
        <SetMyEmail as leptos::server_fn::ServerFn>::PATH,
        context::respond(calendar::set_email(&state.db, &user, &email).await),
    )
}
