//! `/map` — 招商地图: leads, investment, signed projects, trips or the teams' focus by city, drawn on
//! the server (works without JavaScript, prints, saves as SVG), the figures as a table, and the
//! clicked city's panel with its best leads and the way to the work (list, trip, gaps).

use crate::api::map::get_map;
use crate::components::auto_submit::AutoSubmit;
use crate::components::filter_bar::FilterBar;
use crate::components::loaded::LoadedOne;
use crate::components::options::label_of;
use crate::components::score::grade_badge;
use crate::domain::lead_filter::LeadFilter;
use crate::domain::map::{Colour, Layer, MapQuery, Preset};
use crate::domain::money::format_wan;
use crate::domain::region::OverseasArea;
use crate::i18n::{t, tr_args, use_locale};
use crate::wire::map::{CityPanel, MapView, PlaceFigure};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn MapPage() -> impl IntoView {
    let query = use_query_map();
    let map_query = Memo::new(move |_| query.with(|q| MapQuery::from_pairs(|k| q.get_str(k))));
    let filter = Memo::new(move |_| map_query.get().filter);
    let data = Resource::new(move || map_query.get(), get_map);
    view! {
        <h1>{t("map.title")}</h1>
        {move || {
            let q = map_query.get();
            view! {
                <nav class="map-views" id="map-views">
                    {Preset::ALL.into_iter().map(|p| {
                        let href = format!("/map{}", MapQuery { view: p, city: None, ..q.clone() }.to_query());
                        let current = (p == q.view).then_some("page");
                        view! { <a class="button" href=href id=format!("view-{}", p.code()) aria-current=current>{t(p.label_key())}</a> }
                    }).collect_view()}
                </nav>
                <LayerForm q=q.clone()/>
                // Folded until a filter is chosen: on a phone the eight filters took the first
                // screen, before the map.
                {q.layer.filters_leads().then(|| {
                    let on = q.filter.pairs().iter().filter(|(k, _)| !matches!(*k, "sort" | "page")).count();
                    let summary = if on == 0 {
                        t("map.filters").to_string()
                    } else {
                        tr_args(use_locale(), "map.filters_on", &[("n".into(), on.to_string())])
                    };
                    view! {
                        <details class="map-filters" id="map-filters" open={on > 0}>
                            <summary>{summary}</summary>
                            <FilterBar path="/map" filter=filter keep=vec![("view", q.view.code().to_string()), ("layer", q.layer.code().to_string()), ("colour", q.colour.code().to_string())]/>
                        </details>
                    }
                })}
            }
        }}
        <LoadedOne resource=data content=move |m| view! { <MapBody m=m q=map_query.get_untracked()/> }/>
    }
}

/// The layer and colouring: a GET form keeping the view and the lead filters.
#[component]
fn LayerForm(q: MapQuery) -> impl IntoView {
    view! {
        <AutoSubmit>
        <form method="get" action="/map" class="filters" id="map-layer-form">
            <input type="hidden" name="view" value=q.view.code()/>
            {q.filter.pairs().into_iter().map(|(k, v)| view! { <input type="hidden" name=k value=v/> }).collect_view()}
            <label>{t("map.layer")}
                <select name="layer" id="map-layer">
                    {Layer::ALL.into_iter().map(|l| view! { <option value=l.code() selected=l == q.layer>{t(l.label_key())}</option> }).collect_view()}
                </select>
            </label>
            {(q.layer == Layer::Leads).then(|| view! {
                <label>{t("map.colour")}
                    <select name="colour" id="map-colour">
                        {Colour::ALL.into_iter().map(|c| view! { <option value=c.code() selected=c == q.colour>{t(c.label_key())}</option> }).collect_view()}
                    </select>
                </label>
            })}
            <button type="submit" id="map-apply">{t("leads.list.filter.apply")}</button>
        </form>
        </AutoSubmit>
    }
}

/// The figure a layer shows for a place, as text.
fn shown(layer: Layer, f: &PlaceFigure) -> String {
    match layer {
        Layer::Leads => f.count.to_string(),
        Layer::Investment => format_wan(f.investment_wan),
        Layer::Projects => f.signed.to_string(),
        Layer::Trips => format!("{} / {}", f.count, f.visits),
        Layer::Teams => crate::i18n::enumerate(crate::i18n::use_locale(), &f.teams),
    }
}

fn value_head(layer: Layer) -> &'static str {
    match layer {
        Layer::Leads => "map.col.leads",
        Layer::Investment => "map.col.investment",
        Layer::Projects => "map.col.projects",
        Layer::Trips => "map.col.trips",
        Layer::Teams => "map.col.teams",
    }
}

#[component]
fn MapBody(m: MapView, q: MapQuery) -> impl IntoView {
    let svg_href = format!("/map.svg{}", q.to_query());
    let layer = q.layer;
    view! {
        {m.period.clone().map(|p| view! { <p class="muted" id="map-period">{t("map.period")} " " {p}</p> })}
        <div class="map-layout">
            <div class="map-main">
                <div class="map-canvas" id="map-canvas" inner_html=m.svg/>
                <ul class="legend" id="map-legend">
                    {m.legend.into_iter().map(|l| view! {
                        <li><span class="swatch" style=format!("background:{}", l.fill)></span>{l.label}</li>
                    }).collect_view()}
                </ul>
                <p class="muted"><a href=svg_href id="map-svg" download="map.svg">{t("map.save_svg")}</a></p>
            </div>
            <aside class="map-side">
                {m.panel.map(|p| view! { <Panel p=p q=q.clone()/> })}
                {(!m.overseas.is_empty()).then(|| view! {
                    <section class="card" id="map-overseas">
                        <h2>{t("map.overseas")}</h2>
                        <ul>
                            {m.overseas.into_iter().map(|(area, n)| {
                                let href = format!("/leads{}", LeadFilter { region: Some(area.clone()), page: None, ..q.filter.clone() }.to_query());
                                let name = OverseasArea::ALL.into_iter().find(|a| a.code() == area).map(|a| t(a.label_key())).unwrap_or_default();
                                view! { <li data-area=area.clone()><a href=href>{name}</a> " " <strong>{n}</strong></li> }
                            }).collect_view()}
                        </ul>
                    </section>
                })}
                <details class="card" id="map-table" open=q.city.is_none()>
                    <summary>{t("map.table")}</summary>
                    <table class="grid">
                        <thead><tr><th>{t("map.col.place")}</th><th>{t(value_head(layer))}</th></tr></thead>
                        <tbody>
                            {m.figures.into_iter().map(|f| {
                                let href = format!("/map{}", q.with_city(&f.code));
                                view! {
                                    <tr data-code=f.code.clone()>
                                        <td><a href=href>{f.name.clone()}</a></td>
                                        <td class="num">{shown(layer, &f)}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </details>
            </aside>
        </div>
    }
}

#[component]
fn Panel(p: CityPanel, q: MapQuery) -> impl IntoView {
    let leads_href = format!(
        "/leads{}",
        LeadFilter { region: Some(p.code.clone()), sort: Some("-score".into()), ..q.filter.clone() }.to_query()
    );
    let trip_href = format!("/trips?destination={}#new-trip", crate::domain::lead_filter::encode(&p.name));
    let gaps_href = format!("/gaps?region={}", p.code);
    let close = format!("/map{}", q.to_query());
    let mainland = OverseasArea::of_shape(&p.code).is_none();
    let f = p.figure.clone();
    view! {
        <section class="card" id="map-panel" data-code=p.code.clone()>
            <h2>{p.name.clone()} " " <a href=close class="muted" id="map-panel-close" aria-label=t("map.close")>"×"</a></h2>
            <p class="muted">
                {t("map.col.leads")} " " <strong id="map-panel-total">{p.total}</strong> " · "
                {t("map.col.investment")} " " {format_wan(f.investment_wan)} " · "
                {t("map.col.projects")} " " {f.signed}
            </p>
            <p class="actions">
                <a class="button" id="map-city-leads" href=leads_href>{t("map.city.leads")}</a>
                // 台湾 and 港澳 are an overseas area's leads: a trip's destination and the gaps'
                // region are the mainland's divisions.
                {mainland.then(|| view! {
                    <a class="button" id="map-city-trip" href=trip_href>{t("map.city.trip")}</a>
                    <a class="button" id="map-city-gaps" href=gaps_href>{t("map.city.gaps")}</a>
                })}
            </p>
            {if p.leads.is_empty() {
                view! { <p class="muted">{t("map.city.none")}</p> }.into_any()
            } else {
                view! {
                    <ol class="candidates" id="map-city-list">
                        {p.leads.into_iter().map(|l| view! {
                            <li>
                                <a href=format!("/leads/{}", l.id) class="map-lead">{l.company_name}</a> " "
                                {grade_badge(l.grade)} " "
                                <span class="muted">{l.score.map(|s| format!("{s:.1}"))} " · " {label_of("stage", &l.stage)}</span>
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
    }
}
