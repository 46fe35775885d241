use crate::domain::lead::FieldError;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A name kept in both languages; the page picks one.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Bilingual {
    pub zh: String,
    pub en: String,
}

impl Bilingual {
    pub fn pick(&self, locale: crate::i18n::Locale) -> &str {
        match locale {
            crate::i18n::Locale::En if !self.en.trim().is_empty() => &self.en,
            _ => &self.zh,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChainSummary {
    pub id: i64,
    pub name: Bilingual,
    pub industry: String,
    pub nodes: usize,
    pub gaps: usize,
    pub open_leads: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnterpriseChip {
    pub id: i64,
    pub name: String,
    pub is_leader: bool,
    pub grade: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NodeCard {
    pub id: i64,
    pub name: Bilingual,
    pub position: String,
    pub description: String,
    pub enterprises: Vec<EnterpriseChip>,
    /// Leads on the node that are neither landed nor dropped (visible to the reader).
    pub open_leads: usize,
    pub best_grade: Option<String>,
    /// Landed projects (签约 and after) on the node.
    pub landed: usize,
    /// 缺链: no local enterprise and no landed project.
    pub is_gap: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChainMap {
    pub id: i64,
    pub name: Bilingual,
    pub industry: String,
    pub description: String,
    pub nodes: Vec<NodeCard>,
    pub can_edit: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeadRef {
    pub id: i64,
    pub company_name: String,
    pub stage: String,
    pub score: Option<f64>,
    pub grade: Option<String>,
    pub role: String,
}

/// One gap with the leads that could fill it, best first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GapView {
    pub chain_id: i64,
    pub chain: Bilingual,
    pub node_id: i64,
    pub node: Bilingual,
    pub position: String,
    pub candidates: Vec<LeadRef>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NodeOption {
    pub id: i64,
    pub chain: Bilingual,
    pub node: Bilingual,
    pub position: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnterpriseOption {
    pub id: i64,
    pub name: String,
    pub is_leader: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ChainForm {
    #[serde(default)]
    pub name_zh: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(default)]
    pub industry: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NodeForm {
    #[serde(default)]
    pub chain_id: i64,
    #[serde(default)]
    pub name_zh: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(default)]
    pub position: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EnterpriseForm {
    /// The node to attach it to.
    #[serde(default)]
    pub node_id: i64,
    /// An existing enterprise, or empty to create one from the fields below.
    #[serde(default)]
    pub enterprise_id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub uscc: String,
    #[serde(default)]
    pub is_leader: String,
    #[serde(default)]
    pub grade: String,
}

pub const POSITIONS: [&str; 3] = ["upstream", "midstream", "downstream"];

pub fn check_name(field: &str, value: &str, errors: &mut Vec<FieldError>) {
    if value.trim().is_empty() {
        errors.push(FieldError::new(field, "err.required"));
    } else if value.trim().chars().count() > 100 {
        errors.push(FieldError::new(field, "err.too_long").with("max", 100));
    }
}

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
pub async fn gap_list() -> Result<Vec<GapView>, AppError> {
    use crate::backend::{context, services::chains};
    let (state, user) = context::signed_in()?;
    context::respond(chains::gaps(&state.db, &user).await)
}

#[server(endpoint = "chains/create")]
pub async fn create_chain(form: ChainForm) -> Result<i64, AppError> {
    use crate::backend::{context, services::chains};
    let (state, user) = context::signed_in()?;
    let id = context::respond(chains::create_chain(&state.db, &user, form).await)?;
    leptos_axum::redirect(&format!("/chains/{id}"));
    Ok(id)
}

#[server(endpoint = "chains/add-node")]
pub async fn add_node(form: NodeForm) -> Result<i64, AppError> {
    use crate::backend::{context, services::chains};
    let (state, user) = context::signed_in()?;
    context::respond(chains::add_node(&state.db, &user, form).await)
}

#[server(endpoint = "chains/update-node")]
pub async fn update_node(id: i64, form: NodeForm) -> Result<(), AppError> {
    use crate::backend::{context, services::chains};
    let (state, user) = context::signed_in()?;
    context::respond(chains::update_node(&state.db, &user, id, form).await)
}

#[server(endpoint = "chains/delete-node")]
pub async fn delete_node(id: i64) -> Result<(), AppError> {
    use crate::backend::{context, services::chains};
    let (state, user) = context::signed_in()?;
    context::respond(chains::delete_node(&state.db, &user, id).await)
}

#[server(endpoint = "chains/add-enterprise")]
pub async fn add_enterprise(form: EnterpriseForm) -> Result<i64, AppError> {
    use crate::backend::{context, services::chains};
    let (state, user) = context::signed_in()?;
    context::respond(chains::add_enterprise(&state.db, &user, form).await)
}

#[server(endpoint = "chains/remove-enterprise")]
pub async fn remove_enterprise(enterprise_id: i64, node_id: i64) -> Result<(), AppError> {
    use crate::backend::{context, services::chains};
    let (state, user) = context::signed_in()?;
    context::respond(chains::remove_enterprise(&state.db, &user, enterprise_id, node_id).await)
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
    context::respond(chains::enterprise_options(&state.db).await)
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
