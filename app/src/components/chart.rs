//! Charts drawn on the server as SVG: they show without JavaScript and print well. Every bar
//! carries a `<title>` (the browser's tooltip) and every chart its numbers in a table one click
//! away.

use crate::i18n::t;
use crate::wire::dashboard::Bar;
use leptos::prelude::*;

const WIDTH: f64 = 560.0;
const ROW: f64 = 26.0;
const LABEL: f64 = 150.0;

fn fmt(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// Horizontal bars; `extra` (if any) is drawn as a darker inner bar on the same scale.
#[component]
pub fn BarChart(
    #[prop(into)] id: String,
    #[prop(into)] title: String,
    bars: Vec<Bar>,
    /// Labels are shown through this (e.g. translation of a code).
    label: fn(&str) -> String,
    /// Header of the value column and of `extra`.
    #[prop(into)]
    value_name: String,
    #[prop(into, optional)] extra_name: Option<String>,
    /// Append "%" to values.
    #[prop(optional)]
    percent: bool,
) -> impl IntoView {
    let max = bars.iter().flat_map(|b| [b.value, b.extra.unwrap_or(0.0)]).fold(0.0_f64, f64::max).max(1.0);
    let height = ROW * bars.len() as f64 + 8.0;
    let unit = if percent { "%" } else { "" };
    let scale = move |v: f64| (v / max) * (WIDTH - LABEL - 60.0);
    let has_extra = extra_name.is_some();
    view! {
        <figure class="chart" id=id.clone()>
            <figcaption>{title.clone()}</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {height}") width="100%" role="img" aria-label=title.clone()>
                {bars.iter().enumerate().map(|(i, b)| {
                    let y = 4.0 + i as f64 * ROW;
                    let name = label(&b.label);
                    let tip = match (b.extra, &extra_name) {
                        (Some(e), Some(en)) => format!("{name}: {}{unit} · {en} {}{unit}", fmt(b.value), fmt(e)),
                        _ => format!("{name}: {}{unit}", fmt(b.value)),
                    };
                    view! {
                        <g class="bar">
                            <title>{tip}</title>
                            <text x=LABEL - 6.0 y=y + 16.0 text-anchor="end" class="bar-label">{name}</text>
                            <rect x=LABEL y=y + 3.0 width=scale(b.value).max(1.0) height=ROW - 8.0 class="bar-value"/>
                            {b.extra.filter(|_| has_extra).map(|e| view! { <rect x=LABEL y=y + 8.0 width=scale(e).max(0.0) height=ROW - 18.0 class="bar-extra"/> })}
                            // Past both bars: on the darker inner bar the number could not be read.
                            <text x=LABEL + scale(b.value).max(1.0).max(b.extra.filter(|_| has_extra).map_or(0.0, scale)) + 4.0 y=y + 16.0 class="bar-number">{format!("{}{unit}", fmt(b.value))}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
            <details>
                <summary>{t("chart.numbers")}</summary>
                <table class="grid">
                    <thead><tr><th></th><th class="num">{value_name.clone()}</th>{extra_name.clone().map(|e| view! { <th class="num">{e}</th> })}</tr></thead>
                    <tbody>
                        {bars.iter().map(|b| view! {
                            <tr>
                                <td>{label(&b.label)}</td>
                                <td class="num">{format!("{}{unit}", fmt(b.value))}</td>
                                {has_extra.then(|| view! { <td class="num">{b.extra.map(|e| format!("{}{unit}", fmt(e))).unwrap_or_default()}</td> })}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        </figure>
    }
}
