//! Lists as files: the filtered lead list (`lead_export`) and the problem list, as `.xlsx` or `.csv` (UTF-8 with
//! a BOM so Excel reads the Chinese). All matching rows, not just the page on screen; what the
//! reader may see only. Text cells are formula-escaped in CSV and always text in xlsx; long
//! digit strings stay exact text when Excel opens the CSV; text longer than a cell is cut with a
//! note, rows beyond a sheet go on to the next sheet.

use super::ServiceError;
use crate::domain::export::{csv_line, fit_cell};
use crate::i18n::{tr, Locale};
use crate::wire::auth::SessionUser;
use crate::wire::problems::ProblemFilter;
use rust_xlsxwriter::{Format, Workbook};
use sea_orm::ConnectionTrait;

pub enum Value {
    Text(String),
    Number(f64),
    Empty,
}

pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

pub(super) fn text(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

pub(super) fn num(v: Option<f64>) -> Value {
    v.map(Value::Number).unwrap_or(Value::Empty)
}

pub(super) fn label(locale: Locale, prefix: &str, code: &str) -> String {
    if code.is_empty() {
        String::new()
    } else {
        tr(locale, &format!("{prefix}.{code}")).to_string()
    }
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

/// Where an export's rows go as they are read: the file being written, one row at a time,
/// so a 100,000-lead export never holds its rows twice (as read and as cells).
pub trait Sink {
    /// One row of cells, in the headers' order.
    /// Errors: `Internal` when the file's writer refuses.
    fn row(&mut self, row: &[Value]) -> Result<(), ServiceError>;
}

/// A CSV file being written: UTF-8 with a BOM, whole numbers without decimals, text escaped by
/// `domain::export::csv_line` (formula-safe, long digit strings kept as text).
pub struct CsvSink {
    out: String,
}

impl CsvSink {
    /// The file with its header line.
    pub fn new(headers: &[String]) -> CsvSink {
        let mut out = String::from("\u{feff}");
        out.push_str(&csv_line(headers));
        CsvSink { out }
    }

    /// The file's bytes.
    pub fn finish(self) -> Vec<u8> {
        self.out.into_bytes()
    }
}

impl Sink for CsvSink {
    fn row(&mut self, row: &[Value]) -> Result<(), ServiceError> {
        let fields: Vec<String> = row
            .iter()
            .map(|v| match v {
                Value::Text(t) => t.clone(),
                Value::Number(n) if n.fract() == 0.0 => format!("{n:.0}"),
                Value::Number(n) => n.to_string(),
                Value::Empty => String::new(),
            })
            .collect();
        self.out.push_str(&csv_line(&fields));
        Ok(())
    }
}

/// The table as CSV bytes (see [`CsvSink`]).
pub fn to_csv(table: &Table) -> Vec<u8> {
    let mut sink = CsvSink::new(&table.headers);
    for row in &table.rows {
        // Writing to a String cannot fail.
        let _ = sink.row(row);
    }
    sink.finish()
}

/// Rows a worksheet holds (Excel and WPS: 1,048,576, the header included).
pub const SHEET_ROWS: usize = 1_048_576;

/// A workbook being written, a row at a time into temporary files: text cells always text
/// (never a formula), text longer than a cell holds cut with a visible note; more rows than a sheet holds go on to further sheets
/// (`名称 (2)` …), each with the header.
pub struct XlsxSink {
    book: Workbook,
    name: String,
    headers: Vec<String>,
    /// Data rows a sheet takes (its header aside).
    per_sheet: usize,
    sheets: usize,
    /// Data rows in the current sheet.
    rows: usize,
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> ServiceError {
    ServiceError::Internal(format!("xlsx: {e}"))
}

/// Runs `f`, answering `Internal` if it panics: rust_xlsxwriter's constant memory mode unwraps
/// the creation of each sheet's temporary file and its writes (a full or unwritable temporary
/// directory), which must not end a request's task.
fn guarded<T>(f: impl FnOnce() -> Result<T, ServiceError>) -> Result<T, ServiceError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|_| {
        Err(ServiceError::Internal(format!(
            "xlsx: its temporary file in {} could not be written",
            std::env::temp_dir().display()
        )))
    })
}

impl XlsxSink {
    /// A workbook whose first sheet is `sheet`, with `sheet_rows` rows a sheet (the header
    /// included). Errors: `Internal` when rust_xlsxwriter refuses the name (over 31 characters
    /// or with `[]:*?/\`).
    pub fn new(sheet: &str, headers: &[String], sheet_rows: usize) -> Result<XlsxSink, ServiceError> {
        let mut sink = XlsxSink {
            book: Workbook::new(),
            name: sheet.to_string(),
            headers: headers.to_vec(),
            per_sheet: sheet_rows.saturating_sub(1).max(1),
            sheets: 0,
            rows: 0,
        };
        guarded(|| sink.next_sheet())?;
        Ok(sink)
    }

    fn next_sheet(&mut self) -> Result<(), ServiceError> {
        let bold = Format::new().set_bold();
        let n = self.sheets;
        // Rows go to a temporary file as they are written (rust_xlsxwriter's constant memory
        // mode): in order, and the column widths before the first row.
        let ws = self.book.add_worksheet_with_constant_memory();
        ws.set_name(if n == 0 { self.name.clone() } else { format!("{} ({})", self.name, n + 1) })
            .map_err(xlsx_error)?;
        ws.set_column_width(1, 30).map_err(xlsx_error)?;
        for (c, h) in self.headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, fit_cell(h), &bold).map_err(xlsx_error)?;
        }
        self.sheets += 1;
        self.rows = 0;
        Ok(())
    }

    fn write_row(&mut self, row: &[Value]) -> Result<(), ServiceError> {
        if self.rows == self.per_sheet {
            self.next_sheet()?;
        }
        let r = self.rows as u32 + 1;
        let ws = self.book.worksheet_from_index(self.sheets - 1).map_err(xlsx_error)?;
        for (c, v) in row.iter().enumerate() {
            let c = c as u16;
            match v {
                // Always a string cell: never a formula, whatever it starts with.
                Value::Text(t) => {
                    ws.write_string(r, c, fit_cell(t)).map_err(xlsx_error)?;
                }
                Value::Number(n) => {
                    ws.write_number(r, c, *n).map_err(xlsx_error)?;
                }
                Value::Empty => {}
            }
        }
        self.rows += 1;
        Ok(())
    }

    /// The workbook's bytes. Errors: `Internal` when it cannot be written.
    pub fn finish(mut self) -> Result<Vec<u8>, ServiceError> {
        guarded(move || self.book.save_to_buffer().map_err(xlsx_error))
    }
}

impl Sink for XlsxSink {
    fn row(&mut self, row: &[Value]) -> Result<(), ServiceError> {
        guarded(|| self.write_row(row))
    }
}

/// The table as a workbook (see [`XlsxSink`]).
/// Errors: as [`XlsxSink::new`] and [`XlsxSink::finish`].
pub fn to_xlsx(sheet: &str, table: &Table) -> Result<Vec<u8>, ServiceError> {
    to_xlsx_sheets(sheet, table, SHEET_ROWS)
}

/// `to_xlsx` with `sheet_rows` rows per sheet (the header included).
/// Errors: as [`to_xlsx`].
pub fn to_xlsx_sheets(sheet: &str, table: &Table, sheet_rows: usize) -> Result<Vec<u8>, ServiceError> {
    let mut sink = XlsxSink::new(sheet, &table.headers, sheet_rows)?;
    for row in &table.rows {
        sink.row(row)?;
    }
    sink.finish()
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
