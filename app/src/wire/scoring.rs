//! What crosses the wire for `api::scoring`: the types its server functions take and return,
//! with their validators. Imports `domain` only; read by pages, api and services.

use crate::domain::lead::FieldError;
use crate::domain::score::{FitScore, ScoreConfig, CONFIG_FIELDS};
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

pub fn fmt_value(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

/// Field-by-field differences between two configs, in display order.
pub fn diff(old: &ScoreConfig, new: &ScoreConfig) -> Vec<ConfigChange> {
    CONFIG_FIELDS
        .iter()
        .filter(|f| (f.get)(old) != (f.get)(new))
        .map(|f| ConfigChange { field: f.path.to_string(), old: fmt_value((f.get)(old)), new: fmt_value((f.get)(new)) })
        .collect()
}

impl ScoreConfigForm {
    pub fn parse(&self) -> Result<ScoreConfig, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut config = ScoreConfig::default();
        for field in &CONFIG_FIELDS {
            let raw = self.values.get(field.path).map(|s| s.trim()).unwrap_or("");
            match raw.parse::<f64>() {
                Ok(n) if n.is_finite() => (field.set)(&mut config, n),
                _ => errors.push(FieldError::new(field.path, "err.number")),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        config.check().map_err(|errs| errs.into_iter().map(|e| FieldError::new(e.field, e.key)).collect::<Vec<_>>())?;
        if self.note.chars().count() > 500 {
            return Err(vec![FieldError::new("note", "err.too_long").with("max", 500)]);
        }
        Ok(config)
    }
}
