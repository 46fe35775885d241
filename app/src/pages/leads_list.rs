use crate::api::assignment::AssignLeads;
use crate::api::leads::list_leads;
use crate::components::bulk_assign::{lead_check, AssignDone, BulkAssignForm};
use crate::components::errors::ErrorBanner;
use crate::components::filter_bar::FilterBar;
use crate::components::left::left_by;
use crate::components::options::label_of;
use crate::components::pager::Pager;
use crate::components::region::region_label;
use crate::components::score::grade_badge;
use crate::components::user::use_user;
use crate::domain::lead_filter::{LeadFilter, SortKey};
use crate::domain::money::format_wan;
use crate::i18n::{t, tr_args, use_locale};
use crate::wire::leads::LeadPage;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `/leads` — the registry, filtered by the query string.
#[component]
pub fn LeadsPage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| query.with(|q| LeadFilter::from_pairs(|k| q.get_str(k))));
    let bulk = ServerAction::<AssignLeads>::new();
    let page = Resource::new(move || (filter.get(), bulk.version().get()), |(f, _)| list_leads(f));
    let user = use_user().0;
    let assigned = left_by::<AssignLeads>();

    view! {
        <div class="page-head">
            <h1>{t("leads.list.title")}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let can_write = user.await.ok().flatten().is_some_and(|u| u.role.writes_leads());
                    let query = filter.get_untracked().with_page(1).to_query();
                    view! {
                        <span class="actions">
                            <a class="button" id="export-xlsx" href=format!("/leads/export.xlsx{query}")>{t("export.xlsx")}</a>
                            <a class="button" id="export-csv" href=format!("/leads/export.csv{query}")>{t("export.csv")}</a>
                            <a class="button" id="import-link" href="/import">{t("nav.import")}</a>
                            {can_write.then(|| view! { <a class="button primary" href="/leads/new">{t("nav.new_lead")}</a> })}
                        </span>
                    }
                })}
            </Suspense>
        </div>
        <FilterBar path="/leads" filter=filter/>
        <AssignDone left=assigned/>
        <Transition fallback=|| view! { <p class="muted">{t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                let can_assign = user
                    .await
                    .ok()
                    .flatten()
                    .is_some_and(|u| u.role.assigns_leads() || (u.role.writes_leads() && !u.led_teams.is_empty()));
                match page.await {
                    Ok(p) => view! {
                        {can_assign.then(|| view! { <details class="card"><summary>{t("assign.bulk_open")}</summary><BulkAssignForm action=bulk/></details> })}
                        <LeadTable page=p filter=filter.get_untracked() selectable=can_assign/>
                    }.into_any(),
                    Err(e) => view! { <ErrorBanner error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn LeadTable(page: LeadPage, filter: LeadFilter, selectable: bool) -> impl IntoView {
    let locale = use_locale();
    let sort = filter.sort();
    let header = |key: SortKey, label: &'static str| {
        let href = format!("/leads{}", filter.with_sort(sort.toggled(key)).to_query());
        let mark = if sort.key == key {
            if sort.descending {
                " ▼"
            } else {
                " ▲"
            }
        } else {
            ""
        };
        view! { <a href=href class="sort" data-sort=key.code()>{label}{mark}</a> }
    };
    let prev = (page.page > 1).then(|| format!("/leads{}", filter.with_page(page.page - 1).to_query()));
    let has_next =
        if page.more { page.rows.len() as u64 == crate::domain::lead_filter::PER_PAGE } else { page.page < page.pages };
    let next = has_next.then(|| format!("/leads{}", filter.with_page(page.page + 1).to_query()));
    let summary = tr_args(
        locale,
        if page.more { "leads.list.summary_more" } else { "leads.list.summary" },
        &[
            ("total".into(), page.total.to_string()),
            ("page".into(), page.page.to_string()),
            ("pages".into(), page.pages.to_string()),
        ],
    );
    let empty = page.rows.is_empty();
    view! {
        <p class="muted" id="lead-summary" data-total=page.total>{summary}</p>
        <table class="grid" id="lead-table">
            <thead><tr>
                {selectable.then(|| view! { <th class="pick"></th> })}
                <th>{header(SortKey::Name, t("lead.company_name"))}</th>
                <th>{t("lead.region")}</th>
                <th>{t("lead.industry")}</th>
                <th>{t("lead.stage")}</th>
                <th>{t("lead.channel")}</th>
                <th class="num">{header(SortKey::Investment, t("lead.planned_investment"))}</th>
                <th class="num">{header(SortKey::Score, t("lead.score"))}</th>
                <th>{t("lead.owner")}</th>
                <th>{header(SortKey::Updated, t("lead.updated_at"))}</th>
            </tr></thead>
            <tbody>
                {page.rows.into_iter().map(|r| view! {
                    <tr class="lead-row" data-id=r.id>
                        {selectable.then(|| view! { <td class="pick">{lead_check(r.id)}</td> })}
                        // On a phone each row is a card (style: #lead-table): the name, then stage,
                        // amount and score, then the rest; the amount says what it is.
                        <td class="name"><a href=format!("/leads/{}", r.id)>{r.company_name}</a></td>
                        <td class="region">{region_label(&r.region)}</td>
                        <td class="industry">{label_of("industry", &r.industry)}</td>
                        <td class="stage">{label_of("stage", &r.stage)}</td>
                        <td class="channel">{label_of("channel", &r.channel)}</td>
                        <td class="num invest" data-label=t("lead.planned_investment")>{r.planned_investment_wan.map(format_wan)}</td>
                        <td class="num score" data-label=t("lead.score")>{r.score.map(|s| format!("{s:.1}"))} " " {grade_badge(r.grade)}</td>
                        <td class="owner">{r.owner_name.unwrap_or_else(|| t("lead.unassigned").to_string())}</td>
                        <td class="updated">{r.updated_at}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        {empty.then(|| view! { <p class="muted" id="no-leads">{t("leads.list.empty")}</p> })}
        <Pager prev=prev next=next page=page.page pages=(!page.more).then_some(page.pages)/>
    }
}
