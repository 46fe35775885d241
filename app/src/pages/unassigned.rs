//! `/leads/unassigned` — leads without a team or owner, each with the suggested team and owner
//! and why; managers assign one (take the suggestion) or many at once.

use crate::api::assignment::{assign_targets, unassigned_queue, AssignLeads, AssignTarget};
use crate::api::teams::SuggestionView;
use crate::components::errors::{action_field_errors, ErrorBanner, FieldErrorText};
use crate::components::options::label_of;
use crate::domain::lead::FieldError;
use crate::domain::team::Reason;
use crate::i18n::t;
use leptos::prelude::*;

/// One line per reason, translated.
pub fn reason_lines(s: &SuggestionView) -> Vec<String> {
    s.reasons
        .iter()
        .zip(s.reason_names.iter())
        .map(|(r, name)| match r {
            Reason::Region(_) => t("assign.reason.region").replace("{name}", name),
            Reason::Chain(_) => t("assign.reason.chain").replace("{name}", name),
            Reason::Industry(code) => t("assign.reason.industry").replace("{name}", &label_of("industry", code)),
            Reason::LightestTeam => t("assign.reason.lightest_team").to_string(),
            Reason::FewestOpen(n) => t("assign.reason.fewest_open").replace("{n}", &n.to_string()),
        })
        .collect()
}

#[component]
pub fn UnassignedPage() -> impl IntoView {
    let bulk = ServerAction::<AssignLeads>::new();
    let single = ServerAction::<AssignLeads>::new();
    let queue = Resource::new(move || (bulk.version().get(), single.version().get()), |_| unassigned_queue());
    let targets = Resource::new(|| (), |_| assign_targets());
    let errors: Signal<Vec<FieldError>> = action_field_errors(bulk);
    let done = move || bulk.value().get().and_then(|r| r.ok()).map(|r| r.assigned);
    view! {
        <h1>{t("assign.title")}</h1>
        <p class="muted">{t("assign.intro")}</p>
        {move || done().map(|n| view! { <p class="notice" id="assign-done">{t("assign.done").replace("{n}", &n.to_string())}</p> })}
        <Transition fallback=|| view! { <p class="muted">{t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                let targets = targets.await.unwrap_or_default();
                match queue.await {
                    Err(e) => view! { <ErrorBanner error=e/> }.into_any(),
                    Ok(rows) if rows.is_empty() => view! { <p class="muted" id="queue-empty">{t("assign.empty")}</p> }.into_any(),
                    Ok(rows) => view! {
                        <ActionForm action=bulk attr:id="bulk-assign">
                            <BulkTargets targets=targets.clone()/>
                            <FieldErrorText errors=errors field="lead_ids"/>
                            <FieldErrorText errors=errors field="team_id"/>
                            <FieldErrorText errors=errors field="owner_id"/>
                            <button type="submit" class="primary" id="bulk-assign-submit">{t("assign.bulk")}</button>
                        </ActionForm>
                        <table class="grid" id="queue">
                            <thead><tr>
                                <th></th><th>{t("lead.company_name")}</th><th>{t("lead.region")}</th><th>{t("lead.industry")}</th>
                                <th>{t("score.grade")}</th><th>{t("assign.current")}</th><th>{t("assign.suggestion")}</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|r| {
                                    let current = match (&r.team_name, &r.owner_name) {
                                        (None, _) => "—".to_string(),
                                        (Some(tn), None) => tn.clone(),
                                        (Some(tn), Some(o)) => format!("{tn} · {o}"),
                                    };
                                    view! {
                                        <tr class="queue-row" data-lead=r.id>
                                            <td><input type="checkbox" form="bulk-assign" name=format!("lead_ids[{}]", r.id) value=r.id class="queue-check"/></td>
                                            <td><a href=format!("/leads/{}", r.id)>{r.company_name.clone()}</a></td>
                                            <td>{r.region_names.clone()}</td>
                                            <td>{label_of("industry", &r.industry)}</td>
                                            <td>{r.grade.clone().unwrap_or_else(|| "—".into())}</td>
                                            <td>{current}</td>
                                            <td>{r.suggestion.clone().map(|s| view! { <Suggestion lead_id=r.id s=s action=single/> })}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn BulkTargets(targets: Vec<AssignTarget>) -> impl IntoView {
    view! {
        <div class="filters">
            <label>{t("assign.team")}
                <select name="team_id" id="bulk-team">
                    <option value="">{t("common.choose")}</option>
                    {targets.iter().map(|g| view! { <option value=g.team_id>{g.team_name.clone()}</option> }).collect_view()}
                </select>
            </label>
            <label>{t("assign.owner")}
                <select name="owner_id" id="bulk-owner">
                    <option value="">{t("assign.owner_keep")}</option>
                    {targets.iter().map(|g| view! {
                        <optgroup label=g.team_name.clone()>
                            {g.members.iter().map(|(id, name)| view! { <option value=*id>{name.clone()}</option> }).collect_view()}
                        </optgroup>
                    }).collect_view()}
                </select>
            </label>
        </div>
    }
}

#[component]
fn Suggestion(lead_id: i64, s: SuggestionView, action: ServerAction<AssignLeads>) -> impl IntoView {
    let lines = reason_lines(&s);
    view! {
        <div class="suggestion">
            <strong>{s.team_name.clone()}</strong>
            {s.owner_name.clone().map(|o| view! { " · " {o} })}
            <ul class="reasons">{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
            <ActionForm action=action>
                <input type="hidden" name=format!("lead_ids[{lead_id}]") value=lead_id/>
                <input type="hidden" name="team_id" value=s.team_id/>
                <input type="hidden" name="owner_id" value=s.owner_id.map(|o| o.to_string()).unwrap_or_default()/>
                <button type="submit" class="small take-suggestion">{t("assign.take")}</button>
            </ActionForm>
        </div>
    }
}
