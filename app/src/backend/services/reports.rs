//! The reporting cadence: what each team did in a period (new leads, trips, visits, stage moves,
//! signings), the weekly pack (周调度) with stale leads, due problems, next week's trips and the
//! manager's comment. The monthly and quarterly reports against targets (月通报, 季考核) are
//! `period_report`.
//! Staff see their own teams; managers, admins and leaders the whole office.

use super::pipeline::today;
use super::stale;
use super::ServiceError;
use crate::backend::entities::{commitment, lead, problem, stage_move, team, trip, user, visit, weekly_comment};
use crate::backend::regions::divisions;
use crate::backend::{local_day_start as start, local_time, Settings};
use crate::domain::lead::FieldError;
use crate::domain::period::Period;
use crate::domain::trip::{TripStatus, VisitStatus};
use crate::wire::auth::SessionUser;
use crate::wire::reports::*;
use chrono::{Duration, NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Expr, Func, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect, Set,
};
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
    // Each figure is counted by the database, grouped by team: nothing is read lead by lead.
    let new_leads: Vec<(Option<i64>, i64)> = lead::Entity::find()
        .select_only()
        .column(lead::Column::TeamId)
        .column_as(lead::Column::Id.count(), "n")
        .filter(lead::Column::CreatedAt.gte(a))
        .filter(lead::Column::CreatedAt.lt(b))
        .filter(lead::Column::DeletedAt.is_null())
        .group_by(lead::Column::TeamId)
        .into_tuple()
        .all(db)
        .await?;
    for (team, n) in new_leads {
        if let Some(i) = slot(team) {
            rows[i].new_leads += n;
        }
    }
    let trips: Vec<(Option<i64>, String, i64)> = trip::Entity::find()
        .select_only()
        .column(trip::Column::TeamId)
        .column(trip::Column::Status)
        .column_as(trip::Column::Id.count(), "n")
        .filter(trip::Column::StartOn.lte(to))
        .filter(trip::Column::EndOn.gte(from))
        .filter(trip::Column::Status.is_in([TripStatus::Planned.code(), TripStatus::Closed.code()]))
        .group_by(trip::Column::TeamId)
        .group_by(trip::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    for (team, status, n) in trips {
        if let Some(i) = slot(team) {
            if status == TripStatus::Closed.code() {
                rows[i].trips_done += n;
            } else {
                rows[i].trips_planned += n;
            }
        }
    }
    let visits: Vec<(Option<i64>, String, i64)> = visit::Entity::find()
        .select_only()
        .column(trip::Column::TeamId)
        .column(visit::Column::Status)
        .column_as(visit::Column::Id.count(), "n")
        .join(
            JoinType::InnerJoin,
            visit::Entity::belongs_to(trip::Entity).from(visit::Column::TripId).to(trip::Column::Id).into(),
        )
        .filter(visit::Column::StartsAt.gte(a))
        .filter(visit::Column::StartsAt.lt(b))
        .group_by(trip::Column::TeamId)
        .group_by(visit::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    for (team, status, n) in visits {
        if let Some(i) = slot(team) {
            match VisitStatus::parse(&status) {
                Some(VisitStatus::Done) => rows[i].visits_done += n,
                Some(VisitStatus::Planned) => rows[i].visits_planned += n,
                _ => {}
            }
        }
    }
    // Moves count for the team of the lead moved (also one in the recycle bin since: the work
    // was done).
    let moves: Vec<(Option<i64>, i64)> = stage_move::Entity::find()
        .select_only()
        .column(lead::Column::TeamId)
        .column_as(stage_move::Column::Id.count(), "n")
        .join(
            JoinType::InnerJoin,
            stage_move::Entity::belongs_to(lead::Entity).from(stage_move::Column::LeadId).to(lead::Column::Id).into(),
        )
        .filter(stage_move::Column::MovedAt.gte(a))
        .filter(stage_move::Column::MovedAt.lt(b))
        .group_by(lead::Column::TeamId)
        .into_tuple()
        .all(db)
        .await?;
    for (team, n) in moves {
        if let Some(i) = slot(team) {
            rows[i].stage_moves += n;
        }
    }
    // 重大项目: flagged, or signed at or above the configured threshold (万元).
    let major_project_wan = super::scoring::major_project_wan(db).await?;
    let invested = || Expr::col((commitment::Entity, commitment::Column::InvestmentWan));
    let major = Expr::case(
        Expr::col((lead::Entity, lead::Column::MajorFlag)).eq(true).or(invested().gte(major_project_wan)),
        1,
    )
    .finally(0);
    let signed: Vec<(Option<i64>, i64, f64, i64)> = commitment::Entity::find()
        .select_only()
        .column(lead::Column::TeamId)
        .column_as(commitment::Column::LeadId.count(), "n")
        .column_as(SimpleExpr::from(Func::cast_as(Func::sum(invested()), Alias::new("DOUBLE PRECISION"))), "wan")
        .column_as(SimpleExpr::from(Func::cast_as(Func::sum(major), Alias::new("BIGINT"))), "major")
        .join(
            JoinType::InnerJoin,
            commitment::Entity::belongs_to(lead::Entity).from(commitment::Column::LeadId).to(lead::Column::Id).into(),
        )
        .filter(commitment::Column::RecordedAt.gte(a))
        .filter(commitment::Column::RecordedAt.lt(b))
        .filter(lead::Column::DeletedAt.is_null())
        .group_by(lead::Column::TeamId)
        .into_tuple()
        .all(db)
        .await?;
    for (team, n, wan, major) in signed {
        if let Some(i) = slot(team) {
            rows[i].signings += n;
            rows[i].contracted_wan += wan;
            rows[i].major_signed += major;
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
    let today = today();
    let week = parse_period(raw, Period::week_of(today), Period::week_of)?;
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
    let (stale_count, mut stale) = stale_leads(db, &team_ids, &open, stale_before).await?;
    // Unsolved problems due by the week's end, of the teams' leads (with the lead's name and team).
    let problems: Vec<DueRow> = problem::Entity::find()
        .select_only()
        .column(problem::Column::Id)
        .column(problem::Column::LeadId)
        .column(problem::Column::Description)
        .column(problem::Column::Deadline)
        .column(lead::Column::CompanyName)
        .column(lead::Column::TeamId)
        .join(
            JoinType::InnerJoin,
            problem::Entity::belongs_to(lead::Entity).from(problem::Column::LeadId).to(lead::Column::Id).into(),
        )
        .filter(lead::Column::TeamId.is_in(team_ids.clone()))
        .filter(lead::Column::DeletedAt.is_null())
        .filter(problem::Column::Status.ne("solved"))
        .filter(problem::Column::Deadline.lte(to))
        .order_by_asc(problem::Column::Deadline)
        .order_by_asc(problem::Column::Id)
        .into_model()
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
    let late_starts = super::plan_overview::late_starts(db, actor, today).await?;
    let d = divisions();
    let teams_out = rows
        .into_iter()
        .map(|numbers| {
            let tid = numbers.team_id;
            WeeklyTeam {
                stale_count: tid.and_then(|t| stale_count.get(&t).copied()).unwrap_or(0),
                stale: tid.and_then(|t| stale.remove(&t)).unwrap_or_default(),
                problems: problems
                    .iter()
                    .filter(|p| p.team_id == tid && tid.is_some())
                    .map(|p| DueProblem {
                        id: p.id,
                        lead_id: p.lead_id,
                        company_name: p.company_name.clone(),
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
                        draft: t.status == TripStatus::Draft.code(),
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
        next: week.next_begun(today).map(|n| n.code()),
        begun: week.begun(today),
        from: from.to_string(),
        to: to.to_string(),
        teams: teams_out,
        totals,
        can_comment: actor.role.assigns_leads(),
    })
}

/// A problem due, with its lead's name and team (the weekly pack's 问题 list).
#[derive(sea_orm::FromQueryResult)]
struct DueRow {
    id: i64,
    lead_id: i64,
    description: String,
    deadline: Option<NaiveDate>,
    company_name: String,
    team_id: Option<i64>,
}

/// A stalled lead as read: id, company, stage, `stale::moved_or_registered`, `stale::last_contact`.
type StaleRow = (i64, String, String, chrono::DateTime<Utc>, Option<NaiveDate>);

/// Open leads (stages `open`) of each of `teams` untouched since `before` (停滞, the board's rule:
/// `stale`). Returns the count per team and, per team, the 10 untouched longest (`days` since
/// their last touch, oldest first). Counted and chosen by the database (a team may have tens of
/// thousands).
/// Errors: `Db` only.
async fn stale_leads(
    db: &impl ConnectionTrait,
    teams: &[i64],
    open: &[&str],
    before: chrono::DateTime<Utc>,
) -> Result<(HashMap<i64, usize>, HashMap<i64, Vec<StaleLead>>), ServiceError> {
    let untouched = || {
        lead::Entity::find()
            .filter(lead::Column::DeletedAt.is_null())
            .filter(lead::Column::Stage.is_in(open.iter().copied()))
            .filter(stale::untouched_since(before))
    };
    let counts: Vec<(Option<i64>, i64)> = untouched()
        .select_only()
        .column(lead::Column::TeamId)
        .column_as(lead::Column::Id.count(), "n")
        .filter(lead::Column::TeamId.is_in(teams.iter().copied()))
        .group_by(lead::Column::TeamId)
        .into_tuple()
        .all(db)
        .await?;
    let counts: HashMap<i64, usize> =
        counts.into_iter().filter_map(|(t, n)| Some((t?, usize::try_from(n).unwrap_or(0)))).collect();
    let now = Utc::now();
    let mut lists = HashMap::new();
    for (&team, _) in counts.iter() {
        let rows: Vec<StaleRow> = untouched()
            .select_only()
            .column(lead::Column::Id)
            .column(lead::Column::CompanyName)
            .column(lead::Column::Stage)
            .column_as(stale::moved_or_registered(), "moved")
            .column_as(stale::last_contact(), "contact")
            .filter(lead::Column::TeamId.eq(team))
            .order_by_asc(stale::touched_order())
            .order_by_asc(lead::Column::Id)
            .limit(10)
            .into_tuple()
            .all(db)
            .await?;
        let list = rows
            .into_iter()
            .map(|(id, company_name, stage, moved, contact)| StaleLead {
                id,
                company_name,
                stage,
                days: (now - stale::last_touch(moved, contact)).num_days(),
            })
            .collect();
        lists.insert(team, list);
    }
    Ok((counts, lists))
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
