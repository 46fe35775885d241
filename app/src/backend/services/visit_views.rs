//! A trip's visits as the trip page and the members' mail show them: company, time, place,
//! attendees, report and status.

use super::ServiceError;
use crate::backend::entities::{lead, visit, visit_attendee};
use crate::backend::local_date_time;
use crate::wire::trips::*;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

/// `visits` as the trip page and the members' mail show them: date and times (Asia/Shanghai
/// `YYYY-MM-DD`, `HH:MM`), company, the lead's stage and version, attendees, place, report and
/// status, in the order given. No access check (company names of any lead).
/// Errors: `Db` only.
pub async fn visit_views(db: &impl ConnectionTrait, visits: Vec<visit::Model>) -> Result<Vec<VisitView>, ServiceError> {
    let attendees = visit_attendee::Entity::find()
        .filter(visit_attendee::Column::VisitId.is_in(visits.iter().map(|v| v.id)))
        .all(db)
        .await?;
    let names = super::users::names(db, attendees.iter().map(|a| a.user_id)).await?;
    let leads: HashMap<i64, lead::Model> = lead::Entity::find()
        .filter(lead::Column::Id.is_in(visits.iter().map(|v| v.lead_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    Ok(visits
        .into_iter()
        .map(|v| {
            let (date, start) = local_date_time(v.starts_at);
            let (_, end) = local_date_time(v.ends_at);
            let l = leads.get(&v.lead_id);
            VisitView {
                attendees: attendees
                    .iter()
                    .filter(|a| a.visit_id == v.id)
                    .map(|a| (a.user_id, names.get(&a.user_id).cloned().unwrap_or_default()))
                    .collect(),
                company_name: l.map(|l| l.company_name.clone()).unwrap_or_default(),
                lead_stage: l.map(|l| l.stage.clone()).unwrap_or_default(),
                lead_version: l.map(|l| l.version).unwrap_or_default(),
                id: v.id,
                lead_id: v.lead_id,
                date,
                start,
                end,
                place: v.place,
                contact: v.contact,
                status: v.status,
                learned: v.learned,
                intention: v.intention,
                next_step: v.next_step,
                next_due: v.next_due.map(|d| d.to_string()),
                missed_reason: v.missed_reason,
            }
        })
        .collect())
}
