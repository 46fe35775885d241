//! 项目建设计划 (倒排时间节点): a signed project's milestones from 注册 to 纳统, their planned
//! dates counted back (and forward) from one anchor date with the office's default durations, and
//! the rules a plan must keep. Pure.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// Whether counted dates may fall on a weekend. The plan's own dates keep the calendar as given
/// (government departments announce weekend work days of their own), so weekends are kept unless
/// the office asks otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Weekends {
    Keep,
    /// A counted date on Saturday or Sunday moves to the Friday before (dates counted back from
    /// the anchor) or the Monday after (dates counted forward).
    Skip,
}

/// The planned dates of every milestone, counted from `anchor` (an index into `days`) set on
/// `on`: `days[i]` is how many days milestone `i` comes after milestone `i - 1` (`days[0]` is not
/// read). Milestones before the anchor are counted back, those after it forward; each from its
/// neighbour's (possibly moved) date. Returns one date per entry of `days`; empty when `anchor`
/// is out of range. Negative durations count as 0.
pub fn count_back(days: &[i32], anchor: usize, on: NaiveDate, weekends: Weekends) -> Vec<NaiveDate> {
    if anchor >= days.len() {
        return Vec::new();
    }
    let mut out = vec![on; days.len()];
    for i in (0..anchor).rev() {
        let d = out[i + 1] - Duration::days(i64::from(days[i + 1].max(0)));
        out[i] = shift(d, weekends, -1);
    }
    for i in anchor + 1..days.len() {
        let d = out[i - 1] + Duration::days(i64::from(days[i].max(0)));
        out[i] = shift(d, weekends, 1);
    }
    out
}

fn shift(d: NaiveDate, weekends: Weekends, step: i64) -> NaiveDate {
    let mut d = d;
    if weekends == Weekends::Skip {
        while matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            d += Duration::days(step);
        }
    }
    d
}

/// Checks that planned dates run in the plan's order: a milestone may share its successor's day
/// but not come after it. `planned` is in plan order, `None` where no date is set (skipped when
/// comparing). Returns the index of the first milestone planned after a later one.
pub fn check_order(planned: &[Option<NaiveDate>]) -> Result<(), usize> {
    let dated: Vec<(usize, NaiveDate)> = planned.iter().enumerate().filter_map(|(i, d)| d.map(|d| (i, d))).collect();
    match dated.windows(2).find(|w| w[0].1 > w[1].1) {
        Some(w) => Err(w[0].0),
        None => Ok(()),
    }
}

/// Where a milestone stands on `today` (Asia/Shanghai).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MilestoneStatus {
    /// An actual date is recorded.
    Done,
    /// Planned before today and not done: 督办, with the days late.
    Overdue(i64),
    /// Planned within [`DUE_SOON_DAYS`].
    DueSoon,
    Planned,
    /// No planned date yet.
    Open,
}

/// "Due soon" reaches this many days ahead (two weekly dispatches).
pub const DUE_SOON_DAYS: i64 = 14;

impl MilestoneStatus {
    pub fn of(planned: Option<NaiveDate>, done: Option<NaiveDate>, today: NaiveDate) -> MilestoneStatus {
        match (planned, done) {
            (_, Some(_)) => MilestoneStatus::Done,
            (Some(p), None) if p < today => MilestoneStatus::Overdue((today - p).num_days()),
            (Some(p), None) if (p - today).num_days() <= DUE_SOON_DAYS => MilestoneStatus::DueSoon,
            (Some(_), None) => MilestoneStatus::Planned,
            (None, None) => MilestoneStatus::Open,
        }
    }

    /// The code for labels and CSS (`milestone.status.{code}`).
    pub fn code(self) -> &'static str {
        match self {
            MilestoneStatus::Done => "done",
            MilestoneStatus::Overdue(_) => "overdue",
            MilestoneStatus::DueSoon => "due",
            MilestoneStatus::Planned => "planned",
            MilestoneStatus::Open => "open",
        }
    }
}

/// The built-in milestones' codes, in the plan's order; the office may rename them, change their
/// durations and add its own (`custom_N`).
pub const BUILT_IN: [&str; 9] = [
    "register",
    "land",
    "planning_permit",
    "construction_permit",
    "start",
    "completion",
    "production",
    "full_output",
    "statistics",
];

/// The milestone 应开未开 is about (开工).
pub const START: &str = "start";

/// Reads a plan date `YYYY-MM-DD` within 1900–2200 (a wider year would overflow the date
/// arithmetic of counting back, and sorts wrongly as text in SQLite); `None` otherwise.
pub fn parse_day(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok().filter(|d| (1900..=2200).contains(&d.year()))
}

/// Longest default duration the template accepts, in days (ten years).
pub const MAX_DAYS: i32 = 3650;

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn counts_back_and_forward_from_the_anchor_keeping_weekends() {
        // 注册 → 拿地 90 → 规划 30 → 施工许可 30 → 开工 15 → 竣工 365
        let days = [0, 90, 30, 30, 15, 365];
        let plan = count_back(&days, 4, d("2027-03-01"), Weekends::Keep);
        assert_eq!(
            plan,
            vec![d("2026-09-17"), d("2026-12-16"), d("2027-01-15"), d("2027-02-14"), d("2027-03-01"), d("2028-02-29")]
        );
        // 2027-02-14 is a Sunday and stays one.
        assert_eq!(plan[3].weekday(), Weekday::Sun);
    }

    #[test]
    fn skipping_weekends_moves_back_to_friday_and_forward_to_monday() {
        let days = [0, 90, 30, 30, 15, 365];
        let plan = count_back(&days, 4, d("2027-03-01"), Weekends::Skip);
        // 施工许可 2027-02-14 (Sun) → Fri 02-12; 规划 counted from there: 2027-01-13 (Wed);
        // 拿地 2026-12-14 (Mon); 注册 2026-09-15 (Tue); 竣工 2028-02-29 (Tue).
        assert_eq!(
            plan,
            vec![d("2026-09-15"), d("2026-12-14"), d("2027-01-13"), d("2027-02-12"), d("2027-03-01"), d("2028-02-29")]
        );
        let forward = count_back(&[0, 5], 0, d("2027-03-01"), Weekends::Skip);
        assert_eq!(forward[1], d("2027-03-08"), "Saturday 03-06 moves to Monday");
    }

    #[test]
    fn plan_dates_stay_within_two_centuries() {
        assert_eq!(parse_day(" 2027-03-01 "), Some(d("2027-03-01")));
        assert_eq!(parse_day("+262142-12-20"), None);
        assert_eq!(parse_day("-0001-01-05"), None);
        assert_eq!(parse_day("2027-02-30"), None);
    }

    #[test]
    fn an_anchor_out_of_range_counts_nothing() {
        assert!(count_back(&[0, 10], 2, d("2027-01-01"), Weekends::Keep).is_empty());
        assert_eq!(count_back(&[0, -5], 0, d("2027-01-01"), Weekends::Keep)[1], d("2027-01-01"));
    }

    #[test]
    fn a_milestone_after_its_successor_is_refused() {
        assert_eq!(check_order(&[Some(d("2027-01-01")), None, Some(d("2027-01-01")), Some(d("2027-02-01"))]), Ok(()));
        assert_eq!(check_order(&[Some(d("2027-01-01")), Some(d("2027-03-01")), None, Some(d("2027-02-01"))]), Err(1));
        assert_eq!(check_order(&[None, None]), Ok(()));
    }

    #[test]
    fn status_on_a_day() {
        let today = d("2026-12-01");
        assert_eq!(MilestoneStatus::of(Some(d("2026-11-20")), None, today), MilestoneStatus::Overdue(11));
        assert_eq!(MilestoneStatus::of(Some(d("2026-11-20")), Some(d("2026-11-25")), today), MilestoneStatus::Done);
        assert_eq!(MilestoneStatus::of(Some(d("2026-12-15")), None, today), MilestoneStatus::DueSoon);
        assert_eq!(MilestoneStatus::of(Some(d("2026-12-16")), None, today), MilestoneStatus::Planned);
        assert_eq!(MilestoneStatus::of(None, None, today), MilestoneStatus::Open);
        assert_eq!(MilestoneStatus::of(Some(today), None, today), MilestoneStatus::DueSoon);
    }
}
