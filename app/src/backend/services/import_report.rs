//! 导入结果: what a done batch keeps of its rows — the rows that failed, with their reasons, and
//! the first rows that matched existing leads, updated or skipped — shown under the report and
//! the failed ones given back as a spreadsheet.

use super::exports::{to_xlsx, Table, Value};
use super::ServiceError;
use crate::backend::entities::import_batch;
use crate::i18n::{tr, tr_args, Locale};
use crate::wire::auth::SessionUser;
use crate::wire::imports::{PreviewRow, RowIssue, PREVIEW_ROWS};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A failed row as kept in the batch's report.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FailedRow {
    pub line: usize,
    pub cells: Vec<String>,
    pub issues: Vec<RowIssue>,
}

/// A row that matched an existing lead, as kept in the batch's report.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MergedRow {
    pub line: usize,
    pub cells: Vec<String>,
    /// update / skip
    pub action: String,
    /// The lead it matched (its id: its name is read, and shown only to whoever may read the
    /// lead, when the report is viewed).
    pub lead: i64,
    /// Matched by USCC (else by normalised name).
    pub by_uscc: bool,
    /// Why a row was skipped (not the importer's lead to edit, nothing new in it).
    pub issues: Vec<RowIssue>,
    /// What an update changed (`import_changes::notes`; reports before 2026-12-06 have none).
    #[serde(default)]
    pub notes: Vec<RowIssue>,
}

/// A done batch's report: every failed row, and the first `PREVIEW_ROWS` rows that matched an
/// existing lead (the counts say how many there were).
#[derive(Default, Serialize, Deserialize)]
pub struct Report {
    pub failed: Vec<FailedRow>,
    #[serde(default)]
    pub merged: Vec<MergedRow>,
}

/// The first `N` rows of a stored list; the rest are skipped unparsed (`IgnoredAny`), so a
/// report of 100,000 failed rows is not read into memory to show 200 of them.
struct Head<T, const N: usize>(Vec<T>);

impl<'de, T: Deserialize<'de>, const N: usize> Deserialize<'de> for Head<T, N> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<T, const N: usize>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>, const N: usize> serde::de::Visitor<'de> for Visit<T, N> {
            type Value = Head<T, N>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut head = Vec::new();
                while head.len() < N {
                    match seq.next_element()? {
                        Some(item) => head.push(item),
                        None => return Ok(Head(head)),
                    }
                }
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(Head(head))
            }
        }
        d.deserialize_seq(Visit::<T, N>(std::marker::PhantomData))
    }
}

/// A report as the page shows it: the first `PREVIEW_ROWS` failed rows.
#[derive(Deserialize)]
struct Shown {
    failed: Head<FailedRow, PREVIEW_ROWS>,
    #[serde(default)]
    merged: Vec<MergedRow>,
}

fn from_json<T: for<'de> Deserialize<'de>>(s: &str) -> Result<T, ServiceError> {
    serde_json::from_str(s).map_err(|e| ServiceError::Internal(e.to_string()))
}

/// Whether a stored report is the list of failed rows batches committed before 2026-12-06 kept
/// (else the [`Report`] object). Told by its first character: serde's untagged enums buffer the
/// whole text as a tree first.
fn is_old_list(stored: &str) -> bool {
    stored.trim_start().starts_with('[')
}

/// `batch`'s whole report (empty before its commit), for the failed rows' spreadsheet.
/// Errors: `Internal` (stored JSON).
pub fn report_of(batch: &import_batch::Model) -> Result<Report, ServiceError> {
    report_from(batch.report.as_deref())
}

fn report_from(stored: Option<&str>) -> Result<Report, ServiceError> {
    Ok(match stored {
        None => Report::default(),
        Some(s) if is_old_list(s) => Report { failed: from_json(s)?, merged: Vec::new() },
        Some(s) => from_json(s)?,
    })
}

/// `batch`'s report as its page shows it: the first `PREVIEW_ROWS` failed rows (the rest are
/// not parsed) and the matched rows it kept.
/// Errors: `Internal` (stored JSON).
pub fn shown_of(batch: &import_batch::Model) -> Result<Report, ServiceError> {
    shown_from(batch.report.as_deref())
}

fn shown_from(stored: Option<&str>) -> Result<Report, ServiceError> {
    Ok(match stored {
        None => Report::default(),
        Some(s) if is_old_list(s) => {
            Report { failed: from_json::<Head<FailedRow, PREVIEW_ROWS>>(s)?.0, merged: Vec::new() }
        }
        Some(s) => {
            let shown: Shown = from_json(s)?;
            Report { failed: shown.failed.0, merged: shown.merged }
        }
    })
}

impl FailedRow {
    /// As the done batch's page lists it.
    pub fn shown(self) -> PreviewRow {
        PreviewRow::new(self.line, self.cells, "invalid", "fail", self.issues)
    }
}

/// `merged` as the done batch's page lists them for `actor`: each row with the lead it matched,
/// named (id, name as it is now) only if `actor` may read that lead and it is not in the recycle
/// bin (one read of at most `PREVIEW_ROWS` leads).
/// Errors: `Db`.
pub async fn merged_shown(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    merged: Vec<MergedRow>,
) -> Result<Vec<PreviewRow>, ServiceError> {
    use crate::backend::entities::lead::{Column as C, Entity as Lead};
    let ids: Vec<i64> = merged.iter().map(|m| m.lead).collect();
    let readable: HashMap<i64, String> = if ids.is_empty() {
        HashMap::new()
    } else {
        // The list's own visibility filter (`access::visible_to`): a lead in the recycle bin is
        // not linked either.
        super::access::visible_to(Lead::find(), actor)
            .select_only()
            .columns([C::Id, C::CompanyName])
            .filter(C::Id.is_in(ids))
            .into_tuple::<(i64, String)>()
            .all(db)
            .await?
            .into_iter()
            .collect()
    };
    Ok(merged
        .into_iter()
        .map(|m| {
            let target = readable.get(&m.lead).map(|name| (m.lead, name.clone()));
            // The lead's old values, for those who may read it.
            let notes = if target.is_some() { m.notes } else { Vec::new() };
            PreviewRow {
                target,
                by_uscc: m.by_uscc,
                notes,
                ..PreviewRow::new(m.line, m.cells, "duplicate", &m.action, m.issues)
            }
        })
        .collect())
}

/// The rows of `batch` that were not imported, with the reasons, as the user's spreadsheet came
/// (line number, the original cells, the reasons in `locale`), as `.xlsx` bytes.
/// Errors: `Internal` (stored JSON, writing the workbook).
pub fn failed_rows_xlsx(batch: &import_batch::Model, locale: Locale) -> Result<Vec<u8>, ServiceError> {
    let headers: Vec<String> = from_json(&batch.headers)?;
    let failed = report_of(batch)?.failed;
    let mut table = Table { headers: vec![tr(locale, "import.line").to_string()], rows: Vec::new() };
    table.headers.extend(headers.iter().cloned());
    table.headers.push(tr(locale, "import.reasons").to_string());
    for f in failed {
        let mut row = vec![Value::Number(f.line as f64)];
        row.extend((0..headers.len()).map(|i| Value::Text(f.cells.get(i).cloned().unwrap_or_default())));
        row.push(Value::Text(reasons(&f.issues, &headers, locale)));
        table.rows.push(row);
    }
    to_xlsx("failed", &table)
}

/// "计划投资：金额格式不正确；…" in the reader's language.
pub fn reasons(issues: &[RowIssue], headers: &[String], locale: Locale) -> String {
    let each: Vec<String> = issues
        .iter()
        .map(|i| {
            let text = tr_args(locale, &i.error.key, &i.error.args);
            match i.column.and_then(|c| headers.get(c)) {
                Some(h) => crate::i18n::at_column(locale, h, text),
                None => text,
            }
        })
        .collect();
    crate::i18n::join_items(locale, &each)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_kept_before_the_merged_rows_reads_as_its_failed_rows() {
        let old = Some(r#" [{"line":3,"cells":["甲"],"issues":[]}]"#);
        assert_eq!(report_from(old).map(|r| r.failed[0].line).ok(), Some(3));
        assert_eq!(shown_from(old).map(|r| r.failed.len()).ok(), Some(1));
        let new = Some(
            r#"{"failed":[],"merged":[{"line":2,"cells":[],"action":"skip","lead":7,"by_uscc":true,"issues":[]}]}"#,
        );
        let Ok(report) = shown_from(new) else { panic!("the report") };
        assert_eq!((report.failed.len(), report.merged[0].lead, report.merged[0].action.as_str()), (0, 7, "skip"));
    }

    #[test]
    fn the_page_parses_only_the_failed_rows_it_shows() {
        let row = |n: usize| FailedRow { line: n, cells: vec!["x".into()], issues: Vec::new() };
        let all = Report { failed: (0..PREVIEW_ROWS + 50).map(row).collect(), merged: Vec::new() };
        let stored = serde_json::to_string(&all).unwrap_or_default();
        let shown = shown_from(Some(&stored)).ok().map(|r| r.failed);
        assert_eq!(shown.as_ref().map(Vec::len), Some(PREVIEW_ROWS));
        assert_eq!(shown.and_then(|f| f.last().map(|r| r.line)), Some(PREVIEW_ROWS - 1));
        assert_eq!(
            report_from(Some(&stored)).map(|r| r.failed.len()).ok(),
            Some(PREVIEW_ROWS + 50),
            "all, for the file"
        );
        let old = serde_json::to_string(&all.failed).unwrap_or_default();
        assert_eq!(shown_from(Some(&old)).map(|r| r.failed.len()).ok(), Some(PREVIEW_ROWS));
    }
}
