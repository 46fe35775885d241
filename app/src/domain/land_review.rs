//! 标准地 承诺履约复核: the figures a company committed to in its 标准地 land contract (投资强度
//! 万元/亩, 亩均税收 and 亩均产出 万元/亩/年), read against what it actually invested, paid and
//! produced — a breach once the review date (达产复核) has passed, and an early warning before it
//! when the actual figures, extended in a straight line, will miss the commitment on that date.
//! Pure.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A date as a point on the time axis, in years (2027-07-01 ≈ 2027.4959).
pub fn year_point(d: NaiveDate) -> f64 {
    let days = if d.leap_year() { 366.0 } else { 365.0 };
    f64::from(d.year()) + f64::from(d.ordinal0()) / days
}

/// The straight line through `points` (time in years, value) by least squares, read at `at`.
/// `None` with fewer than two distinct times (no line to extend).
pub fn forecast(points: &[(f64, f64)], at: f64) -> Option<f64> {
    let n = points.len() as f64;
    if points.len() < 2 {
        return None;
    }
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    if sxx < 1e-9 {
        return None;
    }
    let sxy: f64 = points.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
    let slope = sxy / sxx;
    Some(mean_y + slope * (at - mean_x))
}

/// The indicators a 标准地 contract commits to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Indicator {
    /// 投资强度: invested so far ÷ land, 万元/亩.
    Intensity,
    /// 亩均税收: the latest year's tax ÷ land, 万元/亩.
    TaxPerMu,
    /// 亩均产出: the latest year's output ÷ land, 万元/亩.
    OutputPerMu,
}

impl Indicator {
    pub const ALL: [Indicator; 3] = [Indicator::Intensity, Indicator::TaxPerMu, Indicator::OutputPerMu];

    pub fn code(self) -> &'static str {
        match self {
            Indicator::Intensity => "intensity",
            Indicator::TaxPerMu => "tax_per_mu",
            Indicator::OutputPerMu => "output_per_mu",
        }
    }
}

/// What the contract committed to. Amounts in 万元 per 亩 (per year for tax and output).
#[derive(Clone, Debug, PartialEq)]
pub struct LandTerms {
    /// 出让面积, 亩 (> 0).
    pub land_mu: f64,
    pub intensity: Option<f64>,
    pub tax_per_mu: Option<f64>,
    pub output_per_mu: Option<f64>,
    /// The day the contract was signed: investment starts from nothing then.
    pub signed_on: NaiveDate,
    /// 复核日期 (usually 达产 plus a year).
    pub review_on: NaiveDate,
}

/// One year's actual figures, 万元 (investment that year; output and tax for the year).
#[derive(Clone, Debug, PartialEq)]
pub struct YearFigures {
    pub year: i32,
    pub investment: Option<f64>,
    pub output: Option<f64>,
    pub tax: Option<f64>,
}

/// One indicator read against its commitment on `today`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Check {
    pub indicator: Indicator,
    /// 万元/亩.
    pub committed: f64,
    /// Where it stands now, 万元/亩 (none before any figure).
    pub actual: Option<f64>,
    /// The straight line's value on the review date, 万元/亩 (none with fewer than two points).
    pub forecast: Option<f64>,
    /// The review date has passed and the actual figure is below the commitment (违约).
    pub breach: bool,
    /// Before the review date, the forecast is below the commitment (预警).
    pub warning: bool,
}

/// Reads every committed indicator of `terms` against `years` on `today`. A year's figure stands
/// at the end of that year; cumulative investment also starts at 0 on the signing day. Breach and
/// warning compare with the commitment to 0.1 万元/亩 (figures are rounded to that).
pub fn review(terms: &LandTerms, years: &[YearFigures], today: NaiveDate) -> Vec<Check> {
    let mut years = years.to_vec();
    years.sort_by_key(|y| y.year);
    let end_of = |year: i32| f64::from(year + 1);
    let per_mu = |v: f64| v / terms.land_mu;
    let at = year_point(terms.review_on);
    let reviewed = today >= terms.review_on;
    let mut out = Vec::new();
    for indicator in Indicator::ALL {
        let committed = match indicator {
            Indicator::Intensity => terms.intensity,
            Indicator::TaxPerMu => terms.tax_per_mu,
            Indicator::OutputPerMu => terms.output_per_mu,
        };
        let Some(committed) = committed else { continue };
        let points: Vec<(f64, f64)> = match indicator {
            Indicator::Intensity => {
                let mut total = 0.0;
                let mut points = vec![(year_point(terms.signed_on), 0.0)];
                for y in years.iter().filter(|y| y.investment.is_some()) {
                    total += y.investment.unwrap_or(0.0);
                    points.push((end_of(y.year), per_mu(total)));
                }
                points
            }
            Indicator::TaxPerMu => years.iter().filter_map(|y| y.tax.map(|t| (end_of(y.year), per_mu(t)))).collect(),
            Indicator::OutputPerMu => {
                years.iter().filter_map(|y| y.output.map(|o| (end_of(y.year), per_mu(o)))).collect()
            }
        };
        let has_figures = match indicator {
            Indicator::Intensity => points.len() > 1,
            _ => !points.is_empty(),
        };
        let actual = has_figures.then(|| round1(points[points.len() - 1].1));
        let forecast = forecast(&points, at).map(|f| round1(f.max(0.0)));
        let below = |v: Option<f64>| v.is_some_and(|v| v + 1e-9 < round1(committed));
        out.push(Check {
            indicator,
            committed,
            actual,
            forecast,
            breach: reviewed && (actual.is_none() || below(actual)),
            warning: !reviewed && below(forecast),
        });
    }
    out
}

/// Rounds to 0.1 (万元/亩 as the office reads them).
pub fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// Whole months from `today` to `on` (0 when past).
pub fn months_until(today: NaiveDate, on: NaiveDate) -> i32 {
    if on <= today {
        return 0;
    }
    let months = (on.year() - today.year()) * 12 + on.month() as i32 - today.month() as i32;
    if on.day() < today.day() {
        months - 1
    } else {
        months
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_straight_line_through_the_points() {
        assert_eq!(forecast(&[(2025.0, 0.0), (2026.0, 120.0), (2027.0, 240.0)], 2027.5), Some(300.0));
        // Least squares through scattered points: y = 10 + 2x fits (0,10),(1,13),(2,14) as 10.33 + 2x.
        let f = forecast(&[(0.0, 10.0), (1.0, 13.0), (2.0, 14.0)], 3.0).unwrap();
        assert!((f - 16.3333).abs() < 1e-3, "{f}");
        assert_eq!(forecast(&[(2026.0, 5.0)], 2027.0), None, "one point is no line");
        assert_eq!(forecast(&[(2026.0, 5.0), (2026.0, 7.0)], 2027.0), None, "nor two at one time");
        assert_eq!(forecast(&[], 2027.0), None);
    }

    #[test]
    fn dates_on_the_time_axis_and_months_ahead() {
        assert_eq!(year_point(d("2027-01-01")), 2027.0);
        assert!((year_point(d("2027-07-01")) - 2027.4959).abs() < 1e-3);
        assert_eq!(months_until(d("2026-12-01"), d("2027-07-01")), 7);
        assert_eq!(months_until(d("2026-12-15"), d("2027-07-01")), 6);
        assert_eq!(months_until(d("2027-08-01"), d("2027-07-01")), 0);
    }

    fn terms() -> LandTerms {
        LandTerms {
            land_mu: 50.0,
            intensity: Some(400.0),
            tax_per_mu: Some(20.0),
            output_per_mu: None,
            signed_on: d("2025-01-01"),
            review_on: d("2027-07-01"),
        }
    }

    fn years() -> Vec<YearFigures> {
        vec![
            YearFigures { year: 2025, investment: Some(6000.0), output: None, tax: Some(250.0) },
            YearFigures { year: 2026, investment: Some(6000.0), output: None, tax: Some(750.0) },
        ]
    }

    #[test]
    fn before_the_review_the_line_warns_months_ahead_with_the_numbers() {
        let checks = review(&terms(), &years(), d("2026-12-01"));
        assert_eq!(checks.len(), 2, "output per mu was not committed");
        // 投资强度: 0 on signing, 120 at the end of 2025, 240 at the end of 2026 → 299.5 on 2027-07-01.
        assert_eq!(checks[0].indicator, Indicator::Intensity);
        assert_eq!((checks[0].actual, checks[0].forecast), (Some(240.0), Some(299.5)));
        assert!(checks[0].warning && !checks[0].breach);
        // 亩均税收: 5 then 15 → 19.96 ≈ 20.0 on the review date: on track, no warning.
        assert_eq!((checks[1].actual, checks[1].forecast), (Some(15.0), Some(20.0)));
        assert!(!checks[1].warning);
    }

    #[test]
    fn after_the_review_a_shortfall_is_a_breach() {
        let mut ys = years();
        ys.push(YearFigures { year: 2027, investment: Some(9000.0), output: None, tax: Some(900.0) });
        let checks = review(&terms(), &ys, d("2027-08-01"));
        // 投资强度 (6000+6000+9000)/50 = 420 ≥ 400: kept. 亩均税收 900/50 = 18 < 20: breach.
        assert_eq!((checks[0].actual, checks[0].breach), (Some(420.0), false));
        assert_eq!((checks[1].actual, checks[1].breach), (Some(18.0), true));
        assert!(!checks[1].warning, "no warning once reviewed");
    }

    #[test]
    fn missing_figures_at_the_review_are_a_breach_and_no_forecast_before() {
        let checks = review(&terms(), &[], d("2026-12-01"));
        assert!(checks.iter().all(|c| c.actual.is_none() && c.forecast.is_none() && !c.warning));
        let checks = review(&terms(), &[], d("2027-07-01"));
        assert!(checks.iter().all(|c| c.breach));
    }
}
