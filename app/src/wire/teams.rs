//! What crosses the wire for `api::teams`: the types its server functions take and return,
//! with their validators. Imports `domain` only; read by pages, api and services.

use crate::domain::team::Reason;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MemberView {
    pub id: i64,
    pub display_name: String,
    /// Open leads (not signed, landed or ended) they own.
    pub open_leads: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TargetView {
    pub year: i32,
    pub signed_projects: i32,
    pub contracted_wan: f64,
    pub major_projects: i32,
    pub new_leads: i32,
    pub visits: i32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TeamView {
    pub id: i64,
    pub name: String,
    pub leader_in_charge: Option<(i64, String)>,
    pub team_lead: Option<(i64, String)>,
    pub members: Vec<MemberView>,
    /// (division code, names)
    pub focus_regions: Vec<(String, String)>,
    /// (chain id, name)
    pub focus_chains: Vec<(i64, String)>,
    pub focus_industries: Vec<String>,
    pub open_leads: u64,
    pub targets: Vec<TargetView>,
    pub can_manage: bool,
}

/// The create/edit form. Check boxes post `members[ID]=ID`, `focus_chains[ID]=ID`,
/// `focus_industries[CODE]=CODE`; regions are typed as names or codes ("南京 上海 440300").
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TeamForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub leader_in_charge_id: String,
    #[serde(default)]
    pub lead_user_id: String,
    #[serde(default)]
    pub focus_regions: String,
    #[serde(default)]
    pub members: BTreeMap<String, String>,
    #[serde(default)]
    pub focus_chains: BTreeMap<String, String>,
    #[serde(default)]
    pub focus_industries: BTreeMap<String, String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TargetForm {
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub signed_projects: String,
    #[serde(default)]
    pub contracted_wan: String,
    #[serde(default)]
    pub major_projects: String,
    #[serde(default)]
    pub new_leads: String,
    #[serde(default)]
    pub visits: String,
}

/// Someone who can be put in a team or named its leader.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonOption {
    pub id: i64,
    pub display_name: String,
    pub role: crate::domain::role::Role,
}

/// What the team form offers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeamChoices {
    pub people: Vec<PersonOption>,
    pub chains: Vec<(i64, String)>,
}

/// A suggested team and owner for one lead, with the reasons as translation keys and values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SuggestionView {
    pub team_id: i64,
    pub team_name: String,
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    pub reasons: Vec<Reason>,
    /// Names for the reasons' codes (regions, chains).
    pub reason_names: Vec<String>,
}
