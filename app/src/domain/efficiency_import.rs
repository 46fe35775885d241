//! Reading a year's 亩均效益 figures file (from 经信/税务/统计, one row per enterprise): which
//! column is which by its header, each column's unit from the header ("用地面积（公顷）",
//! "税收（元）", "综合能耗（万吨标准煤）"), and each cell read or refused at the cell. Enterprises
//! are joined by USCC.

use super::efficiency::Figures;
use super::field_error::FieldError;
use super::import::normalise_header;
use super::import_row::{is_formula_error, CellError};
use super::import_units::{header_unit, Unit};
use super::money::parse_wan;
use super::uscc::{fold_full_width, Uscc};
use serde::{Deserialize, Serialize};

/// A column of the figures file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FigureColumn {
    Uscc,
    Name,
    Year,
    Land,
    Tax,
    Revenue,
    AddedValue,
    Energy,
    Rd,
    Employees,
}

/// Header words per column, compared after `normalise_header`; longer names first where one
/// contains another (工业增加值 before 增加值 is not needed: both mean the same column).
const WORDS: &[(FigureColumn, &[&str])] = &[
    (FigureColumn::Uscc, &["统一社会信用代码", "社会信用代码", "信用代码", "uscc", "creditcode"]),
    (FigureColumn::Name, &["企业名称", "单位名称", "企业", "名称", "company", "companyname", "name"]),
    (FigureColumn::Year, &["年度", "年份", "评价年度", "year"]),
    (FigureColumn::Land, &["用地面积", "占地面积", "土地面积", "实际用地", "用地", "land", "landarea"]),
    (FigureColumn::Tax, &["实缴税金", "税收", "实缴税收", "税收总额", "纳税额", "纳税总额", "税金", "tax"]),
    (FigureColumn::Revenue, &["营业收入", "主营业务收入", "销售收入", "营收", "revenue"]),
    (FigureColumn::AddedValue, &["工业增加值", "增加值", "addedvalue"]),
    (FigureColumn::Energy, &["综合能耗", "能耗", "能源消费量", "energy", "energyuse"]),
    (FigureColumn::Rd, &["研发经费", "研发投入", "研发经费支出", "r&d", "rd", "研发费用"]),
    (FigureColumn::Employees, &["从业人员", "年平均从业人员", "职工人数", "员工人数", "从业人数", "employees"]),
];

impl FigureColumn {
    /// The message key of its name (`efficiency.col.{code}`).
    pub fn label_key(self) -> String {
        let code = match self {
            FigureColumn::Uscc => "uscc",
            FigureColumn::Name => "name",
            FigureColumn::Year => "year",
            FigureColumn::Land => "land",
            FigureColumn::Tax => "tax",
            FigureColumn::Revenue => "revenue",
            FigureColumn::AddedValue => "added_value",
            FigureColumn::Energy => "energy",
            FigureColumn::Rd => "rd",
            FigureColumn::Employees => "employees",
        };
        format!("efficiency.col.{code}")
    }
}

/// The column a header names, if any.
pub fn guess(header: &str) -> Option<FigureColumn> {
    let h = normalise_header(header);
    let h = h.split('/').next().unwrap_or("");
    if h.is_empty() {
        return None;
    }
    WORDS.iter().find(|(_, words)| words.contains(&h)).map(|(c, _)| *c)
}

/// One guess per header; a column already taken by an earlier header is left unmapped.
pub fn mapping(headers: &[String]) -> Vec<Option<FigureColumn>> {
    let mut taken = Vec::new();
    headers
        .iter()
        .map(|h| {
            let c = guess(h).filter(|c| !taken.contains(c));
            if let Some(c) = c {
                taken.push(c);
            }
            c
        })
        .collect()
}

/// One row read: the enterprise's USCC, its name (may be empty), the year and the figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FigureRow {
    pub uscc: String,
    pub name: String,
    pub year: i32,
    pub figures: Figures,
}

/// Largest figure accepted in any column (万元, 亩, 吨标准煤 or 人).
const MAX_FIGURE: f64 = 100_000_000.0;

/// A plain non-negative number ("3,000", full-width digits, "12亩", "85人"), unrounded.
fn plain_number(raw: &str) -> Option<f64> {
    let s: String =
        raw.chars().map(fold_full_width).filter(|c| !c.is_whitespace() && *c != ',' && *c != '，').collect();
    let v: f64 = s.trim_end_matches('亩').trim_end_matches('人').parse().ok()?;
    (v.is_finite() && v >= 0.0).then_some(v)
}

/// How a file's rows are read: the mapping and each column's unit factor (into 万元, 亩 or
/// 吨标准煤).
pub struct FigureReader {
    mapping: Vec<Option<FigureColumn>>,
    factors: Vec<Result<f64, String>>,
    year: i32,
}

/// The factor from a header's unit into what is stored; Err(currency) for foreign money.
fn factor(column: Option<FigureColumn>, header: &str) -> Result<f64, String> {
    match (column, header_unit(header)) {
        (Some(FigureColumn::Energy), _) => Ok(if header.contains("万吨") { 10_000.0 } else { 1.0 }),
        (_, Some(Unit::Money { wan_per_unit, .. })) => Ok(wan_per_unit),
        (_, Some(Unit::Area { mu_per_unit, .. })) => Ok(mu_per_unit),
        (_, Some(Unit::Foreign { currency })) => Err(currency),
        (_, None) => Ok(1.0),
    }
}

impl FigureReader {
    /// `year` is the file's year, used where a row has no 年度 cell.
    pub fn new(headers: &[String], year: i32) -> Self {
        let mapping = mapping(headers);
        let factors = headers.iter().zip(&mapping).map(|(h, c)| factor(*c, h)).collect();
        FigureReader { mapping, factors, year }
    }

    pub fn mapping(&self) -> &[Option<FigureColumn>] {
        &self.mapping
    }

    /// The columns a file must have: the USCC (enterprises are joined by it).
    pub fn missing(&self) -> Vec<FigureColumn> {
        [FigureColumn::Uscc].into_iter().filter(|c| !self.mapping.contains(&Some(*c))).collect()
    }

    /// The row, or the problem of each cell that cannot be read (column index, message key).
    pub fn read(&self, cells: &[String]) -> Result<FigureRow, Vec<CellError>> {
        let mut errors = Vec::new();
        let mut row =
            FigureRow { uscc: String::new(), name: String::new(), year: self.year, figures: Figures::default() };
        for (i, column) in self.mapping.iter().enumerate() {
            let Some(column) = column else { continue };
            let raw = cells.get(i).map(|c| c.trim()).unwrap_or("");
            let mut fail = |key: &str| {
                errors
                    .push(CellError { column: i, error: FieldError::new(format!("cell.{i}"), key).with("value", raw) })
            };
            if is_formula_error(raw) {
                fail("err.import.formula_error");
                continue;
            }
            match column {
                FigureColumn::Uscc => match Uscc::parse(raw) {
                    Ok(u) => row.uscc = u.as_str().to_string(),
                    Err(_) if raw.is_empty() => fail("err.efficiency.uscc_missing"),
                    Err(_) => fail("err.efficiency.uscc"),
                },
                FigureColumn::Name => row.name = raw.chars().take(100).collect(),
                FigureColumn::Year => {
                    if raw.is_empty() {
                        continue;
                    }
                    let digits: String = raw.chars().map(fold_full_width).filter(|c| c.is_ascii_digit()).collect();
                    match digits.parse::<i32>() {
                        Ok(y) if (1990..=2200).contains(&y) && digits.len() == 4 => row.year = y,
                        _ => fail("err.efficiency.year"),
                    }
                }
                _ if raw.is_empty() || raw == "-" || raw == "—" => {}
                figure => {
                    let factor = match &self.factors[i] {
                        Ok(f) => *f,
                        Err(currency) => {
                            errors.push(CellError {
                                column: i,
                                error: FieldError::new(format!("cell.{i}"), "err.import.foreign_currency")
                                    .with("currency", currency),
                            });
                            continue;
                        }
                    };
                    let money = matches!(
                        figure,
                        FigureColumn::Tax | FigureColumn::Revenue | FigureColumn::AddedValue | FigureColumn::Rd
                    );
                    // Amounts may carry their own unit ("1.5亿"); a plain number takes the header's.
                    let plain = plain_number(raw);
                    let value = match (money, plain) {
                        (_, Some(v)) => Ok(v * factor),
                        (true, None) => parse_wan(raw).map_err(|_| ()),
                        (false, None) => Err(()),
                    };
                    match value {
                        Ok(v) if v > MAX_FIGURE => fail("err.efficiency.too_large"),
                        Ok(v) => {
                            let v = (v * 100.0).round() / 100.0;
                            let f = &mut row.figures;
                            let slot = match figure {
                                FigureColumn::Land => &mut f.land_mu,
                                FigureColumn::Tax => &mut f.tax_wan,
                                FigureColumn::Revenue => &mut f.revenue_wan,
                                FigureColumn::AddedValue => &mut f.added_value_wan,
                                FigureColumn::Energy => &mut f.energy_tce,
                                FigureColumn::Rd => &mut f.rd_wan,
                                _ => &mut f.employees,
                            };
                            *slot = Some(v);
                        }
                        Err(()) if raw.starts_with('-') => fail("err.efficiency.negative"),
                        Err(()) => fail("err.efficiency.number"),
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok(row)
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(h: &[&str]) -> Vec<String> {
        h.iter().map(|s| s.to_string()).collect()
    }

    fn cells(c: &[&str]) -> Vec<String> {
        c.iter().map(|s| s.to_string()).collect()
    }

    const USCC: &str = "91340500MA2N0X1Y3K";

    #[test]
    fn headers_name_their_columns() {
        let m = mapping(&headers(&[
            "序号",
            "统一社会信用代码",
            "企业名称",
            "用地面积（亩）",
            "实缴税金(万元)",
            "营业收入/万元",
            "工业增加值",
            "综合能耗（吨标准煤）",
            "研发经费支出",
            "年平均从业人员（人）",
        ]));
        assert_eq!(m[0], None);
        assert_eq!(m[1], Some(FigureColumn::Uscc));
        assert_eq!(m[5], Some(FigureColumn::Revenue));
        assert_eq!(m[7], Some(FigureColumn::Energy));
        assert_eq!(m[9], Some(FigureColumn::Employees));
    }

    #[test]
    fn units_in_headers_are_converted() {
        let uscc = Uscc::complete(&USCC[..17]).unwrap();
        let r = FigureReader::new(
            &headers(&["信用代码", "用地（公顷）", "税收（元）", "综合能耗（万吨标准煤）", "营业收入"]),
            2025,
        );
        let row = r.read(&cells(&[uscc.as_str(), "2", "1,500,000", "0.03", "1.2亿"])).unwrap();
        assert_eq!(row.figures.land_mu, Some(30.0));
        assert_eq!(row.figures.tax_wan, Some(150.0));
        assert_eq!(row.figures.energy_tce, Some(300.0));
        assert_eq!(row.figures.revenue_wan, Some(12_000.0));
        assert_eq!(row.year, 2025);
    }

    #[test]
    fn bad_cells_are_refused_where_they_are() {
        let uscc = Uscc::complete(&USCC[..17]).unwrap();
        let r = FigureReader::new(&headers(&["信用代码", "用地面积", "税收", "年度", "从业人员"]), 2025);
        let errors = r.read(&cells(&["9134", "十亩", "#DIV/0!", "25", "-3"])).unwrap_err();
        let found: Vec<(usize, &str)> = errors.iter().map(|e| (e.column, e.error.key.as_str())).collect();
        assert_eq!(
            found,
            vec![
                (0, "err.efficiency.uscc"),
                (1, "err.efficiency.number"),
                (2, "err.import.formula_error"),
                (3, "err.efficiency.year"),
                (4, "err.efficiency.negative"),
            ]
        );
        // Blank figures are missing, not zero; a 年度 cell overrides the file's year.
        let row = r.read(&cells(&[uscc.as_str(), "", "-", "2024年", ""])).unwrap();
        assert_eq!((row.figures.land_mu, row.figures.tax_wan, row.year), (None, None, 2024));
    }

    #[test]
    fn a_foreign_currency_is_named() {
        let uscc = Uscc::complete(&USCC[..17]).unwrap();
        let r = FigureReader::new(&headers(&["信用代码", "营业收入（万美元）"]), 2025);
        let e = r.read(&cells(&[uscc.as_str(), "100"])).unwrap_err();
        assert_eq!(e[0].error.key, "err.import.foreign_currency");
        assert!(FigureReader::new(&headers(&["企业名称"]), 2025).missing().contains(&FigureColumn::Uscc));
    }
}
