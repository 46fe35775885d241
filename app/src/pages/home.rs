use crate::api::calendar::upcoming_visits;
use crate::api::leads::list_leads;
use crate::api::pipeline::{my_next_steps, CompleteNextStep};
use crate::components::errors::ErrorBanner;
use crate::components::options::label_of;
use crate::components::user::use_user;
use crate::domain::lead_filter::LeadFilter;
use crate::domain::money::format_wan;
use crate::i18n::{t, tr_args, use_locale, Locale};
use leptos::prelude::*;

/// `/` — my work: the leads I own, most recently touched first.
#[component]
pub fn HomePage() -> impl IntoView {
    let user = use_user().0;
    let mine = Resource::new(|| (), |_| list_leads(LeadFilter { owner: Some("me".into()), ..Default::default() }));
    let done = ServerAction::<CompleteNextStep>::new();
    let steps = Resource::new(move || done.version().get(), |_| my_next_steps());
    // What 完成 (a plain post, back to this page) took off the list.
    let done_left = crate::components::left::left_by::<CompleteNextStep>();
    let visits = Resource::new(|| (), |_| upcoming_visits());
    view! {
        <h1>{t("home.title")}</h1>
        // The greeting, and for a manager or admin (who own few leads: their day starts from the
        // office's views) the office's links.
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                user.await.ok().flatten().map(|u| {
                    let office = u.role.sees_all_leads().then(|| view! {
                        <section class="card" id="office-links">
                            <h2>{t("home.office")}</h2>
                            <p class="quick-links">
                                <a href="/dashboard">{t("nav.dashboard")}</a>
                                <a href="/weekly">{t("nav.weekly")}</a>
                                <a href="/kanban">{t("nav.kanban")}</a>
                                {u.role.assigns_leads().then(|| view! { <a href="/leads/unassigned">{t("nav.unassigned")}</a> })}
                                <a href="/reports/monthly">{t("report.monthly.title")}</a>
                            </p>
                        </section>
                    });
                    view! {
                        <p class="greeting">{tr_args(use_locale(), "home.greeting", &[("name".into(), u.display_name)])}</p>
                        {office}
                    }
                })
            })}
        </Suspense>
        <section class="card" id="my-visits">
            <h2>{t("home.visits")}</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = visits.await.unwrap_or_default();
                    if list.is_empty() {
                        view! { <p class="muted">{t("home.visits.none")} " " <a href="/calendar">{t("nav.calendar")}</a></p> }.into_any()
                    } else {
                        view! {
                            <ul class="upcoming">
                                {list.into_iter().map(|e| view! {
                                    <li>
                                        <span class="due">{e.start_date.clone()} " " {e.start_time.clone().unwrap_or_default()}</span> " "
                                        <a href=format!("/trips/{}", e.trip_id)>{e.title.clone()}</a>
                                        {(!e.place.is_empty()).then(|| view! { " · " {e.place.clone()} })}
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                })}
            </Suspense>
        </section>
        <section class="card" id="next-steps">
            <h2>{t("home.next_steps")}</h2>
            <crate::components::left::Left left=done_left view=done_note/>
            // A refused 完成 (a step reassigned meanwhile) comes back here with its reason.
            {move || done.value().get().and_then(Result::err).map(|e| view! { <ErrorBanner error=e/> })}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = steps.await.unwrap_or_default();
                    if list.is_empty() {
                        view! { <p class="muted">{t("home.next_steps.none")}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="next-steps">
                                {list.into_iter().map(|s| view! {
                                    <li class:overdue=s.overdue>
                                        <span class="due">{s.due}</span>
                                        {s.overdue.then(|| view! { " " <span class="gap-tag">{t("home.overdue")}</span> })} " "
                                        <a href=format!("/leads/{}", s.lead_id)>{s.company_name}</a> " · " {s.next_step}
                                        <ActionForm action=done>
                                            <input type="hidden" name="activity_id" value=s.activity_id/>
                                            <button type="submit" class="link small">{t("home.done")}</button>
                                        </ActionForm>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                })}
            </Suspense>
        </section>
        <Suspense fallback=|| view! { <p class="muted">{t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                let page = mine.await;
                view! {
                    {match page {
                        Err(e) => view! { <ErrorBanner error=e/> }.into_any(),
                        Ok(page) if page.rows.is_empty() => view! {
                            <p>
                                {t("home.my_leads")} ": " <strong id="my-lead-count">0</strong> " · "
                                <span class="muted" id="my-leads-none">{t("home.my_leads.none")}</span> " "
                                <a href="/leads">{t("nav.leads")}</a>
                            </p>
                        }.into_any(),
                        Ok(page) => view! {
                            <p>
                                {t("home.my_leads")} ": " <strong id="my-lead-count">{page.total}</strong> " · "
                                <a href="/leads?owner=me">{t("home.see_all")}</a>
                            </p>
                            <table class="grid">
                                <thead><tr>
                                    <th>{t("lead.company_name")}</th>
                                    <th>{t("lead.stage")}</th>
                                    <th class="num">{t("lead.planned_investment")}</th>
                                    <th>{t("lead.updated_at")}</th>
                                </tr></thead>
                                <tbody>
                                    {page.rows.into_iter().take(10).map(|r| view! {
                                        <tr>
                                            <td><a href=format!("/leads/{}", r.id)>{r.company_name}</a></td>
                                            <td>{label_of("stage", &r.stage)}</td>
                                            <td class="num">{r.planned_investment_wan.map(format_wan)}</td>
                                            <td>{r.updated_at}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                    }}
                }
            })}
        </Suspense>
    }
}

/// 「已完成：公司 · 下一步」, under the list's title.
fn done_note(d: crate::wire::pipeline::DoneStep) -> impl IntoView {
    view! {
        <p class="ok" role="status" id="step-done">
            // 「移除：海纳」 runs on in Chinese; English wants the space after its colon.
            {t("home.done.said")} {(use_locale() == Locale::En).then_some(" ")}
            <a href=format!("/leads/{}", d.lead_id)>{d.company_name}</a> " · " {d.next_step}
        </p>
    }
}
