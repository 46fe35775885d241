//! The `.xlsx` side of `sheet`: the archive checked for zip bombs before anything is
//! expanded, the visible worksheets holding data (hidden and very-hidden ones — lookup tables
//! for drop-downs — are never read), Excel's active tab, and a worksheet's cells streamed into
//! rows, all kept ([`sheets`]) or handed on one by one ([`each_row`]).

use super::csv_read::MAX_COLUMNS;
use super::sheet_types::{Grid, Limits, SheetError, Sheets, Workbook};
use calamine::{open_workbook_from_rs, Reader, SheetType, SheetVisible, Xlsx};
use std::io::{Cursor, Read};

type Book<'a> = Xlsx<Cursor<&'a [u8]>>;

/// Inflates every entry into nothing, counting, and stops at the limit: what the archive
/// claims about sizes is not trusted.
pub(super) fn check_archive(bytes: &[u8], limits: &Limits) -> Result<(), SheetError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| SheetError::Unreadable)?;
    if archive.len() > limits.max_entries {
        return Err(SheetError::ZipBomb);
    }
    let mut left = limits.max_uncompressed;
    for i in 0..archive.len() {
        let entry = archive.by_index(i).map_err(|_| SheetError::Unreadable)?;
        if entry.size() > left {
            return Err(SheetError::ZipBomb);
        }
        let read =
            std::io::copy(&mut entry.take(left + 1), &mut std::io::sink()).map_err(|_| SheetError::Unreadable)?;
        if read > left {
            return Err(SheetError::ZipBomb);
        }
        left -= read;
    }
    Ok(())
}

/// Excel's active tab (`<workbookView activeTab="n">` in `xl/workbook.xml`), an index into all
/// sheets, hidden ones included; 0 when absent.
fn active_tab(bytes: &[u8]) -> usize {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else { return 0 };
    let Ok(entry) = archive.by_name("xl/workbook.xml") else { return 0 };
    let mut xml = String::new();
    if entry.take(1 << 20).read_to_string(&mut xml).is_err() {
        return 0;
    }
    let Some(view) = xml.find("<workbookView").map(|i| &xml[i..]) else { return 0 };
    let view = &view[..view.find('>').unwrap_or(view.len())];
    view.find("activeTab=\"")
        .map(|i| &view[i + "activeTab=\"".len()..])
        .and_then(|rest| rest.split('"').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// The opened workbook, the active tab's name and the visible worksheets' names.
fn open(bytes: &[u8]) -> Result<(Book<'_>, Option<String>, Vec<String>), SheetError> {
    let book: Book<'_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| SheetError::Unreadable)?;
    let active_name = book.sheets_metadata().get(active_tab(bytes)).map(|s| s.name.clone());
    let visible = book
        .sheets_metadata()
        .iter()
        .filter(|s| s.visible == SheetVisible::Visible && s.typ == SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect();
    Ok((book, active_name, visible))
}

/// Every visible worksheet's rows, the active one chosen.
pub(super) fn sheets(bytes: &[u8], limits: &Limits) -> Result<Workbook, SheetError> {
    let (mut book, active_name, visible) = open(bytes)?;
    let mut sheets = Vec::new();
    for name in visible {
        let mut rows = Vec::new();
        let read = rows_of(&mut book, &name, limits.max_rows, |line, cells| {
            rows.push((line, cells));
            Ok::<_, SheetError>(())
        });
        match read {
            Ok(()) => {}
            // Another sheet that cannot be read (too long, a cell calamine does not know) does
            // not refuse the file; the active one does.
            Err(_) if Some(&name) != active_name.as_ref() => continue,
            Err(e) => return Err(e),
        }
        if rows.is_empty() {
            continue;
        }
        sheets.push(Grid { name: Some(name), rows });
    }
    let active = sheets.iter().position(|g| g.name == active_name).unwrap_or(0);
    Ok(Workbook { sheets, active })
}

/// The rows of sheet `name` (else the active one, else the first holding data) handed to `row`
/// one by one; the other visible sheets are read only up to their first non-blank cell.
/// Errors: `Unreadable`, `Empty` (no sheet holds data), `TooManyRows`, `TooManyColumns`, or
/// `row`'s.
pub(super) fn each_row<E: From<SheetError>>(
    bytes: &[u8],
    limits: &Limits,
    name: Option<&str>,
    row: impl FnMut(usize, Vec<String>) -> Result<(), E>,
) -> Result<Sheets, E> {
    let (mut book, active_name, visible) = open(bytes)?;
    let names: Vec<String> = visible.into_iter().filter(|n| holds_data(&mut book, n)).collect();
    let pick = |wanted: Option<&str>| wanted.and_then(|w| names.iter().find(|n| n.as_str() == w));
    let read = pick(name).or_else(|| pick(active_name.as_deref())).or(names.first()).cloned();
    let Some(read) = read else { return Err(SheetError::Empty.into()) };
    rows_of(&mut book, &read, limits.max_rows, row)?;
    Ok(Sheets { names, read: Some(read) })
}

/// Whether the sheet has a non-blank cell (an unreadable one has none).
fn holds_data(book: &mut Book<'_>, name: &str) -> bool {
    let Ok(mut cells) = book.worksheet_cells_reader(name) else { return false };
    while let Ok(Some(cell)) = cells.next_cell() {
        if !calamine::Data::from(cell.get_value().clone()).to_string().trim().is_empty() {
            return true;
        }
    }
    false
}

/// One worksheet's non-blank rows, streamed (a sheet claiming a huge range costs nothing) and
/// handed to `row` as each one ends. A cell holding an error (`#N/A`, or a formula whose cached
/// result is one) reads as its error text.
fn rows_of<E: From<SheetError>>(
    book: &mut Book<'_>,
    name: &str,
    max_rows: usize,
    mut row: impl FnMut(usize, Vec<String>) -> Result<(), E>,
) -> Result<(), E> {
    let mut cells = book.worksheet_cells_reader(name).map_err(|_| SheetError::Unreadable)?;
    let mut current: Option<(usize, Vec<String>)> = None;
    let mut count = 0usize;
    while let Some(cell) = cells.next_cell().map_err(|_| SheetError::Unreadable)? {
        let (r, c) = cell.get_position();
        let text = calamine::Data::from(cell.get_value().clone()).to_string();
        if text.trim().is_empty() {
            continue;
        }
        let c = c as usize;
        if c >= MAX_COLUMNS {
            return Err(SheetError::TooManyColumns { max: MAX_COLUMNS }.into());
        }
        let line = r as usize + 1;
        // Cells arrive in row order; blank rows never start a row.
        if current.as_ref().map(|(l, _)| *l) != Some(line) {
            if count > max_rows {
                return Err(SheetError::TooManyRows { max: max_rows }.into());
            }
            count += 1;
            if let Some((l, done)) = current.take() {
                row(l, done)?;
            }
            current = Some((line, Vec::new()));
        }
        let Some((_, cells)) = current.as_mut() else { continue };
        if cells.len() <= c {
            cells.resize(c + 1, String::new());
        }
        cells[c] = text;
    }
    if let Some((l, done)) = current {
        row(l, done)?;
    }
    Ok(())
}
