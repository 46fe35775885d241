//! The shape of every page that reads: loading → error → (empty →) content, in one place.

use crate::components::errors::PageError;
use crate::error::AppError;
use crate::i18n::t;
use leptos::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Reads `resource` and shows "loading…" until it answers, then its error (`PageError`), the
/// `empty` message (a translation key; `empty_id` becomes the paragraph's id) when the list has
/// nothing, or `content(list)`. What it showed stays while it reloads (a `Transition`), so a
/// row's action does not blank the table. `quiet`: no "loading…" line.
#[component]
pub fn Loaded<T, V, F>(
    resource: Resource<Result<Vec<T>, AppError>>,
    content: F,
    empty: &'static str,
    #[prop(optional)] empty_id: Option<&'static str>,
    #[prop(optional)] quiet: bool,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    F: Fn(Vec<T>) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Transition fallback=move || (!quiet).then(|| view! { <p class="muted">{t("common.loading")}</p> })>
            {move || {
                let content = content.clone();
                Suspend::new(async move {
                    match resource.await {
                        Err(e) => view! { <PageError error=e/> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p class="muted" id=empty_id>{t(empty)}</p> }.into_any(),
                        Ok(list) => content(list).into_any(),
                    }
                })
            }}
        </Transition>
    }
}

/// Reads one value (a lead, a trip, a report): "loading…" until it answers, then its error
/// (`PageError`) or `content(value)`. Like [`Loaded`], what it showed stays while it reloads.
/// `quiet`: no "loading…" line (for a section inside a page that already says it).
/// `not_found`: what to say when it is not there (a message key, and a link back: its address
/// and its text's key) instead of a bare "not found" (a discarded import reached by Back).
#[component]
pub fn LoadedOne<T, V, F>(
    resource: Resource<Result<T, AppError>>,
    content: F,
    #[prop(optional)] quiet: bool,
    #[prop(optional)] not_found: Option<(&'static str, &'static str, &'static str)>,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Transition fallback=move || (!quiet).then(|| view! { <p class="muted">{t("common.loading")}</p> })>
            {move || {
                let content = content.clone();
                Suspend::new(async move {
                    match (resource.await, not_found) {
                        (Err(AppError::NotFound), Some((text, back, back_text))) => view! {
                            <div class="error-banner" role="alert" id="not-found">{t(text)}</div>
                            <p><a class="button" href=back id="not-found-back">{t(back_text)}</a></p>
                        }
                        .into_any(),
                        (Err(e), _) => view! { <PageError error=e/> }.into_any(),
                        (Ok(value), _) => content(value).into_any(),
                    }
                })
            }}
        </Transition>
    }
}
