//! The office's 亩均效益评价 rules (`/settings/efficiency`): indicators and weights, benchmarks,
//! the cap, the least land rated and the cut-offs, saved as versions (the newest in force); a
//! save regrades every year. Managers and admins edit; everyone reads.

use super::efficiency_grading::{current, parse, regrade_all};
use super::ServiceError;
use crate::backend::entities::efficiency_config;
use crate::backend::local_time;
use crate::domain::efficiency::{Cutoffs, EfficiencyConfig, Indicator, IndicatorRule};
use crate::domain::lead::FieldError;
use crate::wire::auth::SessionUser;
use crate::wire::efficiency::{EfficiencyRules, RulesForm, RulesVersion};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, QueryOrder, Set, TransactionTrait};

/// The rules in force and every saved version, newest first.
/// Errors: `Internal` (a stored version that does not parse), `Db`.
pub async fn page(db: &impl ConnectionTrait, actor: &SessionUser) -> Result<EfficiencyRules, ServiceError> {
    let (id, config) = current(db).await?;
    let rows = efficiency_config::Entity::find().order_by_desc(efficiency_config::Column::Id).all(db).await?;
    let who = super::users::names(db, rows.iter().filter_map(|r| r.created_by)).await?;
    let mut versions = Vec::with_capacity(rows.len());
    for r in &rows {
        versions.push(RulesVersion {
            id: r.id,
            note: r.note.clone(),
            by: r.created_by.and_then(|u| who.get(&u).cloned()),
            at: local_time(r.created_at),
            config: parse(r)?,
        });
    }
    Ok(EfficiencyRules { id, config, versions, can_edit: actor.role.assigns_leads() })
}

/// A number typed in a field, or the field's error; empty is None.
fn number(raw: &str, field: &str, errors: &mut Vec<FieldError>) -> Option<f64> {
    let s: String = raw.chars().map(crate::domain::uscc::fold_full_width).filter(|c| !c.is_whitespace()).collect();
    let s = s.trim_end_matches('%');
    if s.is_empty() {
        return None;
    }
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() => Some(v),
        _ => {
            errors.push(FieldError::new(field, "err.efficiency.number").with("value", raw.trim()));
            None
        }
    }
}

/// The form as rules: indicators with a weight above 0, in `Indicator::ALL` order.
/// Errors: the fields that do not read as numbers, then `EfficiencyConfig::check`'s.
pub fn parse_form(form: &RulesForm) -> Result<EfficiencyConfig, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut indicators = Vec::new();
    for (i, indicator) in Indicator::ALL.into_iter().enumerate() {
        let weight = number(form.weights.get(i).map(String::as_str).unwrap_or(""), &format!("weight.{i}"), &mut errors);
        let benchmark =
            number(form.benchmarks.get(i).map(String::as_str).unwrap_or(""), &format!("benchmark.{i}"), &mut errors);
        match weight {
            Some(w) if w != 0.0 => indicators.push(IndicatorRule { indicator, weight: w, benchmark }),
            _ => {}
        }
    }
    let cap = number(&form.cap, "cap", &mut errors).unwrap_or(f64::NAN);
    let min_land_mu = number(&form.min_land_mu, "min_land_mu", &mut errors).unwrap_or(0.0);
    let a = number(&form.a, "cutoffs", &mut errors).unwrap_or(f64::NAN);
    let b = number(&form.b, "cutoffs", &mut errors).unwrap_or(f64::NAN);
    let c = number(&form.c, "cutoffs", &mut errors).unwrap_or(f64::NAN);
    let cutoffs = if form.mode == "score" { Cutoffs::Score { a, b, c } } else { Cutoffs::Share { a, b, c } };
    if !errors.is_empty() {
        return Err(errors);
    }
    let config = EfficiencyConfig { indicators, cap, min_land_mu, cutoffs };
    // The checker names an indicator by its place among those kept; the form by its place in
    // `Indicator::ALL`.
    config.check().map_err(|errs| {
        errs.into_iter()
            .map(|mut e| {
                if let Some((kind, i)) = e.field.split_once('.') {
                    if let Some(rule) = i.parse::<usize>().ok().and_then(|i| config.indicators.get(i)) {
                        let at = Indicator::ALL.iter().position(|x| *x == rule.indicator).unwrap_or(0);
                        e.field = format!("{kind}.{at}");
                    }
                }
                e
            })
            .collect::<Vec<_>>()
    })?;
    Ok(config)
}

/// Saves the form as a new version (with its note, at most 200 characters) and regrades every
/// year under it. Returns the version and how many grades were written.
/// Errors: `Forbidden` (not a manager or admin), `Invalid` at the form's fields (see
/// [`parse_form`]), `Internal`, `Db`.
pub async fn save<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &SessionUser,
    form: &RulesForm,
) -> Result<(i64, usize), ServiceError> {
    if !actor.role.assigns_leads() {
        return Err(ServiceError::Forbidden);
    }
    let config = parse_form(form).map_err(ServiceError::Invalid)?;
    let json = serde_json::to_string(&config).map_err(|e| ServiceError::Internal(e.to_string()))?;
    let saved = efficiency_config::ActiveModel {
        config: Set(json),
        note: Set(form.note.trim().chars().take(200).collect()),
        created_by: Set(Some(actor.id)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let n = regrade_all(db).await?;
    Ok((saved.id, n))
}

/// The rules as the form shows them.
pub fn form_of(config: &EfficiencyConfig) -> RulesForm {
    let rule = |i: Indicator| config.indicators.iter().find(|r| r.indicator == i);
    let (mode, a, b, c) = match config.cutoffs {
        Cutoffs::Score { a, b, c } => ("score", a, b, c),
        Cutoffs::Share { a, b, c } => ("share", a, b, c),
    };
    RulesForm {
        weights: Indicator::ALL.iter().map(|i| rule(*i).map(|r| r.weight.to_string()).unwrap_or_default()).collect(),
        benchmarks: Indicator::ALL
            .iter()
            .map(|i| rule(*i).and_then(|r| r.benchmark).map(|b| b.to_string()).unwrap_or_default())
            .collect(),
        cap: config.cap.to_string(),
        min_land_mu: config.min_land_mu.to_string(),
        mode: mode.into(),
        a: a.to_string(),
        b: b.to_string(),
        c: c.to_string(),
        note: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_reads_back_the_rules_it_shows() {
        let config = EfficiencyConfig::default();
        assert_eq!(parse_form(&form_of(&config)), Ok(config));
    }

    #[test]
    fn errors_name_the_indicator_by_its_place_on_the_form() {
        let mut form = form_of(&EfficiencyConfig::default());
        // 单位能耗营业收入 is fourth on the form and third among the kept.
        form.benchmarks[3] = "-1".into();
        let fields: Vec<String> = parse_form(&form).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["benchmark.3"]);
        form.benchmarks[3] = "abc".into();
        assert_eq!(parse_form(&form).unwrap_err()[0].key, "err.efficiency.number");
    }
}
