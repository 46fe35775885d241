//! `POST /import/upload` and `POST /efficiency/upload` (plain multipart forms, so they work
//! without JavaScript) and `GET /import/{id}/failed.xlsx`. Thin: the import services do the work.

use app::backend::services::{efficiency_import, imports, ServiceError};
use app::backend::AppState;
use app::wire::auth::SessionUser;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::header::CONTENT_LENGTH;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

/// The request may carry the file plus the form's few fields.
pub fn body_limit(state: &AppState) -> DefaultBodyLimit {
    DefaultBodyLimit::max(state.settings.import_limits.max_bytes + (256 << 10))
}

fn back_with(key: &str, max: Option<usize>) -> Response {
    back_to("/import", key, max)
}

/// The form of an upload: the `file` field (name and bytes) and the other fields' text (at most
/// 1 KiB each).
struct Upload {
    file: Option<(String, Vec<u8>)>,
    fields: std::collections::HashMap<String, String>,
}

/// Reads the multipart form, refusing it (None) once the file passes `max` bytes. `expected` is
/// the request's length, when it says one: the file is read into room of that size, taken once.
async fn read_form(form: &mut Multipart, max: usize, expected: Option<usize>) -> Option<Upload> {
    let mut upload = Upload { file: None, fields: Default::default() };
    loop {
        let mut field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            // Includes a body beyond the route's limit.
            Err(_) => return None,
        };
        let Some(name) = field.name().map(str::to_string) else { continue };
        let file_name = field.file_name().map(str::to_string);
        let limit = if name == "file" { max } else { 1 << 10 };
        // The file goes into room of the request's size, else its chunks (which share the
        // multipart reader's buffer) are copied once into a buffer of their exact size: growing
        // one as they come held a 30 MB file in up to 96 MiB.
        let room = expected.filter(|_| name == "file").map(|n| n.min(limit));
        let (mut bytes, mut chunks, mut size) = (Vec::with_capacity(room.unwrap_or(0)), Vec::new(), 0usize);
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    size += chunk.len();
                    if size > limit {
                        return None;
                    }
                    if room.is_some() {
                        bytes.extend_from_slice(&chunk);
                    } else {
                        chunks.push(chunk);
                    }
                }
                Ok(None) => break,
                Err(_) => return None,
            }
        }
        if room.is_none() {
            bytes = chunks.concat();
        }
        if name == "file" {
            upload.file = Some((file_name.unwrap_or_else(|| NO_NAME.into()), bytes));
        } else {
            upload.fields.insert(name, String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    Some(upload)
}

/// The form's file (name, bytes), or why there is none to read: no file chosen
/// (`err.import.no_file`: a browser sends an empty part without a name) or a file of 0 bytes
/// (`err.import.empty`).
fn chosen(file: Option<(String, Vec<u8>)>) -> Result<(String, Vec<u8>), &'static str> {
    match file {
        Some((name, bytes)) if !bytes.is_empty() => Ok((name, bytes)),
        Some((name, _)) if !name.is_empty() && name != NO_NAME => Err("err.import.empty"),
        _ => Err("err.import.no_file"),
    }
}

/// The name a file part without one is given.
const NO_NAME: &str = "upload";

/// The request's length as its `Content-Length` says, if it does.
fn length_of(headers: &HeaderMap) -> Option<usize> {
    headers.get(CONTENT_LENGTH)?.to_str().ok()?.parse().ok()
}

/// Where a refused upload goes back to: `page` with the reason (and the size limit in MB).
fn refused(page: &str, errors: Vec<app::domain::lead::FieldError>) -> Response {
    let e = errors.into_iter().next();
    let max = e.as_ref().and_then(|e| e.args.iter().find(|(k, _)| k == "max")).and_then(|(_, v)| v.parse().ok());
    back_to(page, e.as_ref().map(|e| e.key.as_str()).unwrap_or("err.invalid"), max)
}

fn back_to(page: &str, key: &str, max: Option<usize>) -> Response {
    let mut to = format!("{page}?error={}", app::domain::lead_filter::encode(key));
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
    headers: HeaderMap,
    mut form: Multipart,
) -> Response {
    let Some(axum::Extension(user)) = user else { return StatusCode::UNAUTHORIZED.into_response() };
    let max = state.settings.import_limits.max_bytes;
    let Some(upload) = read_form(&mut form, max, length_of(&headers)).await else {
        return back_with("err.import.too_large", Some(max >> 20));
    };
    // The reader's buffer (the whole request, on a fast network) goes before the file is read.
    drop(form);
    let (name, bytes) = match chosen(upload.file) {
        Ok(file) => file,
        Err(key) => return back_with(key, None),
    };
    match imports::upload(&state.db, &state.settings, &user, &name, bytes).await {
        Ok(id) => Redirect::to(&format!("/import/{id}")).into_response(),
        Err(ServiceError::Invalid(errors)) => refused("/import", errors),
        Err(e) => failed(e),
    }
}

fn failed(e: ServiceError) -> Response {
    match e {
        ServiceError::Forbidden => StatusCode::FORBIDDEN.into_response(),
        e => {
            tracing::error!(error = %e, "upload failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `POST /efficiency/upload`: a 亩均效益 figures file (`file`) for a year (`year`); answers
/// with the batch's preview, or back to `/efficiency` with the reason.
pub async fn efficiency_upload(
    State(state): State<AppState>,
    user: Option<axum::Extension<SessionUser>>,
    headers: HeaderMap,
    mut form: Multipart,
) -> Response {
    let Some(axum::Extension(user)) = user else { return StatusCode::UNAUTHORIZED.into_response() };
    let max = state.settings.import_limits.max_bytes;
    let Some(upload) = read_form(&mut form, max, length_of(&headers)).await else {
        return back_to("/efficiency", "err.import.too_large", Some(max >> 20));
    };
    drop(form);
    let year = upload.fields.get("year").cloned().unwrap_or_default();
    let (name, bytes) = match chosen(upload.file) {
        Ok(file) => file,
        Err(key) => return back_to("/efficiency", key, None),
    };
    match efficiency_import::upload(&state.db, &state.settings, &user, &name, &bytes, &year).await {
        Ok(id) => Redirect::to(&format!("/efficiency/import/{id}")).into_response(),
        Err(ServiceError::Invalid(errors)) => refused("/efficiency", errors),
        Err(e) => failed(e),
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
        result => crate::downloads::xlsx_response(user.locale, ("import_failed", &id.to_string()), result),
    }
}
