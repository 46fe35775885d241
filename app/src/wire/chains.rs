//! What crosses the wire for `api::chains`: the types its server functions take and return,
//! with their validators. Imports `domain` only; read by pages, api and services.

use crate::domain::lead::FieldError;
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
