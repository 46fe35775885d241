//! Charts drawn on the server as SVG: they show without JavaScript and print well. Every bar
//! carries a `<title>` (the browser's tooltip) and every chart its numbers in a table one click
//! away.

use crate::domain::money::format_wan_short;
use crate::i18n::t;
use crate::wire::dashboard::Bar;
use leptos::prelude::*;

const WIDTH: f64 = 560.0;
const ROW: f64 = 26.0;
const LABEL: f64 = 150.0;

/// How many full-width characters a label may take left of the bars: `LABEL` units at the
/// phone's 18-unit text (the desktop's 12 leaves room to spare).
const LABEL_EMS: f64 = 8.0;

/// `name` cut to fit left of the bars, so its start is not lost past the chart's edge: a chain's
/// "产业链" goes first, then the end, marked "…" (the whole name stays in the bar's tooltip and
/// in the table). Full-width characters count 1, others about half.
pub fn fit_label(name: &str) -> String {
    let width = |s: &str| s.chars().map(ems).sum::<f64>();
    let name = match name.strip_suffix("产业链") {
        Some(short) if width(name) > LABEL_EMS => short,
        _ => name,
    };
    if width(name) <= LABEL_EMS {
        return name.to_string();
    }
    let mut out = String::new();
    let mut used = 1.0; // the "…"
    for c in name.chars() {
        used += ems(c);
        if used > LABEL_EMS {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// A character's width in ems in the chart's font: Latin about half a Chinese character's.
fn ems(c: char) -> f64 {
    if c.is_ascii() {
        0.55
    } else {
        1.0
    }
}

fn fmt(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// Horizontal bars; `extra` (if any) is drawn as a darker inner bar on the same scale, or on its
/// own (`extra_own_scale`) when it counts something else (the funnel: leads, and 万元).
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
    /// `extra` is in other units than the value: its inner bars are scaled to their own largest.
    #[prop(optional)]
    extra_own_scale: bool,
    /// `extra` is an amount in 万元: written as the office says it ("107.43 亿元", "3,000 万元").
    #[prop(optional)]
    extra_in_wan: bool,
) -> impl IntoView {
    let largest = |of: &dyn Fn(&Bar) -> f64| bars.iter().map(of).fold(0.0_f64, f64::max).max(1.0);
    let (max, extra_max) = if extra_own_scale {
        (largest(&|b| b.value), largest(&|b| b.extra.unwrap_or(0.0)))
    } else {
        let both = largest(&|b| b.value.max(b.extra.unwrap_or(0.0)));
        (both, both)
    };
    let height = ROW * bars.len() as f64 + 8.0;
    let unit = if percent { "%" } else { "" };
    let has_extra = extra_name.is_some();
    // Both numbers after the bars, in the legend's order ("312.5% / 1074.3%"): one alone sat at
    // the dark bar's end and read as its number.
    let extra_text = move |e: f64| if extra_in_wan { format_wan_short(e) } else { format!("{}{unit}", fmt(e)) };
    let number = move |b: &Bar| match b.extra.filter(|_| has_extra) {
        Some(e) => format!("{}{unit} / {}", fmt(b.value), extra_text(e)),
        None => format!("{}{unit}", fmt(b.value)),
    };
    // Room right of the longest bar for the widest number at the phone's 18-unit text (digits and
    // "%" run wider than the half em a label's Latin letters take: 312.5% / 1074.3% lost its %).
    let room = bars.iter().map(|b| number(b).chars().count() as f64 * 0.65 * 18.0 + 8.0).fold(40.0_f64, f64::max);
    let span = (WIDTH - LABEL - room).max(120.0);
    let scale = move |v: f64| (v / max) * span;
    let scale_extra = move |v: f64| (v / extra_max) * span;
    view! {
        <figure class="chart" id=id.clone()>
            <figcaption>{title.clone()}</figcaption>
            // Which bar is which, when there are two (their numbers in this order after them).
            {extra_name.clone().map(|e| view! {
                <p class="chart-legend">
                    <span class="swatch swatch-value" aria-hidden="true"></span>{value_name.clone()}
                    <span class="swatch swatch-extra" aria-hidden="true"></span>{e}
                </p>
            })}
            <svg viewBox=format!("0 0 {WIDTH} {height}") width="100%" role="img" aria-label=title.clone()>
                {bars.iter().enumerate().map(|(i, b)| {
                    let y = 4.0 + i as f64 * ROW;
                    let name = label(&b.label);
                    let tip = match (b.extra, &extra_name) {
                        (Some(e), Some(en)) => format!("{name}: {}{unit} · {en} {}", fmt(b.value), extra_text(e)),
                        _ => format!("{name}: {}{unit}", fmt(b.value)),
                    };
                    view! {
                        <g class="bar">
                            <title>{tip}</title>
                            <text x=LABEL - 6.0 y=y + 16.0 text-anchor="end" class="bar-label">{fit_label(&name)}</text>
                            <rect x=LABEL y=y + 3.0 width=scale(b.value).max(1.0) height=ROW - 8.0 class="bar-value"/>
                            {b.extra.filter(|_| has_extra).map(|e| view! { <rect x=LABEL y=y + 8.0 width=scale_extra(e).max(0.0) height=ROW - 18.0 class="bar-extra"/> })}
                            // Past both bars: on the darker inner bar the number could not be read.
                            <text x=LABEL + scale(b.value).max(1.0).max(b.extra.filter(|_| has_extra).map_or(0.0, scale_extra)) + 4.0 y=y + 16.0 class="bar-number">{number(b)}</text>
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
                                {has_extra.then(|| view! { <td class="num">{b.extra.map(extra_text).unwrap_or_default()}</td> })}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::fit_label;

    #[test]
    fn a_long_label_keeps_its_start() {
        assert_eq!(fit_label("新材料产业链"), "新材料产业链");
        assert_eq!(fit_label("智能制造装备产业链"), "智能制造装备");
        assert_eq!(fit_label("5G 与电子通信产业链"), "5G 与电子通信");
        assert_eq!(fit_label("长三角一体化示范区重点企业"), "长三角一体化示…");
        assert_eq!(fit_label("Yangtze River Delta"), "Yangtze Rive…");
    }
}
