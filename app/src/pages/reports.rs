//! `/reports/monthly?month=YYYY-MM` (月通报) and `/reports/quarterly?quarter=YYYY-Qn` (季考核):
//! each team against its share of the year's targets, ranked, and the period's signings.

use crate::api::reports::get_period_report;
use crate::components::loaded::LoadedOne;
use crate::components::period_steps::{period_steps, ReportPaths};
use crate::domain::money::format_wan;
use crate::domain::period::Period;
use crate::i18n::{t, tr_args, use_locale};
use crate::wire::reports::PeriodReport;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn default_period(quarterly: bool) -> String {
    let today = chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8")).date_naive();
    if quarterly { Period::quarter_of(today) } else { Period::month_of(today) }.code()
}

#[component]
pub fn MonthlyPage() -> impl IntoView {
    view! { <PeriodPage quarterly=false/> }
}

#[component]
pub fn QuarterlyPage() -> impl IntoView {
    view! { <PeriodPage quarterly=true/> }
}

#[component]
fn PeriodPage(quarterly: bool) -> impl IntoView {
    let query = use_query_map();
    let key = if quarterly { "quarter" } else { "month" };
    let period = Memo::new(move |_| {
        query.with(|q| q.get(key).filter(|v| !v.is_empty()).unwrap_or_else(|| default_period(quarterly)))
    });
    let report = Resource::new(move || period.get(), get_period_report);
    view! {
        <LoadedOne resource=report content=move |r| view! { <Report r=r quarterly=quarterly/> }/>
    }
}

/// A completion as a whole percent, halves up (262.5 → 263 %, as the office rounds; `{:.0}` gave
/// 262 beside the workbook's 262.5).
fn pct(c: Option<f64>) -> String {
    c.map(|c| format!("{}%", c.round())).unwrap_or_else(|| "—".into())
}

/// A team's name, with 「未设年度目标」 under it when it has no targets for the year (every target
/// 0, every completion 「—」).
fn team_cell(name: String, has_targets: bool) -> impl IntoView {
    view! {
        <td class="team">{name} {(!has_targets).then(|| view! { <br/><small class="muted no-target">{t("report.no_target")}</small> })}</td>
    }
}

/// One indicator's cell: done / target and the completion, marked behind below `bar` (%). Counts
/// and 万元 alike to two decimals (a month's share of 8 重大项目 is 0.67, not 0.7: 1 signed reads
/// 150% of it), as the Excel and CSV write them.
fn completion_cell(actual: f64, target: f64, completion: Option<f64>, bar: f64) -> impl IntoView {
    view! {
        <td class="num" class:behind=completion.is_some_and(|c| c < bar)>
            {format_wan(actual)} " / " {format_wan(target)} <br/><small>{pct(completion)}</small>
        </td>
    }
}

#[component]
fn Report(r: PeriodReport, quarterly: bool) -> impl IntoView {
    let late = r.late_starts.clone();
    let late_title = t("report.late_starts").replace("{date}", &r.late_as_of);
    let (title, base, key) = if quarterly {
        (t("report.quarterly.title"), "/reports/quarterly", "quarter")
    } else {
        (t("report.monthly.title"), "/reports/monthly", "month")
    };
    let indicators =
        ["report.signings", "report.contracted_wan", "report.major_signed", "report.new_leads", "report.visits_done"];
    view! {
        <div class="page-head">
            <h1>{title} " " <span id="period-code">{r.period.clone()}</span></h1>
            <span class="muted">{r.from.clone()} " – " {r.to.clone()}</span>
            {period_steps(ReportPaths { page: base, files: base, key, id: "report" }, &r.period, &r.prev, r.next.clone())}
        </div>
        {crate::components::period_steps::not_begun_notice(r.begun)}
        {(!r.rows.is_empty() && r.rows.iter().all(|row| !row.has_targets)).then(|| view! {
            <p class="warning" id="no-targets">
                {tr_args(use_locale(), "report.no_targets", &[("year".into(), r.period.chars().take(4).collect())])} " "
                <a href="/teams">{t("report.no_targets.link")}</a>
            </p>
        })}
        {quarterly.then(|| view! {
            <p class="muted">{t("report.weights")} ": "
                {indicators.iter().zip(r.weights.iter()).map(|(k, w)| format!("{} {w}", t(k))).collect::<Vec<_>>().join(" · ")}
            </p>
        })}
        <table class="grid" id="period-table">
            <thead><tr>
                // The score that ranks the teams right after their names: on a phone the
                // indicators' columns are a swipe away.
                <th class="num">{t("report.rank")}</th><th>{t("report.team")}</th><th class="num">{t("report.score")}</th>
                {indicators.iter().map(|k| view! { <th class="num">{t(k)} <br/><small>{t("report.actual_target")}</small></th> }).collect_view()}
            </tr></thead>
            <tbody>
                {r.rows.iter().map(|row| {
                    let n = &row.numbers;
                    let actual = n.measured();
                    view! {
                        <tr class="period-row">
                            // Not ranked before the period has begun (nothing to rank on).
                            <td class="num">{if row.rank > 0 { row.rank.to_string() } else { "—".into() }}</td>
                            {team_cell(n.team.clone(), row.has_targets)}
                            <td class="num"><strong>{if row.rank > 0 { format!("{:.1}", row.score) } else { "—".into() }}</strong></td>
                            {(0..5).map(|i| completion_cell(actual[i], row.targets[i], row.completion[i], 100.0)).collect_view()}
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        // Why a target reads 0.2 and where a signing without a 专班 went.
        <p class="muted" id="period-note">{t(if quarterly { "report.targets_note.quarter" } else { "report.targets_note.month" })}</p>
        <YearToDate r=r.clone() indicators=indicators/>
        <section class="card">
            <h2>{t("report.signed_projects")} " (" {r.signed.len()} ")"</h2>
            <table class="grid" id="signed-table">
                <thead><tr><th>{t("lead.company_name")}</th><th>{t("report.team")}</th><th class="num">{t("report.contracted_wan")}</th><th>{t("report.signed_on")}</th></tr></thead>
                <tbody>
                    {r.signed.iter().map(|s| view! {
                        <tr>
                            <td><a href=format!("/leads/{}", s.lead_id)>{s.company_name.clone()}</a> {s.major.then(|| view! { " " <span class="gap-tag">{t("major.yes")}</span> })}</td>
                            <td>{s.team.clone()}</td>
                            <td class="num">{format_wan(s.investment_wan)}</td>
                            <td>{s.signed_on.clone()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <section class="card" id="report-late-starts">
            <h2>{late_title} " (" {late.len()} ")"</h2>
            {if late.is_empty() {
                view! { <p class="muted">{t("projects.late_starts.none")}</p> }.into_any()
            } else {
                view! { <crate::pages::projects::LateStartTable items=late/> }.into_any()
            }}
        </section>
    }
}

/// 年度累计: each team since 1 January against its whole year's targets, a completion behind
/// the year's time (时序进度) marked.
#[component]
fn YearToDate(r: PeriodReport, indicators: [&'static str; 5]) -> impl IntoView {
    let locale = use_locale();
    let args = |pairs: &[(&str, String)]| pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect::<Vec<_>>();
    let title = tr_args(locale, "report.year.title", &args(&[("to", r.year_through.clone())]));
    let note = tr_args(locale, "report.year.note", &args(&[("pct", format!("{:.1}", r.year_elapsed))]));
    let elapsed = r.year_elapsed;
    (!r.year.is_empty()).then(|| view! {
        <section class="card" id="year-to-date">
            <h2>{title}</h2>
            <p class="muted" id="year-note">{note}</p>
            <div class="table-scroll">
                <table class="grid" id="year-table">
                    <thead><tr>
                        <th>{t("report.team")}</th>
                        {indicators.iter().map(|k| view! { <th class="num">{t(k)} <br/><small>{t("report.year.actual_annual")}</small></th> }).collect_view()}
                    </tr></thead>
                    <tbody>
                        {r.year.iter().map(|row| {
                            let n = &row.numbers;
                            let actual = n.measured();
                            view! {
                                <tr class="year-row">
                                    {team_cell(n.team.clone(), row.has_targets)}
                                    {(0..5).map(|i| completion_cell(actual[i], row.annual[i], row.completion[i], elapsed)).collect_view()}
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    })
}
