//! Reading what a plain form post left for this page (a refused form's typed values, a new
//! token): the page is rendered on the server after the post's redirect, so a success value or
//! the typed text reaches it only this way (see `backend::flash`).

use crate::api::flash::take_left;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// What was left under `key`, taken once when the page renders; `None` when nothing waits (or
/// `key` is `None`: nothing to look for).
pub fn left_under<T>(key: Option<String>) -> Resource<Option<T>>
where
    T: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
{
    Resource::new(
        move || key.clone(),
        |key| async move {
            let json = take_left(key?).await.ok().flatten()?;
            serde_json::from_str(&json).ok()
        },
    )
}

/// What a refused plain post left under `key` (its typed values), when this page is the redirect
/// back from that post: its URL carries server_fn's `__err`. `None` on any other visit, so a
/// draft is never shown after a later success or on a page opened afresh.
pub fn draft_under<T>(key: &str) -> Resource<Option<T>>
where
    T: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
{
    let refused = leptos_router::hooks::use_query_map().with_untracked(|q| q.get_str("__err").is_some());
    left_under(refused.then(|| key.to_string()))
}

/// The answer a plain post of the server function `S` left for this page (see
/// `backend::context::leave_for_page`, called with `S::PATH`).
pub fn left_by<S: ServerFn>() -> Resource<Option<S::Output>>
where
    S::Output: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
{
    left_under(Some(S::PATH.to_string()))
}

/// Shows `view` with what `left` (from [`left_by`] or [`left_under`]) found, if anything. Create
/// the resource at the top of the page: a resource made inside a `Suspend` (a `LoadedOne`'s
/// content) may be made more than once, and the first one takes the value.
#[component]
pub fn Left<T, F, V>(left: Resource<Option<T>>, view: F) -> impl IntoView
where
    T: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let view = view.clone();
                Suspend::new(async move { left.await.map(view) })
            }}
        </Suspense>
    }
}

/// Shows `view` with the value `S`'s plain post left, if any (see [`Left`] on where to use it).
#[component]
pub fn LeftBy<S, F, V>(action: ServerAction<S>, view: F) -> impl IntoView
where
    S: ServerFn + Clone + Send + Sync + 'static,
    S::Output: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
    S::Error: Send + Sync + 'static,
    F: Fn(S::Output) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let _ = action; // names `S`
    let left = left_by::<S>();
    view! { <Left left=left view=view/> }
}
