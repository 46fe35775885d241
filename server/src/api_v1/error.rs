//! How `/api/v1` refuses: one translator from the services' errors to a status and an
//! [`ErrorBody`] in the caller's language (the `lz_lang` cookie when a browser session sends
//! one, else `Accept-Language`).

use super::types::{ErrorBody, FieldProblem};
use app::backend::services::ServiceError;
use app::i18n::{tr_args, Locale};
use axum::body::to_bytes;
use axum::extract::rejection::JsonRejection;
use axum::extract::Request;
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;

tokio::task_local! {
    /// The language of the request being answered (set by [`with_locale`]).
    static LOCALE: Locale;
}

/// The caller's language: the `lz_lang` cookie, else `Accept-Language`, else zh-CN.
pub fn locale_of(headers: &HeaderMap) -> Locale {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    header(header::COOKIE)
        .and_then(Locale::from_cookie_header)
        .or_else(|| header(header::ACCEPT_LANGUAGE).and_then(Locale::from_accept_language))
        .unwrap_or_default()
}

/// Middleware: answers the request inside its language, so refusals are translated.
pub async fn with_locale(req: Request, next: Next) -> Response {
    let locale = locale_of(req.headers());
    LOCALE.scope(locale, next.run(req)).await
}

/// Why a request was refused.
#[derive(Debug)]
pub enum ApiError {
    /// No token, or one that is unknown or revoked.
    Unauthorized,
    /// The body is not the JSON the operation takes.
    BadRequest(String),
    Service(ServiceError),
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        ApiError::Service(e)
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(e: sea_orm::DbErr) -> Self {
        ApiError::Service(e.into())
    }
}

impl From<JsonRejection> for ApiError {
    fn from(e: JsonRejection) -> Self {
        ApiError::BadRequest(e.body_text())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let locale = LOCALE.try_with(|l| *l).unwrap_or_default();
        let (status, body) = match self {
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, ErrorBody::new("unauthorized")),
            ApiError::BadRequest(m) => {
                (StatusCode::BAD_REQUEST, ErrorBody { message: Some(m), ..ErrorBody::new("bad_request") })
            }
            ApiError::Service(e) => match e {
                ServiceError::NotFound => (StatusCode::NOT_FOUND, ErrorBody::new("not_found")),
                ServiceError::Hidden(record) => {
                    let mut res = (StatusCode::NOT_FOUND, Json(ErrorBody::new("not_found"))).into_response();
                    crate::security::mark_hidden(&mut res, &record);
                    return res;
                }
                ServiceError::Forbidden => (StatusCode::FORBIDDEN, ErrorBody::new("forbidden")),
                ServiceError::Invalid(errors) => {
                    let fields = errors
                        .iter()
                        .map(|f| FieldProblem {
                            field: f.field.clone(),
                            code: f.key.clone(),
                            message: tr_args(locale, &f.key, &f.args),
                            args: f.args.iter().cloned().collect(),
                        })
                        .collect();
                    (StatusCode::UNPROCESSABLE_ENTITY, ErrorBody { fields: Some(fields), ..ErrorBody::new("invalid") })
                }
                ServiceError::Conflict(key) => (
                    StatusCode::CONFLICT,
                    ErrorBody { message: Some(tr_args(locale, &key, &[])), ..ErrorBody::new("conflict") },
                ),
                ServiceError::Stale(changes) => {
                    (StatusCode::CONFLICT, ErrorBody { changes: Some(changes), ..ErrorBody::new("stale") })
                }
                other => {
                    tracing::error!(error = %other, "api request failed");
                    (StatusCode::INTERNAL_SERVER_ERROR, ErrorBody::new("internal"))
                }
            },
        };
        (status, Json(body)).into_response()
    }
}

/// The `error` code of a refusal made outside the handlers, by its status.
fn code_of(status: StatusCode) -> &'static str {
    match status {
        StatusCode::BAD_REQUEST => "bad_request",
        StatusCode::UNAUTHORIZED => "unauthorized",
        StatusCode::FORBIDDEN => "forbidden",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::REQUEST_TIMEOUT => "timeout",
        StatusCode::PAYLOAD_TOO_LARGE => "too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::TOO_MANY_REQUESTS => "too_many_requests",
        s if s.is_server_error() => "internal",
        _ => "bad_request",
    }
}

/// Middleware around everything that may refuse an `/api/v1` request (the body limit's 413, the
/// timeout's 408, a path id that is not a number, an unknown path or method): a refusal that is
/// not already an [`ErrorBody`] becomes one, keeping its status and, when it was plain text, its
/// text as `message`. So a client parses every refusal the same way.
pub async fn json_refusals(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if path != "/api/v1" && !path.starts_with("/api/v1/") {
        return next.run(req).await;
    }
    let res = next.run(req).await;
    let status = res.status();
    let content_type = res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !(status.is_client_error() || status.is_server_error()) || content_type.starts_with("application/json") {
        return res;
    }
    // A compressed body (the compression layer sits inside) is not read as the message.
    let plain = content_type.starts_with("text/plain") && !res.headers().contains_key(header::CONTENT_ENCODING);
    let (mut parts, body) = res.into_parts();
    let message = match plain {
        true => to_bytes(body, 64 << 10).await.ok().map(|b| String::from_utf8_lossy(&b).trim().to_string()),
        false => None,
    };
    let body = ErrorBody { message: message.filter(|m| !m.is_empty()), ..ErrorBody::new(code_of(status)) };
    for name in [header::CONTENT_TYPE, header::CONTENT_LENGTH, header::CONTENT_ENCODING, header::VARY] {
        parts.headers.remove(name);
    }
    let mut out = (status, Json(body)).into_response();
    let own: Vec<_> = out.headers().keys().cloned().collect();
    for (name, value) in parts.headers.iter().filter(|(name, _)| !own.contains(name)) {
        out.headers_mut().append(name, value.clone());
    }
    out
}
