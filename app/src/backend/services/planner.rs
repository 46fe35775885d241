//! The weekly planner: candidates from the team's open leads (not already booked that week),
//! ranked and clustered by the pure `domain::planner`, and accepted into a draft trip whose
//! visits take the first slots free for every member.

use super::ServiceError;
use crate::backend::entities::{activity, lead, visit, visit_attendee};
use crate::backend::regions::divisions;
use crate::backend::{local_day_start, Settings};
use crate::domain::lead::FieldError;
use crate::domain::period::Period;
use crate::domain::planner::{plan, Candidate};
use crate::wire::auth::SessionUser;
use crate::wire::planner::{ClusterView, PlannerView};
use crate::wire::trips::{TripForm, VisitForm};
use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait};
use std::collections::{BTreeMap, HashMap};

/// A trip covers this many companies at most.
const PER_TRIP: usize = 6;
/// Visit slots of a trip day (local time).
const SLOTS: [(&str, &str); 3] = [("09:30", "11:00"), ("14:00", "15:30"), ("16:00", "17:00")];

fn week_of(raw: &str) -> Result<Period, ServiceError> {
    if raw.trim().is_empty() {
        return Ok(Period::week_of(super::pipeline::today() + Duration::days(7)));
    }
    match Period::parse(raw) {
        Some(p @ Period::Week { .. }) => Ok(p),
        _ => Err(ServiceError::Invalid(vec![FieldError::new("week", "err.period")])),
    }
}

/// The weekly planner for ISO week `raw_week` (`2026-W48`; next week when empty) and one team
/// `actor` reports on (default: the first by name): up to 8 clusters by city of the team's open
/// leads not booked that week, ranked by `domain::planner`, and each member's visits that week.
/// Errors: `Invalid` at `week` (not a week), `NotFound` (a team not theirs), `Db`.
pub async fn view(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    team_id: Option<i64>,
    raw_week: &str,
) -> Result<PlannerView, ServiceError> {
    let week = week_of(raw_week)?;
    let teams = super::reports::teams_for(db, actor).await?;
    let team = match team_id {
        Some(id) => Some(teams.iter().find(|t| t.id == id).ok_or(ServiceError::NotFound)?),
        None => teams.first(),
    };
    let (from, to) = week.days();
    let (a, b) = (local_day_start(from), local_day_start(to + Duration::days(1)));
    let mut clusters = Vec::new();
    let mut busy = Vec::new();
    if let Some(team) = team {
        let open = crate::domain::stage::OPEN.iter().map(|s| s.code()).collect::<Vec<_>>();
        let leads = lead::Entity::find()
            .filter(lead::Column::TeamId.eq(team.id))
            .filter(lead::Column::DeletedAt.is_null())
            .filter(lead::Column::Stage.is_in(open))
            .all(db)
            .await?;
        // Already booked that week: not suggested again.
        let booked: Vec<i64> = visit::Entity::find()
            .filter(visit::Column::StartsAt.gte(a))
            .filter(visit::Column::StartsAt.lt(b))
            .all(db)
            .await?
            .into_iter()
            .map(|v| v.lead_id)
            .collect();
        let mut last: HashMap<i64, chrono::DateTime<Utc>> = leads.iter().map(|l| (l.id, l.created_at)).collect();
        // The leads with any contact (activity): the others count their idle days from 登记.
        let mut contacted: std::collections::HashSet<i64> = std::collections::HashSet::new();
        for act in
            activity::Entity::find().filter(activity::Column::LeadId.is_in(leads.iter().map(|l| l.id))).all(db).await?
        {
            contacted.insert(act.lead_id);
            let e = last.entry(act.lead_id).or_insert(act.created_at);
            if act.created_at > *e {
                *e = act.created_at;
            }
        }
        let now = Utc::now();
        let candidates = leads
            .iter()
            .filter(|l| !booked.contains(&l.id))
            .map(|l| Candidate {
                lead_id: l.id,
                company_name: l.company_name.clone(),
                region_code: l.region_code.clone(),
                score: l.score,
                grade: l.grade.clone(),
                stage: l.stage.clone(),
                idle_days: (now - last.get(&l.id).copied().unwrap_or(l.created_at)).num_days(),
                contacted: contacted.contains(&l.id),
            })
            .collect();
        let d = divisions();
        clusters = plan(candidates, PER_TRIP)
            .into_iter()
            .take(8)
            .map(|c| {
                let city = format!("{}00", c.city);
                let mut districts: BTreeMap<String, usize> = BTreeMap::new();
                for r in &c.leads {
                    let name = d.name_of(&r.lead.region_code);
                    let short = name.rsplit(' ').next().unwrap_or(&name).to_string();
                    *districts.entry(short).or_default() += 1;
                }
                ClusterView {
                    city_name: d.name_of(&city),
                    districts: districts.into_iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join("、"),
                    city,
                    a_grade: c.a_grade,
                    leads: c.leads,
                }
            })
            .collect();
        let members = super::teams::members_by_team(db).await?.remove(&team.id).unwrap_or_default();
        let bookings = visit_attendee::Entity::find()
            .filter(visit_attendee::Column::UserId.is_in(members.iter().map(|m| m.0)))
            .filter(visit_attendee::Column::StartsAt.gte(a))
            .filter(visit_attendee::Column::StartsAt.lt(b))
            .all(db)
            .await?;
        busy = members
            .into_iter()
            .map(|(id, name)| (name, bookings.iter().filter(|x| x.user_id == id).count() as i64))
            .collect();
    }
    Ok(PlannerView {
        team_id: team.map(|t| t.id),
        teams: teams.iter().map(|t| (t.id, t.name.clone())).collect(),
        week: week.code(),
        from: from.to_string(),
        to: to.to_string(),
        clusters,
        busy,
    })
}

/// Turns a planner cluster into a draft trip to `city` from Tuesday to Thursday of the week with
/// the team's members, booking `lead_ids` into the first slots every member is free (three a
/// day). Returns the trip's id. Leads that cannot be booked (not visitable, or no slot left) are
/// left out without an error.
/// Errors: `Invalid` at `week` or `lead_ids` (none), `NotFound` (a team not theirs); those of
/// `trips::create` (`Forbidden` for leaders, `Invalid`); `Db`.
pub async fn accept<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    settings: &Settings,
    actor: &SessionUser,
    team_id: i64,
    raw_week: &str,
    city: &str,
    lead_ids: &[i64],
) -> Result<i64, ServiceError> {
    let week = week_of(raw_week)?;
    let team = super::reports::teams_for(db, actor)
        .await?
        .into_iter()
        .find(|t| t.id == team_id)
        .ok_or(ServiceError::NotFound)?;
    if lead_ids.is_empty() {
        return Err(ServiceError::Invalid(vec![FieldError::new("lead_ids", "err.assign.none")]));
    }
    let members: BTreeMap<String, String> = super::teams::members_by_team(db)
        .await?
        .remove(&team.id)
        .unwrap_or_default()
        .into_iter()
        .map(|(id, _)| (id.to_string(), id.to_string()))
        .collect();
    let (monday, _) = week.days();
    // Tuesday to Thursday: Monday is for the 周调度 meeting.
    let days: Vec<chrono::NaiveDate> = (1..=3).map(|i| monday + Duration::days(i)).collect();
    let d = divisions();
    let city_name = d.name_of(city);
    let short = city_name.rsplit(' ').next().unwrap_or(&city_name).to_string();
    let trip_id = super::trips::create(
        db,
        actor,
        TripForm {
            kind: "outbound".into(),
            purpose: format!("{short}走访（{} 家）", lead_ids.len()),
            destination: city.to_string(),
            start_on: days[0].to_string(),
            end_on: days[2].to_string(),
            team_id: team.id.to_string(),
            members,
        },
    )
    .await?;
    let all_slots: Vec<(chrono::NaiveDate, &'static str, &'static str)> =
        days.iter().flat_map(|d| SLOTS.iter().map(|(s, e)| (*d, *s, *e)).collect::<Vec<_>>()).collect();
    let mut slots = all_slots.into_iter();
    for id in lead_ids {
        // The first slot in which every member is free; a clash moves on to the next slot.
        for (day, start, end) in slots.by_ref() {
            let form = VisitForm {
                lead: id.to_string(),
                date: day.to_string(),
                start: start.into(),
                end: end.into(),
                ..Default::default()
            };
            match super::visits::add(db, settings, actor, trip_id, form).await {
                Ok(_) => break,
                Err(ServiceError::Invalid(errs)) if errs.iter().any(|e| e.field == "attendees") => continue,
                Err(ServiceError::Invalid(_)) => break, // not a lead the actor may visit: skip it
                Err(e) => return Err(e),
            }
        }
    }
    Ok(trip_id)
}
