//! 导入: what a spreadsheet column holds, guessed from its header in Chinese or English. One
//! row turned into the lead form is `import_row` (re-exported here). Pure: the service reads
//! the file, resolves regions and checks duplicates.

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

    /// Where this field is read from: its column's index in `mapping` (each of the file's
    /// columns mapped to at most one field), if any column is mapped to it.
    pub fn column_in(self, mapping: &[Option<ImportColumn>]) -> Option<usize> {
        mapping.iter().position(|m| *m == Some(self))
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
pub fn normalise_header(h: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::import_row::*;

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
    fn a_full_width_phone_is_read_folded_and_the_preview_says_so() {
        let mapping = [Some(ImportColumn::CompanyName), Some(ImportColumn::ContactPhone)];
        let aliases = crate::domain::import_alias::Aliases::built_in();
        let reader = RowReader::new(&mapping, &[], None, &aliases);
        let read = reader.read(&headers(&["某某有限公司", "０２５－８６６１２３４５"]));
        assert_eq!(read.form.contacts[0].phone, "025-86612345");
        assert_eq!(read.notes.len(), 1);
        assert_eq!((read.notes[0].column, read.notes[0].error.key.as_str()), (1, "import.note.converted"));
        assert!(read.notes[0].error.args.contains(&("to".to_string(), "025-86612345".to_string())));
        // Typed in ASCII: nothing to say.
        assert!(reader.read(&headers(&["某某有限公司", "025-86612345"])).notes.is_empty());
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

    #[test]
    fn a_sector_named_for_the_industry_is_read_as_both_and_the_preview_says_so() {
        let mapping = [Some(ImportColumn::CompanyName), Some(ImportColumn::Industry), Some(ImportColumn::Sector)];
        let aliases = crate::domain::import_alias::Aliases::built_in();
        let reader = RowReader::new(&mapping, &[], None, &aliases);
        let read = reader.read(&headers(&["某某有限公司", "软件与信息服务", ""]));
        assert!(read.errors.is_empty(), "{:?}", read.errors);
        assert_eq!((read.form.industry.as_str(), read.form.sector.as_str()), ("modern_services", "software_it"));
        assert_eq!((read.notes[0].column, read.notes[0].error.key.as_str()), (1, "import.note.sector_as_industry"));
        // A sector column's own value stands, whichever comes first.
        let read = reader.read(&headers(&["某某有限公司", "software_it", "logistics"]));
        assert_eq!(read.form.industry, "modern_services");
        assert_eq!(read.form.sector, "logistics");
        assert!(reader.read(&headers(&["某某有限公司", "造船", ""])).errors.len() == 1);
    }
}
