//! Where the table is in an office's sheet: a merged title row, a 填报单位 line and a
//! `单位：万元` note often sit above the header. The header is the row among the first ones
//! that names the most known columns (the user may pick another in the preview); a unit note
//! above it is the default unit for amounts.

use super::import::guess;
use super::import_units::{note_unit, Unit};
use super::sheet::{each_row, into_table, Grid, Limits, Sheet, SheetError, Workbook};
use serde::{Deserialize, Serialize};

/// The header is looked for among this many first non-blank rows.
pub const HEADER_SEARCH_ROWS: usize = 10;

/// How a file was read: which sheet, which row is the header, the unit note above it, and
/// each data row's number. Kept with the import batch.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Layout {
    /// The visible sheets holding data (empty for a text file).
    pub sheets: Vec<String>,
    pub sheet: Option<String>,
    /// The header's row number, as the spreadsheet program shows it.
    pub header_line: usize,
    /// The rows the header may be chosen from: (row number, its first cells).
    pub candidates: Vec<(usize, String)>,
    /// The unit a note above the table gives to amounts ("单位：万元").
    pub amount_unit: Option<Unit>,
    /// Each data row's number.
    pub lines: Vec<usize>,
}

/// How many distinct known columns a row's cells name.
fn known_columns(cells: &[String]) -> usize {
    let mut seen = Vec::new();
    for c in cells.iter().filter_map(|c| guess(c)) {
        if !seen.contains(&c) {
            seen.push(c);
        }
    }
    seen.len()
}

/// The index (among `grid`'s non-blank rows) of the likeliest header: the first of the rows
/// naming the most known columns; the first row when none names any.
pub fn find_header(grid: &Grid) -> usize {
    likeliest(&grid.rows)
}

/// [`find_header`] among `rows`' first [`HEADER_SEARCH_ROWS`].
fn likeliest(rows: &[(usize, Vec<String>)]) -> usize {
    let mut best = (0, 0);
    for (i, (_, cells)) in rows.iter().take(HEADER_SEARCH_ROWS).enumerate() {
        let n = known_columns(cells);
        if n > best.1 {
            best = (i, n);
        }
    }
    best.0
}

/// A row as the header picker shows it: its cells joined by " | ", an empty one among them as
/// "—" (so the columns line up with the user's sheet), the empty ones at its end left out, cut
/// at 60 characters.
fn summary(cells: &[String]) -> String {
    let last = cells.iter().rposition(|c| !c.trim().is_empty()).map_or(0, |i| i + 1);
    let shown = cells[..last].iter().map(|c| if c.trim().is_empty() { "—" } else { c.trim() });
    let text = shown.collect::<Vec<_>>().join(" | ");
    let mut short: String = text.chars().take(60).collect();
    if text.chars().count() > 60 {
        short.push('…');
    }
    short
}

/// What the first rows of a sheet say: which is the header, its row number, the unit a note
/// above it gives, and the rows the user may pick instead.
struct Head {
    /// Index of the header among the first rows.
    at: usize,
    headers: Vec<String>,
    line: usize,
    amount_unit: Option<Unit>,
    candidates: Vec<(usize, String)>,
}

/// The header among `first` (a sheet's first [`HEADER_SEARCH_ROWS`] non-blank rows, or all of
/// them): the row numbered `header_line` if it is one of them, else the likeliest.
/// Errors: `Empty` (no rows, or a header of blank cells).
fn head(first: &[(usize, Vec<String>)], header_line: Option<usize>) -> Result<Head, SheetError> {
    let first = &first[..first.len().min(HEADER_SEARCH_ROWS)];
    let at =
        header_line.and_then(|line| first.iter().position(|(l, _)| *l == line)).unwrap_or_else(|| likeliest(first));
    let (line, cells) = first.get(at).ok_or(SheetError::Empty)?;
    let headers: Vec<String> = cells.iter().map(|h| h.trim().to_string()).collect();
    if headers.iter().all(String::is_empty) {
        return Err(SheetError::Empty);
    }
    Ok(Head {
        at,
        headers,
        line: *line,
        amount_unit: first.iter().take(at).flat_map(|(_, cells)| cells.iter()).find_map(|cell| note_unit(cell)),
        candidates: first.iter().map(|(l, cells)| (*l, summary(cells))).collect(),
    })
}

/// The table of `sheet` (else the active one) with its header on row `header_line` (else
/// found), and how it was read. Takes the book: the table's rows are moved out of it, not copied.
pub fn read_table(
    mut book: Workbook,
    sheet: Option<&str>,
    header_line: Option<usize>,
) -> Result<(Sheet, Layout), SheetError> {
    let sheets = book.names();
    let at = book.position(sheet).ok_or(SheetError::Empty)?;
    let grid = book.sheets.swap_remove(at);
    let head = head(&grid.rows, header_line)?;
    let sheet_name = grid.name.clone();
    let table = into_table(grid, head.at)?;
    let layout = Layout {
        sheets,
        sheet: sheet_name,
        header_line: head.line,
        candidates: head.candidates,
        amount_unit: head.amount_unit,
        lines: table.lines.clone(),
    };
    Ok((table, layout))
}

/// [`read_table`] straight from a file's bytes, the data rows handed to `row` one by one as they
/// are read instead of kept (only the first [`HEADER_SEARCH_ROWS`] wait until the header is
/// found): the table's header and how it was read (`Layout::lines` numbers the rows given).
/// Errors: those of [`each_row`] (as `E`), or `row`'s.
pub fn stream_table<E: From<SheetError>>(
    bytes: &[u8],
    limits: &Limits,
    sheet: Option<&str>,
    header_line: Option<usize>,
    row: impl FnMut(Vec<String>) -> Result<(), E>,
) -> Result<(Vec<String>, Layout), E> {
    let mut table = Streamed { first: Vec::new(), head: None, lines: Vec::new(), row, header_line };
    let sheets = each_row(bytes, limits, sheet, |line, cells| table.take(line, cells))?;
    if table.head.is_none() {
        table.found()?;
    }
    let head = table.head.ok_or(SheetError::Empty)?;
    let layout = Layout {
        sheets: sheets.names,
        sheet: sheets.read,
        header_line: head.line,
        candidates: head.candidates,
        amount_unit: head.amount_unit,
        lines: table.lines,
    };
    Ok((head.headers, layout))
}

/// A table being read row by row: its first rows until the header is found, then each data row
/// handed on.
struct Streamed<F> {
    first: Vec<(usize, Vec<String>)>,
    head: Option<Head>,
    lines: Vec<usize>,
    row: F,
    header_line: Option<usize>,
}

impl<F> Streamed<F> {
    fn take<E: From<SheetError>>(&mut self, line: usize, cells: Vec<String>) -> Result<(), E>
    where
        F: FnMut(Vec<String>) -> Result<(), E>,
    {
        if self.head.is_some() {
            self.lines.push(line);
            return (self.row)(cells);
        }
        self.first.push((line, cells));
        if self.first.len() == HEADER_SEARCH_ROWS {
            self.found()?;
        }
        Ok(())
    }

    /// The header found among the first rows; those after it handed on.
    fn found<E: From<SheetError>>(&mut self) -> Result<(), E>
    where
        F: FnMut(Vec<String>) -> Result<(), E>,
    {
        let head = head(&self.first, self.header_line)?;
        for (line, cells) in self.first.drain(head.at + 1..) {
            self.lines.push(line);
            (self.row)(cells)?;
        }
        self.first = Vec::new();
        self.head = Some(head);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[(usize, &[&str])]) -> Grid {
        Grid {
            name: Some("Sheet1".into()),
            rows: rows.iter().map(|(l, c)| (*l, c.iter().map(|s| s.to_string()).collect())).collect(),
        }
    }

    #[test]
    fn a_candidate_row_keeps_its_empty_cells_in_place() {
        let cells = |c: &[&str]| c.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            summary(&cells(&["填报单位：高新区招商局", "", " ", "单位：万元", "", ""])),
            "填报单位：高新区招商局 | — | — | 单位：万元"
        );
        assert_eq!(summary(&cells(&["2026年重点招商线索汇总表", "", ""])), "2026年重点招商线索汇总表");
        assert_eq!(summary(&cells(&["", ""])), "");
    }

    #[test]
    fn the_header_is_found_below_a_title_and_a_note() {
        let g = grid(&[
            (1, &["2026年重点招商线索汇总表"]),
            (2, &["填报单位：高新区招商局", "", "", "单位：万元"]),
            (3, &["序号", "企业名称", "统一社会信用代码", "行业", "计划投资", "联系人"]),
            (4, &["1", "南京华芯有限公司", "", "电子通信", "3000", "王"]),
        ]);
        let book = Workbook { sheets: vec![g], active: 0 };
        let (t, layout) = read_table(book.clone(), None, None).unwrap();
        assert_eq!(t.headers[1], "企业名称");
        assert_eq!(t.lines, vec![4]);
        assert_eq!(layout.header_line, 3);
        assert!(matches!(layout.amount_unit, Some(Unit::Money { wan_per_unit, .. }) if wan_per_unit == 1.0));
        // The user may pick another row.
        let (t, layout) = read_table(book, None, Some(2)).unwrap();
        assert_eq!(t.headers[0], "填报单位：高新区招商局");
        assert_eq!(layout.header_line, 2);
    }

    #[test]
    fn a_plain_file_keeps_its_first_row() {
        let g = grid(&[(1, &["foo", "bar"]), (2, &["1", "2"])]);
        assert_eq!(find_header(&g), 0);
    }
}

#[cfg(all(test, feature = "ssr"))]
mod streamed {
    use super::*;
    use crate::domain::sheet::read_workbook;

    /// The table as [`stream_table`] gives it: header, rows, layout.
    fn streamed(bytes: &[u8], sheet: Option<&str>, line: Option<usize>) -> (Vec<String>, Vec<Vec<String>>, Layout) {
        let mut rows = Vec::new();
        let (headers, layout) = stream_table(bytes, &Limits::default(), sheet, line, |r| {
            rows.push(r);
            Ok::<_, SheetError>(())
        })
        .unwrap();
        (headers, rows, layout)
    }

    fn whole(bytes: &[u8], sheet: Option<&str>, line: Option<usize>) -> (Vec<String>, Vec<Vec<String>>, Layout) {
        let (table, layout) = read_table(read_workbook(bytes, &Limits::default()).unwrap(), sheet, line).unwrap();
        (table.headers, table.rows, layout)
    }

    #[test]
    fn a_text_file_streamed_reads_as_read_whole_whatever_the_header() {
        let mut long = String::from("2026年重点招商线索汇总表\n填报单位：高新区招商局,,,单位：万元\n\n");
        long.push_str("序号,企业名称,统一社会信用代码,行业,计划投资,联系人\n");
        for i in 1..=40 {
            long.push_str(&format!("{i},南京{i}号有限公司,,电子通信,{},王\n", i * 100));
        }
        let short = "企业名称,地区\n华芯,南京\n\n博远,苏州\n";
        for text in [long.as_str(), short] {
            for line in [None, Some(1), Some(2), Some(4), Some(8), Some(30)] {
                let (h, rows, layout) = streamed(text.as_bytes(), None, line);
                assert_eq!((h, rows, layout), whole(text.as_bytes(), None, line), "header {line:?}");
            }
        }
        let (headers, rows, layout) = streamed(long.as_bytes(), None, None);
        assert_eq!(headers[1], "企业名称");
        assert_eq!((rows.len(), layout.header_line, layout.lines[0]), (40, 4, 5));
        assert!(layout.amount_unit.is_some());
        let refused = stream_table(b" , \n", &Limits::default(), None, None, |_| Ok::<_, SheetError>(()));
        assert_eq!(refused.err(), Some(SheetError::Empty));
        let rows = Limits { max_rows: 2, ..Limits::default() };
        let refused = stream_table(b"h\n1\n2\n3\n", &rows, None, None, |_| Ok::<_, SheetError>(()));
        assert_eq!(refused.err(), Some(SheetError::TooManyRows { max: 2 }));
    }

    #[test]
    fn a_workbook_streamed_reads_its_active_or_chosen_sheet_as_read_whole() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let lookup = book.add_worksheet().set_name("代码表").unwrap();
        lookup.write_string(0, 0, "行业代码").unwrap();
        lookup.set_hidden(true);
        let blank = book.add_worksheet().set_name("空表").unwrap();
        blank.write_string(3, 3, " ").unwrap();
        let a = book.add_worksheet().set_name("线索").unwrap();
        a.write_string(0, 0, "重点线索").unwrap();
        a.write_string(1, 0, "企业名称").unwrap();
        a.write_string(1, 2, "计划投资").unwrap();
        for r in 2..30u32 {
            a.write_string(r, 0, format!("企业{r}")).unwrap();
            a.write_number(r, 2, f64::from(r)).unwrap();
        }
        a.set_active(true);
        let b = book.add_worksheet().set_name("已签约").unwrap();
        b.write_string(0, 0, "企业名称").unwrap();
        b.write_string(1, 0, "华芯").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        for (sheet, line) in [(None, None), (Some("已签约"), None), (Some("线索"), Some(1)), (Some("没有"), None)]
        {
            assert_eq!(streamed(&bytes, sheet, line), whole(&bytes, sheet, line), "{sheet:?} {line:?}");
        }
        let (_, rows, layout) = streamed(&bytes, None, None);
        assert_eq!(layout.sheets, vec!["线索".to_string(), "已签约".into()], "hidden and blank sheets are not offered");
        assert_eq!((layout.sheet.as_deref(), rows.len(), rows[0][2].as_str()), (Some("线索"), 28, "2"));
    }
}
