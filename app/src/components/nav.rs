use crate::app::use_user;
use crate::i18n::{t, tr, use_locale};
use leptos::prelude::*;
use leptos_router::components::A;

/// The top bar: brand, sections the user's role may open, who is signed in, language, logout.
#[component]
pub fn NavBar() -> impl IntoView {
    let user = use_user().0;
    let locale = use_locale();
    let other = locale.other();
    view! {
        <header class="topbar">
            <a class="brand" href="/">{t("app.brand")}</a>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let me = user.await.ok().flatten();
                    me.map(|u| {
                        view! {
                            <nav class="sections">
                                <A href="/">{t("nav.home")}</A>
                                <A href="/leads">{t("nav.leads")}</A>
                                <A href="/kanban">{t("nav.kanban")}</A>
                                <A href="/problems">{t("nav.problems")}</A>
                                {u.role.sees_all_leads().then(|| view! { <A href="/dashboard">{t("nav.dashboard")}</A> })}
                                <A href="/weekly">{t("nav.weekly")}</A>
                                <A href="/planner">{t("nav.planner")}</A>
                                <A href="/trips">{t("nav.trips")}</A>
                                <A href="/calendar">{t("nav.calendar")}</A>
                                <A href="/teams">{t("nav.teams")}</A>
                                {(u.role.assigns_leads() || !u.led_teams.is_empty()).then(|| view! { <A href="/leads/unassigned">{t("nav.unassigned")}</A> })}
                                <A href="/chains">{t("nav.chains")}</A>
                                <A href="/gaps">{t("nav.gaps")}</A>
                                {u.role.writes_leads().then(|| view! { <A href="/leads/new">{t("nav.new_lead")}</A> })}
                                {u.role.writes_leads().then(|| view! { <A href="/import">{t("nav.import")}</A> })}
                                <A href="/settings/scoring">{t("nav.scoring")}</A>
                                {u.role.assigns_leads().then(|| view! { <A href="/trash">{t("nav.trash")}</A> })}
                                {u.role.manages_users().then(|| view! { <A href="/admin/users">{t("nav.users")}</A> })}
                                {u.role.manages_users().then(|| view! { <A href="/admin/mail">{t("nav.mail")}</A> })}
                            </nav>
                            <a class="whoami" href="/me" id="me-link">
                                {u.display_name.clone()} " · " {t(u.role.label_key())}
                            </a>
                            <form method="post" action="/logout" class="inline">
                                <button type="submit" class="link" id="logout">{t("nav.logout")}</button>
                            </form>
                        }
                    })
                })}
            </Suspense>
            <form method="post" action="/lang" class="inline lang-switch">
                <input type="hidden" name="lang" value=other.code()/>
                <button type="submit" class="link" id="switch-lang">{tr(other, "nav.switch_to")}</button>
            </form>
        </header>
    }
}
