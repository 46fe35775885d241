//! Lists as files: the filtered lead list and the problem list, as `.xlsx` or `.csv` (UTF-8 with
//! a BOM so Excel reads the Chinese). All matching rows, not just the page on screen; what the
//! reader may see only. Text cells are formula-escaped in CSV and always text in xlsx; long
//! digit strings stay exact text when Excel opens the CSV; text longer than a cell is cut with a
//! note, rows beyond a sheet go on to the next sheet.

use super::lead_list::{filtered, ordered};
use super::ServiceError;
use crate::backend::entities::{lead, team};
use crate::backend::local_time;
use crate::backend::regions::divisions;
use crate::domain::export::{csv_line, fit_cell};
use crate::domain::lead_filter::LeadFilter;
use crate::i18n::{tr, Locale};
use crate::wire::auth::SessionUser;
use crate::wire::problems::ProblemFilter;
use rust_xlsxwriter::{Format, Workbook};
use sea_orm::{ConnectionTrait, EntityTrait, QuerySelect};
use std::collections::HashMap;

/// The most rows one export carries.
pub const MAX_ROWS: u64 = 100_000;

pub enum Value {
    Text(String),
    Number(f64),
    Empty,
}

pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

fn text(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

fn num(v: Option<f64>) -> Value {
    v.map(Value::Number).unwrap_or(Value::Empty)
}

fn label(locale: Locale, prefix: &str, code: &str) -> String {
    if code.is_empty() {
        String::new()
    } else {
        tr(locale, &format!("{prefix}.{code}")).to_string()
    }
}

/// The lead list as a table for export: every lead `actor` may see that matches `filter`, in the
/// list's order, at most [`MAX_ROWS`]; labels and headers in `locale`, amounts in 万元, land in
/// 亩, `updated_at` in Asia/Shanghai.
/// Errors: `Invalid` at `owner` (a bad owner filter), `Db`, `Internal` (no score configuration).
pub async fn leads(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    filter: &LeadFilter,
    locale: Locale,
) -> Result<Table, ServiceError> {
    let major_project_wan = super::scoring::major_project_wan(db).await?;
    let q = filtered(db.get_database_backend(), actor, filter, major_project_wan)?;
    let rows = ordered(db.get_database_backend(), q, filter).limit(MAX_ROWS).all(db).await?;
    let who = super::users::names(db, rows.iter().filter_map(|r| r.owner_id)).await?;
    let teams: HashMap<i64, String> = team::Entity::find().all(db).await?.into_iter().map(|t| (t.id, t.name)).collect();
    let d = divisions();
    let headers = [
        "ID",
        "lead.company_name",
        "lead.uscc",
        "lead.region",
        "lead.industry",
        "lead.sector",
        "lead.stage",
        "lead.channel",
        "lead.planned_investment",
        "lead.land_mu",
        "lead.annual_output",
        "lead.annual_tax",
        "lead.jobs",
        "lead.score",
        "score.grade",
        "lead.owner",
        "nav.teams",
        "lead.updated_at",
    ]
    .iter()
    .map(|k| if k.contains('.') { tr(locale, k).to_string() } else { k.to_string() })
    .collect();
    let rows = rows
        .into_iter()
        .map(|l: lead::Model| {
            vec![
                Value::Number(l.id as f64),
                text(l.company_name.clone()),
                text(l.uscc.clone().unwrap_or_default()),
                text(d.view(&super::leads::region_of(&l)).names),
                text(label(locale, "industry", &l.industry)),
                text(label(locale, "sector", l.sector.as_deref().unwrap_or(""))),
                text(label(locale, "stage", &l.stage)),
                text(label(locale, "channel", &l.channel)),
                num(l.planned_investment_wan),
                num(l.land_mu),
                num(l.annual_output_wan),
                num(l.annual_tax_wan),
                num(l.jobs.map(|j| j as f64)),
                num(l.score),
                text(l.grade.clone().unwrap_or_default()),
                text(l.owner_id.and_then(|o| who.get(&o).cloned()).unwrap_or_default()),
                text(l.team_id.and_then(|t| teams.get(&t).cloned()).unwrap_or_default()),
                text(local_time(l.updated_at)),
            ]
        })
        .collect();
    Ok(Table { headers, rows })
}

/// The problem list as a table for export: what `problems::list` gives `actor` for `filter`
/// (so at most 500 rows, overdue first), labels and headers in `locale`.
/// Errors: `Db` only.
pub async fn problems(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    filter: &ProblemFilter,
    locale: Locale,
) -> Result<Table, ServiceError> {
    let list = super::problems::list(db, actor, filter, None).await?;
    let headers = [
        "lead.company_name",
        "problems.category",
        "problems.description",
        "problems.department",
        "problems.responsible",
        "problems.deadline",
        "problems.status",
    ]
    .iter()
    .map(|k| tr(locale, k).to_string())
    .collect();
    let rows = list
        .into_iter()
        .map(|p| {
            vec![
                text(p.company_name),
                text(label(locale, "problem.category", &p.category)),
                text(p.description),
                text(p.department),
                text(p.responsible),
                text(p.deadline.unwrap_or_default()),
                text(format!(
                    "{}{}",
                    label(locale, "problem.status", &p.status),
                    if p.overdue { format!(" · {}", tr(locale, "home.overdue")) } else { String::new() }
                )),
            ]
        })
        .collect();
    Ok(Table { headers, rows })
}

/// The table as CSV bytes: UTF-8 with a BOM, whole numbers without decimals, text escaped by
/// `domain::export::csv_line` (formula-safe, long digit strings kept as text).
pub fn to_csv(table: &Table) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    out.push_str(&csv_line(&table.headers));
    for row in &table.rows {
        let fields: Vec<String> = row
            .iter()
            .map(|v| match v {
                Value::Text(t) => t.clone(),
                Value::Number(n) if n.fract() == 0.0 => format!("{n:.0}"),
                Value::Number(n) => n.to_string(),
                Value::Empty => String::new(),
            })
            .collect();
        out.push_str(&csv_line(&fields));
    }
    out.into_bytes()
}

/// Rows a worksheet holds (Excel and WPS: 1,048,576, the header included).
pub const SHEET_ROWS: usize = 1_048_576;

/// The table as a workbook: text cells always text (never a formula), text longer than a cell
/// holds cut with a visible note; more rows than a sheet holds go on to further sheets
/// (`名称 (2)` …), each with the header.
/// Errors: `Internal` when rust_xlsxwriter refuses (e.g. a sheet name over 31 characters or
/// with `[]:*?/\`) or cannot write the buffer.
pub fn to_xlsx(sheet: &str, table: &Table) -> Result<Vec<u8>, ServiceError> {
    to_xlsx_sheets(sheet, table, SHEET_ROWS)
}

/// `to_xlsx` with `sheet_rows` rows per sheet (the header included).
/// Errors: as [`to_xlsx`].
pub fn to_xlsx_sheets(sheet: &str, table: &Table, sheet_rows: usize) -> Result<Vec<u8>, ServiceError> {
    let x = |e: rust_xlsxwriter::XlsxError| ServiceError::Internal(format!("xlsx: {e}"));
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let per_sheet = sheet_rows.saturating_sub(1).max(1);
    let chunks: Vec<&[Vec<Value>]> =
        if table.rows.is_empty() { vec![&table.rows[..]] } else { table.rows.chunks(per_sheet).collect() };
    for (n, rows) in chunks.into_iter().enumerate() {
        let ws = wb.add_worksheet();
        ws.set_name(if n == 0 { sheet.to_string() } else { format!("{sheet} ({})", n + 1) }).map_err(x)?;
        for (c, h) in table.headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, fit_cell(h), &bold).map_err(x)?;
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (r, c) = (r as u32 + 1, c as u16);
                match v {
                    // Always a string cell: never a formula, whatever it starts with.
                    Value::Text(t) => {
                        ws.write_string(r, c, fit_cell(t)).map_err(x)?;
                    }
                    Value::Number(n) => {
                        ws.write_number(r, c, *n).map_err(x)?;
                    }
                    Value::Empty => {}
                }
            }
        }
        ws.set_column_width(1, 30).map_err(x)?;
    }
    wb.save_to_buffer().map_err(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};

    fn read(bytes: Vec<u8>) -> Vec<(String, Vec<Vec<String>>)> {
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("a workbook");
        book.sheet_names()
            .into_iter()
            .map(|name| {
                let range = book.worksheet_range(&name).expect("a sheet");
                let rows = range.rows().map(|r| r.iter().map(Data::to_string).collect()).collect();
                (name, rows)
            })
            .collect()
    }

    #[test]
    fn rows_beyond_a_sheet_go_on_to_the_next_and_long_text_is_cut() {
        let table = Table {
            headers: vec!["行号".into(), "原因".into()],
            rows: (1..=5).map(|i| vec![Value::Number(i as f64), Value::Text("长".repeat(40_000 * (i % 2)))]).collect(),
        };
        let sheets = read(to_xlsx_sheets("failed", &table, 3).expect("written"));
        let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, vec!["failed", "failed (2)", "failed (3)"]);
        assert!(sheets.iter().all(|(_, rows)| rows[0] == vec!["行号", "原因"]), "each sheet has the header");
        let numbers: Vec<String> = sheets.iter().flat_map(|(_, rows)| rows[1..].iter().map(|r| r[0].clone())).collect();
        assert_eq!(numbers, vec!["1", "2", "3", "4", "5"], "no row lost");
        let cut = &sheets[0].1[1][1];
        assert_eq!(cut.chars().count(), crate::domain::export::MAX_CELL_CHARS);
        assert!(cut.ends_with(crate::domain::export::CUT_NOTE));
    }
}
