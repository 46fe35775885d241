use crate::error::AppError;
use crate::wire::chains::*;
use leptos::prelude::*;

#[server(endpoint = "chains/list")]
pub async fn list_chains() -> Result<Vec<ChainSummary>, AppError> {
    use crate::backend::{context, services::chains};
    let (state, user) = context::signed_in()?;
    context::respond(chains::list(&state.db, &user).await)
}

#[server(endpoint = "chains/map")]
pub async fn get_chain_map(id: i64) -> Result<ChainMap, AppError> {
    use crate::backend::{context, services::chains};
    let (state, user) = context::signed_in()?;
    context::respond(chains::map(&state.db, &user, id).await)
}

#[server(endpoint = "chains/gaps")]
pub async fn gap_list(#[server(default)] region: Option<String>) -> Result<Vec<GapView>, AppError> {
    use crate::backend::{context, services::chains};
    let (state, user) = context::signed_in()?;
    context::respond(chains::gaps(&state.db, &user, region.as_deref()).await)
}

#[server(endpoint = "chains/create")]
pub async fn create_chain(form: ChainForm) -> Result<i64, AppError> {
    use crate::backend::{context, services::chain_edit};
    let (state, user) = context::signed_in()?;
    let id = context::respond(chain_edit::create_chain(&state.db, &user, form).await)?;
    leptos_axum::redirect(&format!("/chains/{id}"));
    Ok(id)
}

#[server(endpoint = "chains/add-node")]
pub async fn add_node(form: NodeForm) -> Result<i64, AppError> {
    use crate::backend::{context, services::chain_edit};
    let (state, user) = context::signed_in()?;
    context::respond(chain_edit::add_node(&state.db, &user, form).await)
}

#[server(endpoint = "chains/update-node")]
pub async fn update_node(id: i64, form: NodeForm) -> Result<(), AppError> {
    use crate::backend::{context, services::chain_edit};
    let (state, user) = context::signed_in()?;
    context::respond(chain_edit::update_node(&state.db, &user, id, form).await)
}

#[server(endpoint = "chains/delete-node")]
pub async fn delete_node(id: i64) -> Result<(), AppError> {
    use crate::backend::{context, services::chain_edit};
    let (state, user) = context::signed_in()?;
    context::respond(chain_edit::delete_node(&state.db, &user, id).await)
}

#[server(endpoint = "chains/add-enterprise")]
pub async fn add_enterprise(form: EnterpriseForm) -> Result<i64, AppError> {
    use crate::backend::{context, services::chain_edit};
    let (state, user) = context::signed_in()?;
    context::respond(chain_edit::add_enterprise(&state.db, &user, form).await)
}

#[server(endpoint = "chains/remove-enterprise")]
pub async fn remove_enterprise(enterprise_id: i64, node_id: i64) -> Result<(), AppError> {
    use crate::backend::{context, services::chain_edit};
    let (state, user) = context::signed_in()?;
    context::respond(chain_edit::remove_enterprise(&state.db, &user, enterprise_id, node_id).await)
}

#[server(endpoint = "chains/node-options")]
pub async fn node_options() -> Result<Vec<NodeOption>, AppError> {
    use crate::backend::{context, services::chains};
    context::signed_in()?;
    let state = context::app_state()?;
    context::respond(chains::node_options(&state.db).await)
}

#[server(endpoint = "chains/enterprise-options")]
pub async fn enterprise_options() -> Result<Vec<EnterpriseOption>, AppError> {
    use crate::backend::{context, services::chains};
    context::signed_in()?;
    let state = context::app_state()?;
    context::respond(chains::enterprise_options(&state.db, chains::Offered::All).await)
}

/// The 链主 enterprises, for the lead page's 配套 field.
#[server(endpoint = "chains/leader-options")]
pub async fn leader_options() -> Result<Vec<EnterpriseOption>, AppError> {
    use crate::backend::{context, services::chains};
    context::signed_in()?;
    let state = context::app_state()?;
    context::respond(chains::enterprise_options(&state.db, chains::Offered::Leaders).await)
}

/// Places a lead on a node (or changes its role there).
#[server(endpoint = "leads/place")]
pub async fn place_lead(
    lead_id: i64,
    node_id: i64,
    role: String,
    #[server(default)] supplies: String,
) -> Result<(), AppError> {
    use crate::backend::{context, services::placements};
    let (state, user) = context::signed_in()?;
    context::respond(placements::place_lead(&state.db, &user, lead_id, node_id, &role, &supplies).await)
}

#[server(endpoint = "leads/unplace")]
pub async fn unplace_lead(lead_id: i64, node_id: i64) -> Result<(), AppError> {
    use crate::backend::{context, services::placements};
    let (state, user) = context::signed_in()?;
    context::respond(placements::unplace_lead(&state.db, &user, lead_id, node_id).await)
}
