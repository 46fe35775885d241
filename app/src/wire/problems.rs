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
    /// Which page of the office-wide list, from 1 ([`PROBLEMS_PER_PAGE`] a page); None: the
    /// first. Exports ignore it.
    pub page: Option<u64>,
}

/// Problems a page of `/problems` shows.
pub const PROBLEMS_PER_PAGE: u64 = 50;

/// A page of the office-wide problem list: its rows, how many match in all, which page of how
/// many (at least 1).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProblemPage {
    pub rows: Vec<ProblemView>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
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
        if let Some(page) = self.page.filter(|p| *p > 1) {
            parts.push(format!("page={page}"));
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
            page: get("page").and_then(|v| v.trim().parse().ok()).filter(|p| *p >= 1),
        }
    }

    /// The same filter on page `page` (1: the first, left out of the address).
    pub fn with_page(&self, page: u64) -> ProblemFilter {
        ProblemFilter { page: (page > 1).then_some(page), ..self.clone() }
    }
}
