//! Company-name normalisation for duplicate detection (查重).

use super::uscc::fold_full_width;

/// Legal-form suffixes dropped for the comparison, longest first so that
/// 股份有限公司 goes before 有限公司.
const SUFFIXES: &[&str] = &[
    "股份有限公司",
    "有限责任公司",
    "集团有限公司",
    "有限公司",
    "股份公司",
    "集团公司",
    "总公司",
    "公司",
    "co.,ltd.",
    "co.,ltd",
    "co.ltd.",
    "co.ltd",
    "limited",
    "ltd.",
    "ltd",
    "inc.",
    "inc",
    "gmbh",
    "corporation",
    "corp.",
    "corp",
];

/// Trim, fold full-width to half-width, lower-case Latin, drop spaces and brackets' style
/// differences, and drop legal-form suffixes. Two names with the same key are suspected twins.
pub fn normalise_company_name(raw: &str) -> String {
    let mut s: String = raw
        .trim()
        .chars()
        .map(fold_full_width)
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            other => other,
        })
        .filter(|c| !c.is_whitespace())
        .flat_map(|c| c.to_lowercase())
        .collect();
    loop {
        let before = s.len();
        for suffix in SUFFIXES {
            if let Some(stripped) = s.strip_suffix(suffix) {
                s = stripped.trim_end_matches([',', '.']).to_string();
                break;
            }
        }
        if s.len() == before || s.is_empty() {
            break;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::normalise_company_name as n;

    #[test]
    fn drops_legal_form_suffixes() {
        assert_eq!(n("瑞斯康达科技发展股份有限公司"), "瑞斯康达科技发展");
        assert_eq!(n("瑞斯康达科技发展有限公司"), "瑞斯康达科技发展");
        assert_eq!(n("瑞斯康达科技发展"), "瑞斯康达科技发展");
    }

    #[test]
    fn trims_and_folds_width_and_case() {
        assert_eq!(n("  ＡＢＣ电子（南京）有限公司 "), "abc电子(南京)");
        assert_eq!(n("abc电子(南京)有限公司"), "abc电子(南京)");
        assert_eq!(n("Siemens AG Ltd."), "siemensag");
        assert_eq!(n("Foo Co., Ltd."), "foo");
    }

    #[test]
    fn a_bare_suffix_does_not_vanish_into_another_company() {
        assert_eq!(n("有限公司"), "");
        assert_ne!(n("华为技术有限公司"), n("华为终端有限公司"));
    }
}
