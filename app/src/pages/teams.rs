//! `/teams` and `/teams/{id}` — 招商专班: members and their load, focus, annual targets.

use crate::api::teams::{get_team, get_team_choices, list_teams, SaveTarget, SaveTeam};
use crate::components::errors::{action_field_errors, was_refused, FieldErrorText};
use crate::components::loaded::{Loaded, LoadedOne};
use crate::components::options::label_of;
use crate::components::route_id::{id_param, read_by_id};
use crate::domain::catalog::Industry;
use crate::domain::lead::FieldError;
use crate::domain::money::format_wan;
use crate::i18n::{listed, t};
use crate::wire::teams::{TeamChoices, TeamView};
use leptos::prelude::*;

#[component]
pub fn TeamsPage() -> impl IntoView {
    let save = ServerAction::<SaveTeam>::new();
    let teams = Resource::new(move || save.version().get(), |_| list_teams());
    // Created here, not inside the Suspend below (README, "Islands": a resource made inside a
    // Suspend may be made more than once).
    let choices = Resource::new(|| (), |_| get_team_choices());
    let user = crate::components::user::use_user().0;
    view! {
        <h1>{t("teams.title")}</h1>
        <p class="muted">{t("teams.intro")}</p>
        <p class="muted" id="teams-open-note">{t("teams.open_leads.note")}</p>
        <Loaded resource=teams empty="teams.none" content=|list| view! {
            <div class="team-cards">
                {list.into_iter().map(|team| view! { <TeamCard team=team/> }).collect_view()}
            </div>
        }/>
        // Outside the list: a manager creates the first team from an empty page. A plain post:
        // the page comes back empty after a save (a refused one with the errors at the fields).
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let can_manage = user.await.ok().flatten().is_some_and(|u| u.role.assigns_leads());
                can_manage.then(|| view! { <TeamFormCard save=save team=None choices=choices/> })
            })}
        </Suspense>
    }
}

#[component]
fn TeamCard(team: TeamView) -> impl IntoView {
    view! {
        <section class="card team-card">
            <h2><a href=format!("/teams/{}", team.id)>{team.name.clone()}</a></h2>
            <p>
                {t("teams.leader_in_charge")} ": " {team.leader_in_charge.map(|p| p.1).unwrap_or_else(|| "—".into())} " · "
                {t("teams.team_lead")} ": " {team.team_lead.map(|p| p.1).unwrap_or_else(|| "—".into())}
            </p>
            <p>{t("teams.focus_regions")} ": " {listed(&team.focus_regions.iter().map(|(_, n)| n.clone()).collect::<Vec<_>>())}</p>
            <p>{t("teams.members")} ": " {listed(&team.members.iter().map(|m| m.display_name.clone()).collect::<Vec<_>>())}</p>
            <p>{t("teams.open_leads")} ": " <strong>{team.open_leads}</strong></p>
        </section>
    }
}

#[component]
pub fn TeamDetailPage() -> impl IntoView {
    let id = id_param();
    let save = ServerAction::<SaveTeam>::new();
    let target = ServerAction::<SaveTarget>::new();
    let choices = Resource::new(|| (), |_| get_team_choices());
    let team = Resource::new(
        move || (id.get(), save.version().get(), target.version().get()),
        |(id, ..)| read_by_id(id, get_team),
    );
    view! {
        <LoadedOne resource=team content=move |team| view! { <TeamDetail team=team save=save target=target choices=choices/> }/>
    }
}

#[component]
fn TeamDetail(
    team: TeamView,
    save: ServerAction<SaveTeam>,
    target: ServerAction<SaveTarget>,
    choices: Resource<Result<TeamChoices, crate::error::AppError>>,
) -> impl IntoView {
    let errors: Signal<Vec<FieldError>> = action_field_errors(target);
    let team_id = team.id;
    let can_manage = team.can_manage;
    let year = chrono::Utc::now().format("%Y").to_string();
    view! {
        <div class="page-head">
            <h1 id="team-name">{team.name.clone()}</h1>
            <a class="button" id="team-leads" href=format!("/leads?team={}", team.id)>{t("nav.leads")}</a>
            <a class="button" href=format!("/kanban?team={}", team.id)>{t("nav.kanban")}</a>
            <a class="button" href=format!("/calendar?team={}", team.id)>{t("nav.calendar")}</a>
        </div>
        <section class="card">
            <p>{t("teams.leader_in_charge")} ": " {team.leader_in_charge.clone().map(|p| p.1).unwrap_or_else(|| "—".into())}</p>
            <p>{t("teams.team_lead")} ": " {team.team_lead.clone().map(|p| p.1).unwrap_or_else(|| "—".into())}</p>
            <p>{t("teams.focus_regions")} ": " {listed(&team.focus_regions.iter().map(|(_, n)| n.clone()).collect::<Vec<_>>())}</p>
            <p>{t("teams.focus_chains")} ": " {listed(&team.focus_chains.iter().map(|(_, n)| n.clone()).collect::<Vec<_>>())}</p>
            <p>{t("teams.focus_industries")} ": " {listed(&team.focus_industries.iter().map(|i| label_of("industry", i)).collect::<Vec<_>>())}</p>
            <p id="team-open">{t("teams.open_leads")} ": " <strong>{team.open_leads}</strong></p>
            <h2>{t("teams.members")}</h2>
            <table class="grid" id="team-members">
                <thead><tr><th>{t("teams.member")}</th><th class="num">{t("teams.member_open")}</th></tr></thead>
                <tbody>
                    {team.members.iter().map(|m| view! {
                        <tr><td>{m.display_name.clone()}</td><td class="num">{m.open_leads}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            <p class="muted" id="team-open-note">{t("teams.open_leads.note")} " " {t("teams.member_open.note")}</p>
        </section>
        <section class="card">
            <h2>{t("teams.targets")}</h2>
            <table class="grid" id="team-targets">
                <thead><tr>
                    <th>{t("teams.year")}</th><th class="num">{t("teams.t.signed")}</th><th class="num">{t("teams.t.contracted")}</th>
                    <th class="num">{t("teams.t.major")}</th><th class="num">{t("teams.t.new_leads")}</th><th class="num">{t("teams.t.visits")}</th>
                </tr></thead>
                <tbody>
                    {team.targets.iter().map(|g| view! {
                        <tr>
                            <td>{g.year}</td><td class="num">{g.signed_projects}</td><td class="num">{format_wan(g.contracted_wan)}</td>
                            <td class="num">{g.major_projects}</td><td class="num">{g.new_leads}</td><td class="num">{g.visits}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            {can_manage.then(|| view! {
                <details open=was_refused(target)>
                    <summary>{t("teams.set_target")}</summary>
                    <ActionForm action=target>
                        <input type="hidden" name="team_id" value=team_id/>
                        <div class="filters">
                            <label>{t("teams.year")}<input name="form[year]" value=year.clone() size="5"/></label>
                            <label>{t("teams.t.signed")}<input name="form[signed_projects]" size="5"/></label>
                            <label>{t("teams.t.contracted")}<input name="form[contracted_wan]" size="8"/></label>
                            <label>{t("teams.t.major")}<input name="form[major_projects]" size="5"/></label>
                            <label>{t("teams.t.new_leads")}<input name="form[new_leads]" size="5"/></label>
                            <label>{t("teams.t.visits")}<input name="form[visits]" size="5"/></label>
                        </div>
                        {["year", "signed_projects", "contracted_wan", "major_projects", "new_leads", "visits"].into_iter().map(|f| view! { <FieldErrorText errors=errors field=f/> }).collect_view()}
                        <button type="submit">{t("common.save")}</button>
                    </ActionForm>
                </details>
            })}
        </section>
        {can_manage.then(|| view! { <TeamFormCard save=save team=Some(team.clone()) choices=choices/> })}
    }
}

/// Create (no team) or edit a team.
#[component]
fn TeamFormCard(
    save: ServerAction<SaveTeam>,
    team: Option<TeamView>,
    choices: Resource<Result<TeamChoices, crate::error::AppError>>,
) -> impl IntoView {
    let errors: Signal<Vec<FieldError>> = action_field_errors(save);
    let editing = team.is_some();
    view! {
        <section class="card" id="team-form">
            <h2>{if editing { t("teams.edit") } else { t("teams.new") }}</h2>
            <Suspense fallback=|| ()>
                {move || {
                    let team = team.clone();
                    Suspend::new(async move {
                        let choices = choices.await.unwrap_or(TeamChoices { people: vec![], chains: vec![] });
                        let team = team.clone();
                        let id = team.as_ref().map(|t| t.id.to_string()).unwrap_or_default();
                        let name = team.as_ref().map(|t| t.name.clone()).unwrap_or_default();
                        let regions = team.as_ref().map(|t| t.focus_regions.iter().map(|(c, _)| c.clone()).collect::<Vec<_>>().join(" ")).unwrap_or_default();
                        let leader = team.as_ref().and_then(|t| t.leader_in_charge.as_ref().map(|p| p.0));
                        let lead = team.as_ref().and_then(|t| t.team_lead.as_ref().map(|p| p.0));
                        let members: Vec<i64> = team.as_ref().map(|t| t.members.iter().map(|m| m.id).collect()).unwrap_or_default();
                        let chains: Vec<i64> = team.as_ref().map(|t| t.focus_chains.iter().map(|c| c.0).collect()).unwrap_or_default();
                        let industries: Vec<String> = team.as_ref().map(|t| t.focus_industries.clone()).unwrap_or_default();
                        let people = choices.people.clone();
                        view! {
                            <ActionForm action=save>
                                {editing.then(|| view! { <input type="hidden" name="id" value=id.clone()/> })}
                                <label>{t("teams.name")}<input name="form[name]" id="team-name-input" value=name/></label>
                                <FieldErrorText errors=errors field="name"/>
                                <div class="filters">
                                    <label>{t("teams.leader_in_charge")}
                                        <select name="form[leader_in_charge_id]">
                                            <option value="">"—"</option>
                                            {people.iter().map(|p| view! { <option value=p.id selected=leader == Some(p.id)>{p.display_name.clone()}</option> }).collect_view()}
                                        </select>
                                    </label>
                                    <label>{t("teams.team_lead")}
                                        <select name="form[lead_user_id]" id="team-lead-select">
                                            <option value="">"—"</option>
                                            {people.iter().filter(|p| p.role.writes_leads()).map(|p| view! { <option value=p.id selected=lead == Some(p.id)>{p.display_name.clone()}</option> }).collect_view()}
                                        </select>
                                    </label>
                                </div>
                                <FieldErrorText errors=errors field="lead_user_id"/>
                                <label>{t("teams.focus_regions")}<input name="form[focus_regions]" id="team-regions" value=regions placeholder=t("teams.focus_regions.hint")/></label>
                                <FieldErrorText errors=errors field="focus_regions"/>
                                <fieldset>
                                    <legend>{t("teams.members")}</legend>
                                    {people.iter().filter(|p| p.role.writes_leads()).map(|p| view! {
                                        <label class="inline-check">
                                            <input type="checkbox" name=format!("form[members][{}]", p.id) value=p.id checked=members.contains(&p.id) class="team-member-check"/>
                                            {p.display_name.clone()}
                                        </label>
                                    }).collect_view()}
                                </fieldset>
                                <FieldErrorText errors=errors field="members"/>
                                <fieldset>
                                    <legend>{t("teams.focus_chains")}</legend>
                                    {choices.chains.iter().map(|(cid, cname)| view! {
                                        <label class="inline-check">
                                            <input type="checkbox" name=format!("form[focus_chains][{cid}]") value=*cid checked=chains.contains(cid)/>
                                            {cname.clone()}
                                        </label>
                                    }).collect_view()}
                                </fieldset>
                                <fieldset>
                                    <legend>{t("teams.focus_industries")}</legend>
                                    {Industry::ALL.iter().map(|i| view! {
                                        <label class="inline-check">
                                            <input type="checkbox" name=format!("form[focus_industries][{}]", i.code()) value=i.code() checked=industries.iter().any(|x| x == i.code())/>
                                            {t(i.label_key())}
                                        </label>
                                    }).collect_view()}
                                </fieldset>
                                <button type="submit" class="primary" id="team-save">{if editing { t("common.save") } else { t("teams.create") }}</button>
                            </ActionForm>
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}
