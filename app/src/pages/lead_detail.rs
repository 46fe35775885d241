use super::leads_list::region_label;
use crate::api::leads::{get_lead, DuplicateHint, LeadDetail};
use crate::components::errors::ErrorBanner;
use crate::components::options::label_of;
use crate::domain::money::format_wan;
use crate::i18n::t;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The route's `:id`, if it is a number.
pub fn id_param() -> Memo<Option<i64>> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| s.parse().ok())))
}

/// `/leads/{id}`
#[component]
pub fn LeadDetailPage() -> impl IntoView {
    let id = id_param();
    let lead = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => get_lead(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">{t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match lead.await {
                    Ok(l) => view! { <LeadView lead=l/> }.into_any(),
                    Err(e) => view! { <ErrorBanner error=e/> }.into_any(),
                }
            })}
        </Suspense>
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

#[component]
fn LeadView(lead: LeadDetail) -> impl IntoView {
    let l = lead;
    let region = region_label(&l.region);
    let metro = l.region.nanjing_metro;
    let group_key = l.region.group.label_key();
    view! {
        <div class="page-head">
            <h1 id="lead-title">{l.company_name.clone()}</h1>
            {l.can_edit.then(|| view! {
                <a class="button primary" id="edit-lead" href=format!("/leads/{}/edit", l.id)>{t("common.edit")}</a>
            })}
        </div>
        {duplicate_list(l.duplicates.clone())}
        <dl class="facts">
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
            <dt>{t("lead.channel")}</dt><dd>{label_of("channel", &l.channel)}</dd>
            <dt>{t("lead.planned_investment")}</dt><dd id="lead-investment">{amount(l.planned_investment_wan)}</dd>
            <dt>{t("lead.land_mu")}</dt><dd>{amount(l.land_mu)}</dd>
            <dt>{t("lead.annual_output")}</dt><dd>{amount(l.annual_output_wan)}</dd>
            <dt>{t("lead.annual_tax")}</dt><dd>{amount(l.annual_tax_wan)}</dd>
            <dt>{t("lead.jobs")}</dt><dd>{l.jobs.map(|j| j.to_string()).unwrap_or_else(|| "—".into())}</dd>
            <dt>{t("lead.owner")}</dt><dd id="lead-owner">{l.owner_name.clone().unwrap_or_else(|| t("lead.unassigned").to_string())}</dd>
            <dt>{t("lead.notes")}</dt><dd class="notes">{l.notes.clone()}</dd>
            <dt>{t("lead.created")}</dt><dd>{l.created_by.clone()} " · " {l.created_at.clone()}</dd>
            <dt>{t("lead.updated")}</dt><dd>{l.updated_by.clone()} " · " {l.updated_at.clone()}</dd>
        </dl>
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
                            <tr><td>{c.name}</td><td>{c.title}</td><td>{c.phone}</td><td>{c.email}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        <p><a href="/leads">{t("lead.back_to_list")}</a></p>
    }
}
