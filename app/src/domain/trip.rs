//! 外出招商 and 走访: trip kinds and states, visit slots, the company's intention, clashes, and
//! when a trip may be closed.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

/// 外出招商 (we travel) or 客商来访考察 (they come to the zone).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TripKind {
    Outbound,
    Inbound,
}

impl TripKind {
    pub const ALL: [TripKind; 2] = [TripKind::Outbound, TripKind::Inbound];

    pub fn code(self) -> &'static str {
        match self {
            TripKind::Outbound => "outbound",
            TripKind::Inbound => "inbound",
        }
    }

    pub fn parse(s: &str) -> Option<TripKind> {
        Self::ALL.into_iter().find(|k| k.code() == s.trim())
    }
}

/// 草稿 → 已发布 (members told) → 已结束; or 已取消.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TripStatus {
    Draft,
    Planned,
    Closed,
    Cancelled,
}

impl TripStatus {
    pub const ALL: [TripStatus; 4] =
        [TripStatus::Draft, TripStatus::Planned, TripStatus::Closed, TripStatus::Cancelled];

    pub fn code(self) -> &'static str {
        match self {
            TripStatus::Draft => "draft",
            TripStatus::Planned => "planned",
            TripStatus::Closed => "closed",
            TripStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<TripStatus> {
        Self::ALL.into_iter().find(|k| k.code() == s.trim())
    }

    /// Visits may still be added, changed and reported.
    pub fn is_open(self) -> bool {
        matches!(self, TripStatus::Draft | TripStatus::Planned)
    }
}

/// 意向: what the company said about investing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Intention {
    None,
    Weak,
    Interested,
    Strong,
}

impl Intention {
    pub const ALL: [Intention; 4] = [Intention::None, Intention::Weak, Intention::Interested, Intention::Strong];

    pub fn code(self) -> &'static str {
        match self {
            Intention::None => "none",
            Intention::Weak => "weak",
            Intention::Interested => "interested",
            Intention::Strong => "strong",
        }
    }

    pub fn parse(s: &str) -> Option<Intention> {
        Self::ALL.into_iter().find(|k| k.code() == s.trim())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum VisitStatus {
    Planned,
    /// 已走访: the report is in.
    Done,
    /// 未成行: with the reason.
    Missed,
}

impl VisitStatus {
    pub fn code(self) -> &'static str {
        match self {
            VisitStatus::Planned => "planned",
            VisitStatus::Done => "done",
            VisitStatus::Missed => "missed",
        }
    }

    pub fn parse(s: &str) -> Option<VisitStatus> {
        [VisitStatus::Planned, VisitStatus::Done, VisitStatus::Missed].into_iter().find(|k| k.code() == s.trim())
    }
}

/// A planned slot in local time (Asia/Shanghai).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slot {
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
}

/// Why a slot was refused (message keys).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlotError {
    /// A date or time left empty.
    Missing,
    Date,
    Time,
    EndBeforeStart,
    TooLong,
    OutsideTrip,
}

impl SlotError {
    pub fn key(self) -> &'static str {
        match self {
            SlotError::Missing => "err.required",
            SlotError::Date => "err.date",
            SlotError::Time => "err.time",
            SlotError::EndBeforeStart => "err.visit.end_before_start",
            SlotError::TooLong => "err.visit.too_long",
            SlotError::OutsideTrip => "err.visit.outside_trip",
        }
    }
}

/// The longest a single visit may be booked for.
pub const MAX_VISIT_HOURS: i64 = 12;

fn time(s: &str) -> Option<NaiveTime> {
    let s = s.trim();
    NaiveTime::parse_from_str(s, "%H:%M").or_else(|_| NaiveTime::parse_from_str(s, "%H:%M:%S")).ok()
}

impl Slot {
    /// A slot on `date` from `start` to `end` (`HH:MM`), inside the trip's dates.
    pub fn parse(date: &str, start: &str, end: &str, trip: (NaiveDate, NaiveDate)) -> Result<Slot, (usize, SlotError)> {
        // An empty field says it is required, not that its format is wrong.
        if let Some(at) = [date, start, end].iter().position(|v| v.trim().is_empty()) {
            return Err((at, SlotError::Missing));
        }
        let day = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").map_err(|_| (0, SlotError::Date))?;
        let s = time(start).ok_or((1, SlotError::Time))?;
        let e = time(end).ok_or((2, SlotError::Time))?;
        if e <= s {
            return Err((2, SlotError::EndBeforeStart));
        }
        if (e - s).num_hours() > MAX_VISIT_HOURS {
            return Err((2, SlotError::TooLong));
        }
        if day < trip.0 || day > trip.1 {
            return Err((0, SlotError::OutsideTrip));
        }
        Ok(Slot { start: day.and_time(s), end: day.and_time(e) })
    }
}

/// Half-open intervals overlap: a visit ending at 10:00 does not clash with one starting then.
/// A trip's days as shown (`YYYY-MM-DD` in, text out): one day once (`2026-12-22`), days of one
/// year with the year once (`2026-12-22 – 12-24`), else both whole (`2026-12-30 – 2027-01-02`).
pub fn days_text(start: &str, end: &str) -> String {
    match (start.get(..5), end.get(5..)) {
        _ if start == end => start.to_string(),
        (Some(year), Some(rest)) if end.starts_with(year) && end.len() == 10 => format!("{start} – {rest}"),
        _ => format!("{start} – {end}"),
    }
}

pub fn overlaps<T: PartialOrd>(a_start: T, a_end: T, b_start: T, b_end: T) -> bool {
    a_start < b_end && b_start < a_end
}

/// A trip may be closed when every visit has a report or a reason it did not happen; these
/// are the ones still open.
pub fn visits_blocking_close(visits: &[(i64, VisitStatus)]) -> Vec<i64> {
    visits.iter().filter(|(_, s)| *s == VisitStatus::Planned).map(|(id, _)| *id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trips_days_say_the_year_once() {
        assert_eq!(days_text("2026-12-22", "2026-12-22"), "2026-12-22");
        assert_eq!(days_text("2026-12-22", "2026-12-24"), "2026-12-22 – 12-24");
        assert_eq!(days_text("2026-12-30", "2027-01-02"), "2026-12-30 – 2027-01-02");
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn slots_parse_inside_the_trip() {
        let trip = (d("2026-12-01"), d("2026-12-03"));
        let s = Slot::parse("2026-12-02", "09:30", "11:00", trip).unwrap();
        assert_eq!(s.start.to_string(), "2026-12-02 09:30:00");
        assert_eq!(Slot::parse("2026-12-04", "09:30", "11:00", trip), Err((0, SlotError::OutsideTrip)));
        assert_eq!(Slot::parse("2026-12-02", "11:00", "11:00", trip), Err((2, SlotError::EndBeforeStart)));
        assert_eq!(Slot::parse("2026-12-02", "9点", "11:00", trip), Err((1, SlotError::Time)));
        assert_eq!(Slot::parse("2026-12-02", " ", "11:00", trip), Err((1, SlotError::Missing)));
        assert_eq!(Slot::parse("", "09:00", "11:00", trip), Err((0, SlotError::Missing)));
        assert_eq!(Slot::parse("12/02", "09:00", "11:00", trip), Err((0, SlotError::Date)));
        assert_eq!(Slot::parse("2026-12-02", "06:00", "19:30", trip), Err((2, SlotError::TooLong)));
    }

    #[test]
    fn touching_slots_do_not_clash() {
        assert!(overlaps(9, 11, 10, 12));
        assert!(overlaps(9, 12, 10, 11));
        assert!(!overlaps(9, 10, 10, 11));
        assert!(!overlaps(11, 12, 9, 11));
    }

    #[test]
    fn a_trip_closes_when_no_visit_is_left_open() {
        assert_eq!(visits_blocking_close(&[(1, VisitStatus::Done), (2, VisitStatus::Planned)]), vec![2]);
        assert!(visits_blocking_close(&[(1, VisitStatus::Done), (2, VisitStatus::Missed)]).is_empty());
        assert!(visits_blocking_close(&[]).is_empty());
    }

    #[test]
    fn codes_round_trip() {
        for k in TripKind::ALL {
            assert_eq!(TripKind::parse(k.code()), Some(k));
        }
        for s in TripStatus::ALL {
            assert_eq!(TripStatus::parse(s.code()), Some(s));
        }
        for i in Intention::ALL {
            assert_eq!(Intention::parse(i.code()), Some(i));
        }
        assert_eq!(Intention::parse("maybe"), None);
    }
}
