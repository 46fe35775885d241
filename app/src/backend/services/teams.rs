//! 招商专班: create and edit teams (managers and admins), their members, focus and targets.

use super::access::require_manager;
use super::ServiceError;
use crate::backend::entities::{chain, lead, team, team_member, team_target, user};
use crate::backend::regions::divisions;
use crate::domain::catalog::Industry;
use crate::domain::lead::FieldError;
use crate::domain::role::Role;
use crate::wire::auth::SessionUser;
use crate::wire::teams::*;
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::collections::HashMap;

fn open_codes() -> Vec<&'static str> {
    crate::domain::stage::OPEN.iter().map(|s| s.code()).collect()
}

/// A team's stored focus list (JSON array) read as `T`s; empty when it does not parse.
pub fn json_list<T: serde::de::DeserializeOwned>(text: &str) -> Vec<T> {
    serde_json::from_str(text).unwrap_or_default()
}

/// Open leads (the four open stages, live) owned by each user: user id → count. Users without
/// any are absent.
/// Errors: `Db` only.
pub async fn open_load(db: &impl ConnectionTrait) -> Result<HashMap<i64, u64>, ServiceError> {
    let rows: Vec<(Option<i64>, i64)> = lead::Entity::find()
        .select_only()
        .column(lead::Column::OwnerId)
        .column_as(Expr::col(lead::Column::Id).count(), "n")
        .filter(lead::Column::DeletedAt.is_null())
        .filter(lead::Column::Stage.is_in(open_codes()))
        .filter(lead::Column::OwnerId.is_not_null())
        .group_by(lead::Column::OwnerId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().filter_map(|(o, n)| o.map(|o| (o, n as u64))).collect())
}

/// Every team with its enabled members (id, name, sorted by name) — the facts the views and the
/// suggestion need. Teams without enabled members are absent. One statement (the links joined to
/// their enabled users).
/// Errors: `Db` only.
pub async fn members_by_team(db: &impl ConnectionTrait) -> Result<HashMap<i64, Vec<(i64, String)>>, ServiceError> {
    let to_user =
        team_member::Entity::belongs_to(user::Entity).from(team_member::Column::UserId).to(user::Column::Id).into();
    let rows: Vec<(i64, i64, String)> = team_member::Entity::find()
        .select_only()
        .column(team_member::Column::TeamId)
        .column(user::Column::Id)
        .column(user::Column::DisplayName)
        .join(JoinType::InnerJoin, to_user)
        .filter(user::Column::DisabledAt.is_null())
        .into_tuple()
        .all(db)
        .await?;
    let mut out: HashMap<i64, Vec<(i64, String)>> = HashMap::new();
    for (team_id, user_id, name) in rows {
        out.entry(team_id).or_default().push((user_id, name));
    }
    // Sorted here, not by the database: PostgreSQL's collation would order the names otherwise.
    for v in out.values_mut() {
        v.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    }
    Ok(out)
}

async fn views(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    teams: Vec<team::Model>,
) -> Result<Vec<TeamView>, ServiceError> {
    let members = members_by_team(db).await?;
    let load = open_load(db).await?;
    let people: Vec<i64> = teams.iter().flat_map(|t| [t.leader_in_charge_id, t.lead_user_id]).flatten().collect();
    let names = super::users::names(db, people).await?;
    let chains: HashMap<i64, String> =
        chain::Entity::find().all(db).await?.into_iter().map(|c| (c.id, c.name_zh)).collect();
    let team_open: HashMap<i64, i64> = lead::Entity::find()
        .select_only()
        .column(lead::Column::TeamId)
        .column_as(Expr::col(lead::Column::Id).count(), "n")
        .filter(lead::Column::DeletedAt.is_null())
        .filter(lead::Column::Stage.is_in(open_codes()))
        .filter(lead::Column::TeamId.is_not_null())
        .group_by(lead::Column::TeamId)
        .into_tuple::<(Option<i64>, i64)>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(t, n)| t.map(|t| (t, n)))
        .collect();
    let targets = team_target::Entity::find()
        .filter(team_target::Column::TeamId.is_in(teams.iter().map(|t| t.id)))
        .order_by_desc(team_target::Column::Year)
        .all(db)
        .await?;
    let d = divisions();
    Ok(teams
        .into_iter()
        .map(|t| {
            let person = |id: Option<i64>| id.map(|i| (i, names.get(&i).cloned().unwrap_or_default()));
            TeamView {
                leader_in_charge: person(t.leader_in_charge_id),
                team_lead: person(t.lead_user_id),
                members: members
                    .get(&t.id)
                    .map(|ms| {
                        ms.iter()
                            .map(|(id, name)| MemberView {
                                id: *id,
                                display_name: name.clone(),
                                open_leads: load.get(id).copied().unwrap_or(0),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                focus_regions: json_list::<String>(&t.focus_regions)
                    .into_iter()
                    .map(|c| {
                        let name = d.name_of(&c);
                        (c, name)
                    })
                    .collect(),
                focus_chains: json_list::<i64>(&t.focus_chains)
                    .into_iter()
                    .filter_map(|id| chains.get(&id).map(|n| (id, n.clone())))
                    .collect(),
                focus_industries: json_list(&t.focus_industries),
                open_leads: team_open.get(&t.id).copied().unwrap_or(0) as u64,
                targets: targets
                    .iter()
                    .filter(|g| g.team_id == t.id)
                    .map(|g| TargetView {
                        year: g.year,
                        signed_projects: g.signed_projects,
                        contracted_wan: g.contracted_wan,
                        major_projects: g.major_projects,
                        new_leads: g.new_leads,
                        visits: g.visits,
                    })
                    .collect(),
                can_manage: actor.role.assigns_leads(),
                id: t.id,
                name: t.name,
            }
        })
        .collect())
}

/// Every team (招商专班) by name with its 分管领导, team lead, members and their open loads, focus,
/// open leads and targets by year (newest first). Any signed-in user; `can_manage` for managers
/// and admins.
/// Errors: `Db` only.
pub async fn list(db: &impl ConnectionTrait, actor: &SessionUser) -> Result<Vec<TeamView>, ServiceError> {
    let teams = team::Entity::find().order_by_asc(team::Column::Name).all(db).await?;
    views(db, actor, teams).await
}

/// The `(id, name)` of the teams `actor` may filter leads by (`access::teams_offered_to`), by
/// name (the lead filters' 专班 select). Errors: `Db` only.
pub async fn names(db: &impl ConnectionTrait, actor: &SessionUser) -> Result<Vec<(i64, String)>, ServiceError> {
    Ok(super::access::teams_offered_to(team::Entity::find(), actor)
        .select_only()
        .columns([team::Column::Id, team::Column::Name])
        .order_by_asc(team::Column::Name)
        .into_tuple()
        .all(db)
        .await?)
}

/// Team `id` as in [`list`].
/// Errors: `NotFound` (no such team), `Db`.
pub async fn get(db: &impl ConnectionTrait, actor: &SessionUser, id: i64) -> Result<TeamView, ServiceError> {
    let t = team::Entity::find_by_id(id).one(db).await?.ok_or(ServiceError::NotFound)?;
    views(db, actor, vec![t]).await?.pop().ok_or(ServiceError::NotFound)
}

/// What the team form offers: every enabled user with a known role, by name, and every chain.
/// No access check.
/// Errors: `Db` only.
pub async fn choices(db: &impl ConnectionTrait) -> Result<TeamChoices, ServiceError> {
    let people = user::Entity::find()
        .filter(user::Column::DisabledAt.is_null())
        .order_by_asc(user::Column::DisplayName)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|u| Some(PersonOption { id: u.id, display_name: u.display_name, role: Role::parse(&u.role)? }))
        .collect();
    let chains = chain::Entity::find()
        .order_by_asc(chain::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name_zh))
        .collect();
    Ok(TeamChoices { people, chains })
}

fn optional_id(field: &str, raw: &str, errors: &mut Vec<FieldError>) -> Option<i64> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    raw.parse().map_err(|_| errors.push(FieldError::new(field, "err.choose"))).ok()
}

/// Region words ("南京 上海、440300", split on spaces and `,，、;；`) to division codes, without
/// repeats; unknown words are reported.
/// Errors: `FieldError` at `focus_regions` (`err.region.words`, the unknown words joined by `、`).
pub fn parse_regions(raw: &str) -> Result<Vec<String>, FieldError> {
    let d = divisions();
    let mut codes = Vec::new();
    let mut unknown = Vec::new();
    for word in raw.split(|c: char| c.is_whitespace() || ",，、;；".contains(c)).filter(|w| !w.is_empty()) {
        match d.find(word) {
            Some(code) if !codes.contains(&code) => codes.push(code),
            Some(_) => {}
            None => unknown.push(word.to_string()),
        }
    }
    if unknown.is_empty() {
        Ok(codes)
    } else {
        Err(FieldError::new("focus_regions", "err.region.words").with("words", unknown.join("、")))
    }
}

/// Creates (`id` None) or updates team `id` with its name, 分管领导, team lead (always a member),
/// members, and focus regions, chains and industries (unknown industries dropped); returns its
/// id. Managers and admins.
/// Errors: `Forbidden` (others), `Invalid` at `name` (empty, over 100, `err.team.name_taken`),
/// `leader_in_charge_id` (unknown user), `lead_user_id` (unknown or a leader), `focus_regions`
/// (unknown words), `members` (unknown, disabled or a leader); `NotFound` (no team `id`); `Db`.
pub async fn save(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    id: Option<i64>,
    form: TeamForm,
) -> Result<i64, ServiceError> {
    require_manager(actor)?;
    let mut errors = Vec::new();
    let name = form.name.trim().to_string();
    if name.is_empty() {
        errors.push(FieldError::new("name", "err.required"));
    } else if name.chars().count() > 100 {
        errors.push(FieldError::new("name", "err.too_long").with("max", 100));
    }
    let leader = optional_id("leader_in_charge_id", &form.leader_in_charge_id, &mut errors);
    let lead_user = optional_id("lead_user_id", &form.lead_user_id, &mut errors);
    let regions = parse_regions(&form.focus_regions).map_err(|e| errors.push(e)).unwrap_or_default();
    let members: Vec<i64> = form.members.values().filter_map(|v| v.trim().parse().ok()).collect();
    let chains: Vec<i64> = form.focus_chains.values().filter_map(|v| v.trim().parse().ok()).collect();
    let industries: Vec<String> =
        form.focus_industries.values().filter(|v| Industry::parse(v).is_some()).cloned().collect();
    let known: HashMap<i64, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(members.iter().copied().chain(leader).chain(lead_user)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    if leader.is_some_and(|l| !known.contains_key(&l)) {
        errors.push(FieldError::new("leader_in_charge_id", "err.choose"));
    }
    match lead_user {
        Some(l) if known.get(&l).is_none_or(|u| u.role == "leader") => {
            errors.push(FieldError::new("lead_user_id", "err.choose"))
        }
        _ => {}
    }
    if members.iter().any(|m| !known.get(m).is_some_and(|u| u.role != "leader" && u.disabled_at.is_none())) {
        errors.push(FieldError::new("members", "err.team.member"));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let taken = team::Entity::find().filter(team::Column::Name.eq(&name)).one(db).await?;
    if taken.is_some_and(|t| Some(t.id) != id) {
        return Err(ServiceError::Invalid(vec![FieldError::new("name", "err.team.name_taken")]));
    }
    let now = Utc::now();
    let saved = match id {
        Some(id) => {
            let t = team::Entity::find_by_id(id).one(db).await?.ok_or(ServiceError::NotFound)?;
            let mut a: team::ActiveModel = t.into();
            a.name = Set(name);
            a.leader_in_charge_id = Set(leader);
            a.lead_user_id = Set(lead_user);
            a.focus_regions = Set(json(&regions));
            a.focus_chains = Set(json(&chains));
            a.focus_industries = Set(json(&industries));
            a.updated_at = Set(now);
            a.update(db).await?
        }
        None => {
            team::ActiveModel {
                name: Set(name),
                leader_in_charge_id: Set(leader),
                lead_user_id: Set(lead_user),
                focus_regions: Set(json(&regions)),
                focus_chains: Set(json(&chains)),
                focus_industries: Set(json(&industries)),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?
        }
    };
    team_member::Entity::delete_many().filter(team_member::Column::TeamId.eq(saved.id)).exec(db).await?;
    let mut all_members = members;
    // The team lead is always a member.
    all_members.extend(lead_user);
    all_members.sort_unstable();
    all_members.dedup();
    if !all_members.is_empty() {
        team_member::Entity::insert_many(
            all_members.into_iter().map(|u| team_member::ActiveModel { team_id: Set(saved.id), user_id: Set(u) }),
        )
        .exec(db)
        .await?;
    }
    Ok(saved.id)
}

fn json<T: serde::Serialize>(v: &[T]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

/// Sets team `team_id`'s targets for a year (signed projects, contracted 万元, 重大项目, new
/// leads, visits; empty means 0), replacing that year's. Managers and admins.
/// Errors: `Forbidden` (others), `NotFound` (no such team), `Invalid` at `year` (not 2000–2100),
/// `signed_projects`/`major_projects`/`new_leads`/`visits` (not 0–100000), `contracted_wan`
/// (not an amount), `Db`.
pub async fn save_target(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    team_id: i64,
    form: TargetForm,
) -> Result<(), ServiceError> {
    require_manager(actor)?;
    team::Entity::find_by_id(team_id).one(db).await?.ok_or(ServiceError::NotFound)?;
    let mut errors = Vec::new();
    let year = match form.year.trim().parse::<i32>() {
        Ok(y) if (2000..=2100).contains(&y) => y,
        _ => {
            errors.push(FieldError::new("year", "err.year"));
            0
        }
    };
    let mut count = |field: &str, raw: &str| -> i32 {
        match raw.trim() {
            "" => 0,
            v => match v.parse::<i32>() {
                Ok(n) if (0..=100_000).contains(&n) => n,
                _ => {
                    errors.push(FieldError::new(field, "err.count"));
                    0
                }
            },
        }
    };
    let signed = count("signed_projects", &form.signed_projects);
    let major = count("major_projects", &form.major_projects);
    let new_leads = count("new_leads", &form.new_leads);
    let visits = count("visits", &form.visits);
    let contracted = if form.contracted_wan.trim().is_empty() {
        0.0
    } else {
        match crate::domain::money::parse_wan(&form.contracted_wan) {
            Ok(wan) => wan,
            Err(_) => {
                errors.push(FieldError::new("contracted_wan", "err.money"));
                0.0
            }
        }
    };
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    team_target::Entity::delete_many()
        .filter(team_target::Column::TeamId.eq(team_id))
        .filter(team_target::Column::Year.eq(year))
        .exec(db)
        .await?;
    team_target::ActiveModel {
        team_id: Set(team_id),
        year: Set(year),
        signed_projects: Set(signed),
        contracted_wan: Set(contracted),
        major_projects: Set(major),
        new_leads: Set(new_leads),
        visits: Set(visits),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
