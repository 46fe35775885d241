use crate::domain::lead::LeadForm;
use crate::domain::lead_filter::LeadFilter;
use crate::error::AppError;
use crate::wire::leads::*;
use leptos::prelude::*;

#[server(endpoint = "leads/list")]
pub async fn list_leads(#[server(default)] filter: LeadFilter) -> Result<LeadPage, AppError> {
    use crate::backend::{context, services::lead_list};
    let (state, user) = context::signed_in()?;
    context::respond(lead_list::list(&state.db, &state.counts, &user, &filter).await)
}

#[server(endpoint = "leads/get")]
pub async fn get_lead(id: i64) -> Result<LeadDetail, AppError> {
    use crate::backend::{context, services::leads};
    let (state, user) = context::signed_in()?;
    context::respond(leads::detail(&state.db, &user, id).await)
}

#[server(endpoint = "leads/edit-form")]
pub async fn lead_edit_form(id: i64) -> Result<LeadEdit, AppError> {
    use crate::backend::{context, services::leads};
    let (state, user) = context::signed_in()?;
    context::respond(leads::edit_form(&state.db, &user, id).await)
}

/// Creates (no `id`) or updates a lead. On success the browser goes to the lead's page; a
/// refused plain post leaves what was typed for the form it returns to (`flash::lead_draft_key`).
#[server(endpoint = "leads/save")]
pub async fn save_lead(id: Option<i64>, form: LeadForm) -> Result<i64, AppError> {
    use crate::backend::{context, services::leads};
    let (state, user) = context::signed_in()?;
    let saved = match form.parse() {
        Err(mut e) => {
            // A USCC another lead has is said now too, not after the other fields are mended.
            if !e.iter().any(|f| f.field == "uscc") {
                match leads::uscc_refusal(&state.db, &user, &form, id).await {
                    Ok(found) => e.extend(found),
                    Err(err) => tracing::warn!(error = %err, "checking the USCC beside a refused form"),
                }
            }
            Err(context::fail(AppError::Invalid(e)))
        }
        Ok(input) => context::respond(match id {
            None => leads::create(&state.db, &user, input).await,
            Some(id) => leads::update(&state.db, &user, id, input).await.map(|_| id),
        }),
    };
    let saved = context::keep_typed_if_refused(super::flash::LEAD_DRAFT, &(id, &form), saved)?;
    leptos_axum::redirect(&format!("/leads/{saved}"));
    Ok(saved)
}

/// The region a USCC's registering authority sits in, if the code is valid and known.
#[server(endpoint = "leads/region-of")]
pub async fn region_of_uscc(uscc: String) -> Result<Option<RegionView>, AppError> {
    use crate::backend::{context, regions::divisions};
    use crate::domain::uscc::Uscc;
    context::signed_in()?;
    let Ok(code) = Uscc::parse(&uscc) else {
        return Ok(None);
    };
    let d = divisions();
    Ok(d.resolve(code.division_code()).map(|r| d.view(&r)))
}

/// Leads that may be the same company (same USCC or same normalised name).
#[server(endpoint = "leads/similar")]
pub async fn similar_leads(
    company_name: String,
    uscc: String,
    exclude: Option<i64>,
) -> Result<Vec<DuplicateHint>, AppError> {
    use crate::backend::{context, services::duplicate_hints};
    let (state, user) = context::signed_in()?;
    context::respond(duplicate_hints::similar(&state.db, &user, &company_name, &uscc, exclude).await)
}

#[server(endpoint = "regions/tree")]
pub async fn region_tree() -> Result<Vec<ProvinceOption>, AppError> {
    use crate::backend::{context, regions::divisions};
    context::signed_in()?;
    Ok(divisions().tree().to_vec())
}

/// The name of a province (2 digits), city (4) or county (6): "江苏省", "苏州市", "姑苏区"; of an
/// overseas area (`OS-TW`, or the 71/81/82 shapes that stand for 台湾 and 港澳) in the reader's
/// language: "台湾地区".
#[server(endpoint = "regions/name")]
pub async fn region_name(code: String) -> Result<String, AppError> {
    use crate::backend::{context, services::map_svg::place_name};
    let (_, user) = context::signed_in()?;
    Ok(place_name(code.trim(), user.locale))
}
