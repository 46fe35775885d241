//! A photo or voice note as a page shows it: the photo (a link to the full one), or a player.

use crate::i18n::t;
use leptos::prelude::*;

#[component]
pub fn AttachmentMedia(id: i64, kind: String) -> impl IntoView {
    let src = format!("/attachments/{id}");
    if kind == "photo" {
        let href = src.clone();
        view! {
            <a href=href class="attachment-photo">
                <img src=src loading="lazy" alt=t("attachment.kind.photo") width="160"/>
            </a>
        }
        .into_any()
    } else {
        view! { <audio controls=true preload="none" src=src class="attachment-voice"></audio> }.into_any()
    }
}
