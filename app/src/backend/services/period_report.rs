//! 月通报 and 季考核: each team against its share of the year's targets for a month or a
//! quarter, ranked, with the period's signed projects.

use super::reports::{numbers, teams_for, total};
use super::ServiceError;
use crate::backend::entities::{commitment, lead, team_target};
use crate::backend::{local_day_start as start, Settings};
use crate::domain::lead::FieldError;
use crate::domain::period::{completion, year_elapsed, Period};
use crate::wire::auth::SessionUser;
use crate::wire::reports::*;
use chrono::{Duration, NaiveDate};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// 月通报 (`2026-11`) or 季考核 (`2026-Q4`): each team `actor` reports on against its share of the
/// year's targets, ranked by the quarterly score (100 = targets met, at most 120), and the
/// period's signed projects (万元, dates Asia/Shanghai; staff see their teams' only).
/// Errors: `Invalid` at `period` (not a month or quarter), `Db`, `Internal` (no score
/// configuration for the 重大项目 threshold).
pub async fn period_report(
    db: &impl ConnectionTrait,
    settings: &Settings,
    actor: &SessionUser,
    raw: &str,
) -> Result<PeriodReport, ServiceError> {
    let period = match Period::parse(raw) {
        Some(p @ (Period::Month { .. } | Period::Quarter { .. })) => p,
        _ => return Err(ServiceError::Invalid(vec![FieldError::new("period", "err.period")])),
    };
    let teams = teams_for(db, actor).await?;
    let (from, to) = period.days();
    let mut in_period = numbers(db, &teams, from, to).await?;
    // The office's total counts leads of no team too, but only for those who see the whole
    // office (as in the weekly pack); staff's totals are their teams'.
    if !actor.role.sees_all_leads() {
        in_period.retain(|r| r.team_id.is_some());
    }
    let totals = total(&in_period);
    in_period.retain(|r| r.team_id.is_some());
    let targets: HashMap<i64, team_target::Model> = team_target::Entity::find()
        .filter(team_target::Column::Year.eq(period.year()))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.team_id, t))
        .collect();
    let annual = |team_id: Option<i64>| {
        team_id.and_then(|id| targets.get(&id)).map(|t| {
            [t.signed_projects as f64, t.contracted_wan, t.major_projects as f64, t.new_leads as f64, t.visits as f64]
        })
    };
    let mut rows: Vec<TargetRow> = in_period
        .into_iter()
        .map(|n| {
            let has_targets = annual(n.team_id).is_some();
            let share = annual(n.team_id).map(|a| a.map(|v| period.target_share(v))).unwrap_or([0.0; 5]);
            let actual = n.measured();
            let completion: [Option<f64>; 5] = std::array::from_fn(|i| completion(actual[i], share[i]));
            TargetRow {
                score: crate::domain::quarter::quarterly_score(&completion, &settings.quarter_weights),
                numbers: n,
                targets: share,
                completion,
                rank: 0,
                has_targets,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.numbers.signings.cmp(&a.numbers.signings))
            .then(b.numbers.contracted_wan.total_cmp(&a.numbers.contracted_wan))
    });
    // A period not yet begun has nothing to rank on (every team would rank at 0.0).
    let begun = period.begun(super::pipeline::today());
    for (i, r) in rows.iter_mut().enumerate().filter(|_| begun) {
        r.rank = i + 1;
    }
    let signed_rows = commitment::Entity::find()
        .filter(commitment::Column::RecordedAt.gte(start(from)))
        .filter(commitment::Column::RecordedAt.lt(start(to + Duration::days(1))))
        .order_by_desc(commitment::Column::InvestmentWan)
        .all(db)
        .await?;
    let leads: HashMap<i64, lead::Model> = lead::Entity::find()
        .filter(lead::Column::Id.is_in(signed_rows.iter().map(|c| c.lead_id)))
        .filter(lead::Column::DeletedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    let team_names: HashMap<i64, String> = teams.iter().map(|t| (t.id, t.name.clone())).collect();
    let major_project_wan = super::scoring::major_project_wan(db).await?;
    let signed = signed_rows
        .into_iter()
        .filter_map(|c| {
            let l = leads.get(&c.lead_id)?;
            if !actor.role.sees_all_leads() && !l.team_id.is_some_and(|t| actor.teams.contains(&t)) {
                return None;
            }
            Some(SignedProject {
                lead_id: l.id,
                company_name: l.company_name.clone(),
                team: l.team_id.and_then(|t| team_names.get(&t).cloned()).unwrap_or_default(),
                investment_wan: c.investment_wan,
                signed_on: c.recorded_at.with_timezone(&chrono_tz::Asia::Shanghai).date_naive().to_string(),
                major: l.major_flag || c.investment_wan >= major_project_wan,
            })
        })
        .collect();
    let today = super::pipeline::today();
    // 年度累计 from 1 January to the period's end (today while it runs), against the whole year's
    // targets, in the ranking's order: how far each team is against how far the year is.
    let year_through = to.min(today);
    let mut year = Vec::new();
    if let Some(jan1) = NaiveDate::from_ymd_opt(period.year(), 1, 1).filter(|d| *d <= year_through) {
        let by_team: HashMap<Option<i64>, TeamNumbers> =
            numbers(db, &teams, jan1, year_through).await?.into_iter().map(|n| (n.team_id, n)).collect();
        for row in &rows {
            let Some(n) = by_team.get(&row.numbers.team_id).cloned() else { continue };
            let has_targets = annual(n.team_id).is_some();
            let whole = annual(n.team_id).unwrap_or([0.0; 5]);
            let actual = n.measured();
            year.push(YearRow {
                completion: std::array::from_fn(|i| completion(actual[i], whole[i])),
                annual: whole,
                numbers: n,
                has_targets,
            });
        }
    }
    let late_as_of = to.min(today);
    let late_starts = super::plan_overview::late_starts(db, actor, late_as_of).await?;
    Ok(PeriodReport {
        late_starts,
        late_as_of: late_as_of.to_string(),
        period: period.code(),
        prev: period.prev().code(),
        next: period.next_begun(today).map(|n| n.code()),
        begun,
        from: from.to_string(),
        to: to.to_string(),
        rows,
        totals,
        signed,
        weights: settings.quarter_weights,
        year,
        year_through: year_through.to_string(),
        year_elapsed: year_elapsed(year_through),
    })
}
