//! What crosses the wire for `api::lead_admin`: the types its server functions take and return,
//! with their validators. Imports `domain` only; read by pages, api and services.

use serde::{Deserialize, Serialize};

/// A deleted lead in the recycle bin (回收站).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrashRow {
    pub id: i64,
    pub company_name: String,
    pub deleted_by: String,
    pub deleted_at: String,
}

/// 重大项目: whether the lead is one (by amount or flag), its 包保领导 and lead department.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MajorProject {
    pub is_major: bool,
    pub by_amount: bool,
    pub flagged: bool,
    pub threshold_wan: f64,
    pub leader_in_charge: Option<String>,
    pub leader_in_charge_id: Option<i64>,
    pub lead_department: String,
    pub can_edit: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MajorForm {
    #[serde(default)]
    pub flagged: String,
    #[serde(default)]
    pub leader_in_charge_id: String,
    #[serde(default)]
    pub lead_department: String,
}
