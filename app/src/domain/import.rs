//! 导入: what a spreadsheet column holds, guessed from its header in
//! Chinese or English, and one row turned into the lead form — enumerated values given as a
//! code or as their Chinese/English label are understood; anything else is reported, never
//! guessed. Pure: the service reads the file, resolves regions and checks duplicates.

use super::catalog::{Channel, Industry, Stage, SECTORS};
use super::import_alias::Aliases;
use super::import_units::{convert, header_unit, Unit, UnitError};
use super::lead::{ContactForm, FieldError, LeadForm};
use crate::i18n::{tr, Locale};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportColumn {
    CompanyName,
    Uscc,
    Region,
    Industry,
    Sector,
    Channel,
    Stage,
    PlannedInvestment,
    LandMu,
    AnnualOutput,
    AnnualTax,
    Jobs,
    ContactName,
    ContactPhone,
    Notes,
}

impl ImportColumn {
    pub const ALL: [ImportColumn; 15] = [
        ImportColumn::CompanyName,
        ImportColumn::Uscc,
        ImportColumn::Region,
        ImportColumn::Industry,
        ImportColumn::Sector,
        ImportColumn::Channel,
        ImportColumn::Stage,
        ImportColumn::PlannedInvestment,
        ImportColumn::LandMu,
        ImportColumn::AnnualOutput,
        ImportColumn::AnnualTax,
        ImportColumn::Jobs,
        ImportColumn::ContactName,
        ImportColumn::ContactPhone,
        ImportColumn::Notes,
    ];

    /// The lead-form field the column fills (also the code used in mapping forms).
    pub fn code(self) -> &'static str {
        match self {
            ImportColumn::CompanyName => "company_name",
            ImportColumn::Uscc => "uscc",
            ImportColumn::Region => "region_code",
            ImportColumn::Industry => "industry",
            ImportColumn::Sector => "sector",
            ImportColumn::Channel => "channel",
            ImportColumn::Stage => "stage",
            ImportColumn::PlannedInvestment => "planned_investment",
            ImportColumn::LandMu => "land_mu",
            ImportColumn::AnnualOutput => "annual_output",
            ImportColumn::AnnualTax => "annual_tax",
            ImportColumn::Jobs => "jobs",
            ImportColumn::ContactName => "contacts.0.name",
            ImportColumn::ContactPhone => "contacts.0.phone",
            ImportColumn::Notes => "notes",
        }
    }

    pub fn parse(code: &str) -> Option<ImportColumn> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            ImportColumn::CompanyName => "lead.company_name",
            ImportColumn::Uscc => "lead.uscc",
            ImportColumn::Region => "lead.region",
            ImportColumn::Industry => "lead.industry",
            ImportColumn::Sector => "lead.sector",
            ImportColumn::Channel => "lead.channel",
            ImportColumn::Stage => "lead.stage",
            ImportColumn::PlannedInvestment => "lead.planned_investment_wan",
            ImportColumn::LandMu => "lead.land_mu",
            ImportColumn::AnnualOutput => "lead.annual_output_wan",
            ImportColumn::AnnualTax => "lead.annual_tax_wan",
            ImportColumn::Jobs => "lead.jobs",
            ImportColumn::ContactName => "import.col.contact_name",
            ImportColumn::ContactPhone => "import.col.contact_phone",
            ImportColumn::Notes => "lead.notes",
        }
    }

    /// The column a lead-form error belongs to (`contacts.0.phone` → ContactPhone).
    pub fn of_field(field: &str) -> Option<ImportColumn> {
        Self::parse(field).or_else(|| {
            let tail = field.rsplit('.').next()?;
            match tail {
                "name" if field.starts_with("contacts") => Some(ImportColumn::ContactName),
                "phone" if field.starts_with("contacts") => Some(ImportColumn::ContactPhone),
                _ => None,
            }
        })
    }
}

/// Header words for each column, compared after removing spaces, brackets and units.
const SYNONYMS: &[(ImportColumn, &[&str])] = &[
    (
        ImportColumn::CompanyName,
        &["企业名称", "公司名称", "企业", "公司", "名称", "单位名称", "company", "companyname", "name"],
    ),
    (
        ImportColumn::Uscc,
        &["统一社会信用代码", "信用代码", "社会信用代码", "uscc", "creditcode", "unifiedsocialcreditcode"],
    ),
    (ImportColumn::Region, &["所在地区", "地区", "区域", "所在地", "注册地", "地址", "region", "location", "city"]),
    (ImportColumn::Industry, &["行业", "产业", "所属产业", "所属行业", "industry"]),
    (ImportColumn::Sector, &["细分领域", "细分行业", "领域", "sector", "subsector"]),
    (ImportColumn::Channel, &["渠道", "招商渠道", "来源", "信息来源", "channel", "source"]),
    (ImportColumn::Stage, &["阶段", "项目阶段", "进展", "推进阶段", "stage", "status"]),
    (
        ImportColumn::PlannedInvestment,
        &["计划投资", "投资额", "投资", "总投资", "计划总投资", "plannedinvestment", "investment"],
    ),
    (ImportColumn::LandMu, &["用地", "用地面积", "用地需求", "土地", "land", "landmu"]),
    (ImportColumn::AnnualOutput, &["年产值", "预计年产值", "产值", "output", "annualoutput"]),
    (ImportColumn::AnnualTax, &["年税收", "预计年税收", "税收", "tax", "annualtax"]),
    (ImportColumn::Jobs, &["就业", "就业人数", "用工", "员工人数", "jobs", "employees"]),
    (ImportColumn::ContactName, &["联系人", "对接人", "contact", "contactname"]),
    (ImportColumn::ContactPhone, &["电话", "联系电话", "手机", "phone", "mobile", "tel"]),
    (ImportColumn::Notes, &["备注", "说明", "notes", "remark", "remarks"]),
];

/// "计划投资(万元)" → "计划投资"; "Company Name" → "companyname".
fn normalise_header(h: &str) -> String {
    let h = h.trim().to_lowercase();
    let cut = h.find(['(', '（', '[', '【']).map(|i| &h[..i]).unwrap_or(&h);
    cut.chars().filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-' | '*' | ':' | '：')).collect()
}

pub fn guess(header: &str) -> Option<ImportColumn> {
    let h = normalise_header(header);
    if h.is_empty() {
        return None;
    }
    SYNONYMS.iter().find(|(_, words)| words.contains(&h.as_str())).map(|(c, _)| *c)
}

/// One guess per header; a column already taken by an earlier header is left unmapped.
pub fn guess_mapping(headers: &[String]) -> Vec<Option<ImportColumn>> {
    let mut taken = Vec::new();
    headers
        .iter()
        .map(|h| {
            let g = guess(h).filter(|c| !taken.contains(c));
            taken.extend(g);
            g
        })
        .collect()
}

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

/// An enumerated value given as its code (`smart_manufacturing`, `smart manufacturing`) or as
/// its Chinese or English label, with or without the label's note in brackets.
fn enumerated<'a>(raw: &str, options: impl Iterator<Item = (&'a str, String)>) -> Option<String> {
    let v = raw.trim().to_lowercase();
    for (code, key) in options {
        let names = [
            code.to_string(),
            code.replace('_', " "),
            tr(Locale::ZhCn, &key).to_lowercase(),
            bare(tr(Locale::ZhCn, &key)),
            tr(Locale::En, &key).to_lowercase(),
            bare(tr(Locale::En, &key)),
        ];
        if names.contains(&v) {
            return Some(code.to_string());
        }
    }
    None
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
        options: impl Iterator<Item = (&'static str, String)>,
        column: usize,
        read: &mut RowRead,
    ) -> Option<String> {
        if let Some(code) = enumerated(value, options) {
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
        match convert(self.units.get(i).and_then(Option::as_ref), value) {
            Ok(None) => Some(value.to_string()),
            Ok(Some(c)) => {
                read.notes.push(CellError {
                    column: i,
                    error: FieldError::new(field, "import.note.converted").with("from", c.from).with("to", c.to),
                });
                Some(c.value)
            }
            Err(UnitError::ForeignCurrency(currency)) => {
                read.errors.push(CellError {
                    column: i,
                    error: FieldError::new(field, "err.import.foreign_currency").with("currency", currency),
                });
                None
            }
        }
    }

    /// The form as far as the row could be read, the problems of its cells and the notes.
    pub fn read(&self, cells: &[String]) -> RowRead {
        let mut read = RowRead {
            form: LeadForm { stage: "clue".into(), channel: "other".into(), ..Default::default() },
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
                    let options = Industry::ALL.iter().map(|x| (x.code(), x.label_key().to_string()));
                    match self.enumerated("industry", value, options, i, &mut read) {
                        Some(code) => read.form.industry = code,
                        None => read.errors.push(unknown("industry")),
                    }
                }
                ImportColumn::Sector => {
                    let options = SECTORS.iter().map(|s| (s.code, s.label_key()));
                    match self.enumerated("sector", value, options, i, &mut read) {
                        Some(code) => read.form.sector = code,
                        None => read.errors.push(unknown("sector")),
                    }
                }
                ImportColumn::Channel => {
                    let options = Channel::ALL.iter().map(|x| (x.code(), x.label_key().to_string()));
                    match self.enumerated("channel", value, options, i, &mut read) {
                        Some(code) => read.form.channel = code,
                        None => read.errors.push(unknown("channel")),
                    }
                }
                ImportColumn::Stage => {
                    let options = Stage::ALL.iter().map(|x| (x.code(), x.label_key().to_string()));
                    match self.enumerated("stage", value, options, i, &mut read) {
                        Some(code) => read.form.stage = code,
                        None => read.errors.push(unknown("stage")),
                    }
                }
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
                ImportColumn::ContactPhone => contact.phone = value.into(),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn headers_in_chinese_and_english_are_recognised() {
        let m = guess_mapping(&headers(&[
            "企业名称",
            "统一社会信用代码",
            "所在地区",
            "行业",
            "计划投资（万元）",
            "Land (mu)",
            "联系电话",
            "序号",
            "公司名称",
        ]));
        assert_eq!(
            m,
            vec![
                Some(ImportColumn::CompanyName),
                Some(ImportColumn::Uscc),
                Some(ImportColumn::Region),
                Some(ImportColumn::Industry),
                Some(ImportColumn::PlannedInvestment),
                Some(ImportColumn::LandMu),
                Some(ImportColumn::ContactPhone),
                None,
                None, // the company name column is already taken
            ]
        );
        assert_eq!(guess(" Company Name "), Some(ImportColumn::CompanyName));
        assert_eq!(guess(""), None);
    }

    #[test]
    fn enumerated_values_by_code_or_label_and_unknown_ones_reported() {
        let m = guess_mapping(&headers(&["企业名称", "行业", "渠道", "阶段", "计划投资", "联系人"]));
        let row = |cells: &[&str]| row_form(&m, &cells.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        let f = row(&["华芯半导体有限公司", "电子通信", "agency", "洽谈", "1.5亿", "王总"]).unwrap();
        assert_eq!(
            (f.industry.as_str(), f.channel.as_str(), f.stage.as_str()),
            ("electronic_comms", "agency", "negotiation")
        );
        assert_eq!(f.planned_investment, "1.5亿");
        assert_eq!(f.contacts[0].name, "王总");
        let f = row(&["X有限公司", "Intelligent Manufacturing", "", "", "", ""]).unwrap();
        assert_eq!(f.industry, "smart_manufacturing");
        let f = row(&["X有限公司", "smart manufacturing", "委托招商", "", "", ""]).unwrap();
        assert_eq!((f.industry.as_str(), f.stage.as_str()), ("smart_manufacturing", "clue"));
        let errs = row(&["Y有限公司", "造船", "", "谈判中", "", ""]).unwrap_err();
        assert_eq!(
            errs.iter().map(|e| (e.column, e.error.field.as_str())).collect::<Vec<_>>(),
            [(1, "industry"), (3, "stage")]
        );
        assert!(errs[0].error.args.iter().any(|(k, v)| k == "value" && v == "造船"));
    }
}
