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

/// A note at the region cell when the row's USCC was registered in a division that neither
/// lies within the region the cell names nor contains it (苏州市 beside a USCC of 320115,
/// 南京市江宁区): a lead with a known USCC is saved with the USCC's region
/// (`leads::resolve_region`), so the cell's would otherwise be dropped unseen. `form` as
/// [`with_region_code`] gives it; `cell` the region cell's text as in the file. None when they
/// agree, when either is missing or unknown, or when no column holds the region.
pub fn region_note(mapping: &[Option<ImportColumn>], form: &LeadForm, cell: &str) -> Option<RowIssue> {
    let column = mapping.iter().position(|m| *m == Some(ImportColumn::Region))?;
    let given = match RegionCode::parse(&form.region_code)? {
        RegionCode::Division(code) => code,
        RegionCode::Overseas(_) => return None,
    };
    let d = divisions();
    let registered = d.resolve(Uscc::parse(&form.uscc).ok()?.division_code())?;
    let registered = match registered {
        RegionCode::Division(code) => code,
        RegionCode::Overseas(_) => return None,
    };
    let (a, b) = (trim_level(&given), trim_level(&registered));
    if a.starts_with(b) || b.starts_with(a) {
        return None;
    }
    Some(RowIssue {
        column: Some(column),
        error: FieldError::new("region_code", "import.note.region_from_uscc")
            .with("value", cell.trim())
            .with("registered", d.name_of(&registered)),
    })
}

/// A six-digit division code without the zero pairs of the levels it does not name:
/// "320000" → "32", "320500" → "3205", "320115" → "320115".
fn trim_level(code: &str) -> &str {
    if code.ends_with("0000") {
        &code[..2]
    } else if code.ends_with("00") {
        &code[..4]
    } else {
        code
    }
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
        let form =
            with_region_code(LeadForm { region_code: region.into(), uscc: uscc(registered), ..Default::default() });
        region_note(&MAPPING, &form, region)
    }

    #[test]
    fn a_region_the_uscc_contradicts_is_noted_at_its_cell() {
        let n = note("苏州市", "320115").expect("noted");
        assert_eq!(n.column, Some(1));
        assert_eq!(n.error.key, "import.note.region_from_uscc");
        assert_eq!(n.error.args.iter().find(|(k, _)| k == "value").map(|(_, v)| v.as_str()), Some("苏州市"));
        assert!(n.error.args.iter().any(|(k, v)| k == "registered" && v.contains("江宁区")), "{:?}", n.error.args);
        assert!(note("上海市", "320115").is_some());
    }

    #[test]
    fn a_region_that_holds_or_refines_the_uscc_s_is_not() {
        for region in ["南京市", "江苏省", "江宁区", "江苏省南京市江宁区", "320115", "3201"] {
            assert!(note(region, "320115").is_none(), "{region}");
        }
        // The USCC names only the city: a district of it agrees.
        assert!(note("江宁区", "320100").is_none());
        // Unknown text or no region: the form's own checks speak.
        assert!(note("火星", "320115").is_none());
        assert!(note("", "320115").is_none());
    }
}
