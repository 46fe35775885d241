//! What every response carries and every request is held to: security headers (with the CSP
//! that the pages' hydration script passes), a body limit and a timeout, the client's address
//! (from a trusted proxy's header only when configured), and safe local redirect targets.

use app::backend::context::ClientAddr;
use app::backend::csp::DEFAULT_CSP;
use app::backend::denials::DENIED_HEADER;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use axum_client_ip::{ClientIp, ClientIpSource};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

/// The largest body any route but the upload takes: a lead form is a few KB; 2 MiB leaves room
/// for a long bulk assignment or alias table without letting a client make us buffer more.
pub const MAX_BODY: usize = 2 << 20;

/// Browser features: the field pages' check-in asks for the position (and, for photos and voice
/// notes, the camera and microphone) on our own origin only; the rest no page uses.
const PERMISSIONS: &str = "camera=(self), microphone=(self), geolocation=(self), payment=(), usb=()";

/// Adds the security headers to every response (keeping a page's own CSP), a request timeout
/// (408 after `timeout`), JSON refusals on `/api/v1`, and the client-address source the login throttle reads.
pub fn harden(router: Router, state: app::backend::AppState, ip_source: ClientIpSource) -> Router {
    let if_absent = SetResponseHeaderLayer::if_not_present;
    let timeout = state.settings.request_timeout;
    router
        .layer(axum::middleware::from_fn(limit_body))
        .layer(axum::middleware::from_fn_with_state(state, note_denials))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, timeout))
        // Outside the limit and the timeout: their refusals of `/api/v1` calls become JSON too.
        .layer(axum::middleware::from_fn(crate::api_v1::json_refusals))
        .layer(if_absent(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(DEFAULT_CSP)))
        .layer(if_absent(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(if_absent(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(if_absent(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(if_absent(HeaderName::from_static("permissions-policy"), HeaderValue::from_static(PERMISSIONS)))
        .layer(if_absent(
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .layer(axum::middleware::from_fn(resolve_client))
        .layer(ip_source.into_extension())
}

fn too_large() -> Response {
    let text = format!("请求过大（上限 {} MiB）。Request too large (limit {} MiB).", MAX_BODY >> 20, MAX_BODY >> 20);
    (StatusCode::PAYLOAD_TOO_LARGE, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}

/// Refuses bodies over [`MAX_BODY`] with a plain 413, whether announced by `Content-Length` or
/// sent chunked (read here up to the limit, so a handler never sees a cut-off body). The upload
/// route and a visit's photos and voice notes have their own, larger limits
/// (`uploads::body_limit`, `attachments::body_limit`).
async fn limit_body(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let own_limit = path == "/import/upload"
        || path == "/efficiency/upload"
        || (path.starts_with("/field/visits/") && path.ends_with("/attachments"));
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) || own_limit {
        return next.run(req).await;
    }
    let announced =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if announced.is_some_and(|n| n > MAX_BODY) {
        return too_large();
    }
    let (parts, body) = req.into_parts();
    match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(bytes) => next.run(Request::from_parts(parts, Body::from(bytes))).await,
        Err(_) => too_large(),
    }
}

/// The client's address as configured (`LZ_CLIENT_IP_SOURCE`): the connection's peer by
/// default, or the header a trusted reverse proxy sets (e.g. `RightmostXForwardedFor`,
/// `XRealIp`; the peer when the header is missing). An IPv6 address counts as its /64, which one
/// household or attacker holds whole. "unknown" when nothing can be read.
pub async fn client_ip(parts: &mut axum::http::request::Parts) -> String {
    use axum::extract::{ConnectInfo, FromRequestParts};
    let ip = match ClientIp::from_request_parts(parts, &()).await {
        Ok(ClientIp(ip)) => Some(ip),
        Err(_) => parts.extensions.get::<ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip()),
    };
    ip.map(address_key).unwrap_or_else(|| "unknown".into())
}

/// How an address is counted: IPv4 as is, IPv6 by its /64 (IPv4-mapped ones as IPv4).
pub fn address_key(ip: std::net::IpAddr) -> String {
    match ip {
        std::net::IpAddr::V4(v4) => v4.to_string(),
        std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// Puts the client's address on every request (`ClientAddr`), for the login throttle and the
/// password change.
async fn resolve_client(req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let ip = client_ip(&mut parts).await;
    parts.extensions.insert(ClientAddr(ip));
    next.run(Request::from_parts(parts, body)).await
}

/// `next` if it is a path of this app, else `/`: no scheme, no host, no `//` or `/\` (which
/// browsers read as another host), no control characters or whitespace (a tab is dropped by
/// browsers, so `/\t/evil` becomes `//evil`).
pub fn local_path(next: &str) -> &str {
    let base = url::Url::parse("http://lianzhao.invalid/").ok();
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(|c| c.is_control() || c.is_whitespace())
        && base
            .and_then(|b| b.join(next).ok())
            .is_some_and(|u| u.host_str() == Some("lianzhao.invalid") && u.scheme() == "http");
    if ok {
        next
    } else {
        "/"
    }
}

/// Marks `res` as a refused access to `record` (a hidden record's 404), for [`note_denials`].
pub fn mark_hidden(res: &mut Response, record: &str) {
    if let Ok(value) = HeaderValue::from_str(record) {
        res.headers_mut().insert(HeaderName::from_static(DENIED_HEADER), value);
    }
}

/// A plain 404 for a record the user may not see, marked as a denial.
pub fn hidden(record: &str) -> Response {
    let mut res = StatusCode::NOT_FOUND.into_response();
    mark_hidden(&mut res, record);
    res
}

/// Outside every route (only the timeout and header layers are further out): a 403, or a response marked by [`mark_hidden`] or a server function,
/// is noted in the denial log with the user the inner layers put on the response
/// (`SessionUser` extension) and the route; the mark never leaves the server.
pub async fn note_denials(
    axum::extract::State(state): axum::extract::State<app::backend::AppState>,
    req: Request,
    next: Next,
) -> Response {
    let route = format!("{} {}", req.method(), req.uri().path());
    let mut res = next.run(req).await;
    let mark = res.headers_mut().remove(DENIED_HEADER);
    if res.status() == StatusCode::FORBIDDEN || mark.is_some() {
        let record = mark.as_ref().and_then(|v| v.to_str().ok()).filter(|r| *r != "-");
        let user = res.extensions().get::<app::wire::auth::SessionUser>();
        state.denials.note(user, &route, record);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_of_this_app_are_redirect_targets() {
        for good in ["/", "/leads?stage=签约", "/leads/12#notes", "/a/b/../c"] {
            assert_eq!(local_path(good), good);
        }
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "\\\\evil.example",
            "https://evil.example",
            "javascript:alert(1)",
            "evil.example",
            "/%0a/x\n",
            "",
        ] {
            assert_eq!(local_path(bad), "/", "{bad:?}");
        }
    }

    #[test]
    fn ipv6_addresses_count_by_their_64() {
        let key = |s: &str| address_key(s.parse().unwrap());
        assert_eq!(key("203.0.113.9"), "203.0.113.9");
        assert_eq!(key("2001:db8:1:2:aaaa::1"), key("2001:db8:1:2:bbbb::9"));
        assert_eq!(key("2001:db8:1:2::1"), "2001:db8:1:2::/64");
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
        assert_eq!(key("::ffff:198.51.100.7"), "198.51.100.7");
    }
}
