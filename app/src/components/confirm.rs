//! A question before a form that cannot be undone from the page (delete a lead, cancel a trip),
//! as an island around the plain form: the submit goes ahead only when the user says yes.
//! Without JavaScript the form posts at once (the lead goes to the trash, from where it can be
//! restored).

use crate::components::island::mark_ready;
use leptos::html::Div;
use leptos::prelude::*;

/// `question` is translated on the server.
#[island]
pub fn Confirm(question: String, children: Children) -> impl IntoView {
    let root = NodeRef::<Div>::new();
    mark_ready(root);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        let yes = web_sys::window().and_then(|w| w.confirm_with_message(&question).ok()).unwrap_or(true);
        if !yes {
            ev.prevent_default();
        }
    };
    view! {
        <div class="island-wrap" node_ref=root data-island="confirm" on:submit=on_submit>
            {children()}
        </div>
    }
}
