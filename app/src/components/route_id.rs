//! The `:id` of a detail page's route (`/leads/{id}`, `/trips/{id}`, …) and reading by it.

use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use std::future::Future;

/// The route's `:id`, if it is a number.
pub fn id_param() -> Memo<Option<i64>> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| s.parse().ok())))
}

/// `read(id)`, or `NotFound` when the URL's id is not a number (`/leads/abc`).
pub async fn read_by_id<T, Fut>(id: Option<i64>, read: impl FnOnce(i64) -> Fut) -> Result<T, AppError>
where
    Fut: Future<Output = Result<T, AppError>>,
{
    match id {
        Some(id) => read(id).await,
        None => Err(AppError::NotFound),
    }
}
