//! The six weighted factors, each reading part of a `ScoreInput` into a fraction of its weight
//! (or unknown), with the value it read and a one-line reason for the breakdown.

use super::{fmt_num, round1, ChainRole, ScoreConfig, ScoreInput};
use crate::domain::catalog::Industry;
use crate::domain::region::RegionGroup;

pub(super) struct Part {
    pub key: &'static str,
    pub weight: f64,
    /// None = unknown.
    pub fraction: Option<f64>,
    pub raw: String,
    pub why: &'static str,
    pub args: Vec<(String, String)>,
}

pub(super) fn industry_part(input: &ScoreInput, weight: f64) -> Part {
    let (fraction, why) = match input.industry {
        None => (None, "score.why.industry.unknown"),
        Some(Industry::ElectronicComms) => (Some(1.0), "score.why.industry.first"),
        Some(Industry::EnergyMaterials | Industry::SmartManufacturing) => (Some(0.8), "score.why.industry.leading"),
        Some(Industry::ModernServices) => (Some(0.7), "score.why.industry.services"),
        Some(Industry::Other) => (Some(0.15), "score.why.industry.outside"),
    };
    let raw = input.industry.map(|i| i.label_key().to_string()).unwrap_or_default();
    Part { key: "industry", weight, fraction, raw, why, args: vec![] }
}

pub(super) fn chain_part(input: &ScoreInput, weight: f64) -> Part {
    if input.nodes.is_empty() {
        return Part {
            key: "chain",
            weight,
            fraction: None,
            raw: String::new(),
            why: "score.why.chain.unplaced",
            args: vec![],
        };
    }
    let fills_gap = input.nodes.iter().any(|n| n.is_gap);
    let leader = input.nodes.iter().any(|n| n.role == ChainRole::Leader);
    let supplies_leader = input.nodes.iter().any(|n| n.role == ChainRole::Supplier && n.supplies_local_leader);
    let supplier = input.nodes.iter().any(|n| n.role == ChainRole::Supplier);
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
    let why = match (fills_gap, leader, supplies_leader) {
        (true, true, _) => "score.why.chain.gap_leader",
        (true, false, _) => "score.why.chain.gap",
        (false, true, _) => "score.why.chain.leader",
        (false, false, true) => "score.why.chain.supplies_leader",
        (false, false, false) => "score.why.chain.covered",
    };
    let gaps = input.nodes.iter().filter(|n| n.is_gap).count();
    Part {
        key: "chain",
        weight,
        fraction: Some(fraction.min(1.0)),
        raw: format!("{}/{}", gaps, input.nodes.len()),
        why,
        args: vec![("nodes".into(), input.nodes.len().to_string()), ("gaps".into(), gaps.to_string())],
    }
}

pub(super) fn scale_part(input: &ScoreInput, config: &ScoreConfig, weight: f64) -> Part {
    let t = &config.thresholds;
    match input.planned_investment_wan {
        None => Part {
            key: "scale",
            weight,
            fraction: None,
            raw: String::new(),
            why: "score.why.scale.unknown",
            args: vec![],
        },
        Some(inv) => {
            let base = (inv.max(0.0) / t.scale_full_wan).sqrt().min(1.0);
            let major = inv >= t.major_project_wan;
            let fraction = if major { (base + 0.2).min(1.0) } else { base };
            Part {
                key: "scale",
                weight,
                fraction: Some(fraction),
                raw: fmt_num(inv),
                why: if major { "score.why.scale.major" } else { "score.why.scale.plain" },
                args: vec![("major".into(), fmt_num(t.major_project_wan)), ("full".into(), fmt_num(t.scale_full_wan))],
            }
        }
    }
}

pub(super) fn land_part(input: &ScoreInput, config: &ScoreConfig, weight: f64) -> Part {
    let t = &config.thresholds;
    let unknown = |why| Part { key: "land", weight, fraction: None, raw: String::new(), why, args: vec![] };
    let Some(land) = input.land_mu else { return unknown("score.why.land.unknown") };
    if land <= 0.0 {
        return Part {
            key: "land",
            weight,
            fraction: Some(1.0),
            raw: "0".into(),
            why: "score.why.land.none_needed",
            args: vec![],
        };
    }
    let intensity = input.planned_investment_wan.map(|inv| inv / land);
    let tax = input.annual_tax_wan.map(|tax| tax / land);
    let intensity_part = intensity.map(|v| (v / t.intensity_wan_per_mu).min(1.0));
    let tax_part = tax.map(|v| (v / t.tax_wan_per_mu).min(1.0));
    if intensity_part.is_none() && tax_part.is_none() {
        return unknown("score.why.land.unknown");
    }
    // Half each; a missing half earns nothing (shown as "—", and the reason says which half is
    // unknown), like any unknown.
    let fraction = (intensity_part.unwrap_or(0.0) + tax_part.unwrap_or(0.0)) / 2.0;
    let show = |v: Option<f64>| v.map(|v| fmt_num(round1(v))).unwrap_or_else(|| "—".into());
    let why = match (intensity, tax) {
        (Some(_), None) => "score.why.land.no_tax",
        (None, Some(_)) => "score.why.land.no_intensity",
        _ => "score.why.land",
    };
    Part {
        key: "land",
        weight,
        fraction: Some(fraction),
        raw: format!("{} / {}", show(intensity), show(tax)),
        why,
        args: vec![
            ("intensity".into(), show(intensity)),
            ("tax".into(), show(tax)),
            ("intensity_min".into(), fmt_num(t.intensity_wan_per_mu)),
            ("tax_min".into(), fmt_num(t.tax_wan_per_mu)),
        ],
    }
}

pub(super) fn innovation_part(input: &ScoreInput, weight: f64) -> Part {
    let flags = [(input.high_tech, 0.4), (input.specialised, 0.35), (input.listed, 0.25)];
    if flags.iter().all(|(f, _)| f.is_none()) {
        return Part {
            key: "innovation",
            weight,
            fraction: None,
            raw: String::new(),
            why: "score.why.innovation.unknown",
            args: vec![],
        };
    }
    let fraction: f64 = flags.iter().filter(|(f, _)| *f == Some(true)).map(|(_, w)| w).sum();
    let count = flags.iter().filter(|(f, _)| *f == Some(true)).count();
    Part {
        key: "innovation",
        weight,
        fraction: Some(fraction.min(1.0)),
        raw: count.to_string(),
        why: "score.why.innovation",
        args: vec![("count".into(), count.to_string())],
    }
}

pub(super) fn region_part(input: &ScoreInput, weight: f64) -> Part {
    let (fraction, why) = match (input.region_group, input.nanjing_metro) {
        (None, _) => (None, "score.why.region.unknown"),
        (Some(_), true) => (Some(1.0), "score.why.region.nanjing"),
        (Some(RegionGroup::Yrd), false) => (Some(0.75), "score.why.region.yrd"),
        (Some(RegionGroup::Prd), false) => (Some(0.7), "score.why.region.prd"),
        (Some(RegionGroup::Overseas), false) => (Some(0.6), "score.why.region.overseas"),
        (Some(RegionGroup::OtherDomestic), false) => (Some(0.4), "score.why.region.other"),
    };
    let raw = input.region_group.map(|g| g.label_key().to_string()).unwrap_or_default();
    Part { key: "region", weight, fraction, raw, why, args: vec![] }
}
