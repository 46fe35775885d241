use crate::api::chains::{leader_options, node_options, PlaceLead, UnplaceLead};
use crate::api::leads::get_lead;
use crate::components::errors::action_field_errors;
use crate::components::errors::FieldErrorText;
use crate::components::loaded::LoadedOne;
use crate::components::options::label_of;
use crate::components::region::region_label;
use crate::components::route_id::{id_param, read_by_id};
use crate::components::score::ScoreBreakdown;
use crate::domain::lead::FieldError;
use crate::domain::money::format_wan;
use crate::domain::score::ChainRole;
use crate::i18n::{t, tr_args, use_locale};
use crate::wire::leads::{DuplicateHint, LeadDetail, PlacementView};
use crate::wire::pipeline::{ActivityForm, MoveForm};
use leptos::prelude::*;

/// `/leads/{id}`
#[component]
pub fn LeadDetailPage() -> impl IntoView {
    let id = id_param();
    let place = ServerAction::<PlaceLead>::new();
    let unplace = ServerAction::<UnplaceLead>::new();
    let lead = Resource::new(
        move || (id.get(), place.version().get(), unplace.version().get()),
        |(id, ..)| read_by_id(id, get_lead),
    );
    // Back from a refused stage move: what was chosen (made here, outside the page's Suspend).
    let move_draft = crate::components::left::draft_under(crate::api::flash::MOVE_DRAFT);
    let log_draft = crate::components::left::draft_under(crate::api::flash::LOG_DRAFT);
    // Back from a stage move: where it went, said at the stage.
    let moved = crate::components::left::left_under(Some(crate::api::flash::MOVED.to_string()));
    view! {
        <LoadedOne resource=lead content=move |l| view! { <LeadView lead=l place=place unplace=unplace move_draft=move_draft log_draft=log_draft moved=moved/> }/>
    }
}

pub fn duplicate_list(hints: Vec<DuplicateHint>) -> impl IntoView {
    (!hints.is_empty()).then(|| {
        view! {
            <div class="warning" id="duplicate-warning" role="status">
                <strong>{t("lead.duplicates.title")}</strong>
                <ul>
                    {hints.into_iter().map(|h| {
                        let owner = h.owner_name.unwrap_or_else(|| t("lead.unassigned").to_string());
                        let kind = if h.same_uscc { t("lead.duplicates.same_uscc") } else { t("lead.duplicates.same_name") };
                        view! {
                            <li>
                                {if h.readable {
                                    view! { <a href=format!("/leads/{}", h.id)>{h.company_name}</a> }.into_any()
                                } else {
                                    view! { <span>{h.company_name}</span> }.into_any()
                                }}
                                " — " {kind} " · " {t("lead.owner")} ": " {owner}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </div>
        }
    })
}

fn amount(v: Option<f64>) -> String {
    v.map(format_wan).unwrap_or_else(|| "—".into())
}

fn tri(v: Option<bool>) -> &'static str {
    match v {
        None => t("common.unknown"),
        Some(true) => t("common.yes"),
        Some(false) => t("common.no"),
    }
}

#[component]
fn LeadView(
    lead: LeadDetail,
    place: ServerAction<PlaceLead>,
    unplace: ServerAction<UnplaceLead>,
    move_draft: Resource<Option<(i64, MoveForm)>>,
    log_draft: Resource<Option<(i64, ActivityForm)>>,
    moved: Resource<Option<(i64, String)>>,
) -> impl IntoView {
    let l = lead;
    let score = l.score.clone();
    let placements = l.placements.clone();
    let lead_id = l.id;
    let can_edit_chain = l.can_edit;
    let region = region_label(&l.region);
    let metro = l.region.nanjing_metro;
    let group_key = l.region.group.label_key();
    let locale = use_locale();
    // Top-down like a file: the company's facts and contacts, then score, chain, 重大项目,
    // 承诺履约, pipeline, problems, history.
    view! {
        <div class="page-head">
            <h1 id="lead-title">{l.company_name.clone()}</h1>
            {l.can_edit.then(|| view! {
                <a class="button primary" id="edit-lead" href=format!("/leads/{}/edit", l.id)>{t("common.edit")}</a>
            })}
        </div>
        {duplicate_list(l.duplicates.clone())}
        <dl class="facts" id="lead-facts">
            <dt>{t("lead.uscc")}</dt><dd id="lead-uscc">{l.uscc.clone().unwrap_or_else(|| "—".into())}</dd>
            <dt>{t("lead.region")}</dt>
            <dd id="lead-region">
                {region} " · " {t(group_key)}
                {metro.then(|| view! { " · " <span class="tag">{t("region.nanjing_metro")}</span> })}
            </dd>
            <dt>{t("lead.industry")}</dt>
            <dd>
                {label_of("industry", &l.industry)}
                {l.sector.clone().map(|s| view! { " / " {label_of("sector", &s)} })}
            </dd>
            <dt>{t("lead.stage")}</dt><dd id="lead-stage">{label_of("stage", &l.stage)}</dd>
            <dt>{t("lead.planned_investment")}</dt><dd id="lead-investment">{amount(l.planned_investment_wan)}</dd>
            <dt>{t("lead.owner")}</dt><dd id="lead-owner">{l.owner_name.clone().unwrap_or_else(|| t("lead.unassigned").to_string())}</dd>
            <dt>{t("nav.teams")}</dt><dd id="lead-team">{match l.team.clone() {
                Some((id, name)) => view! { <a href=format!("/teams/{id}")>{name}</a> }.into_any(),
                None => view! { "—" }.into_any(),
            }}</dd>
            <dt>{t("lead.channel")}</dt><dd>{label_of("channel", &l.channel)}</dd>
            <dt>{t("lead.land_mu")}</dt><dd>{amount(l.land_mu)}</dd>
            <dt>{t("lead.annual_output")}</dt><dd>{amount(l.annual_output_wan)}</dd>
            <dt>{t("lead.annual_tax")}</dt><dd>{amount(l.annual_tax_wan)}</dd>
            <dt>{t("lead.jobs")}</dt><dd>{l.jobs.map(|j| j.to_string()).unwrap_or_else(|| "—".into())}</dd>
            <dt>{t("lead.high_tech")}</dt><dd>{tri(l.high_tech)}</dd>
            <dt>{t("lead.specialised")}</dt><dd>{tri(l.specialised)}</dd>
            <dt>{t("lead.listed")}</dt><dd>{tri(l.listed)}</dd>
            <dt>{t("lead.energy_use")}</dt>
            <dd>{l.energy_use.clone().map(|e| label_of("energy", &e)).unwrap_or_else(|| t("common.unknown").to_string())}</dd>
            <dt>{t("lead.notes")}</dt><dd class="notes">{l.notes.clone()}</dd>
            <dt>{t("lead.created")}</dt><dd>{l.created_by.clone()} " · " {l.created_at.clone()}
                {l.imported_from.clone().map(|o| {
                    let id = ("id".to_string(), o.id.to_string());
                    view! {
                        " · " <span id="imported-from">{match o.file_name {
                            Some(file) => {
                                let text = tr_args(locale, "lead.imported_from", &[("file".into(), file), id]);
                                view! { <a href=format!("/import/{}", o.id)>{text}</a> }.into_any()
                            }
                            None => tr_args(locale, "lead.imported", &[id]).into_any(),
                        }}</span>
                    }
                })}
            </dd>
            <dt>{t("lead.updated")}</dt><dd>{l.updated_by.clone()} " · " {l.updated_at.clone()}</dd>
        </dl>
        <section class="card" id="lead-contacts">
            <h2>{t("lead.contacts")}</h2>
            {if l.contacts.is_empty() {
                view! { <p class="muted">{t("lead.contacts.none")}</p> }.into_any()
            } else {
                view! {
                    <table class="grid">
                        <thead><tr>
                            <th>{t("contact.name")}</th><th>{t("contact.title")}</th>
                            <th>{t("contact.phone")}</th><th>{t("contact.email")}</th>
                        </tr></thead>
                        <tbody>
                            {l.contacts.into_iter().map(|c| view! {
                                <tr>
                                    <td>{c.name}</td><td>{c.title}</td>
                                    <td>{match crate::domain::lead::tel_uri(&c.phone) {
                                        Some(href) => view! { <a href=href>{c.phone}</a> }.into_any(),
                                        None => c.phone.into_any(),
                                    }}</td>
                                    <td>{if c.email.contains('@') {
                                        let href = format!("mailto:{}", c.email);
                                        view! { <a href=href>{c.email}</a> }.into_any()
                                    } else {
                                        c.email.into_any()
                                    }}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
        {match score {
            Some(view) => view! { <ScoreBreakdown view=view/> }.into_any(),
            None => view! { <p class="muted">{t("score.none")}</p> }.into_any(),
        }}
        <Placements lead_id=lead_id placements=placements can_edit=can_edit_chain place=place unplace=unplace/>
        <super::lead_extras::MajorPanel lead_id=lead_id/>
        <super::projects::PlanPanel lead_id=lead_id/>
        <super::land::LandReviewPanel lead_id=lead_id/>
        <super::fulfilment::FulfilmentPanel lead_id=lead_id/>
        <super::lead_pipeline::PipelinePanel lead_id=lead_id draft=move_draft log_draft=log_draft moved=moved/>
        <super::lead_extras::ProblemsPanel lead_id=lead_id can_edit=can_edit_chain/>
        {l.can_see_history.then(|| view! { <super::lead_extras::HistoryPanel lead_id=lead_id/> })}
        // A <div>, not a <p>: the delete button is a <form>, and an HTML parser closes an open
        // <p> at a <form>, so the browser's DOM would no longer match the view and hydration
        // would fail (see README, "Hydration rules").
        <div class="actions">
            <a href="/leads">{t("lead.back_to_list")}</a>
            {can_edit_chain.then(|| view! { <super::lead_extras::DeleteButton lead_id=lead_id/> })}
        </div>
    }
}

/// Where the lead sits on the chains, and (for editors) placing it on another node.
#[component]
fn Placements(
    lead_id: i64,
    placements: Vec<PlacementView>,
    can_edit: bool,
    place: ServerAction<PlaceLead>,
    unplace: ServerAction<UnplaceLead>,
) -> impl IntoView {
    let locale = use_locale();
    let errors: Signal<Vec<FieldError>> = action_field_errors(place);
    view! {
        <section class="card" id="placements">
            <h2>{t("lead.chain.title")}</h2>
            {if placements.is_empty() {
                view! { <p class="muted">{t("lead.chain.none")}</p> }.into_any()
            } else {
                view! {
                    <ul class="placements">
                        {placements.into_iter().map(|p| {
                            let node_id = p.node_id;
                            view! {
                                <li data-node=p.node_id>
                                    <a href=format!("/chains/{}", p.chain_id)>{p.chain.pick(locale).to_string()}</a>
                                    " › " {p.node.pick(locale).to_string()}
                                    " (" {t(&format!("chain.position.{}", p.position)).to_string()} ") · "
                                    {label_of("chain.role", &p.role)}
                                    {p.supplies.map(|s| view! { " → " {s} })}
                                    {p.is_gap.then(|| view! { " " <span class="gap-tag">{t("chain.gap.fills")}</span> })}
                                    {can_edit.then(|| view! {
                                        <ActionForm action=unplace>
                                            <input type="hidden" name="lead_id" value=lead_id/>
                                            <input type="hidden" name="node_id" value=node_id/>
                                            <button type="submit" class="link small">{t("lead.chain.remove")}</button>
                                        </ActionForm>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {can_edit.then(|| view! { <PlaceForm lead_id=lead_id place=place errors=errors/> })}
        </section>
    }
}

#[component]
fn PlaceForm(lead_id: i64, place: ServerAction<PlaceLead>, errors: Signal<Vec<FieldError>>) -> impl IntoView {
    let locale = use_locale();
    let nodes = Resource::new(|| (), |_| node_options());
    let leaders = Resource::new(|| (), |_| leader_options());
    view! {
        <ActionForm action=place>
            <input type="hidden" name="lead_id" value=lead_id/>
            <div class="filters">
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let list = nodes.await.unwrap_or_default();
                        let mut chains: Vec<(String, Vec<(i64, String)>)> = Vec::new();
                        for n in list {
                            let chain = n.chain.pick(locale).to_string();
                            let label = format!("{} ({})", n.node.pick(locale), t(&format!("chain.position.{}", n.position)));
                            match chains.last_mut() {
                                Some((c, nodes)) if *c == chain => nodes.push((n.id, label)),
                                _ => chains.push((chain, vec![(n.id, label)])),
                            }
                        }
                        view! {
                            <select name="node_id" id="place-node">
                                {chains.into_iter().map(|(chain, nodes)| view! {
                                    <optgroup label=chain>
                                        {nodes.into_iter().map(|(id, label)| view! { <option value=id>{label}</option> }).collect_view()}
                                    </optgroup>
                                }).collect_view()}
                            </select>
                        }
                    })}
                </Suspense>
                <select name="role" id="place-role">
                    {ChainRole::ALL.iter().map(|r| view! { <option value=r.code()>{t(r.label_key())}</option> }).collect_view()}
                </select>
                // 配套对象: the 链主 are offered as the name is typed; any other local enterprise
                // is typed by its full name (the registry may hold tens of thousands).
                <input name="supplies" id="place-supplies" list="place-supplies-list" autocomplete="off"
                    title=t("lead.chain.supplies") placeholder=t("lead.chain.supplies_hint")/>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let list = leaders.await.unwrap_or_default();
                        view! {
                            <datalist id="place-supplies-list">
                                {list.into_iter().map(|e| view! { <option value=e.name></option> }).collect_view()}
                            </datalist>
                        }
                    })}
                </Suspense>
                <button type="submit" id="place-submit">{t("lead.chain.add")}</button>
            </div>
            <FieldErrorText errors=errors field="node_id"/>
            <FieldErrorText errors=errors field="role"/>
            <FieldErrorText errors=errors field="supplies"/>
        </ActionForm>
    }
}
