//! A row's region (所在地区) as an import reads it: a code, a name or an address, and what it
//! says beside the region the row's USCC was registered in.

use crate::backend::regions::divisions;
use crate::domain::import::ImportColumn;
use crate::domain::lead::{FieldError, LeadForm};
use crate::domain::region::RegionCode;
use crate::domain::uscc::Uscc;
use crate::wire::imports::RowIssue;

/// The row's form with its region text read as a code, a name or an address ("苏州市",
/// "江苏省南京市江宁区", "320115"); text no division matches is left for the form to refuse.
pub fn with_region_code(mut form: LeadForm) -> LeadForm {
    let text = form.region_code.trim();
    if !text.is_empty() && RegionCode::parse(text).is_none() {
        if let Some(code) = divisions().find_address(text) {
            form.region_code = code;
        }
    }
    form
}

/// The region a cell's text names, as [`with_region_code`] reads it: None for text that names
/// none (the form refuses it).
fn region_of(text: &str) -> Option<RegionCode> {
    RegionCode::parse(text).or_else(|| RegionCode::parse(&divisions().find_address(text)?))
}

/// A note at the region cell of a row to be created (or refused for now) when the new lead
/// would be saved with another region than the cell names (`leads::region_by_rule`, the rule
/// of every save): the USCC's, which neither lies within the cell's nor is it (苏州市 beside a
/// USCC of 320115, 南京市江宁区; an overseas area, or a code of no division even inside the
/// USCC's, beside any USCC), so the cell's would otherwise be dropped unseen. A cell naming a
/// region within the USCC's (江宁区 beside 320100) is kept: no note; one naming a region that
/// contains it (南京市 beside 320115) is saved as the USCC's finer one, said as such
/// (`import.note.region_refined`). `read` is the row's form as read (its region
/// the cell's text, unescaped and trimmed). None also when the row has no region or no valid
/// USCC, or neither names a known division.
pub fn region_note(mapping: &[Option<ImportColumn>], read: &LeadForm) -> Option<RowIssue> {
    let column = ImportColumn::Region.column_in(mapping)?;
    let text = read.region_code.trim();
    let given = region_of(text)?;
    let uscc = Uscc::parse(&read.uscc).ok()?;
    let saved = super::leads::region_by_rule(Some(&uscc), Some(&given))?;
    if saved == given {
        return None;
    }
    // Finer than the cell (西湖区 for 浙江省杭州市): said too, so the saved region is no surprise.
    let key = if saved.lies_within(&given) { "import.note.region_refined" } else { "import.note.region_from_uscc" };
    Some(RowIssue {
        column: Some(column),
        error: FieldError::new("region_code", key)
            .with("value", text)
            .with("registered", divisions().name_of(&saved.as_code())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAPPING: [Option<ImportColumn>; 2] = [Some(ImportColumn::Uscc), Some(ImportColumn::Region)];

    /// A valid USCC registered in the division `code6`.
    fn uscc(code6: &str) -> String {
        Uscc::complete(&format!("91{code6}MA1MXXXX0")).expect("valid").as_str().to_string()
    }

    fn note(region: &str, registered: &str) -> Option<RowIssue> {
        region_note(&MAPPING, &LeadForm { region_code: region.into(), uscc: uscc(registered), ..Default::default() })
    }

    #[test]
    fn a_region_the_uscc_contradicts_is_noted_at_its_cell() {
        let n = note("苏州市", "320115").expect("noted");
        assert_eq!(n.column, Some(1));
        assert_eq!(n.error.key, "import.note.region_from_uscc");
        assert_eq!(n.error.args.iter().find(|(k, _)| k == "value").map(|(_, v)| v.as_str()), Some("苏州市"));
        assert!(n.error.args.iter().any(|(k, v)| k == "registered" && v.contains("江宁区")), "{:?}", n.error.args);
        assert!(note("上海市", "320115").is_some());
        // An overseas area or a code of no division beside a mainland USCC: saved as the USCC's.
        assert!(note("OS-EU", "320115").is_some());
        assert!(note("329999", "320115").is_some());
        // A code of no division inside the USCC's region is not kept either: said.
        assert!(note("320199", "320100").is_some());
    }

    #[test]
    fn a_region_that_is_the_uscc_s_or_refines_it_is_not() {
        for region in ["江宁区", "江苏省南京市江宁区", "320115"] {
            assert!(note(region, "320115").is_none(), "{region}");
        }
        // The USCC names only the city: a district of it agrees (and is kept).
        assert!(note("江宁区", "320100").is_none());
        // Unknown text or no region: the form's own checks speak.
        assert!(note("火星", "320115").is_none());
        assert!(note("", "320115").is_none());
    }

    #[test]
    fn a_region_the_uscc_makes_finer_is_said_to_be_refined() {
        for region in ["南京市", "江苏省", "3201"] {
            let n = note(region, "320115").expect("noted");
            assert_eq!(n.error.key, "import.note.region_refined", "{region}");
            assert!(n.error.args.iter().any(|(k, v)| k == "registered" && v.contains("江宁区")), "{:?}", n.error.args);
        }
        // Chongqing's counties lie within 重庆市 (500100) though their codes start 5002: refined,
        // not contradicted.
        for region in ["重庆市", "重庆"] {
            assert_eq!(
                note(region, "500229").map(|n| n.error.key),
                Some("import.note.region_refined".into()),
                "{region}"
            );
        }
    }
}
