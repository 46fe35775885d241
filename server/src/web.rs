//! The axum router: Leptos pages and server functions, the login/logout/language form handlers,
//! and the middleware that finds the session and refuses cross-origin writes.

use app::backend::services::auth::{self as auth_service, LoginError, SESSION_COOKIE};
use app::backend::AppState;
use app::domain::refusal_url::without_refusals;
use app::i18n::{Locale, LOCALE_COOKIE};
use app::wire::auth::SessionUser;
use app::{shell, App};
use axum::extract::{FromRef, FromRequest, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use axum_client_ip::ClientIpSource;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use serde::Deserialize;
use std::net::SocketAddr;

/// Leptos's options for a site built by `scripts/build-site.sh`. When the site has content-hashed
/// asset names its `hash.txt` says which; Leptos looks for that file relative to the running
/// executable, so it is given as an absolute path (joining an absolute path replaces the base).
pub fn leptos_options(site_root: &str, site_addr: SocketAddr) -> LeptosOptions {
    let hash_file = std::path::Path::new(site_root).join("hash.txt");
    let hash_file = std::path::absolute(&hash_file).unwrap_or(hash_file);
    LeptosOptions::builder()
        .output_name("lianzhao")
        .site_root(site_root)
        .site_pkg_dir("pkg")
        .site_addr(site_addr)
        .hash_files(hash_file.exists())
        .hash_file(hash_file.display().to_string().into())
        .build()
}

/// The router's state: what Leptos needs and what our handlers need.
#[derive(Clone)]
pub struct ServerState {
    pub leptos: LeptosOptions,
    pub app: AppState,
}

impl FromRef<ServerState> for LeptosOptions {
    fn from_ref(s: &ServerState) -> Self {
        s.leptos.clone()
    }
}

impl FromRef<ServerState> for AppState {
    fn from_ref(s: &ServerState) -> Self {
        s.app.clone()
    }
}

/// The app's routes, generated once per process. Generating them renders the app with a
/// process-global "suppress resource loading" flag set (leptos_server), and any page being
/// rendered meanwhile by another server in the same process waits forever on its resources
/// (leptos issue #4773). Tests start many servers in one process; so does nothing else, but
/// there is no reason to render the app twice either.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// Everything the server answers. Serve it with `into_make_service_with_connect_info::<SocketAddr>()`
/// so login throttling can see the client's address.
pub fn router(state: AppState, options: LeptosOptions) -> Router {
    let api_state = state.clone();
    let routes = route_list();
    let context_state = state.clone();
    let provide = move || provide_context(context_state.clone());
    let shell_options = options.clone();
    let sw = crate::service_worker::script(&options.site_root);
    let pkg = Router::<ServerState>::new()
        .nest_service("/pkg", crate::assets::pkg_service(&options.site_root))
        .layer(middleware::from_fn(crate::assets::pkg_headers));
    let server_state = ServerState { leptos: options, app: state.clone() };
    let settings = state.settings.clone();
    let router: Router = Router::<ServerState>::new()
        .route("/login", post(login))
        .route("/logout", post(logout))
        .route("/lang", post(switch_language))
        .route("/healthz", get(|| async { "ok" }))
        // 周调度 sits at /weekly beside /reports/monthly and /reports/quarterly: the address a
        // user guesses from those (and the export's /reports/weekly.csv) leads there.
        .route("/reports/weekly", get(weekly_report))
        .route("/sw.js", get(move || async move { crate::service_worker::serve(&sw) }))
        .route("/field/take", post(crate::service_worker::take_without_worker))
        .route("/ical/{file}", get(calendar_feed))
        .merge(crate::downloads::routes())
        .merge(pkg)
        .route("/import/upload", post(crate::uploads::upload).layer(crate::uploads::body_limit(&state)))
        .route("/efficiency/upload", post(crate::uploads::efficiency_upload).layer(crate::uploads::body_limit(&state)))
        .route("/import/{id}/failed.xlsx", get(crate::uploads::failed_rows))
        .route(
            "/field/visits/{id}/attachments",
            post(crate::attachments::upload).layer(crate::attachments::body_limit()),
        )
        .route("/attachments/{id}", get(crate::attachments::serve))
        .leptos_routes_with_context(&server_state, routes, provide.clone(), move || shell(shell_options.clone()))
        .fallback(leptos_axum::file_and_error_handler_with_context::<ServerState, _>(provide, shell))
        .layer(middleware::from_fn_with_state(state.clone(), session_layer))
        .layer(middleware::from_fn(refuse_cross_origin))
        .layer(middleware::from_fn(tidy_redirect))
        .with_state(server_state)
        // Bearer tokens, no cookies: outside the session and cross-origin layers.
        .merge(crate::api_v1::router(api_state))
        .layer(middleware::from_fn(crate::assets::cache_headers))
        .layer(crate::assets::compression())
        // Counted while served: a long writer rests between its parts only while somebody is.
        .layer(middleware::from_fn(counted));
    app::backend::activity::serves_requests();
    let ip_source = settings.client_ip_source.parse().unwrap_or(ClientIpSource::ConnectInfo);
    crate::security::harden(router, state, ip_source)
}

/// Runs the request counted as in flight ([`app::backend::activity`]): as a read (GET, HEAD,
/// OPTIONS) or as one that may write.
async fn counted(req: Request, next: Next) -> Response {
    use axum::http::Method;
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        app::backend::activity::serving(next.run(req)).await
    } else {
        app::backend::activity::serving_write(next.run(req)).await
    }
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn is_asset(path: &str) -> bool {
    // Calendar feeds carry their own secret token; phones send no cookie.
    path.starts_with("/pkg/")
        || path.starts_with("/ical/")
        || path.starts_with("/icons/")
        || matches!(
            path,
            "/favicon.ico"
                | "/favicon.svg"
                | "/robots.txt"
                | "/healthz"
                | "/sw.js"
                | "/sw-register.js"
                | "/manifest.webmanifest"
        )
}

/// Finds the user behind the session cookie and puts it in the request's extensions; sends
/// page requests without one to `/login`.
async fn session_layer(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if is_asset(&path) {
        return next.run(req).await;
    }
    let token = cookie(req.headers(), SESSION_COOKIE).map(str::to_string);
    let user = match &token {
        Some(token) => match auth_service::resolve_session(&state.db, &state.settings, &state.last_seen, token).await {
            Ok(user) => user,
            Err(e) => {
                tracing::error!(error = %e, "session lookup failed");
                return StatusCode::SERVICE_UNAVAILABLE.into_response();
            }
        },
        None => None,
    };
    let is_page = matches!(*req.method(), Method::GET | Method::HEAD) && !path.starts_with("/api/");
    match user {
        Some(mut user) => {
            if is_page && path == "/login" {
                return Redirect::to("/").into_response();
            }
            // The reader's language is the one this browser shows (its cookie, as the pages read
            // it): a file downloaded beside a Chinese page is Chinese, though the person last
            // switched to English on another device. The stored choice stands without a cookie.
            if let Some(shown) = cookie(req.headers(), LOCALE_COOKIE).and_then(Locale::parse) {
                user.locale = shown;
            }
            req.extensions_mut().insert(user.clone());
            let mut res = next.run(req).await;
            // For the denial log (outermost layer): who was refused.
            res.extensions_mut().insert(user);
            res
        }
        None if is_page && path != "/login" => {
            let mut target = format!("/login?next={}", app::domain::lead_filter::encode(&path_and_query(&req)));
            if token.is_some() {
                target.push_str("&error=expired");
            }
            Redirect::to(&target).into_response()
        }
        None => next.run(req).await,
    }
}

/// `/reports/weekly?…` → `/weekly?…` (the query kept).
async fn weekly_report(uri: axum::http::Uri) -> Redirect {
    Redirect::permanent(&uri.query().map_or_else(|| "/weekly".to_string(), |q| format!("/weekly?{q}")))
}

fn path_and_query(req: &Request) -> String {
    req.uri().path_and_query().map(|pq| pq.as_str().to_string()).unwrap_or_else(|| "/".into())
}

/// A server function answering a plain form post sends the browser back to the page it came from
/// with server_fn's error parameters removed, and leaves an empty `?` behind when there were no
/// others (`/import/1?` in the address bar after a commit): the `?` goes.
/// A refusal sent back to a page that already carried one (a plain post refused again) keeps
/// only the newest `__path` / `__err`: server_fn appends its pair to the page's address as it
/// was, so every try would add one.
async fn tidy_redirect(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    if res.status().is_redirection() {
        let tidied =
            res.headers().get(header::LOCATION).and_then(|l| l.to_str().ok()).and_then(|l| without_refusals(l, true));
        if let Some(location) = tidied.and_then(|l| HeaderValue::from_str(&l).ok()) {
            res.headers_mut().insert(header::LOCATION, location);
        }
    }
    res
}

/// State-changing requests must come from our own pages: a browser always sends `Origin` (and
/// `Sec-Fetch-Site`) on cross-site POSTs, so a mismatch is refused. Clients without either
/// header (scripts, curl) are not browsers and cannot be tricked into a request.
async fn refuse_cross_origin(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if matches!(fetch_site, Some(site) if site != "same-origin" && site != "none") {
        return (StatusCode::FORBIDDEN, "cross-origin request refused").into_response();
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
        let origin_host =
            origin.to_str().ok().and_then(|o| o.split_once("://")).map(|(_, rest)| rest.trim_end_matches('/'));
        if host.is_none() || origin_host != host {
            return (StatusCode::FORBIDDEN, "cross-origin request refused").into_response();
        }
    }
    next.run(req).await
}

fn session_cookie(state: &AppState, value: &str, max_age_secs: i64) -> HeaderValue {
    let secure = if state.settings.secure_cookies { "; Secure" } else { "" };
    let text = format!("{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}{secure}");
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("lz_session=; Path=/; Max-Age=0"))
}

fn locale_cookie(locale: Locale) -> HeaderValue {
    let text = format!("{LOCALE_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000", locale.code());
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("lz_lang=zh-CN; Path=/"))
}

/// `GET /ical/{token}.ics`: a user's private calendar subscription.
async fn calendar_feed(
    State(state): State<AppState>,
    axum::extract::Path(file): axum::extract::Path<String>,
) -> Response {
    let Some(token) = file.strip_suffix(".ics").filter(|t| !t.is_empty() && t.len() <= 128) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match app::backend::services::ical::feed(&state.db, &state.settings, token).await {
        Ok(Some(ics)) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("text/calendar; charset=utf-8")),
                (header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=300")),
            ],
            ics,
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "calendar feed failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// `POST /login` (a plain form post; works without JavaScript).
async fn login(State(state): State<AppState>, req: Request) -> Response {
    let ip = req
        .extensions()
        .get::<app::backend::context::ClientAddr>()
        .map(|a| a.0.clone())
        .unwrap_or_else(|| "unknown".into());
    let old_token = cookie(req.headers(), SESSION_COOKIE).map(str::to_string);
    let had_locale = cookie(req.headers(), LOCALE_COOKIE).is_some();
    let Ok(Form(form)) = Form::<LoginForm>::from_request(req, &state).await else {
        return Redirect::to("/login?error=invalid").into_response();
    };
    let name_q = app::domain::lead_filter::encode(form.username.trim());
    match auth_service::login(&state.db, &state.settings, &form.username, &form.password, &ip).await {
        Ok((token, user)) => {
            // Rotate: whatever session the browser had before is gone.
            if let Some(old) = old_token {
                let _ = auth_service::end_session(&state.db, &old).await;
            }
            let mut res = Redirect::to(crate::security::local_path(&form.next)).into_response();
            let max_age = state.settings.session_max.num_seconds();
            res.headers_mut().append(header::SET_COOKIE, session_cookie(&state, &token, max_age));
            if !had_locale {
                res.headers_mut().append(header::SET_COOKIE, locale_cookie(user.locale));
            }
            tracing::info!(user = %user.username, %ip, "login");
            res
        }
        Err(LoginError::Invalid) => {
            tracing::warn!(user = %form.username, %ip, "failed login");
            Redirect::to(&format!("/login?error=invalid&u={name_q}")).into_response()
        }
        Err(LoginError::Throttled { minutes }) => {
            tracing::warn!(user = %form.username, %ip, "login throttled");
            let mut res = Redirect::to(&format!("/login?error=throttled&wait={minutes}&u={name_q}")).into_response();
            res.headers_mut().insert("x-lianzhao-throttled", HeaderValue::from(minutes));
            res
        }
        Err(LoginError::Service(e)) => {
            tracing::error!(error = %e, "login failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// `POST /logout`
async fn logout(
    State(state): State<AppState>,
    user: Option<axum::Extension<SessionUser>>,
    headers: HeaderMap,
) -> Response {
    // What plain posts left for this user's pages (a new token) goes with the session.
    if let Some(axum::Extension(user)) = user {
        state.flash.forget(user.id);
    }
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        if let Err(e) = auth_service::end_session(&state.db, token).await {
            tracing::error!(error = %e, "logout failed");
        }
    }
    let mut res = Redirect::to("/login").into_response();
    res.headers_mut().append(header::SET_COOKIE, session_cookie(&state, "", 0));
    res
}

#[derive(Deserialize)]
struct LangForm {
    lang: String,
}

/// `POST /lang`: remembers the language in a cookie (and on the user), back to the same page.
async fn switch_language(
    State(state): State<AppState>,
    user: Option<axum::Extension<SessionUser>>,
    headers: HeaderMap,
    Form(form): Form<LangForm>,
) -> Response {
    let locale = Locale::parse(&form.lang).unwrap_or_default();
    if let Some(axum::Extension(user)) = user {
        if let Err(e) = auth_service::set_locale(&state.db, user.id, locale).await {
            tracing::error!(error = %e, "saving language failed");
        }
    }
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.split_once("://"))
        .and_then(|(_, rest)| rest.find('/').map(|i| crate::security::local_path(&rest[i..]).to_string()))
        .unwrap_or_else(|| "/".into());
    let mut res = Redirect::to(&back).into_response();
    res.headers_mut().append(header::SET_COOKIE, locale_cookie(locale));
    res
}
