//! The six weighted factors, each reading part of a `ScoreInput` into a fraction of its weight
//! (or unknown): `*_fraction` alone (what a rescore of every lead needs, no text), and `*_part`
//! with the value it read and a one-line reason for the breakdown, built on the same fraction.

use super::{fmt_num, round1, ChainRole, ScoreConfig, ScoreInput};
use crate::domain::catalog::Industry;
use crate::domain::region::RegionGroup;

pub(super) struct Part {
    pub key: &'static str,
    pub weight: f64,
    /// None = unknown.
    pub fraction: Option<f64>,
    /// The value read, as a translation key (a vocabulary label or a template), with the
    /// template's arguments; empty when unknown.
    pub raw: String,
    pub raw_args: Vec<(String, String)>,
    pub why: &'static str,
    pub args: Vec<(String, String)>,
}

impl Part {
    fn new(key: &'static str, weight: f64, fraction: Option<f64>, why: &'static str) -> Part {
        Part { key, weight, fraction, raw: String::new(), raw_args: vec![], why, args: vec![] }
    }

    fn raw(mut self, key: impl Into<String>, args: Vec<(String, String)>) -> Part {
        self.raw = key.into();
        self.raw_args = args;
        self
    }

    fn why_args(mut self, args: Vec<(String, String)>) -> Part {
        self.args = args;
        self
    }
}

fn arg(name: &str, value: String) -> (String, String) {
    (name.to_string(), value)
}

/// The six fractions (None = unknown) in the breakdown's order with their weights: the score
/// without its text.
pub(super) fn fractions(input: &ScoreInput, config: &ScoreConfig) -> [(f64, Option<f64>); 6] {
    let w = &config.weights;
    [
        (w.industry, industry_fraction(input)),
        (w.chain, chain_fraction(input)),
        (w.scale, scale_fraction(input, config)),
        (w.land, land_fraction(input, config)),
        (w.innovation, innovation_fraction(input)),
        (w.region, region_fraction(input)),
    ]
}

/// The industry's share of the factor and the reason's key, in one table so the score and its
/// reason cannot part (None: unknown, no share).
fn industry_rule(input: &ScoreInput) -> (Option<f64>, &'static str) {
    match input.industry {
        None => (None, "score.why.industry.unknown"),
        Some(Industry::ElectronicComms) => (Some(1.0), "score.why.industry.first"),
        Some(Industry::EnergyMaterials | Industry::SmartManufacturing) => (Some(0.8), "score.why.industry.leading"),
        Some(Industry::ModernServices) => (Some(0.7), "score.why.industry.services"),
        Some(Industry::Other) => (Some(0.15), "score.why.industry.outside"),
    }
}

fn industry_fraction(input: &ScoreInput) -> Option<f64> {
    industry_rule(input).0
}

pub(super) fn industry_part(input: &ScoreInput, weight: f64) -> Part {
    let (fraction, why) = industry_rule(input);
    let raw = input.industry.map(|i| i.label_key().to_string()).unwrap_or_default();
    Part::new("industry", weight, fraction, why).raw(raw, vec![])
}

/// What the lead's placements say: (fills a gap, a 龙头 somewhere, supplies a local 链主,
/// a supplier somewhere).
fn chain_roles(input: &ScoreInput) -> (bool, bool, bool, bool) {
    let nodes = &input.nodes;
    (
        nodes.iter().any(|n| n.is_gap),
        nodes.iter().any(|n| n.role == ChainRole::Leader),
        nodes.iter().any(|n| n.role == ChainRole::Supplier && n.supplies_local_leader),
        nodes.iter().any(|n| n.role == ChainRole::Supplier),
    )
}

fn chain_fraction(input: &ScoreInput) -> Option<f64> {
    if input.nodes.is_empty() {
        return None;
    }
    let (fills_gap, leader, supplies_leader, supplier) = chain_roles(input);
    let mut fraction: f64 = 0.25;
    if fills_gap {
        fraction += 0.45;
    }
    if leader {
        fraction += 0.35;
    } else if supplies_leader {
        fraction += 0.25;
    } else if supplier {
        fraction += 0.1;
    }
    Some(fraction.min(1.0))
}

pub(super) fn chain_part(input: &ScoreInput, weight: f64) -> Part {
    let fraction = chain_fraction(input);
    if fraction.is_none() {
        return Part::new("chain", weight, None, "score.why.chain.unplaced");
    }
    let (fills_gap, leader, supplies_leader, _) = chain_roles(input);
    let why = match (fills_gap, leader, supplies_leader) {
        (true, true, _) => "score.why.chain.gap_leader",
        (true, false, _) => "score.why.chain.gap",
        (false, true, _) => "score.why.chain.leader",
        (false, false, true) => "score.why.chain.supplies_leader",
        (false, false, false) => "score.why.chain.covered",
    };
    let gaps = input.nodes.iter().filter(|n| n.is_gap).count();
    let args = vec![arg("nodes", input.nodes.len().to_string()), arg("gaps", gaps.to_string())];
    Part::new("chain", weight, fraction, why).raw("score.raw.chain", args.clone()).why_args(args)
}

fn scale_fraction(input: &ScoreInput, config: &ScoreConfig) -> Option<f64> {
    let t = &config.thresholds;
    let inv = input.planned_investment_wan?;
    let base = (inv.max(0.0) / t.scale_full_wan).sqrt().min(1.0);
    Some(if inv >= t.major_project_wan { (base + 0.2).min(1.0) } else { base })
}

pub(super) fn scale_part(input: &ScoreInput, config: &ScoreConfig, weight: f64) -> Part {
    let t = &config.thresholds;
    let Some(inv) = input.planned_investment_wan else {
        return Part::new("scale", weight, None, "score.why.scale.unknown");
    };
    let why = if inv >= t.major_project_wan { "score.why.scale.major" } else { "score.why.scale.plain" };
    // A major project's bonus (+0.2) reaches full marks at 0.8² = 64% of the full-marks amount
    // (or at the major threshold itself when that is higher).
    let full_major = (t.scale_full_wan * 0.64).max(t.major_project_wan);
    Part::new("scale", weight, scale_fraction(input, config), why)
        .raw("score.raw.scale", vec![arg("amount", fmt_num(inv))])
        .why_args(vec![
            arg("major", fmt_num(t.major_project_wan)),
            arg("full", fmt_num(t.scale_full_wan)),
            arg("full_major", fmt_num(full_major.round())),
        ])
}

/// Investment and tax per 亩 (万元), each None when its amount is unknown; None as a whole when
/// the land is unknown or none is needed (0 亩 or less).
fn per_mu(input: &ScoreInput) -> Option<(Option<f64>, Option<f64>)> {
    let land = input.land_mu.filter(|l| *l > 0.0)?;
    Some((input.planned_investment_wan.map(|inv| inv / land), input.annual_tax_wan.map(|tax| tax / land)))
}

fn land_fraction(input: &ScoreInput, config: &ScoreConfig) -> Option<f64> {
    let t = &config.thresholds;
    input.land_mu?;
    let Some((intensity, tax)) = per_mu(input) else { return Some(1.0) };
    if intensity.is_none() && tax.is_none() {
        return None;
    }
    // Half each; a missing half earns nothing (shown as "—", and the reason says which half is
    // unknown), like any unknown.
    let intensity_part = intensity.map_or(0.0, |v| (v / t.intensity_wan_per_mu).min(1.0));
    let tax_part = tax.map_or(0.0, |v| (v / t.tax_wan_per_mu).min(1.0));
    Some((intensity_part + tax_part) / 2.0)
}

pub(super) fn land_part(input: &ScoreInput, config: &ScoreConfig, weight: f64) -> Part {
    let t = &config.thresholds;
    let fraction = land_fraction(input, config);
    let Some(fraction_known) = fraction else { return Part::new("land", weight, None, "score.why.land.unknown") };
    let Some((intensity, tax)) = per_mu(input) else {
        return Part::new("land", weight, Some(fraction_known), "score.why.land.none_needed")
            .raw("score.raw.land.none_needed", vec![]);
    };
    let show = |v: Option<f64>| v.map(|v| fmt_num(round1(v))).unwrap_or_else(|| "—".into());
    let why = match (intensity, tax) {
        (Some(_), None) => "score.why.land.no_tax",
        (None, Some(_)) => "score.why.land.no_intensity",
        _ => "score.why.land",
    };
    let shown = vec![arg("intensity", show(intensity)), arg("tax", show(tax))];
    let mut args = shown.clone();
    args.push(arg("intensity_min", fmt_num(t.intensity_wan_per_mu)));
    args.push(arg("tax_min", fmt_num(t.tax_wan_per_mu)));
    Part::new("land", weight, fraction, why).raw("score.raw.land", shown).why_args(args)
}

/// 高新技术企业, 专精特新, 上市 with their shares of the factor.
fn innovation_flags(input: &ScoreInput) -> [(Option<bool>, f64, char); 3] {
    [(input.high_tech, 0.4, 'h'), (input.specialised, 0.35, 's'), (input.listed, 0.25, 'l')]
}

fn innovation_fraction(input: &ScoreInput) -> Option<f64> {
    let flags = innovation_flags(input);
    if flags.iter().all(|(f, _, _)| f.is_none()) {
        return None;
    }
    Some(flags.iter().filter(|(f, _, _)| *f == Some(true)).map(|(_, w, _)| w).sum::<f64>().min(1.0))
}

pub(super) fn innovation_part(input: &ScoreInput, weight: f64) -> Part {
    let fraction = innovation_fraction(input);
    if fraction.is_none() {
        return Part::new("innovation", weight, None, "score.why.innovation.unknown");
    }
    let flags = innovation_flags(input);
    // The qualifications held, as `score.raw.innovation.hs` (high-tech and 专精特新) … `.none`.
    let held: String = flags.iter().filter(|(f, _, _)| *f == Some(true)).map(|(_, _, c)| *c).collect();
    let count = held.chars().count();
    let unknown = flags.iter().filter(|(f, _, _)| f.is_none()).count();
    // None held: of all three (`none`), or of those known (`none_known`, the rest unknown).
    let held = match (held.is_empty(), unknown) {
        (true, 0) => "none".to_string(),
        (true, _) => "none_known".to_string(),
        (false, _) => held,
    };
    let why = if unknown > 0 { "score.why.innovation.partly" } else { "score.why.innovation.held" };
    Part::new("innovation", weight, fraction, why)
        .raw(format!("score.raw.innovation.{held}"), vec![])
        .why_args(vec![arg("count", count.to_string()), arg("unknown", unknown.to_string())])
}

/// The region's share of the factor and the reason's key, in one table (None: unknown).
fn region_rule(input: &ScoreInput) -> (Option<f64>, &'static str) {
    match (input.region_group, input.nanjing_metro) {
        (None, _) => (None, "score.why.region.unknown"),
        (Some(_), true) => (Some(1.0), "score.why.region.nanjing"),
        (Some(RegionGroup::Yrd), false) => (Some(0.75), "score.why.region.yrd"),
        (Some(RegionGroup::Prd), false) => (Some(0.7), "score.why.region.prd"),
        (Some(RegionGroup::Overseas), false) => (Some(0.6), "score.why.region.overseas"),
        (Some(RegionGroup::OtherDomestic), false) => (Some(0.4), "score.why.region.other"),
    }
}

fn region_fraction(input: &ScoreInput) -> Option<f64> {
    region_rule(input).0
}

pub(super) fn region_part(input: &ScoreInput, weight: f64) -> Part {
    let (fraction, why) = region_rule(input);
    // A 南京都市圈 lead reads as such (it is in 长三角 too, but scores as the metro).
    let raw = match (input.region_group, input.nanjing_metro) {
        (None, _) => "",
        (Some(_), true) => "region.nanjing_metro",
        (Some(g), false) => g.label_key(),
    };
    Part::new("region", weight, fraction, why).raw(raw, vec![])
}
