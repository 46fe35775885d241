//! Saying a rules page is for reading, and who changes it.

use crate::i18n::t;
use leptos::prelude::*;

/// Who changes a rules page.
pub enum ChangedBy {
    /// The administrator alone (the score's weights).
    Admin,
    /// Managers and the administrator (milestones, efficiency rules).
    Managers,
}

/// "只读" and who changes the rules, for one who may not (`can_edit` false); nothing otherwise.
pub fn read_only_note(can_edit: bool, by: ChangedBy) -> impl IntoView {
    let key = match by {
        ChangedBy::Admin => "settings.read_only.admin",
        ChangedBy::Managers => "settings.read_only.managers",
    };
    (!can_edit).then(|| view! { <p class="read-only" id="read-only">{t(key)}</p> })
}
