//! An uploaded spreadsheet's bytes → its header and rows of text, within limits: `.xlsx`
//! (first worksheet; the zip is checked — entry count and the bytes it really inflates to —
//! before anything is expanded into memory, so zip bombs are refused cheaply) or `.csv` in
//! UTF-8 (with or without BOM) or GBK/GB18030. Pure: bytes in, table or error out; fuzzed
//! (`tests/fuzz`).

use super::csv_read::{self, CsvError, MAX_COLUMNS};
use calamine::{open_workbook_from_rs, Reader, Xlsx};
use std::io::{Cursor, Read};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest file accepted, in bytes.
    pub max_bytes: usize,
    /// Most data rows (the header not counted).
    pub max_rows: usize,
    /// Most bytes an xlsx may inflate to, all entries together.
    pub max_uncompressed: u64,
    /// Most entries in an xlsx archive.
    pub max_entries: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_bytes: 30 << 20, max_rows: 100_000, max_uncompressed: 300 << 20, max_entries: 500 }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sheet {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Why a file was refused; each has a message key (`err.import.*`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    #[error("file larger than {max} bytes")]
    TooLarge { max: usize },
    #[error("more than {max} rows")]
    TooManyRows { max: usize },
    #[error("more than {max} columns")]
    TooManyColumns { max: usize },
    #[error("no header row")]
    Empty,
    #[error("an old .xls workbook")]
    OldExcel,
    #[error("not a readable xlsx workbook")]
    Unreadable,
    #[error("text neither UTF-8 nor GBK")]
    Encoding,
    #[error("archive expands beyond the limits")]
    ZipBomb,
}

impl SheetError {
    pub fn message_key(&self) -> &'static str {
        match self {
            SheetError::TooLarge { .. } => "err.import.too_large",
            SheetError::TooManyRows { .. } => "err.import.too_many_rows",
            SheetError::TooManyColumns { .. } => "err.import.too_many_columns",
            SheetError::Empty => "err.import.empty",
            SheetError::OldExcel => "err.import.old_excel",
            SheetError::Unreadable => "err.import.unreadable",
            SheetError::Encoding => "err.import.encoding",
            SheetError::ZipBomb => "err.import.zip_bomb",
        }
    }

    /// The number the message names (`{max}`), if any.
    pub fn max(&self) -> Option<usize> {
        match self {
            SheetError::TooLarge { max } | SheetError::TooManyRows { max } | SheetError::TooManyColumns { max } => {
                Some(*max)
            }
            _ => None,
        }
    }
}

impl From<CsvError> for SheetError {
    fn from(e: CsvError) -> Self {
        match e {
            CsvError::TooManyRows { max } => SheetError::TooManyRows { max },
            CsvError::TooManyColumns { max } => SheetError::TooManyColumns { max },
        }
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0];

pub fn read(bytes: &[u8], limits: &Limits) -> Result<Sheet, SheetError> {
    if bytes.len() > limits.max_bytes {
        return Err(SheetError::TooLarge { max: limits.max_bytes });
    }
    let rows = if bytes.starts_with(ZIP_MAGIC) {
        check_archive(bytes, limits)?;
        xlsx_rows(bytes, limits)?
    } else if bytes.starts_with(OLE_MAGIC) {
        return Err(SheetError::OldExcel);
    } else {
        csv_read::parse(&decode(bytes)?, limits.max_rows)?
    };
    let mut rows = rows.into_iter();
    let headers: Vec<String> =
        rows.next().ok_or(SheetError::Empty)?.into_iter().map(|h| h.trim().to_string()).collect();
    if headers.iter().all(String::is_empty) {
        return Err(SheetError::Empty);
    }
    Ok(Sheet { headers, rows: rows.collect() })
}

/// UTF-8 (BOM optional), else GBK (read as GB18030, its superset).
fn decode(bytes: &[u8]) -> Result<String, SheetError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        Err(SheetError::Encoding)
    } else {
        Ok(text.into_owned())
    }
}

/// Inflates every entry into nothing, counting, and stops at the limit: what the archive
/// claims about sizes is not trusted.
fn check_archive(bytes: &[u8], limits: &Limits) -> Result<(), SheetError> {
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

/// The first worksheet's cells, streamed (a sheet claiming a huge range costs nothing).
fn xlsx_rows(bytes: &[u8], limits: &Limits) -> Result<Vec<Vec<String>>, SheetError> {
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| SheetError::Unreadable)?;
    let first = book.sheet_names().into_iter().next().ok_or(SheetError::Empty)?;
    let mut cells = book.worksheet_cells_reader(&first).map_err(|_| SheetError::Unreadable)?;
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut current: Option<u32> = None;
    while let Some(cell) = cells.next_cell().map_err(|_| SheetError::Unreadable)? {
        let (r, c) = cell.get_position();
        let text = calamine::Data::from(cell.get_value().clone()).to_string();
        if text.trim().is_empty() {
            continue;
        }
        let c = c as usize;
        if c >= MAX_COLUMNS {
            return Err(SheetError::TooManyColumns { max: MAX_COLUMNS });
        }
        // Cells arrive in row order; blank rows never start a row.
        if current != Some(r) {
            if rows.len() > limits.max_rows {
                return Err(SheetError::TooManyRows { max: limits.max_rows });
            }
            rows.push(Vec::new());
            current = Some(r);
        }
        let row = rows.last_mut().ok_or(SheetError::Unreadable)?;
        if row.len() <= c {
            row.resize(c + 1, String::new());
        }
        row[c] = text;
    }
    Ok(rows)
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use std::io::Write;

    fn xlsx(rows: &[&[&str]]) -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if let Ok(n) = v.parse::<f64>() {
                    sheet.write_number(r as u32, c as u16, n).unwrap();
                } else if !v.is_empty() {
                    sheet.write_string(r as u32, c as u16, *v).unwrap();
                }
            }
        }
        book.save_to_buffer().unwrap()
    }

    #[test]
    fn xlsx_rows_come_back_as_text_with_gaps_and_blank_rows_dropped() {
        let bytes = xlsx(&[&["企业名称", "计划投资", "备注"], &["华芯", "3000", ""], &[], &["博远", "", "x"]]);
        let s = read(&bytes, &Limits::default()).unwrap();
        assert_eq!(s.headers, vec!["企业名称", "计划投资", "备注"]);
        assert_eq!(s.rows, vec![vec!["华芯".to_string(), "3000".into()], vec!["博远".into(), "".into(), "x".into()]]);
    }

    #[test]
    fn csv_in_utf8_with_bom_and_in_gbk() {
        let text = "企业名称,地区\r\n南京华芯有限公司,南京\r\n";
        let utf8 = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        for bytes in [utf8, gbk.into_owned()] {
            let s = read(&bytes, &Limits::default()).unwrap();
            assert_eq!(s.headers, vec!["企业名称", "地区"]);
            assert_eq!(s.rows[0], vec!["南京华芯有限公司", "南京"]);
        }
        assert_eq!(read(&[0xff, 0xfe, 0xff, 0x00, 0x81], &Limits::default()), Err(SheetError::Encoding));
    }

    #[test]
    fn limits_refuse_large_files_many_rows_and_zip_bombs() {
        let small = Limits { max_bytes: 100, max_rows: 2, max_uncompressed: 1 << 20, max_entries: 20 };
        assert_eq!(read(&[b'a'; 101], &small), Err(SheetError::TooLarge { max: 100 }));
        let rows = Limits { max_bytes: 1 << 20, ..small.clone() };
        assert_eq!(read(b"h\n1\n2\n3\n", &rows), Err(SheetError::TooManyRows { max: 2 }));
        assert_eq!(read(&xlsx(&[&["h"], &["1"], &["2"], &["3"]]), &rows), Err(SheetError::TooManyRows { max: 2 }));
        // 16 MiB of zeros deflate to a few KiB; the limit is 1 MiB.
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        w.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..16 {
            w.write_all(&zeros).unwrap();
        }
        let bomb = w.finish().unwrap().into_inner();
        assert!(bomb.len() < 100_000);
        assert_eq!(read(&bomb, &rows), Err(SheetError::ZipBomb));
        // Too many entries.
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for i in 0..30 {
            w.start_file(format!("f{i}"), opts).unwrap();
        }
        assert_eq!(read(&w.finish().unwrap().into_inner(), &rows), Err(SheetError::ZipBomb));
    }

    /// Every input the fuzzer kept (`make fuzz`) stays a regression test.
    #[test]
    fn the_fuzz_corpus_is_read_without_panicking() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fuzz/corpus/sheet");
        let mut n = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            if let Ok(sheet) = read(&bytes, &Limits::default()) {
                let mapping = crate::domain::import::guess_mapping(&sheet.headers);
                for row in &sheet.rows {
                    let _ = crate::domain::import::read_row(&mapping, row).0.parse();
                }
            }
            n += 1;
        }
        assert!(n >= 4, "the seeds are there");
    }

    #[test]
    fn junk_is_refused_not_panicked_on() {
        assert_eq!(read(b"PK\x03\x04garbage", &Limits::default()), Err(SheetError::Unreadable));
        assert_eq!(read(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0], &Limits::default()), Err(SheetError::OldExcel));
        assert_eq!(read(b"", &Limits::default()), Err(SheetError::Empty));
        assert_eq!(read(b" , \n", &Limits::default()), Err(SheetError::Empty));
    }
}
