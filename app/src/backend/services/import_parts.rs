//! What an import's commit keeps track of: what it will do with each row, how long it held the
//! write lock, and the contacts of the leads each part saved; and how it reads a part's rows.

use super::import_preview::{new_input, verdicts, BatchRows, Existing, Known, Verdict};
use super::import_report::MergedRow;
use super::leads::contact_rows;
use super::ServiceError;
use crate::backend::entities::{lead, lead_contact};
use crate::domain::import_merge::DuplicateMode;
use crate::domain::import_row::RowReader;
use crate::domain::lead::{FieldError, LeadInput};
use crate::wire::auth::SessionUser;
use crate::wire::imports::{RowIssue, PREVIEW_ROWS};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Contact rows inserted at once (two per lead at most, typically).
const CONTACTS_AT_ONCE: usize = 800;

/// What the commit will do with a row, and no more: a new lead or a duplicate to merge is read
/// again from its cells when its part is saved ([`read_part`], `import_preview::row_form`), so a
/// file of 100,000 rows holds no parsed lead or form per row (a re-import of 100,000 known
/// leads held a form for each: +184 MiB at its peak, 2026-12-05).
pub(super) enum Kept {
    New,
    /// A duplicate of `Known::get(target)` the batch's mode or (not `editable`) the actor's
    /// rights leave as it is.
    Skip {
        target: usize,
        by_uscc: bool,
        editable: bool,
    },
    /// A duplicate of `Known::get(target)` to merge under the batch's mode.
    Merge {
        target: usize,
        by_uscc: bool,
    },
    /// The row's problems, for the report.
    Fail(Vec<RowIssue>),
}

/// Each row's [`Kept`] under `mode`, in file order (the classification the preview showed).
pub(super) fn kept(input: &BatchRows, known: &Known, actor: &SessionUser, mode: DuplicateMode) -> Vec<Kept> {
    verdicts(input, known, actor, mode)
        .map(|v| match v {
            Verdict::New(_) => Kept::New,
            Verdict::Duplicate { target, by_uscc, editable, .. } if !editable || mode == DuplicateMode::Skip => {
                Kept::Skip { target, by_uscc, editable }
            }
            Verdict::Duplicate { target, by_uscc, .. } => Kept::Merge { target, by_uscc },
            Verdict::Invalid(issues) => Kept::Fail(issues),
        })
        .collect()
}

/// The first `PREVIEW_ROWS` rows that matched existing leads, as the report keeps them.
#[derive(Default)]
pub(super) struct Merged(pub Vec<MergedRow>);

impl Merged {
    /// Row `i` of `input`, matched to `existing` (by USCC or name), was skipped for `why` (a
    /// translation key). The lead is kept by id: who may see its name is decided when the
    /// report is read, for whoever reads it.
    pub fn skipped(&mut self, input: &BatchRows, i: usize, existing: &Existing, by_uscc: bool, why: &str) {
        let issues = vec![RowIssue { column: None, error: FieldError::new("", why) }];
        self.push(input, i, existing, by_uscc, issues, Vec::new());
    }

    /// Row `i` of `input` updated `existing`, changing what `notes` say
    /// (`import_changes::notes`: shown only to whoever may read the lead).
    pub fn updated(&mut self, input: &BatchRows, i: usize, existing: &Existing, by_uscc: bool, notes: Vec<RowIssue>) {
        self.push(input, i, existing, by_uscc, Vec::new(), notes);
    }

    fn push(
        &mut self,
        input: &BatchRows,
        i: usize,
        existing: &Existing,
        by_uscc: bool,
        issues: Vec<RowIssue>,
        notes: Vec<RowIssue>,
    ) {
        if self.0.len() >= PREVIEW_ROWS {
            return;
        }
        self.0.push(MergedRow {
            line: input.line(i),
            cells: input.rows.get(i).unwrap_or_default(),
            action: if issues.is_empty() { "update" } else { "skip" }.into(),
            lead: existing.id,
            by_uscc,
            issues,
            notes,
        });
    }
}

/// The new leads of rows `rows` (indices into the batch), each with its index.
/// Errors: `Internal` if a row found new no longer reads as a lead (it cannot: same cells, same
/// reading).
pub(super) fn read_part(
    input: &BatchRows,
    reader: &RowReader<'_>,
    rows: &[usize],
) -> Result<Vec<(usize, LeadInput)>, ServiceError> {
    rows.iter()
        .map(|&i| {
            new_input(input, reader, i)
                .map(|lead| (i, lead))
                .ok_or_else(|| ServiceError::Internal(format!("row {i} no longer reads as a new lead")))
        })
        .collect()
}

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
