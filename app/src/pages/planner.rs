//! `/planner?team=&week=YYYY-Www` — 每周外出招商计划: the companies most worth visiting next week,
//! grouped by city, each saying why; one click turns a city into a draft trip.

use crate::api::planner::{get_planner, AcceptPlan};
use crate::components::errors::ErrorBanner;
use crate::components::loaded::LoadedOne;
use crate::components::options::label_of;
use crate::i18n::{t, tr_args, use_locale};
use crate::wire::planner::{ClusterView, PlannerView};
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[component]
pub fn PlannerPage() -> impl IntoView {
    let query = use_query_map();
    let params = Memo::new(move |_| {
        query.with(|q| (q.get("team").and_then(|t| t.parse::<i64>().ok()), q.get("week").unwrap_or_default()))
    });
    let accept = ServerAction::<AcceptPlan>::new();
    let view_data = Resource::new(move || params.get(), |(team, week)| get_planner(team, week));
    view! {
        <h1>{t("planner.title")}</h1>
        <p class="muted">{t("planner.intro")}</p>
        {move || accept.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBanner error=e/> })}
        <LoadedOne resource=view_data content=move |p| view! { <Planner p=p accept=accept/> }/>
    }
}

#[component]
fn Planner(p: PlannerView, accept: ServerAction<AcceptPlan>) -> impl IntoView {
    let team_id = p.team_id;
    let week = p.week.clone();
    let (teams, no_team) = (p.teams.clone(), p.teams.is_empty());
    view! {
        <Form method="GET" action="/planner">
            <div class="filters">
                <select name="team" id="planner-team">
                    {teams.iter().map(|(id, name)| view! { <option value=*id selected=team_id == Some(*id)>{name.clone()}</option> }).collect_view()}
                </select>
                // The browser's week picker (its value is `2026-W51`, as the planner's); a text box
                // where there is none.
                <input type="week" name="week" value=p.week.clone() id="planner-week" aria-label=t("planner.week")/>
                <button type="submit">{t("leads.list.filter.apply")}</button>
                <span class="muted">{p.from.clone()} " – " {p.to.clone()}</span>
            </div>
        </Form>
        {(!p.busy.is_empty()).then(|| view! {
            <p class="muted" id="planner-busy">{t("planner.busy")} ": "
                {p.busy.iter().map(|(n, c)| format!("{n} {c}")).collect::<Vec<_>>().join(" · ")}
            </p>
        })}
        {no_team.then(|| view! { <p class="muted">{t("planner.no_team")}</p> })}
        {(p.team_id.is_some() && p.clusters.is_empty()).then(|| view! { <p class="muted">{t("planner.none")}</p> })}
        {p.clusters.into_iter().map(|c| view! { <Cluster c=c team_id=team_id.unwrap_or_default() week=week.clone() accept=accept/> }).collect_view()}
    }
}

#[component]
fn Cluster(c: ClusterView, team_id: i64, week: String, accept: ServerAction<AcceptPlan>) -> impl IntoView {
    let city = c.city.clone();
    let summary = tr_args(
        use_locale(),
        "planner.cluster",
        &[("n".into(), c.leads.len().to_string()), ("a".into(), c.a_grade.to_string())],
    );
    view! {
        <section class="card planner-cluster" data-city=city>
            <h2>{c.city_name.clone()} " · " {summary}</h2>
            <p class="muted">{c.districts.clone()}</p>
            <ActionForm action=accept>
                <input type="hidden" name="team_id" value=team_id/>
                <input type="hidden" name="week" value=week/>
                <input type="hidden" name="city" value=c.city.clone()/>
                <table class="grid">
                    <thead><tr><th></th><th>{t("lead.company_name")}</th><th>{t("planner.why")}</th></tr></thead>
                    <tbody>
                        {c.leads.iter().map(|r| {
                            let why = r.why.iter().map(|(k, v)| {
                                let v = if k == "planner.why.stage" { label_of("stage", v) } else { v.clone() };
                                t(k).replace("{v}", &v)
                            }).collect::<Vec<_>>().join(" · ");
                            view! {
                                <tr>
                                    <td><input type="checkbox" name=format!("lead_ids[{}]", r.lead.lead_id) value=r.lead.lead_id checked=true/></td>
                                    <td><a href=format!("/leads/{}", r.lead.lead_id)>{r.lead.company_name.clone()}</a></td>
                                    <td class="muted">{why}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                <button type="submit" class="primary accept-plan">{t("planner.accept")}</button>
            </ActionForm>
        </section>
    }
}
