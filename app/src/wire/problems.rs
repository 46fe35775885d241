//! What crosses the wire for `api::problems`: the types its server functions take and return,
//! with their validators. Imports `domain` only; read by pages, api and services.

use serde::{Deserialize, Serialize};

/// 问题类别: 审批, 用地, 环评, 能评, 资金, 其他.
pub const CATEGORIES: [&str; 6] = ["approval", "land", "environment", "energy", "funding", "other"];

pub const STATUSES: [&str; 3] = ["open", "in_progress", "solved"];

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProblemForm {
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub responsible: String,
    #[serde(default)]
    pub deadline: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProblemUpdateView {
    pub note: String,
    pub status: String,
    pub who: String,
    pub at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProblemView {
    pub id: i64,
    pub lead_id: i64,
    pub company_name: String,
    pub category: String,
    pub description: String,
    pub department: String,
    pub responsible: String,
    pub deadline: Option<String>,
    pub status: String,
    /// 督办: past its deadline and not solved.
    pub overdue: bool,
    pub updates: Vec<ProblemUpdateView>,
    pub can_edit: bool,
}

/// `/problems` filters, from the query string.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProblemFilter {
    pub status: Option<String>,
    pub category: Option<String>,
    /// Only overdue (督办) items.
    pub overdue: Option<bool>,
}

impl ProblemFilter {
    /// `?status=…&category=…&overdue=1`, or empty.
    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(s) = &self.status {
            parts.push(format!("status={}", crate::domain::lead_filter::encode(s)));
        }
        if let Some(c) = &self.category {
            parts.push(format!("category={}", crate::domain::lead_filter::encode(c)));
        }
        if self.overdue == Some(true) {
            parts.push("overdue=1".into());
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }

    pub fn from_pairs<'a>(get: impl Fn(&str) -> Option<&'a str>) -> ProblemFilter {
        let some = |k: &str| get(k).map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
        ProblemFilter {
            status: some("status"),
            category: some("category"),
            overdue: get("overdue").map(|v| v == "1" || v == "true"),
        }
    }
}
