//! What merging a row into an existing lead (查重合并) changes, said at the row's cells: foreseen
//! by the preview for the duplicates it shows, and kept in the report for the rows the commit
//! merged. Old values are shown only to whoever may edit (preview) or read (report) the lead.

use super::ServiceError;
use crate::backend::regions::divisions;
use crate::domain::import::ImportColumn;
use crate::domain::import_merge::{changes, merge, Change, DuplicateMode};
use crate::domain::lead::{FieldError, LeadForm};
use crate::domain::region::RegionCode;
use crate::domain::uscc::Uscc;
use crate::wire::auth::SessionUser;
use crate::wire::imports::{PreviewCounts, PreviewRow, RowIssue};

/// A duplicate the preview shows that the commit would merge: row `shown` of the shown rows,
/// matched to lead `lead`, the row's form `form` (as `import_preview::verdicts` read it).
pub struct ToMerge {
    pub shown: usize,
    pub lead: i64,
    pub form: Box<LeadForm>,
}

/// The saved lead's form `saved` after merging the row's `form` under `mode` (the columns
/// `mapped`), with the region it would be saved with (`leads::region_by_rule`: the USCC's
/// registering authority unless the region given says more), so a region the USCC overrules is
/// no change; `None` when nothing would change. What the preview foresees and the commit saves.
pub fn merge_saved(
    saved: &LeadForm,
    form: &LeadForm,
    mapped: &[ImportColumn],
    mode: DuplicateMode,
) -> Option<LeadForm> {
    let mut merged = merge(saved, form, mapped, mode)?;
    let uscc = Uscc::parse(&merged.uscc).ok();
    let picked = RegionCode::parse(merged.region_code.trim());
    if let Some(region) = super::leads::region_by_rule(uscc.as_ref(), picked.as_ref()) {
        merged.region_code = region.as_code();
    }
    (merged != *saved).then_some(merged)
}

/// The notes saying what merging changes in `existing` (the saved lead's form) to make it
/// `merged`, each at its column of `mapping` when the file has one: "原为“34723”", "原为空",
/// "新联系人"; a code (industry, sector, channel) as its label, a region by its name.
pub fn notes(mapping: &[Option<ImportColumn>], existing: &LeadForm, merged: &LeadForm) -> Vec<RowIssue> {
    // A sector without a column of its own came from the industry's cell.
    let at = |column: ImportColumn| match column {
        ImportColumn::Sector if column.column_in(mapping).is_none() => ImportColumn::Industry.column_in(mapping),
        other => other.column_in(mapping),
    };
    changes(existing, merged)
        .into_iter()
        .map(|change| match change {
            Change::Field { column, was } => {
                let field = column.code();
                let error = match column {
                    _ if was.is_empty() => FieldError::new(field, "import.change.was_empty"),
                    ImportColumn::Industry | ImportColumn::Sector | ImportColumn::Channel => {
                        FieldError::new(field, "import.change.was_label").with("label", format!("t:{field}.{was}"))
                    }
                    ImportColumn::Region => {
                        FieldError::new(field, "import.change.was").with("was", divisions().name_of(&was))
                    }
                    _ => FieldError::new(field, "import.change.was").with("was", was),
                };
                RowIssue { column: at(column), error }
            }
            Change::SectorCleared { was } => RowIssue {
                column: at(ImportColumn::Industry),
                error: FieldError::new("sector", "import.change.sector_cleared")
                    .with("label", format!("t:sector.{was}")),
            },
            Change::ContactPhone { name, was } => RowIssue {
                column: at(ImportColumn::ContactPhone),
                error: match was.is_empty() {
                    true => FieldError::new("contacts", "import.change.phone_empty").with("name", name),
                    false => FieldError::new("contacts", "import.change.phone").with("name", name).with("was", was),
                },
            },
            Change::Contact { name } => RowIssue {
                column: at(ImportColumn::ContactName),
                error: FieldError::new("contacts", "import.change.contact").with("name", name),
            },
        })
        .collect()
}

/// The preview's foresight for the shown duplicates it would merge (`to_merge`, at most the
/// shown rows): the saved leads' forms are read (two queries, `leads::edit_forms`) and each merged with
/// the row under `mode` as the commit will. A row that would change something gets notes saying
/// what ([`notes`]); one that would change nothing becomes a skip with the commit's reason, and
/// `counts` move with it. `counts.updates_foreseen` says whether every update counted was
/// foreseen (then the count is exact, not an upper bound). A lead gone or out of reach since is
/// left as the preview found it (the commit decides).
/// Errors: `Db`.
pub async fn foresee(
    db: &impl sea_orm::ConnectionTrait,
    actor: &SessionUser,
    mapping: &[Option<ImportColumn>],
    mode: DuplicateMode,
    to_merge: Vec<ToMerge>,
    counts: &mut PreviewCounts,
    rows: &mut [PreviewRow],
) -> Result<(), ServiceError> {
    counts.updates_foreseen = to_merge.len() == counts.update;
    let mapped: Vec<ImportColumn> = mapping.iter().flatten().copied().collect();
    let ids: Vec<i64> = to_merge.iter().map(|m| m.lead).collect();
    let forms = super::leads::edit_forms(db, actor, &ids).await?;
    for ToMerge { shown, lead, form } in to_merge {
        let Some(saved) = forms.get(&lead) else {
            counts.updates_foreseen = false;
            continue;
        };
        let Some(row) = rows.get_mut(shown) else { continue };
        match merge_saved(saved, &form, &mapped, mode) {
            // The merged lead is checked as the commit checks it (a sector of the old industry
            // under a new one): refused, the row will fail.
            Some(merged) => match merged.parse() {
                Ok(_) => row.notes.extend(notes(mapping, saved, &merged)),
                Err(errors) => {
                    row.action = "fail".into();
                    row.issues.extend(errors.into_iter().map(|error| RowIssue::of_form(mapping, error)));
                    counts.update = counts.update.saturating_sub(1);
                    counts.fail += 1;
                }
            },
            None => {
                let why = match mode {
                    DuplicateMode::FillEmpty => "import.skip.filled",
                    _ => "import.skip.unchanged",
                };
                row.action = "skip".into();
                row.issues.push(RowIssue { column: None, error: FieldError::new("", why) });
                counts.update = counts.update.saturating_sub(1);
                counts.skip += 1;
            }
        }
    }
    Ok(())
}
