//! 审计: every change to a lead's fields, recorded with the version it produced, shown to
//! managers and used to tell a user exactly what changed when their save is stale.

use super::users::names;
use super::ServiceError;
use crate::backend::entities::{lead, lead_change, lead_contact, team};
use crate::backend::local_time;
use crate::wire::leads::FieldChange;
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use std::collections::HashMap;

fn num(v: Option<f64>) -> String {
    v.map(|n| if n.fract() == 0.0 { format!("{n:.0}") } else { n.to_string() }).unwrap_or_default()
}

fn flag(v: Option<bool>) -> String {
    crate::domain::lead::tri_state_code(v).to_string()
}

/// The fields a person edits, as comparable text.
pub fn snapshot(l: &lead::Model) -> Vec<(&'static str, String)> {
    vec![
        ("company_name", l.company_name.clone()),
        ("uscc", l.uscc.clone().unwrap_or_default()),
        ("region_code", l.region_code.clone()),
        ("industry", l.industry.clone()),
        ("sector", l.sector.clone().unwrap_or_default()),
        ("planned_investment", num(l.planned_investment_wan)),
        ("land_mu", num(l.land_mu)),
        ("annual_output", num(l.annual_output_wan)),
        ("annual_tax", num(l.annual_tax_wan)),
        ("jobs", l.jobs.map(|j| j.to_string()).unwrap_or_default()),
        ("channel", l.channel.clone()),
        ("stage", l.stage.clone()),
        ("owner_id", l.owner_id.map(|o| o.to_string()).unwrap_or_default()),
        ("team_id", l.team_id.map(|t| t.to_string()).unwrap_or_default()),
        ("high_tech", flag(l.high_tech)),
        ("specialised", flag(l.specialised)),
        ("listed", flag(l.listed)),
        ("energy_use", l.energy_use.clone().unwrap_or_default()),
        ("notes", l.notes.clone()),
        ("major_flag", if l.major_flag { "yes".into() } else { "no".into() }),
        ("leader_in_charge_id", l.leader_in_charge_id.map(|o| o.to_string()).unwrap_or_default()),
        ("lead_department", l.lead_department.clone()),
    ]
}

/// Records (审计) every field of [`snapshot`] that differs between `before` and `after`, one row
/// each, under `after.version`, changed by user `by`. No access check: the saving service has
/// done it.
/// Errors: `Db` only.
pub async fn record(
    db: &impl ConnectionTrait,
    before: &lead::Model,
    after: &lead::Model,
    by: i64,
) -> Result<(), ServiceError> {
    let now = Utc::now();
    for ((field, old), (_, new)) in snapshot(before).into_iter().zip(snapshot(after)) {
        if old != new {
            lead_change::ActiveModel {
                lead_id: Set(after.id),
                version: Set(after.version),
                field: Set(field.to_string()),
                old_value: Set(old),
                new_value: Set(new),
                changed_by: Set(by),
                changed_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

/// A lead's contacts (联系人) as one comparable text: each contact's name, title, phone and email
/// (those given, space-separated), contacts in the form's order joined by "；". Empty: none.
pub fn contacts_text<'a>(contacts: impl IntoIterator<Item = [&'a str; 4]>) -> String {
    let each: Vec<String> = contacts
        .into_iter()
        .map(|parts| parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" "))
        .filter(|c| !c.is_empty())
        .collect();
    each.join("；")
}

/// Records (审计) a change of lead `lead_id`'s contacts under `version` (the version its save
/// produced), changed by user `by`, as one `contacts` row holding both lists as
/// [`contacts_text`]: nothing when the lists read the same. The lead's own fields are
/// [`record`]'s. No access check: the saving service has done it.
/// Errors: `Db` only.
pub async fn record_contacts(
    db: &impl ConnectionTrait,
    lead_id: i64,
    version: i32,
    before: &[lead_contact::Model],
    after: &[crate::domain::lead::Contact],
    by: i64,
) -> Result<(), ServiceError> {
    let old = contacts_text(before.iter().map(|c| [c.name.as_str(), &c.title, &c.phone, &c.email]));
    let new = contacts_text(after.iter().map(|c| [c.name.as_str(), &c.title, &c.phone, &c.email]));
    if old == new {
        return Ok(());
    }
    lead_change::ActiveModel {
        lead_id: Set(lead_id),
        version: Set(version),
        field: Set("contacts".into()),
        old_value: Set(old),
        new_value: Set(new),
        changed_by: Set(by),
        changed_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

pub(super) async fn views(
    db: &impl ConnectionTrait,
    rows: Vec<lead_change::Model>,
) -> Result<Vec<FieldChange>, ServiceError> {
    let user_ids = rows.iter().map(|r| r.changed_by).chain(rows.iter().flat_map(|r| {
        if r.field == "owner_id" || r.field == "leader_in_charge_id" {
            [r.old_value.parse().ok(), r.new_value.parse().ok()]
        } else {
            [None, None]
        }
        .into_iter()
        .flatten()
    }));
    let who = names(db, user_ids.collect::<Vec<i64>>()).await?;
    let team_ids: Vec<i64> = rows
        .iter()
        .filter(|r| r.field == "team_id")
        .flat_map(|r| [r.old_value.parse().ok(), r.new_value.parse().ok()])
        .flatten()
        .collect();
    let teams: HashMap<i64, String> = match team_ids.is_empty() {
        true => HashMap::new(),
        false => team::Entity::find()
            .filter(team::Column::Id.is_in(team_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|t| (t.id, t.name))
            .collect(),
    };
    let name_in = |names: &HashMap<i64, String>, v: &str| {
        v.parse::<i64>().ok().and_then(|id| names.get(&id).cloned()).unwrap_or_else(|| v.to_string())
    };
    Ok(rows
        .into_iter()
        .map(|r| {
            let (old, new) = match r.field.as_str() {
                "owner_id" | "leader_in_charge_id" => (name_in(&who, &r.old_value), name_in(&who, &r.new_value)),
                "team_id" => (name_in(&teams, &r.old_value), name_in(&teams, &r.new_value)),
                _ => (r.old_value, r.new_value),
            };
            FieldChange {
                who: who.get(&r.changed_by).cloned().unwrap_or_default(),
                at: local_time(r.changed_at),
                field: r.field,
                old,
                new,
                version: r.version,
            }
        })
        .collect())
}

/// All changes of a lead, newest first, with people's names for owner and 包保领导 ids, team
/// names for 招商专班 ids, and times in Asia/Shanghai. No access check: the caller decides who may read the history.
/// Errors: `Db` only.
pub async fn of_lead(db: &impl ConnectionTrait, lead_id: i64) -> Result<Vec<FieldChange>, ServiceError> {
    let rows = lead_change::Entity::find()
        .filter(lead_change::Column::LeadId.eq(lead_id))
        .order_by_desc(lead_change::Column::Id)
        .all(db)
        .await?;
    views(db, rows).await
}

/// What changed after `version`, oldest first — the message for a stale save. No access check.
/// Errors: `Db` only.
pub async fn since(db: &impl ConnectionTrait, lead_id: i64, version: i32) -> Result<Vec<FieldChange>, ServiceError> {
    let rows = lead_change::Entity::find()
        .filter(lead_change::Column::LeadId.eq(lead_id))
        .filter(lead_change::Column::Version.gt(version))
        .order_by_asc(lead_change::Column::Id)
        .all(db)
        .await?;
    views(db, rows).await
}
