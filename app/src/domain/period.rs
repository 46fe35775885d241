//! Reporting periods in the office's local dates: ISO weeks (周调度, Monday–Sunday, `2026-W48`),
//! months (月通报, `2026-11`) and quarters (季考核, `2026-Q4`), and the share of an annual target
//! each period carries.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Period {
    Week { year: i32, week: u32 },
    Month { year: i32, month: u32 },
    Quarter { year: i32, quarter: u32 },
}

impl Period {
    pub fn week_of(d: NaiveDate) -> Period {
        let w = d.iso_week();
        Period::Week { year: w.year(), week: w.week() }
    }

    pub fn month_of(d: NaiveDate) -> Period {
        Period::Month { year: d.year(), month: d.month() }
    }

    pub fn quarter_of(d: NaiveDate) -> Period {
        Period::Quarter { year: d.year(), quarter: (d.month() - 1) / 3 + 1 }
    }

    /// `2026-W48`, `2026-11` or `2026-Q4`.
    pub fn parse(s: &str) -> Option<Period> {
        let s = s.trim();
        let (year, rest) = s.split_once('-')?;
        let year: i32 = year.parse().ok().filter(|y| (2000..=2100).contains(y))?;
        if let Some(w) = rest.strip_prefix('W').or_else(|| rest.strip_prefix('w')) {
            let week: u32 = w.parse().ok()?;
            NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)?;
            Some(Period::Week { year, week })
        } else if let Some(q) = rest.strip_prefix('Q').or_else(|| rest.strip_prefix('q')) {
            let quarter: u32 = q.parse().ok().filter(|q| (1..=4).contains(q))?;
            Some(Period::Quarter { year, quarter })
        } else {
            let month: u32 = rest.parse().ok().filter(|m| (1..=12).contains(m))?;
            Some(Period::Month { year, month })
        }
    }

    pub fn code(&self) -> String {
        match *self {
            Period::Week { year, week } => format!("{year}-W{week:02}"),
            Period::Month { year, month } => format!("{year}-{month:02}"),
            Period::Quarter { year, quarter } => format!("{year}-Q{quarter}"),
        }
    }

    pub fn year(&self) -> i32 {
        match *self {
            Period::Week { year, .. } | Period::Month { year, .. } | Period::Quarter { year, .. } => year,
        }
    }

    /// First and last day, inclusive.
    pub fn days(&self) -> (NaiveDate, NaiveDate) {
        let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN);
        match *self {
            Period::Week { year, week } => {
                let monday = NaiveDate::from_isoywd_opt(year, week, Weekday::Mon).unwrap_or(NaiveDate::MIN);
                (monday, monday + Duration::days(6))
            }
            Period::Month { year, month } => {
                let first = ymd(year, month, 1);
                let next = if month == 12 { ymd(year + 1, 1, 1) } else { ymd(year, month + 1, 1) };
                (first, next - Duration::days(1))
            }
            Period::Quarter { year, quarter } => {
                let first = ymd(year, (quarter - 1) * 3 + 1, 1);
                let next = if quarter == 4 { ymd(year + 1, 1, 1) } else { ymd(year, quarter * 3 + 1, 1) };
                (first, next - Duration::days(1))
            }
        }
    }

    pub fn prev(&self) -> Period {
        match *self {
            Period::Week { .. } => Period::week_of(self.days().0 - Duration::days(1)),
            Period::Month { .. } => Period::month_of(self.days().0 - Duration::days(1)),
            Period::Quarter { .. } => Period::quarter_of(self.days().0 - Duration::days(1)),
        }
    }

    pub fn next(&self) -> Period {
        match *self {
            Period::Week { .. } => Period::week_of(self.days().1 + Duration::days(1)),
            Period::Month { .. } => Period::month_of(self.days().1 + Duration::days(1)),
            Period::Quarter { .. } => Period::quarter_of(self.days().1 + Duration::days(1)),
        }
    }

    /// Whether the period has begun on `today` (its first day is today or earlier).
    pub fn begun(&self, today: NaiveDate) -> bool {
        self.days().0 <= today
    }

    /// The next period, if it has begun on `today`: a report offers no way on to one that has
    /// nothing to report yet.
    pub fn next_begun(&self, today: NaiveDate) -> Option<Period> {
        Some(self.next()).filter(|n| n.begun(today))
    }

    /// The part of an annual target this period should deliver: a month 1/12, a quarter 1/4, a
    /// week 1/52.
    pub fn target_share(&self, annual: f64) -> f64 {
        match self {
            Period::Week { .. } => annual / 52.0,
            Period::Month { .. } => annual / 12.0,
            Period::Quarter { .. } => annual / 4.0,
        }
    }
}

/// 时序进度: the share of `day`'s year gone by at its end, in percent to one decimal (30
/// November 2026: 334 of 365 days, 91.5).
pub fn year_elapsed(day: NaiveDate) -> f64 {
    let days_in_year = if NaiveDate::from_ymd_opt(day.year(), 2, 29).is_some() { 366.0 } else { 365.0 };
    (day.ordinal() as f64 / days_in_year * 1000.0).round() / 10.0
}

/// Percentage of `target` reached, None when there is no target.
pub fn completion(actual: f64, target: f64) -> Option<f64> {
    (target > 0.0).then(|| actual / target * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn weeks_are_iso_monday_to_sunday() {
        // 2026-11-26 is the Thursday of ISO week 48.
        let w = Period::week_of(d("2026-11-26"));
        assert_eq!(w.code(), "2026-W48");
        assert_eq!(w.days(), (d("2026-11-23"), d("2026-11-29")));
        // 2027-01-01 (a Friday) belongs to 2026-W53.
        assert_eq!(Period::week_of(d("2027-01-01")).code(), "2026-W53");
        assert_eq!(Period::parse("2026-W53").unwrap().days(), (d("2026-12-28"), d("2027-01-03")));
        assert_eq!(Period::parse("2026-W53").unwrap().next().code(), "2027-W01");
        assert_eq!(Period::parse("2027-W01").unwrap().prev().code(), "2026-W53");
        assert_eq!(Period::parse("2025-W53"), None, "2025 has 52 ISO weeks");
    }

    #[test]
    fn months_and_quarters() {
        assert_eq!(Period::parse("2026-02").unwrap().days(), (d("2026-02-01"), d("2026-02-28")));
        assert_eq!(Period::parse("2028-02").unwrap().days().1, d("2028-02-29"));
        assert_eq!(Period::parse("2026-Q4").unwrap().days(), (d("2026-10-01"), d("2026-12-31")));
        assert_eq!(Period::quarter_of(d("2026-11-26")).code(), "2026-Q4");
        assert_eq!(Period::parse("2026-12").unwrap().next().code(), "2027-01");
        assert_eq!(Period::parse("2026-Q1").unwrap().prev().code(), "2025-Q4");
        for bad in ["2026-13", "2026-Q5", "2026-W60", "26-11", "2026/11", ""] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_year_gone_by() {
        assert_eq!(year_elapsed(d("2026-11-30")), 91.5);
        assert_eq!(year_elapsed(d("2026-12-31")), 100.0);
        assert_eq!(year_elapsed(d("2028-12-31")), 100.0, "a leap year");
        assert_eq!(year_elapsed(d("2026-01-01")), 0.3);
    }

    #[test]
    fn target_shares() {
        assert_eq!(Period::parse("2026-11").unwrap().target_share(120.0), 10.0);
        assert_eq!(Period::parse("2026-Q2").unwrap().target_share(120.0), 30.0);
        assert_eq!(completion(15.0, 10.0), Some(150.0));
        assert_eq!(completion(3.0, 0.0), None);
    }
}
