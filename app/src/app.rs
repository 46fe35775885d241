//! The shell, the router and the frame every page sits in.

use crate::api::auth::me;
use crate::components::nav::NavBar;
use crate::components::user::UserResource;
use crate::i18n::Locale;
use crate::pages;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    let locale = current_locale();
    #[cfg(feature = "ssr")]
    crate::backend::csp::set_page_csp();
    view! {
        <!DOCTYPE html>
        <html lang=locale.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" type="image/svg+xml" href="/favicon.svg"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <link rel="apple-touch-icon" href="/icons/icon-192.png"/>
                <meta name="theme-color" content="#b3261e"/>
                <script src="/sw-register.js" defer nonce=leptos::nonce::use_nonce()></script>
                <AutoReload options=options.clone()/>
                <HydrationScripts options=options.clone() islands=true/>
                <HashedStylesheet options id="leptos"/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The reader's language: the `lz_lang` cookie, read the same way on the server and in the
/// browser so hydration sees the same text.
pub fn current_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|p| p.headers.get(http::header::COOKIE).and_then(|v| v.to_str().ok()).map(str::to_string))
            .and_then(|c| Locale::from_cookie_header(&c))
            .unwrap_or_default()
    }
    #[cfg(all(not(feature = "ssr"), feature = "hydrate"))]
    {
        use wasm_bindgen::JsCast;
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
            .and_then(|d| d.cookie().ok())
            .and_then(|c| Locale::from_cookie_header(&c))
            .unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        Locale::default()
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(current_locale());
    let user = Resource::new_blocking(|| (), |_| me());
    provide_context(UserResource(user));

    view! {
        // Async SSR: each page is rendered whole before it is sent, so its HTTP status (404, 403)
        // is always right and the HTML is complete without JavaScript.
        <Router>
            <crate::components::nav::PageTitle/>
            <NavBar/>
            <crate::components::forget_refusal::ForgetRefusalIfAny/>
            <main class="page">
                <Routes fallback=|| view! { <pages::not_found::NotFound/> }>
                    <Route path=path!("/login") ssr=SsrMode::Async view=pages::login::LoginPage/>
                    <Route path=path!("/") ssr=SsrMode::Async view=pages::home::HomePage/>
                    <Route path=path!("/leads") ssr=SsrMode::Async view=pages::leads_list::LeadsPage/>
                    <Route path=path!("/leads/new") ssr=SsrMode::Async view=pages::lead_form::NewLeadPage/>
                    <Route path=path!("/leads/unassigned") ssr=SsrMode::Async view=pages::unassigned::UnassignedPage/>
                    <Route path=path!("/leads/:id") ssr=SsrMode::Async view=pages::lead_detail::LeadDetailPage/>
                    <Route path=path!("/leads/:id/edit") ssr=SsrMode::Async view=pages::lead_form::EditLeadPage/>
                    <Route path=path!("/admin/users") ssr=SsrMode::Async view=pages::admin_users::AdminUsersPage/>
                    <Route path=path!("/admin/mail") ssr=SsrMode::Async view=pages::admin_mail::AdminMailPage/>
                    <Route path=path!("/admin/aliases") ssr=SsrMode::Async view=pages::admin_aliases::AdminAliasesPage/>
                    <Route path=path!("/admin/denials") ssr=SsrMode::Async view=pages::admin_denials::AdminDenialsPage/>
                    <Route path=path!("/teams") ssr=SsrMode::Async view=pages::teams::TeamsPage/>
                    <Route path=path!("/teams/:id") ssr=SsrMode::Async view=pages::teams::TeamDetailPage/>
                    <Route path=path!("/field") ssr=SsrMode::Async view=pages::field::FieldWeekPage/>
                    <Route path=path!("/field/visits/:id") ssr=SsrMode::Async view=pages::field::FieldVisitPage/>
                    <Route path=path!("/field/leads/new") ssr=SsrMode::Async view=pages::field_lead::FieldNewLeadPage/>
                    <Route path=path!("/field/outbox") ssr=SsrMode::Async view=pages::field_lead::FieldOutboxPage/>
                    <Route path=path!("/trips") ssr=SsrMode::Async view=pages::trips::TripsPage/>
                    <Route path=path!("/trips/:id") ssr=SsrMode::Async view=pages::trip_detail::TripDetailPage/>
                    <Route path=path!("/calendar") ssr=SsrMode::Async view=pages::calendar::CalendarRoute/>
                    <Route path=path!("/me") ssr=SsrMode::Async view=pages::me::MePage/>
                    <Route path=path!("/dashboard") ssr=SsrMode::Async view=pages::dashboard::DashboardPage/>
                    <Route path=path!("/map") ssr=SsrMode::Async view=pages::map::MapPage/>
                    <Route path=path!("/weekly") ssr=SsrMode::Async view=pages::weekly::WeeklyPage/>
                    <Route path=path!("/planner") ssr=SsrMode::Async view=pages::planner::PlannerPage/>
                    <Route path=path!("/reports/monthly") ssr=SsrMode::Async view=pages::reports::MonthlyPage/>
                    <Route path=path!("/reports/quarterly") ssr=SsrMode::Async view=pages::reports::QuarterlyPage/>
                    <Route path=path!("/reports/fulfilment") ssr=SsrMode::Async view=pages::fulfilment::FulfilmentPage/>
                    <Route path=path!("/kanban") ssr=SsrMode::Async view=pages::kanban::KanbanPage/>
                    <Route path=path!("/problems") ssr=SsrMode::Async view=pages::problems::ProblemsPage/>
                    <Route path=path!("/projects") ssr=SsrMode::Async view=pages::projects::ProjectsPage/>
                    <Route path=path!("/projects/events/:id") ssr=SsrMode::Async view=pages::project_events::ProjectEventPrintPage/>
                    <Route path=path!("/import") ssr=SsrMode::Async view=pages::import::ImportPage/>
                    <Route path=path!("/import/:id") ssr=SsrMode::Async view=pages::import_batch::ImportBatchPage/>
                    <Route path=path!("/trash") ssr=SsrMode::Async view=pages::trash::TrashPage/>
                    <Route path=path!("/chains") ssr=SsrMode::Async view=pages::chains::ChainsPage/>
                    <Route path=path!("/chains/:id") ssr=SsrMode::Async view=pages::chain_map::ChainMapPage/>
                    <Route path=path!("/gaps") ssr=SsrMode::Async view=pages::gaps::GapsPage/>
                    <Route path=path!("/settings/scoring") ssr=SsrMode::Async view=pages::settings_scoring::ScoringSettingsPage/>
                    <Route path=path!("/settings/milestones") ssr=SsrMode::Async view=pages::settings_milestones::MilestoneSettingsPage/>
                    <Route path=path!("/settings/efficiency") ssr=SsrMode::Async view=pages::settings_efficiency::EfficiencySettingsPage/>
                    <Route path=path!("/efficiency") ssr=SsrMode::Async view=pages::efficiency::EfficiencyPage/>
                    <Route path=path!("/efficiency/enterprise/:id") ssr=SsrMode::Async view=pages::efficiency::EnterpriseEfficiencyPage/>
                    <Route path=path!("/efficiency/import/:id") ssr=SsrMode::Async view=pages::efficiency_batch::FigureBatchPageView/>
                </Routes>
            </main>
        </Router>
    }
}
