//! 外出招商 on a phone: this week's visits, one visit, and what a phone sends — each write takes
//! an optional idempotency key `idem` (the service worker's queue sets one per item), so a resent
//! item is applied once. A plain form post (no key) works as any other form.
use crate::error::AppError;
use crate::wire::field::*;
use crate::wire::pipeline::ActivityForm;
use crate::wire::trips::ReportForm;
use leptos::prelude::*;

#[server(endpoint = "field/week")]
pub async fn get_field_week() -> Result<FieldWeek, AppError> {
    use crate::backend::{context, services::field_views};
    let (state, user) = context::signed_in()?;
    context::respond(field_views::week(&state.db, &user, crate::backend::services::pipeline::today()).await)
}

#[server(endpoint = "field/visit")]
pub async fn get_field_visit(id: i64) -> Result<FieldVisit, AppError> {
    use crate::backend::{context, services::field_views};
    let (state, user) = context::signed_in()?;
    context::respond(field_views::visit(&state.db, &user, id).await)
}

/// Who is signed in (the service worker sends a queued item only as its author).
#[server(endpoint = "field/me")]
pub async fn field_me() -> Result<i64, AppError> {
    let (_, user) = crate::backend::context::signed_in()?;
    Ok(user.id)
}

/// 走访纪要 from the phone.
#[server(endpoint = "field/report")]
pub async fn field_report(visit_id: i64, form: ReportForm, #[server(default)] idem: String) -> Result<(), AppError> {
    use crate::backend::{context, services::field};
    let (state, user) = context::signed_in()?;
    context::respond(field::report(&state.db, &user, &idem, visit_id, form).await)
}

/// 跟进记录 from the phone.
#[server(endpoint = "field/activity")]
pub async fn field_activity(
    lead_id: i64,
    form: ActivityForm,
    #[server(default)] idem: String,
) -> Result<i64, AppError> {
    use crate::backend::{context, services::field};
    let (state, user) = context::signed_in()?;
    context::respond(field::activity(&state.db, &user, &idem, lead_id, form).await)
}

/// 签到.
#[server(endpoint = "field/checkin")]
pub async fn field_checkin(
    visit_id: i64,
    #[server(default)] form: CheckinForm,
    #[server(default)] idem: String,
) -> Result<(), AppError> {
    use crate::backend::{context, services::field};
    let (state, user) = context::signed_in()?;
    context::respond(field::check_in(&state.db, &user, &idem, visit_id, &form).await)
}

/// The lead's notes from the phone (see `services::field::lead_notes`).
#[server(endpoint = "field/lead-notes")]
pub async fn field_lead_notes(
    lead_id: i64,
    #[server(default)] version: String,
    #[server(default)] notes: String,
    #[server(default)] idem: String,
) -> Result<(), AppError> {
    use crate::backend::{context, services::field};
    let (state, user) = context::signed_in()?;
    context::respond(field::lead_notes(&state.db, &user, &idem, lead_id, &version, &notes).await)
}

/// A company met on the road; a plain post lands on `/field`.
#[server(endpoint = "field/lead")]
pub async fn field_new_lead(form: QuickLeadForm, #[server(default)] idem: String) -> Result<i64, AppError> {
    use crate::backend::{context, services::field};
    let (state, user) = context::signed_in()?;
    let id = context::respond(field::quick_lead(&state.db, &user, &idem, &form).await)?;
    leptos_axum::redirect(&format!("/field?lead={id}"));
    Ok(id)
}

/// The messages of a refused item, in the reader's language (the offline queue shows them beside
/// the item): `error` is the JSON of the `AppError` the write answered with.
#[server(endpoint = "field/explain")]
pub async fn field_explain(error: String) -> Result<Vec<String>, AppError> {
    use crate::backend::context;
    use crate::i18n::{tr, tr_args};
    let (_, user) = context::signed_in()?;
    let Ok(err) = serde_json::from_str::<AppError>(&error) else {
        return Ok(vec![tr(user.locale, "err.internal").to_string()]);
    };
    let mut lines = vec![tr(user.locale, err.message_key()).to_string()];
    if let AppError::Conflict(key) = &err {
        lines.push(tr(user.locale, key).to_string());
    }
    // What changed on the server since the phone's copy: who, when, old → new.
    if let AppError::Stale(changes) = &err {
        for c in changes {
            let code_value = |v: &str| match c.field.as_str() {
                "industry" | "stage" | "channel" | "sector" if !v.is_empty() => {
                    tr(user.locale, &format!("{}.{v}", c.field)).to_string()
                }
                _ if v.is_empty() => "—".to_string(),
                _ => v.to_string(),
            };
            let label = tr(user.locale, crate::wire::leads::field_label(&c.field));
            lines.push(format!("{label}: {} → {} ({} · {})", code_value(&c.old), code_value(&c.new), c.who, c.at));
        }
    }
    for e in err.field_errors() {
        let label_key = format!("sync.field.{}", e.field);
        let label = match tr(user.locale, &label_key) {
            same if same == label_key => e.field.as_str(),
            label => label,
        };
        lines.push(format!("{label}: {}", tr_args(user.locale, &e.key, &e.args)));
    }
    Ok(lines)
}
