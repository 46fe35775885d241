//! `/dashboard` — 领导驾驶舱: the funnel, regions, chains, grades, the monthly trend and each
//! team's progress on the year's targets.

use crate::api::dashboard::get_dashboard;
use crate::components::chart::BarChart;
use crate::components::loaded::LoadedOne;
use crate::components::options::label_of;
use crate::i18n::t;
use leptos::prelude::*;

fn stage(code: &str) -> String {
    label_of("stage", code)
}

fn group(code: &str) -> String {
    t(&format!("region.group.{code}")).to_string()
}

fn same(s: &str) -> String {
    s.to_string()
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_dashboard());
    view! {
        <h1>{t("dashboard.title")}</h1>
        <p class="muted">
            <a href="/weekly">{t("report.weekly.title")}</a> " · "
            <a href="/reports/monthly">{t("report.monthly.title")}</a> " · "
            <a href="/reports/quarterly">{t("report.quarterly.title")}</a> " · "
            <a href="/reports/fulfilment">{t("fulfilment.title")}</a>
        </p>
        <LoadedOne resource=data content=move |d| view! {
            <p class="muted" id="dashboard-built-at">{t("dashboard.built_at")} " " {d.built_at.clone()}</p>
            <figure class="card mini-map" id="dashboard-map">
                <figcaption><a href="/map">{t("dashboard.map")}</a></figcaption>
                <div class="map-canvas" inner_html=d.map.clone()/>
            </figure>
            <div class="charts">
                <BarChart id="chart-funnel" title=t("dashboard.funnel") bars=d.funnel label=stage value_name=t("dashboard.leads") extra_name=t("dashboard.investment") extra_own_scale=true extra_in_wan=true/>
                <BarChart id="chart-regions" title=t("dashboard.regions") bars=d.regions label=group value_name=t("dashboard.leads") extra_name=t("dashboard.signed")/>
                <BarChart id="chart-chains" title=t("dashboard.chains") bars=d.chains label=same value_name=t("dashboard.leads") extra_name=t("dashboard.landed")/>
                <BarChart id="chart-grades" title=t("dashboard.grades") bars=d.grades label=same value_name=t("dashboard.leads")/>
                <BarChart id="chart-trend" title=t("dashboard.trend") bars=d.trend label=same value_name=t("dashboard.new_leads") extra_name=t("dashboard.signed")/>
                <BarChart id="chart-targets" title=format!("{} {}", d.year, t("dashboard.targets")) bars=d.targets label=same value_name=t("dashboard.target_signed") extra_name=t("dashboard.target_contracted") percent=true/>
            </div>
        }/>
    }
}
