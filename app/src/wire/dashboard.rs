//! What crosses the wire for `api::dashboard`: the types its server functions take and return,
//! with their validators. Imports `domain` only; read by pages, api and services.

use serde::{Deserialize, Serialize};

/// One bar: label, value, and a second figure (investment) where it helps.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub extra: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    /// Stage code → (leads, planned investment 万元), pipeline order.
    pub funnel: Vec<Bar>,
    /// Region group code → leads, with signings (签约+) as `extra`.
    pub regions: Vec<Bar>,
    /// Chain name → leads placed on it, with landed ones as `extra`.
    pub chains: Vec<Bar>,
    /// Grade → leads.
    pub grades: Vec<Bar>,
    /// `YYYY-MM` → new leads, with signings as `extra` (last 12 months).
    pub trend: Vec<Bar>,
    /// Team → completion of the year's signed-project target in %, contracted 万元 % as `extra`.
    pub targets: Vec<Bar>,
    pub year: i32,
    /// Leads and signings by province, drawn (a whole `<svg>`; each province links to `/map`).
    #[serde(default)]
    pub map: String,
    /// When these figures were counted, Asia/Shanghai `YYYY-MM-DD HH:MM` (the dashboard is
    /// counted at most once a minute).
    #[serde(default)]
    pub built_at: String,
}
