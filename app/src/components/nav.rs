use crate::components::user::use_user;
use crate::i18n::{t, tr, use_locale};
use leptos::prelude::*;
use leptos_router::components::A;

/// A navigation group: its label key and its links (label key, path), already filtered by role.
type Group = (&'static str, Vec<(&'static str, &'static str)>);

/// The sections a user's role may open, in five groups: 工作台 / 线索与项目 / 外出招商 / 报表 / 设置
/// (规则 to those who only read them). `leads_a_team`: the user leads a 专班 (sees 待分配).
fn groups(r: crate::domain::role::Role, leads_a_team: bool) -> Vec<Group> {
    let when = |ok: bool, link: (&'static str, &'static str)| ok.then_some(link);
    let keep = |links: Vec<Option<(&'static str, &'static str)>>| links.into_iter().flatten().collect::<Vec<_>>();
    vec![
        (
            "nav.group.workbench",
            keep(vec![
                Some(("nav.home", "/")),
                Some(("nav.calendar", "/calendar")),
                Some(("nav.problems", "/problems")),
            ]),
        ),
        (
            "nav.group.leads",
            keep(vec![
                Some(("nav.leads", "/leads")),
                when(r.writes_leads(), ("nav.new_lead", "/leads/new")),
                Some(("nav.kanban", "/kanban")),
                Some(("nav.projects", "/projects")),
                when(r.assigns_leads() || leads_a_team, ("nav.unassigned", "/leads/unassigned")),
                when(r.writes_leads(), ("nav.import", "/import")),
                Some(("nav.chains", "/chains")),
                Some(("nav.gaps", "/gaps")),
                when(r.assigns_leads(), ("nav.trash", "/trash")),
            ]),
        ),
        (
            "nav.group.trips",
            keep(vec![
                Some(("nav.field", "/field")),
                Some(("nav.trips", "/trips")),
                Some(("nav.planner", "/planner")),
                Some(("nav.teams", "/teams")),
            ]),
        ),
        (
            "nav.group.reports",
            keep(vec![
                when(r.sees_all_leads(), ("nav.dashboard", "/dashboard")),
                Some(("nav.map", "/map")),
                Some(("nav.weekly", "/weekly")),
                Some(("report.monthly.title", "/reports/monthly")),
                Some(("report.quarterly.title", "/reports/quarterly")),
                Some(("nav.fulfilment", "/reports/fulfilment")),
                Some(("nav.efficiency", "/efficiency")),
            ]),
        ),
        (
            // Managers and the administrator change them (the score's weights the administrator
            // alone): to staff and leaders they are the rules the score, the milestones and the
            // efficiency grades follow, to read.
            if r.assigns_leads() { "nav.group.settings" } else { "nav.group.rules" },
            keep(vec![
                Some(("nav.scoring", "/settings/scoring")),
                Some(("nav.milestones", "/settings/milestones")),
                Some(("nav.efficiency_rules", "/settings/efficiency")),
                when(r.manages_users(), ("nav.users", "/admin/users")),
                when(r.manages_users(), ("nav.mail", "/admin/mail")),
                when(r.manages_users(), ("nav.aliases", "/admin/aliases")),
                when(r.manages_users(), ("nav.denials", "/admin/denials")),
            ]),
        ),
    ]
}

/// The menu's name for the section `path` (`/leads/12` → 线索库's key) is in: the link whose path
/// is the longest start of it (`/` only itself); `None` outside the menu (`/me`, `/login`).
pub fn section_of(path: &str) -> Option<&'static str> {
    let path = path.trim_end_matches('/');
    groups(crate::domain::role::Role::Admin, true)
        .into_iter()
        .flat_map(|(_, links)| links)
        .filter(|(_, href)| {
            let href = href.trim_end_matches('/');
            path == href || (!href.is_empty() && path.starts_with(href) && path[href.len()..].starts_with('/'))
        })
        .max_by_key(|(_, href)| href.len())
        .map(|(key, _)| key)
}

/// The browser's title for this page: its section's name and the brand (`看板 · 链招`), or the
/// app's title outside the menu's sections (tabs and the history told every page apart only by
/// its address).
///
/// The text is worked out here, once, as a plain string: `leptos_meta` reads a title's text when
/// it writes the page's `<head>`, outside the request's sandboxed reactive arena, so a closure
/// over the router's location read whichever request's arena the worker thread had last — under
/// load that panicked (「already been disposed」, CI of 27e9fe1) or could name another page.
/// The path cannot change while a page renders on the server, and this component never runs in
/// the browser (it is not an island), so nothing reactive is lost.
#[component]
pub fn PageTitle() -> impl IntoView {
    let path = leptos_router::hooks::use_location().pathname.get_untracked();
    let text = match section_of(&path) {
        Some(key) => format!("{} · {}", t(key), t("app.short")),
        None => t("app.title").to_string(),
    };
    view! { <leptos_meta::Title text=text/> }
}

/// The top bar: brand, the grouped sections the user's role may open, who is signed in,
/// language, logout. On a phone the sections fold behind a menu button (a checkbox and its
/// label: no JavaScript needed); on a desktop each group opens on hover, focus or tap.
#[component]
pub fn NavBar() -> impl IntoView {
    let user = use_user().0;
    let locale = use_locale();
    let other = locale.other();
    view! {
        <header class="topbar">
            <a class="brand" href="/">{t("app.brand")}</a>
            <input type="checkbox" id="nav-toggle" class="nav-toggle"/>
            <label for="nav-toggle" class="nav-toggle-label" id="nav-menu-button">{t("nav.menu")}</label>
            <div class="nav-panel">
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let me = user.await.ok().flatten();
                        me.map(|u| {
                            view! {
                                <nav class="sections" aria-label=t("nav.menu")>
                                    {groups(u.role, !u.led_teams.is_empty()).into_iter().filter(|(_, links)| !links.is_empty()).map(|(label, links)| view! {
                                        <div class="nav-group" tabindex="0">
                                            <span class="nav-group-label">{t(label)}</span>
                                            <div class="nav-links">
                                                {links.into_iter().map(|(key, href)| view! { <A href=href>{t(key)}</A> }).collect_view()}
                                            </div>
                                        </div>
                                    }).collect_view()}
                                </nav>
                                <div class="nav-user">
                                    <a class="whoami" href="/me" id="me-link">
                                        {u.display_name.clone()} " · " {t(u.role.label_key())}
                                    </a>
                                    <form method="post" action="/logout" class="inline">
                                        <button type="submit" class="link" id="logout">{t("nav.logout")}</button>
                                    </form>
                                </div>
                            }
                        })
                    })}
                </Suspense>
                <form method="post" action="/lang" class="inline lang-switch">
                    <input type="hidden" name="lang" value=other.code()/>
                    <button type="submit" class="link" id="switch-lang">{tr(other, "nav.switch_to")}</button>
                </form>
            </div>
        </header>
    }
}

#[cfg(test)]
mod tests {
    use super::section_of;

    #[test]
    fn a_page_is_named_by_the_menus_longest_matching_link() {
        assert_eq!(section_of("/"), Some("nav.home"));
        assert_eq!(section_of("/leads"), Some("nav.leads"));
        assert_eq!(section_of("/leads/12"), Some("nav.leads"));
        assert_eq!(section_of("/leads/new"), Some("nav.new_lead"));
        assert_eq!(section_of("/leads/unassigned"), Some("nav.unassigned"));
        assert_eq!(section_of("/trips/3"), Some("nav.trips"));
        assert_eq!(section_of("/reports/monthly"), Some("report.monthly.title"));
        assert_eq!(section_of("/kanbanx"), None, "a path's start is a whole segment");
        assert_eq!(section_of("/me"), None);
    }
}
