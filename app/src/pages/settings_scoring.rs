use crate::api::scoring::{score_settings, SaveScoreConfig};
use crate::components::errors::{action_field_errors, ErrorBanner, FieldErrorText};
use crate::components::left::left_by;
use crate::components::loaded::LoadedOne;
use crate::domain::lead::FieldError;
use crate::domain::score::CONFIG_FIELDS;
use crate::i18n::{t, tr_args, use_locale};
use crate::wire::scoring::fmt_value;
use leptos::prelude::*;

/// `/settings/scoring` — the office's weights, thresholds and grade cut-offs, and every past
/// version (who, when, old → new). Admins edit; everyone else reads.
#[component]
pub fn ScoringSettingsPage() -> impl IntoView {
    let locale = use_locale();
    let save = ServerAction::<SaveScoreConfig>::new();
    let page = Resource::new(move || save.version().get(), |_| score_settings());
    let errors: Signal<Vec<FieldError>> = action_field_errors(save);
    // The report a plain post of the form left (the page is rendered after its redirect).
    let saved = left_by::<SaveScoreConfig>();
    let report = move || {
        save.value().get().and_then(|r| r.err()).map(|e| {
            if e.field_errors().is_empty() {
                view! { <ErrorBanner error=e/> }.into_any()
            } else {
                view! { <div class="error-banner" role="alert">{t("err.invalid")}</div> }.into_any()
            }
        })
    };
    view! {
        <h1>{t("settings.scoring.title")}</h1>
        <p class="hint">{t("settings.scoring.office_note")}</p>
        {report}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                saved.await.map(|rep| view! {
                    <div class="ok-banner" id="rescore-report">
                        {tr_args(locale, "settings.scoring.saved", &[
                            ("version".into(), rep.version.to_string()),
                            ("count".into(), rep.rescored.to_string()),
                            ("millis".into(), rep.millis.to_string()),
                        ])}
                    </div>
                })
            })}
        </Suspense>
        <LoadedOne resource=page content=move |p| {
            let can_edit = p.can_edit;
            let version = tr_args(locale, "settings.scoring.version", &[("version".into(), p.version.to_string())]);
            view! {
                <p id="score-version" data-version=p.version>{version}</p>
                {crate::components::read_only::read_only_note(can_edit, crate::components::read_only::ChangedBy::Admin)}
                <ActionForm action=save>
                    <table class="grid settings">
                        <tbody>
                            {CONFIG_FIELDS.iter().map(|f| {
                                let (field, value) = (f.path, (f.get)(&p.config));
                                let name = format!("form[values][{field}]");
                                let id = field.replace('.', "-");
                                view! {
                                    <tr>
                                        <td><label for=id.clone()>{t(&format!("settings.scoring.{field}")).to_string()}</label></td>
                                        <td>
                                            <input id=id name=name value=fmt_value(value) inputmode="decimal" disabled=!can_edit/>
                                            <FieldErrorText errors=errors field=field.to_string()/>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    {can_edit.then(|| view! {
                        <label>{t("settings.scoring.note")}<input name="form[note]" id="score-note"/></label>
                        <FieldErrorText errors=errors field="note"/>
                        <button type="submit" class="primary" id="save-scoring">
                            {t("settings.scoring.save")}
                        </button>
                    })}
                </ActionForm>
                <h2>{t("settings.scoring.history")}</h2>
                <table class="grid" id="score-history">
                    <thead><tr>
                        <th>{t("settings.scoring.col.version")}</th><th>{t("settings.scoring.col.who")}</th>
                        <th>{t("settings.scoring.col.when")}</th><th>{t("settings.scoring.col.changes")}</th>
                        <th>{t("settings.scoring.note")}</th>
                    </tr></thead>
                    <tbody>
                        {p.history.into_iter().map(|v| view! {
                            <tr data-version=v.version>
                                <td>{v.version}</td>
                                <td>{v.created_by.unwrap_or_else(|| t("settings.scoring.system").to_string())}</td>
                                <td>{v.created_at}</td>
                                <td>
                                    <ul class="changes">
                                        {v.changes.into_iter().map(|c| view! {
                                            <li>{t(&format!("settings.scoring.{}", c.field)).to_string()} ": " {c.old} " → " {c.new}</li>
                                        }).collect_view()}
                                    </ul>
                                </td>
                                <td>{v.note}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }
        }/>
    }
}
