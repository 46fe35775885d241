//! Filters that apply as soon as a choice changes, as an island around a plain GET form: a
//! changed select or check box submits the form it sits in. Without JavaScript the form's own
//! button does it.

use crate::components::island::mark_ready;
use leptos::html::Div;
use leptos::prelude::*;
use web_sys::wasm_bindgen::JsCast;

#[island]
pub fn AutoSubmit(children: Children) -> impl IntoView {
    let root = NodeRef::<Div>::new();
    mark_ready(root);
    let on_change = |ev: leptos::ev::Event| {
        let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
        let choice =
            el.tag_name().eq_ignore_ascii_case("select") || el.get_attribute("type").as_deref() == Some("checkbox");
        let form = el.closest("form").ok().flatten().and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok());
        if let (true, Some(form)) = (choice, form) {
            let _ = form.request_submit();
        }
    };
    view! {
        <div class="auto-submit" node_ref=root data-island="auto-submit" on:change=on_change>
            {children()}
        </div>
    }
}
