//! What crosses the wire for `api::imports`: the types its server functions take and return,
//! with their validators. Imports `domain` only; read by pages, api and services.

use crate::domain::lead::FieldError;
use serde::{Deserialize, Serialize};

/// A refused plain post of an import's mapping as it was chosen, left for the batch page (under
/// `api::flash::IMPORT_MAPPING_DRAFT`): the form shows it beside the error, not the saved one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MappingDraft {
    /// The batch.
    pub id: i64,
    /// One field code per column ("" for none), as posted.
    pub mapping: Vec<String>,
    /// What to do with rows matching a lead, as posted: skip / fill / overwrite.
    pub duplicate_mode: String,
}

/// One import as listed on `/import`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub id: i64,
    pub file_name: String,
    pub by: String,
    pub created_at: String,
    /// preview / running / done / failed
    pub status: String,
    pub row_count: i32,
    pub created: i32,
    pub updated: i32,
    pub skipped: i32,
    pub failed: i32,
}

/// A problem with a row: at a column of the file, or with the row as a whole.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RowIssue {
    pub column: Option<usize>,
    pub error: FieldError,
}

impl RowIssue {
    /// `error` of a row's lead form, at the file's column (of `mapping`) its field is read from.
    pub fn of_form(mapping: &[Option<crate::domain::import::ImportColumn>], error: FieldError) -> RowIssue {
        let column = crate::domain::import::ImportColumn::of_field(&error.field).and_then(|c| c.column_in(mapping));
        RowIssue { column, error }
    }
}

/// One row of the preview.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PreviewRow {
    /// The row's line in the file (the header is line 1).
    pub line: usize,
    pub cells: Vec<String>,
    /// new / duplicate / invalid
    pub status: String,
    /// What the commit will do: create / update / skip / fail.
    pub action: String,
    pub issues: Vec<RowIssue>,
    /// What was done to its cells on the way in ("1.5 亿元 → 15,000 万元", an alias read).
    pub notes: Vec<RowIssue>,
    /// The existing lead a duplicate matches (id, name), when the user may see it.
    pub target: Option<(i64, String)>,
    /// Matched by USCC (else by normalised name).
    pub by_uscc: bool,
}

impl PreviewRow {
    /// Line `line` with its `cells`, `status`, `action` and `issues`; no notes, no matched lead
    /// (set those fields after, as the preview and the report's matched rows do).
    pub fn new(line: usize, cells: Vec<String>, status: &str, action: &str, issues: Vec<RowIssue>) -> Self {
        PreviewRow {
            line,
            cells,
            status: status.into(),
            action: action.into(),
            issues,
            notes: Vec::new(),
            target: None,
            by_uscc: false,
        }
    }
}

/// A value of an enumerated field that no label or alias names, and how many rows carry it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnknownValue {
    /// industry / sector / channel / stage
    pub field: String,
    pub value: String,
    pub rows: usize,
}

/// A saved alias, as the admin list shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AliasRow {
    pub id: i64,
    pub field: String,
    pub alias: String,
    pub code: String,
    pub by: String,
}

/// How the file was read, as the preview shows it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReadAs {
    /// The visible sheets holding data (empty for a text file).
    pub sheets: Vec<String>,
    pub sheet: Option<String>,
    /// The header's row number as Excel shows it.
    pub header_line: usize,
    /// The rows the header may be chosen from: (row number, first cells).
    pub candidates: Vec<(usize, String)>,
    /// The unit a note above the table gave to amounts ("万元").
    pub amount_unit: Option<String>,
    /// Whether sheet and header can still be changed (the file is still kept).
    pub can_change: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PreviewCounts {
    pub new: usize,
    pub duplicate: usize,
    pub invalid: usize,
    pub create: usize,
    pub update: usize,
    pub skip: usize,
    /// Rows the commit will fail: the invalid ones, and duplicates whose merged lead would be
    /// refused (foreseen for the rows shown).
    #[serde(default)]
    pub fail: usize,
    /// Every update counted was foreseen against the saved lead (the count is exact, not the
    /// most there may be).
    #[serde(default)]
    pub updates_foreseen: bool,
}

/// A running commit's step and its rows written of all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProgress {
    pub phase: ImportPhase,
    pub done: u64,
    pub total: u64,
}

/// The steps of a commit, as the user is told them (`import.phase.*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportPhase {
    /// Behind other imports (at most two hold their rows at once).
    Queued,
    /// Every row read and checked against the leads, before anything is written.
    Checking,
    /// Checked; waiting for other saves to finish (SQLite writes one at a time).
    Waiting,
    /// New leads being written, part by part.
    Writing,
}

impl ImportPhase {
    pub fn code(self) -> &'static str {
        match self {
            ImportPhase::Queued => "queued",
            ImportPhase::Checking => "checking",
            ImportPhase::Waiting => "waiting",
            ImportPhase::Writing => "writing",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportPage {
    pub summary: ImportSummary,
    pub headers: Vec<String>,
    /// Per file column: the lead field's code, or "" for "not imported".
    pub mapping: Vec<String>,
    pub duplicate_mode: String,
    pub counts: PreviewCounts,
    /// The rows shown (problems first, at most `PREVIEW_ROWS`); once done, the failed rows.
    pub rows: Vec<PreviewRow>,
    /// Once done: the first rows that matched existing leads, updated or skipped (at most
    /// `PREVIEW_ROWS`; the summary counts them all).
    #[serde(default)]
    pub merged: Vec<PreviewRow>,
    /// Values to map once for every row that carries them.
    pub unknown_values: Vec<UnknownValue>,
    pub read_as: ReadAs,
    /// Where the commit is while it runs.
    pub progress: Option<ImportProgress>,
    /// Why a commit failed (translation key and arguments).
    pub error: Option<FieldError>,
    pub can_commit: bool,
    /// Whose the new leads will be: the importer's name when they do not assign leads (staff own
    /// what they log), else none (未分配).
    #[serde(default)]
    pub new_owner: Option<String>,
    /// Once done: whether `/leads?import=ID` lists the leads it updated (batches committed
    /// before the updated ones were kept, migration 35, list only those they created).
    #[serde(default)]
    pub updates_listed: bool,
}

/// The preview shows at most this many rows; the counts cover all.
pub const PREVIEW_ROWS: usize = 200;

/// Another sheet or header row to read the file from (form fields `read[sheet]`,
/// `read[header_line]`, Excel's row number).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReadChoice {
    #[serde(default)]
    pub sheet: String,
    #[serde(default)]
    pub header_line: String,
}

/// What an unknown value means (`values[i][field]`, `values[i][value]`, `values[i][code]`;
/// an empty code leaves it for now).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ValueChoice {
    #[serde(default)]
    pub field: String,
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub code: String,
}
