//! The shapes `sheet` reads an uploaded spreadsheet into, its limits and why it refuses
//! a file; shared with `sheet_xlsx`.

use super::csv_read::CsvError;

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

/// One worksheet (or the text file): its non-blank rows as (row number as the spreadsheet
/// program shows it, 1-based; cells).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Grid {
    /// The sheet's name; None for a text file.
    pub name: Option<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

/// The readable sheets of a file: visible ones holding data, in workbook order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Workbook {
    pub sheets: Vec<Grid>,
    /// The sheet the file was saved on (Excel's active tab), else the first with data.
    pub active: usize,
}

impl Workbook {
    /// The sheet of that name, else the active one.
    pub fn sheet(&self, name: Option<&str>) -> Option<&Grid> {
        name.and_then(|n| self.sheets.iter().find(|g| g.name.as_deref() == Some(n)))
            .or_else(|| self.sheets.get(self.active))
    }

    /// The index of [`Workbook::sheet`]'s answer.
    pub fn position(&self, name: Option<&str>) -> Option<usize> {
        name.and_then(|n| self.sheets.iter().position(|g| g.name.as_deref() == Some(n)))
            .or_else(|| (self.active < self.sheets.len()).then_some(self.active))
    }

    pub fn names(&self) -> Vec<String> {
        self.sheets.iter().filter_map(|g| g.name.clone()).collect()
    }
}

/// A table read from a sheet: its header, its data rows and their row numbers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sheet {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Each data row's number as the spreadsheet program shows it.
    pub lines: Vec<usize>,
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

/// What `sheet::each_row` read: the sheets offered (visible ones with a non-blank cell, in workbook order;
/// empty for a text file) and the one whose rows were given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sheets {
    pub names: Vec<String>,
    pub read: Option<String>,
}
