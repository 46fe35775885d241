//! `POST /import/upload` (a plain multipart form, so it works without JavaScript) and
//! `GET /import/{id}/failed.xlsx`. Thin: the import services do the work.

use app::backend::services::{imports, ServiceError};
use app::backend::AppState;
use app::wire::auth::SessionUser;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

/// The request may carry the file plus the form's few fields.
pub fn body_limit(state: &AppState) -> DefaultBodyLimit {
    DefaultBodyLimit::max(state.settings.import_limits.max_bytes + (256 << 10))
}

fn back_with(key: &str, max: Option<usize>) -> Response {
    let mut to = format!("/import?error={}", app::domain::lead_filter::encode(key));
    if let Some(max) = max {
        to.push_str(&format!("&max={max}"));
    }
    Redirect::to(&to).into_response()
}

/// Reads the `file` field (refusing it once it passes the size limit) and keeps the batch;
/// answers with the batch's page, or back to `/import` with the reason.
pub async fn upload(
    State(state): State<AppState>,
    user: Option<axum::Extension<SessionUser>>,
    mut form: Multipart,
) -> Response {
    let Some(axum::Extension(user)) = user else { return StatusCode::UNAUTHORIZED.into_response() };
    let max = state.settings.import_limits.max_bytes;
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        let mut field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            // Includes a body beyond the route's limit.
            Err(_) => return back_with("err.import.too_large", Some(max >> 20)),
        };
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("upload").to_string();
        let mut bytes = Vec::new();
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    if bytes.len() + chunk.len() > max {
                        return back_with("err.import.too_large", Some(max >> 20));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(_) => return back_with("err.import.too_large", Some(max >> 20)),
            }
        }
        file = Some((name, bytes));
    }
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return back_with("err.import.no_file", None);
    };
    match imports::upload(&state.db, &state.settings, &user, &name, &bytes).await {
        Ok(id) => Redirect::to(&format!("/import/{id}")).into_response(),
        Err(ServiceError::Invalid(errors)) => {
            let e = errors.into_iter().next();
            let max =
                e.as_ref().and_then(|e| e.args.iter().find(|(k, _)| k == "max")).and_then(|(_, v)| v.parse().ok());
            back_with(e.as_ref().map(|e| e.key.as_str()).unwrap_or("err.invalid"), max)
        }
        Err(ServiceError::Forbidden) => StatusCode::FORBIDDEN.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "upload failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `GET /import/{id}/failed.xlsx`: the rows that were not imported, with the reasons.
pub async fn failed_rows(
    State(state): State<AppState>,
    user: Option<axum::Extension<SessionUser>>,
    Path(id): Path<i64>,
) -> Response {
    let Some(axum::Extension(user)) = user else { return StatusCode::UNAUTHORIZED.into_response() };
    match imports::failed_rows_xlsx(&state.db, &user, id, user.locale).await {
        Err(ServiceError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(ServiceError::Hidden(record)) => crate::security::hidden(&record),
        result => crate::downloads::xlsx_response(&format!("import-{id}-failed"), result),
    }
}
