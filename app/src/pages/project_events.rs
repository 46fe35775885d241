//! 集中开工/竣工 on `/projects`: the events with their projects and total 计划投资, a form to hold
//! a new one (choose the projects whose 开工 or 竣工 is not reached), the printable list at
//! `/projects/events/{id}`, and recording the event's date as the projects' milestone.

use crate::api::project_events::{get_project_event, list_project_events, CreateProjectEvent, RecordProjectEvent};
use crate::components::errors::{action_field_errors, FieldErrorText};
use crate::components::loaded::LoadedOne;
use crate::components::options::label_of;
use crate::components::route_id::{id_param, read_by_id};
use crate::domain::money::format_wan;
use crate::i18n::{t, tr, use_locale};
use crate::wire::project_events::{EventCandidate, ProjectEventView};
use leptos::prelude::*;

fn projects_table(e: &ProjectEventView) -> impl IntoView {
    view! {
        <table class="grid event-projects" id=format!("event-{}-projects", e.id)>
            <thead><tr>
                <th class="num">{t("events.no")}</th><th>{t("lead.company_name")}</th><th>{t("lead.stage")}</th>
                <th class="num">{t("events.investment")}</th><th>{t("events.planned")}</th><th>{t("events.done")}</th>
            </tr></thead>
            <tbody>{e.projects.iter().enumerate().map(|(i, p)| view! {
                <tr id=format!("event-{}-lead-{}", e.id, p.lead_id)>
                    <td class="num">{i + 1}</td>
                    <td><a href=format!("/leads/{}", p.lead_id)>{p.company_name.clone()}</a></td>
                    <td>{label_of("stage", &p.stage)}</td>
                    <td class="num">{p.planned_investment_wan.map(format_wan).unwrap_or_default()}</td>
                    <td>{p.planned_on.clone().unwrap_or_default()}</td>
                    <td class="event-done">{p.done_on.clone().unwrap_or_default()}</td>
                </tr>
            }).collect_view()}</tbody>
        </table>
    }
}

/// Check boxes for the projects that may join an event of `kind`; their form indexes start at
/// `from` (the two lists share one form).
fn candidate_boxes(kind: &'static str, list: Vec<EventCandidate>, from: usize) -> impl IntoView {
    view! {
        <fieldset class="event-candidates" id=format!("event-candidates-{kind}")>
            <legend>{t(&format!("events.kind.{kind}")).to_string()}</legend>
            {list.into_iter().enumerate().map(|(i, c)| view! {
                <label class="inline-check">
                    <input type="checkbox" name=format!("form[leads][{}]", from + i) value=c.lead_id.to_string() id=format!("event-pick-{kind}-{}", c.lead_id)/>
                    {c.company_name} {c.planned_on.map(|d| view! { " " <small class="muted">{d}</small> })}
                </label>
            }).collect_view()}
        </fieldset>
    }
}

/// The events section of `/projects`.
#[component]
pub fn ProjectEventsSection() -> impl IntoView {
    let locale = use_locale();
    let create = ServerAction::<CreateProjectEvent>::new();
    let record = ServerAction::<RecordProjectEvent>::new();
    let events = Resource::new(move || (create.version().get(), record.version().get()), |_| list_project_events());
    let errors = action_field_errors(create);
    let recorded = move || {
        record.value().get().and_then(|r| r.ok()).map(|o| {
            let refused: Vec<String> = o.refused.iter().map(|(n, k)| format!("{n}: {}", tr(locale, k))).collect();
            view! {
                <div class="ok-banner" id="event-recorded">
                    {t("events.recorded")} " " {o.recorded}
                    {refused.into_iter().map(|r| view! { <div class="field-error">{r}</div> }).collect_view()}
                </div>
            }
        })
    };
    view! {
        <section class="card" id="project-events">
            <h2>{t("events.title")}</h2>
            {recorded}
            <LoadedOne resource=events content=move |p| {
                let can_edit = p.can_edit;
                let form = if !can_edit { None } else {
                    let (starts, completions) = (p.start_candidates.clone(), p.completion_candidates.clone());
                    let n_starts = starts.len();
                    let today = p.today.clone();
                    Some(view! {
                        <details id="event-new">
                            <summary>{t("events.new")}</summary>
                            <ActionForm action=create>
                                <div class="filters">
                                    <select name="form[kind]" id="event-kind" aria-label=t("events.kind")>
                                        <option value="start">{t("events.kind.start")}</option>
                                        <option value="completion">{t("events.kind.completion")}</option>
                                    </select>
                                    <input name="form[name]" id="event-name" maxlength="100" placeholder=t("events.name") aria-label=t("events.name")/>
                                    <input type="date" name="form[held_on]" id="event-held-on" value=today aria-label=t("events.held_on")/>
                                    <input name="form[place]" id="event-place" maxlength="100" placeholder=t("events.place") aria-label=t("events.place")/>
                                </div>
                                {["kind", "name", "held_on", "place", "leads"].into_iter().map(|f| view! { <FieldErrorText errors=errors field=f/> }).collect_view()}
                                <p class="hint">{t("events.pick_hint")}</p>
                                {candidate_boxes("start", starts, 0)}
                                {candidate_boxes("completion", completions, n_starts)}
                                <button type="submit" id="event-create">{t("events.create")}</button>
                            </ActionForm>
                        </details>
                    })
                };
                view! {
                    {if p.events.is_empty() { Some(view! { <p class="muted">{t("events.none")}</p> }) } else { None }}
                    {p.events.into_iter().map(|e| {
                        let id = e.id;
                        let title = format!("{} · {} · {}", t(&format!("events.kind.{}", e.kind)), e.held_on, e.name);
                        let total = format!("{} {} {}", e.projects.len(), t("events.projects_total"), format_wan(e.total_investment_wan));
                        let recorded = e.recorded_at.clone();
                        let button = if can_edit { Some(view! {
                            <ActionForm action=record>
                                <input type="hidden" name="id" value=id/>
                                <button type="submit" id=format!("event-record-{id}")>{t("events.record")}</button>
                            </ActionForm>
                        }) } else { None };
                        view! {
                            <article class="event" id=format!("event-{id}")>
                                <h3>{title}</h3>
                                <p>{e.place.clone()} " · " {total}
                                    " · " <a href=format!("/projects/events/{id}") id=format!("event-print-{id}")>{t("events.print")}</a>
                                    {recorded.map(|r| view! { " · " {t("events.recorded_at")} " " {r} })}</p>
                                {projects_table(&e)}
                                {button}
                            </article>
                        }
                    }).collect_view()}
                    {form}
                }
            }/>
        </section>
    }
}

/// `/projects/events/{id}`: the event's list as it is printed for the day (the page's print style
/// drops the navigation).
#[component]
pub fn ProjectEventPrintPage() -> impl IntoView {
    let id = id_param();
    let event = Resource::new(move || id.get(), |id| read_by_id(id, get_project_event));
    view! {
        <p class="no-print"><a href="/projects">{t("events.back")}</a> " · " {t("events.print_hint")}</p>
        <LoadedOne resource=event content=move |e| {
            let title = format!("{}：{}", t(&format!("events.kind.{}", e.kind)), e.name);
            let total = format!("{} {} {}", e.projects.len(), t("events.projects_total"), format_wan(e.total_investment_wan));
            view! {
                <h1 id="event-title">{title}</h1>
                <p>{t("events.held_on")} " " {e.held_on.clone()} " · " {e.place.clone()} " · " {total}</p>
                {projects_table(&e)}
            }
        }/>
    }
}
