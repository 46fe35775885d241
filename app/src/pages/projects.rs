//! 项目建设: the milestone plan on a signed project's page (倒排 from one date, each milestone's
//! planned and actual dates, who is in charge, reaching it), and `/projects` — 应开未开 and the
//! other overdue milestones across projects (督办).

use crate::api::land::list_land;
use crate::api::projects::{get_plan, get_projects_overview, CountBackPlan, SaveMilestone, SaveProcedure};
use crate::components::errors::{action_field_errors, was_refused, FieldErrorText};
use crate::components::loaded::LoadedOne;
use crate::components::options::label_of;
use crate::domain::lead::FieldError;
use crate::domain::procedure::ProcedureStatus;
use crate::domain::project_plan::START;
use crate::i18n::t;
use crate::wire::projects::{MilestoneView, PlanView, ProcedureView};
use leptos::prelude::*;

/// A 前期手续 item's name as shown: the name given when added, else the built-in's translation.
pub fn procedure_label(code: &str, name: &str) -> String {
    if name.trim().is_empty() {
        label_of("procedure", code)
    } else {
        name.to_string()
    }
}

/// The 前期手续 item's fields (the edit form and the add form share them).
fn procedure_fields(p: Option<&ProcedureView>) -> impl IntoView {
    let status = p.map(|p| p.status.clone()).unwrap_or_else(|| "todo".into());
    let (department, agent) =
        (p.map(|p| p.department.clone()).unwrap_or_default(), p.map(|p| p.agent.clone()).unwrap_or_default());
    let (due, documents) =
        (p.and_then(|p| p.due_on.clone()).unwrap_or_default(), p.map(|p| p.documents.clone()).unwrap_or_default());
    view! {
        <div class="filters">
            <label>{t("problems.department")}<input name="form[department]" value=department maxlength="100"/></label>
            <label>{t("plan.agent")}<input name="form[agent]" value=agent maxlength="100"/></label>
            <label>{t("plan.due_on")}<input type="date" name="form[due]" value=due/></label>
            <label>{t("problems.status")}
                <select name="form[status]">
                    {ProcedureStatus::ALL.into_iter().map(|s| view! { <option value=s.code() selected=s.code() == status>{label_of("procedure.status", s.code())}</option> }).collect_view()}
                </select>
            </label>
        </div>
        <label>{t("plan.documents")}<textarea name="form[documents]" rows="2" maxlength="2000">{documents}</textarea></label>
    }
}

#[component]
fn ProcedureRow(lead_id: i64, p: ProcedureView, can_edit: bool, save: ServerAction<SaveProcedure>) -> impl IntoView {
    let name = procedure_label(&p.code, &p.name);
    let in_charge =
        [p.department.as_str(), p.agent.as_str()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" / ");
    let status = match p.days_late {
        Some(days) => format!(
            "{} · {} {}",
            label_of("procedure.status", &p.status),
            t("milestone.status.overdue"),
            t("plan.days_late").replace("{days}", &days.to_string())
        ),
        None => label_of("procedure.status", &p.status),
    };
    let edit = if can_edit {
        let (code, id, fields) = (p.code.clone(), format!("edit-procedure-{}", p.code), procedure_fields(Some(&p)));
        Some(view! {
            <details>
                <summary id=id>{t("common.edit")}</summary>
                <ActionForm action=save>
                    <input type="hidden" name="lead_id" value=lead_id/>
                    <input type="hidden" name="code" value=code/>
                    {fields}
                    <button type="submit">{t("common.save")}</button>
                </ActionForm>
            </details>
        })
    } else {
        None
    };
    let late = p.days_late.is_some();
    view! {
        <tr class="procedure" class:overdue=late id=format!("procedure-{}", p.code) data-status=p.status.clone()>
            <td>{name}</td>
            <td>{if in_charge.is_empty() { "—".to_string() } else { in_charge }}</td>
            <td class="date">{p.due_on.clone().unwrap_or_else(|| "—".into())}</td>
            <td><span class="procedure-status">{status}</span>
                {p.problem_id.map(|_| view! { " " <a href=format!("/leads/{lead_id}#problems") class="gap-tag">{t("plan.on_problem_list")}</a> })}
                {edit}
            </td>
            <td class="documents">{p.documents.clone()}</td>
        </tr>
    }
}

/// A milestone's name as shown: the office's own, else the built-in's translation.
pub fn milestone_label(code: &str, name: &str) -> String {
    if name.trim().is_empty() {
        label_of("milestone", code)
    } else {
        name.to_string()
    }
}

fn status_text(m: &MilestoneView) -> String {
    let label = label_of("milestone.status", &m.status);
    match m.days_late {
        Some(days) => format!("{label} {}", t("plan.days_late").replace("{days}", &days.to_string())),
        None => label,
    }
}

#[component]
fn MilestoneRow(
    lead_id: i64,
    m: MilestoneView,
    can_edit: bool,
    today: String,
    save: ServerAction<SaveMilestone>,
) -> impl IntoView {
    let name = milestone_label(&m.code, &m.name);
    let in_charge = match (m.department.is_empty(), m.owner.is_empty()) {
        (true, true) => "—".to_string(),
        (false, true) => m.department.clone(),
        (true, false) => m.owner.clone(),
        (false, false) => format!("{} / {}", m.department, m.owner),
    };
    let hidden = move |kind_id: i64| {
        view! {
            <input type="hidden" name="lead_id" value=lead_id/>
            <input type="hidden" name="kind_id" value=kind_id/>
        }
    };
    let planned = m.planned_on.clone().unwrap_or_default();
    let reach = if can_edit && m.done_on.is_none() {
        let (kind_id, planned, today) = (m.kind_id, planned.clone(), today.clone());
        let (department, owner, id) = (m.department.clone(), m.owner.clone(), format!("reach-{}", m.code));
        Some(view! {
            <ActionForm action=save attr:class="inline-form">
                {hidden(kind_id)}
                <input type="hidden" name="form[planned]" value=planned/>
                <input type="hidden" name="form[done]" value=today/>
                <input type="hidden" name="form[department]" value=department/>
                <input type="hidden" name="form[owner]" value=owner/>
                <button type="submit" class="reach" id=id>{t("plan.reached_today")}</button>
            </ActionForm>
        })
    } else {
        None
    };
    let edit = if can_edit {
        let (kind_id, planned, done) = (m.kind_id, planned.clone(), m.done_on.clone().unwrap_or_default());
        let (department, owner, id) = (m.department.clone(), m.owner.clone(), format!("edit-{}", m.code));
        Some(view! {
            <details class="milestone-edit">
                <summary id=id>{t("common.edit")}</summary>
                <ActionForm action=save>
                    {hidden(kind_id)}
                    <div class="filters">
                        <label>{t("plan.planned_on")}<input type="date" name="form[planned]" value=planned/></label>
                        <label>{t("plan.done_on")}<input type="date" name="form[done]" value=done/></label>
                        <label>{t("problems.department")}<input name="form[department]" value=department maxlength="100"/></label>
                        <label>{t("plan.owner")}<input name="form[owner]" value=owner maxlength="100"/></label>
                    </div>
                    <button type="submit">{t("common.save")}</button>
                </ActionForm>
            </details>
        })
    } else {
        None
    };
    let problem = m.problem_id.map(|_| {
        view! { " " <a href=format!("/leads/{lead_id}#problems") class="gap-tag">{t("plan.on_problem_list")}</a> }
    });
    let stage = m.stage.clone().map(|s| view! { " " <small class="muted">"(" {label_of("stage", &s)} ")"</small> });
    view! {
        <tr class=format!("milestone {}", m.status) id=format!("milestone-{}", m.code) data-status=m.status.clone()>
            <td>{name} {stage}</td>
            <td class="date">{m.planned_on.clone().unwrap_or_else(|| "—".into())}</td>
            <td class="date">{m.done_on.clone().unwrap_or_else(|| "—".into())}</td>
            <td>{in_charge}</td>
            <td>
                <span class="milestone-status">{status_text(&m)}</span>
                {problem}
                {reach}
                {edit}
            </td>
        </tr>
    }
}

fn count_back_form(p: &PlanView, count: ServerAction<CountBackPlan>, errors: Signal<Vec<FieldError>>) -> impl IntoView {
    let empty = p.milestones.iter().all(|m| m.planned_on.is_none());
    let lead_id = p.lead_id;
    let options: Vec<(i64, String, bool)> =
        p.milestones.iter().map(|m| (m.kind_id, milestone_label(&m.code, &m.name), m.code == START)).collect();
    let committed = p.committed_start.clone().unwrap_or_default();
    view! {
        <details open=empty || was_refused(count) id="count-back">
            <summary id="count-back-open">{t("plan.count_back")}</summary>
            <p class="muted">{t("plan.count_back.help")}</p>
            <ActionForm action=count>
                <input type="hidden" name="lead_id" value=lead_id/>
                <div class="filters">
                    <label>{t("plan.anchor")}
                        <select name="form[anchor]" id="count-back-anchor">
                            {options.into_iter().map(|(id, label, selected)| view! { <option value=id selected=selected>{label}</option> }).collect_view()}
                        </select>
                    </label>
                    <label>{t("plan.anchor_date")}<input type="date" name="form[date]" id="count-back-date" value=committed/></label>
                    <label class="inline-check"><input type="checkbox" name="form[skip_weekends]" id="count-back-weekends"/> {t("plan.skip_weekends")}</label>
                    <label class="inline-check"><input type="checkbox" name="form[replace]" id="count-back-replace" checked=!empty/> {t("plan.replace")}</label>
                </div>
                {["anchor", "date"].into_iter().map(|k| view! { <FieldErrorText errors=errors field=k/> }).collect_view()}
                <button type="submit" id="count-back-submit">{t("plan.count_back")}</button>
            </ActionForm>
        </details>
    }
}

/// The plan on a signed project's page; nothing before 签约.
#[component]
pub fn PlanPanel(lead_id: i64) -> impl IntoView {
    let save = ServerAction::<SaveMilestone>::new();
    let count = ServerAction::<CountBackPlan>::new();
    let procedure = ServerAction::<SaveProcedure>::new();
    let data = Resource::new(
        move || (save.version().get(), count.version().get(), procedure.version().get()),
        move |_| get_plan(lead_id),
    );
    let procedure_errors = action_field_errors(procedure);
    let save_errors = action_field_errors(save);
    let count_errors = action_field_errors(count);
    view! {
        <LoadedOne resource=data quiet=true content=move |p| {
            p.map(|p: PlanView| view! {
                <section class="card" id="plan">
                    <h2>{t("plan.title")}</h2>
                    <table class="grid plan" id="plan-table">
                        <thead><tr>
                            <th>{t("plan.milestone")}</th><th>{t("plan.planned_on")}</th><th>{t("plan.done_on")}</th>
                            <th>{t("plan.in_charge")}</th><th>{t("problems.status")}</th>
                        </tr></thead>
                        <tbody>
                            {p.milestones.iter().cloned().map(|m| view! { <MilestoneRow lead_id=lead_id m=m can_edit=p.can_edit today=p.today.clone() save=save/> }).collect_view()}
                        </tbody>
                    </table>
                    {["planned", "done", "department", "owner"].into_iter().map(|k| view! { <FieldErrorText errors=save_errors field=k/> }).collect_view()}
                    {p.can_edit.then(|| count_back_form(&p, count, count_errors))}
                    <h3 id="procedures">{t("plan.procedures")}</h3>
                    <table class="grid procedures" id="procedure-table">
                        <thead><tr>
                            <th>{t("plan.procedure")}</th><th>{t("plan.agent_in_charge")}</th><th>{t("plan.due_on")}</th>
                            <th>{t("problems.status")}</th><th>{t("plan.documents")}</th>
                        </tr></thead>
                        <tbody>
                            {p.procedures.iter().cloned().map(|item| view! { <ProcedureRow lead_id=lead_id p=item can_edit=p.can_edit save=procedure/> }).collect_view()}
                        </tbody>
                    </table>
                    {["name", "department", "agent", "due", "status", "documents"].into_iter().map(|k| view! { <FieldErrorText errors=procedure_errors field=k/> }).collect_view()}
                    {p.can_edit.then(|| view! {
                        <details open=was_refused(procedure)>
                            <summary id="procedure-add">{t("plan.add_procedure")}</summary>
                            <ActionForm action=procedure>
                                <input type="hidden" name="lead_id" value=lead_id/>
                                <label>{t("plan.procedure")}<input name="form[name]" id="procedure-name" maxlength="100"/></label>
                                {procedure_fields(None)}
                                <button type="submit" id="procedure-add-submit">{t("plan.add_procedure")}</button>
                            </ActionForm>
                        </details>
                    })}
                </section>
            })
        }/>
    }
}

/// `/projects` — 应开未开 (past the planned start without 开工, with what holds each) and the
/// other overdue milestones (督办), most days late first.
#[component]
pub fn ProjectsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_projects_overview());
    let land = Resource::new(|| (), |_| list_land());
    view! {
        <h1>{t("projects.title")}</h1>
        <p class="muted">{t("projects.help")}</p>
        <LoadedOne resource=data content=move |o| view! {
            <section class="card" id="late-starts">
                <h2>{t("projects.late_starts")} " (" {o.late_starts.len()} ")"</h2>
                {if o.late_starts.is_empty() {
                    view! { <p class="muted" id="late-starts-none">{t("projects.late_starts.none")}</p> }.into_any()
                } else {
                    view! { <LateStartTable items=o.late_starts.clone()/> }.into_any()
                }}
            </section>
            <section class="card" id="overdue-milestones">
                <h2>{t("projects.overdue")} " (" {o.overdue.len()} ")"</h2>
                {if o.overdue.is_empty() {
                    view! { <p class="muted">{t("projects.overdue.none")}</p> }.into_any()
                } else {
                    view! {
                        <table class="grid">
                            <thead><tr><th>{t("lead.company_name")}</th><th>{t("plan.milestone")}</th><th>{t("plan.planned_on")}</th><th class="num">{t("projects.days_late")}</th><th>{t("plan.owner")}</th></tr></thead>
                            <tbody>{o.overdue.iter().map(|m| view! {
                                <tr class="overdue">
                                    <td><a href=format!("/leads/{}#plan", m.lead_id)>{m.company_name.clone()}</a></td>
                                    <td>{milestone_label(&m.code, &m.name)}</td>
                                    <td class="date">{m.planned_on.clone()}</td>
                                    <td class="num">{m.days_late}</td>
                                    <td>{m.owner.clone()}</td>
                                </tr>
                            }).collect_view()}</tbody>
                        </table>
                    }.into_any()
                }}
            </section>
        }/>
        <super::project_events::ProjectEventsSection/>
        <section class="card" id="land-reviews">
            <h2>{t("projects.land")}</h2>
            <crate::components::loaded::Loaded resource=land empty="projects.land.none" content=move |items| view! {
                <super::land::LandReviewTable items=items/>
            }/>
        </section>
    }
}

/// 应开未开 as a table: company, stage, planned start, days late, what holds it.
#[component]
pub fn LateStartTable(items: Vec<crate::wire::projects::LateStart>) -> impl IntoView {
    view! {
        <table class="grid" id="late-start-table">
            <thead><tr>
                <th>{t("lead.company_name")}</th><th>{t("lead.stage")}</th><th>{t("projects.planned_start")}</th>
                <th class="num">{t("projects.days_late")}</th><th>{t("projects.holding")}</th>
            </tr></thead>
            <tbody>{items.into_iter().map(|s| view! {
                <tr class="overdue late-start" data-lead=s.lead_id>
                    <td><a href=format!("/leads/{}#plan", s.lead_id)>{s.company_name}</a></td>
                    <td>{label_of("stage", &s.stage)}</td>
                    <td class="date">{s.planned_start}</td>
                    <td class="num">{s.days_late}</td>
                    <td>
                        {crate::i18n::enumerate(crate::i18n::use_locale(), &s.holding_milestones.iter().map(|(code, name)| milestone_label(code, name))
                            .chain(s.holding_procedures.iter().map(|(code, name)| procedure_label(code, name)))
                            .collect::<Vec<_>>())}
                        {(!s.holding_problems.is_empty()).then(|| view! {
                            <ul class="changes">{s.holding_problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                        })}
                    </td>
                </tr>
            }).collect_view()}</tbody>
        </table>
    }
}
