//! Any bytes as an uploaded file: read as xlsx or CSV within limits, the mapping guessed from
//! the header, every row read into a lead form and checked. Nothing may panic.
#![no_main]

use app::domain::import::{guess_mapping, read_row};
use app::domain::sheet::{read, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits { max_bytes: 1 << 20, max_rows: 1_000, max_uncompressed: 8 << 20, max_entries: 100 };
    if let Ok(sheet) = read(data, &limits) {
        let mapping = guess_mapping(&sheet.headers);
        for row in &sheet.rows {
            let (form, _) = read_row(&mapping, row);
            let _ = form.parse();
        }
    }
});
