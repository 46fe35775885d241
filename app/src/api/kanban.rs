use crate::domain::lead_filter::LeadFilter;
use crate::error::AppError;
use crate::wire::kanban::*;
use leptos::prelude::*;

/// 看板: the filtered leads by stage.
#[server(endpoint = "kanban/board")]
pub async fn kanban_board(#[server(default)] filter: LeadFilter) -> Result<Board, AppError> {
    use crate::backend::{context, services::kanban};
    let (state, user) = context::signed_in()?;
    context::respond(kanban::board(&state.db, &user, &filter, state.settings.stale_days).await)
}
