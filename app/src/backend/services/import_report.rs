//! 导入结果: what a done batch keeps of its rows — the rows that failed, with their reasons, and
//! the first rows that matched existing leads, updated or skipped — shown under the report and
//! the failed ones given back as a spreadsheet.

use super::exports::{to_xlsx, Table, Value};
use super::ServiceError;
use crate::backend::entities::import_batch;
use crate::i18n::{tr, tr_args, Locale};
use crate::wire::auth::SessionUser;
use crate::wire::imports::{PreviewRow, RowIssue};
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
}

/// A done batch's report: every failed row, and the first `PREVIEW_ROWS` rows that matched an
/// existing lead (the counts say how many there were).
#[derive(Default, Serialize, Deserialize)]
pub struct Report {
    pub failed: Vec<FailedRow>,
    #[serde(default)]
    pub merged: Vec<MergedRow>,
}

/// The report as stored: batches committed before 2026-12-06 kept their failed rows only, as a
/// list.
#[derive(Deserialize)]
#[serde(untagged)]
enum Stored {
    Report(Report),
    Failed(Vec<FailedRow>),
}

fn from_json<T: for<'de> Deserialize<'de>>(s: &str) -> Result<T, ServiceError> {
    serde_json::from_str(s).map_err(|e| ServiceError::Internal(e.to_string()))
}

/// `batch`'s report (empty before its commit).
/// Errors: `Internal` (stored JSON).
pub fn report_of(batch: &import_batch::Model) -> Result<Report, ServiceError> {
    Ok(match batch.report.as_deref().map(from_json::<Stored>).transpose()? {
        None => Report::default(),
        Some(Stored::Report(report)) => report,
        Some(Stored::Failed(failed)) => Report { failed, merged: Vec::new() },
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
        .map(|m| PreviewRow {
            target: readable.get(&m.lead).map(|name| (m.lead, name.clone())),
            by_uscc: m.by_uscc,
            ..PreviewRow::new(m.line, m.cells, "duplicate", &m.action, m.issues)
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

/// "计划投资: 金额格式不正确; …" in the reader's language.
pub fn reasons(issues: &[RowIssue], headers: &[String], locale: Locale) -> String {
    issues
        .iter()
        .map(|i| {
            let text = tr_args(locale, &i.error.key, &i.error.args);
            match i.column.and_then(|c| headers.get(c)) {
                Some(h) => crate::i18n::at_column(locale, h, text),
                None => text,
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_kept_before_the_merged_rows_reads_as_its_failed_rows() {
        let old = r#"[{"line":3,"cells":["甲"],"issues":[]}]"#;
        let Ok(Stored::Failed(failed)) = serde_json::from_str::<Stored>(old) else { panic!("the old list") };
        assert_eq!(failed[0].line, 3);
        let new =
            r#"{"failed":[],"merged":[{"line":2,"cells":[],"action":"skip","lead":7,"by_uscc":true,"issues":[]}]}"#;
        let Ok(Stored::Report(report)) = serde_json::from_str::<Stored>(new) else { panic!("the report") };
        assert_eq!((report.failed.len(), report.merged[0].lead, report.merged[0].action.as_str()), (0, 7, "skip"));
    }
}
