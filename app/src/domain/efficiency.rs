//! 亩均效益评价 of the zone's enterprises (在区企业): each year's figures per enterprise, weighed
//! into a score against a benchmark per indicator and graded A/B/C/D (the plan, 二.5 "加强亩均
//! 效益评价约束"; Anhui's practice, begun in Ma'anshan). Indicators, weights, benchmarks, the cap
//! and the cut-offs are the office's (`EfficiencyConfig`, versioned like the fit score's).
//!
//! A single indicator scores `value / benchmark × weight`, between 0 and `cap × weight`; the
//! benchmark is the office's figure, else the year's average over the rated enterprises that
//! have the indicator. A missing figure scores 0 and is marked (未报数据不得分). Enterprises
//! with no land area, or less than `min_land_mu`, are not rated (不参评).

use super::field_error::FieldError;
use super::score::Grade;
use serde::{Deserialize, Serialize};

/// One enterprise's figures for one year, as imported (None: not given).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    /// 用地面积, 亩
    pub land_mu: Option<f64>,
    /// 实缴税金, 万元
    pub tax_wan: Option<f64>,
    /// 营业收入, 万元
    pub revenue_wan: Option<f64>,
    /// 工业增加值, 万元
    pub added_value_wan: Option<f64>,
    /// 综合能耗, 吨标准煤
    pub energy_tce: Option<f64>,
    /// 研发经费, 万元
    pub rd_wan: Option<f64>,
    /// 年平均从业人员, 人
    pub employees: Option<f64>,
}

/// The indicators an office may weigh.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Indicator {
    /// 亩均税收 = 税金 / 用地 (万元/亩)
    TaxPerMu,
    /// 亩均营业收入 = 营业收入 / 用地 (万元/亩)
    RevenuePerMu,
    /// 亩均工业增加值 = 工业增加值 / 用地 (万元/亩)
    AddedValuePerMu,
    /// 单位能耗营业收入 = 营业收入 / 综合能耗 (万元/吨标准煤)
    RevenuePerEnergy,
    /// 研发经费投入强度 = 研发经费 / 营业收入 × 100 (%)
    RdIntensity,
    /// 全员劳动生产率 = 工业增加值 / 从业人员 (万元/人)
    LabourProductivity,
}

impl Indicator {
    pub const ALL: [Indicator; 6] = [
        Indicator::TaxPerMu,
        Indicator::RevenuePerMu,
        Indicator::AddedValuePerMu,
        Indicator::RevenuePerEnergy,
        Indicator::RdIntensity,
        Indicator::LabourProductivity,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Indicator::TaxPerMu => "tax_per_mu",
            Indicator::RevenuePerMu => "revenue_per_mu",
            Indicator::AddedValuePerMu => "added_value_per_mu",
            Indicator::RevenuePerEnergy => "revenue_per_energy",
            Indicator::RdIntensity => "rd_intensity",
            Indicator::LabourProductivity => "labour_productivity",
        }
    }

    pub fn parse(code: &str) -> Option<Indicator> {
        Self::ALL.into_iter().find(|i| i.code() == code)
    }

    /// The message key of its name (`efficiency.ind.{code}`).
    pub fn label_key(self) -> String {
        format!("efficiency.ind.{}", self.code())
    }

    /// The message key of its unit (`efficiency.unit.{code}`).
    pub fn unit_key(self) -> String {
        format!("efficiency.unit.{}", self.code())
    }

    /// The indicator's value from `f`; None when a figure it needs is missing or its divisor is
    /// not positive.
    pub fn value(self, f: &Figures) -> Option<f64> {
        let ratio = |top: Option<f64>, bottom: Option<f64>| match (top, bottom) {
            (Some(t), Some(b)) if b > 0.0 => Some(t / b),
            _ => None,
        };
        match self {
            Indicator::TaxPerMu => ratio(f.tax_wan, f.land_mu),
            Indicator::RevenuePerMu => ratio(f.revenue_wan, f.land_mu),
            Indicator::AddedValuePerMu => ratio(f.added_value_wan, f.land_mu),
            Indicator::RevenuePerEnergy => ratio(f.revenue_wan, f.energy_tce),
            Indicator::RdIntensity => ratio(f.rd_wan, f.revenue_wan).map(|r| r * 100.0),
            Indicator::LabourProductivity => ratio(f.added_value_wan, f.employees),
        }
    }
}

/// One weighed indicator: weight in points (the weights add up to 100) and the benchmark in the
/// indicator's unit (None: the year's average).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorRule {
    pub indicator: Indicator,
    pub weight: f64,
    pub benchmark: Option<f64>,
}

/// How scores become grades.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Cutoffs {
    /// Minimum scores for A, B and C; below C is D. A score equal to a cut-off gets the higher
    /// grade.
    Score { a: f64, b: f64, c: f64 },
    /// Shares of the rated enterprises, in %, for A, B and C by rank; the rest are D. Enterprises
    /// with equal scores share the better grade.
    Share { a: f64, b: f64, c: f64 },
}

/// The office's grading rules (one version).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EfficiencyConfig {
    pub indicators: Vec<IndicatorRule>,
    /// An indicator scores at most `cap × weight` (e.g. 2.0).
    pub cap: f64,
    /// Enterprises with less land (亩) are not rated.
    pub min_land_mu: f64,
    pub cutoffs: Cutoffs,
}

impl Default for EfficiencyConfig {
    /// 亩均税收 40, 亩均营业收入 20, 单位能耗营业收入 15, 研发经费投入强度 15, 全员劳动生产率 10;
    /// benchmarks the year's averages; cap 2×; from 3 亩; A the first 20%, B the next 50%, C the
    /// next 25%, D the last 5%.
    fn default() -> Self {
        let rule = |indicator, weight| IndicatorRule { indicator, weight, benchmark: None };
        EfficiencyConfig {
            indicators: vec![
                rule(Indicator::TaxPerMu, 40.0),
                rule(Indicator::RevenuePerMu, 20.0),
                rule(Indicator::RevenuePerEnergy, 15.0),
                rule(Indicator::RdIntensity, 15.0),
                rule(Indicator::LabourProductivity, 10.0),
            ],
            cap: 2.0,
            min_land_mu: 3.0,
            cutoffs: Cutoffs::Share { a: 20.0, b: 50.0, c: 25.0 },
        }
    }
}

fn finite_non_negative(v: f64) -> bool {
    v.is_finite() && v >= 0.0
}

impl EfficiencyConfig {
    /// The rules if they hold together, else the problems at their fields: `indicators` (none,
    /// or one twice), `weight.{i}` (negative), `weights` (not adding up to 100 ± 0.01),
    /// `benchmark.{i}` (not positive), `cap` (below 1 or over 10), `min_land_mu` (negative),
    /// `cutoffs` (scores not falling A > B > C ≥ 0, or shares negative or over 100 together).
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.indicators.is_empty() {
            errors.push(FieldError::new("indicators", "err.efficiency.no_indicators"));
        }
        for (i, r) in self.indicators.iter().enumerate() {
            if self.indicators[..i].iter().any(|o| o.indicator == r.indicator) {
                errors.push(FieldError::new("indicators", "err.efficiency.twice"));
            }
            if !finite_non_negative(r.weight) {
                errors.push(FieldError::new(format!("weight.{i}"), "err.efficiency.weight"));
            }
            if r.benchmark.is_some_and(|b| !(b.is_finite() && b > 0.0)) {
                errors.push(FieldError::new(format!("benchmark.{i}"), "err.efficiency.benchmark"));
            }
        }
        let total: f64 = self.indicators.iter().map(|r| r.weight).sum();
        if !self.indicators.is_empty() && (total - 100.0).abs() > 0.01 {
            errors.push(FieldError::new("weights", "err.efficiency.weights").with("total", round2(total)));
        }
        if !(self.cap.is_finite() && (1.0..=10.0).contains(&self.cap)) {
            errors.push(FieldError::new("cap", "err.efficiency.cap"));
        }
        if !finite_non_negative(self.min_land_mu) {
            errors.push(FieldError::new("min_land_mu", "err.efficiency.min_land"));
        }
        let cut_ok = match self.cutoffs {
            Cutoffs::Score { a, b, c } => [a, b, c].into_iter().all(finite_non_negative) && a > b && b > c,
            Cutoffs::Share { a, b, c } => [a, b, c].into_iter().all(finite_non_negative) && a + b + c <= 100.0,
        };
        if !cut_ok {
            errors.push(FieldError::new("cutoffs", "err.efficiency.cutoffs"));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// One indicator of one enterprise's assessment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Part {
    pub indicator: Indicator,
    pub weight: f64,
    /// None: a figure it needs was not given (scores 0).
    pub value: Option<f64>,
    /// The benchmark used; None when no enterprise had the indicator (it scored 0 for all).
    pub benchmark: Option<f64>,
    pub points: f64,
    /// The value reached the cap.
    pub capped: bool,
}

/// Why an enterprise was not rated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NotRated {
    /// No land area given.
    NoLand,
    /// Less land than the rules' minimum.
    SmallLand,
}

impl NotRated {
    pub fn key(self) -> &'static str {
        match self {
            NotRated::NoLand => "efficiency.not_rated.no_land",
            NotRated::SmallLand => "efficiency.not_rated.small_land",
        }
    }
}

/// One enterprise's result for the year: the score (0.01 points), its rank among the rated
/// (equal scores share a rank), the grade and the breakdown; or why it was not rated.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub score: f64,
    pub rank: Option<usize>,
    pub grade: Option<Grade>,
    pub parts: Vec<Part>,
    pub not_rated: Option<NotRated>,
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// Grades every enterprise of one year at once (benchmarks and shares depend on all of them);
/// the result is in the order of `figures`.
pub fn grade_all(config: &EfficiencyConfig, figures: &[Figures]) -> Vec<Assessment> {
    let not_rated = |f: &Figures| match f.land_mu {
        None => Some(NotRated::NoLand),
        Some(mu) if mu <= 0.0 => Some(NotRated::NoLand),
        Some(mu) if mu < config.min_land_mu => Some(NotRated::SmallLand),
        Some(_) => None,
    };
    let rated: Vec<bool> = figures.iter().map(|f| not_rated(f).is_none()).collect();
    let benchmarks: Vec<Option<f64>> = config
        .indicators
        .iter()
        .map(|rule| {
            rule.benchmark.or_else(|| {
                let values: Vec<f64> = figures
                    .iter()
                    .zip(&rated)
                    .filter(|(_, r)| **r)
                    .filter_map(|(f, _)| rule.indicator.value(f))
                    .collect();
                let mean = values.iter().sum::<f64>() / values.len().max(1) as f64;
                (mean > 0.0).then_some(mean)
            })
        })
        .collect();
    let mut out: Vec<Assessment> = figures
        .iter()
        .map(|f| {
            let parts: Vec<Part> = config
                .indicators
                .iter()
                .zip(&benchmarks)
                .map(|(rule, benchmark)| {
                    let value = rule.indicator.value(f);
                    let ratio = match (value, benchmark) {
                        (Some(v), Some(b)) => (v / b).max(0.0),
                        _ => 0.0,
                    };
                    Part {
                        indicator: rule.indicator,
                        weight: rule.weight,
                        value,
                        benchmark: *benchmark,
                        points: round2(ratio.min(config.cap) * rule.weight),
                        capped: ratio > config.cap,
                    }
                })
                .collect();
            let why = not_rated(f);
            let score = if why.is_some() { 0.0 } else { round2(parts.iter().map(|p| p.points).sum()) };
            Assessment { score, rank: None, grade: None, parts, not_rated: why }
        })
        .collect();
    let scores: Vec<f64> = out.iter().filter(|a| a.not_rated.is_none()).map(|a| a.score).collect();
    let n = scores.len();
    let quota = |pct: f64| (n as f64 * pct / 100.0).round() as usize;
    for a in out.iter_mut().filter(|a| a.not_rated.is_none()) {
        let above = scores.iter().filter(|s| **s > a.score).count();
        a.rank = Some(above + 1);
        a.grade = Some(match config.cutoffs {
            Cutoffs::Score { a: ca, b: cb, c: cc } => {
                if a.score >= ca {
                    Grade::A
                } else if a.score >= cb {
                    Grade::B
                } else if a.score >= cc {
                    Grade::C
                } else {
                    Grade::D
                }
            }
            Cutoffs::Share { a: sa, b: sb, c: sc } => {
                if above < quota(sa) {
                    Grade::A
                } else if above < quota(sa + sb) {
                    Grade::B
                } else if above < quota(sa + sb + sc) {
                    Grade::C
                } else {
                    Grade::D
                }
            }
        });
    }
    out
}

/// What a grade brings, as message keys (the plan, 二.5): A and B 要素优先保障; D 用电、用水、
/// 用气、污水排放四类加价; C and D 不再新增供地 (转型升级项目除外).
pub fn consequences(grade: Grade) -> Vec<&'static str> {
    match grade {
        Grade::A | Grade::B => vec!["efficiency.effect.priority"],
        Grade::C => vec!["efficiency.effect.no_land"],
        Grade::D => vec!["efficiency.effect.surcharge", "efficiency.effect.no_land"],
    }
}

#[cfg(test)]
mod tests;
