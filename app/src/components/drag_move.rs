//! Dragging a kanban card to another column, as an island around the server-rendered board: the
//! drop fills in the card's own move form (the one a user without JavaScript opens by hand) and
//! submits it, so a drag and a typed move are one path to the server. A move that skips a stage
//! or goes back asks for the comment the pipeline requires.

use crate::components::island::mark_ready;
use crate::domain::catalog::Stage;
use crate::domain::stage::position;
use leptos::html::Div;
use leptos::prelude::*;
use web_sys::wasm_bindgen::JsCast;

fn is_next(from: &str, to: &str) -> bool {
    match (Stage::parse(from).and_then(position), Stage::parse(to).and_then(position)) {
        (Some(a), Some(b)) => b == a + 1,
        _ => false,
    }
}

/// The element an event happened in, or its closest ancestor matching `css`.
fn closest(ev: &web_sys::Event, css: &str) -> Option<web_sys::Element> {
    ev.target()?.dyn_into::<web_sys::Element>().ok()?.closest(css).ok().flatten()
}

fn set_value(form: &web_sys::Element, css: &str, value: &str) {
    if let Some(el) = form.query_selector(css).ok().flatten() {
        let _ = el.set_attribute("value", value);
        if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
            input.set_value(value);
        } else if let Some(select) = el.dyn_ref::<web_sys::HtmlSelectElement>() {
            select.set_value(value);
        }
    }
}

/// Wraps the board (`.kanban-column[data-stage]` holding `.kanban-card[data-id]`, each with a
/// `form.card-move-form`). `prompt` is the translated comment question.
#[island]
pub fn DragToMove(prompt: String, children: Children) -> impl IntoView {
    let root = NodeRef::<Div>::new();
    mark_ready(root);
    // The card being dragged: its `data-id` and the stage it comes from. Plain strings, not the
    // element: a `new_local` value is a `SendWrapper` even on the server, where the page's owner
    // may be dropped on another worker thread and panic under load (leptos-rs/leptos#4746).
    let dragging = StoredValue::new(None::<(String, String)>);
    let on_start = move |ev: leptos::ev::DragEvent| {
        let card = closest(&ev, ".kanban-card").and_then(|c| c.get_attribute("data-id"));
        let from = closest(&ev, ".kanban-column").and_then(|c| c.get_attribute("data-stage"));
        dragging.set_value(card.zip(from));
    };
    let on_over = move |ev: leptos::ev::DragEvent| {
        if closest(&ev, ".kanban-column").is_some() {
            ev.prevent_default();
        }
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        let Some(column) = closest(&ev, ".kanban-column") else { return };
        ev.prevent_default();
        let Some((id, from)) = dragging.try_update_value(Option::take).flatten() else { return };
        let Some(to) = column.get_attribute("data-stage").filter(|to| *to != from) else { return };
        let css = format!(".kanban-card[data-id=\"{id}\"]");
        let Some(card) = root.get_untracked().and_then(|r| r.query_selector(&css).ok().flatten()) else { return };
        let Some(form) = card.query_selector("form.card-move-form").ok().flatten() else { return };
        if !is_next(&from, &to) {
            // Cancelling the question cancels the move.
            let Some(comment) = web_sys::window().and_then(|w| w.prompt_with_message(&prompt).ok().flatten()) else {
                return;
            };
            set_value(&form, "input[name='form[comment]']", &comment);
        }
        set_value(&form, "select[name='form[to]']", &to);
        if let Ok(form) = form.dyn_into::<web_sys::HtmlFormElement>() {
            let _ = form.request_submit();
        }
    };
    view! {
        <div class="kanban-dnd" node_ref=root data-island="drag-to-move"
            on:dragstart=on_start on:dragover=on_over on:drop=on_drop>
            {children()}
        </div>
    }
}
