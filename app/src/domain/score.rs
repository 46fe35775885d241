//! 3+1 契合度: the explainable fit score of a lead, 0–100 with an A/B/C/D grade.
//!
//! Each factor gives a fraction in 0..=1 of its weight, or is *unknown* when the data is missing.
//! An unknown factor earns nothing, but it is marked unknown in the breakdown (with what it
//! could have earned) and `completeness` says how much of the weight was known, so a low score
//! from missing data is never mistaken for a poor fit. (Leaving unknowns out of the denominator
//! instead would let a lead known only by its industry score 100.) The energy/emissions factor
//! is a penalty, subtracted at the end.
//! Weights, thresholds and grade cut-offs are the office's (a `ScoreConfig` stored in the
//! database); nothing here is a policy of the code's own.

use super::catalog::Industry;
use super::region::RegionGroup;
use serde::{Deserialize, Serialize};

/// 能耗排放 level declared for a lead.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EnergyUse {
    Low,
    Medium,
    High,
}

impl EnergyUse {
    pub const ALL: [EnergyUse; 3] = [EnergyUse::Low, EnergyUse::Medium, EnergyUse::High];
    pub fn code(self) -> &'static str {
        match self {
            EnergyUse::Low => "low",
            EnergyUse::Medium => "medium",
            EnergyUse::High => "high",
        }
    }
    pub fn parse(s: &str) -> Option<EnergyUse> {
        Self::ALL.into_iter().find(|e| e.code() == s.trim())
    }
    pub fn label_key(self) -> &'static str {
        match self {
            EnergyUse::Low => "energy.low",
            EnergyUse::Medium => "energy.medium",
            EnergyUse::High => "energy.high",
        }
    }
}

/// A lead's role on a chain node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ChainRole {
    /// 龙头: a chain leader.
    Leader,
    /// 配套: supplies a local enterprise or lead.
    Supplier,
    /// 一般: on the node, nothing more.
    Plain,
}

impl ChainRole {
    pub const ALL: [ChainRole; 3] = [ChainRole::Leader, ChainRole::Supplier, ChainRole::Plain];
    pub fn code(self) -> &'static str {
        match self {
            ChainRole::Leader => "leader",
            ChainRole::Supplier => "supplier",
            ChainRole::Plain => "plain",
        }
    }
    pub fn parse(s: &str) -> Option<ChainRole> {
        Self::ALL.into_iter().find(|r| r.code() == s.trim())
    }
    pub fn label_key(self) -> &'static str {
        match self {
            ChainRole::Leader => "chain.role.leader",
            ChainRole::Supplier => "chain.role.supplier",
            ChainRole::Plain => "chain.role.plain",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Grade {
    A,
    B,
    C,
    D,
}

impl Grade {
    pub const ALL: [Grade; 4] = [Grade::A, Grade::B, Grade::C, Grade::D];
    pub fn code(self) -> &'static str {
        match self {
            Grade::A => "A",
            Grade::B => "B",
            Grade::C => "C",
            Grade::D => "D",
        }
    }
    pub fn parse(s: &str) -> Option<Grade> {
        Self::ALL.into_iter().find(|g| g.code().eq_ignore_ascii_case(s.trim()))
    }
}

/// Relative weights of the factors (any non-negative numbers; they are normalised).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Weights {
    pub industry: f64,
    pub chain: f64,
    pub scale: f64,
    pub land: f64,
    pub innovation: f64,
    pub region: f64,
    /// Points taken off (out of 100) for high energy use; half for medium.
    pub energy_penalty: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    /// 投资强度 that earns full marks, 万元/亩 (标准地).
    pub intensity_wan_per_mu: f64,
    /// 亩均税收 that earns full marks, 万元/亩/年.
    pub tax_wan_per_mu: f64,
    /// 重大项目 threshold, 万元 (1 亿元 = 10,000 万元).
    pub major_project_wan: f64,
    /// Planned investment that earns full marks for scale, 万元.
    pub scale_full_wan: f64,
}

/// Lowest score for each grade; below `c` is D.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GradeCuts {
    pub a: f64,
    pub b: f64,
    pub c: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoreConfig {
    pub weights: Weights,
    pub thresholds: Thresholds,
    pub grades: GradeCuts,
}

impl Default for ScoreConfig {
    /// Illustrative defaults; the office sets its own on the settings page.
    fn default() -> Self {
        ScoreConfig {
            weights: Weights {
                industry: 25.0,
                chain: 20.0,
                scale: 20.0,
                land: 15.0,
                innovation: 10.0,
                region: 10.0,
                energy_penalty: 10.0,
            },
            thresholds: Thresholds {
                intensity_wan_per_mu: 300.0,
                tax_wan_per_mu: 20.0,
                major_project_wan: 10_000.0,
                scale_full_wan: 50_000.0,
            },
            grades: GradeCuts { a: 80.0, b: 65.0, c: 50.0 },
        }
    }
}

/// One number of the score configuration an admin may edit, by its dotted path (the settings
/// form, the change log and the error messages name it so).
#[derive(Clone, Copy)]
pub struct ConfigField {
    pub path: &'static str,
    pub get: fn(&ScoreConfig) -> f64,
    pub set: fn(&mut ScoreConfig, f64),
}

macro_rules! config_fields {
    ($($group:ident . $name:ident),* $(,)?) => {
        [$(ConfigField {
            path: concat!(stringify!($group), ".", stringify!($name)),
            get: |c| c.$group.$name,
            set: |c, v| c.$group.$name = v,
        }),*]
    };
}

/// Every editable number, in display order: the one table the form, its parser and the change
/// log walk.
pub const CONFIG_FIELDS: [ConfigField; 14] = config_fields!(
    weights.industry,
    weights.chain,
    weights.scale,
    weights.land,
    weights.innovation,
    weights.region,
    weights.energy_penalty,
    thresholds.intensity_wan_per_mu,
    thresholds.tax_wan_per_mu,
    thresholds.major_project_wan,
    thresholds.scale_full_wan,
    grades.a,
    grades.b,
    grades.c,
);

/// One problem with a config value, by its dotted path (`weights.industry`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub field: String,
    pub key: &'static str,
}

impl ScoreConfig {
    /// Every value finite and non-negative, thresholds positive, cut-offs in order within 0–100,
    /// and at least one positive weight.
    pub fn check(&self) -> Result<(), Vec<ConfigError>> {
        let mut errors = Vec::new();
        let mut need = |field: &str, ok: bool, key: &'static str| {
            if !ok {
                errors.push(ConfigError { field: field.to_string(), key });
            }
        };
        let w = &self.weights;
        for (name, v) in [
            ("industry", w.industry),
            ("chain", w.chain),
            ("scale", w.scale),
            ("land", w.land),
            ("innovation", w.innovation),
            ("region", w.region),
            ("energy_penalty", w.energy_penalty),
        ] {
            need(&format!("weights.{name}"), v.is_finite() && (0.0..=1000.0).contains(&v), "err.score.weight");
        }
        need(
            "weights.industry",
            w.industry + w.chain + w.scale + w.land + w.innovation + w.region > 0.0,
            "err.score.no_weight",
        );
        need("weights.energy_penalty", w.energy_penalty <= 100.0, "err.score.penalty");
        let t = &self.thresholds;
        for (name, v) in [
            ("intensity_wan_per_mu", t.intensity_wan_per_mu),
            ("tax_wan_per_mu", t.tax_wan_per_mu),
            ("major_project_wan", t.major_project_wan),
            ("scale_full_wan", t.scale_full_wan),
        ] {
            need(&format!("thresholds.{name}"), v.is_finite() && v > 0.0, "err.score.threshold");
        }
        let g = &self.grades;
        let in_range = |v: f64| v.is_finite() && (0.0..=100.0).contains(&v);
        need("grades.a", in_range(g.a) && g.a >= g.b, "err.score.cuts");
        need("grades.b", in_range(g.b) && g.b >= g.c, "err.score.cuts");
        need("grades.c", in_range(g.c), "err.score.cuts");
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    pub fn grade(&self, score: f64) -> Grade {
        if score >= self.grades.a {
            Grade::A
        } else if score >= self.grades.b {
            Grade::B
        } else if score >= self.grades.c {
            Grade::C
        } else {
            Grade::D
        }
    }
}

/// What the score reads from a lead (and its place on the chains).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ScoreInput {
    pub industry: Option<Industry>,
    /// The lead's nodes: whether each is a gap (缺链), and its role there. Empty = not placed.
    pub nodes: Vec<NodePlacement>,
    pub planned_investment_wan: Option<f64>,
    pub land_mu: Option<f64>,
    pub annual_tax_wan: Option<f64>,
    pub high_tech: Option<bool>,
    pub specialised: Option<bool>,
    pub listed: Option<bool>,
    pub region_group: Option<RegionGroup>,
    pub nanjing_metro: bool,
    pub energy: Option<EnergyUse>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NodePlacement {
    pub is_gap: bool,
    pub role: ChainRole,
    /// 配套 to a local 龙头 enterprise.
    pub supplies_local_leader: bool,
}

/// One line of the breakdown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Factor {
    /// `industry`, `chain`, `scale`, `land`, `innovation`, `region`, `energy`.
    pub key: String,
    /// The value the factor read, as a translation key (a vocabulary label such as
    /// `industry.electronic_comms`, or a template such as `score.raw.land` with `raw_args`), or
    /// empty when unknown.
    pub raw: String,
    #[serde(default)]
    pub raw_args: Vec<(String, String)>,
    /// Points earned out of `max` (negative for the energy penalty); 0 when unknown.
    pub points: f64,
    pub max: f64,
    pub unknown: bool,
    /// Translation key of the one-line reason, with its arguments.
    pub why: String,
    pub why_args: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FitScore {
    /// 0–100, one decimal.
    pub score: f64,
    pub grade: Grade,
    /// Share of the total weight whose data was known, 0–1.
    pub completeness: f64,
    pub factors: Vec<Factor>,
}

/// One decimal; `+ 0.0` turns the -0.0 an empty float sum yields into 0.0.
fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0 + 0.0
}

fn fmt_num(v: f64) -> String {
    super::money::format_wan(v)
}

/// The score of one lead under one config. Pure, total, and cheap (no allocation beyond the
/// breakdown), so a rescore of every lead is a tight loop.
pub fn score(input: &ScoreInput, config: &ScoreConfig) -> FitScore {
    let w = &config.weights;
    use factors::*;
    let parts = [
        industry_part(input, w.industry),
        chain_part(input, w.chain),
        scale_part(input, config, w.scale),
        land_part(input, config, w.land),
        innovation_part(input, w.innovation),
        region_part(input, w.region),
    ];
    let total_weight: f64 = parts.iter().map(|p| p.weight).sum();
    let known_weight: f64 = parts.iter().filter(|p| p.fraction.is_some()).map(|p| p.weight).sum();
    let penalty = energy_penalty(input, config);
    let score = total(parts.iter().map(|p| (p.weight, p.fraction)), penalty);
    // Each factor's share of 100, as the reader sees it.
    let scale = if total_weight > 0.0 { 100.0 / total_weight } else { 0.0 };
    let mut factors: Vec<Factor> = parts
        .into_iter()
        .map(|p| Factor {
            key: p.key.to_string(),
            raw: p.raw,
            raw_args: p.raw_args,
            points: round1(p.fraction.unwrap_or(0.0) * p.weight * scale),
            max: round1(p.weight * scale),
            unknown: p.fraction.is_none(),
            why: p.why.to_string(),
            why_args: p.args,
        })
        .collect();
    factors.push(Factor {
        key: "energy".into(),
        raw: input.energy.map(|e| e.label_key().to_string()).unwrap_or_default(),
        raw_args: vec![],
        // 0 − 0 would be −0.0 ("-0.0" on the lead's page for a low-energy lead).
        points: round1(-penalty),
        max: 0.0,
        unknown: input.energy.is_none(),
        why: match input.energy {
            None => "score.why.energy.unknown",
            Some(EnergyUse::High) => "score.why.energy.high",
            Some(EnergyUse::Medium) => "score.why.energy.medium",
            Some(EnergyUse::Low) => "score.why.energy.low",
        }
        .to_string(),
        why_args: vec![("penalty".into(), fmt_num(round1(penalty)))],
    });
    FitScore {
        score,
        grade: config.grade(score),
        completeness: if total_weight > 0.0 { round1(known_weight / total_weight * 100.0) / 100.0 } else { 0.0 },
        factors,
    }
}

/// The score alone (0–100, one decimal), as [`score`] computes it without the breakdown's
/// text: what a rescore of every lead needs (about a tenth of the time per lead).
pub fn score_value(input: &ScoreInput, config: &ScoreConfig) -> f64 {
    total(factors::fractions(input, config).into_iter(), energy_penalty(input, config))
}

/// The energy penalty in points: the whole of it for high, half for medium.
fn energy_penalty(input: &ScoreInput, config: &ScoreConfig) -> f64 {
    match input.energy {
        Some(EnergyUse::High) => config.weights.energy_penalty,
        Some(EnergyUse::Medium) => config.weights.energy_penalty / 2.0,
        Some(EnergyUse::Low) | None => 0.0,
    }
}

/// Earned points of `(weight, fraction)` (None: unknown, earning nothing) out of 100, less
/// `penalty`, within 0–100 and to one decimal.
fn total(parts: impl Iterator<Item = (f64, Option<f64>)>, penalty: f64) -> f64 {
    let (mut total_weight, mut earned) = (0.0, 0.0);
    for (weight, fraction) in parts {
        total_weight += weight;
        earned += fraction.map_or(0.0, |f| f * weight);
    }
    let base = if total_weight > 0.0 { earned / total_weight * 100.0 } else { 0.0 };
    round1((base - penalty).clamp(0.0, 100.0))
}

mod factors;

#[cfg(test)]
mod tests;
