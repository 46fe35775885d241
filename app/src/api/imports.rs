//! 导入: upload a spreadsheet of leads (a plain multipart POST to `/import/upload`, see the
//! server crate), correct the column mapping, read the preview, commit, read the report.
use crate::error::AppError;
use crate::wire::imports::*;
use leptos::prelude::*;

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
    context::respond(imports::page(&state.db, &state.imports, &user, id).await)
}

/// Saves the corrected mapping and the duplicate mode (the preview follows them); another
/// sheet or header row (the file is read again and the mapping guessed anew); and the meaning of
/// unknown values (kept as aliases for later files).
#[server(endpoint = "imports/configure")]
pub async fn configure_import(
    id: i64,
    #[server(default)] mapping: Vec<String>,
    #[server(default)] duplicate_mode: String,
    #[server(default)] read: ReadChoice,
    #[server(default)] values: Vec<ValueChoice>,
) -> Result<(), AppError> {
    use crate::backend::{context, services::import_setup};
    let (state, user) = context::signed_in()?;
    let values: Vec<(String, String, String)> =
        values.into_iter().filter(|v| !v.code.trim().is_empty()).map(|v| (v.field, v.value, v.code)).collect();
    let change = import_setup::Change { sheet: &read.sheet, header_line: &read.header_line, values: &values };
    let done = context::respond(
        import_setup::configure(&state.db, &state.settings, &user, id, &mapping, &duplicate_mode, change).await,
    );
    // A plain post comes back to the form: it shows what was chosen, beside the error.
    let draft = crate::wire::imports::MappingDraft { id, mapping, duplicate_mode };
    context::keep_typed_if_refused(super::flash::IMPORT_MAPPING_DRAFT, &draft, done)
}

/// 放弃导入: deletes a batch not committed (its uploader, managers, admins), then shows the
/// import page, which names the discarded file (its name is returned, and left for that page).
#[server(endpoint = "imports/discard")]
pub async fn discard_import(id: i64) -> Result<String, AppError> {
    use crate::backend::{context, services::import_setup};
    let (state, user) = context::signed_in()?;
    let file_name = context::leave_ok(
        <DiscardImport as leptos::server_fn::ServerFn>::PATH,
        context::respond(import_setup::discard(&state.db, &state.imports, &user, id).await),
    )?;
    leptos_axum::redirect("/import");
    Ok(file_name)
}

/// The saved aliases (admins).
#[server(endpoint = "admin/aliases")]
pub async fn list_aliases() -> Result<Vec<AliasRow>, AppError> {
    use crate::backend::{context, services::value_aliases};
    let (state, user) = context::signed_in()?;
    context::respond(value_aliases::list(&state.db, &user).await)
}

/// An admin adds an alias: `alias` stands for `target`, written `field:code`
/// (`industry:energy_materials`).
#[server(endpoint = "admin/aliases/add")]
pub async fn add_alias(alias: String, target: String) -> Result<(), AppError> {
    use crate::backend::{context, services::value_aliases};
    let (state, user) = context::signed_in()?;
    let (field, code) = target.split_once(':').unwrap_or(("", ""));
    context::respond(value_aliases::add(&state.db, &user, field, &alias, code).await)
}

#[server(endpoint = "admin/aliases/remove")]
pub async fn remove_alias(id: i64) -> Result<(), AppError> {
    use crate::backend::{context, services::value_aliases};
    let (state, user) = context::signed_in()?;
    context::respond(value_aliases::remove(&state.db, &user, id).await)
}

/// Starts the commit; the page follows its progress.
#[server(endpoint = "imports/commit")]
pub async fn commit_import(id: i64) -> Result<(), AppError> {
    use crate::backend::{context, services::import_commit};
    let (state, user) = context::signed_in()?;
    context::respond(
        import_commit::start(&state.db, &state.settings, &state.background, &state.imports, &user, id).await,
    )
}
