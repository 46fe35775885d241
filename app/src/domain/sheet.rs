//! An uploaded spreadsheet's bytes → its sheets as rows of text, within limits: `.xlsx`
//! (every visible worksheet, the active one first choice; hidden and very-hidden sheets —
//! lookup tables for drop-downs — are never read; the zip is checked — entry count and the
//! bytes it really inflates to — before anything is expanded into memory, so zip bombs are
//! refused cheaply) or text in UTF-8 (with or without BOM), UTF-16 (Excel's and WPS's
//! "Unicode text", tab-separated) or GBK/GB18030. Every row keeps the number Excel and WPS show
//! for it. Where the table's header is, is `import_table`'s business. Pure: bytes in, sheets or
//! error out; fuzzed (`tests/fuzz`).

use super::csv_read::{self, CsvError};
pub use super::sheet_types::{Grid, Limits, Sheet, SheetError, Sheets, Workbook};
use super::sheet_xlsx;
use super::text_decode;

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0];

/// The visible sheets of an xlsx, or the one table of a text file.
pub fn read_workbook(bytes: &[u8], limits: &Limits) -> Result<Workbook, SheetError> {
    if bytes.len() > limits.max_bytes {
        return Err(SheetError::TooLarge { max: limits.max_bytes });
    }
    let book = if bytes.starts_with(ZIP_MAGIC) {
        sheet_xlsx::check_archive(bytes, limits)?;
        sheet_xlsx::sheets(bytes, limits)?
    } else if bytes.starts_with(OLE_MAGIC) {
        return Err(SheetError::OldExcel);
    } else {
        let rows = csv_read::parse(&text_of(bytes)?, limits.max_rows)?;
        Workbook { sheets: vec![Grid { name: None, rows }], active: 0 }
    };
    if book.sheets.iter().all(|g| g.rows.is_empty()) {
        return Err(SheetError::Empty);
    }
    Ok(book)
}

/// [`read_workbook`], one sheet's rows at a time: the non-blank rows of sheet `name` (else the
/// active one; else the first holding data) handed to `row` as (row number, cells) as they are
/// read, none kept (a 30 MB CSV's 100,000 rows held as cells take about 3× the file). The other
/// sheets are only looked at for a first non-blank cell. Stops at `row`'s first error.
/// Errors: those of [`read_workbook`] (as `E`), or `row`'s.
pub fn each_row<E: From<SheetError>>(
    bytes: &[u8],
    limits: &Limits,
    name: Option<&str>,
    mut row: impl FnMut(usize, Vec<String>) -> Result<(), E>,
) -> Result<Sheets, E> {
    if bytes.len() > limits.max_bytes {
        return Err(SheetError::TooLarge { max: limits.max_bytes }.into());
    }
    if bytes.starts_with(ZIP_MAGIC) {
        sheet_xlsx::check_archive(bytes, limits)?;
        return sheet_xlsx::each_row(bytes, limits, name, row);
    }
    if bytes.starts_with(OLE_MAGIC) {
        return Err(SheetError::OldExcel.into());
    }
    let text = text_of(bytes)?;
    /// Why the text's reading stopped: the text, or the caller's `row`.
    enum Stop<R> {
        Csv(CsvError),
        Row(R),
    }
    impl<R> From<CsvError> for Stop<R> {
        fn from(e: CsvError) -> Self {
            Stop::Csv(e)
        }
    }
    let mut any = false;
    let read = csv_read::parse_each(&text, limits.max_rows, |line, cells| {
        any = true;
        row(line, cells).map_err(Stop::Row)
    });
    match read {
        Err(Stop::Csv(e)) => Err(SheetError::from(e).into()),
        Err(Stop::Row(e)) => Err(e),
        Ok(()) if !any => Err(SheetError::Empty.into()),
        Ok(()) => Ok(Sheets::default()),
    }
}

/// Whether `bytes` begin with another kind of file's signature (the `infer` crate's list:
/// PDF, images, archives, audio, video, programs), refused as unreadable before the bytes could
/// be read as some text (GB18030 reads nearly any bytes). A signature is not trusted when the
/// file begins with a letter or digit and its first line (up to 256 bytes) holds no control
/// character: a table's first cell can begin as `BM` (bitmap), `MZ` (program) or `ID3` (audio)
/// do (`BMW供应商名单`), while those files' own bytes go on in binary at once.
fn other_kind(bytes: &[u8]) -> bool {
    let Some(kind) = infer::get(bytes) else { return false };
    let lettered = bytes.first().is_some_and(u8::is_ascii_alphanumeric);
    let text_line =
        || bytes.iter().take(256).take_while(|&&b| b != b'\n').all(|&b| b >= 0x20 || b == b'\t' || b == b'\r');
    kind.matcher_type() != infer::MatcherType::Text && !(lettered && text_line())
}

/// A text file's bytes as text. Errors: `Unreadable` for another kind of file renamed (a known
/// signature, or control characters a table's text does not hold: any NUL, or more than 1 in
/// 100 of the first 64 Ki characters), `Encoding` when no encoding reads it.
fn text_of(bytes: &[u8]) -> Result<std::borrow::Cow<'_, str>, SheetError> {
    if other_kind(bytes) {
        return Err(SheetError::Unreadable);
    }
    let text = text_decode::decode(bytes).ok_or(SheetError::Encoding)?;
    let (mut seen, mut control) = (0usize, 0usize);
    for c in text.chars().take(64 * 1024) {
        seen += 1;
        if c == '\0' {
            return Err(SheetError::Unreadable);
        }
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
            control += 1;
        }
    }
    if control > 8 && control * 100 > seen {
        return Err(SheetError::Unreadable);
    }
    Ok(text)
}

/// The active sheet's table, its header the first non-blank row (the import finds the header
/// among the first rows itself: `import_table`).
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Sheet, SheetError> {
    let book = read_workbook(bytes, limits)?;
    let grid = book.sheet(None).ok_or(SheetError::Empty)?;
    table_at(grid, 0)
}

/// The table whose header is the `header`-th non-blank row of `grid`; rows above it are not
/// data.
pub fn table_at(grid: &Grid, header: usize) -> Result<Sheet, SheetError> {
    let mut rows = grid.rows.iter().skip(header);
    let headers: Vec<String> = rows.next().ok_or(SheetError::Empty)?.1.iter().map(|h| h.trim().to_string()).collect();
    if headers.iter().all(String::is_empty) {
        return Err(SheetError::Empty);
    }
    let (lines, rows) = rows.cloned().unzip();
    Ok(Sheet { headers, rows, lines })
}

/// [`table_at`], taking the rows out of `grid` instead of copying them (an upload of 100,000
/// rows holds them once).
pub fn into_table(grid: Grid, header: usize) -> Result<Sheet, SheetError> {
    let mut rows = grid.rows.into_iter().skip(header);
    let headers: Vec<String> = rows.next().ok_or(SheetError::Empty)?.1.iter().map(|h| h.trim().to_string()).collect();
    if headers.iter().all(String::is_empty) {
        return Err(SheetError::Empty);
    }
    let (lines, rows) = rows.unzip();
    Ok(Sheet { headers, rows, lines })
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};

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
        assert_eq!(read(&[0xff, 0xfe, 0xff, 0x00, 0x81], &Limits::default()), Err(SheetError::Encoding), "odd UTF-16");
        assert_eq!(read(b"abc,\x81\x20\xff\n", &Limits::default()), Err(SheetError::Encoding), "neither UTF-8 nor GBK");
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
            let aliases = crate::domain::import_alias::Aliases::built_in();
            // What an upload runs: read row by row, never a panic.
            let streamed = |name: Option<&str>| {
                let mut rows = Vec::new();
                let read = crate::domain::import_table::stream_table(&bytes, &Limits::default(), name, None, |r| {
                    rows.push(r);
                    Ok::<_, SheetError>(())
                });
                read.map(|(headers, layout)| (headers, rows, layout))
            };
            let _ = streamed(None);
            if let Ok(book) = read_workbook(&bytes, &Limits::default()) {
                for name in book.names().iter().map(|n| Some(n.as_str())).chain([None]) {
                    let Ok((sheet, layout)) = crate::domain::import_table::read_table(book.clone(), name, None) else {
                        continue;
                    };
                    if !bytes.starts_with(ZIP_MAGIC) {
                        let whole = (sheet.headers.clone(), sheet.rows.clone(), layout.clone());
                        assert_eq!(streamed(name), Ok(whole), "a text file streams as it reads whole");
                    }
                    let mapping = crate::domain::import::guess_mapping(&sheet.headers);
                    let reader = crate::domain::import_row::RowReader::new(
                        &mapping,
                        &sheet.headers,
                        layout.amount_unit.as_ref(),
                        &aliases,
                    );
                    for row in &sheet.rows {
                        let _ = reader.read(row).form.parse();
                    }
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

    #[test]
    fn other_files_renamed_are_unreadable_not_read_as_text() {
        let limits = Limits::default();
        // A PDF: its header is text, its streams are not.
        let pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Length 9>>stream\nx\x9c\x01\x02\x03endstream";
        assert_eq!(read(pdf, &limits), Err(SheetError::Unreadable));
        assert_eq!(read(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", &limits), Err(SheetError::Unreadable));
        // No signature, but NULs or many control characters: not a table's text.
        assert_eq!(read(b"\x01\x02abc\0def,ghi\n", &limits), Err(SheetError::Unreadable));
        let noisy: Vec<u8> = (0..400u32).flat_map(|i| if i % 20 == 0 { vec![0x07] } else { b"ab,".to_vec() }).collect();
        assert_eq!(read(&noisy, &limits), Err(SheetError::Unreadable));
        // A real CSV with a stray control character or two still reads (DOS's end-of-file mark).
        let csv = "企业名称,统一社会信用代码\r\n测试公司,91320505MA1XXXXXX0\r\n\x1a";
        assert_eq!(read(csv.as_bytes(), &limits).map(|s| s.rows[0][0].clone()), Ok("测试公司".to_string()));
        // More signatures, from the library's list: JPEG, GIF, gzip, RTF — without NULs, so
        // that only the signature refuses them (a GIF's lettered start is trusted: its first
        // line holds control characters).
        for other in [
            &b"\xFF\xD8\xFF\xE0\x01\x10JFIF,a"[..],
            b"GIF89a\x01\x02,a\n",
            b"\x1F\x8B\x08\x01abc,d",
            b"{\\rtf1\\ansi a,b\n",
        ] {
            assert_eq!(read(other, &limits), Err(SheetError::Unreadable), "{other:?}");
        }
        // A table whose first cell begins as a lettered signature does (bitmap `BM`, audio `ID3`).
        for first in ["BMW供应商名单", "ID3号码", "MZ科技"] {
            let csv = format!("{first},产业\n测试公司,集成电路\n");
            assert_eq!(read(csv.as_bytes(), &limits).map(|s| s.headers[0].clone()), Ok(first.to_string()));
        }
    }
}
