//! A period report's head: its way back and on, and its files.

use crate::i18n::t;
use leptos::prelude::*;

/// Where a period report lives: its page (`/weekly`), its files' path without the extension
/// (`/reports/weekly`, `.xlsx` and `.csv` added), the query key (`week`) and the ids' prefix
/// (`weekly`: `weekly-xlsx`, `weekly-csv`).
pub struct ReportPaths {
    pub page: &'static str,
    pub files: &'static str,
    pub key: &'static str,
    pub id: &'static str,
}

/// `‹ prev`, `next ›` (only once `next` has begun: `None` otherwise) and the Excel and CSV of
/// `period`, each pair wrapping as one (wrapped apart, "on" came before "back"), for the page's
/// `.page-head`.
pub fn period_steps(at: ReportPaths, period: &str, prev: &str, next: Option<String>) -> impl IntoView {
    let ReportPaths { page, files, key, id } = at;
    view! {
        <span class="period-steps">
            <a class="button" href=format!("{page}?{key}={prev}")>"‹ " {prev.to_string()}</a>
            {next.map(|next| view! { " " <a class="button" href=format!("{page}?{key}={next}")>{next.clone()} " ›"</a> })}
        </span>
        <span class="period-steps">
            <a class="button primary" id=format!("{id}-xlsx") href=format!("{files}.xlsx?{key}={period}")>{t("report.download")}</a>
            " " <a class="button" id=format!("{id}-csv") href=format!("{files}.csv?{key}={period}")>{t("export.csv")}</a>
        </span>
    }
}

/// A report of a period not yet begun says so (there is nothing to count yet): `None` once begun.
pub fn not_begun_notice(begun: bool) -> Option<impl IntoView> {
    (!begun).then(|| view! { <p class="warning" id="not-begun">{crate::i18n::t("report.not_begun")}</p> })
}
