//! Reaching the app state and the signed-in user from inside a server function, and turning
//! service errors into what the client sees (with the right HTTP status).

use super::services::ServiceError;
use super::AppState;
use crate::error::AppError;
use crate::wire::auth::SessionUser;
use leptos::prelude::*;

pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| fail(ServiceError::Internal("AppState missing from context".into()).into()))
}

/// The user the auth middleware found for this request.
pub fn current_user() -> Result<SessionUser, AppError> {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<SessionUser>().cloned())
        .ok_or(AppError::Unauthenticated)
}

/// The session cookie's token of this request, if any.
pub fn session_token() -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == super::services::auth::SESSION_COOKIE)
        .map(|(_, v)| v.to_string())
}

/// The client's address as the server resolved it (see `ClientAddr`), or "unknown".
pub fn client_addr() -> String {
    use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<ClientAddr>().map(|a| a.0.clone()))
        .unwrap_or_else(|| "unknown".into())
}

/// The client's address, put on each request by the server (peer, or the trusted proxy's
/// header; IPv6 kept to its /64), for throttling.
#[derive(Clone, Debug)]
pub struct ClientAddr(pub String);

/// State and user, or 401.
pub fn signed_in() -> Result<(AppState, SessionUser), AppError> {
    let user = current_user().map_err(fail)?;
    Ok((app_state()?, user))
}

/// After a plain form post (see [`is_plain_form_post`]), leaves `value` for the page the browser
/// is sent back to, under `key` (see `backend::flash`). Does nothing for other callers, who get
/// the value in the answer.
pub fn leave_for_page<T: serde::Serialize>(key: &str, value: &T) {
    if !is_plain_form_post() {
        return;
    }
    if let (Some(state), Ok(user), Ok(json)) = (use_context::<AppState>(), current_user(), serde_json::to_string(value))
    {
        state.flash.put(user.id, key, json);
    }
}

/// Hands `result` back, leaving `typed` (the form as posted) for the page under `key` first when
/// it is a refusal of a plain form post: the page the browser returns to shows what was typed
/// beside the messages (`components::left::draft_under`).
pub fn keep_typed_if_refused<T, D: serde::Serialize>(
    key: &str,
    typed: &D,
    result: Result<T, AppError>,
) -> Result<T, AppError> {
    if result.is_err() {
        leave_for_page(key, typed);
    }
    result
}

/// Hands `result` back, leaving its value for the page first when it is a success of a plain
/// form post (`key`: the server function's `PATH`; see [`leave_for_page`]).
pub fn leave_ok<T: serde::Serialize>(key: &str, result: Result<T, AppError>) -> Result<T, AppError> {
    if let Ok(value) = &result {
        leave_for_page(key, value);
    }
    result
}

/// Takes what a plain form post left for this user under `key` (JSON), once.
/// A page that shows such a value (a new token) is then sent `Cache-Control: no-store`, so it
/// never sits in the browser's cache. Every page is sent `no-store` already (`server::assets`);
/// this stays as the guard for a page that shows a secret, should that rule ever change.
pub fn take_left(key: &str) -> Option<String> {
    let (state, user) = (use_context::<AppState>()?, current_user().ok()?);
    let value = state.flash.take(user.id, key)?;
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.insert_header(http::header::CACHE_CONTROL, http::HeaderValue::from_static("no-store"));
    }
    Some(value)
}

/// The page a plain form post came from (its `Referer`'s path and query, never another site's
/// address), to send the browser back to a part of it; `None` for other callers. A refusal's
/// `__path` / `__err` (server_fn's, from an earlier post) are left out, as server_fn itself does
/// on success: kept, the page would show that old refusal again.
pub fn plain_post_referer() -> Option<String> {
    if !is_plain_form_post() {
        return None;
    }
    let parts = use_context::<http::request::Parts>()?;
    let referer = parts.headers.get(http::header::REFERER)?.to_str().ok()?.parse::<http::Uri>().ok()?;
    let path = referer.path();
    // "//host/…" or "/\host/…" would be another site to a browser.
    if !path.starts_with('/') || path.starts_with("//") || path.starts_with("/\\") {
        return None;
    }
    let query: Vec<&str> = referer
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|pair| !pair.is_empty() && !pair.starts_with("__path=") && !pair.starts_with("__err="))
        .collect();
    Some(if query.is_empty() { path.to_string() } else { format!("{path}?{}", query.join("&")) })
}

/// A plain HTML form posting to a server function (no JavaScript): server_fn answers it with a
/// redirect back to the form, the error encoded in the URL for the page to show at its fields.
fn is_plain_form_post() -> bool {
    use_context::<http::request::Parts>().is_some_and(|p| {
        p.uri.path().starts_with("/api/")
            && p.headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|a| a.contains("text/html"))
    })
}

/// Sets the response status for `err` and hands it back (except for plain form posts, whose
/// answer must stay a redirect).
pub fn fail(err: AppError) -> AppError {
    if err == AppError::Forbidden {
        mark_denied("");
    }
    if is_plain_form_post() {
        return err;
    }
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(status) = http::StatusCode::from_u16(err.status()) {
            res.set_status(status);
        }
    }
    err
}

/// Marks this response as a refused access (see `backend::denials`); the server's outermost
/// layer logs it and strips the mark.
fn mark_denied(record: &str) {
    if let (Some(res), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(if record.is_empty() { "-" } else { record }),
    ) {
        res.insert_header(http::HeaderName::from_static(super::denials::DENIED_HEADER), value);
    }
}

pub fn respond<T>(result: Result<T, ServiceError>) -> Result<T, AppError> {
    result.map_err(|e| {
        if let ServiceError::Hidden(record) = &e {
            mark_denied(record);
        }
        fail(e.into())
    })
}
