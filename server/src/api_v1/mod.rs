//! The JSON API under `/api/v1`, for scripts and other systems: leads (list with the UI's
//! filters, get, create, update with the version check), their activities, teams and trips.
//! `Authorization: Bearer TOKEN` (personal tokens, `/me` or `lianzhao create-token`); the same
//! services — so the same role and team rules — as the pages. Each handler carries its OpenAPI
//! operation (`#[utoipa::path]`) and the bodies derive their schemas, and one `OpenApiRouter`
//! builds both the router and `/api/v1/openapi.json`, so a route cannot exist undocumented.

mod error;
mod leads;
pub mod types;

use app::backend::services::{api_tokens, teams, trips, ServiceError};
use app::backend::AppState;
use app::wire::auth::SessionUser;
use app::wire::teams::TeamView;
use app::wire::trips::{TripDetail, TripFilter, TripRow};
use axum::extract::{FromRequest, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::Response;
use axum::{Json, Router};
pub use error::{json_refusals, ApiError};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::OnceLock;
use types::ErrorBody;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The caller, by bearer token.
pub struct Caller(pub SessionUser);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or(ApiError::Unauthorized)?;
        api_tokens::resolve(&state.db, &state.last_seen, token).await?.map(Caller).ok_or(ApiError::Unauthorized)
    }
}

/// A JSON body; a malformed one is a 400 [`ErrorBody`].
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct Body<T>(pub T);

#[utoipa::path(
    get,
    path = "/api/v1/teams",
    tag = "teams",
    summary = "Teams with members, focus and targets",
    responses(
        (status = 200, description = "招商专班", body = Vec<TeamView>),
    ),
)]
async fn list_teams(State(state): State<AppState>, Caller(user): Caller) -> Result<Json<Vec<TeamView>>, ApiError> {
    Ok(Json(teams::list(&state.db, &user).await?))
}

#[utoipa::path(
    get,
    path = "/api/v1/teams/{id}",
    tag = "teams",
    summary = "One team",
    params(("id" = i64, Path, description = "Team id")),
    responses(
        (status = 200, description = "The team", body = TeamView),
        (status = 404, description = "No such team", body = ErrorBody),
    ),
)]
async fn get_team(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
) -> Result<Json<TeamView>, ApiError> {
    Ok(Json(teams::get(&state.db, &user, id).await?))
}

#[utoipa::path(
    get,
    path = "/api/v1/trips",
    tag = "trips",
    summary = "Trips the caller may see, newest first (at most 300)",
    params(
        ("status" = Option<String>, Query, description = "draft, planned, closed or cancelled"),
        ("team" = Option<i64>, Query, description = "Team id"),
        ("mine" = Option<String>, Query, description = "`1` or `true`: only trips the caller goes on"),
    ),
    responses(
        (status = 200, description = "外出招商", body = Vec<TripRow>),
    ),
)]
async fn list_trips(
    State(state): State<AppState>,
    Caller(user): Caller,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Vec<TripRow>>, ApiError> {
    let filter = TripFilter::from_pairs(|k| q.get(k).map(String::as_str));
    Ok(Json(trips::list(&state.db, &user, &filter).await?))
}

#[utoipa::path(
    get,
    path = "/api/v1/trips/{id}",
    tag = "trips",
    summary = "One trip with its visits",
    params(("id" = i64, Path, description = "Trip id")),
    responses(
        (status = 200, description = "The trip", body = TripDetail),
        (status = 404, description = "Not found, or not yours to see", body = ErrorBody),
    ),
)]
async fn get_trip(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
) -> Result<Json<TripDetail>, ApiError> {
    Ok(Json(trips::detail(&state.db, &user, id).await?))
}

#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "meta",
    summary = "This document",
    security(()),
    responses((status = 200, description = "OpenAPI 3.1", content_type = "application/json", body = Object)),
)]
async fn openapi_json() -> Json<Value> {
    Json(openapi().clone())
}

#[derive(OpenApi)]
#[openapi(
    info(title = "链招 Lianzhao API", version = "1", description = "Bearer tokens from /me. Dates in Asia/Shanghai, amounts in 万元."),
    modifiers(&BearerToken),
    security(("bearer" = [])),
)]
struct ApiDoc;

/// The `bearer` security scheme the document's `security` names.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        api.components.get_or_insert_with(Default::default).add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Every operation: the router and the document are both built from this.
fn operations() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(leads::list_leads, leads::create_lead))
        .routes(routes!(leads::get_lead, leads::update_lead))
        .routes(routes!(leads::list_activities, leads::create_activity))
        .routes(routes!(list_teams))
        .routes(routes!(get_team))
        .routes(routes!(list_trips))
        .routes(routes!(get_trip))
        .routes(routes!(openapi_json))
}

/// The OpenAPI 3.1 document of `/api/v1` (built once).
pub fn openapi() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| {
        let mut doc = serde_json::to_value(operations().split_for_parts().1).unwrap_or(Value::Null);
        add_shared_refusals(&mut doc);
        doc
    })
}

/// Adds the refusals that depend only on an operation's shape, so each is written once: every
/// operation may answer 408 (the request timeout) and 500; one that needs a token, 401; one that
/// takes a body, 400 (not JSON of its shape) and 413 (over 2 MiB, `security::MAX_BODY`); one
/// with a path id, 400 (an id that is not a number). An operation's own entry for a status wins.
fn add_shared_refusals(doc: &mut Value) {
    let refusal = |description: &str| {
        serde_json::json!({
            "description": description,
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ErrorBody" } } },
        })
    };
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else { return };
    for operation in paths.values_mut().filter_map(Value::as_object_mut).flat_map(|item| item.values_mut()) {
        let secured = operation
            .get("security")
            .and_then(Value::as_array)
            .is_none_or(|s| s.iter().any(|r| r != &serde_json::json!({})));
        let has_body = operation.get("requestBody").is_some();
        let has_path_id = operation
            .get("parameters")
            .and_then(Value::as_array)
            .is_some_and(|ps| ps.iter().any(|p| p.get("in").and_then(Value::as_str) == Some("path")));
        let mut shared = vec![
            ("408", "Took longer than the server's request timeout"),
            ("500", "Failed on the server (logged); nothing was saved"),
        ];
        if secured {
            shared.push(("401", "No token, or an unknown or revoked one"));
        }
        match (has_body, has_path_id) {
            (true, true) => shared.push(("400", "Not JSON of this shape, or an id that is not a number")),
            (true, false) => shared.push(("400", "Not JSON of this shape")),
            (false, true) => shared.push(("400", "An id that is not a number")),
            (false, false) => {}
        }
        if has_body {
            shared.push(("413", "A body over 2 MiB"));
        }
        let Some(responses) = operation.get_mut("responses").and_then(Value::as_object_mut) else { continue };
        for (status, description) in shared {
            responses.entry(status).or_insert_with(|| refusal(description));
        }
    }
}

/// The `/api/v1` router.
pub fn router(state: AppState) -> Router {
    let (router, _) = operations().split_for_parts();
    router
        // Not the pages' fallback (it sends callers without a session to /login).
        .route("/api/v1", axum::routing::any(not_found))
        .route("/api/v1/", axum::routing::any(not_found))
        .route("/api/v1/{*rest}", axum::routing::any(not_found))
        .layer(axum::middleware::from_fn_with_state(state.clone(), who_was_refused))
        .layer(axum::middleware::from_fn(error::with_locale))
        .with_state(state)
}

/// Any path under `/api/v1` that is no operation.
async fn not_found() -> ApiError {
    ApiError::Service(ServiceError::NotFound)
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
        let (mut parts, ()) = axum::http::Request::new(()).into_parts();
        parts.headers = headers;
        if let Ok(Caller(user)) = Caller::from_request_parts(&mut parts, &state).await {
            res.extensions_mut().insert(user);
        }
    }
    res
}
