//! Lead page sections beyond the facts: 重大项目, 问题清单, field history, and deleting.

use crate::api::lead_admin::{get_major_project, lead_history, DeleteLead, SetMajorProject};
use crate::api::problems::{lead_problems, CreateProblem, UpdateProblem};
use crate::api::users::in_charge_choices;
use crate::components::confirm::Confirm;
use crate::components::errors::{action_field_errors, was_refused, FieldErrorText};
use crate::components::history::change_list;
use crate::components::loaded::Loaded;
use crate::components::options::label_of;
use crate::domain::lead::FieldError;
use crate::domain::money::format_wan;
use crate::i18n::{t, tr_args, use_locale};
use crate::wire::problems::{ProblemView, CATEGORIES, STATUSES};
use leptos::prelude::*;

#[component]
pub fn MajorPanel(lead_id: i64) -> impl IntoView {
    let locale = use_locale();
    let save = ServerAction::<SetMajorProject>::new();
    let data = Resource::new(move || save.version().get(), move |_| get_major_project(lead_id));
    let people = Resource::new(|| (), |_| in_charge_choices());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(m) = data.await else { return ().into_any() };
                let list = if m.can_edit { people.await.unwrap_or_default() } else { Vec::new() };
                let why = if m.by_amount {
                    tr_args(locale, "major.by_amount", &[("threshold".into(), format_wan(m.threshold_wan))])
                } else {
                    t("major.by_flag").to_string()
                };
                view! {
                    <section class="card" id="major">
                        <h2>
                            {t("major.title")} " "
                            {if m.is_major {
                                view! { <span class="tag major" id="major-badge">{t("major.yes")}</span> " " <span class="muted">{why}</span> }.into_any()
                            } else {
                                view! { <span class="muted">{t("major.no")}</span> }.into_any()
                            }}
                        </h2>
                        <p>
                            {t("major.leader")} ": " <span id="major-leader">{m.leader_in_charge.clone().unwrap_or_else(|| "—".into())}</span>
                            " · " {t("major.department")} ": " {if m.lead_department.is_empty() { "—".to_string() } else { m.lead_department.clone() }}
                        </p>
                        {m.can_edit.then(|| {
                            let current = m.leader_in_charge_id.map(|i| i.to_string()).unwrap_or_default();
                            view! {
                                <details open=was_refused(save)>
                                    <summary>{t("major.edit")}</summary>
                                    <ActionForm action=save>
                                        <input type="hidden" name="id" value=lead_id/>
                                        <label class="inline-check">
                                            <input type="checkbox" name="form[flagged]" value="true" checked=m.flagged id="major-flag"/>
                                            {t("major.flag")}
                                        </label>
                                        <label>{t("major.leader")}
                                            <select name="form[leader_in_charge_id]" id="major-leader-select">
                                                <option value="">"—"</option>
                                                {list.into_iter().map(|o| {
                                                    let v = o.id.to_string();
                                                    let selected = v == current;
                                                    view! { <option value=v selected=selected>{o.display_name}</option> }
                                                }).collect_view()}
                                            </select>
                                        </label>
                                        <label>{t("major.department")}<input name="form[lead_department]" value=m.lead_department.clone()/></label>
                                        <button type="submit" id="major-save">{t("common.save")}</button>
                                    </ActionForm>
                                </details>
                            }
                        })}
                    </section>
                }.into_any()
            })}
        </Transition>
    }
}

#[component]
pub fn ProblemsPanel(lead_id: i64, can_edit: bool) -> impl IntoView {
    let create = ServerAction::<CreateProblem>::new();
    let update = ServerAction::<UpdateProblem>::new();
    let list = Resource::new(move || (create.version().get(), update.version().get()), move |_| lead_problems(lead_id));
    let errors: Signal<Vec<FieldError>> = action_field_errors(create);
    view! {
        <section class="card" id="problems">
            <h2>{t("problems.title")}</h2>
            <Loaded resource=list empty="problems.none" quiet=true content=move |items| view! {
                <ProblemTable items=items update=update show_lead=false/>
            }/>
            {can_edit.then(|| view! {
                <details open=was_refused(create)>
                    <summary id="problem-open">{t("problems.add")}</summary>
                    <ActionForm action=create>
                        <input type="hidden" name="lead_id" value=lead_id/>
                        <div class="filters">
                            <label>{t("problems.category")}
                                <select name="form[category]" id="problem-category">
                                    {CATEGORIES.iter().map(|c| view! { <option value=*c>{label_of("problem.category", c)}</option> }).collect_view()}
                                </select>
                            </label>
                            <label>{t("problems.department")}<input name="form[department]" id="problem-department"/></label>
                            <label>{t("problems.responsible")}<input name="form[responsible]"/></label>
                            <label>{t("problems.deadline")}<input type="date" name="form[deadline]" id="problem-deadline"/></label>
                        </div>
                        <label>{t("problems.description")}<textarea name="form[description]" id="problem-description" rows="2"></textarea></label>
                        <FieldErrorText errors=errors field="description"/>
                        <FieldErrorText errors=errors field="deadline"/>
                        <button type="submit" id="problem-submit">{t("problems.add")}</button>
                    </ActionForm>
                </details>
            })}
        </section>
    }
}

/// The problems as a table, each with its updates and (for editors) a status form.
#[component]
pub fn ProblemTable(items: Vec<ProblemView>, update: ServerAction<UpdateProblem>, show_lead: bool) -> impl IntoView {
    view! {
        <table class="grid" id="problem-table">
            <thead><tr>
                {show_lead.then(|| view! { <th>{t("lead.company_name")}</th> })}
                <th>{t("problems.category")}</th><th>{t("problems.description")}</th>
                <th>{t("problems.department")}</th><th>{t("problems.deadline")}</th><th>{t("problems.status")}</th>
            </tr></thead>
            <tbody>
                {items.into_iter().map(|p| {
                    let id = p.id;
                    view! {
                        <tr class:overdue=p.overdue class="problem-row" data-id=p.id id=format!("problem-{}", p.id)>
                            {show_lead.then(|| view! { <td class="lead"><a href=format!("/leads/{}", p.lead_id)>{p.company_name.clone()}</a></td> })}
                            <td class="category">{label_of("problem.category", &p.category)}</td>
                            <td class="desc">
                                {p.description.clone()}
                                <ul class="changes">
                                    {p.updates.into_iter().map(|u| view! {
                                        <li>{label_of("problem.status", &u.status)} " · " {u.note} <span class="muted">" · " {u.who} " · " {u.at}</span></li>
                                    }).collect_view()}
                                </ul>
                            </td>
                            <td class="dept" data-label=(!p.department.is_empty() || !p.responsible.is_empty()).then(|| t("problems.department"))>{p.department.clone()} {(!p.responsible.is_empty()).then(|| view! { " / " {p.responsible.clone()} })}</td>
                            <td class="deadline" data-label=t("problems.deadline")>
                                {p.deadline.clone().unwrap_or_else(|| "—".into())}
                                {p.overdue.then(|| view! { " " <span class="gap-tag">{t("problems.overdue")}</span> })}
                            </td>
                            <td class="status">
                                {label_of("problem.status", &p.status)}
                                {p.can_edit.then(|| view! {
                                    <ActionForm action=update>
                                        <input type="hidden" name="problem_id" value=id/>
                                        <select name="status">
                                            {STATUSES.iter().map(|s| view! { <option value=*s selected=*s == p.status>{label_of("problem.status", s)}</option> }).collect_view()}
                                        </select>
                                        <input name="note" placeholder=t("problems.note")/>
                                        <button type="submit" class="small">{t("common.save")}</button>
                                    </ActionForm>
                                })}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// 修改记录, for managers, admins and leaders (the caller only renders it for them, so the
/// page never asks for what it may not see).
#[component]
pub fn HistoryPanel(lead_id: i64) -> impl IntoView {
    let history = Resource::new(|| (), move |_| lead_history(lead_id));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let changes = history.await.unwrap_or_default();
                view! {
                    <section class="card" id="history">
                        <h2>{t("history.title")}</h2>
                        {if changes.is_empty() {
                            view! { <p class="muted">{t("history.none")}</p> }.into_any()
                        } else {
                            change_list(changes).into_any()
                        }}
                    </section>
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn DeleteButton(lead_id: i64) -> impl IntoView {
    let delete = ServerAction::<DeleteLead>::new();
    view! {
        <Confirm question=t("lead.delete.confirm").to_string()>
            <ActionForm action=delete>
                <input type="hidden" name="id" value=lead_id/>
                <button type="submit" class="link danger" id="delete-lead">{t("lead.delete")}</button>
            </ActionForm>
        </Confirm>
    }
}
