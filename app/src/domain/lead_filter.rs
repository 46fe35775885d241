//! The lead list's filters, sort and page, read from and written to the URL's query string so a
//! filtered view can be bookmarked and shared.

use serde::{Deserialize, Serialize};

pub const PER_PAGE: u64 = 50;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortKey {
    #[default]
    Updated,
    Created,
    Name,
    Investment,
    Score,
}

impl SortKey {
    pub const ALL: [SortKey; 5] =
        [SortKey::Updated, SortKey::Created, SortKey::Name, SortKey::Investment, SortKey::Score];

    pub fn code(self) -> &'static str {
        match self {
            SortKey::Updated => "updated",
            SortKey::Created => "created",
            SortKey::Name => "name",
            SortKey::Investment => "investment",
            SortKey::Score => "score",
        }
    }
}

/// A sort: key plus direction. Written `investment` (ascending) or `-investment` (descending).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sort {
    pub key: SortKey,
    pub descending: bool,
}

impl Default for Sort {
    fn default() -> Self {
        Sort { key: SortKey::Updated, descending: true }
    }
}

impl Sort {
    pub fn parse(s: &str) -> Option<Sort> {
        let (descending, code) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        SortKey::ALL.into_iter().find(|k| k.code() == code).map(|key| Sort { key, descending })
    }

    pub fn code(self) -> String {
        format!("{}{}", if self.descending { "-" } else { "" }, self.key.code())
    }

    /// Clicking a column header: the same key flips direction, a new key starts descending for
    /// amounts and dates, ascending for names.
    pub fn toggled(self, key: SortKey) -> Sort {
        if self.key == key {
            Sort { key, descending: !self.descending }
        } else {
            Sort { key, descending: key != SortKey::Name }
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LeadFilter {
    pub group: Option<String>,
    pub industry: Option<String>,
    pub stage: Option<String>,
    pub channel: Option<String>,
    /// A user id, or `me`.
    pub owner: Option<String>,
    /// 评级 A/B/C/D.
    pub grade: Option<String>,
    /// A chain node id: leads placed on it.
    pub node: Option<i64>,
    /// A 招商专班 id: leads assigned to it.
    #[serde(default)]
    pub team: Option<i64>,
    /// Only 重大项目 (flagged, or planned investment at or above the threshold).
    pub major: Option<bool>,
    /// A GB/T 2260 division: 2 digits a province, 4 a prefecture city, 6 a county (the map's
    /// "this city's leads"; 71…, 81…, 82… are the overseas areas 台湾 and 港澳), or an overseas
    /// area's code (`OS-EU`). Anything else is dropped when read from the URL.
    #[serde(default)]
    pub region: Option<String>,
    /// An import batch (导入批次) id: the leads it created ("查看线索" after a commit).
    #[serde(default)]
    pub import: Option<i64>,
    pub q: Option<String>,
    pub sort: Option<String>,
    pub page: Option<u64>,
}

fn non_empty(v: Option<&str>) -> Option<String> {
    v.map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

impl LeadFilter {
    pub fn from_pairs<'a>(get: impl Fn(&str) -> Option<&'a str>) -> LeadFilter {
        LeadFilter {
            group: non_empty(get("group")),
            industry: non_empty(get("industry")),
            stage: non_empty(get("stage")),
            channel: non_empty(get("channel")),
            owner: non_empty(get("owner")),
            grade: non_empty(get("grade")),
            node: get("node").and_then(|n| n.trim().parse().ok()),
            team: get("team").and_then(|n| n.trim().parse().ok()),
            major: get("major").map(|v| v == "1" || v == "true").filter(|m| *m),
            region: get("region").map(str::trim).filter(|r| is_region(r)).map(str::to_string),
            import: get("import").and_then(|n| n.trim().parse().ok()).filter(|n: &i64| *n > 0),
            q: non_empty(get("q")),
            sort: non_empty(get("sort")),
            page: get("page").and_then(|p| p.trim().parse().ok()).filter(|p| *p >= 1),
        }
    }

    pub fn sort(&self) -> Sort {
        self.sort.as_deref().and_then(Sort::parse).unwrap_or_default()
    }

    pub fn page(&self) -> u64 {
        self.page.unwrap_or(1).max(1)
    }

    /// The set filters as `(name, value)` pairs, in the query string's order (not encoded): for
    /// hidden fields of a form that must keep them.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut parts = Vec::new();
        let mut push = |k: &'static str, v: &Option<String>| {
            if let Some(v) = v {
                parts.push((k, v.clone()));
            }
        };
        push("group", &self.group);
        push("industry", &self.industry);
        push("stage", &self.stage);
        push("channel", &self.channel);
        push("owner", &self.owner);
        push("grade", &self.grade);
        push("node", &self.node.map(|n| n.to_string()));
        push("team", &self.team.map(|n| n.to_string()));
        push("major", &self.major.filter(|m| *m).map(|_| "1".to_string()));
        push("region", &self.region);
        push("import", &self.import.map(|n| n.to_string()));
        push("q", &self.q);
        push("sort", &self.sort);
        if let Some(p) = self.page.filter(|p| *p > 1) {
            parts.push(("page", p.to_string()));
        }
        parts
    }

    /// `?group=yrd&q=…` (empty when nothing is set), URL-encoded.
    pub fn to_query(&self) -> String {
        let parts: Vec<String> = self.pairs().into_iter().map(|(k, v)| format!("{k}={}", encode(&v))).collect();
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }

    pub fn with_page(&self, page: u64) -> LeadFilter {
        LeadFilter { page: Some(page), ..self.clone() }
    }

    pub fn with_sort(&self, sort: Sort) -> LeadFilter {
        LeadFilter { sort: Some(sort.code()), page: None, ..self.clone() }
    }
}

/// `32`, `3205` or `320505`: the digits of a province, city or county code without its padding.
/// A region the list can be narrowed to: a division prefix ([`is_division_prefix`]) or an overseas
/// area's code (`OS-TW`, the map's 境外线索 box).
pub fn is_region(s: &str) -> bool {
    is_division_prefix(s) || matches!(super::region::RegionCode::parse(s), Some(super::region::RegionCode::Overseas(_)))
}

pub fn is_division_prefix(s: &str) -> bool {
    matches!(s.len(), 2 | 4 | 6) && s.bytes().all(|b| b.is_ascii_digit()) && !s.starts_with('0')
}

/// Percent-encodes everything but unreserved characters (RFC 3986), UTF-8.
pub fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn round_trips_through_the_query_string() {
        let map: HashMap<&str, &str> =
            [("group", "yrd"), ("q", "南京 通信"), ("sort", "-investment"), ("page", "3"), ("stage", "")].into();
        let f = LeadFilter::from_pairs(|k| map.get(k).copied());
        assert_eq!(f.stage, None);
        assert_eq!(f.page(), 3);
        assert_eq!(f.sort(), Sort { key: SortKey::Investment, descending: true });
        assert_eq!(f.to_query(), "?group=yrd&q=%E5%8D%97%E4%BA%AC%20%E9%80%9A%E4%BF%A1&sort=-investment&page=3");
    }

    #[test]
    fn a_region_is_a_division_prefix_an_overseas_area_or_nothing() {
        let f = LeadFilter::from_pairs(|k| (k == "region").then_some("3205"));
        assert_eq!(f.region.as_deref(), Some("3205"));
        assert_eq!(f.to_query(), "?region=3205");
        assert_eq!(LeadFilter::from_pairs(|k| (k == "region").then_some("OS-TW")).region.as_deref(), Some("OS-TW"));
        for bad in ["320", "OS-XX", "os-eu", "0101", "32a5", "3205000"] {
            assert_eq!(LeadFilter::from_pairs(|k| (k == "region").then_some(bad)).region, None, "{bad}");
        }
    }

    #[test]
    fn an_import_batch_is_a_positive_id_or_nothing() {
        let f = LeadFilter::from_pairs(|k| (k == "import").then_some("12"));
        assert_eq!(f.import, Some(12));
        assert_eq!(f.to_query(), "?import=12");
        for bad in ["0", "-3", "x", ""] {
            assert_eq!(LeadFilter::from_pairs(|k| (k == "import").then_some(bad)).import, None, "{bad}");
        }
    }

    #[test]
    fn sort_toggles() {
        let s = Sort::default();
        assert_eq!(s.toggled(SortKey::Updated), Sort { key: SortKey::Updated, descending: false });
        assert_eq!(s.toggled(SortKey::Name), Sort { key: SortKey::Name, descending: false });
        assert_eq!(Sort::parse("bogus"), None);
    }

    #[test]
    fn bad_page_numbers_fall_back_to_one() {
        let f = LeadFilter::from_pairs(|k| (k == "page").then_some("0"));
        assert_eq!(f.page(), 1);
        let f = LeadFilter::from_pairs(|k| (k == "page").then_some("x"));
        assert_eq!(f.page(), 1);
    }
}
