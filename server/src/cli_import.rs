//! `lianzhao import FILE --as USER [--dry-run] [--duplicates skip|fill|overwrite]`: the same
//! upload, preview and commit as `/import`, for admins with files on the server.

use app::backend::services::{import_commit, import_setup, imports, ServiceError};
use app::backend::AppState;
use app::domain::import::ImportColumn;
use app::i18n::{tr, tr_args, Locale};
use app::wire::auth::SessionUser;
use std::path::Path;

fn explain(e: ServiceError) -> anyhow::Error {
    match e {
        ServiceError::Invalid(errors) => {
            anyhow::anyhow!(errors.iter().map(|e| tr_args(Locale::En, &e.key, &e.args)).collect::<Vec<_>>().join("; "))
        }
        ServiceError::Conflict(key) => anyhow::anyhow!(tr(Locale::En, &key).to_string()),
        other => anyhow::anyhow!(other),
    }
}

pub async fn run(
    state: &AppState,
    actor: &SessionUser,
    file: &Path,
    dry_run: bool,
    duplicates: &str,
) -> anyhow::Result<()> {
    let bytes = std::fs::read(file)?;
    let name = file.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let id = imports::upload(&state.db, &state.settings, actor, &name, bytes).await.map_err(explain)?;
    let page = imports::page(&state.db, &state.imports, actor, id).await.map_err(explain)?;
    import_setup::configure(&state.db, &state.settings, actor, id, &page.mapping, duplicates, Default::default())
        .await
        .map_err(explain)?;
    let page = imports::page(&state.db, &state.imports, actor, id).await.map_err(explain)?;
    println!("{name}: {} rows; columns:", page.summary.row_count);
    for (header, code) in page.headers.iter().zip(&page.mapping) {
        let field = ImportColumn::parse(code).map(|c| tr(Locale::En, c.label_key())).unwrap_or("(not imported)");
        println!("  {header:<24} → {field}");
    }
    let c = &page.counts;
    println!(
        "new {}, duplicate {}, invalid {} → create {}, update {}, skip {}, fail {}",
        c.new, c.duplicate, c.invalid, c.create, c.update, c.skip, c.invalid
    );
    for row in page.rows.iter().filter(|r| !r.issues.is_empty()).take(20) {
        println!("  line {}: {}", row.line, imports::reasons(&row.issues, &page.headers, Locale::En));
    }
    if dry_run {
        println!("Dry run: nothing saved to the leads. The preview is kept as /import/{id}.");
        return Ok(());
    }
    import_commit::claim(&state.db, &state.settings, &state.imports, actor, id).await.map_err(explain)?;
    let outcome =
        import_commit::run(&state.db, &state.imports, state.settings.import_lease, actor, id).await.map_err(explain)?;
    println!(
        "Imported: created {}, updated {}, skipped {}, failed {}.",
        outcome.created, outcome.updated, outcome.skipped, outcome.failed
    );
    if outcome.failed > 0 {
        let report = file.with_extension("failed.xlsx");
        let xlsx = imports::failed_rows_xlsx(&state.db, actor, id, Locale::ZhCn).await.map_err(explain)?;
        std::fs::write(&report, xlsx)?;
        println!("Failed rows with their reasons: {}", report.display());
    }
    Ok(())
}
