//! Company names: the one fold used everywhere names are compared or searched (查重 on entry
//! and import, the list search, the API search), and the cleaning of a name before it is
//! stored. Full- and half-width letters, digits and brackets are the same; invisible
//! characters (zero-width space and joiners, byte-order marks, direction marks, soft hyphens,
//! no-break and ideographic spaces) never make two names differ.

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

/// Characters that are never seen: zero-width space, non-joiner and joiner, direction marks
/// and embeddings, word joiner and invisible operators, byte-order mark, soft hyphen,
/// Mongolian vowel separator.
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}' | '\u{180E}')
}

/// A name as it is stored: as written, minus invisible characters, with no-break and
/// ideographic spaces as plain spaces, trimmed.
pub fn clean_company_name(raw: &str) -> String {
    raw.chars()
        .filter(|c| !is_invisible(*c))
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

/// The fold names are compared and searched by: full-width folded to half-width (letters,
/// digits, brackets: `（苏州）` = `(苏州)`), other bracket forms (【】〔〕﹙﹚) as round
/// brackets, invisible characters and all spaces dropped, Latin lower-cased. Applied alike to
/// stored names (`leads.name_fold`) and to what is typed into a search.
pub fn fold_company_name(raw: &str) -> String {
    raw.chars()
        .filter(|c| !is_invisible(*c))
        .map(fold_full_width)
        .map(|c| match c {
            '【' | '〔' | '﹙' | '〖' => '(',
            '】' | '〕' | '﹚' | '〗' => ')',
            other => other,
        })
        .filter(|c| !c.is_whitespace())
        .flat_map(|c| c.to_lowercase())
        .collect()
}

/// The fold without legal-form suffixes: two names with the same key are suspected twins (查重).
pub fn normalise_company_name(raw: &str) -> String {
    let mut s = fold_company_name(raw);
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
    fn invisible_characters_and_widths_never_make_two_names_differ() {
        let plain = n("（苏州）精工有限公司");
        for variant in [
            "(苏州)精工有限公司",
            "\u{feff}（苏州）精工有限公司",
            "（苏州）\u{200b}精工\u{200d}有限公司",
            "（苏州）精工\u{00a0}有限公司",
            "\u{3000}（苏州）精工有限公司",
            "【苏州】精工有限公司",
        ] {
            assert_eq!(n(variant), plain, "{variant:?}");
        }
        assert!(super::fold_company_name("（苏州）精工有限公司").contains(&super::fold_company_name("(苏州)精工")));
        assert_eq!(super::clean_company_name("\u{feff}（苏州）\u{200b}精工\u{3000}有限公司 "), "（苏州）精工 有限公司");
    }

    proptest::proptest! {
        /// The fold ignores what it says it ignores, wherever it is.
        #[test]
        fn fold_ignores_invisibles_and_width(s in "[a-zA-Z0-9()（）苏州精工科技 ]{0,20}", at in 0usize..20) {
            let folded = super::fold_company_name(&s);
            let mut chars: Vec<char> = s.chars().collect();
            let at = at.min(chars.len());
            chars.insert(at, '\u{200b}');
            let with_zwsp: String = chars.iter().collect();
            proptest::prop_assert_eq!(super::fold_company_name(&with_zwsp), folded.clone());
            let wide: String = s.chars().map(|c| if c.is_ascii_graphic() { char::from_u32(c as u32 + 0xFEE0).unwrap() } else { c }).collect();
            proptest::prop_assert_eq!(super::fold_company_name(&wide), folded.clone());
            proptest::prop_assert_eq!(super::fold_company_name(&folded), folded.clone());
            proptest::prop_assert_eq!(super::fold_company_name(&super::clean_company_name(&s)), folded);
        }
    }

    #[test]
    fn a_bare_suffix_does_not_vanish_into_another_company() {
        assert_eq!(n("有限公司"), "");
        assert_ne!(n("华为技术有限公司"), n("华为终端有限公司"));
    }
}
