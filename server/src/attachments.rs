//! `POST /field/visits/{id}/attachments` (a plain multipart form: photos and voice notes of a
//! visit; the service worker sends the same form from its queue with `idem`) and
//! `GET /attachments/{id}`. Thin: `services::attachments` does the work.

use app::backend::services::attachments;
use app::backend::AppState;
use app::domain::attachment::AttachmentKind;
use app::error::AppError;
use app::wire::auth::SessionUser;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;

/// A photo and a voice note in one post, and the form's few fields.
pub fn body_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(AttachmentKind::Photo.max_bytes() + AttachmentKind::Voice.max_bytes() + (256 << 10))
}

fn wants_html(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"))
}

fn refused(html: bool, visit: i64, err: AppError) -> Response {
    if html {
        let (key, max) = match err.field_errors().first() {
            Some(e) => {
                (e.key.clone(), e.args.iter().find(|(k, _)| k == "max").map(|(_, v)| v.clone()).unwrap_or_default())
            }
            None => (err.message_key().to_string(), String::new()),
        };
        let to = format!("/field/visits/{visit}?attach_err={}&max={max}", app::domain::lead_filter::encode(&key));
        return Redirect::to(&to).into_response();
    }
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, Json(err)).into_response()
}

/// Keeps every non-empty `file` of the form (each once per `idem` and its place in the form);
/// back to the visit's page, or (JSON callers) the new ids.
pub async fn upload(
    State(state): State<AppState>,
    user: Option<axum::Extension<SessionUser>>,
    Path(visit): Path<i64>,
    headers: HeaderMap,
    mut form: Multipart,
) -> Response {
    let html = wants_html(&headers);
    let Some(axum::Extension(user)) = user else {
        return refused(html, visit, AppError::Unauthenticated);
    };
    let too_large = || {
        let e = app::domain::lead::FieldError::new("file", "err.attachment.too_large")
            .with("max", AttachmentKind::Voice.max_bytes() >> 20);
        AppError::Invalid(vec![e])
    };
    let mut files: Vec<Vec<u8>> = Vec::new();
    let mut idem = String::new();
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            // Includes a body beyond the route's limit.
            Err(_) => return refused(html, visit, too_large()),
        };
        match field.name() {
            Some("file") => match field.bytes().await {
                Ok(b) if !b.is_empty() => files.push(b.to_vec()),
                Ok(_) => {}
                Err(_) => return refused(html, visit, too_large()),
            },
            Some("idem") => idem = field.text().await.unwrap_or_default(),
            _ => {}
        }
    }
    if files.is_empty() {
        let e = app::domain::lead::FieldError::new("file", "err.attachment.empty");
        return refused(html, visit, AppError::Invalid(vec![e]));
    }
    let mut ids = Vec::new();
    for (i, bytes) in files.into_iter().enumerate() {
        let key = if idem.is_empty() { String::new() } else { format!("{idem}-{i}") };
        match attachments::add(&state.db, &state.settings, &user, &key, visit, bytes).await {
            Ok(id) => ids.push(id),
            Err(e) => return refused(html, visit, e.into()),
        }
    }
    if html {
        Redirect::to(&format!("/field/visits/{visit}")).into_response()
    } else {
        Json(ids).into_response()
    }
}

/// The file, to those who may read its lead; 404 to others.
pub async fn serve(
    State(state): State<AppState>,
    user: Option<axum::Extension<SessionUser>>,
    Path(id): Path<i64>,
) -> Response {
    let Some(axum::Extension(user)) = user else { return StatusCode::UNAUTHORIZED.into_response() };
    let (mime, path) = match attachments::file(&state.db, &state.settings, &user, id).await {
        Ok(found) => found,
        Err(e) => {
            return StatusCode::from_u16(AppError::from(e).status()).unwrap_or(StatusCode::NOT_FOUND).into_response()
        }
    };
    match tokio::fs::read(&path).await {
        Ok(bytes) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_str(&mime).unwrap_or(HeaderValue::from_static("application/octet-stream")),
                ),
                (header::CONTENT_DISPOSITION, HeaderValue::from_static("inline")),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, path = %path.display(), "attachment file missing");
            StatusCode::NOT_FOUND.into_response()
        }
    }
}
