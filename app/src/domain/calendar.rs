//! Calendar ranges: ISO weeks (Monday–Sunday) and month grids, in the office's local dates.

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CalendarView {
    #[default]
    Week,
    Month,
}

impl CalendarView {
    pub fn code(self) -> &'static str {
        match self {
            CalendarView::Week => "week",
            CalendarView::Month => "month",
        }
    }

    pub fn parse(s: &str) -> Option<CalendarView> {
        match s.trim() {
            "week" => Some(CalendarView::Week),
            "month" => Some(CalendarView::Month),
            _ => None,
        }
    }
}

/// The Monday of `date`'s week.
pub fn week_start(date: NaiveDate) -> NaiveDate {
    date - Duration::days(date.weekday().num_days_from_monday() as i64)
}

/// The first and last day shown (inclusive): the week, or whole weeks covering the month.
pub fn range(view: CalendarView, date: NaiveDate) -> (NaiveDate, NaiveDate) {
    match view {
        CalendarView::Week => {
            let start = week_start(date);
            (start, start + Duration::days(6))
        }
        CalendarView::Month => {
            let first = date.with_day(1).unwrap_or(date);
            let next_month = if first.month() == 12 {
                NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
            }
            .unwrap_or(first);
            let last = next_month - Duration::days(1);
            (week_start(first), week_start(last) + Duration::days(6))
        }
    }
}

/// The date to show for "previous" and "next".
pub fn step(view: CalendarView, date: NaiveDate, forward: bool) -> NaiveDate {
    match view {
        CalendarView::Week => date + Duration::days(if forward { 7 } else { -7 }),
        CalendarView::Month => {
            let first = date.with_day(1).unwrap_or(date);
            let (y, m) = match (forward, first.month()) {
                (true, 12) => (first.year() + 1, 1),
                (true, m) => (first.year(), m + 1),
                (false, 1) => (first.year() - 1, 12),
                (false, m) => (first.year(), m - 1),
            };
            NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(first)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn weeks_run_monday_to_sunday() {
        // 2026-11-26 is a Thursday.
        assert_eq!(range(CalendarView::Week, d("2026-11-26")), (d("2026-11-23"), d("2026-11-29")));
        assert_eq!(range(CalendarView::Week, d("2026-11-23")), (d("2026-11-23"), d("2026-11-29")));
        assert_eq!(range(CalendarView::Week, d("2026-11-29")), (d("2026-11-23"), d("2026-11-29")));
        // Across a year end.
        assert_eq!(range(CalendarView::Week, d("2027-01-01")), (d("2026-12-28"), d("2027-01-03")));
    }

    #[test]
    fn months_cover_whole_weeks() {
        // November 2026 starts on a Sunday and ends on a Monday.
        assert_eq!(range(CalendarView::Month, d("2026-11-15")), (d("2026-10-26"), d("2026-12-06")));
        // February 2027 starts on a Monday and ends on a Sunday: exactly four weeks.
        assert_eq!(range(CalendarView::Month, d("2027-02-10")), (d("2027-02-01"), d("2027-02-28")));
    }

    #[test]
    fn stepping() {
        assert_eq!(step(CalendarView::Month, d("2026-12-31"), true), d("2027-01-01"));
        assert_eq!(step(CalendarView::Month, d("2026-01-31"), false), d("2025-12-01"));
        assert_eq!(step(CalendarView::Week, d("2026-11-26"), false), d("2026-11-19"));
    }
}
