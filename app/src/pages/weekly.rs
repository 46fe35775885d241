//! `/weekly?week=YYYY-Www` — 周调度: each team's week, what went stale, problems due, next week's
//! trips, and the manager's comment; with the xlsx download.

use crate::api::reports::{get_weekly_pack, SaveWeeklyComment};
use crate::components::errors::{was_refused, ErrorBanner};
use crate::components::options::label_of;
use crate::components::period_steps::{period_steps, ReportPaths};
use crate::domain::money::format_wan;
use crate::i18n::{t, t_count};
use crate::wire::reports::{TeamNumbers, WeeklyPack, WeeklyTeam};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn WeeklyPage() -> impl IntoView {
    let query = use_query_map();
    let week = Memo::new(move |_| query.with(|q| q.get("week").unwrap_or_default()));
    let comment = ServerAction::<SaveWeeklyComment>::new();
    let pack = Resource::new(move || (week.get(), comment.version().get()), |(w, _)| get_weekly_pack(w));
    view! {
        <Transition fallback=|| view! { <p class="muted">{t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match pack.await {
                    Err(e) => view! { <h1>{t("report.weekly.title")}</h1><ErrorBanner error=e/> }.into_any(),
                    Ok(p) => view! { <Pack p=p comment=comment/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The numbers table shared by the weekly, monthly and quarterly pages.
#[component]
pub fn NumbersTable(rows: Vec<TeamNumbers>, totals: TeamNumbers, #[prop(into)] id: String) -> impl IntoView {
    let cells = |n: &TeamNumbers| {
        view! {
            <td class="num">{n.new_leads}</td>
            <td class="num">{n.trips_done} " / " {n.trips_planned}</td>
            <td class="num">{n.visits_done} " / " {n.visits_planned}</td>
            <td class="num">{n.stage_moves}</td>
            <td class="num">{n.signings}</td>
            <td class="num">{format_wan(n.contracted_wan)}</td>
            <td class="num">{n.major_signed}</td>
        }
    };
    view! {
        <table class="grid" id=id>
            <thead><tr>
                <th>{t("report.team")}</th><th class="num">{t("report.new_leads")}</th>
                <th class="num">{t("report.trips")}</th><th class="num">{t("report.visits")}</th>
                <th class="num">{t("report.stage_moves")}</th><th class="num">{t("report.signings")}</th>
                <th class="num">{t("report.contracted_wan")}</th><th class="num">{t("report.major_signed")}</th>
            </tr></thead>
            <tbody>
                {rows.iter().map(|n| view! {
                    <tr class="team-numbers">
                        <td>{if n.team_id.is_none() { t("report.no_team").to_string() } else { n.team.clone() }}</td>
                        {cells(n)}
                    </tr>
                }).collect_view()}
                <tr class="total"><td><strong>{t("report.total")}</strong></td>{cells(&totals)}</tr>
            </tbody>
        </table>
    }
}

#[component]
fn Pack(p: WeeklyPack, comment: ServerAction<SaveWeeklyComment>) -> impl IntoView {
    let rows: Vec<TeamNumbers> = p.teams.iter().map(|t| t.numbers.clone()).collect();
    let week = p.week.clone();
    view! {
        <div class="page-head">
            <h1>{t("report.weekly.title")} " " <span id="week-code">{p.week.clone()}</span></h1>
            <span class="muted">{p.from.clone()} " – " {p.to.clone()}</span>
            {period_steps(
                ReportPaths { page: "/weekly", files: "/reports/weekly", key: "week", id: "weekly" },
                &p.week,
                &p.prev,
                p.next.clone(),
            )}
        </div>
        {crate::components::period_steps::not_begun_notice(p.begun)}
        <NumbersTable rows=rows totals=p.totals.clone() id="weekly-numbers"/>
        {p.teams.into_iter().filter(|t| t.numbers.team_id.is_some()).map(|team| view! {
            <TeamWeek team=team week=week.clone() can_comment=p.can_comment comment=comment/>
        }).collect_view()}
    }
}

#[component]
fn TeamWeek(
    team: WeeklyTeam,
    week: String,
    can_comment: bool,
    comment: ServerAction<SaveWeeklyComment>,
) -> impl IntoView {
    let team_id = team.numbers.team_id.unwrap_or_default();
    let current = team.comment.as_ref().map(|c| c.0.clone()).unwrap_or_default();
    view! {
        <section class="card weekly-team" data-team=team_id>
            <h2>{team.numbers.team.clone()}</h2>
            <div class="weekly-grid">
                <div>
                    <h3>{t("report.stale")} " (" {team.stale_count} ")"</h3>
                    <ul>{team.stale.iter().map(|s| view! {
                        <li><a href=format!("/leads/{}", s.id)>{s.company_name.clone()}</a> " · " {label_of("stage", &s.stage)} " · " {s.days} " " {t("report.days")}</li>
                    }).collect_view()}</ul>
                </div>
                <div>
                    <h3>{t("report.problems_due")} " (" {team.problems.len()} ")"</h3>
                    <ul>{team.problems.iter().map(|pr| view! {
                        <li class:overdue=pr.overdue>{pr.deadline.clone()} " · " <a href=format!("/leads/{}", pr.lead_id)>{pr.company_name.clone()}</a> " · " {pr.description.clone()}</li>
                    }).collect_view()}</ul>
                </div>
                {(!team.late_starts.is_empty()).then(|| view! {
                    <div class="late-starts">
                        <h3>{t("weekly.late_starts")} " (" {team.late_starts.len()} ")"</h3>
                        <ul>{team.late_starts.iter().map(|s| view! {
                            <li class="overdue late-start">{s.planned_start.clone()} " · " <a href=format!("/leads/{}#plan", s.lead_id)>{s.company_name.clone()}</a> " · " {s.days_late} " " {t("report.days")}</li>
                        }).collect_view()}</ul>
                    </div>
                })}
                <div>
                    <h3>{t("report.next_week")}</h3>
                    <ul>{team.next_week.iter().map(|tr| view! {
                        <li>{tr.start_on.clone()} " · " <a href=format!("/trips/{}", tr.id)>{tr.purpose.clone()}</a>
                            {tr.draft.then(|| view! { " " <span class="status status-draft">{t("trip.status.draft")}</span> })} " · " {tr.destination.clone()} " · " {tr.visits} {t_count("report.visits_unit", tr.visits as u64)}</li>
                    }).collect_view()}</ul>
                </div>
            </div>
            {team.comment.clone().map(|(text, who, at)| view! { <blockquote class="comment">{text} <footer>{who} " · " {at}</footer></blockquote> })}
            {can_comment.then(|| view! {
                <details open=was_refused(comment)>
                    <summary>{t("report.comment_edit")}</summary>
                    <ActionForm action=comment>
                        <input type="hidden" name="week" value=week.clone()/>
                        <input type="hidden" name="team_id" value=team_id/>
                        <textarea name="comment" rows="2" class="weekly-comment">{current}</textarea>
                        <button type="submit">{t("common.save")}</button>
                    </ActionForm>
                </details>
            })}
        </section>
    }
}
