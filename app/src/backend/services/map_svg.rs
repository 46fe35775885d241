//! Draws 招商地图 as one `<svg>` string on the server: each city a link to its panel with a
//! `<title>` (the hover text, no script needed), coloured by the layer, province borders on top, the
//! 南海诸岛 inset on the country view. Fills are attributes, not classes, so the same SVG works
//! in the page, printed, and saved on its own (`/map.svg`).

use crate::backend::boundaries::{boundaries, Bbox, Detail, Shape};
use crate::domain::catalog::Stage;
use crate::domain::map::{step, Colour, Layer, MapQuery, Preset};
use crate::domain::money::format_wan;
use crate::domain::region::{OverseasArea, RegionCode};
use crate::domain::stage::PIPELINE;
use crate::i18n::{tr, tr_args, Locale};
use crate::wire::map::{LegendItem, PlaceFigure};
use std::collections::BTreeMap;
use std::fmt::Write;

/// No figure.
const EMPTY: &str = "#eef1f4";
/// Steps 1–5 of a count or amount (light to dark blue).
const STEPS: [&str; 5] = ["#cfe1f2", "#9ecae1", "#6baed6", "#3182bd", "#08519c"];
/// Grades A–D.
const GRADES: [(&str, &str); 4] = [("A", "#1a7f37"), ("B", "#74c476"), ("C", "#fdae6b"), ("D", "#de2d26")];
/// The nine stages of the main line, light to dark.
const STAGES: [&str; 9] =
    ["#f2f0f7", "#dadaeb", "#bcbddc", "#9e9ac8", "#807dba", "#6a51a3", "#54278f", "#3f007d", "#2d004b"];
/// 三沙: drawn in the inset of the country view, not in the main frame.
const SOUTH_SEA: &str = "4603";
/// A place whose larger side is under this share of the frame's width gets a dot at its centre,
/// to be seen and clicked: 澳门 is 2 ‰ of the country map (about 1 × 2 px on a page), the next
/// smallest place (厦门) 11 ‰.
const DOT_BELOW: f64 = 0.006;
/// The dot's radius, as a share of the frame's width (about 7 px across on a 780-px map).
const DOT_RADIUS: f64 = 0.0045;

/// The value a layer colours by and sorts its table on.
pub fn value(layer: Layer, f: &PlaceFigure) -> f64 {
    match layer {
        Layer::Leads | Layer::Teams => f.count as f64,
        Layer::Investment => f.investment_wan,
        Layer::Projects => f.signed as f64,
        Layer::Trips => (f.count + f.visits) as f64,
    }
}

/// A map place's name: the division's short name, or for an overseas area's code and the shapes
/// of 台湾 and 港澳 (71…, 81…, 82…) the area they stand for, in `locale` (「港澳地区」 on both 香港
/// and 澳门: the office keeps them as one area, and the figure drawn on each is the area's).
pub fn place_name(code: &str, locale: Locale) -> String {
    match RegionCode::parse(code) {
        Some(RegionCode::Overseas(area)) => tr(locale, area.label_key()).to_string(),
        _ => crate::backend::regions::divisions().short_name(code),
    }
}

/// The place whose figure a shape shows: itself, or for 台湾 and 港澳 the place their area's leads
/// are counted on ([`OverseasArea::map_place`]: 澳门's 8200 shows 8100's, the province shape 82
/// shows 81's).
pub fn figure_place(code: &str) -> &str {
    match OverseasArea::of_shape(code).and_then(OverseasArea::map_place) {
        Some(place) if code.len() == 2 => &place[..2],
        Some(place) => place,
        None => code,
    }
}

/// The drawn map and its legend.
pub struct Drawn {
    pub svg: String,
    pub legend: Vec<LegendItem>,
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The fill of `f` on `query`'s layer, given the largest value drawn.
fn fill(query: &MapQuery, f: Option<&PlaceFigure>, max: f64) -> &'static str {
    let Some(f) = f else { return EMPTY };
    match (query.layer, query.colour) {
        (Layer::Leads, Colour::Grade) => f
            .best_grade
            .as_deref()
            .and_then(|g| GRADES.iter().find(|(c, _)| *c == g))
            .map(|(_, fill)| *fill)
            .unwrap_or(if f.count > 0 { STEPS[0] } else { EMPTY }),
        (Layer::Leads, Colour::Stage) => f
            .top_stage
            .as_deref()
            .and_then(Stage::parse)
            .and_then(crate::domain::stage::position)
            .map(|i| STAGES[i.min(STAGES.len() - 1)])
            .unwrap_or(EMPTY),
        (layer, _) => match step(value(layer, f), max) {
            0 => EMPTY,
            s => STEPS[(s - 1) as usize],
        },
    }
}

/// The hover text of a place: its name and the layer's figures, in `locale`.
pub fn tip(locale: Locale, layer: Layer, name: &str, f: Option<&PlaceFigure>) -> String {
    let arg = |k: &str, v: String| (k.to_string(), v);
    let Some(f) = f else { return format!("{name}：{}", tr(locale, "map.tip.none")) };
    let args = vec![
        arg("name", name.to_string()),
        arg("n", f.count.to_string()),
        arg("wan", format_wan(f.investment_wan)),
        arg("signed", f.signed.to_string()),
        arg("visits", f.visits.to_string()),
        arg("grade", f.best_grade.clone().unwrap_or_else(|| "–".into())),
        arg("stage", f.top_stage.as_deref().map(|s| tr(locale, &format!("stage.{s}")).to_string()).unwrap_or_default()),
        arg("teams", crate::i18n::enumerate(locale, &f.teams)),
    ];
    tr_args(locale, &format!("map.tip.{}", layer.code()), &args)
}

/// The legend of `query`'s colouring, in `locale`; `max` is the largest value drawn.
fn legend(locale: Locale, query: &MapQuery, max: f64) -> Vec<LegendItem> {
    let item = |fill: &str, label: String| LegendItem { fill: fill.to_string(), label };
    let mut out = vec![item(EMPTY, tr(locale, "map.legend.none").to_string())];
    match (query.layer, query.colour) {
        (Layer::Leads, Colour::Grade) => {
            out.extend(
                GRADES.iter().map(|(g, fill)| {
                    item(fill, tr_args(locale, "map.legend.grade", &[("grade".into(), g.to_string())]))
                }),
            );
        }
        (Layer::Leads, Colour::Stage) => {
            out.extend(
                PIPELINE
                    .iter()
                    .zip(STAGES)
                    .map(|(s, fill)| item(fill, tr(locale, &format!("stage.{}", s.code())).to_string())),
            );
        }
        (Layer::Investment, _) => {
            // The lower bound of each step: step s starts at (((s-1)/4)^2)·max (the square-root
            // scale of `domain::map::step`).
            let unit = tr(locale, "map.legend.wan");
            for (i, fill) in STEPS.iter().enumerate() {
                let lo = (i as f64 / 4.0).powi(2) * max;
                let label = if i == 0 { format!("> 0{unit}") } else { format!("≥ {}{unit}", format_wan(lo)) };
                out.push(item(fill, label));
            }
        }
        (_, _) => out.extend(count_steps(max).into_iter().map(|(i, lo)| item(STEPS[i], format!("≥ {lo}")))),
    }
    out
}

/// The steps a count layer (leads, projects, trips, teams: whole numbers) can show, as (step
/// index, the least count in it): each step's bound rounded up to a whole count (「≥ 2.63」 is
/// 「≥ 3」), and a step no whole count falls in (its bound rounds to the next one's) left out.
fn count_steps(max: f64) -> Vec<(usize, u64)> {
    let lo = |i: usize| if i == 0 { 1.0 } else { ((i as f64 / 4.0).powi(2) * max).ceil().max(1.0) };
    (0..STEPS.len())
        .filter(|&i| i + 1 == STEPS.len() || lo(i) < lo(i + 1))
        .filter(|&i| lo(i) <= max)
        .map(|i| (i, lo(i) as u64))
        .collect()
}

fn frame(view: Preset) -> Bbox {
    let b = boundaries();
    let all = || Bbox(0.0, 0.0, 1000.0, 1000.0);
    match view {
        Preset::China => b
            .cities(Detail::Country)
            .iter()
            .filter(|s| s.code != SOUTH_SEA)
            .map(|s| s.bbox)
            .reduce(Bbox::union)
            .unwrap_or_else(all)
            .padded(0.01),
        p => b.frame(p.frames()).unwrap_or_else(all).padded(0.06),
    }
}

fn view_box(b: Bbox) -> String {
    format!("{:.1} {:.1} {:.1} {:.1}", b.0, b.1, b.2 - b.0, b.3 - b.1)
}

/// One city: its path and hover text, in a link to its panel (`href`) or, in a saved file, a
/// group (a link relative to the server would lead nowhere from a disk). A place too small to
/// see in `frame` ([`DOT_BELOW`]) gets a dot over it, in the same link.
fn city(out: &mut String, s: &Shape, fill: &str, href: Option<&str>, tip: &str, frame: Bbox) {
    let (code, d) = (s.code, s.path);
    let width = frame.2 - frame.0;
    let dot = if (s.bbox.2 - s.bbox.0).max(s.bbox.3 - s.bbox.1) < width * DOT_BELOW {
        let (x, y) = s.bbox.centre();
        format!(
            r##"<circle class="dot" cx="{x:.1}" cy="{y:.1}" r="{r:.2}" fill="{fill}" stroke="#5b6770" stroke-width="{sw:.2}"/>"##,
            r = width * DOT_RADIUS,
            sw = width * DOT_RADIUS / 4.0,
        )
    } else {
        String::new()
    };
    let _ = match href {
        Some(href) => write!(
            out,
            r#"<a href="{href}" id="map-{code}"><path d="{d}" fill="{fill}"/>{dot}<title>{tip}</title></a>"#
        ),
        None => write!(out, r#"<g id="map-{code}"><path d="{d}" fill="{fill}"/>{dot}<title>{tip}</title></g>"#),
    };
}

/// The map of `places` (by 4-digit city or 2-digit province code) for `query`, in `locale`.
/// On the teams and trips layers a city without a figure of its own takes its province's (a
/// province-wide focus or destination); leads placed only in a province are not spread over its
/// cities (they are in the table). Whole country: country detail, every city, the 南海诸岛
/// inset; a preset: region detail, the cities in its frame, names on the cities with figures.
/// `linked`: each city links to its panel (the page); not in a saved file.
pub fn draw(places: &BTreeMap<String, PlaceFigure>, query: &MapQuery, locale: Locale, linked: bool) -> Drawn {
    let b = boundaries();
    let detail = if query.view == Preset::China { Detail::Country } else { Detail::Region };
    let frame = frame(query.view);
    let max = places.values().map(|f| value(query.layer, f)).fold(0.0, f64::max);
    // A province-wide figure (a team's focus, a trip to a whole province) covers its cities; a
    // lead placed only in a province is counted on the province's table row, not on every city.
    let province_wide = matches!(query.layer, Layer::Teams | Layer::Trips);
    let figure =
        |code: &str| places.get(figure_place(code)).or_else(|| province_wide.then(|| places.get(&code[..2])).flatten());
    let title = format!("{} · {}", tr(locale, "map.title"), tr(locale, query.view.label_key()));
    let mut svg = String::with_capacity(320 * 1024);
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="{vb}" class="china-map" id="china-map" role="img" aria-labelledby="map-title" stroke="#ffffff" stroke-width="{sw}" stroke-linejoin="round"><title id="map-title">{title}</title>"##,
        vb = view_box(frame),
        sw = if detail == Detail::Country { 0.6 } else { 0.25 },
        title = xml(&title),
    );
    svg.push_str(r#"<g class="cities">"#);
    let drawn: Vec<&Shape> = b
        .cities(detail)
        .iter()
        .filter(|s| s.bbox.overlaps(frame) && !(query.view == Preset::China && s.code == SOUTH_SEA))
        .collect();
    for s in &drawn {
        let f = figure(s.code);
        let name = place_name(s.code, locale);
        let href = linked.then(|| xml(&format!("/map{}", query.with_city(s.code))));
        city(&mut svg, s, fill(query, f, max), href.as_deref(), &xml(&tip(locale, query.layer, &name, f)), frame);
    }
    svg.push_str("</g>");
    // Province borders over the cities, one path.
    svg.push_str(r##"<path class="provinces" fill="none" stroke="#5b6770" stroke-width=""##);
    svg.push_str(if detail == Detail::Country { "1.1" } else { "0.6" });
    svg.push_str(r#"" d=""#);
    for p in b.provinces(detail).iter().filter(|p| p.bbox.overlaps(frame)) {
        svg.push_str(p.path);
    }
    svg.push_str(r#""/>"#);
    if detail == Detail::Region {
        // Names on the cities with figures, each shape its own (香港 and 澳门 both show 港澳's).
        svg.push_str(r##"<g class="labels" fill="#1d2730" stroke="none" font-size="5" text-anchor="middle" pointer-events="none">"##);
        for s in drawn.iter().filter(|s| places.contains_key(figure_place(s.code))) {
            let (x, y) = s.bbox.centre();
            let name = crate::backend::regions::divisions().short_name(s.code);
            let _ = write!(svg, r#"<text x="{x:.1}" y="{y:.1}">{}</text>"#, xml(&name));
        }
        svg.push_str("</g>");
    } else if let Some(sea) = b.cities(Detail::Country).iter().find(|s| s.code == SOUTH_SEA) {
        // 南海诸岛: the South China Sea in a box at the bottom right, as Chinese maps show it.
        let inset = sea.bbox.padded(0.05);
        let w = (frame.2 - frame.0) * 0.13;
        let h = w * (inset.3 - inset.1) / (inset.2 - inset.0);
        let (x, y) = (frame.2 - w - 4.0, frame.3 - h - 4.0);
        // Lines and the label in the inset's own units (its box is a few units wide: a stroke of
        // 2 or a label of 14 there drew the label as a few giant strokes).
        let unit = inset.hundredth();
        let _ = write!(
            svg,
            r##"<svg x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" viewBox="{vb}" class="inset" stroke-width="{city_sw:.2}"><rect x="{rx:.1}" y="{ry:.1}" width="{rw:.1}" height="{rh:.1}" fill="#ffffff" stroke="#5b6770" stroke-width="{sw:.2}"/>"##,
            sw = unit * 1.5,
            city_sw = unit * 0.5,
            vb = view_box(inset),
            rx = inset.0,
            ry = inset.1,
            rw = inset.2 - inset.0,
            rh = inset.3 - inset.1,
        );
        let f = figure(SOUTH_SEA);
        let href = linked.then(|| xml(&format!("/map{}", query.with_city(SOUTH_SEA))));
        let name = crate::backend::regions::divisions().short_name(SOUTH_SEA);
        city(&mut svg, sea, fill(query, f, max), href.as_deref(), &xml(&tip(locale, query.layer, &name, f)), inset);
        for p in b.provinces(Detail::Country).iter().filter(|p| p.bbox.overlaps(inset) && p.code != "46") {
            let _ = write!(
                svg,
                r##"<path d="{}" fill="{EMPTY}" stroke="#5b6770" stroke-width="{:.2}"/>"##,
                p.path,
                unit * 0.8
            );
        }
        let _ = write!(
            svg,
            r##"<text x="{:.2}" y="{:.2}" font-size="{:.2}" fill="#1d2730" stroke="none" text-anchor="end">{}</text></svg>"##,
            inset.2 - unit * 4.0,
            inset.3 - unit * 4.0,
            unit * 12.0,
            xml(tr(locale, "map.south_sea"))
        );
    }
    let legend = legend(locale, query, max);
    if !linked {
        key_drawn_in(&mut svg, frame, &legend, &title);
    }
    svg.push_str("</svg>");
    Drawn { svg, legend }
}

/// A saved map is read without its page: its title and its legend's steps are drawn in at the
/// top left, on a white card, in the frame's own units.
fn key_drawn_in(svg: &mut String, frame: Bbox, legend: &[LegendItem], title: &str) {
    let unit = frame.hundredth();
    let (x, y) = (frame.0 + unit, frame.1 + unit);
    let (fs, line) = (unit * 2.0, unit * 2.8);
    // Wide enough for the longest line: a Chinese character an em, others about 0.6 em.
    let ems = |t: &str| t.chars().map(|c| if c.is_ascii() { 0.6 } else { 1.0 }).sum::<f64>();
    let widest = legend.iter().map(|i| unit * 2.4 + ems(&i.label) * fs).fold(ems(title) * fs, f64::max);
    let width = widest + unit * 2.0;
    let height = line * (legend.len() as f64 + 1.0) + unit;
    let _ = write!(
        svg,
        r##"<g class="key" stroke="none" font-size="{fs:.2}" fill="#1d2730"><rect x="{x:.2}" y="{y:.2}" width="{w:.2}" height="{height:.2}" fill="#ffffff" fill-opacity="0.9" stroke="#c9d1d9" stroke-width="{sw:.2}"/><text x="{tx:.2}" y="{ty:.2}" font-weight="600">{title}</text>"##,
        w = width,
        sw = unit * 0.1,
        tx = x + unit,
        ty = y + line,
        title = xml(title),
    );
    for (i, item) in legend.iter().enumerate() {
        let top = y + line * (i as f64 + 1.0) + unit * 0.6;
        let _ = write!(
            svg,
            r##"<rect x="{rx:.2}" y="{top:.2}" width="{s:.2}" height="{s:.2}" fill="{fill}" stroke="#5b6770" stroke-width="{sw:.2}"/><text x="{tx:.2}" y="{ty:.2}">{label}</text>"##,
            rx = x + unit,
            s = unit * 1.8,
            fill = xml(&item.fill),
            sw = unit * 0.08,
            tx = x + unit * 3.4,
            ty = top + unit * 1.6,
            label = xml(&item.label),
        );
    }
    svg.push_str("</g>");
}

/// The dashboard's small map: provinces coloured by their leads (`places` by 2-digit code), each
/// a link to the map's panel for it, with leads and signings as hover text.
pub fn provinces(places: &BTreeMap<String, PlaceFigure>, locale: Locale) -> String {
    let b = boundaries();
    let query = MapQuery::default();
    let frame = frame(Preset::China);
    let max = places.values().map(|f| f.count as f64).fold(0.0, f64::max);
    let mut svg = String::with_capacity(80 * 1024);
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="{}" class="china-map mini" id="mini-map" role="img" stroke="#ffffff" stroke-width="1" stroke-linejoin="round"><title>{}</title>"##,
        view_box(frame),
        xml(tr(locale, "dashboard.map")),
    );
    for p in b.provinces(Detail::Country) {
        let f = places.get(figure_place(p.code));
        let name = place_name(p.code, locale);
        let href = xml(&format!("/map{}", query.with_city(p.code)));
        let tip = match f {
            Some(f) => tr_args(
                locale,
                "map.tip.province",
                &[("name".into(), name), ("n".into(), f.count.to_string()), ("signed".into(), f.signed.to_string())],
            ),
            None => format!("{name}：{}", tr(locale, "map.tip.none")),
        };
        city(&mut svg, p, fill(&query, f, max), Some(&href), &xml(&tip), frame);
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod count_legend {
    #[test]
    fn counts_are_whole_and_every_step_shown_can_happen() {
        // max 42 (the demo's 南京): bounds 2.63, 10.5, 23.63, 42.
        assert_eq!(super::count_steps(42.0), vec![(0, 1), (1, 3), (2, 11), (3, 24), (4, 42)]);
        // max 2: bounds 0.125, 0.5, 1.125, 2 — 1 falls in step 3 (≥ 0.5), 2 in step 5.
        assert_eq!(super::count_steps(2.0), vec![(2, 1), (4, 2)]);
        assert_eq!(super::count_steps(1.0), vec![(4, 1)]);
        assert!(super::count_steps(0.0).is_empty(), "nothing drawn, no steps");
    }
}
