//! Assigning leads to a 招商专班 and an owner (one or many), the suggestion, and the queue of
//! unassigned leads.
use crate::error::AppError;
use crate::wire::assignment::*;
use crate::wire::teams::SuggestionView;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// Teams (and members) the signed-in user may assign to: all for managers, the teams they
/// lead for team leads.
#[server(endpoint = "assign/targets")]
pub async fn assign_targets() -> Result<Vec<AssignTarget>, AppError> {
    use crate::backend::{context, services::assignment};
    let (state, user) = context::signed_in()?;
    context::respond(assignment::targets(&state.db, &user).await)
}

/// Assigns the checked leads (`lead_ids[ID]=ID`) to `team_id` and, if given, `owner_id`.
#[server(endpoint = "assign/leads")]
pub async fn assign_leads(
    #[server(default)] lead_ids: BTreeMap<String, String>,
    #[server(default)] team_id: String,
    #[server(default)] owner_id: String,
) -> Result<AssignReport, AppError> {
    use crate::backend::{context, services::assignment};
    let (state, user) = context::signed_in()?;
    let ids: Vec<i64> = lead_ids.values().filter_map(|v| v.trim().parse().ok()).collect();
    context::leave_ok(
        <AssignLeads as leptos::server_fn::ServerFn>::PATH,
        context::respond(assignment::assign(&state.db, &state.settings, &user, &ids, &team_id, &owner_id).await),
    )
}

#[server(endpoint = "assign/suggest")]
pub async fn suggest_assignment(lead_id: i64) -> Result<Option<SuggestionView>, AppError> {
    use crate::backend::{context, services::assignment};
    let (state, user) = context::signed_in()?;
    context::respond(assignment::suggest_for(&state.db, &user, lead_id).await)
}

#[server(endpoint = "assign/queue")]
pub async fn unassigned_queue() -> Result<Vec<QueueRow>, AppError> {
    use crate::backend::{context, services::assignment};
    let (state, user) = context::signed_in()?;
    context::respond(assignment::queue(&state.db, &user).await)
}
