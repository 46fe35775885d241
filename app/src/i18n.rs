//! Translations. zh-CN is the default; English is the second language. Strings live in
//! `app/locales/*.txt` as `key = value` lines, grouped by page; no user-visible text in Rust.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    ZhCn,
    En,
}

/// The cookie that remembers the reader's language.
pub const LOCALE_COOKIE: &str = "lz_lang";

impl Locale {
    pub fn code(self) -> &'static str {
        match self {
            Locale::ZhCn => "zh-CN",
            Locale::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Locale> {
        match s.trim() {
            "zh-CN" | "zh" | "zh-cn" => Some(Locale::ZhCn),
            "en" | "en-US" | "en-GB" => Some(Locale::En),
            _ => None,
        }
    }

    /// Reads the locale from a `Cookie:` header value.
    pub fn from_cookie_header(header: &str) -> Option<Locale> {
        header
            .split(';')
            .filter_map(|kv| kv.trim().split_once('='))
            .find(|(k, _)| *k == LOCALE_COOKIE)
            .and_then(|(_, v)| Locale::parse(v))
    }

    /// The language an `Accept-Language:` header prefers among ours (`en-GB;q=0.4, zh` → zh-CN),
    /// by the header's q-values (`q=0` refuses a language); `None` when it names neither. Used
    /// by the REST API, after the `lz_lang` cookie a browser session would send.
    #[cfg(feature = "ssr")]
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        let wanted = accept_language::parse_with_quality(header);
        wanted.iter().filter(|(_, q)| *q > 0.0).find_map(|(tag, _)| {
            match tag.split(['-', '_']).next().map(str::to_ascii_lowercase).as_deref() {
                Some("zh") => Some(Locale::ZhCn),
                Some("en") => Some(Locale::En),
                _ => None,
            }
        })
    }

    /// The other language, for the switcher.
    pub fn other(self) -> Locale {
        match self {
            Locale::ZhCn => Locale::En,
            Locale::En => Locale::ZhCn,
        }
    }
}

const ZH_CN: &str = include_str!("../locales/zh-CN.txt");
const EN: &str = include_str!("../locales/en.txt");

fn parse_table(src: &'static str) -> HashMap<&'static str, &'static str> {
    src.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(" = "))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect()
}

fn table(locale: Locale) -> &'static HashMap<&'static str, &'static str> {
    static ZH: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    static EN_T: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    match locale {
        Locale::ZhCn => ZH.get_or_init(|| parse_table(ZH_CN)),
        Locale::En => EN_T.get_or_init(|| parse_table(EN)),
    }
}

/// The text for `key` in `locale`; the key itself if it is missing (a test keeps that from
/// happening).
pub fn tr(locale: Locale, key: &str) -> &str {
    table(locale).get(key).copied().unwrap_or(key)
}

/// `tr` with `{name}` placeholders filled in; the `{label}` argument written `t:some.key` is
/// itself translated (a value's label named in a message: "节能环保 → 节能环保及新材料"). Other
/// arguments (cell values, names) are shown as they are.
///
/// When the count (`{n}` or `{count}`) is 1 and `{key}.one` exists, that text is used ("1 lead
/// assigned" in English; Chinese keeps one form).
pub fn tr_args(locale: Locale, key: &str, args: &[(String, String)]) -> String {
    let one = args.iter().any(|(name, value)| matches!(name.as_str(), "n" | "count") && value == "1");
    let mut s = if one { tr_count(locale, key, 1) } else { tr(locale, key) }.to_string();
    for (name, value) in args {
        let value = match value.strip_prefix("t:").filter(|_| name == "label") {
            Some(key) => tr(locale, key),
            None => value,
        };
        s = s.replace(&format!("{{{name}}}"), value);
    }
    s
}

/// `text` said of the column or field `column`: "计划投资：金额格式不正确" / "Planned investment:
/// not an amount" (the full-width colon in Chinese).
pub fn at_column(locale: Locale, column: &str, text: String) -> String {
    tr(locale, "import.at_column").replace("{column}", column).replace("{text}", &text)
}

/// Items of a list joined as `locale` writes them: "；" in Chinese, "; " in English.
pub fn join_items(locale: Locale, items: &[String]) -> String {
    items.join(if locale == Locale::ZhCn { "；" } else { "; " })
}

/// Names in a row as `locale` lists them: "南京、苏州" in Chinese, "Nanjing, Suzhou" in English.
pub fn enumerate(locale: Locale, names: &[String]) -> String {
    names.join(if locale == Locale::ZhCn { "、" } else { ", " })
}

/// Every `(key, text)` of `locale` whose key starts with `prefix` (the service worker's text).
pub fn with_prefix(locale: Locale, prefix: &str) -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<_> = table(locale).iter().filter(|(k, _)| k.starts_with(prefix)).map(|(k, v)| (*k, *v)).collect();
    out.sort();
    out
}

/// The unit after a count `n`: `{key}.one` when `n` is 1 (English "1 row"), else `key`
/// ("3 rows"; Chinese writes both alike, "1 行", "3 行").
pub fn tr_count(locale: Locale, key: &str, n: u64) -> &str {
    let one = (n == 1).then(|| table(locale).get(format!("{key}.one").as_str()).copied()).flatten();
    one.unwrap_or_else(|| tr(locale, key))
}

/// [`tr_count`] in the current page's locale.
pub fn t_count(key: &str, n: u64) -> &str {
    tr_count(use_locale(), key, n)
}

/// The locale of the page being rendered (provided by `App`).
pub fn use_locale() -> Locale {
    leptos::prelude::use_context::<Locale>().unwrap_or_default()
}

/// Names run together in the current page's locale (「南京、苏州」, "Nanjing, Suzhou"); 「—」 when
/// there are none (a line that would end at its colon).
pub fn listed(names: &[String]) -> String {
    if names.is_empty() {
        "—".to_string()
    } else {
        enumerate(use_locale(), names)
    }
}

/// Translate in the current page's locale.
pub fn t(key: &str) -> &str {
    tr(use_locale(), key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn names_are_listed_as_each_language_lists_them() {
        let names = ["南京".to_string(), "苏州".to_string()];
        assert_eq!(enumerate(Locale::ZhCn, &names), "南京、苏州");
        assert_eq!(enumerate(Locale::En, &names), "南京, 苏州");
        assert_eq!(join_items(Locale::En, &names), "南京; 苏州");
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn accept_language_follows_the_q_values() {
        assert_eq!(Locale::from_accept_language("en-US,en;q=0.9"), Some(Locale::En));
        assert_eq!(Locale::from_accept_language("en;q=0.2, zh-CN"), Some(Locale::ZhCn));
        assert_eq!(Locale::from_accept_language("zh-Hans-CN"), Some(Locale::ZhCn));
        assert_eq!(Locale::from_accept_language("de, fr;q=0.5"), None);
        assert_eq!(Locale::from_accept_language("en;q=0, zh;q=0.1"), Some(Locale::ZhCn));
        assert_eq!(Locale::from_accept_language("en;q=0"), None);
        assert_eq!(Locale::from_accept_language(""), None);
    }

    #[test]
    fn both_languages_have_the_same_keys() {
        let zh: BTreeSet<_> = table(Locale::ZhCn).keys().collect();
        let en: BTreeSet<_> = table(Locale::En).keys().collect();
        let only_zh: Vec<_> = zh.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&zh).collect();
        assert!(only_zh.is_empty() && only_en.is_empty(), "zh only: {only_zh:?}; en only: {only_en:?}");
    }

    #[test]
    fn every_key_used_in_the_code_exists() {
        // Keys appear in code as string literals passed to t/tr/tr_args or named *_key.
        let mut missing = Vec::new();
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut stack = vec![std::path::PathBuf::from(root)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let src = std::fs::read_to_string(&path).unwrap();
                // `t("key")`, and the empty-list message of `<Loaded empty="key" …/>`.
                let uses = src.match_indices("t(\"").chain(src.match_indices(" empty=\""));
                for (i, pattern) in uses {
                    let rest = &src[i + pattern.len()..];
                    let key = &rest[..rest.find('"').unwrap()];
                    if key.contains('.') && !key.contains(' ') && !table(Locale::ZhCn).contains_key(key) {
                        missing.push(format!("{}: {key}", path.display()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "missing translations: {missing:#?}");
    }

    #[test]
    fn label_keys_of_every_vocabulary_exist() {
        use crate::domain::catalog::{Channel, Industry, Stage, SECTORS};
        use crate::domain::region::{OverseasArea, RegionGroup};
        use crate::domain::role::Role;
        let mut keys: Vec<String> = Vec::new();
        keys.extend(Stage::ALL.iter().map(|s| s.label_key().to_string()));
        keys.extend(Channel::ALL.iter().map(|s| s.label_key().to_string()));
        keys.extend(Industry::ALL.iter().map(|s| s.label_key().to_string()));
        keys.extend(SECTORS.iter().map(|s| s.label_key()));
        keys.extend(RegionGroup::ALL.iter().map(|s| s.label_key().to_string()));
        keys.extend(OverseasArea::ALL.iter().map(|s| s.label_key().to_string()));
        keys.extend(Role::ALL.iter().map(|s| s.label_key().to_string()));
        for locale in [Locale::ZhCn, Locale::En] {
            for k in &keys {
                assert!(table(locale).contains_key(k.as_str()), "{locale:?} lacks {k}");
            }
        }
    }

    #[test]
    fn placeholders_are_filled() {
        let s =
            tr_args(Locale::En, "err.uscc.check", &[("expected".into(), "6".into()), ("actual".into(), "7".into())]);
        assert!(s.contains('6') && s.contains('7') && !s.contains('{'), "{s}");
    }

    #[test]
    fn a_count_of_one_takes_the_singular_where_the_language_has_one() {
        assert_eq!(tr_count(Locale::En, "import.rows_unit", 1), "row");
        assert_eq!(tr_count(Locale::En, "import.rows_unit", 2), "rows");
        assert_eq!(tr_count(Locale::En, "import.rows_unit", 0), "rows");
        assert_eq!(tr_count(Locale::ZhCn, "import.rows_unit", 1), "行");
        let one = |n: &str| tr_args(Locale::En, "assign.done", &[("n".into(), n.into())]);
        assert_eq!((one("1"), one("11")), ("1 lead assigned".to_string(), "11 leads assigned".to_string()));
        // Keys without a singular form fall back to the one text.
        assert_eq!(tr_count(Locale::En, "report.visits_unit", 3), "visits");
        assert_eq!(tr_count(Locale::En, "import.line", 1), tr(Locale::En, "import.line"));
    }

    #[test]
    fn cookie_header_is_read() {
        assert_eq!(Locale::from_cookie_header("a=b; lz_lang=en; c=d"), Some(Locale::En));
        assert_eq!(Locale::from_cookie_header("a=b"), None);
    }
}
