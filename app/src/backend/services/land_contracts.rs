//! 标准地 承诺履约复核: a signed project's land contract (area, committed 投资强度, 亩均税收,
//! 亩均产出, review date) read against the actual figures of 承诺履约 — breaches once the review
//! date has passed, and early warnings before it (`domain::land_review`). Staff record the
//! contracts of leads they may change, managers all, leaders read.

use super::access::{can_edit_lead, find_readable, visible_to};
use super::pipeline::today;
use super::plan_rows::editable_plan;
use super::ServiceError;
use crate::backend::entities::{commitment, land_contract, lead, project_actual};
use crate::domain::land_review::{months_until, review, LandTerms, YearFigures};
use crate::domain::lead::FieldError;
use crate::domain::money::parse_quantity;
use crate::domain::project_plan::parse_day;
use crate::wire::auth::SessionUser;
use crate::wire::land::{LandForm, LandPanel, LandReview};
use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

/// Largest area accepted (亩) and largest figure per 亩 (万元).
const MAX_MU: f64 = 1_000_000.0;
const MAX_PER_MU: f64 = 1_000_000.0;

fn assess(
    l: &lead::Model,
    c: &land_contract::Model,
    actuals: &[project_actual::Model],
    today: NaiveDate,
) -> LandReview {
    let terms = LandTerms {
        land_mu: c.land_mu,
        intensity: c.intensity,
        tax_per_mu: c.tax_per_mu,
        output_per_mu: c.output_per_mu,
        signed_on: c.signed_on,
        review_on: c.review_on,
    };
    let years: Vec<YearFigures> = actuals
        .iter()
        .filter(|a| a.lead_id == l.id)
        .map(|a| YearFigures { year: a.year, investment: a.investment_wan, output: a.output_wan, tax: a.tax_wan })
        .collect();
    let checks = review(&terms, &years, today);
    LandReview {
        lead_id: l.id,
        company_name: l.company_name.clone(),
        contract_no: c.contract_no.clone(),
        land_mu: c.land_mu,
        signed_on: c.signed_on.to_string(),
        full_output_on: c.full_output_on.map(|d| d.to_string()),
        review_on: c.review_on.to_string(),
        reviewed: today >= c.review_on,
        months_to_review: months_until(today, c.review_on),
        breach: checks.iter().any(|c| c.breach),
        warning: checks.iter().any(|c| c.warning),
        checks,
    }
}

/// The land panel of lead `lead_id`: the review on today (Asia/Shanghai) if a contract is
/// recorded, and the form's values (the contract's, else the area committed at 签约). `None`
/// before 签约.
/// Errors: `NotFound`/`Hidden` (see `access::find_readable`), `Db`.
pub async fn panel(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    lead_id: i64,
) -> Result<Option<LandPanel>, ServiceError> {
    let l = find_readable(db, actor, lead_id).await?;
    let Some(signed) = commitment::Entity::find_by_id(lead_id).one(db).await? else { return Ok(None) };
    let contract = land_contract::Entity::find_by_id(lead_id).one(db).await?;
    let actuals = project_actual::Entity::find().filter(project_actual::Column::LeadId.eq(lead_id)).all(db).await?;
    let fmt = |v: Option<f64>| v.map(|v| format!("{v}")).unwrap_or_default();
    let form = match &contract {
        Some(c) => LandForm {
            contract_no: c.contract_no.clone(),
            land_mu: fmt(Some(c.land_mu)),
            intensity: fmt(c.intensity),
            tax_per_mu: fmt(c.tax_per_mu),
            output_per_mu: fmt(c.output_per_mu),
            signed_on: c.signed_on.to_string(),
            full_output_on: c.full_output_on.map(|d| d.to_string()).unwrap_or_default(),
            review_on: c.review_on.to_string(),
        },
        None => LandForm { land_mu: fmt(signed.land_mu), ..Default::default() },
    };
    Ok(Some(LandPanel {
        review: contract.as_ref().map(|c| assess(&l, c, &actuals, today())),
        form,
        can_edit: can_edit_lead(actor, &l),
    }))
}

/// Records (replaces) the 标准地 contract of signed lead `lead_id`: area (亩, > 0), the committed
/// indicators (万元/亩, each optional but not all empty), signing, 达产 and review dates (the review
/// after the signing; 达产 between them).
/// Errors: `NotFound`/`Hidden`/`Forbidden` (lead), `Conflict("err.plan.not_signed")`, `Invalid`
/// at `land_mu` (missing, not a number, not > 0), `intensity`/`tax_per_mu`/`output_per_mu` (not
/// a number; `err.land.none` on `intensity` when all are empty), `signed_on`/`review_on`
/// (missing or not a date; `err.land.review_before` on `review_on` before the signing),
/// `full_output_on` (not a date, or outside the two), `contract_no` (over 50 characters); `Db`.
pub async fn save(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    lead_id: i64,
    form: LandForm,
) -> Result<(), ServiceError> {
    editable_plan(db, actor, lead_id).await?;
    let mut errors = Vec::new();
    let mut amount = |field: &str, raw: &str, max: f64, required: bool| -> Option<f64> {
        if raw.trim().is_empty() {
            if required {
                errors.push(FieldError::new(field, "err.required"));
            }
            return None;
        }
        match parse_quantity(raw, max) {
            Ok(v) if !required || v > 0.0 => Some(v),
            _ => {
                errors.push(FieldError::new(field, "err.number"));
                None
            }
        }
    };
    let land_mu = amount("land_mu", &form.land_mu, MAX_MU, true);
    let intensity = amount("intensity", &form.intensity, MAX_PER_MU, false);
    let tax = amount("tax_per_mu", &form.tax_per_mu, MAX_PER_MU, false);
    let output = amount("output_per_mu", &form.output_per_mu, MAX_PER_MU, false);
    if form.contract_no.trim().chars().count() > 50 {
        errors.push(FieldError::new("contract_no", "err.too_long").with("max", 50));
    }
    let mut date = |field: &str, raw: &str, required: bool| -> Option<NaiveDate> {
        match raw.trim() {
            "" => {
                if required {
                    errors.push(FieldError::new(field, "err.required"));
                }
                None
            }
            raw => parse_day(raw).or_else(|| {
                errors.push(FieldError::new(field, "err.date"));
                None
            }),
        }
    };
    let signed_on = date("signed_on", &form.signed_on, true);
    let review_on = date("review_on", &form.review_on, true);
    let full_output_on = date("full_output_on", &form.full_output_on, false);
    if let (Some(s), Some(r)) = (signed_on, review_on) {
        if r <= s {
            errors.push(FieldError::new("review_on", "err.land.review_before"));
        } else if full_output_on.is_some_and(|f| f < s || f > r) {
            errors.push(FieldError::new("full_output_on", "err.land.full_output_between"));
        }
    }
    let numbers_ok = !errors.iter().any(|e| ["intensity", "tax_per_mu", "output_per_mu"].contains(&e.field.as_str()));
    if numbers_ok && intensity.is_none() && tax.is_none() && output.is_none() {
        errors.push(FieldError::new("intensity", "err.land.none"));
    }
    let (Some(land_mu), Some(signed_on), Some(review_on)) = (land_mu, signed_on, review_on) else {
        return Err(ServiceError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    land_contract::Entity::delete_by_id(lead_id).exec(db).await?;
    land_contract::ActiveModel {
        lead_id: Set(lead_id),
        contract_no: Set(form.contract_no.trim().to_string()),
        land_mu: Set(land_mu),
        intensity: Set(intensity),
        tax_per_mu: Set(tax),
        output_per_mu: Set(output),
        signed_on: Set(signed_on),
        full_output_on: Set(full_output_on),
        review_on: Set(review_on),
        recorded_by: Set(actor.id),
        recorded_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Every 标准地 contract of the leads `actor` may see, reviewed on today: breaches first, then
/// early warnings, then the rest by review date.
/// Errors: `Db`.
pub async fn list(db: &impl ConnectionTrait, actor: &SessionUser) -> Result<Vec<LandReview>, ServiceError> {
    let contracts = land_contract::Entity::find().all(db).await?;
    let leads = visible_to(lead::Entity::find(), actor)
        .filter(lead::Column::Id.is_in(contracts.iter().map(|c| c.lead_id)))
        .all(db)
        .await?;
    let actuals = project_actual::Entity::find()
        .filter(project_actual::Column::LeadId.is_in(leads.iter().map(|l| l.id)))
        .all(db)
        .await?;
    let today = today();
    let mut out: Vec<LandReview> = leads
        .iter()
        .filter_map(|l| contracts.iter().find(|c| c.lead_id == l.id).map(|c| assess(l, c, &actuals, today)))
        .collect();
    out.sort_by(|a, b| (!a.breach, !a.warning, &a.review_on).cmp(&(!b.breach, !b.warning, &b.review_on)));
    Ok(out)
}
