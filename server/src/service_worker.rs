//! `/sw.js`: the service worker of the field pages (外出招商 offline), served from the root so its
//! scope is the whole app. Its body is `sw/*.js` joined, after a first line the server writes: the build's
//! version (a new build installs a new worker, which replaces the old caches), the hashed assets
//! to keep (the shell), and the worker's text in both languages from `app/locales`.

use app::i18n::{with_prefix, Locale};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use std::path::Path;
use std::sync::Arc;

/// The worker's parts, in order (one classic script: a worker may not `import` everywhere).
const SOURCE: [&str; 5] = [
    include_str!("sw/main.js"),
    include_str!("sw/store.js"),
    include_str!("sw/pages.js"),
    include_str!("sw/queue.js"),
    include_str!("sw/outbox.js"),
];

/// The worker's full text for the site in `site_root` (read once, at start).
pub fn script(site_root: &str) -> Arc<String> {
    let hashes = std::fs::read_to_string(Path::new(site_root).join("hash.txt")).unwrap_or_default();
    let hash_of = |ext: &str| {
        hashes
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{ext}: ")))
            .map(|h| format!("/pkg/lianzhao.{}.{ext}", h.trim()))
            .unwrap_or_else(|| format!("/pkg/lianzhao.{ext}"))
    };
    let mut assets: Vec<String> = ["js", "wasm", "css"].iter().map(|e| hash_of(e)).collect();
    assets.extend(
        ["/favicon.svg", "/manifest.webmanifest", "/sw-register.js", "/icons/icon-192.png", "/icons/icon-512.png"]
            .map(String::from),
    );
    // Without content hashes (a debug site) every start is a new version.
    let version = if hashes.is_empty() {
        format!("dev-{}", chrono::Utc::now().timestamp())
    } else {
        hashes.lines().map(|l| l.rsplit(' ').next().unwrap_or("")).collect::<Vec<_>>().join("-")
    };
    let text: serde_json::Map<String, serde_json::Value> = [Locale::ZhCn, Locale::En]
        .into_iter()
        .map(|l| {
            let table: serde_json::Map<String, serde_json::Value> = with_prefix(l, "sw.")
                .into_iter()
                .chain(with_prefix(l, "sync.field."))
                .map(|(k, v)| (k.to_string(), v.into()))
                .collect();
            (l.code().to_string(), table.into())
        })
        .collect();
    let head = serde_json::json!({ "version": version, "assets": assets, "text": text });
    Arc::new(format!("const LZ = {head};\n{}", SOURCE.join("\n")))
}

/// `GET /sw.js`: revalidated on every check (browsers look for a new worker at most daily anyway).
pub fn serve(script: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/javascript; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        script.to_string(),
    )
        .into_response()
}

/// `POST /field/take` without the worker (no JavaScript, an old browser): the pages are online
/// pages there; back to them.
pub async fn take_without_worker() -> Response {
    Redirect::to("/field").into_response()
}
