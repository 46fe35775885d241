//! 导入: upload a spreadsheet of leads (a plain multipart POST to `/import/upload`, see the
//! server crate), correct the column mapping, read the preview, commit, read the report.

use crate::domain::lead::FieldError;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

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
    /// The existing lead a duplicate matches (id, name), when the user may see it.
    pub target: Option<(i64, String)>,
    /// Matched by USCC (else by normalised name).
    pub by_uscc: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PreviewCounts {
    pub new: usize,
    pub duplicate: usize,
    pub invalid: usize,
    pub create: usize,
    pub update: usize,
    pub skip: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportPage {
    pub summary: ImportSummary,
    pub headers: Vec<String>,
    /// Per file column: the lead field's code, or "" for "not imported".
    pub mapping: Vec<String>,
    pub duplicate_mode: String,
    pub counts: PreviewCounts,
    /// The rows shown (problems first, at most `PREVIEW_ROWS`).
    pub rows: Vec<PreviewRow>,
    /// Rows done and in all while the commit runs.
    pub progress: Option<(u64, u64)>,
    /// Why a commit failed (translation key and arguments).
    pub error: Option<FieldError>,
    pub can_commit: bool,
}

/// The preview shows at most this many rows; the counts cover all.
pub const PREVIEW_ROWS: usize = 200;

#[server(endpoint = "imports/list")]
pub async fn list_imports() -> Result<Vec<ImportSummary>, AppError> {
    use crate::backend::{context, services::imports};
    let (state, user) = context::signed_in()?;
    context::respond(imports::list(&state.db, &user).await)
}

#[server(endpoint = "imports/get")]
pub async fn get_import(id: i64) -> Result<ImportPage, AppError> {
    use crate::backend::{context, services::imports};
    let (state, user) = context::signed_in()?;
    context::respond(imports::page(&state.db, &user, id).await)
}

/// Saves the corrected mapping and the duplicate mode (the preview follows them).
#[server(endpoint = "imports/configure")]
pub async fn configure_import(
    id: i64,
    #[server(default)] mapping: Vec<String>,
    #[server(default)] duplicate_mode: String,
) -> Result<(), AppError> {
    use crate::backend::{context, services::imports};
    let (state, user) = context::signed_in()?;
    context::respond(imports::configure(&state.db, &user, id, &mapping, &duplicate_mode).await)
}

/// Starts the commit; the page follows its progress.
#[server(endpoint = "imports/commit")]
pub async fn commit_import(id: i64) -> Result<(), AppError> {
    use crate::backend::{context, services::import_commit};
    let (state, user) = context::signed_in()?;
    context::respond(import_commit::start(&state.db, &user, id).await)
}
