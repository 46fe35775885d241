//! Any bytes as an uploaded file: read as xlsx or text within limits, every sheet's header
//! found, the mapping guessed, every row read (units, aliases) into a lead form and checked.
//! Nothing may panic.
#![no_main]

use app::domain::import::guess_mapping;
use app::domain::import_row::RowReader;
use app::domain::import_alias::Aliases;
use app::domain::import_table::read_table;
use app::domain::sheet::{read_workbook, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits { max_bytes: 1 << 20, max_rows: 1_000, max_uncompressed: 8 << 20, max_entries: 100 };
    let Ok(book) = read_workbook(data, &limits) else { return };
    let aliases = Aliases::built_in();
    for name in book.names().iter().map(|n| Some(n.as_str())).chain([None]) {
        let Ok((sheet, layout)) = read_table(book.clone(), name, None) else { continue };
        let mapping = guess_mapping(&sheet.headers);
        let reader = RowReader::new(&mapping, &sheet.headers, layout.amount_unit.as_ref(), &aliases);
        for row in &sheet.rows {
            let _ = reader.read(row).form.parse();
        }
    }
});
