//! 周调度 (weekly dispatch), 月通报 (monthly bulletin) and 季考核 (quarterly assessment).
use crate::error::AppError;
use crate::wire::reports::*;
use leptos::prelude::*;

#[server(endpoint = "reports/weekly")]
pub async fn get_weekly_pack(#[server(default)] week: String) -> Result<WeeklyPack, AppError> {
    use crate::backend::{context, services::reports};
    let (state, user) = context::signed_in()?;
    context::respond(reports::weekly(&state.db, &state.settings, &user, &week).await)
}

#[server(endpoint = "reports/comment")]
pub async fn save_weekly_comment(
    week: String,
    team_id: i64,
    #[server(default)] comment: String,
) -> Result<(), AppError> {
    use crate::backend::{context, services::reports};
    let (state, user) = context::signed_in()?;
    context::respond(reports::save_comment(&state.db, &user, &week, team_id, &comment).await)
}

#[server(endpoint = "reports/period")]
pub async fn get_period_report(period: String) -> Result<PeriodReport, AppError> {
    use crate::backend::{context, services::period_report};
    let (state, user) = context::signed_in()?;
    context::respond(period_report::period_report(&state.db, &state.settings, &user, &period).await)
}
