//! The Content-Security-Policy. Pages are rendered with a fresh nonce (leptos_axum provides one
//! per render) that their inline hydration script carries; every other response gets
//! [`DEFAULT_CSP`], which allows no inline script at all (set in `server/src/security.rs`).

use leptos::prelude::*;

/// Same-origin everything; wasm may compile; style attributes (chart bars) but no inline
/// `<style>`; nothing may frame a page; forms post only here.
pub const DEFAULT_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
     style-src-attr 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

/// [`DEFAULT_CSP`] that also runs inline scripts carrying `nonce`.
pub fn page_csp(nonce: &str) -> String {
    DEFAULT_CSP.replacen("script-src 'self'", &format!("script-src 'self' 'nonce-{nonce}'"), 1)
}

/// Sets the page's CSP on the response being rendered (call from the shell).
pub fn set_page_csp() {
    if let (Some(nonce), Some(res)) = (use_nonce(), use_context::<leptos_axum::ResponseOptions>()) {
        if let Ok(value) = http::HeaderValue::from_str(&page_csp(&nonce)) {
            res.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_allow_only_their_nonce() {
        let csp = page_csp("abc");
        assert!(csp.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval'"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("script-src 'unsafe-inline'") && !csp.contains("style-src 'self' 'unsafe-inline'"));
    }
}
