//! 承诺履约: actual figures per year for signed projects, read against the commitments.

use super::access::{can_edit_lead, find_readable, visible_to};
use super::ServiceError;
use crate::backend::entities::{commitment, lead, project_actual};
use crate::backend::Settings;
use crate::domain::lead::FieldError;
use crate::domain::money::parse_wan;
use crate::domain::period::completion;
use crate::wire::auth::SessionUser;
use crate::wire::fulfilment::{ActualForm, ActualRow, Fulfilment};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

/// The figures and percentages (pure: from the rows).
pub fn assess(
    l: &lead::Model,
    c: &commitment::Model,
    rows: Vec<project_actual::Model>,
    threshold: f64,
    can_edit: bool,
) -> Fulfilment {
    let mut years: Vec<ActualRow> = rows
        .into_iter()
        .map(|r| ActualRow {
            year: r.year,
            investment_wan: r.investment_wan,
            output_wan: r.output_wan,
            tax_wan: r.tax_wan,
        })
        .collect();
    years.sort_by_key(|r| r.year);
    let invested: Option<f64> = years.iter().filter_map(|r| r.investment_wan).reduce(|a, b| a + b);
    let latest = |f: fn(&ActualRow) -> Option<f64>| years.iter().rev().find_map(f);
    let actual = [invested, latest(|r| r.output_wan), latest(|r| r.tax_wan)];
    let committed = [Some(c.investment_wan), c.output_wan, c.tax_wan];
    let percent: [Option<f64>; 3] = std::array::from_fn(|i| match (actual[i], committed[i]) {
        (Some(a), Some(t)) => completion(a, t),
        _ => None,
    });
    Fulfilment {
        lead_id: l.id,
        company_name: l.company_name.clone(),
        warn: !years.is_empty() && percent.iter().flatten().any(|p| *p < threshold),
        committed,
        years,
        actual,
        percent,
        threshold,
        can_edit,
    }
}

/// The 承诺履约 of lead `lead_id`: its commitment against the actual figures per year (万元;
/// investment summed, output and tax the latest year's, completion in %), flagged below
/// `fulfilment_warn_pct`; `None` if the lead has no commitment (not signed).
/// Errors: `NotFound`/`Hidden` (lead missing, deleted or not readable), `Db`.
pub async fn of_lead(
    db: &impl ConnectionTrait,
    settings: &Settings,
    actor: &SessionUser,
    lead_id: i64,
) -> Result<Option<Fulfilment>, ServiceError> {
    let l = find_readable(db, actor, lead_id).await?;
    let Some(c) = commitment::Entity::find_by_id(lead_id).one(db).await? else { return Ok(None) };
    let rows = project_actual::Entity::find().filter(project_actual::Column::LeadId.eq(lead_id)).all(db).await?;
    let can_edit = can_edit_lead(actor, &l);
    Ok(Some(assess(&l, &c, rows, settings.fulfilment_warn_pct, can_edit)))
}

/// Records one year's actual investment, output and tax (万元, each optional but not all empty)
/// for a signed lead, replacing that year's figures. Anyone who may change the lead.
/// Errors: `NotFound`/`Hidden` (lead missing, deleted or not readable), `Forbidden`,
/// `Conflict("err.fulfilment.not_signed")` (no commitment), `Invalid` at `year` (not 2000–2100),
/// `investment`/`output`/`tax` (not a non-negative amount; `err.fulfilment.empty` on
/// `investment` when all three are empty), `Db`.
pub async fn save(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    lead_id: i64,
    form: ActualForm,
) -> Result<(), ServiceError> {
    let l = find_readable(db, actor, lead_id).await?;
    if !can_edit_lead(actor, &l) {
        return Err(ServiceError::Forbidden);
    }
    if commitment::Entity::find_by_id(lead_id).one(db).await?.is_none() {
        return Err(ServiceError::Conflict("err.fulfilment.not_signed".into()));
    }
    let mut errors = Vec::new();
    let year = match form.year.trim().parse::<i32>() {
        Ok(y) if (2000..=2100).contains(&y) => y,
        _ => {
            errors.push(FieldError::new("year", "err.year"));
            0
        }
    };
    let mut amount = |field: &str, raw: &str| -> Option<f64> {
        if raw.trim().is_empty() {
            return None;
        }
        match parse_wan(raw) {
            Ok(v) if v >= 0.0 => Some(v),
            _ => {
                errors.push(FieldError::new(field, "err.number"));
                None
            }
        }
    };
    let (investment, output, tax) =
        (amount("investment", &form.investment), amount("output", &form.output), amount("tax", &form.tax));
    if errors.is_empty() && investment.is_none() && output.is_none() && tax.is_none() {
        errors.push(FieldError::new("investment", "err.fulfilment.empty"));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    project_actual::Entity::delete_many()
        .filter(project_actual::Column::LeadId.eq(lead_id))
        .filter(project_actual::Column::Year.eq(year))
        .exec(db)
        .await?;
    project_actual::ActiveModel {
        lead_id: Set(lead_id),
        year: Set(year),
        investment_wan: Set(investment),
        output_wan: Set(output),
        tax_wan: Set(tax),
        recorded_by: Set(actor.id),
        recorded_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// 承诺履约 of every signed lead `actor` may see: those with a warning first, then those with
/// figures, then those without.
/// Errors: `Db` only.
pub async fn list(
    db: &impl ConnectionTrait,
    settings: &Settings,
    actor: &SessionUser,
) -> Result<Vec<Fulfilment>, ServiceError> {
    let commitments = commitment::Entity::find().order_by_desc(commitment::Column::RecordedAt).all(db).await?;
    let leads = visible_to(lead::Entity::find(), actor)
        .filter(lead::Column::Id.is_in(commitments.iter().map(|c| c.lead_id)))
        .all(db)
        .await?;
    let actuals = project_actual::Entity::find()
        .filter(project_actual::Column::LeadId.is_in(leads.iter().map(|l| l.id)))
        .all(db)
        .await?;
    let mut out: Vec<Fulfilment> = leads
        .iter()
        .filter_map(|l| {
            let c = commitments.iter().find(|c| c.lead_id == l.id)?;
            let rows = actuals.iter().filter(|a| a.lead_id == l.id).cloned().collect();
            Some(assess(l, c, rows, settings.fulfilment_warn_pct, can_edit_lead(actor, l)))
        })
        .collect();
    out.sort_by_key(|f| (!f.warn, f.years.is_empty()));
    Ok(out)
}
