//! The reporting cadence: what each team did in a period (new leads, trips, visits, stage moves,
//! signings), the weekly pack (周调度) with stale leads, due problems, next week's trips and the
//! manager's comment. The monthly and quarterly reports against targets (月通报, 季考核) are
//! `period_report`.
//! Staff see their own teams; managers, admins and leaders the whole office.

use super::pipeline::today;
use super::ServiceError;
use crate::backend::entities::{
    activity, commitment, lead, problem, stage_move, team, trip, user, visit, weekly_comment,
};
use crate::backend::regions::divisions;
use crate::backend::{local_day_start as start, local_time, Settings};
use crate::domain::lead::FieldError;
use crate::domain::period::Period;
use crate::domain::trip::{TripStatus, VisitStatus};
use crate::wire::auth::SessionUser;
use crate::wire::reports::*;
use chrono::{Duration, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use std::collections::HashMap;

/// Teams the actor reports on and plans for (all for managers, admins, leaders; their own for
/// staff).
pub(super) async fn teams_for(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
) -> Result<Vec<team::Model>, ServiceError> {
    let mut q = team::Entity::find().order_by_asc(team::Column::Name);
    if !actor.role.sees_all_leads() {
        q = q.filter(team::Column::Id.is_in(actor.teams.iter().copied()));
    }
    Ok(q.all(db).await?)
}

/// Every team's numbers for the Asia/Shanghai days `from..=to`, in the order of `teams`, plus a
/// last row for leads without a team (id `None`): new leads, trips done and planned, visits,
/// stage moves, signings (签约), contracted amount in 万元 and 重大项目 signed. No access check:
/// the caller chooses `teams`.
/// Errors: `Db`, `Internal` (no score configuration for the 重大项目 threshold).
pub async fn numbers(
    db: &impl ConnectionTrait,
    teams: &[team::Model],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<TeamNumbers>, ServiceError> {
    let (a, b) = (start(from), start(to + Duration::days(1)));
    let mut rows: Vec<TeamNumbers> =
        teams.iter().map(|t| TeamNumbers { team_id: Some(t.id), team: t.name.clone(), ..Default::default() }).collect();
    rows.push(TeamNumbers { team_id: None, team: String::new(), ..Default::default() });
    let idx: HashMap<Option<i64>, usize> = rows.iter().enumerate().map(|(i, r)| (r.team_id, i)).collect();
    let slot = |team: Option<i64>| idx.get(&team).copied();

    for l in lead::Entity::find()
        .filter(lead::Column::CreatedAt.gte(a))
        .filter(lead::Column::CreatedAt.lt(b))
        .filter(lead::Column::DeletedAt.is_null())
        .all(db)
        .await?
    {
        if let Some(i) = slot(l.team_id) {
            rows[i].new_leads += 1;
        }
    }
    let trips = trip::Entity::find()
        .filter(trip::Column::StartOn.lte(to))
        .filter(trip::Column::EndOn.gte(from))
        .filter(trip::Column::Status.is_in([TripStatus::Planned.code(), TripStatus::Closed.code()]))
        .all(db)
        .await?;
    let trip_team: HashMap<i64, Option<i64>> =
        trip::Entity::find().all(db).await?.into_iter().map(|t| (t.id, t.team_id)).collect();
    for t in &trips {
        if let Some(i) = slot(t.team_id) {
            if t.status == TripStatus::Closed.code() {
                rows[i].trips_done += 1;
            } else {
                rows[i].trips_planned += 1;
            }
        }
    }
    for v in visit::Entity::find()
        .filter(visit::Column::StartsAt.gte(a))
        .filter(visit::Column::StartsAt.lt(b))
        .all(db)
        .await?
    {
        if let Some(i) = slot(trip_team.get(&v.trip_id).copied().flatten()) {
            match VisitStatus::parse(&v.status) {
                Some(VisitStatus::Done) => rows[i].visits_done += 1,
                Some(VisitStatus::Planned) => rows[i].visits_planned += 1,
                _ => {}
            }
        }
    }
    let moves = stage_move::Entity::find()
        .filter(stage_move::Column::MovedAt.gte(a))
        .filter(stage_move::Column::MovedAt.lt(b))
        .all(db)
        .await?;
    let signed = commitment::Entity::find()
        .filter(commitment::Column::RecordedAt.gte(a))
        .filter(commitment::Column::RecordedAt.lt(b))
        .all(db)
        .await?;
    let leads: HashMap<i64, lead::Model> = lead::Entity::find()
        .filter(lead::Column::Id.is_in(moves.iter().map(|m| m.lead_id).chain(signed.iter().map(|c| c.lead_id))))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    for m in &moves {
        if let Some(i) = leads.get(&m.lead_id).and_then(|l| slot(l.team_id)) {
            rows[i].stage_moves += 1;
        }
    }
    let major_project_wan = super::scoring::major_project_wan(db).await?;
    for c in &signed {
        let Some(l) = leads.get(&c.lead_id).filter(|l| l.deleted_at.is_none()) else { continue };
        if let Some(i) = slot(l.team_id) {
            rows[i].signings += 1;
            rows[i].contracted_wan += c.investment_wan;
            if l.major_flag || c.investment_wan >= major_project_wan {
                rows[i].major_signed += 1;
            }
        }
    }
    Ok(rows)
}

/// The sum of `rows` (the totals line; its team id and name stay empty).
pub fn total(rows: &[TeamNumbers]) -> TeamNumbers {
    rows.iter().fold(TeamNumbers::default(), |mut t, r| {
        t.new_leads += r.new_leads;
        t.trips_done += r.trips_done;
        t.trips_planned += r.trips_planned;
        t.visits_done += r.visits_done;
        t.visits_planned += r.visits_planned;
        t.stage_moves += r.stage_moves;
        t.signings += r.signings;
        t.contracted_wan += r.contracted_wan;
        t.major_signed += r.major_signed;
        t
    })
}

fn parse_period(raw: &str, default: Period, kind: fn(NaiveDate) -> Period) -> Result<Period, ServiceError> {
    if raw.trim().is_empty() {
        return Ok(default);
    }
    match Period::parse(raw) {
        // The same kind as asked for (a week for the weekly pack, …).
        Some(p) if std::mem::discriminant(&p) == std::mem::discriminant(&kind(p.days().0)) => Ok(p),
        _ => Err(ServiceError::Invalid(vec![FieldError::new("period", "err.period")])),
    }
}

/// The weekly pack (周调度) for ISO week `raw` (`2026-W48`; this week when empty) over the teams
/// `actor` reports on: each team's numbers, its open leads untouched for `stale_days` (oldest
/// first, at most 10 listed, all counted), unsolved problems due by the week's end, its projects
/// 应开未开 (past the planned start without 开工, today), next week's trips and the manager's comment (times Asia/Shanghai). Staff get no row for team-less leads.
/// Errors: `Invalid` at `period` (not a week), `Db`, `Internal` (no score configuration).
pub async fn weekly(
    db: &impl ConnectionTrait,
    settings: &Settings,
    actor: &SessionUser,
    raw: &str,
) -> Result<WeeklyPack, ServiceError> {
    let week = parse_period(raw, Period::week_of(today()), Period::week_of)?;
    let teams = teams_for(db, actor).await?;
    let (from, to) = week.days();
    let mut rows = numbers(db, &teams, from, to).await?;
    if !actor.role.sees_all_leads() {
        rows.retain(|r| r.team_id.is_some());
    }
    let totals = total(&rows);
    let stale_before = Utc::now() - Duration::days(settings.stale_days);
    let open = crate::domain::stage::OPEN.iter().map(|s| s.code()).collect::<Vec<_>>();
    let team_ids: Vec<i64> = teams.iter().map(|t| t.id).collect();
    let team_leads = lead::Entity::find()
        .filter(lead::Column::TeamId.is_in(team_ids.clone()))
        .filter(lead::Column::DeletedAt.is_null())
        .all(db)
        .await?;
    // Last touch: the latest activity, else the last update.
    let mut last_touch: HashMap<i64, chrono::DateTime<Utc>> = team_leads.iter().map(|l| (l.id, l.updated_at)).collect();
    for a in
        activity::Entity::find().filter(activity::Column::LeadId.is_in(team_leads.iter().map(|l| l.id))).all(db).await?
    {
        let e = last_touch.entry(a.lead_id).or_insert(a.created_at);
        if a.created_at > *e {
            *e = a.created_at;
        }
    }
    let problems = problem::Entity::find()
        .filter(problem::Column::LeadId.is_in(team_leads.iter().map(|l| l.id)))
        .filter(problem::Column::Status.ne("solved"))
        .filter(problem::Column::Deadline.lte(to))
        .order_by_asc(problem::Column::Deadline)
        .all(db)
        .await?;
    let (next_from, next_to) = week.next().days();
    let next_trips = trip::Entity::find()
        .filter(trip::Column::TeamId.is_in(team_ids))
        .filter(trip::Column::StartOn.gte(next_from))
        .filter(trip::Column::StartOn.lte(next_to))
        .filter(trip::Column::Status.is_in([TripStatus::Draft.code(), TripStatus::Planned.code()]))
        .order_by_asc(trip::Column::StartOn)
        .all(db)
        .await?;
    let visit_counts: HashMap<i64, i64> = visit::Entity::find()
        .filter(visit::Column::TripId.is_in(next_trips.iter().map(|t| t.id)))
        .all(db)
        .await?
        .into_iter()
        .fold(HashMap::new(), |mut m, v| {
            *m.entry(v.trip_id).or_default() += 1;
            m
        });
    let comments = weekly_comment::Entity::find().filter(weekly_comment::Column::Week.eq(week.code())).all(db).await?;
    let authors = super::users::names(db, comments.iter().map(|c| c.author_id)).await?;
    let today = today();
    let late_starts = super::plan_overview::late_starts(db, actor, today).await?;
    let d = divisions();
    let lead_names: HashMap<i64, &lead::Model> = team_leads.iter().map(|l| (l.id, l)).collect();
    let teams_out = rows
        .into_iter()
        .map(|numbers| {
            let tid = numbers.team_id;
            let mut stale: Vec<StaleLead> = team_leads
                .iter()
                .filter(|l| l.team_id == tid && tid.is_some() && open.contains(&l.stage.as_str()))
                .filter_map(|l| {
                    let touched = last_touch.get(&l.id).copied().unwrap_or(l.updated_at);
                    (touched < stale_before).then(|| StaleLead {
                        id: l.id,
                        company_name: l.company_name.clone(),
                        stage: l.stage.clone(),
                        days: (Utc::now() - touched).num_days(),
                    })
                })
                .collect();
            stale.sort_by_key(|s| std::cmp::Reverse(s.days));
            let stale_count = stale.len();
            stale.truncate(10);
            WeeklyTeam {
                stale_count,
                stale,
                problems: problems
                    .iter()
                    .filter(|p| lead_names.get(&p.lead_id).is_some_and(|l| l.team_id == tid && tid.is_some()))
                    .map(|p| DueProblem {
                        id: p.id,
                        lead_id: p.lead_id,
                        company_name: lead_names.get(&p.lead_id).map(|l| l.company_name.clone()).unwrap_or_default(),
                        description: p.description.clone(),
                        deadline: p.deadline.map(|d| d.to_string()).unwrap_or_default(),
                        overdue: p.deadline.is_some_and(|d| d < today),
                    })
                    .collect(),
                late_starts: late_starts.iter().filter(|s| s.team_id == tid && tid.is_some()).cloned().collect(),
                next_week: next_trips
                    .iter()
                    .filter(|t| t.team_id == tid && tid.is_some())
                    .map(|t| PlannedTrip {
                        id: t.id,
                        purpose: t.purpose.clone(),
                        start_on: t.start_on.to_string(),
                        destination: d.destination_name(&t.destination_code),
                        visits: visit_counts.get(&t.id).copied().unwrap_or(0),
                    })
                    .collect(),
                comment: comments.iter().find(|c| Some(c.team_id) == tid).map(|c| {
                    (
                        c.comment.clone(),
                        authors.get(&c.author_id).cloned().unwrap_or_default(),
                        local_time(c.updated_at),
                    )
                }),
                numbers,
            }
        })
        .collect();
    Ok(WeeklyPack {
        week: week.code(),
        prev: week.prev().code(),
        next: week.next().code(),
        from: from.to_string(),
        to: to.to_string(),
        teams: teams_out,
        totals,
        can_comment: actor.role.assigns_leads(),
    })
}

/// Sets the manager's comment on a team's week (`raw_week`, this week when empty); an empty
/// comment deletes it. Managers and admins only.
/// Errors: `Forbidden` (others), `Invalid` at `period` (not a week) or `comment` (over 2000
/// characters), `NotFound` (no such team), `Db`.
pub async fn save_comment(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    raw_week: &str,
    team_id: i64,
    comment: &str,
) -> Result<(), ServiceError> {
    if !actor.role.assigns_leads() {
        return Err(ServiceError::Forbidden);
    }
    let week = parse_period(raw_week, Period::week_of(today()), Period::week_of)?;
    team::Entity::find_by_id(team_id).one(db).await?.ok_or(ServiceError::NotFound)?;
    let comment = comment.trim();
    if comment.chars().count() > 2000 {
        return Err(ServiceError::Invalid(vec![FieldError::new("comment", "err.too_long").with("max", 2000)]));
    }
    weekly_comment::Entity::delete_many()
        .filter(weekly_comment::Column::Week.eq(week.code()))
        .filter(weekly_comment::Column::TeamId.eq(team_id))
        .exec(db)
        .await?;
    if !comment.is_empty() {
        weekly_comment::ActiveModel {
            team_id: Set(team_id),
            week: Set(week.code()),
            comment: Set(comment.to_string()),
            author_id: Set(actor.id),
            updated_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Every enabled user with a mail address: the candidates for the weekly mail, which keeps those
/// in a team and the leadership (`weekly_mail::run`).
/// Errors: `Db` only.
pub async fn weekly_recipients(db: &impl ConnectionTrait) -> Result<Vec<user::Model>, ServiceError> {
    Ok(user::Entity::find()
        .filter(user::Column::DisabledAt.is_null())
        .filter(user::Column::Email.ne(""))
        .all(db)
        .await?)
}
