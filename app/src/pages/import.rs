//! `/import` — 导入线索: upload an .xlsx or .csv (a plain multipart form, so it works without
//! JavaScript), then `/import/{id}` for the mapping, preview and report; past imports below.

use crate::api::imports::{list_imports, DiscardImport};
use crate::components::left::{left_by, Left};
use crate::components::loaded::Loaded;
use crate::components::options::label_of;
use crate::i18n::{t, tr_args, use_locale};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ImportPage() -> impl IntoView {
    let query = use_query_map();
    let locale = use_locale();
    let error = Memo::new(move |_| {
        query.with(|q| {
            q.get("error").filter(|k| k.starts_with("err.")).map(|key| {
                let args: Vec<(String, String)> =
                    q.get("max").map(|m| vec![("max".to_string(), m)]).unwrap_or_default();
                tr_args(locale, &key, &args)
            })
        })
    });
    let batches = Resource::new(|| (), |_| list_imports());
    // Back from 放弃本次导入 (a plain post): which upload went.
    let discarded = left_by::<DiscardImport>();
    view! {
        <h1>{t("import.title")}</h1>
        <Left left=discarded view=move |file: String| view! {
            <p class="ok" role="status" id="discarded">
                {tr_args(locale, "import.discard.done", &[("file".to_string(), file)])}
            </p>
        }/>
        <p class="muted">{t("import.intro")}</p>
        <form method="post" action="/import/upload" enctype="multipart/form-data" class="card" id="upload-form">
            <label for="file">{t("import.file")}</label>
            <input type="file" name="file" id="file" accept=".xlsx,.csv,.txt,.tsv,text/csv,text/plain,text/tab-separated-values,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required/>
            {move || error.get().map(|e| view! { <p class="field-error" id="err-file" role="alert">{e}</p> })}
            <p class="hint">{t("import.file_hint")}</p>
            <button type="submit" id="upload">{t("import.upload")}</button>
        </form>
        <h2>{t("import.history")}</h2>
        <Loaded resource=batches empty="import.none" content={move |list| view! {
                        <table class="grid" id="import-history">
                            <thead><tr>
                                <th>{t("import.file")}</th><th>{t("import.by")}</th><th>{t("import.at")}</th>
                                <th>{t("import.status")}</th><th class="num">{t("import.rows")}</th>
                                <th class="num">{t("import.created")}</th><th class="num">{t("import.updated")}</th>
                                <th class="num">{t("import.skipped")}</th><th class="num">{t("import.failed")}</th>
                            </tr></thead>
                            <tbody>
                                // Each count cell names itself (`data-label`): on a phone a batch is a
                                // block, its counts labelled on one wrapping line, not nine columns.
                                // The outcome's counts are the commit's: a batch not committed (yet)
                                // shows a dash, not four zeros.
                                {list.into_iter().map(|b| {
                                    let done = b.status == "done";
                                    let count = move |n: i32| if done { n.to_string() } else { "—".to_string() };
                                    view! {
                                    <tr>
                                        <td class="file"><a href=format!("/import/{}", b.id)>{b.file_name.clone()}</a></td>
                                        <td>{b.by.clone()}</td><td class="nowrap">{b.created_at.clone()}</td>
                                        <td>{label_of("import.state", &b.status)}</td>
                                        <td class="num" data-label=t("import.rows")>{b.row_count}</td>
                                        <td class="num" data-label=t("import.created")>{count(b.created)}</td>
                                        <td class="num" data-label=t("import.updated")>{count(b.updated)}</td>
                                        <td class="num" data-label=t("import.skipped")>{count(b.skipped)}</td>
                                        <td class="num" data-label=t("import.failed")>{count(b.failed)}</td>
                                    </tr>
                                }}).collect_view()}
                            </tbody>
                        </table>
                    }}/>
    }
}
