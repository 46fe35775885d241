//! `/api/v1/leads`: the list with the UI's filters, one lead, create, update with the version
//! check, and a lead's 跟进记录 — all through the services the pages use.

use super::error::ApiError;
use super::types::{ActivityInput, Created, ErrorBody, FieldValue, Lead, LeadInput, LeadPage};
use super::{Body, Caller};
use app::backend::services::{lead_list, leads, pipeline, ServiceError};
use app::backend::AppState;
use app::domain::lead::{FieldError, LeadForm};
use app::domain::lead_filter::LeadFilter;
use app::wire::auth::SessionUser;
use app::wire::pipeline::ActivityView;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use std::collections::HashMap;

/// One lead with its contacts, as the single-lead operations answer.
async fn one(state: &AppState, user: &SessionUser, id: i64) -> Result<Lead, ApiError> {
    let (l, contacts) = leads::with_contacts(&state.db, user, id).await?;
    Ok(Lead { contacts: Some(contacts), ..Lead::of(l) })
}

#[utoipa::path(
    get,
    path = "/api/v1/leads",
    tag = "leads",
    summary = "List leads",
    description = "The leads the caller may see, with the list page's filters and sorts.",
    params(
        ("group" = Option<String>, Query, description = "Region group: yrd (长三角), prd (珠三角), domestic, overseas"),
        ("industry" = Option<String>, Query, description = "Industry code"),
        ("stage" = Option<String>, Query, description = "Stage code"),
        ("channel" = Option<String>, Query, description = "Channel code"),
        ("owner" = Option<String>, Query, description = "Owner id, `me`, or `none` (unassigned)"),
        ("team" = Option<i64>, Query, description = "招商专班 id"),
        ("grade" = Option<String>, Query, description = "Fit grade A–D"),
        ("node" = Option<i64>, Query, description = "Chain node id"),
        ("major" = Option<String>, Query, description = "`1` or `true`: 重大项目 only"),
        ("region" = Option<String>, Query, description = "GB/T 2260 division: 2 digits a province, 4 a city, 6 a county"),
        ("import" = Option<i64>, Query, description = "Import batch id: the leads it created"),
        ("q" = Option<String>, Query, description = "Company name (or part of it)"),
        ("sort" = Option<String>, Query, description = "updated, created, name, investment or score; a leading `-` sorts descending (`-score`: best first). Default `-updated`"),
        ("page" = Option<u64>, Query, description = "From 1"),
        ("per_page" = Option<u64>, Query, description = "1–200, default 50"),
    ),
    responses(
        (status = 200, description = "A page of leads", body = LeadPage),
        (status = 422, description = "A filter value is not valid", body = ErrorBody),
    ),
)]
pub async fn list_leads(
    State(state): State<AppState>,
    Caller(user): Caller,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<LeadPage>, ApiError> {
    let filter = LeadFilter::from_pairs(|k| q.get(k).map(String::as_str));
    let per_page: u64 = q.get("per_page").and_then(|v| v.parse().ok()).unwrap_or(50).clamp(1, 200);
    let page: u64 = q.get("page").and_then(|v| v.parse().ok()).unwrap_or(1).max(1);
    let (rows, total, more) = lead_list::models(&state.db, &state.counts, &user, &filter, page, per_page).await?;
    let rows = rows.into_iter().map(Lead::of).collect();
    Ok(Json(LeadPage { rows, total, total_is_lower_bound: more, page, per_page }))
}

#[utoipa::path(
    post,
    path = "/api/v1/leads",
    tag = "leads",
    summary = "Create a lead",
    description = "Amounts may be written as 3000, \"1.5亿\" or \"3000万\". Stage defaults to clue, channel to other.",
    request_body = LeadInput,
    responses(
        (status = 201, description = "Created", body = Lead),
        (status = 403, description = "The caller's role does not create leads (领导 read only)", body = ErrorBody),
        (status = 422, description = "Invalid fields (a USCC another lead has is one)", body = ErrorBody),
    ),
)]
pub async fn create_lead(
    State(state): State<AppState>,
    Caller(user): Caller,
    Body(input): Body<LeadInput>,
) -> Result<(StatusCode, Json<Lead>), ApiError> {
    let mut form = LeadForm { stage: "clue".into(), channel: "other".into(), ..Default::default() };
    input.overlay(&mut form);
    let id = leads::create(&state.db, &user, form.parse().map_err(ServiceError::Invalid)?).await?;
    Ok((StatusCode::CREATED, Json(one(&state, &user, id).await?)))
}

#[utoipa::path(
    get,
    path = "/api/v1/leads/{id}",
    tag = "leads",
    summary = "One lead, with its contacts",
    params(("id" = i64, Path, description = "Lead id")),
    responses(
        (status = 200, description = "The lead", body = Lead),
        (status = 404, description = "Not found, or not yours to see", body = ErrorBody),
    ),
)]
pub async fn get_lead(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
) -> Result<Json<Lead>, ApiError> {
    Ok(Json(one(&state, &user, id).await?))
}

#[utoipa::path(
    patch,
    path = "/api/v1/leads/{id}",
    tag = "leads",
    summary = "Update a lead",
    description = "Only the keys sent change. `version` must be the one read (409 `stale` with the changes otherwise).",
    params(("id" = i64, Path, description = "Lead id")),
    request_body = LeadInput,
    responses(
        (status = 200, description = "The saved lead", body = Lead),
        (status = 403, description = "Not yours to edit", body = ErrorBody),
        (status = 404, description = "Not found, or not yours to see", body = ErrorBody),
        (status = 409, description = "Stale version: `changes` says what changed since", body = ErrorBody),
        (status = 422, description = "Invalid fields (a USCC another lead has is one)", body = ErrorBody),
    ),
)]
pub async fn update_lead(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
    Body(input): Body<LeadInput>,
) -> Result<Json<Lead>, ApiError> {
    if !matches!(&input.version, FieldValue::Sent(v) if !v.trim().is_empty()) {
        return Err(ServiceError::Invalid(vec![FieldError::new("version", "err.required")]).into());
    }
    let mut form = leads::edit_form(&state.db, &user, id).await?.form;
    input.overlay(&mut form);
    leads::update(&state.db, &user, id, form.parse().map_err(ServiceError::Invalid)?).await?;
    Ok(Json(one(&state, &user, id).await?))
}

#[utoipa::path(
    get,
    path = "/api/v1/leads/{id}/activities",
    tag = "leads",
    summary = "A lead's activities, newest first",
    params(("id" = i64, Path, description = "Lead id")),
    responses(
        (status = 200, description = "跟进记录", body = Vec<ActivityView>),
        (status = 404, description = "Not found, or not yours to see", body = ErrorBody),
    ),
)]
pub async fn list_activities(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
) -> Result<Json<Vec<ActivityView>>, ApiError> {
    Ok(Json(pipeline::activities(&state.db, &user, id).await?))
}

#[utoipa::path(
    post,
    path = "/api/v1/leads/{id}/activities",
    tag = "leads",
    summary = "Log an activity on a lead",
    params(("id" = i64, Path, description = "Lead id")),
    request_body = ActivityInput,
    responses(
        (status = 201, description = "Logged", body = Created),
        (status = 403, description = "Not yours to edit", body = ErrorBody),
        (status = 404, description = "Not found, or not yours to see", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    ),
)]
pub async fn create_activity(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
    Body(input): Body<ActivityInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = pipeline::log_activity(&state.db, &user, id, input.into_form()).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}
