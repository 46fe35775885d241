//! After a refused plain post the page's address carries server_fn's `__path` / `__err`: that is
//! how the refusal reaches the server-rendered page. Left there, a reload would show the refusal
//! again on a form that no longer holds what was typed (a draft is handed over once). Once the
//! page is shown, this island takes them out of the address (`history.replaceState`: nothing is
//! loaded again). Without JavaScript they stay, and the server keeps only the newest pair when a
//! post from that page is refused again (`server::web::tidy_redirect`).

use crate::components::island::mark_ready;
use leptos::html::Div;
use leptos::prelude::*;

/// [`ForgetRefusal`] on a page that came back from a refused post; nothing on any other page.
#[component]
pub fn ForgetRefusalIfAny() -> impl IntoView {
    let refused = leptos_router::hooks::use_query_map().with_untracked(|q| q.get_str("__err").is_some());
    refused.then(|| view! { <ForgetRefusal/> })
}

#[island]
pub fn ForgetRefusal() -> impl IntoView {
    let root = NodeRef::<Div>::new();
    mark_ready(root);
    Effect::new(move |_| {
        let Some(window) = web_sys::window() else { return };
        let Ok(href) = window.location().href() else { return };
        let Some(clean) = crate::domain::refusal_url::without_refusals(&href, false) else { return };
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&web_sys::wasm_bindgen::JsValue::NULL, "", Some(&clean));
        }
    });
    view! { <div hidden node_ref=root data-island="forget-refusal"></div> }
}
