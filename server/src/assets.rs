//! The built site's static files (`/pkg/…`: wasm, JS glue, CSS) and the caching and compression
//! rules of every response. All of it is tower-http's: `ServeDir` sends the `.br`/`.gz` copies that
//! `scripts/build-site.sh` made at build time, `CompressionLayer` compresses what the app renders.
//!
//! Caching (one rule per kind of response):
//! - content-hashed assets (`lianzhao.0123456789abcdef.wasm`): `public, max-age=31536000, immutable`
//!   — a new build has new names, so a browser never needs to ask again;
//! - other static files: `no-cache` (revalidated with `Last-Modified`);
//! - downloads (`Content-Disposition: attachment`: exports, reports, failed rows): `no-store`;
//! - everything else the app renders (pages, server-function JSON): `no-store` — a signed-in
//!   page is the office's data as it was, and Back must not show it again from the cache (an
//!   import discarded, then its preview back with live buttons, 2026-12-06).

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use std::path::Path;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
pub const REVALIDATE: &str = "no-cache";
pub const PAGE: &str = "no-store";
pub const DOWNLOAD: &str = "no-store";

/// `/pkg`: the site's `pkg/` directory, precompressed copies preferred (brotli, then gzip).
pub fn pkg_service(site_root: &str) -> ServeDir {
    ServeDir::new(Path::new(site_root).join("pkg")).precompressed_br().precompressed_gzip()
}

/// Whether a file name carries a content hash (`name.<16 hex digits>.ext`, as build-site.sh
/// writes them).
pub fn is_hashed(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path);
    file.split('.').any(|part| part.len() == 16 && part.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Middleware for `/pkg`: cache hashed names for a year, others revalidate; caches must keep
/// one copy per encoding.
pub async fn pkg_headers(req: Request, next: Next) -> Response {
    let rule = if is_hashed(req.uri().path()) { IMMUTABLE } else { REVALIDATE };
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(rule));
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    res
}

/// Middleware for every response: downloads and pages are never stored; a response with its own
/// rule keeps it.
pub async fn cache_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let download = res
        .headers()
        .get(header::CONTENT_DISPOSITION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("attachment"));
    let headers = res.headers_mut();
    if download {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(DOWNLOAD));
    } else if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(PAGE));
    }
    res
}

/// Brotli or gzip for what the app renders (pages, JSON, CSV, calendars), as the client asks.
/// Skipped: tiny bodies, images, and formats that are already compressed (xlsx is a zip);
/// responses that already carry a `Content-Encoding` (the precompressed assets) pass untouched.
pub fn compression() -> CompressionLayer<impl Predicate> {
    let predicate = SizeAbove::new(256)
        .and(NotForContentType::IMAGES)
        .and(NotForContentType::const_new("application/vnd.openxmlformats"))
        .and(NotForContentType::const_new("application/zip"))
        .and(NotForContentType::const_new("application/wasm"))
        .and(NotForContentType::SSE);
    CompressionLayer::new().br(true).gzip(true).compress_when(predicate)
}

#[cfg(test)]
mod tests {
    use super::is_hashed;

    #[test]
    fn only_content_hashed_names_count_as_hashed() {
        assert!(is_hashed("/pkg/lianzhao.0a1b2c3d4e5f6789.wasm"));
        assert!(is_hashed("/pkg/lianzhao.0A1B2C3D4E5F6789.css"));
        assert!(!is_hashed("/pkg/lianzhao.wasm"));
        assert!(!is_hashed("/pkg/snippets/x/inline0.js"));
        assert!(!is_hashed("/pkg/lianzhao.0a1b2c3d.js"));
    }
}
