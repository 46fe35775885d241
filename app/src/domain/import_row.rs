//! 导入, one row: the cells of a spreadsheet row read into the lead form — enumerated values
//! by code, label or alias (noted at the cell), amounts and areas in their column's unit
//! (converted and noted), spreadsheet error values as errors at their cell. Pure.

use super::catalog::{Channel, Industry, Sector, Stage, SECTORS};
use super::import::ImportColumn;
use super::import_alias::Aliases;
use super::import_units::{convert, header_unit, own_money_unit, Unit, UnitError};
use super::lead::{ContactForm, FieldError, LeadForm};
use crate::i18n::{tr, Locale};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::OnceLock;

/// A problem with one cell (column index, message key, the value).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellError {
    pub column: usize,
    pub error: FieldError,
}

/// What was done to a cell on the way in (a unit converted, an alias read), for the preview:
/// the column and a message key with its arguments.
pub type CellNote = CellError;

/// A label without its parenthetical note: "电子通信（首位产业）" → "电子通信".
fn bare(label: &str) -> String {
    label.find(['(', '（']).map(|i| &label[..i]).unwrap_or(label).trim().to_lowercase()
}

/// Every name of each option (its code, `smart_manufacturing` and `smart manufacturing`, its
/// Chinese and English label with and without the label's note in brackets), lower-cased, to its
/// code; the first option naming a word keeps it.
fn names_of(options: impl Iterator<Item = (&'static str, String)>) -> HashMap<String, &'static str> {
    let mut names = HashMap::new();
    for (code, key) in options {
        for name in [
            code.to_string(),
            code.replace('_', " "),
            tr(Locale::ZhCn, &key).to_lowercase(),
            bare(tr(Locale::ZhCn, &key)),
            tr(Locale::En, &key).to_lowercase(),
            bare(tr(Locale::En, &key)),
        ] {
            names.entry(name).or_insert(code);
        }
    }
    names
}

/// The names of each enumerated field's options ([`names_of`]), built once: a row's cell is
/// one lookup, not six strings per option.
struct Vocabulary {
    industry: HashMap<String, &'static str>,
    sector: HashMap<String, &'static str>,
    channel: HashMap<String, &'static str>,
    stage: HashMap<String, &'static str>,
}

fn vocabulary() -> &'static Vocabulary {
    static WORDS: OnceLock<Vocabulary> = OnceLock::new();
    WORDS.get_or_init(|| Vocabulary {
        industry: names_of(Industry::ALL.iter().map(|x| (x.code(), x.label_key().to_string()))),
        sector: names_of(SECTORS.iter().map(|s| (s.code, s.label_key()))),
        channel: names_of(Channel::ALL.iter().map(|x| (x.code(), x.label_key().to_string()))),
        stage: names_of(Stage::ALL.iter().map(|x| (x.code(), x.label_key().to_string()))),
    })
}

/// An enumerated value given as one of the `names` of its options (its code or label, in either
/// language, with or without the label's note).
fn enumerated(raw: &str, names: &HashMap<String, &'static str>) -> Option<String> {
    names.get(&raw.trim().to_lowercase()).map(|code| code.to_string())
}

/// The 细分领域 (sub-sector) `raw` names by its code or label, in either language.
fn sector_named(raw: &str) -> Option<Sector> {
    let code = enumerated(raw, &vocabulary().sector)?;
    SECTORS.iter().find(|s| s.code == code).copied()
}

/// The label key of a field's code (`industry`, `energy_materials` → `industry.energy_materials`).
pub fn value_label_key(field: &str, code: &str) -> String {
    format!("{field}.{code}")
}

/// Spreadsheet error values: a cell holding one (typed, or a formula's result) is an error at
/// that cell, never text.
const FORMULA_ERRORS: &[&str] = &[
    "#N/A",
    "#REF!",
    "#VALUE!",
    "#DIV/0!",
    "#NAME?",
    "#NULL!",
    "#NUM!",
    "#DATA!",
    "#SPILL!",
    "#CALC!",
    "#GETTING_DATA",
    "#FIELD!",
    "#BLOCKED!",
    "#CONNECT!",
    "#BUSY!",
    "#UNKNOWN!",
];

/// Whether a cell's text is a spreadsheet error value (`#N/A`, `#REF!` …).
pub fn is_formula_error(value: &str) -> bool {
    let v = value.trim();
    v.starts_with('#') && FORMULA_ERRORS.iter().any(|e| e.eq_ignore_ascii_case(v))
}

/// The lead form for one row, or the problems of its cells. Amounts stay text: the form's own
/// parsing reads "1.5亿", "3000万", "3,000" and reports what it cannot.
pub fn row_form(mapping: &[Option<ImportColumn>], cells: &[String]) -> Result<LeadForm, Vec<CellError>> {
    let (form, errors) = read_row(mapping, cells);
    if errors.is_empty() {
        Ok(form)
    } else {
        Err(errors)
    }
}

/// Undoes the formula escaping of our own CSV export ("'=1+1…" → "=1+1…", `="0255"` →
/// "0255").
fn unescape(value: &str) -> &str {
    let value = super::export::unwrap_text_formula(value);
    match value.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => value,
    }
}

/// One row as far as it could be read: the form, the problems of its cells, and what was
/// converted on the way.
#[derive(Clone, Debug, Default)]
pub struct RowRead {
    pub form: LeadForm,
    pub errors: Vec<CellError>,
    pub notes: Vec<CellNote>,
}

/// How a file's rows are read: the column mapping, each column's unit (from its header, else
/// for amounts the note above the table), and the aliases in force.
pub struct RowReader<'a> {
    mapping: &'a [Option<ImportColumn>],
    units: Vec<Option<Unit>>,
    aliases: &'a Aliases,
}

/// The channel (其他) and stage (线索) of a new lead whose file gives none.
pub const NEW_CHANNEL: &str = "other";
pub const NEW_STAGE: &str = "clue";
/// What a new lead gets for a field no column of the file gives, as codes (the preview says so).
pub const UNGIVEN: [(ImportColumn, &str); 2] = [(ImportColumn::Channel, NEW_CHANNEL), (ImportColumn::Stage, NEW_STAGE)];

impl<'a> RowReader<'a> {
    /// `headers` name the units; `amount_unit` is the note's unit for amount columns whose
    /// header names none.
    pub fn new(
        mapping: &'a [Option<ImportColumn>],
        headers: &[String],
        amount_unit: Option<&Unit>,
        aliases: &'a Aliases,
    ) -> RowReader<'a> {
        let units = mapping
            .iter()
            .enumerate()
            .map(|(i, column)| {
                let named = headers.get(i).and_then(|h| header_unit(h));
                match column {
                    Some(ImportColumn::PlannedInvestment | ImportColumn::AnnualOutput | ImportColumn::AnnualTax) => {
                        match named {
                            Some(u @ (Unit::Money { .. } | Unit::Foreign { .. })) => Some(u),
                            _ => amount_unit.cloned(),
                        }
                    }
                    Some(ImportColumn::LandMu) => named.filter(|u| matches!(u, Unit::Area { .. })),
                    _ => None,
                }
            })
            .collect();
        RowReader { mapping, units, aliases }
    }

    /// The value of an enumerated field: its code or label, else an alias (noted).
    fn enumerated(
        &self,
        field: &str,
        value: &str,
        names: &HashMap<String, &'static str>,
        column: usize,
        read: &mut RowRead,
    ) -> Option<String> {
        if let Some(code) = enumerated(value, names) {
            return Some(code);
        }
        let code = self.aliases.code(field, value)?;
        read.notes.push(CellError {
            column,
            error: FieldError::new(field, "import.note.alias")
                .with("value", value)
                .with("label", format!("t:{}", value_label_key(field, &code))),
        });
        Some(code)
    }

    /// A cell of an amount or area column in the stored unit.
    fn quantity(&self, i: usize, value: &str, field: &str, read: &mut RowRead) -> Option<String> {
        let unit = self.units.get(i).and_then(Option::as_ref);
        let converted = match convert(unit, value) {
            Ok(Some(c)) => Some(c),
            // An amount with its own unit ("1.2亿" under 万元): stored as written, read by the
            // form, the 万元 it comes to noted.
            Ok(None) if field != "land_mu" => own_money_unit(value),
            Ok(None) => None,
            Err(UnitError::ForeignCurrency(currency)) => {
                read.errors.push(CellError {
                    column: i,
                    error: FieldError::new(field, "err.import.foreign_currency").with("currency", currency),
                });
                return None;
            }
        };
        let Some(c) = converted else { return Some(value.to_string()) };
        read.notes.push(CellError {
            column: i,
            error: FieldError::new(field, "import.note.converted").with("from", c.from).with("to", c.to),
        });
        Some(c.value)
    }

    /// The form as far as the row could be read, the problems of its cells and the notes.
    pub fn read(&self, cells: &[String]) -> RowRead {
        let mut read = RowRead {
            form: LeadForm { stage: NEW_STAGE.into(), channel: NEW_CHANNEL.into(), ..Default::default() },
            ..Default::default()
        };
        let mut contact = ContactForm::default();
        for (i, column) in self.mapping.iter().enumerate() {
            let (Some(column), Some(value)) = (column, cells.get(i)) else { continue };
            let value = unescape(value.trim());
            if value.is_empty() {
                continue;
            }
            let field = ImportColumn::code(*column);
            if is_formula_error(value) {
                read.errors.push(CellError {
                    column: i,
                    error: FieldError::new(field, "err.import.formula_error").with("value", value),
                });
                continue;
            }
            let unknown = |field: &str| CellError {
                column: i,
                error: FieldError::new(field, "err.import.unknown_value").with("value", value),
            };
            match column {
                ImportColumn::CompanyName => read.form.company_name = value.into(),
                ImportColumn::Uscc => read.form.uscc = value.into(),
                ImportColumn::Region => read.form.region_code = value.into(),
                ImportColumn::Industry => {
                    match self.enumerated("industry", value, &vocabulary().industry, i, &mut read) {
                        Some(code) => read.form.industry = code,
                        // A 细分领域 where the industry goes (软件与信息服务): its industry, and
                        // the sector too unless a sector column gives one.
                        None => match sector_named(value) {
                            Some(sector) => {
                                read.form.industry = sector.industry.code().into();
                                if read.form.sector.is_empty() {
                                    read.form.sector = sector.code.into();
                                }
                                read.notes.push(CellError {
                                    column: i,
                                    error: FieldError::new("industry", "import.note.sector_as_industry")
                                        .with("value", value)
                                        .with("label", format!("t:{}", sector.industry.label_key())),
                                });
                            }
                            None => read.errors.push(unknown("industry")),
                        },
                    }
                }
                ImportColumn::Sector => match self.enumerated("sector", value, &vocabulary().sector, i, &mut read) {
                    Some(code) => read.form.sector = code,
                    None => read.errors.push(unknown("sector")),
                },
                ImportColumn::Channel => match self.enumerated("channel", value, &vocabulary().channel, i, &mut read) {
                    Some(code) => read.form.channel = code,
                    None => read.errors.push(unknown("channel")),
                },
                ImportColumn::Stage => match self.enumerated("stage", value, &vocabulary().stage, i, &mut read) {
                    Some(code) => read.form.stage = code,
                    None => read.errors.push(unknown("stage")),
                },
                ImportColumn::PlannedInvestment => {
                    read.form.planned_investment = self.quantity(i, value, field, &mut read).unwrap_or_default()
                }
                ImportColumn::LandMu => {
                    read.form.land_mu = self.quantity(i, value, field, &mut read).unwrap_or_default()
                }
                ImportColumn::AnnualOutput => {
                    read.form.annual_output = self.quantity(i, value, field, &mut read).unwrap_or_default()
                }
                ImportColumn::AnnualTax => {
                    read.form.annual_tax = self.quantity(i, value, field, &mut read).unwrap_or_default()
                }
                ImportColumn::Jobs => read.form.jobs = value.into(),
                ImportColumn::ContactName => contact.name = value.into(),
                ImportColumn::ContactPhone => {
                    // Saved folded (full-width digits and signs as ASCII): the preview says so.
                    let folded = crate::domain::lead::phone_text(value);
                    if folded != value {
                        read.notes.push(CellError {
                            column: i,
                            error: FieldError::new(field, "import.note.converted")
                                .with("from", value)
                                .with("to", folded.as_str()),
                        });
                    }
                    contact.phone = folded;
                }
                ImportColumn::Notes => read.form.notes = value.into(),
            }
        }
        if !contact.name.is_empty() || !contact.phone.is_empty() {
            read.form.contacts.push(contact);
        }
        read
    }
}

/// The form as far as the row could be read and the problems of its cells, with the built-in
/// aliases and no units (the fuzzer's and the simple callers' way in).
pub fn read_row(mapping: &[Option<ImportColumn>], cells: &[String]) -> (LeadForm, Vec<CellError>) {
    let aliases = Aliases::built_in();
    let read = RowReader::new(mapping, &[], None, &aliases).read(cells);
    (read.form, read.errors)
}
