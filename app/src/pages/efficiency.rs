//! `/efficiency` — 亩均效益评价 of the zone's enterprises: one year's grades (A/B/C/D, the count
//! of each, score, rank, last year's grade, each indicator's value and points, and what the
//! grade brings: D 四类加价, C and D no new land), the upload of a year's figures file and the
//! files imported. `/efficiency/enterprise/{id}`: one enterprise's history.

use crate::api::efficiency::{get_efficiency, get_enterprise_efficiency};
use crate::components::loaded::LoadedOne;
use crate::components::route_id::{id_param, read_by_id};
use crate::components::score::grade_badge;
use crate::domain::efficiency::{Indicator, Part};
use crate::i18n::{t, tr_args, use_locale};
use crate::wire::efficiency::{EfficiencyPage as Page, GradeRow};
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

/// A figure with up to two decimals, or a dash.
pub fn figure(v: Option<f64>) -> String {
    match v {
        Some(v) if (v - v.round()).abs() < 0.005 => format!("{}", v.round() as i64),
        Some(v) => format!("{v:.2}"),
        None => "—".into(),
    }
}

/// The grade, or why it was not rated.
fn grade_cell(r: &GradeRow) -> impl IntoView {
    let why = r.not_rated.clone().map(|k| t(&k).to_string());
    view! { {grade_badge(r.grade.clone())} {why.map(|w| view! { " " <small class="muted">{w}</small> })} }
}

/// What the grade brings, one line each.
fn consequences(r: &GradeRow) -> impl IntoView {
    r.consequences
        .iter()
        .map(|k| {
            let text = t(k).to_string();
            view! { <div class="effect">{text}</div> }
        })
        .collect_view()
}

/// The indicator's cell: value (unit) and points.
fn part_cell(p: Option<&Part>) -> impl IntoView {
    p.map(|p| {
        let value = figure(p.value);
        let points = format!("{:.2}", p.points);
        let title = p.benchmark.map(|b| format!("{} {}", t("efficiency.benchmark"), figure(Some(b)))).unwrap_or_default();
        view! { <span title=title>{value}</span> <small class="muted">" · " {points} " " {t("efficiency.points_unit")}</small> }
    })
}

/// The breakdown of one grade as a table: indicator, value, benchmark, weight, points.
pub fn breakdown(r: &GradeRow) -> impl IntoView {
    view! {
        <table class="grid efficiency-breakdown">
            <thead><tr>
                <th>{t("efficiency.indicator")}</th><th class="num">{t("efficiency.value")}</th>
                <th class="num">{t("efficiency.benchmark")}</th><th class="num">{t("efficiency.weight")}</th>
                <th class="num">{t("efficiency.points")}</th>
            </tr></thead>
            <tbody>{r.parts.iter().map(|p| {
                let missing = p.value.is_none();
                let unit = t(&p.indicator.unit_key()).to_string();
                view! {
                    <tr id=format!("part-{}-{}", r.year, p.indicator.code())>
                        <td>{t(&p.indicator.label_key()).to_string()} " " <small class="muted">"(" {unit} ")"</small></td>
                        <td class="num">{figure(p.value)} {missing.then(|| view! { " " <small class="muted">{t("efficiency.missing")}</small> })}</td>
                        <td class="num">{figure(p.benchmark)}</td>
                        <td class="num">{figure(Some(p.weight))}</td>
                        <td class="num">{format!("{:.2}", p.points)} {p.capped.then(|| view! { " " <small class="muted">{t("efficiency.capped")}</small> })}</td>
                    </tr>
                }
            }).collect_view()}</tbody>
        </table>
    }
}

#[component]
pub fn EfficiencyPage() -> impl IntoView {
    let query = use_query_map();
    let locale = use_locale();
    let year = Memo::new(move |_| query.with(|q| q.get("year").and_then(|y| y.parse::<i32>().ok())));
    let grade = Memo::new(move |_| query.with(|q| q.get("grade").unwrap_or_default()));
    let error = Memo::new(move |_| {
        query.with(|q| {
            q.get("error").filter(|k| k.starts_with("err.")).map(|key| {
                let args: Vec<(String, String)> =
                    q.get("max").map(|m| vec![("max".to_string(), m)]).unwrap_or_default();
                tr_args(locale, &key, &args)
            })
        })
    });
    let page = Resource::new(move || (year.get(), grade.get()), |(y, g)| get_efficiency(y, g));
    view! {
        <h1>{t("efficiency.title")}</h1>
        <p class="hint">{t("efficiency.intro")} " " <a href="/settings/efficiency">{t("efficiency.rules_link")}</a></p>
        <LoadedOne resource=page content=move |p| view! { <Body p=p error=error.get()/> }/>
    }
}

#[component]
fn Body(p: Page, error: Option<String>) -> impl IntoView {
    let year = p.year;
    let default_year = year.map(|y| y + 1).unwrap_or(2025).to_string();
    let shown: Vec<Indicator> = {
        let mut v: Vec<Indicator> = Vec::new();
        for r in &p.rows {
            for part in &r.parts {
                if !v.contains(&part.indicator) {
                    v.push(part.indicator);
                }
            }
        }
        v
    };
    let heads = shown.clone();
    let counts = p.counts.clone();
    let upload = if !p.can_manage {
        None
    } else {
        Some(view! {
            <form method="post" action="/efficiency/upload" enctype="multipart/form-data" class="card" id="efficiency-upload">
                <h2>{t("efficiency.upload_title")}</h2>
                <label for="efficiency-year">{t("efficiency.year")}</label>
                <input id="efficiency-year" name="year" value=default_year inputmode="numeric" size="6" required/>
                <label for="efficiency-file">{t("import.file")}</label>
                <input type="file" name="file" id="efficiency-file" accept=".xlsx,.csv,.txt,.tsv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required/>
                {error.map(|e| view! { <p class="field-error" id="err-file" role="alert">{e}</p> })}
                <p class="hint">{t("efficiency.upload_hint")}</p>
                <button type="submit" id="efficiency-upload-button">{t("import.upload")}</button>
            </form>
        })
    };
    view! {
        <Form method="GET" action="/efficiency">
            <div class="filters">
                <select name="year" id="efficiency-filter-year" aria-label=t("efficiency.year")>
                    {p.years.iter().map(|y| view! { <option value=y.to_string() selected=Some(*y) == year>{y.to_string()}</option> }).collect_view()}
                </select>
                <select name="grade" id="efficiency-filter-grade" aria-label=t("efficiency.grade")>
                    <option value="">{t("efficiency.all_grades")}</option>
                    {["A", "B", "C", "D"].into_iter().map(|g| view! { <option value=g>{g}</option> }).collect_view()}
                    <option value="-">{t("efficiency.not_rated")}</option>
                </select>
                <button type="submit">{t("leads.list.filter.apply")}</button>
            </div>
        </Form>
        {if year.is_none() {
            Some(view! { <p class="muted" id="efficiency-empty">{t("efficiency.none")}</p> })
        } else {
            None
        }}
        <p id="efficiency-counts">
            {counts.into_iter().map(|(g, n)| {
                let label = if g == "-" { t("efficiency.not_rated").to_string() } else { g.clone() };
                view! { <span class="count" data-grade=g>{label} " " <strong>{n}</strong></span> " " }
            }).collect_view()}
        </p>
        <div class="table-scroll">
        <table class="grid" id="efficiency-grades">
            <thead><tr>
                <th>{t("efficiency.enterprise")}</th><th>{t("efficiency.grade")}</th>
                <th class="num">{t("efficiency.score")}</th><th class="num">{t("efficiency.rank")}</th>
                <th>{t("efficiency.previous")}</th>
                {heads.iter().map(|i| view! { <th class="num">{t(&i.label_key()).to_string()}<br/><small>{t(&i.unit_key()).to_string()}</small></th> }).collect_view()}
                <th>{t("efficiency.consequences")}</th>
            </tr></thead>
            <tbody>{p.rows.into_iter().map(|r| {
                let cells = shown.iter().map(|i| view! { <td class="num">{part_cell(r.parts.iter().find(|p| p.indicator == *i))}</td> }).collect_view();
                view! {
                    <tr id=format!("enterprise-{}", r.enterprise_id) data-grade=r.grade.clone().unwrap_or_default()>
                        <td><a href=format!("/efficiency/enterprise/{}", r.enterprise_id)>{r.name.clone()}</a>
                            <br/><small class="muted">{r.uscc.clone().unwrap_or_default()}</small></td>
                        <td>{grade_cell(&r)}</td>
                        <td class="num">{format!("{:.2}", r.score)}</td>
                        <td class="num">{r.rank.map(|n| n.to_string()).unwrap_or_default()}</td>
                        <td>{r.previous_grade.clone()}</td>
                        {cells}
                        <td>{consequences(&r)}</td>
                    </tr>
                }
            }).collect_view()}</tbody>
        </table>
        </div>
        {upload}
        <h2>{t("efficiency.batches")}</h2>
        <table class="grid" id="efficiency-batches">
            <thead><tr>
                <th>{t("import.file")}</th><th>{t("efficiency.year")}</th><th>{t("import.by")}</th>
                <th>{t("import.at")}</th><th>{t("import.status")}</th><th class="num">{t("import.rows")}</th>
            </tr></thead>
            <tbody>{p.batches.into_iter().map(|b| view! {
                <tr>
                    <td><a href=format!("/efficiency/import/{}", b.id)>{b.file_name}</a></td>
                    <td>{b.year}</td><td>{b.by}</td><td>{b.created_at}</td>
                    <td>{t(&format!("efficiency.batch.{}", b.status)).to_string()}</td>
                    <td class="num">{b.row_count}</td>
                </tr>
            }).collect_view()}</tbody>
        </table>
    }
}

/// `/efficiency/enterprise/{id}`: each year's grade, score, rank and breakdown, newest first.
#[component]
pub fn EnterpriseEfficiencyPage() -> impl IntoView {
    let id = id_param();
    let data = Resource::new(move || id.get(), |id| read_by_id(id, get_enterprise_efficiency));
    view! {
        <p><a href="/efficiency">{t("efficiency.back")}</a></p>
        <LoadedOne resource=data content=move |e| view! {
            <h1>{e.name.clone()}</h1>
            <p class="muted">{e.uscc.clone().unwrap_or_default()} {e.is_leader.then(|| view! { " · " {t("chain.role.leader")} })}</p>
            {if e.history.is_empty() { Some(view! { <p class="muted">{t("efficiency.no_history")}</p> }) } else { None }}
            {e.history.into_iter().map(|r| {
                let title = format!("{} · {}", r.year, t("efficiency.year_grade"));
                let score = format!("{:.2}", r.score);
                let rank = r.rank.map(|n| n.to_string()).unwrap_or_else(|| "—".into());
                view! {
                    <section class="card" id=format!("year-{}", r.year)>
                        <h2>{title} " " {grade_cell(&r)}</h2>
                        <p>{t("efficiency.score")} " " <strong>{score}</strong> " · " {t("efficiency.rank")} " " {rank}
                            " · " {t("efficiency.version")} " " {r.config_id}</p>
                        {consequences(&r)}
                        {breakdown(&r)}
                    </section>
                }
            }).collect_view()}
        }/>
    }
}
