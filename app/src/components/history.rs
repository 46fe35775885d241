//! Field changes (审计) as people read them: the field's name and old → new, translated where
//! the value is a code.

use crate::components::options::label_of;
use crate::i18n::{join_items, t, use_locale};
use crate::wire::leads::FieldChange;
use leptos::prelude::*;

pub use crate::wire::leads::field_label;

fn value(field: &str, v: &str) -> String {
    if v.is_empty() {
        return "—".into();
    }
    match field {
        "industry" | "stage" | "channel" | "sector" => label_of(field, v),
        "energy_use" => label_of("energy", v),
        "high_tech" | "specialised" | "listed" | "major_flag" => label_of("common", v),
        // Stored joined by "；" (`history::contacts_text`), shown as the page's language joins.
        "contacts" => join_items(use_locale(), &v.split('；').map(str::to_string).collect::<Vec<_>>()),
        _ => v.to_string(),
    }
}

/// "字段: old → new" in one line.
pub fn change_text(c: &FieldChange) -> String {
    format!("{}: {} → {}", t(field_label(&c.field)), value(&c.field, &c.old), value(&c.field, &c.new))
}

pub fn change_list(changes: Vec<FieldChange>) -> impl IntoView {
    view! {
        <ul class="changes">
            {changes.into_iter().map(|c| view! {
                <li>
                    <strong>{t(field_label(&c.field)).to_string()}</strong> ": "
                    {format!("{} → {}", value(&c.field, &c.old), value(&c.field, &c.new))}
                    <span class="muted">{format!(" · {} · {}", c.who, c.at)}</span>
                </li>
            }).collect_view()}
        </ul>
    }
}
