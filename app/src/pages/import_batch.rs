//! `/import/{id}` — one import: correct the column mapping and choose what happens to
//! duplicates, read the preview (every row new / duplicate / invalid, the reason at the cell),
//! commit, follow the progress, read the report and download the failed rows.

use super::import_read::{ReadAsCard, UnknownValuesCard};
use crate::api::flash::IMPORT_MAPPING_DRAFT;
use crate::api::imports::{get_import, CommitImport, ConfigureImport, DiscardImport};
use crate::components::errors::{action_field_errors, ErrorBanner, FieldErrorText};
use crate::components::left::draft_under;
use crate::components::loaded::LoadedOne;
use crate::components::options::label_of;
use crate::components::route_id::{id_param, read_by_id};
use crate::domain::import::ImportColumn;
use crate::domain::import_merge::DuplicateMode;
use crate::domain::import_row::UNGIVEN;
use crate::error::AppError;
use crate::i18n::{at_column, join_items, t, t_count, tr, tr_args, use_locale, Locale};
use crate::wire::imports::{ImportPage, ImportPhase, ImportProgress, MappingDraft, PreviewRow};
use leptos::prelude::*;
use leptos_meta::Meta;

#[component]
pub fn ImportBatchPage() -> impl IntoView {
    let id = id_param();
    let configure = ServerAction::<ConfigureImport>::new();
    let commit = ServerAction::<CommitImport>::new();
    let discard = ServerAction::<DiscardImport>::new();
    let batch = Resource::new(
        move || (id.get(), configure.version().get(), commit.version().get()),
        |(id, ..)| read_by_id(id, get_import),
    );
    let errors = action_field_errors(configure);
    // Back from a refused plain post of the mapping: what was chosen (see `Mapping`).
    let draft = draft_under::<MappingDraft>(IMPORT_MAPPING_DRAFT);
    // Errors of the forms that are not at a field (the kept file gone, the batch committed meanwhile).
    let commit_error = Signal::derive(move || {
        let not_at_field = |r: Result<(), AppError>| r.err().filter(|e| !matches!(e, AppError::Invalid(_)));
        commit
            .value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| discard.value().get().and_then(|r| r.err()))
            .or_else(|| configure.value().get().and_then(not_at_field))
    });
    view! {
        <LoadedOne resource=batch not_found=("import.gone", "/import", "import.gone.back") content=move |p| view! {
            <Suspense fallback=|| ()>
                {
                    let p = p.clone();
                    move || {
                        let p = p.clone();
                        Suspend::new(async move {
                            let chosen = draft.await.filter(|d| d.id == p.summary.id).map(|d| (d.mapping, d.duplicate_mode));
                            view! { <Batch p=p chosen=chosen configure=configure commit=commit discard=discard errors=errors commit_error=commit_error/> }
                        })
                    }
                }
            </Suspense>
        }/>
    }
}

#[component]
fn Batch(
    p: ImportPage,
    /// The mapping and duplicate mode of a refused plain post, shown in the mapping form.
    chosen: Option<(Vec<String>, String)>,
    configure: ServerAction<ConfigureImport>,
    commit: ServerAction<CommitImport>,
    discard: ServerAction<DiscardImport>,
    errors: Signal<Vec<crate::domain::lead::FieldError>>,
    commit_error: Signal<Option<AppError>>,
) -> impl IntoView {
    let locale = use_locale();
    let id = p.summary.id;
    let status = p.summary.status.clone();
    let running = status == "running";
    // Why the commit button does nothing useful, said beside it.
    let no_name_column = !p.mapping.iter().any(|m| m == ImportColumn::CompanyName.code());
    let nothing_to_write = p.can_commit && p.counts.create + p.counts.update == 0;
    let done = status == "done";
    let headers = p.headers.clone();
    let failure = p.error.clone().map(|e| tr_args(locale, &e.key, &e.args));
    view! {
        <p><a href="/import">{t("import.back")}</a></p>
        <h1>{t("import.title")} " · " {p.summary.file_name.clone()}</h1>
        <p id="import-status" data-status=status.clone()>
            {label_of("import.state", &status)} " · " {p.summary.row_count} " " {t_count("import.rows_unit", p.summary.row_count as u64)}
            " · " {p.summary.by.clone()} " · " {p.summary.created_at.clone()}
        </p>
        {failure.map(|f| view! { <div class="error-banner" role="alert" id="import-error">{t("import.failed_batch")} " " {f}</div> })}
        {move || commit_error.get().map(|e| view! { <ErrorBanner error=e/> })}
        {running.then(|| {
            // Not known here when another instance (or this one before a restart) runs it.
            let (phase, n, total) = match p.progress {
                Some(ImportProgress { phase, done, total }) => (Some(phase), done, total),
                None => (None, 0, p.summary.row_count as u64),
            };
            let step = phase.map_or_else(|| t("import.running").to_string(), |ph| label_of("import.phase", ph.code()));
            // While the commit runs the page reloads itself each second (plain HTML, no JavaScript).
            view! {
                <Meta http_equiv="refresh" content="1"/>
                <p id="import-progress" data-phase=phase.map(ImportPhase::code)>
                    {step} " " {n} " / " {total}
                    " " <a href=format!("/import/{id}")>{t("import.refresh")}</a></p>
                <progress max=total value=n></progress>
            }
        })}
        {done.then(|| {
            // The leads it created or updated (the batch's own filter); with none, the list.
            let see_label = match (p.summary.created > 0, p.summary.updated > 0 && p.updates_listed) {
                (true, true) => Some("import.see_imported"),
                (true, false) => Some("import.see_created"),
                (false, true) => Some("import.see_updated"),
                (false, false) => None,
            };
            let (see_href, see_label) = match see_label {
                Some(label) => (format!("/leads?import={id}"), label),
                None => ("/leads".to_string(), "import.see_leads"),
            };
            view! {
            <div class="card" id="import-report">
                <h2>{t("import.report")}</h2>
                <p>
                    {t("import.created")} " " <strong id="n-created">{p.summary.created}</strong> " · "
                    {t("import.updated")} " " <strong id="n-updated">{p.summary.updated}</strong> " · "
                    {t("import.skipped")} " " <strong id="n-skipped">{p.summary.skipped}</strong> " · "
                    {t("import.failed")} " " <strong id="n-failed">{p.summary.failed}</strong>
                </p>
                // How the rows that matched existing leads were handled (the reasons below refer to it).
                {(p.summary.updated + p.summary.skipped > 0).then(|| {
                    let mode = DuplicateMode::parse(&p.duplicate_mode).unwrap_or_default();
                    let label = tr(locale, mode.label_key()).to_string();
                    view! { <p class="muted" id="report-mode">{tr_args(locale, "import.report.mode", &[("mode".into(), label)])}</p> }
                })}
                <p class="actions">
                    <a class="button" id="see-leads" href=see_href>{t(see_label)}</a> " "
                    {(p.summary.failed > 0).then(|| view! {
                        <a class="button" id="failed-xlsx" href=format!("/import/{id}/failed.xlsx")>{t("import.failed_download")}</a>
                    })}
                </p>
            </div>
            }
        })}
        {(!done && !running).then(|| view! {
            <ReadAsCard id=id read_as=p.read_as.clone() configure=configure errors=errors/>
            <Mapping p=p.clone() chosen=chosen.clone() configure=configure errors=errors/>
            <Counts p=p.clone()/>
            <ActionForm action=commit attr:id="commit-form">
                <input type="hidden" name="id" value=id/>
                <button type="submit" class="primary" id="commit" disabled=!p.can_commit>
                    {t("import.commit")}
                </button>
                " " <small class="muted">{t("import.all_or_nothing")}</small>
                {no_name_column.then(|| view! {
                    <p class="field-error" id="commit-why">{t("import.needs_company_name")}</p>
                })}
                {nothing_to_write.then(|| view! {
                    <p class="muted" id="commit-why">{t("import.nothing_to_write")}</p>
                })}
            </ActionForm>
            // A file uploaded by mistake, or not wanted after the preview: gone, with its rows.
            // Asked twice without JavaScript too (it cannot be undone): the button is inside.
            <details class="discard" id="discard-box">
                <summary>{t("import.discard")}</summary>
                <ActionForm action=discard attr:id="discard-form">
                    <input type="hidden" name="id" value=id/>
                    <p>{t("import.discard.confirm")}</p>
                    <button type="submit" class="danger" id="discard">{t("import.discard.yes")}</button>
                </ActionForm>
            </details>
        })}
        {(!p.rows.is_empty()).then(|| view! {
            <h2>{if done { t("import.failed_rows") } else { t("import.preview") }}</h2>
            <PreviewTable headers=headers.clone() rows=p.rows.clone() mapping=p.mapping.clone() done=done/>
        })}
        // Once done: which rows matched leads already there, and what became of each.
        {(!p.merged.is_empty()).then(|| {
            let shown = p.merged.len();
            let all = (p.summary.updated + p.summary.skipped).max(0) as usize;
            view! {
                <h2 id="merged-rows">{t("import.merged_rows")}</h2>
                {(all > shown).then(|| view! {
                    <p class="muted">{tr_args(locale, "import.merged_rows.first", &[("n".into(), shown.to_string())])}</p>
                })}
                <PreviewTable headers=headers.clone() rows=p.merged.clone() mapping=p.mapping.clone() done=done id="merged"/>
            }
        })}
    }
}

#[component]
fn Mapping(
    p: ImportPage,
    chosen: Option<(Vec<String>, String)>,
    configure: ServerAction<ConfigureImport>,
    errors: Signal<Vec<crate::domain::lead::FieldError>>,
) -> impl IntoView {
    // What the user chose, when the server refused it (else the saved choice).
    let (mapping, mode) = chosen.unwrap_or_else(|| (p.mapping.clone(), p.duplicate_mode.clone()));
    // One form for the columns, the duplicate mode and the unknown values' meanings: a choice
    // made in one card is sent by the other card's button too.
    view! {
        <ActionForm action=configure attr:id="mapping-form">
            <input type="hidden" name="id" value=p.summary.id/>
            <div class="card" id="mapping-card">
                <h2>{t("import.mapping")}</h2>
                <table class="grid mapping">
                    <thead><tr><th>{t("import.file_column")}</th><th>{t("import.lead_field")}</th></tr></thead>
                    <tbody>
                        {p.headers.iter().enumerate().map(|(i, h)| {
                            let current = mapping.get(i).cloned().unwrap_or_default();
                            view! {
                                <tr>
                                    <td>{h.clone()}</td>
                                    <td>
                                        <select name=format!("mapping[{i}]") id=format!("mapping-{i}")>
                                            <option value="" selected=current.is_empty()>{t("import.not_imported")}</option>
                                            {ImportColumn::ALL.into_iter().map(|c| view! {
                                                <option value=c.code() selected=current == c.code()>{t(c.label_key())}</option>
                                            }).collect_view()}
                                        </select>
                                        <FieldErrorText errors=errors field=format!("mapping.{i}")/>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                <FieldErrorText errors=errors field="mapping"/>
                <fieldset>
                    <legend>{t("import.duplicates")}</legend>
                    {DuplicateMode::ALL.into_iter().map(|m| view! {
                        <label class="inline-check">
                            <input type="radio" name="duplicate_mode" value=m.code() id=format!("mode-{}", m.code()) checked=mode == m.code()/>
                            {t(m.label_key())}
                        </label>
                    }).collect_view()}
                </fieldset>
                <button type="submit" id="apply-mapping">{t("import.apply")}</button>
            </div>
            <UnknownValuesCard values=p.unknown_values.clone() errors=errors/>
        </ActionForm>
    }
}

#[component]
fn Counts(p: ImportPage) -> impl IntoView {
    let c = p.counts;
    view! {
        <p id="preview-counts">
            {t("import.status.new")} " " <strong id="c-new">{c.new}</strong> " · "
            {t("import.status.duplicate")} " " <strong id="c-duplicate">{c.duplicate}</strong> " · "
            {t("import.status.invalid")} " " <strong id="c-invalid">{c.invalid}</strong>
            " → " {t("import.will")} " "
            {t("import.action.create")} " " <strong id="c-create">{c.create}</strong> " · "
            {t("import.action.update")} " " <strong id="c-update">{c.update}</strong> " · "
            {t("import.action.skip")} " " <strong id="c-skip">{c.skip}</strong> " · "
            {t("import.action.fail")} " " <strong id="c-fail">{c.fail}</strong>
        </p>
        // The update count is what may change when some duplicates were not shown (only the
        // shown ones are checked against their saved leads): a lead whose fields are all filled,
        // or hold the file's values already, is left as it is and counted as skipped by the commit.
        {(c.update > 0 && !c.updates_foreseen).then(|| view! {
            <p class="muted" id="update-at-most">{if p.duplicate_mode == "fill" { t("import.update_at_most.fill") } else { t("import.update_at_most") }}</p>
        })}
        // What the new leads get that the file does not say: whose they are, and the channel and
        // stage when no column gives them.
        {(c.create > 0).then(|| {
            let locale = use_locale();
            let mapped = |code: &str| p.mapping.iter().any(|m| m == code);
            let mut said = vec![match &p.new_owner {
                Some(name) => tr_args(locale, "import.defaults.owner_you", &[("name".into(), name.clone())]),
                None => tr(locale, "import.defaults.owner_none").to_string(),
            }];
            for (column, default) in UNGIVEN {
                let code = column.code();
                if !mapped(code) {
                    let label = label_of(code, default);
                    said.push(tr_args(locale, &format!("import.defaults.{code}"), &[("label".into(), label)]));
                }
            }
            let gap = if locale == Locale::ZhCn { "" } else { " " };
            let text = format!("{}{gap}{}{}", tr(locale, "import.defaults"), join_items(locale, &said), tr(locale, "import.defaults.end"));
            view! { <p class="muted" id="new-defaults">{text}</p> }
        })}
    }
}

#[component]
fn PreviewTable(
    headers: Vec<String>,
    rows: Vec<PreviewRow>,
    /// The batch's mapping (field codes by column): a field no column fills is named as such.
    mapping: Vec<String>,
    /// A done batch's rows: their messages as the commit gave them.
    done: bool,
    /// The table's id: `preview` (before the commit; after it, the failed rows) or `merged`.
    #[prop(default = "preview")]
    id: &'static str,
) -> impl IntoView {
    let locale = use_locale();
    let width = headers.len();
    // The company's column: a new or refused row names its company beside what happens to it
    // (on a phone the cells are a swipe away).
    let name_column = mapping.iter().position(|m| matches!(ImportColumn::parse(m), Some(ImportColumn::CompanyName)));
    view! {
        <div class="scroll">
            <table class="grid preview" id=id>
                <thead><tr>
                    // The reasons beside the outcome, before the file's cells: on a phone they are
                    // in view with the row number, the cells a swipe away.
                    <th class="num">{t("import.line")}</th><th class="row-status">{t("import.status")}</th><th>{t("import.action")}</th>
                    <th>{t("import.reasons")}</th>
                    {headers.iter().map(|h| view! { <th>{h.clone()}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| {
                        let bad: Vec<usize> = r.issues.iter().filter_map(|i| i.column).collect();
                        let notes = r.notes.clone();
                        // Fields no column of the file fills are named together, with where to give
                        // them one (their cells' own message, "choose from the list", would mislead).
                        let mut missing: Vec<&str> = Vec::new();
                        let mut reasons: Vec<String> = r.issues.iter().filter_map(|i| {
                            let text = tr_args(locale, &i.error.key, &i.error.args);
                            match (i.column.and_then(|c| headers.get(c)), ImportColumn::of_field(&i.error.field)) {
                                (Some(h), _) => Some(at_column(locale, h, text)),
                                (None, Some(field)) if !done && !mapping.iter().any(|m| m == field.code()) => {
                                    let label = tr(locale, field.label_key());
                                    if !missing.contains(&label) {
                                        missing.push(label);
                                    }
                                    None
                                }
                                (None, Some(field)) => Some(at_column(locale, tr(locale, field.label_key()), text)),
                                (None, None) => Some(text),
                            }
                        }).collect();
                        if !missing.is_empty() {
                            let fields = missing.join(if locale == Locale::ZhCn { "、" } else { ", " });
                            reasons.insert(0, tr_args(locale, "import.not_in_file", &[("fields".into(), fields)]));
                        }
                        // The cells' notes (a region saved as the USCC's, a converted amount, a folded
                        // phone) also stand here, named by column: on a phone the cells are a swipe away.
                        let noted: Vec<String> = notes.iter().map(|n| {
                            let text = tr_args(locale, &n.error.key, &n.error.args);
                            match n.column.and_then(|c| headers.get(c)) {
                                Some(h) => at_column(locale, h, text),
                                None => text,
                            }
                        }).collect();
                        view! {
                            <tr class=format!("row-{}", r.status) data-line=r.line>
                                <td class="num">{r.line}</td>
                                <td class="row-status">{label_of("import.status", &r.status)}</td>
                                <td>{label_of("import.action", &r.action)}
                                    {r.target.is_none().then(|| name_column.and_then(|c| r.cells.get(c)).filter(|n| !n.trim().is_empty()).map(|n| view! {
                                        <br/><small class="row-company">{n.clone()}</small>
                                    })).flatten()}
                                    {r.target.clone().map(|(id, name)| view! {
                                        <br/><small><a href=format!("/leads/{id}")>{name}</a>
                                        // "(same USCC)" stands apart in English; "（…）" needs no space.
                                        {(locale != Locale::ZhCn).then_some(" ")}
                                        {if r.by_uscc { t("import.by_uscc") } else { t("import.by_name") }}</small>
                                    })}
                                </td>
                                <td class="reasons" class:given=!reasons.is_empty() || !noted.is_empty()>{join_items(locale, &reasons)}
                                    {(!noted.is_empty()).then(|| view! {
                                        {(!reasons.is_empty()).then(|| view! { <br/> })}
                                        <small class="cell-note">{join_items(locale, &noted)}</small>
                                    })}
                                </td>
                                {(0..width).map(|i| {
                                    let cell = r.cells.get(i).cloned().unwrap_or_default();
                                    let note: Vec<String> = notes.iter().filter(|n| n.column == Some(i))
                                        .map(|n| tr_args(locale, &n.error.key, &n.error.args)).collect();
                                    // Codes and phone numbers read whole (a landline broke after its hyphen).
                                    let whole = matches!(mapping.get(i).and_then(|m| ImportColumn::parse(m)), Some(ImportColumn::Uscc | ImportColumn::ContactPhone));
                                    view! {
                                        <td class:bad-cell=bad.contains(&i) class:nowrap=whole>{cell}
                                            {(!note.is_empty()).then(|| view! { <br/><small class="cell-note">{join_items(locale, &note)}</small> })}
                                        </td>
                                    }
                                }).collect_view()}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
