//! What crosses the wire for `api::leads`: the types its server functions take and return,
//! with their validators. Imports `domain` only; read by pages, api and services.

use crate::domain::lead::LeadForm;
use crate::domain::region::RegionGroup;
use crate::i18n::{tr, Locale};
use serde::{Deserialize, Serialize};

/// A region with its names, for display.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegionView {
    pub code: String,
    pub group: RegionGroup,
    pub nanjing_metro: bool,
    /// "江苏省 南京市 江宁区" for mainland divisions, empty for overseas areas.
    pub names: String,
    /// Translation key of an overseas area.
    pub overseas_key: Option<String>,
}

impl RegionView {
    /// The region as people read it in `locale`: "江苏省 南京市 江宁区", or the overseas area's
    /// name ("欧洲", "Europe").
    pub fn label(&self, locale: Locale) -> String {
        match &self.overseas_key {
            Some(key) => tr(locale, key).to_string(),
            None => self.names.clone(),
        }
    }
}

/// One row of the lead list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeadRow {
    pub id: i64,
    pub company_name: String,
    pub region: RegionView,
    pub industry: String,
    pub stage: String,
    pub channel: String,
    pub planned_investment_wan: Option<f64>,
    pub owner_name: Option<String>,
    /// Asia/Shanghai, `YYYY-MM-DD HH:MM`.
    pub updated_at: String,
    pub score: Option<f64>,
    pub grade: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeadPage {
    pub rows: Vec<LeadRow>,
    /// How many match, at most `COUNT_CAP` (see `more`).
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    /// More than `total` match (the count stops at the cap).
    pub more: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ContactView {
    pub name: String,
    pub title: String,
    pub phone: String,
    pub email: String,
}

/// The import a lead was created by (导入批次): the lead page names it beside 创建.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportOrigin {
    /// The batch's id.
    pub id: i64,
    /// The file as uploaded ("外出收集的线索.xlsx"), for whoever may open the batch.
    pub file_name: Option<String>,
    /// Whether the reader may open the batch's page (its uploader, managers, admins).
    pub can_open: bool,
}

/// Another lead that may be the same company.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DuplicateHint {
    pub id: i64,
    pub company_name: String,
    pub owner_name: Option<String>,
    /// Same USCC (refused) rather than only the same normalised name (a warning).
    pub same_uscc: bool,
    /// Whether the reader may open it.
    pub readable: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeadDetail {
    pub id: i64,
    pub version: i32,
    pub company_name: String,
    pub uscc: Option<String>,
    pub region: RegionView,
    pub industry: String,
    pub sector: Option<String>,
    pub planned_investment_wan: Option<f64>,
    pub land_mu: Option<f64>,
    pub annual_output_wan: Option<f64>,
    pub annual_tax_wan: Option<f64>,
    pub jobs: Option<i32>,
    pub channel: String,
    pub stage: String,
    pub owner_name: Option<String>,
    /// 招商专班 (id, name)
    #[serde(default)]
    pub team: Option<(i64, String)>,
    pub notes: String,
    pub contacts: Vec<ContactView>,
    pub created_by: String,
    pub created_at: String,
    /// The import that created it, if one did (and the batch is still there).
    #[serde(default)]
    pub imported_from: Option<ImportOrigin>,
    pub updated_by: String,
    pub updated_at: String,
    pub can_edit: bool,
    /// Managers, admins and leaders read the field history.
    pub can_see_history: bool,
    pub duplicates: Vec<DuplicateHint>,
    pub high_tech: Option<bool>,
    pub specialised: Option<bool>,
    pub listed: Option<bool>,
    pub energy_use: Option<String>,
    pub score: Option<crate::wire::scoring::ScoreView>,
    pub placements: Vec<PlacementView>,
}

/// The translation key of a recorded field.
pub fn field_label(field: &str) -> &'static str {
    match field {
        "company_name" => "lead.company_name",
        "uscc" => "lead.uscc",
        "region_code" => "lead.region",
        "industry" => "lead.industry",
        "sector" => "lead.sector",
        "planned_investment" => "lead.planned_investment",
        "land_mu" => "lead.land_mu",
        "annual_output" => "lead.annual_output",
        "annual_tax" => "lead.annual_tax",
        "jobs" => "lead.jobs",
        "channel" => "lead.channel",
        "stage" => "lead.stage",
        "owner_id" => "lead.owner",
        "team_id" => "lead.team",
        "high_tech" => "lead.high_tech",
        "specialised" => "lead.specialised",
        "listed" => "lead.listed",
        "energy_use" => "lead.energy_use",
        "major_flag" => "major.flag",
        "leader_in_charge_id" => "major.leader",
        "lead_department" => "major.department",
        "contacts" => "lead.contacts",
        _ => "lead.notes",
    }
}

/// One changed field of a lead (审计), for the history and the stale-save message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FieldChange {
    pub field: String,
    pub old: String,
    pub new: String,
    pub who: String,
    pub at: String,
    pub version: i32,
}

/// Where a lead sits on the chains.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlacementView {
    pub node_id: i64,
    pub chain_id: i64,
    pub chain: crate::wire::chains::Bilingual,
    pub node: crate::wire::chains::Bilingual,
    pub position: String,
    pub role: String,
    pub supplies: Option<String>,
    pub is_gap: bool,
}

/// What the edit page starts from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeadEdit {
    pub id: i64,
    pub form: LeadForm,
    /// The stored region, so the picker can show it even when it is a county.
    pub region: RegionView,
}

/// Provinces with their prefecture cities, for the region picker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProvinceOption {
    pub code: String,
    pub name: String,
    pub cities: Vec<(String, String)>,
}
