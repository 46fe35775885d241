//! What crosses the wire for `api::scoring`: the types its server functions take and return,
//! with their validators. Imports `domain` only; read by pages, api and services.

use crate::domain::lead::FieldError;
use crate::domain::score::{FitScore, GradeCuts, ScoreConfig, Thresholds, Weights};
use serde::{Deserialize, Serialize};

/// A lead's score as shown on its page: the stored figure, the version that produced it, and
/// the breakdown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoreView {
    pub version: i64,
    pub fit: FitScore,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConfigChange {
    pub field: String,
    pub old: String,
    pub new: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConfigVersion {
    pub version: i64,
    pub created_by: Option<String>,
    pub created_at: String,
    pub note: String,
    pub changes: Vec<ConfigChange>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoreSettingsPage {
    pub version: i64,
    pub config: ScoreConfig,
    pub history: Vec<ConfigVersion>,
    pub can_edit: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RescoreReport {
    pub version: i64,
    pub rescored: u64,
    pub millis: u64,
}

/// The settings form: every number as typed, so errors keep the input.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ScoreConfigForm {
    #[serde(default)]
    pub values: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub note: String,
}

/// The config's fields by dotted path, in display order.
pub const FIELDS: [&str; 14] = [
    "weights.industry",
    "weights.chain",
    "weights.scale",
    "weights.land",
    "weights.innovation",
    "weights.region",
    "weights.energy_penalty",
    "thresholds.intensity_wan_per_mu",
    "thresholds.tax_wan_per_mu",
    "thresholds.major_project_wan",
    "thresholds.scale_full_wan",
    "grades.a",
    "grades.b",
    "grades.c",
];

pub fn config_values(c: &ScoreConfig) -> [f64; 14] {
    let (w, t, g) = (&c.weights, &c.thresholds, &c.grades);
    [
        w.industry,
        w.chain,
        w.scale,
        w.land,
        w.innovation,
        w.region,
        w.energy_penalty,
        t.intensity_wan_per_mu,
        t.tax_wan_per_mu,
        t.major_project_wan,
        t.scale_full_wan,
        g.a,
        g.b,
        g.c,
    ]
}

pub fn fmt_value(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

/// Field-by-field differences between two configs.
pub fn diff(old: &ScoreConfig, new: &ScoreConfig) -> Vec<ConfigChange> {
    FIELDS
        .iter()
        .zip(config_values(old).iter().zip(config_values(new).iter()))
        .filter(|(_, (a, b))| a != b)
        .map(|(f, (a, b))| ConfigChange { field: f.to_string(), old: fmt_value(*a), new: fmt_value(*b) })
        .collect()
}

impl ScoreConfigForm {
    pub fn parse(&self) -> Result<ScoreConfig, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut v = [0.0f64; 14];
        for (i, field) in FIELDS.iter().enumerate() {
            let raw = self.values.get(*field).map(|s| s.trim()).unwrap_or("");
            match raw.parse::<f64>() {
                Ok(n) if n.is_finite() => v[i] = n,
                _ => errors.push(FieldError::new(*field, "err.number")),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let config = ScoreConfig {
            weights: Weights {
                industry: v[0],
                chain: v[1],
                scale: v[2],
                land: v[3],
                innovation: v[4],
                region: v[5],
                energy_penalty: v[6],
            },
            thresholds: Thresholds {
                intensity_wan_per_mu: v[7],
                tax_wan_per_mu: v[8],
                major_project_wan: v[9],
                scale_full_wan: v[10],
            },
            grades: GradeCuts { a: v[11], b: v[12], c: v[13] },
        };
        config.check().map_err(|errs| errs.into_iter().map(|e| FieldError::new(e.field, e.key)).collect::<Vec<_>>())?;
        if self.note.chars().count() > 500 {
            return Err(vec![FieldError::new("note", "err.too_long").with("max", 500)]);
        }
        Ok(config)
    }
}
