//! Where a check-in (签到) was made: the coarse "which city is this position in" from the seats of
//! China's county-level divisions (nearest seat), and the check against the visit's city. No map
//! service: the seats ship with the app (`data/divisions/seats.csv`).

/// A county-level division's seat: six-digit GB/T 2260 code, WGS-84 degrees.
#[derive(Clone, Debug, PartialEq)]
pub struct Seat {
    pub code: String,
    pub lat: f64,
    pub lng: f64,
}

/// A position as the phone reported it: degrees and the accuracy radius in metres.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Position {
    pub lat: f64,
    pub lng: f64,
    pub accuracy_m: f64,
}

/// Why a position was refused (the field keys of the check-in form).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PositionError {
    Lat,
    Lng,
    Accuracy,
}

impl Position {
    /// Degrees as the browser gives them; the accuracy in metres (0 < a ≤ 100 km).
    pub fn parse(lat: &str, lng: &str, accuracy: &str) -> Result<Position, PositionError> {
        let num = |s: &str| s.trim().parse::<f64>().ok().filter(|v| v.is_finite());
        let lat = num(lat).filter(|v| (-90.0..=90.0).contains(v)).ok_or(PositionError::Lat)?;
        let lng = num(lng).filter(|v| (-180.0..=180.0).contains(v)).ok_or(PositionError::Lng)?;
        let accuracy_m = num(accuracy).filter(|v| *v > 0.0 && *v <= 100_000.0).ok_or(PositionError::Accuracy)?;
        Ok(Position { lat, lng, accuracy_m })
    }
}

/// Great-circle distance in kilometres (haversine, mean Earth radius 6,371 km).
pub fn distance_km(a_lat: f64, a_lng: f64, b_lat: f64, b_lng: f64) -> f64 {
    let (p1, p2) = (a_lat.to_radians(), b_lat.to_radians());
    let dp = (b_lat - a_lat).to_radians();
    let dl = (b_lng - a_lng).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

/// Farther than this from every seat is not in China (or not anywhere the seats can tell).
pub const MAX_SEAT_KM: f64 = 150.0;
/// A seat of the expected city this much farther away than the nearest seat still counts as a
/// match: near a city's edge the nearest seat can be the neighbour's.
pub const BORDER_SLACK_KM: f64 = 20.0;
/// Positions less precise than this (metres) are not judged.
pub const MAX_ACCURACY_M: f64 = 5_000.0;

/// The seat nearest to `p` and its distance (km); `None` if no seat is within [`MAX_SEAT_KM`].
pub fn nearest<'a>(seats: &'a [Seat], p: &Position) -> Option<(&'a Seat, f64)> {
    seats
        .iter()
        .map(|s| (s, distance_km(p.lat, p.lng, s.lat, s.lng)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .filter(|(_, d)| *d <= MAX_SEAT_KM)
}

/// The prefecture-level part of a division code: the province for the four municipalities
/// (北京, 天津, 上海, 重庆: their districts are the city), else the first four digits.
pub fn city_prefix(code: &str) -> &str {
    let code = code.trim();
    if code.len() < 2 {
        return "";
    }
    if matches!(&code[..2], "11" | "12" | "31" | "50") || code.len() < 4 {
        &code[..2]
    } else {
        &code[..4]
    }
}

/// What the check-in says about where it was made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// In one of the expected cities (or nothing to compare with).
    Matches,
    /// In another city: the county code of the nearest seat.
    Elsewhere(String),
    /// Farther than [`MAX_SEAT_KM`] from every seat.
    OutsideChina,
    /// The accuracy is too coarse to judge.
    Imprecise,
}

impl Verdict {
    /// The flag stored on the visit ("" for a match).
    pub fn flag(&self) -> &'static str {
        match self {
            Verdict::Matches => "",
            Verdict::Elsewhere(_) => "elsewhere",
            Verdict::OutsideChina => "outside",
            Verdict::Imprecise => "imprecise",
        }
    }
}

/// Judges a check-in at `p` against the division codes it is expected in (the trip's destination,
/// the company's registered division; any level, empty codes ignored). A match is a seat of an
/// expected city within [`BORDER_SLACK_KM`] of the nearest seat's distance.
pub fn judge(seats: &[Seat], p: &Position, expected: &[&str]) -> Verdict {
    if p.accuracy_m > MAX_ACCURACY_M {
        return Verdict::Imprecise;
    }
    let Some((near, d)) = nearest(seats, p) else {
        return Verdict::OutsideChina;
    };
    let cities: Vec<&str> = expected.iter().map(|c| city_prefix(c)).filter(|c| !c.is_empty()).collect();
    if cities.is_empty() {
        return Verdict::Matches;
    }
    let close = |s: &Seat| distance_km(p.lat, p.lng, s.lat, s.lng) <= d + BORDER_SLACK_KM;
    if seats.iter().any(|s| cities.iter().any(|c| s.code.starts_with(c)) && close(s)) {
        Verdict::Matches
    } else {
        Verdict::Elsewhere(near.code.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seats() -> Vec<Seat> {
        [
            ("320102", 32.048, 118.797), // 南京 玄武区
            ("320115", 31.953, 118.840), // 南京 江宁区
            ("320505", 31.298, 120.567), // 苏州 虎丘区
            ("310115", 31.221, 121.544), // 上海 浦东新区
        ]
        .into_iter()
        .map(|(c, lat, lng)| Seat { code: c.into(), lat, lng })
        .collect()
    }

    fn at(lat: f64, lng: f64) -> Position {
        Position { lat, lng, accuracy_m: 30.0 }
    }

    #[test]
    fn positions_parse_at_the_edge() {
        assert!(Position::parse("32.05", "118.8", "25").is_ok());
        assert_eq!(Position::parse("91", "118.8", "25"), Err(PositionError::Lat));
        assert_eq!(Position::parse("32", "东经118", "25"), Err(PositionError::Lng));
        assert_eq!(Position::parse("32", "118", "0"), Err(PositionError::Accuracy));
        assert_eq!(Position::parse("32", "118", "NaN"), Err(PositionError::Accuracy));
    }

    #[test]
    fn distances_are_great_circle_kilometres() {
        // 南京 to 上海: about 270 km.
        let d = distance_km(32.06, 118.80, 31.23, 121.47);
        assert!((260.0..280.0).contains(&d), "{d}");
    }

    #[test]
    fn a_check_in_in_the_visits_city_matches() {
        let s = seats();
        assert_eq!(judge(&s, &at(32.0, 118.82), &["320100"]), Verdict::Matches);
        // The company is registered in 江宁, the trip goes to 苏州: either counts.
        assert_eq!(judge(&s, &at(32.0, 118.82), &["320505", "320115"]), Verdict::Matches);
        // Municipalities: any district of 上海 is 上海.
        assert_eq!(judge(&s, &at(31.2, 121.5), &["310104"]), Verdict::Matches);
    }

    #[test]
    fn another_city_is_flagged_with_where_it_was() {
        let s = seats();
        assert_eq!(judge(&s, &at(31.3, 120.6), &["320100"]), Verdict::Elsewhere("320505".into()));
        assert_eq!(judge(&s, &at(48.85, 2.35), &["320100"]), Verdict::OutsideChina);
        let coarse = Position { accuracy_m: 12_000.0, ..at(31.3, 120.6) };
        assert_eq!(judge(&s, &coarse, &["320100"]), Verdict::Imprecise);
        // Nothing to compare with: no flag.
        assert_eq!(judge(&s, &at(31.3, 120.6), &["", ""]), Verdict::Matches);
    }

    #[test]
    fn city_prefixes_know_the_municipalities() {
        assert_eq!(city_prefix("320115"), "3201");
        assert_eq!(city_prefix("310104"), "31");
        assert_eq!(city_prefix("5001"), "50");
        assert_eq!(city_prefix(""), "");
    }
}
