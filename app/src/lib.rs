//! Lianzhao 链招: the Leptos app (pages, components, server functions) and the pure domain.

#![recursion_limit = "256"]

pub mod api;
pub mod app;
pub mod components;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod pages;
pub mod wire;

#[cfg(feature = "ssr")]
pub mod backend;

pub use app::{shell, App};

/// The browser's entry point (islands mode): pages are rendered on the server only, and Leptos's
/// loader hydrates each `#[island]` on the page after this returns. Marks the page
/// `body[data-hydrated="<ms>"]` (the milliseconds since navigation start, for `make bench`) once a
/// macrotask has passed, by when the loader has walked the page; each island also marks its own
/// root `data-ready` (`components::island::mark_ready`), which the browser tests wait for.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    leptos::prelude::set_timeout(
        || {
            let window = web_sys::window();
            let now = window.as_ref().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or_default();
            if let Some(body) = window.and_then(|w| w.document()).and_then(|d| d.body()) {
                // Whole milliseconds as an integer: float formatting would add ~10 KB of wasm.
                let _ = body.set_attribute("data-hydrated", &(now.round() as u64).to_string());
            }
        },
        std::time::Duration::ZERO,
    );
}
