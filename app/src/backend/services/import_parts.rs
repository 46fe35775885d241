//! What an import's commit keeps track of part by part: how long it held the write lock, and
//! the contacts of the leads each part saved.

use super::leads::contact_rows;
use super::ServiceError;
use crate::backend::entities::{lead, lead_contact};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Contact rows inserted at once (two per lead at most, typically).
const CONTACTS_AT_ONCE: usize = 800;

/// How long the commit held the write lock: in all, and its longest part.
#[derive(Default)]
pub(super) struct Holds {
    since: Option<Instant>,
    pub total: Duration,
    pub longest: Duration,
    pub parts: u32,
}

impl Holds {
    pub fn taken(&mut self) {
        self.since = Some(Instant::now());
    }
    /// Returns how long the lock was held.
    pub fn released(&mut self) -> Duration {
        let Some(since) = self.since.take() else { return Duration::ZERO };
        let held = since.elapsed();
        self.total += held;
        self.longest = self.longest.max(held);
        self.parts += 1;
        held
    }
}

/// Inserts the contacts of the batch's leads saved since `after` (a lead id; 0 at first) in
/// this transaction; returns the highest id seen, for the next part.
pub(super) async fn save_contacts(
    txn: &DatabaseTransaction,
    id: i64,
    after: i64,
    contacts_of: &HashMap<String, Vec<crate::domain::lead::Contact>>,
) -> Result<i64, ServiceError> {
    let created: Vec<(i64, String)> = lead::Entity::find()
        .select_only()
        .columns([lead::Column::Id, lead::Column::NameKey])
        .filter(lead::Column::ImportBatchId.eq(id))
        .filter(lead::Column::Id.gt(after))
        .order_by_asc(lead::Column::Id)
        .into_tuple()
        .all(txn)
        .await?;
    let contacts: Vec<lead_contact::ActiveModel> = created
        .iter()
        .filter_map(|(lead_id, key)| contacts_of.get(key).map(|cs| contact_rows(*lead_id, cs)))
        .flatten()
        .collect();
    for part in contacts.chunks(CONTACTS_AT_ONCE) {
        lead_contact::Entity::insert_many(part.to_vec()).exec(txn).await?;
    }
    Ok(created.last().map_or(after, |(lead_id, _)| *lead_id))
}
