//! 亩均效益 figures files: upload an .xlsx or .csv of one year's figures per enterprise (the
//! same file reading and limits as the lead import: sheet, header row found below titles, units
//! from headers, errors at the cell), read the preview, save. Enterprises are joined by USCC; an
//! unknown USCC with a name adds the enterprise to the zone's list. Saving replaces the year's
//! figures of the enterprises in the file and regrades the years it touched. Managers and admins.

use super::efficiency_grading::regrade;
use super::ServiceError;
use crate::backend::db::begin_write;
use crate::backend::entities::{efficiency_batch, enterprise, enterprise_figure};
use crate::backend::Settings;
use crate::domain::efficiency_import::{guess, FigureColumn, FigureReader};
use crate::domain::import_table::HEADER_SEARCH_ROWS;
use crate::domain::lead::FieldError;
use crate::domain::sheet::{self, table_at, Grid};
use crate::wire::auth::SessionUser;
use crate::wire::efficiency::{CellProblem, FigureBatchPage, FigureLine};
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait};
use std::collections::{HashMap, HashSet};

/// Rows shown in a preview.
const PREVIEW_ROWS: usize = 200;

/// The likeliest header among the first rows: the one naming the most figure columns.
fn find_header(grid: &Grid) -> usize {
    let mut best = (0, 0);
    for (i, (_, cells)) in grid.rows.iter().take(HEADER_SEARCH_ROWS).enumerate() {
        let n = cells.iter().filter_map(|c| guess(c)).collect::<HashSet<_>>().len();
        if n > best.1 {
            best = (i, n);
        }
    }
    best.0
}

/// A 合计/总计 line under the table, not an enterprise.
fn is_total(cells: &[String]) -> bool {
    cells.iter().any(|c| matches!(c.trim(), "合计" | "总计" | "小计" | "Total" | "total"))
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, ServiceError> {
    serde_json::to_string(v).map_err(|e| ServiceError::Internal(e.to_string()))
}

/// Reads the file for year `year_text` (the year a row without a 年度 cell belongs to) and keeps
/// its rows as a batch awaiting the preview; returns its id.
/// Errors: `Forbidden` (not a manager or admin), `Invalid` at `year` (not a year 1990–2200), at
/// `file` (what the lead import refuses: too large, too many rows, unreadable, …; or
/// `err.import.no_rows`; or `err.efficiency.no_uscc_column`), `Internal`, `Db`.
pub async fn upload(
    db: &impl ConnectionTrait,
    settings: &Settings,
    actor: &SessionUser,
    file_name: &str,
    bytes: &[u8],
    year_text: &str,
) -> Result<i64, ServiceError> {
    if !actor.role.assigns_leads() {
        return Err(ServiceError::Forbidden);
    }
    let year = match year_text.trim().parse::<i32>() {
        Ok(y) if (1990..=2200).contains(&y) => y,
        _ => return Err(ServiceError::Invalid(vec![FieldError::new("year", "err.efficiency.year")])),
    };
    let _slot = super::import_work::slot().await?;
    let book = sheet::read_workbook(bytes, &settings.import_limits)?;
    let grid = book.sheet(None).ok_or(sheet::SheetError::Empty)?;
    let table = table_at(grid, find_header(grid))?;
    let reader = FigureReader::new(&table.headers, year);
    if !reader.missing().is_empty() {
        return Err(ServiceError::Invalid(vec![FieldError::new("file", "err.efficiency.no_uscc_column")]));
    }
    let mut lines: Vec<FigureLine> = Vec::new();
    for (cells, line) in table.rows.iter().zip(&table.lines) {
        if is_total(cells) {
            continue;
        }
        let (row, problems) = match reader.read(cells) {
            Ok(row) => (Some(row), Vec::new()),
            Err(errors) => (None, errors),
        };
        let cell = |i: usize| cells.get(i).map(|c| c.trim().to_string()).unwrap_or_default();
        let column_of = |c: FigureColumn| reader.mapping().iter().position(|m| *m == Some(c));
        lines.push(FigureLine {
            line: *line,
            uscc: row
                .as_ref()
                .map(|r| r.uscc.clone())
                .unwrap_or_else(|| column_of(FigureColumn::Uscc).map(cell).unwrap_or_default()),
            name: row
                .as_ref()
                .map(|r| r.name.clone())
                .unwrap_or_else(|| column_of(FigureColumn::Name).map(cell).unwrap_or_default()),
            year: row.as_ref().map(|r| r.year).unwrap_or(year),
            figures: row.map(|r| r.figures).unwrap_or_default(),
            enterprise_id: None,
            known_name: None,
            replaces: false,
            problems: problems
                .into_iter()
                .map(|e| CellProblem {
                    column: table.headers.get(e.column).cloned().unwrap_or_default(),
                    key: e.error.key,
                    args: e.error.args,
                })
                .collect(),
        });
    }
    if lines.is_empty() {
        return Err(ServiceError::Invalid(vec![FieldError::new("file", "err.import.no_rows")]));
    }
    let uscc_header = column_of_header(&reader, &table.headers, FigureColumn::Uscc);
    let name: String = file_name.chars().rev().take(200).collect::<Vec<_>>().into_iter().rev().collect();
    resolve(db, &mut lines, &uscc_header).await?;
    let mapping: Vec<(String, String)> = table
        .headers
        .iter()
        .zip(reader.mapping())
        .map(|(h, c)| (h.clone(), c.map(|c| c.label_key()).unwrap_or_default()))
        .collect();
    let row_count = lines.len() as i32;
    let saved = efficiency_batch::ActiveModel {
        user_id: Set(actor.id),
        file_name: Set(if name.trim().is_empty() { "upload".into() } else { name }),
        year: Set(year),
        row_count: Set(row_count),
        rows: Set(json(&Stored { mapping, lines })?),
        status: Set("preview".into()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(saved.id)
}

fn column_of_header(reader: &FigureReader, headers: &[String], c: FigureColumn) -> String {
    reader.mapping().iter().position(|m| *m == Some(c)).and_then(|i| headers.get(i).cloned()).unwrap_or_default()
}

/// Matches each readable line to its enterprise by USCC; a USCC twice in the file, or an unknown
/// one without a name, is a problem at the USCC cell.
async fn resolve(db: &impl ConnectionTrait, lines: &mut [FigureLine], uscc_header: &str) -> Result<(), ServiceError> {
    let codes: Vec<String> = lines
        .iter()
        .filter(|l| l.problems.is_empty())
        .map(|l| l.uscc.clone())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut known: HashMap<String, enterprise::Model> = HashMap::new();
    for chunk in codes.chunks(500) {
        for e in enterprise::Entity::find().filter(enterprise::Column::Uscc.is_in(chunk.to_vec())).all(db).await? {
            if let Some(u) = e.uscc.clone() {
                known.insert(u, e);
            }
        }
    }
    let ids: Vec<i64> = known.values().map(|e| e.id).collect();
    let mut have: HashSet<(i64, i32)> = HashSet::new();
    for chunk in ids.chunks(500) {
        for f in enterprise_figure::Entity::find()
            .filter(enterprise_figure::Column::EnterpriseId.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            have.insert((f.enterprise_id, f.year));
        }
    }
    let mut seen: HashSet<(String, i32)> = HashSet::new();
    for l in lines.iter_mut().filter(|l| l.problems.is_empty()) {
        let problem = |key: &str, value: &str| CellProblem {
            column: uscc_header.to_string(),
            key: key.to_string(),
            args: vec![("value".into(), value.to_string())],
        };
        if !seen.insert((l.uscc.clone(), l.year)) {
            let p = problem("err.efficiency.uscc_twice", &l.uscc);
            l.problems.push(p);
            continue;
        }
        match known.get(&l.uscc) {
            Some(e) => {
                l.enterprise_id = Some(e.id);
                l.known_name = (!l.name.is_empty() && l.name != e.name).then(|| e.name.clone());
                l.replaces = have.contains(&(e.id, l.year));
            }
            None if l.name.trim().is_empty() => {
                let p = problem("err.efficiency.name_needed", &l.uscc);
                l.problems.push(p);
            }
            None => {}
        }
    }
    Ok(())
}

/// The batch (managers and admins).
/// Errors: `Forbidden`, `NotFound`, `Db`.
async fn find(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    id: i64,
) -> Result<efficiency_batch::Model, ServiceError> {
    if !actor.role.assigns_leads() {
        return Err(ServiceError::Forbidden);
    }
    efficiency_batch::Entity::find_by_id(id).one(db).await?.ok_or(ServiceError::NotFound)
}

/// What a batch keeps: each header with the label key of its column, and the rows as read.
#[derive(serde::Serialize, serde::Deserialize)]
struct Stored {
    mapping: Vec<(String, String)>,
    lines: Vec<FigureLine>,
}

fn stored(b: &efficiency_batch::Model) -> Result<Stored, ServiceError> {
    serde_json::from_str(&b.rows).map_err(|e| ServiceError::Internal(format!("efficiency batch {}: {e}", b.id)))
}

/// The batch's preview: counts, the columns as read, and at most 200 rows (problems first).
/// Errors: `Forbidden` (not a manager or admin), `NotFound`, `Internal`, `Db`.
pub async fn page(db: &impl ConnectionTrait, actor: &SessionUser, id: i64) -> Result<FigureBatchPage, ServiceError> {
    let b = find(db, actor, id).await?;
    let Stored { mapping, lines } = stored(&b)?;
    let ok = |l: &&FigureLine| l.problems.is_empty();
    let new_count = lines.iter().filter(ok).filter(|l| l.enterprise_id.is_none()).count();
    let problem_count = lines.iter().filter(|l| !l.problems.is_empty()).count();
    let mut rows: Vec<FigureLine> =
        lines.iter().filter(|l| !l.problems.is_empty()).take(PREVIEW_ROWS).cloned().collect();
    rows.extend(lines.iter().filter(ok).take(PREVIEW_ROWS - rows.len()).cloned());
    Ok(FigureBatchPage {
        id: b.id,
        file_name: b.file_name,
        year: b.year,
        can_commit: b.status == "preview" && problem_count < lines.len(),
        status: b.status,
        row_count: b.row_count,
        new_count,
        update_count: lines.len() - new_count - problem_count,
        problem_count,
        mapping,
        rows,
        created: b.created,
        updated: b.updated,
        failed: b.failed,
    })
}

/// Saves the batch's readable rows in one transaction: each enterprise found (or added) by USCC,
/// its figures for the row's year inserted or replaced; then regrades those years. Rows with
/// problems are left out (counted as failed). Returns the batch's page.
/// Errors: `Forbidden`, `NotFound`, `Conflict("err.import.not_editable_now")` (already saved),
/// `Internal`, `Db`.
pub async fn commit<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &SessionUser,
    id: i64,
) -> Result<FigureBatchPage, ServiceError> {
    let b = find(db, actor, id).await?;
    let lines = stored(&b)?.lines;
    let txn = begin_write(db).await?;
    // Claim it: a second click or a second instance finds it saved.
    let claimed = efficiency_batch::Entity::update_many()
        .col_expr(efficiency_batch::Column::Status, Expr::value("done"))
        .filter(efficiency_batch::Column::Id.eq(id))
        .filter(efficiency_batch::Column::Status.eq("preview"))
        .exec(&txn)
        .await?;
    if claimed.rows_affected == 0 {
        return Err(ServiceError::Conflict("err.import.not_editable_now".into()));
    }
    let now = Utc::now();
    let (mut created, mut updated, mut failed) = (0, 0, 0);
    let mut years: Vec<i32> = Vec::new();
    for l in &lines {
        if !l.problems.is_empty() {
            failed += 1;
            continue;
        }
        let found = enterprise::Entity::find().filter(enterprise::Column::Uscc.eq(l.uscc.as_str())).one(&txn).await?;
        let enterprise_id = match found {
            Some(e) => e.id,
            None => {
                enterprise::ActiveModel {
                    name: Set(l.name.clone()),
                    uscc: Set(Some(l.uscc.clone())),
                    is_leader: Set(false),
                    grade: Set(None),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?
                .id
            }
        };
        let f = &l.figures;
        let existing = enterprise_figure::Entity::find()
            .filter(enterprise_figure::Column::EnterpriseId.eq(enterprise_id))
            .filter(enterprise_figure::Column::Year.eq(l.year))
            .one(&txn)
            .await?;
        let mut m = match &existing {
            Some(e) => enterprise_figure::ActiveModel { id: Set(e.id), ..Default::default() },
            None => <enterprise_figure::ActiveModel as Default>::default(),
        };
        m.enterprise_id = Set(enterprise_id);
        m.year = Set(l.year);
        m.land_mu = Set(f.land_mu);
        m.tax_wan = Set(f.tax_wan);
        m.revenue_wan = Set(f.revenue_wan);
        m.added_value_wan = Set(f.added_value_wan);
        m.energy_tce = Set(f.energy_tce);
        m.rd_wan = Set(f.rd_wan);
        m.employees = Set(f.employees);
        m.batch_id = Set(Some(id));
        m.updated_by = Set(actor.id);
        m.updated_at = Set(now);
        if existing.is_some() {
            m.update(&txn).await?;
            updated += 1;
        } else {
            m.insert(&txn).await?;
            created += 1;
        }
        if !years.contains(&l.year) {
            years.push(l.year);
        }
    }
    efficiency_batch::Entity::update_many()
        .col_expr(efficiency_batch::Column::Created, Expr::value(created))
        .col_expr(efficiency_batch::Column::Updated, Expr::value(updated))
        .col_expr(efficiency_batch::Column::Failed, Expr::value(failed))
        .col_expr(efficiency_batch::Column::FinishedAt, Expr::value(Some(now)))
        .filter(efficiency_batch::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    years.sort_unstable();
    for year in years {
        regrade(db, year).await?;
    }
    page(db, actor, id).await
}
