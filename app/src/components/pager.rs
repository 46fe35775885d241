//! A list's pager: 上一页, which page of how many, 下一页 (each link only where there is a page
//! to go to).

use crate::i18n::{t, tr_args, use_locale};
use leptos::prelude::*;

/// `prev`/`next` are the pages' addresses; `pages` is `None` when the total was not counted to
/// the end (the lead list's 「共 N+ 条」), and the pager then says only the page's number.
#[component]
pub fn Pager(prev: Option<String>, next: Option<String>, page: u64, pages: Option<u64>) -> impl IntoView {
    let locale = use_locale();
    let at = match pages {
        Some(pages) => {
            tr_args(locale, "common.page_of", &[("page".into(), page.to_string()), ("pages".into(), pages.to_string())])
        }
        None => tr_args(locale, "common.page", &[("page".into(), page.to_string())]),
    };
    let alone = prev.is_none() && next.is_none();
    view! {
        <nav class="pager">
            {prev.map(|href| view! { <a href=href rel="prev">{t("common.prev")}</a> })}
            {(!alone).then(|| view! { <span class="muted page-at">{at}</span> })}
            {next.map(|href| view! { <a href=href rel="next">{t("common.next")}</a> })}
        </nav>
    }
}
