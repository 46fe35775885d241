//! The JSON API under `/api/v1`, for scripts and other systems: leads (list with the UI's
//! filters, get, create, update with the version check), their activities, teams and trips.
//! `Authorization: Bearer TOKEN` (personal tokens, `/me` or `lianzhao create-token`); the same
//! services — so the same role and team rules — as the pages. The route table below builds both
//! the router and `/api/v1/openapi.json`, so a route cannot exist undocumented.

use app::backend::entities::{activity, lead};
use app::backend::services::{access, api_tokens, lead_list, leads, pipeline, scoring, teams, trips, ServiceError};
use app::backend::AppState;
use app::domain::lead::{ContactForm, LeadForm};
use app::domain::lead_filter::LeadFilter;
use app::i18n::{tr_args, Locale};
use app::wire::auth::SessionUser;
use app::wire::pipeline::ActivityForm;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, MethodRouter};
use axum::{Json, Router};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

mod openapi;
pub use openapi::openapi;

/// One documented route: method, path (OpenAPI style), summary, request schema, response schema.
pub struct RouteDoc {
    pub method: &'static str,
    pub path: &'static str,
    pub summary: &'static str,
    pub body: Option<&'static str>,
    pub response: &'static str,
}

pub const ROUTES: &[RouteDoc] = &[
    RouteDoc { method: "get", path: "/api/v1/leads", summary: "List leads (filters: group, industry, stage, channel, owner, grade, node, major, q, sort; page, per_page ≤ 200)", body: None, response: "LeadPage" },
    RouteDoc { method: "post", path: "/api/v1/leads", summary: "Create a lead", body: Some("LeadInput"), response: "Lead" },
    RouteDoc { method: "get", path: "/api/v1/leads/{id}", summary: "One lead", body: None, response: "Lead" },
    RouteDoc { method: "patch", path: "/api/v1/leads/{id}", summary: "Update a lead; `version` must be the one read (409 otherwise)", body: Some("LeadInput"), response: "Lead" },
    RouteDoc { method: "get", path: "/api/v1/leads/{id}/activities", summary: "A lead's activities, newest first", body: None, response: "ActivityList" },
    RouteDoc { method: "post", path: "/api/v1/leads/{id}/activities", summary: "Log an activity on a lead", body: Some("ActivityInput"), response: "Created" },
    RouteDoc { method: "get", path: "/api/v1/teams", summary: "Teams with members, focus and targets", body: None, response: "TeamList" },
    RouteDoc { method: "get", path: "/api/v1/teams/{id}", summary: "One team", body: None, response: "Team" },
    RouteDoc { method: "get", path: "/api/v1/trips", summary: "Trips (filters: status, team, mine=1)", body: None, response: "TripList" },
    RouteDoc { method: "get", path: "/api/v1/trips/{id}", summary: "One trip with its visits", body: None, response: "Trip" },
    RouteDoc { method: "get", path: "/api/v1/openapi.json", summary: "This document", body: None, response: "OpenApi" },
];

pub enum ApiError {
    Unauthorized,
    BadRequest(String),
    Service(ServiceError, Locale),
}

impl From<(ServiceError, Locale)> for ApiError {
    fn from((e, l): (ServiceError, Locale)) -> Self {
        ApiError::Service(e, l)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, json!({"error": "unauthorized"})),
            ApiError::BadRequest(m) => (StatusCode::BAD_REQUEST, json!({"error": "bad_request", "message": m})),
            ApiError::Service(e, locale) => match e {
                ServiceError::NotFound => (StatusCode::NOT_FOUND, json!({"error": "not_found"})),
                ServiceError::Hidden(record) => {
                    let mut res = (StatusCode::NOT_FOUND, Json(json!({"error": "not_found"}))).into_response();
                    crate::security::mark_hidden(&mut res, &record);
                    return res;
                }
                ServiceError::Forbidden => (StatusCode::FORBIDDEN, json!({"error": "forbidden"})),
                ServiceError::Invalid(errors) => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    json!({"error": "invalid", "fields": errors.iter().map(|f| json!({
                        "field": f.field,
                        "code": f.key,
                        "message": tr_args(locale, &f.key, &f.args),
                        "args": f.args.iter().cloned().collect::<HashMap<String, String>>(),
                    })).collect::<Vec<_>>()}),
                ),
                ServiceError::Conflict(key) => {
                    (StatusCode::CONFLICT, json!({"error": "conflict", "message": tr_args(locale, &key, &[])}))
                }
                ServiceError::Stale(changes) => (
                    StatusCode::CONFLICT,
                    json!({"error": "stale", "changes": changes.iter().map(|c| json!({
                        "field": c.field, "old": c.old, "new": c.new, "who": c.who, "at": c.at, "version": c.version
                    })).collect::<Vec<_>>()}),
                ),
                other => {
                    tracing::error!(error = %other, "api request failed");
                    (StatusCode::INTERNAL_SERVER_ERROR, json!({"error": "internal"}))
                }
            },
        };
        (status, Json(body)).into_response()
    }
}

type ApiResult = Result<Response, ApiError>;

fn locale_of(headers: &HeaderMap) -> Locale {
    let lang = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if lang.trim_start().starts_with("en") {
        Locale::En
    } else {
        Locale::ZhCn
    }
}

/// The caller, by bearer token.
async fn caller(state: &AppState, headers: &HeaderMap) -> Result<(SessionUser, Locale), ApiError> {
    let locale = locale_of(headers);
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or(ApiError::Unauthorized)?;
    match api_tokens::resolve(&state.db, token).await {
        Ok(Some(user)) => Ok((user, locale)),
        Ok(None) => Err(ApiError::Unauthorized),
        Err(e) => Err(ApiError::Service(e, locale)),
    }
}

fn lead_json(l: &lead::Model) -> Value {
    let region = app::backend::regions::divisions().view(
        &app::domain::region::RegionCode::parse(&l.region_code)
            .unwrap_or(app::domain::region::RegionCode::Overseas(app::domain::region::OverseasArea::Other)),
    );
    json!({
        "id": l.id,
        "version": l.version,
        "company_name": l.company_name,
        "uscc": l.uscc,
        "region_code": l.region_code,
        "region_names": region.names,
        "region_group": region.group.as_str(),
        "industry": l.industry,
        "sector": l.sector,
        "stage": l.stage,
        "channel": l.channel,
        "planned_investment_wan": l.planned_investment_wan,
        "land_mu": l.land_mu,
        "annual_output_wan": l.annual_output_wan,
        "annual_tax_wan": l.annual_tax_wan,
        "jobs": l.jobs,
        "high_tech": l.high_tech,
        "specialised": l.specialised,
        "listed": l.listed,
        "energy_use": l.energy_use,
        "score": l.score,
        "grade": l.grade,
        "owner_id": l.owner_id,
        "team_id": l.team_id,
        "notes": l.notes,
        "created_at": l.created_at,
        "updated_at": l.updated_at,
    })
}

/// A field of a JSON body as the form's text (numbers become their digits).
fn text(body: &Map<String, Value>, key: &str) -> Option<String> {
    match body.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Null => Some(String::new()),
        Value::Bool(b) => Some(if *b { "yes" } else { "no" }.into()),
        _ => None,
    }
}

/// Where a JSON key goes in the lead form.
type FormField = fn(&mut LeadForm) -> &mut String;

/// JSON keys → the lead form's fields.
const LEAD_FIELDS: &[(&str, FormField)] = &[
    ("company_name", |f| &mut f.company_name),
    ("uscc", |f| &mut f.uscc),
    ("region_code", |f| &mut f.region_code),
    ("industry", |f| &mut f.industry),
    ("sector", |f| &mut f.sector),
    ("channel", |f| &mut f.channel),
    ("stage", |f| &mut f.stage),
    ("planned_investment_wan", |f| &mut f.planned_investment),
    ("land_mu", |f| &mut f.land_mu),
    ("annual_output_wan", |f| &mut f.annual_output),
    ("annual_tax_wan", |f| &mut f.annual_tax),
    ("jobs", |f| &mut f.jobs),
    ("owner_id", |f| &mut f.owner_id),
    ("high_tech", |f| &mut f.high_tech),
    ("specialised", |f| &mut f.specialised),
    ("listed", |f| &mut f.listed),
    ("energy_use", |f| &mut f.energy_use),
    ("notes", |f| &mut f.notes),
    ("version", |f| &mut f.version),
];

/// Puts the body's fields over `form`. `contacts`, when present, replaces the list: an array of
/// `{name, title, phone, email}` (each optional), `null` or `[]` for none.
fn overlay(form: &mut LeadForm, body: &Map<String, Value>) -> Result<(), ApiError> {
    for (key, field) in LEAD_FIELDS {
        if let Some(v) = text(body, key) {
            *field(form) = v;
        }
    }
    match body.get("contacts") {
        None => {}
        Some(Value::Null) => form.contacts.clear(),
        Some(v) => {
            form.contacts = serde_json::from_value::<Vec<ContactForm>>(v.clone())
                .map_err(|e| ApiError::BadRequest(format!("contacts: {e}")))?;
        }
    }
    Ok(())
}

/// One lead as the API answers it: the list's fields and its contacts.
async fn lead_with_contacts(state: &AppState, user: &SessionUser, l: &lead::Model, locale: Locale) -> ApiResult {
    let contacts = leads::contacts(&state.db, user, l.id).await.map_err(|e| ApiError::Service(e, locale))?;
    let mut body = lead_json(l);
    body["contacts"] = json!(contacts);
    Ok(Json(body).into_response())
}

async fn fetch(state: &AppState, user: &SessionUser, id: i64, locale: Locale) -> Result<lead::Model, ApiError> {
    access::find_readable(&state.db, user, id).await.map_err(|e| ApiError::Service(e, locale))
}

async fn list_leads(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult {
    let (user, locale) = caller(&state, &headers).await?;
    let filter = LeadFilter::from_pairs(|k| q.get(k).map(String::as_str));
    let per_page: u64 = q.get("per_page").and_then(|v| v.parse().ok()).unwrap_or(50).clamp(1, 200);
    let page: u64 = q.get("page").and_then(|v| v.parse().ok()).unwrap_or(1).max(1);
    let major_project_wan = scoring::major_project_wan(&state.db).await.map_err(|e| ApiError::Service(e, locale))?;
    let select = lead_list::filtered(state.db.get_database_backend(), &user, &filter, major_project_wan)
        .map_err(|e| ApiError::Service(e, locale))?;
    let select = lead_list::ordered(state.db.get_database_backend(), select, &filter);
    let (total, more) = lead_list::count_capped(&state.db, &select).await.map_err(|e| ApiError::Service(e, locale))?;
    let rows = select
        .offset((page - 1) * per_page)
        .limit(per_page)
        .all(&state.db)
        .await
        .map_err(|e| ApiError::Service(e.into(), locale))?;
    Ok(Json(json!({"rows": rows.iter().map(lead_json).collect::<Vec<_>>(), "total": total, "total_is_lower_bound": more, "page": page, "per_page": per_page}))
        .into_response())
}

async fn get_lead(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<i64>) -> ApiResult {
    let (user, locale) = caller(&state, &headers).await?;
    lead_with_contacts(&state, &user, &fetch(&state, &user, id, locale).await?, locale).await
}

async fn create_lead(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<Map<String, Value>>, axum::extract::rejection::JsonRejection>,
) -> ApiResult {
    let (user, locale) = caller(&state, &headers).await?;
    let Json(body) = body.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    let mut form = LeadForm { stage: "clue".into(), channel: "other".into(), ..Default::default() };
    overlay(&mut form, &body)?;
    let input = form.parse().map_err(|errors| ApiError::Service(ServiceError::Invalid(errors), locale))?;
    let id = leads::create(&state.db, &user, input).await.map_err(|e| ApiError::Service(e, locale))?;
    let created = lead_with_contacts(&state, &user, &fetch(&state, &user, id, locale).await?, locale).await?;
    Ok((StatusCode::CREATED, created).into_response())
}

async fn update_lead(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    body: Result<Json<Map<String, Value>>, axum::extract::rejection::JsonRejection>,
) -> ApiResult {
    let (user, locale) = caller(&state, &headers).await?;
    let Json(body) = body.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    if text(&body, "version").is_none_or(|v| v.trim().is_empty()) {
        return Err(ApiError::Service(
            ServiceError::Invalid(vec![app::domain::lead::FieldError::new("version", "err.required")]),
            locale,
        ));
    }
    let mut form = leads::edit_form(&state.db, &user, id).await.map_err(|e| ApiError::Service(e, locale))?.form;
    overlay(&mut form, &body)?;
    let input = form.parse().map_err(|errors| ApiError::Service(ServiceError::Invalid(errors), locale))?;
    leads::update(&state.db, &user, id, input).await.map_err(|e| ApiError::Service(e, locale))?;
    lead_with_contacts(&state, &user, &fetch(&state, &user, id, locale).await?, locale).await
}

async fn list_activities(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<i64>) -> ApiResult {
    let (user, locale) = caller(&state, &headers).await?;
    fetch(&state, &user, id, locale).await?;
    let rows = activity::Entity::find()
        .filter(activity::Column::LeadId.eq(id))
        .order_by_desc(activity::Column::HappenedOn)
        .order_by_desc(activity::Column::Id)
        .all(&state.db)
        .await
        .map_err(|e| ApiError::Service(e.into(), locale))?;
    Ok(Json(json!(rows
        .iter()
        .map(|a| json!({
            "id": a.id, "lead_id": a.lead_id, "kind": a.kind, "happened_on": a.happened_on,
            "participants": a.participants, "summary": a.summary, "next_step": a.next_step,
            "next_due": a.next_due, "next_done": a.next_done, "created_by": a.created_by,
        }))
        .collect::<Vec<_>>()))
    .into_response())
}

async fn create_activity(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    body: Result<Json<Map<String, Value>>, axum::extract::rejection::JsonRejection>,
) -> ApiResult {
    let (user, locale) = caller(&state, &headers).await?;
    let Json(body) = body.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    let get = |k: &str| text(&body, k).unwrap_or_default();
    let form = ActivityForm {
        kind: get("kind"),
        happened_on: get("happened_on"),
        participants: get("participants"),
        summary: get("summary"),
        next_step: get("next_step"),
        next_due: get("next_due"),
    };
    let created = pipeline::log_activity(&state.db, &user, id, form).await.map_err(|e| ApiError::Service(e, locale))?;
    Ok((StatusCode::CREATED, Json(json!({"id": created}))).into_response())
}

async fn list_teams(State(state): State<AppState>, headers: HeaderMap) -> ApiResult {
    let (user, locale) = caller(&state, &headers).await?;
    let list = teams::list(&state.db, &user).await.map_err(|e| ApiError::Service(e, locale))?;
    Ok(Json(json!(list)).into_response())
}

async fn get_team(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<i64>) -> ApiResult {
    let (user, locale) = caller(&state, &headers).await?;
    let team = teams::get(&state.db, &user, id).await.map_err(|e| ApiError::Service(e, locale))?;
    Ok(Json(json!(team)).into_response())
}

async fn list_trips(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult {
    let (user, locale) = caller(&state, &headers).await?;
    let filter = app::wire::trips::TripFilter::from_pairs(|k| q.get(k).map(String::as_str));
    let list = trips::list(&state.db, &user, &filter).await.map_err(|e| ApiError::Service(e, locale))?;
    Ok(Json(json!(list)).into_response())
}

async fn get_trip(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<i64>) -> ApiResult {
    let (user, locale) = caller(&state, &headers).await?;
    let trip = trips::detail(&state.db, &user, id).await.map_err(|e| ApiError::Service(e, locale))?;
    Ok(Json(json!(trip)).into_response())
}

async fn openapi_json() -> Response {
    Json(openapi()).into_response()
}

fn handler(doc: &RouteDoc) -> MethodRouter<AppState> {
    match (doc.method, doc.path) {
        ("get", "/api/v1/leads") => get(list_leads),
        ("post", "/api/v1/leads") => axum::routing::post(create_lead),
        ("get", "/api/v1/leads/{id}") => get(get_lead),
        ("patch", "/api/v1/leads/{id}") => axum::routing::patch(update_lead),
        ("get", "/api/v1/leads/{id}/activities") => get(list_activities),
        ("post", "/api/v1/leads/{id}/activities") => axum::routing::post(create_activity),
        ("get", "/api/v1/teams") => get(list_teams),
        ("get", "/api/v1/teams/{id}") => get(get_team),
        ("get", "/api/v1/trips") => get(list_trips),
        ("get", "/api/v1/trips/{id}") => get(get_trip),
        ("get", "/api/v1/openapi.json") => get(openapi_json),
        (m, p) => unreachable!("route table entry {m} {p} has no handler"),
    }
}

/// The `/api/v1` router, built from `ROUTES`.
pub fn router(state: AppState) -> Router {
    let mut by_path: Vec<(&str, MethodRouter<AppState>)> = Vec::new();
    for doc in ROUTES {
        let h = handler(doc);
        match by_path.iter_mut().find(|(p, _)| *p == doc.path) {
            Some((_, existing)) => *existing = std::mem::take(existing).merge(h),
            None => by_path.push((doc.path, h)),
        }
    }
    let mut router = Router::new();
    for (path, h) in by_path {
        router = router.route(path, h);
    }
    router.layer(axum::middleware::from_fn_with_state(state.clone(), who_was_refused)).with_state(state)
}

/// On a refusal, puts the token's user on the response for the denial log (the token is
/// resolved again only then: refusals are rare).
async fn who_was_refused(
    State(state): State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let headers = req.headers().clone();
    let mut res = next.run(req).await;
    if res.status() == StatusCode::FORBIDDEN || res.headers().contains_key(app::backend::denials::DENIED_HEADER) {
        if let Ok((user, _)) = caller(&state, &headers).await {
            res.extensions_mut().insert(user);
        }
    }
    res
}
