//! The lead filters (region group, industry, stage, grade, channel, 专班, owner, text, chain node) as a
//! GET form, so a filtered view is a URL. Shared by the list and the kanban board. Inside the
//! `AutoSubmit` island a changed select applies at once; without JavaScript the button does it.

use crate::api::teams::team_names;
use crate::api::users::owner_choices;
use crate::components::auto_submit::AutoSubmit;
use crate::components::options::{channel_options, group_options, industry_options, stage_options};
use crate::domain::lead_filter::LeadFilter;
use crate::domain::score::Grade;
use crate::i18n::{t, tr_args, use_locale};
use leptos::prelude::*;

#[component]
pub fn FilterBar(
    path: &'static str,
    filter: Memo<LeadFilter>,
    #[prop(optional)] hide_stage: bool,
    /// Other parameters of the page the form must keep (the map's view and layer).
    #[prop(optional)]
    keep: Vec<(&'static str, String)>,
) -> impl IntoView {
    let owners = Resource::new(|| (), |_| owner_choices());
    let teams = Resource::new(|| (), |_| team_names());
    let locale = use_locale();
    move || {
        let f = filter.get();
        let keep = keep.clone();
        view! {
            <AutoSubmit>
            <form method="get" action=path>
                <div class="filters lead-filters">
                    <input type="search" name="q" id="filter-q" placeholder=t("leads.list.filter.q") value=f.q.clone().unwrap_or_default()/>
                    <select name="group" id="filter-group">
                        <option value="">{t("leads.list.filter.group")}</option>
                        {group_options(f.group.as_deref().unwrap_or_default())}
                    </select>
                    <select name="industry" id="filter-industry">
                        <option value="">{t("leads.list.filter.industry")}</option>
                        {industry_options(f.industry.as_deref().unwrap_or_default())}
                    </select>
                    {(!hide_stage).then(|| view! {
                        <select name="stage" id="filter-stage">
                            <option value="">{t("leads.list.filter.stage")}</option>
                            {stage_options(f.stage.as_deref().unwrap_or_default())}
                        </select>
                    })}
                    <select name="grade" id="filter-grade">
                        <option value="">{t("leads.list.filter.grade")}</option>
                        {Grade::ALL.iter().map(|g| {
                            let selected = f.grade.as_deref() == Some(g.code());
                            view! { <option value=g.code() selected=selected>{g.code()}</option> }
                        }).collect_view()}
                    </select>
                    {f.node.map(|n| view! {
                        <input type="hidden" name="node" value=n/>
                        <span class="tag" id="filter-node">{t("leads.list.filter.node")} " #" {n}</span>
                    })}
                    {f.region.clone().map(|r| view! {
                        <input type="hidden" name="region" value=r.clone()/>
                        <RegionTag code=r/>
                    })}
                    {keep.into_iter().map(|(k, v)| view! { <input type="hidden" name=k value=v/> }).collect_view()}
                    {f.import.map(|n| {
                        // What the list is limited to, the import it links back to, and a way out.
                        let without = LeadFilter { import: None, page: None, ..f.clone() };
                        view! {
                            <input type="hidden" name="import" value=n/>
                            <span class="tag">
                                <a id="filter-import" href=format!("/import/{n}")>
                                    {tr_args(locale, "leads.list.filter.import", &[("id".to_string(), n.to_string())])}
                                </a>
                                " " <a id="filter-import-clear" href=format!("{path}{}", without.to_query())
                                    title=t("leads.list.filter.remove") aria-label=t("leads.list.filter.remove")>"×"</a>
                            </span>
                        }
                    })}
                    <select name="channel" id="filter-channel">
                        <option value="">{t("leads.list.filter.channel")}</option>
                        {channel_options(f.channel.as_deref().unwrap_or_default())}
                    </select>
                    <TeamFilter teams=teams current=f.team/>
                    <OwnerFilter owners=owners current=f.owner.clone().unwrap_or_default()/>
                    <label class="inline-check">
                        <input type="checkbox" name="major" value="1" id="filter-major" checked=f.major == Some(true)/>
                        {t("leads.list.filter.major")}
                    </label>
                    {f.sort.clone().map(|s| view! { <input type="hidden" name="sort" value=s/> })}
                    <button type="submit" id="filter-apply">{t("leads.list.filter.apply")}</button>
                    <a href=path class="button">{t("leads.list.filter.clear")}</a>
                </div>
            </form>
            </AutoSubmit>
        }
    }
}

/// The region filter as a tag with the division's name (the map's "this city's leads").
#[component]
fn RegionTag(code: String) -> impl IntoView {
    let name = Resource::new(move || code.clone(), crate::api::leads::region_name);
    view! {
        <span class="tag" id="filter-region">
            {t("leads.list.filter.region")} " "
            <Suspense fallback=|| ()>{move || Suspend::new(async move { name.await.unwrap_or_default() })}</Suspense>
        </span>
    }
}

#[component]
fn OwnerFilter(
    owners: Resource<Result<Vec<crate::wire::users::OwnerChoice>, crate::error::AppError>>,
    current: String,
) -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {
                let current = current.clone();
                move || {
                    let current = current.clone();
                    Suspend::new(async move {
                        let list = owners.await.unwrap_or_default();
                        view! {
                            <select name="owner" id="filter-owner">
                                <option value="">{t("leads.list.filter.owner")}</option>
                                <option value="me" selected=current == "me">{t("leads.list.filter.owner_me")}</option>
                                <option value="none" selected=current == "none">{t("leads.list.filter.owner_none")}</option>
                                {list.into_iter().map(|o| {
                                    let id = o.id.to_string();
                                    let selected = current == id;
                                    view! { <option value=id selected=selected>{o.display_name}</option> }
                                }).collect_view()}
                            </select>
                        }
                    })
                }
            }
        </Suspense>
    }
}

/// 招商专班: the teams by name; a team not in the list (deleted since the link was made) stays
/// chosen under its number, so the form does not drop it silently.
#[component]
fn TeamFilter(
    teams: Resource<Result<Vec<(i64, String)>, crate::error::AppError>>,
    current: Option<i64>,
) -> impl IntoView {
    view! {
        <Suspense fallback=move || current.map(|n| view! { <input type="hidden" name="team" value=n/> })>
            {move || Suspend::new(async move {
                let list = teams.await.unwrap_or_default();
                let unknown = current.filter(|c| !list.iter().any(|(id, _)| id == c));
                (!list.is_empty() || unknown.is_some()).then(|| view! {
                    <select name="team" id="filter-team">
                        <option value="">{t("leads.list.filter.team")}</option>
                        {list.into_iter().map(|(id, name)| {
                            view! { <option value=id selected=current == Some(id)>{name}</option> }
                        }).collect_view()}
                        {unknown.map(|n| view! { <option value=n selected=true>{t("nav.teams")} " #" {n}</option> })}
                    </select>
                })
            })}
        </Suspense>
    }
}
