//! 前期手续 (帮办代办): the approvals a signed project needs before it starts, each handled for the
//! company by a person of the office, and when one counts as late. Pure.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The built-in items in the order the plan lists them, each with the 问题清单 category an
/// overdue one opens under: 审批/核准/备案, 规划选址, 用地, 环评, 能评, 七通一平.
pub const BUILT_IN: [(&str, &str); 6] = [
    ("approval", "approval"),
    ("site_selection", "land"),
    ("land_use", "land"),
    ("environment", "environment"),
    ("energy", "energy"),
    ("site_prep", "other"),
];

/// The 问题清单 category of item `code` (an item the office added: `other`).
pub fn category(code: &str) -> &'static str {
    BUILT_IN.iter().find(|(c, _)| *c == code).map(|(_, cat)| *cat).unwrap_or("other")
}

pub fn is_built_in(code: &str) -> bool {
    BUILT_IN.iter().any(|(c, _)| *c == code)
}

/// Where an item stands (办理状态).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProcedureStatus {
    /// 未启动
    Todo,
    /// 办理中
    InProgress,
    /// 已办结
    Done,
    /// 无需办理
    NotNeeded,
}

impl ProcedureStatus {
    pub const ALL: [ProcedureStatus; 4] =
        [ProcedureStatus::Todo, ProcedureStatus::InProgress, ProcedureStatus::Done, ProcedureStatus::NotNeeded];

    pub fn code(self) -> &'static str {
        match self {
            ProcedureStatus::Todo => "todo",
            ProcedureStatus::InProgress => "in_progress",
            ProcedureStatus::Done => "done",
            ProcedureStatus::NotNeeded => "not_needed",
        }
    }

    pub fn parse(s: &str) -> Option<ProcedureStatus> {
        Self::ALL.into_iter().find(|p| p.code() == s.trim())
    }

    /// Still to be handled (not 已办结, not 无需办理).
    pub fn is_open(self) -> bool {
        matches!(self, ProcedureStatus::Todo | ProcedureStatus::InProgress)
    }

    /// The stored codes of the open statuses (for queries).
    pub fn open_codes() -> [&'static str; 2] {
        [ProcedureStatus::Todo.code(), ProcedureStatus::InProgress.code()]
    }
}

/// Days an item is late on `today`: due before today and still open; `None` otherwise.
pub fn days_late(due: Option<NaiveDate>, status: ProcedureStatus, today: NaiveDate) -> Option<i64> {
    due.filter(|d| *d < today && status.is_open()).map(|d| (today - d).num_days())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_and_only_open_ones_run_late() {
        for s in ProcedureStatus::ALL {
            assert_eq!(ProcedureStatus::parse(s.code()), Some(s));
        }
        assert_eq!(ProcedureStatus::parse("finished"), None);
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let today = d("2026-12-01");
        assert_eq!(days_late(Some(d("2026-11-21")), ProcedureStatus::InProgress, today), Some(10));
        assert_eq!(days_late(Some(d("2026-11-21")), ProcedureStatus::Done, today), None);
        assert_eq!(days_late(Some(d("2026-11-21")), ProcedureStatus::NotNeeded, today), None);
        assert_eq!(days_late(Some(today), ProcedureStatus::Todo, today), None);
        assert_eq!(days_late(None, ProcedureStatus::Todo, today), None);
    }

    #[test]
    fn categories_follow_the_problem_list() {
        assert_eq!(category("environment"), "environment");
        assert_eq!(category("land_use"), "land");
        assert_eq!(category("custom_3"), "other");
        assert!(is_built_in("site_prep") && !is_built_in("custom_1"));
    }
}
