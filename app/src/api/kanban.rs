use crate::domain::lead_filter::LeadFilter;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Cards shown per column (the header still counts them all).
pub const CARDS_PER_COLUMN: u64 = 60;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Card {
    pub id: i64,
    pub version: i32,
    pub company_name: String,
    pub region: String,
    pub planned_investment_wan: Option<f64>,
    pub grade: Option<String>,
    pub days_in_stage: i64,
    /// No activity for `stale_days` days.
    pub stale: bool,
    pub can_edit: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub stage: String,
    pub count: u64,
    pub total_investment_wan: f64,
    pub cards: Vec<Card>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Board {
    pub columns: Vec<Column>,
    pub stale_days: i64,
}

/// 看板: the filtered leads by stage.
#[server(endpoint = "kanban/board")]
pub async fn kanban_board(#[server(default)] filter: LeadFilter) -> Result<Board, AppError> {
    use crate::backend::{context, services::kanban};
    let (state, user) = context::signed_in()?;
    context::respond(
        kanban::board(&state.db, &user, &filter, state.settings.stale_days, state.settings.major_project_wan).await,
    )
}
