//! Who works a lead: assignment to a team and an owner (managers anywhere, team leads within
//! their team), the suggestion (pure rule in `domain::team`), and the unassigned queue.

use super::access::can_read_lead;
use super::leads::region_of;
use super::teams::{json_list, members_by_team, open_load};
use super::ServiceError;
use crate::backend::entities::{chain, chain_node, lead, lead_node, team, team_member, user};
use crate::backend::mail::{self, templates, Outgoing};
use crate::backend::regions::divisions;
use crate::backend::Settings;
use crate::domain::lead::FieldError;
use crate::domain::role::may_reassign;
use crate::domain::team::{suggest, suggest_in_turn, LeadFacts, Reason, TeamCandidate, TeamFocus};
use crate::i18n::Locale;
use crate::wire::assignment::{AssignReport, AssignTarget, QueueRow};
use crate::wire::auth::SessionUser;
use crate::wire::teams::SuggestionView;
use chrono::Utc;
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};
use std::collections::HashMap;

/// The teams (招商专班) `actor` may assign leads to, by name, each with its enabled members
/// (id, display name, by name): every team for managers and admins, the teams they lead for a
/// team lead (专班组长), none for others.
/// Errors: `Db` only.
pub async fn targets(db: &impl ConnectionTrait, actor: &SessionUser) -> Result<Vec<AssignTarget>, ServiceError> {
    use sea_orm::sea_query::{JoinType, Order, Query};
    let led_only = !actor.role.assigns_leads();
    if led_only && (!actor.role.writes_leads() || actor.led_teams.is_empty()) {
        return Ok(Vec::new());
    }
    // The teams and their enabled members in one read (every /leads page for those who assign):
    // a team without one comes with NULLs.
    let mut q = Query::select();
    q.column((team::Entity, team::Column::Id))
        .column((team::Entity, team::Column::Name))
        .column((user::Entity, user::Column::Id))
        .column((user::Entity, user::Column::DisplayName))
        .from(team::Entity)
        .join(
            JoinType::LeftJoin,
            team_member::Entity,
            Expr::col((team_member::Entity, team_member::Column::TeamId)).equals((team::Entity, team::Column::Id)),
        )
        .join(
            JoinType::LeftJoin,
            user::Entity,
            Expr::col((user::Entity, user::Column::Id))
                .equals((team_member::Entity, team_member::Column::UserId))
                .and(Expr::col((user::Entity, user::Column::DisabledAt)).is_null()),
        )
        .order_by((team::Entity, team::Column::Name), Order::Asc)
        .order_by((team::Entity, team::Column::Id), Order::Asc);
    if led_only {
        q.and_where(Expr::col((team::Entity, team::Column::Id)).is_in(actor.led_teams.iter().copied()));
    }
    let backend = db.get_database_backend();
    let mut out: Vec<AssignTarget> = Vec::new();
    for row in db.query_all(backend.build(&q)).await? {
        let team_id: i64 = row.try_get_by_index(0)?;
        if out.last().is_none_or(|t| t.team_id != team_id) {
            out.push(AssignTarget { team_id, team_name: row.try_get_by_index(1)?, members: Vec::new() });
        }
        let member: Option<i64> = row.try_get_by_index(2)?;
        let name: Option<String> = row.try_get_by_index(3)?;
        if let (Some(id), Some(name), Some(t)) = (member, name, out.last_mut()) {
            t.members.push((id, name));
        }
    }
    // By name, then id (not by the database's collation).
    for t in &mut out {
        t.members.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    }
    Ok(out)
}

/// Assigns `ids` to a team and owner in one transaction: all of them or none. A team lead may only
/// change the owner within a team they lead. Without an owner, a current owner who is in the team
/// stays. New owners (other than the actor) are mailed after the commit. Returns how many leads
/// were asked for, changed or not.
/// Errors: `Forbidden` (leaders; a team lead moving a lead across teams or outside their teams),
/// `Invalid` at `lead_ids` (none), `team_id` (not a team), `owner_id` (not a member of it);
/// `NotFound` (an id missing or in the recycle bin), `Hidden("lead:{id}")` (one not readable),
/// `Db`.
pub async fn assign<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    settings: &Settings,
    actor: &SessionUser,
    ids: &[i64],
    team_raw: &str,
    owner_raw: &str,
) -> Result<AssignReport, ServiceError> {
    if !actor.role.writes_leads() {
        return Err(ServiceError::Forbidden);
    }
    let mut errors = Vec::new();
    if ids.is_empty() {
        errors.push(FieldError::new("lead_ids", "err.assign.none"));
    }
    let team_id = team_raw.trim().parse::<i64>().ok();
    let team = match team_id {
        Some(id) => team::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    if team.is_none() {
        errors.push(FieldError::new("team_id", "err.choose"));
    }
    let members = members_by_team(db).await?;
    let team_members: Vec<i64> = team
        .as_ref()
        .and_then(|t| members.get(&t.id))
        .map(|m| m.iter().map(|(id, _)| *id).collect())
        .unwrap_or_default();
    let owner = match owner_raw.trim() {
        "" => None,
        raw => match raw.parse::<i64>() {
            Ok(o) if team_members.contains(&o) => Some(o),
            _ => {
                errors.push(FieldError::new("owner_id", "err.assign.owner_not_member"));
                None
            }
        },
    };
    let (Some(team), true) = (team, errors.is_empty()) else {
        return Err(ServiceError::Invalid(errors));
    };
    let leads = lead::Entity::find()
        .filter(lead::Column::Id.is_in(ids.iter().copied()))
        .filter(lead::Column::DeletedAt.is_null())
        .all(db)
        .await?;
    if leads.len() != ids.iter().collect::<std::collections::HashSet<_>>().len()
        || leads.iter().any(|l| !can_read_lead(actor, l))
    {
        return Err(match leads.iter().find(|l| !can_read_lead(actor, l)) {
            Some(l) => ServiceError::Hidden(format!("lead:{}", l.id)),
            None => ServiceError::NotFound,
        });
    }
    for l in &leads {
        // A team lead reassigns within their own team only.
        let allowed = actor.role.assigns_leads()
            || (may_reassign(actor.role, &actor.led_teams, l.team_id) && l.team_id == Some(team.id));
        if !allowed {
            return Err(ServiceError::Forbidden);
        }
    }
    let now = Utc::now();
    let txn = crate::backend::db::begin_write(db).await?;
    let mut newly_owned: HashMap<i64, Vec<(i64, String)>> = HashMap::new();
    for l in &leads {
        // Without a named owner, the current one stays if they are in the team.
        let new_owner = owner.or(l.owner_id.filter(|o| team_members.contains(o)));
        if l.team_id == Some(team.id) && l.owner_id == new_owner {
            continue;
        }
        let mut a: lead::ActiveModel = l.clone().into();
        a.team_id = Set(Some(team.id));
        a.owner_id = Set(new_owner);
        a.version = Set(l.version + 1);
        a.updated_by = Set(actor.id);
        a.updated_at = Set(now);
        let after = a.update(&txn).await?;
        super::history::record(&txn, l, &after, actor.id).await?;
        if let Some(o) = new_owner.filter(|o| Some(*o) != l.owner_id && *o != actor.id) {
            newly_owned.entry(o).or_default().push((l.id, l.company_name.clone()));
        }
    }
    txn.commit().await?;
    for (owner_id, leads) in newly_owned {
        let Some(to) = user::Entity::find_by_id(owner_id).one(db).await? else { continue };
        let locale = Locale::parse(&to.locale).unwrap_or_default();
        let lines: Vec<templates::Line> = leads
            .iter()
            .map(|(id, name)| templates::Line {
                text: name.clone(),
                link: Some(format!("{}/leads/{id}", settings.public_url)),
            })
            .collect();
        let letter = templates::assigned(locale, &to.display_name, &actor.display_name, &lines);
        mail::enqueue(db, settings, Outgoing::new("assigned", to, letter)).await?;
    }
    Ok(AssignReport { assigned: leads.len() })
}

/// Every team as the suggestion sees it: focus and members' loads.
async fn candidates(db: &impl ConnectionTrait) -> Result<(Vec<TeamCandidate>, HashMap<i64, String>), ServiceError> {
    let teams = team::Entity::find().all(db).await?;
    let members = members_by_team(db).await?;
    let load = open_load(db).await?;
    let names: HashMap<i64, String> = teams.iter().map(|t| (t.id, t.name.clone())).collect();
    let candidates = teams
        .into_iter()
        .map(|t| TeamCandidate {
            id: t.id,
            focus: TeamFocus {
                regions: json_list(&t.focus_regions),
                chains: json_list(&t.focus_chains),
                industries: json_list(&t.focus_industries),
            },
            members: members
                .get(&t.id)
                .map(|ms| ms.iter().map(|(id, _)| (*id, load.get(id).copied().unwrap_or(0) as u32)).collect())
                .unwrap_or_default(),
        })
        .collect();
    Ok((candidates, names))
}

/// The chains each lead sits on.
async fn chains_of(db: &impl ConnectionTrait, lead_ids: &[i64]) -> Result<HashMap<i64, Vec<i64>>, ServiceError> {
    let placed =
        lead_node::Entity::find().filter(lead_node::Column::LeadId.is_in(lead_ids.iter().copied())).all(db).await?;
    let nodes: HashMap<i64, i64> = chain_node::Entity::find()
        .filter(chain_node::Column::Id.is_in(placed.iter().map(|p| p.node_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|n| (n.id, n.chain_id))
        .collect();
    let mut out: HashMap<i64, Vec<i64>> = HashMap::new();
    for p in placed {
        if let Some(c) = nodes.get(&p.node_id) {
            out.entry(p.lead_id).or_default().push(*c);
        }
    }
    Ok(out)
}

struct Namer {
    teams: HashMap<i64, String>,
    users: HashMap<i64, String>,
    chains: HashMap<i64, String>,
}

impl Namer {
    fn view(&self, s: crate::domain::team::Suggestion) -> SuggestionView {
        let d = divisions();
        let reason_names = s
            .reasons
            .iter()
            .map(|r| match r {
                Reason::Region(code) => d.name_of(code),
                Reason::Chain(id) => self.chains.get(id).cloned().unwrap_or_default(),
                Reason::Industry(code) => code.clone(),
                Reason::LightestTeam | Reason::CurrentTeam | Reason::CurrentOwner => String::new(),
                Reason::FewestOpen(n) | Reason::OnlyMember(n) => n.to_string(),
                Reason::FewestCounted(open, counted) | Reason::OnlyMemberCounted(open, counted) => {
                    format!("{open}/{counted}")
                }
            })
            .collect();
        SuggestionView {
            team_name: self.teams.get(&s.team_id).cloned().unwrap_or_default(),
            owner_name: s.owner_id.and_then(|o| self.users.get(&o).cloned()),
            team_id: s.team_id,
            owner_id: s.owner_id,
            reasons: s.reasons,
            reason_names,
        }
    }
}

async fn namer(db: &impl ConnectionTrait, teams: HashMap<i64, String>) -> Result<Namer, ServiceError> {
    let users = user::Entity::find().all(db).await?.into_iter().map(|u| (u.id, u.display_name)).collect();
    let chains = chain::Entity::find().all(db).await?.into_iter().map(|c| (c.id, c.name_zh)).collect();
    Ok(Namer { teams, users, chains })
}

fn facts(l: &lead::Model, chains: &HashMap<i64, Vec<i64>>) -> LeadFacts {
    LeadFacts {
        region_code: l.region_code.clone(),
        industry: l.industry.clone(),
        chains: chains.get(&l.id).cloned().unwrap_or_default(),
        team_id: l.team_id,
        owner_id: l.owner_id,
    }
}

/// The suggested team and owner for lead `lead_id` with the reasons (region, chain, industry,
/// lightest load), or `None` when no team fits (pure rule: `domain::team::suggest`).
/// Errors: those of `access::find_readable` (`NotFound`, `Hidden`), `Db`.
pub async fn suggest_for(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    lead_id: i64,
) -> Result<Option<SuggestionView>, ServiceError> {
    let l = super::access::find_readable(db, actor, lead_id).await?;
    let (candidates, teams) = candidates(db).await?;
    let chains = chains_of(db, &[l.id]).await?;
    let namer = namer(db, teams).await?;
    Ok(suggest(&facts(&l, &chains), &candidates).map(|s| namer.view(s)))
}

/// Leads without a team or without an owner (for a team lead: ownerless leads of the teams they
/// lead), not dropped, best score first then newest, at most 200, each with its suggestion.
/// Errors: `Forbidden` for anyone who neither assigns leads nor leads a team, `Db`.
pub async fn queue(db: &impl ConnectionTrait, actor: &SessionUser) -> Result<Vec<QueueRow>, ServiceError> {
    if !actor.role.assigns_leads() && actor.led_teams.is_empty() {
        return Err(ServiceError::Forbidden);
    }
    let mut q = lead::Entity::find().filter(lead::Column::DeletedAt.is_null());
    q = if actor.role.assigns_leads() {
        q.filter(Condition::any().add(lead::Column::TeamId.is_null()).add(lead::Column::OwnerId.is_null()))
    } else {
        q.filter(lead::Column::TeamId.is_in(actor.led_teams.iter().copied())).filter(lead::Column::OwnerId.is_null())
    };
    let leads = q
        .filter(lead::Column::Stage.is_not_in(["dropped"]))
        .order_by(Expr::col(lead::Column::Score).is_null(), sea_orm::Order::Asc)
        .order_by_desc(lead::Column::Score)
        .order_by_desc(lead::Column::Id)
        .limit(200)
        .all(db)
        .await?;
    let (candidates, teams) = candidates(db).await?;
    let chains = chains_of(db, &leads.iter().map(|l| l.id).collect::<Vec<_>>()).await?;
    let namer = namer(db, teams).await?;
    let d = divisions();
    // In the queue's order, each suggestion counting those above it: they spread over the members.
    let facts: Vec<LeadFacts> = leads.iter().map(|l| facts(l, &chains)).collect();
    let suggestions = suggest_in_turn(&facts, &candidates);
    Ok(leads
        .into_iter()
        .zip(suggestions)
        .map(|(l, suggestion)| QueueRow {
            suggestion: suggestion.map(|s| namer.view(s)),
            region: d.view(&region_of(&l)),
            team_name: l.team_id.and_then(|t| namer.teams.get(&t).cloned()),
            owner_name: l.owner_id.and_then(|o| namer.users.get(&o).cloned()),
            id: l.id,
            company_name: l.company_name,
            industry: l.industry,
            grade: l.grade,
            score: l.score,
        })
        .collect())
}
