//! 招商地图's figures: one grouped query per layer, restricted to what the reader may see, and the
//! open city's leads. The drawing is `map_svg`.

use super::access::trips_visible_to;
use super::lead_list::{filtered, list};
use super::map_svg::{figure_place, place_name, value};
use super::ServiceError;
use crate::backend::entities::{lead, team, trip, visit};
use crate::domain::catalog::Stage;
use crate::domain::lead_filter::LeadFilter;
use crate::domain::map::{Layer, MapQuery};
use crate::domain::region::{OverseasArea, RegionCode};
use crate::domain::stage::{code_is_landed, position};
use crate::domain::trip::TripStatus;
use crate::i18n::Locale;
use crate::wire::auth::SessionUser;
use crate::wire::map::{CityPanel, MapView, PlaceFigure};
use chrono::{Datelike, NaiveDate};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::BTreeMap;

/// Where a lead without a city sits: its province, else its region code (overseas).
const PLACE: &str = "COALESCE(leads.province_code, leads.region_code)";

/// A row of the grouped lead query: place, stage, grade, leads, planned 万元.
type PlaceRow = (String, String, Option<String>, i64, Option<f64>);

/// The figures of one layer: by place code (4-digit city or 2-digit province), and the overseas
/// areas' lead counts.
pub struct Figures {
    pub places: BTreeMap<String, PlaceFigure>,
    pub overseas: Vec<(String, u64)>,
    /// The trips layer's period (first day of this month, last day of next month).
    pub period: Option<(NaiveDate, NaiveDate)>,
}

fn figure<'a>(places: &'a mut BTreeMap<String, PlaceFigure>, code: &str, locale: Locale) -> &'a mut PlaceFigure {
    places.entry(code.to_string()).or_insert_with(|| PlaceFigure {
        code: code.to_string(),
        name: place_name(code, locale),
        ..Default::default()
    })
}

/// Leads per place under `filter` (the list's own query, so the counts are the list's): count,
/// planned 万元, signed-or-landed count, best grade, furthest stage. Two grouped queries: the
/// leads with a city (on `idx_leads_map`), and the few without one.
/// Errors: `Invalid` at `owner` (see `lead_list::filtered`), `Db`, `Internal`.
pub async fn lead_figures(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    filter: &LeadFilter,
) -> Result<Figures, ServiceError> {
    let major = super::scoring::major_project_wan(db).await?;
    let base = filtered(db.get_database_backend(), actor, filter, major)?;
    // Leads with a city, grouped in the order of `idx_leads_map` (aggregated while the index is
    // walked, no sort); then the few without one, by province or overseas code.
    let with_city: Vec<PlaceRow> = base
        .clone()
        .filter(lead::Column::CityCode.is_not_null())
        .select_only()
        .column(lead::Column::CityCode)
        .column(lead::Column::Stage)
        .column(lead::Column::Grade)
        .column_as(Expr::col(lead::Column::Id).count(), "n")
        .column_as(Expr::col(lead::Column::PlannedInvestmentWan).sum(), "wan")
        .group_by(lead::Column::CityCode)
        .group_by(lead::Column::Stage)
        .group_by(lead::Column::Grade)
        .into_tuple()
        .all(db)
        .await?;
    let without_city: Vec<PlaceRow> = base
        .filter(lead::Column::CityCode.is_null())
        .select_only()
        .column_as(Expr::cust(PLACE), "place")
        .column(lead::Column::Stage)
        .column(lead::Column::Grade)
        .column_as(Expr::col(lead::Column::Id).count(), "n")
        .column_as(Expr::col(lead::Column::PlannedInvestmentWan).sum(), "wan")
        .group_by(Expr::cust(PLACE))
        .group_by(lead::Column::Stage)
        .group_by(lead::Column::Grade)
        .into_tuple()
        .all(db)
        .await?;
    let rows = with_city.into_iter().chain(without_city);
    let mut places = BTreeMap::new();
    let mut overseas: BTreeMap<String, u64> = BTreeMap::new();
    for (place, stage, grade, n, wan) in rows {
        let n = n.max(0) as u64;
        // An overseas lead is counted in the 境外线索 box by its area, and 台湾's and 港澳's on
        // their shapes too (they were 「暂无」 beside the box's counts).
        let place = if place.len() == 2 || place.len() == 4 {
            place
        } else {
            let area = match RegionCode::parse(&place) {
                Some(RegionCode::Overseas(a)) => Some(a),
                _ => None,
            };
            *overseas.entry(area.map(|a| a.code().to_string()).unwrap_or(place)).or_default() += n;
            match area.and_then(OverseasArea::map_place) {
                Some(shape) => shape.to_string(),
                None => continue,
            }
        };
        let f = figure(&mut places, &place, actor.locale);
        f.count += n;
        f.investment_wan += wan.unwrap_or(0.0);
        if code_is_landed(&stage) {
            f.signed += n;
        }
        if let Some(g) = grade.filter(|g| f.best_grade.as_ref().is_none_or(|b| g < b)) {
            f.best_grade = Some(g);
        }
        let rank = |code: &str| Stage::parse(code).and_then(position);
        if rank(&stage).is_some() && rank(&stage) > f.top_stage.as_deref().and_then(rank) {
            f.top_stage = Some(stage);
        }
    }
    // The box lists the areas with the most leads first (then by code, as before).
    let mut overseas: Vec<(String, u64)> = overseas.into_iter().collect();
    overseas.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(Figures { places, overseas, period: None })
}

/// This month's and next month's trips (outbound, published or closed — a draft is not yet a plan
/// the office stands by, as the weekly numbers count them — that `actor` may see) by destination
/// city, and their visits by the visited company's city. `today` is Asia/Shanghai.
/// Errors: `Db` only.
pub async fn trip_figures(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    today: NaiveDate,
) -> Result<Figures, ServiceError> {
    let start = today.with_day(1).unwrap_or(today);
    let after_next = (1..=2).fold(start, |d, _| d.checked_add_months(chrono::Months::new(1)).unwrap_or(d));
    let end = after_next.pred_opt().unwrap_or(after_next);
    let trips: Vec<(i64, String)> = trips_visible_to(trip::Entity::find(), actor)
        .filter(trip::Column::Status.is_in([TripStatus::Planned.code(), TripStatus::Closed.code()]))
        .filter(trip::Column::StartOn.lte(end))
        .filter(trip::Column::EndOn.gte(start))
        .select_only()
        .column(trip::Column::Id)
        .column(trip::Column::DestinationCode)
        .into_tuple()
        .all(db)
        .await?;
    let mut places = BTreeMap::new();
    for (_, dest) in &trips {
        if let Some(RegionCode::Division(code)) = RegionCode::parse(dest) {
            let place = if code.ends_with("0000") { &code[..2] } else { &code[..4] };
            figure(&mut places, place, actor.locale).count += 1;
        }
    }
    // Visits of those trips, placed where the company is.
    let ids: Vec<i64> = trips.iter().map(|t| t.0).collect();
    let visited: Vec<i64> = if ids.is_empty() {
        Vec::new()
    } else {
        visit::Entity::find()
            .filter(visit::Column::TripId.is_in(ids))
            .filter(visit::Column::Status.ne("missed"))
            .select_only()
            .column(visit::Column::LeadId)
            .into_tuple()
            .all(db)
            .await?
    };
    let mut lead_ids = visited.clone();
    lead_ids.sort_unstable();
    lead_ids.dedup();
    let place_of: std::collections::HashMap<i64, Option<String>> = if lead_ids.is_empty() {
        Default::default()
    } else {
        lead::Entity::find()
            .filter(lead::Column::Id.is_in(lead_ids))
            .select_only()
            .column(lead::Column::Id)
            .column_as(Expr::cust("COALESCE(leads.city_code, leads.province_code)"), "place")
            .into_tuple::<(i64, Option<String>)>()
            .all(db)
            .await?
            .into_iter()
            .collect()
    };
    for id in visited {
        if let Some(Some(place)) = place_of.get(&id) {
            figure(&mut places, place, actor.locale).visits += 1;
        }
    }
    Ok(Figures { places, overseas: Vec::new(), period: Some((start, end)) })
}

/// The teams' focus regions (专班重点区域): each city or province with the teams that focus on it.
/// Errors: `Db` only.
pub async fn team_figures(db: &impl ConnectionTrait, locale: Locale) -> Result<Figures, ServiceError> {
    let mut places = BTreeMap::new();
    for t in team::Entity::find().all(db).await? {
        for code in super::teams::json_list::<String>(&t.focus_regions) {
            let Some(RegionCode::Division(code)) = RegionCode::parse(&code) else { continue };
            let place = if code.ends_with("0000") { &code[..2] } else { &code[..4] };
            let f = figure(&mut places, place, locale);
            if !f.teams.contains(&t.name) {
                f.count += 1;
                f.teams.push(t.name.clone());
            }
        }
    }
    Ok(Figures { places, overseas: Vec::new(), period: None })
}

/// The figures of `query`'s layer.
/// Errors: those of [`lead_figures`], [`trip_figures`], [`team_figures`].
pub async fn figures(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    query: &MapQuery,
    today: NaiveDate,
) -> Result<Figures, ServiceError> {
    match query.layer {
        Layer::Leads | Layer::Investment | Layer::Projects => lead_figures(db, actor, &query.filter).await,
        Layer::Trips => trip_figures(db, actor, today).await,
        Layer::Teams => team_figures(db, actor.locale).await,
    }
}

/// `/map` for `actor`: the layer's figures drawn (`map_svg::draw`), as a table largest first,
/// the open city's panel (its 20 best leads by score under the filter) and the overseas counts.
/// Errors: those of [`figures`] and `lead_list::list`.
pub async fn view(db: &impl ConnectionTrait, actor: &SessionUser, query: &MapQuery) -> Result<MapView, ServiceError> {
    let today = super::pipeline::today();
    let figs = figures(db, actor, query, today).await?;
    let drawn = super::map_svg::draw(&figs.places, query, actor.locale, true);
    let mut table: Vec<PlaceFigure> =
        figs.places.values().filter(|f| value(query.layer, f) > 0.0 || !f.teams.is_empty()).cloned().collect();
    table.sort_by(|a, b| value(query.layer, b).total_cmp(&value(query.layer, a)).then(a.code.cmp(&b.code)));
    let panel = match &query.city {
        Some(code) => Some(city_panel(db, actor, query, code, &figs).await?),
        None => None,
    };
    Ok(MapView {
        svg: drawn.svg,
        figures: table,
        legend: drawn.legend,
        panel,
        overseas: figs.overseas,
        period: figs.period.map(|(a, b)| format!("{a} – {b}")),
    })
}

async fn city_panel(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    query: &MapQuery,
    code: &str,
    figs: &Figures,
) -> Result<CityPanel, ServiceError> {
    let filter = LeadFilter {
        region: Some(code.to_string()),
        sort: Some("-score".into()),
        page: None,
        ..if query.layer.filters_leads() { query.filter.clone() } else { LeadFilter::default() }
    };
    // One city's leads, once per panel: nothing to remember the count for.
    let page = list(db, &super::list_count::CountCache::default(), actor, &filter).await?;
    let name = place_name(code, actor.locale);
    // A province (the dashboard's map opens `city=32`, `71`) sums its cities' figures and its
    // province-only leads: its own entry held only the latter (计划投资 0 beside 60 leads).
    let place = figure_place(code);
    let figure = if place.len() == 2 {
        summed(figs.places.iter().filter(|(c, _)| c.starts_with(place)).map(|(_, f)| f), place, &name)
    } else {
        figs.places.get(place).cloned().unwrap_or_else(|| PlaceFigure {
            code: code.to_string(),
            name: name.clone(),
            ..Default::default()
        })
    };
    Ok(CityPanel {
        code: code.to_string(),
        name,
        figure,
        leads: page.rows.into_iter().take(20).collect(),
        total: page.total,
    })
}

/// The figures of `parts` added up as the place `code` named `name`: counts, 万元, signed,
/// visits, the best grade; the teams once each.
fn summed<'a>(parts: impl Iterator<Item = &'a PlaceFigure>, code: &str, name: &str) -> PlaceFigure {
    let mut sum = PlaceFigure { code: code.to_string(), name: name.to_string(), ..Default::default() };
    for f in parts {
        sum.count += f.count;
        sum.investment_wan += f.investment_wan;
        sum.signed += f.signed;
        sum.visits += f.visits;
        if let Some(g) = f.best_grade.clone().filter(|g| sum.best_grade.as_ref().is_none_or(|b| g < b)) {
            sum.best_grade = Some(g);
        }
        for t in &f.teams {
            if !sum.teams.contains(t) {
                sum.teams.push(t.clone());
            }
        }
    }
    sum
}

/// The map of `query` alone, as a standalone SVG document (`/map.svg`), without links (saved to
/// a disk, a link relative to the server leads nowhere).
/// Errors: those of [`figures`].
pub async fn svg(db: &impl ConnectionTrait, actor: &SessionUser, query: &MapQuery) -> Result<String, ServiceError> {
    let figs = figures(db, actor, query, super::pipeline::today()).await?;
    Ok(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}",
        super::map_svg::draw(&figs.places, query, actor.locale, false).svg
    ))
}

/// The dashboard's small map: leads and signings by province (all live leads; the dashboard is
/// for those who see every lead).
/// Errors: those of [`lead_figures`].
pub async fn province_map(db: &impl ConnectionTrait, actor: &SessionUser) -> Result<String, ServiceError> {
    let figs = lead_figures(db, actor, &LeadFilter::default()).await?;
    let provinces: std::collections::BTreeSet<&str> = figs.places.keys().map(|c| &c[..2]).collect();
    let by_province: BTreeMap<String, PlaceFigure> = provinces
        .into_iter()
        .map(|p| {
            let parts = figs.places.iter().filter(|(c, _)| c.starts_with(p)).map(|(_, f)| f);
            (p.to_string(), summed(parts, p, &place_name(p, actor.locale)))
        })
        .collect();
    Ok(super::map_svg::provinces(&by_province, actor.locale))
}
