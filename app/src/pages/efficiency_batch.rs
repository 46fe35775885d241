//! `/efficiency/import/{id}` — a 亩均效益 figures file before it is saved: how each header was
//! read, how many rows add an enterprise, update one or cannot be read (the reason at the cell),
//! the rows themselves; then save, and the outcome.

use super::efficiency::figure;
use crate::api::efficiency::{get_figure_batch, CommitFigureBatch};
use crate::components::errors::ErrorBanner;
use crate::components::loaded::LoadedOne;
use crate::components::route_id::{id_param, read_by_id};
use crate::i18n::{t, t_count, tr_args, use_locale};
use crate::wire::efficiency::{FigureBatchPage, FigureLine};
use leptos::prelude::*;

fn line_row(l: FigureLine) -> impl IntoView {
    let locale = use_locale();
    let f = l.figures.clone();
    let state = if !l.problems.is_empty() {
        t("efficiency.row.problem").to_string()
    } else if l.enterprise_id.is_none() {
        t("efficiency.row.new").to_string()
    } else if l.replaces {
        t("efficiency.row.replaces").to_string()
    } else {
        t("efficiency.row.update").to_string()
    };
    let problems: Vec<String> =
        l.problems.iter().map(|p| format!("{}: {}", p.column, tr_args(locale, &p.key, &p.args))).collect();
    let known = l.known_name.clone().map(|n| format!("{} {n}", t("efficiency.known_as")));
    view! {
        <tr id=format!("line-{}", l.line) class:behind=!l.problems.is_empty()>
            <td class="num">{l.line}</td>
            <td>{l.uscc.clone()}</td>
            <td>{l.name.clone()} {known.map(|k| view! { <br/><small class="muted">{k}</small> })}</td>
            <td>{l.year}</td>
            <td class="num">{figure(f.land_mu)}</td><td class="num">{figure(f.tax_wan)}</td>
            <td class="num">{figure(f.revenue_wan)}</td><td class="num">{figure(f.added_value_wan)}</td>
            <td class="num">{figure(f.energy_tce)}</td><td class="num">{figure(f.rd_wan)}</td>
            <td class="num">{figure(f.employees)}</td>
            <td>{state} {problems.into_iter().map(|p| view! { <div class="field-error">{p}</div> }).collect_view()}</td>
        </tr>
    }
}

#[component]
pub fn FigureBatchPageView() -> impl IntoView {
    let id = id_param();
    let commit = ServerAction::<CommitFigureBatch>::new();
    let batch = Resource::new(move || (id.get(), commit.version().get()), |(id, _)| read_by_id(id, get_figure_batch));
    let failure = move || commit.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBanner error=e/> });
    view! {
        <p><a href="/efficiency">{t("efficiency.back")}</a></p>
        {failure}
        <LoadedOne resource=batch content=move |p| view! { <Batch p=p commit=commit/> }/>
    }
}

#[component]
fn Batch(p: FigureBatchPage, commit: ServerAction<CommitFigureBatch>) -> impl IntoView {
    let done = p.status == "done";
    let id = p.id;
    let status_text = t(&format!("efficiency.batch.{}", p.status)).to_string();
    let summary = if done {
        format!(
            "{} {} · {} {} · {} {}",
            t("efficiency.saved_new"),
            p.created,
            t("efficiency.saved_updated"),
            p.updated,
            t("efficiency.saved_failed"),
            p.failed
        )
    } else {
        format!(
            "{} {} · {} {} · {} {}",
            t("efficiency.row.new"),
            p.new_count,
            t("efficiency.row.update"),
            p.update_count,
            t("efficiency.row.problem"),
            p.problem_count
        )
    };
    let year = p.year;
    let save = if p.can_commit {
        Some(view! {
            <ActionForm action=commit>
                <input type="hidden" name="id" value=id/>
                <button type="submit" id="efficiency-commit">{t("efficiency.commit")}</button>
            </ActionForm>
        })
    } else {
        None
    };
    let after = if done {
        Some(
            view! { <p><a id="efficiency-see-grades" href=format!("/efficiency?year={year}")>{t("efficiency.see_grades")}</a></p> },
        )
    } else {
        None
    };
    view! {
        <h1>{t("efficiency.upload_title")} " · " {p.file_name.clone()}</h1>
        <p id="efficiency-batch-status" data-status=p.status.clone()>{status_text} " · " {p.year} " · " {p.row_count} " " {t_count("import.rows_unit", p.row_count as u64)}</p>
        <p id="efficiency-batch-summary">{summary}</p>
        <details>
            <summary>{t("efficiency.columns_read")}</summary>
            <ul>{p.mapping.iter().map(|(h, k)| {
                let read_as = if k.is_empty() { t("efficiency.column_ignored").to_string() } else { t(k).to_string() };
                view! { <li>{h.clone()} " → " {read_as}</li> }
            }).collect_view()}</ul>
        </details>
        {save}
        {after}
        <div class="table-scroll">
        <table class="grid" id="efficiency-lines">
            <thead><tr>
                <th class="num">{t("import.line")}</th><th>{t("efficiency.col.uscc")}</th><th>{t("efficiency.col.name")}</th>
                <th>{t("efficiency.year")}</th><th class="num">{t("efficiency.col.land")}</th><th class="num">{t("efficiency.col.tax")}</th>
                <th class="num">{t("efficiency.col.revenue")}</th><th class="num">{t("efficiency.col.added_value")}</th>
                <th class="num">{t("efficiency.col.energy")}</th><th class="num">{t("efficiency.col.rd")}</th>
                <th class="num">{t("efficiency.col.employees")}</th><th>{t("import.status")}</th>
            </tr></thead>
            <tbody>{p.rows.into_iter().map(line_row).collect_view()}</tbody>
        </table>
        </div>
    }
}
