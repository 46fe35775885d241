//! Where the table is in an office's sheet: a merged title row, a 填报单位 line and a
//! `单位：万元` note often sit above the header. The header is the row among the first ones
//! that names the most known columns (the user may pick another in the preview); a unit note
//! above it is the default unit for amounts.

use super::import::guess;
use super::import_units::{note_unit, Unit};
use super::sheet::{into_table, Grid, Sheet, SheetError, Workbook};
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
    let mut best = (0, 0);
    for (i, (_, cells)) in grid.rows.iter().take(HEADER_SEARCH_ROWS).enumerate() {
        let n = known_columns(cells);
        if n > best.1 {
            best = (i, n);
        }
    }
    best.0
}

fn summary(cells: &[String]) -> String {
    let text = cells.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect::<Vec<_>>().join(" | ");
    let mut short: String = text.chars().take(60).collect();
    if text.chars().count() > 60 {
        short.push('…');
    }
    short
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
    let header = header_line
        .and_then(|line| grid.rows.iter().take(HEADER_SEARCH_ROWS).position(|(l, _)| *l == line))
        .unwrap_or_else(|| find_header(&grid));
    let amount_unit =
        grid.rows.iter().take(header).flat_map(|(_, cells)| cells.iter()).find_map(|cell| note_unit(cell));
    let header_line = grid.rows.get(header).map(|(l, _)| *l).ok_or(SheetError::Empty)?;
    let candidates = grid.rows.iter().take(HEADER_SEARCH_ROWS).map(|(l, cells)| (*l, summary(cells))).collect();
    let sheet_name = grid.name.clone();
    let table = into_table(grid, header)?;
    let layout = Layout { sheets, sheet: sheet_name, header_line, candidates, amount_unit, lines: table.lines.clone() };
    Ok((table, layout))
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
