//! 别名: the office's own words for enumerated values (`节能环保` → 节能环保及新材料,
//! `在谈` → 洽谈, `驻点` → 驻点招商). Built-in ones, plus those an admin adds or a user picks
//! once in an import preview (kept in `value_aliases`). A value no alias and no label names is
//! still reported, never guessed.

use super::catalog::{Channel, Industry, Stage, SECTORS};
use super::uscc::fold_full_width;
use serde::{Deserialize, Serialize};

/// The enumerated lead fields that take aliases.
pub const ALIAS_FIELDS: [&str; 4] = ["industry", "sector", "channel", "stage"];

/// The codes a field may take.
pub fn codes(field: &str) -> Vec<&'static str> {
    match field {
        "industry" => Industry::ALL.iter().map(|x| x.code()).collect(),
        "sector" => SECTORS.iter().map(|s| s.code).collect(),
        "channel" => Channel::ALL.iter().map(|x| x.code()).collect(),
        "stage" => Stage::ALL.iter().map(|x| x.code()).collect(),
        _ => Vec::new(),
    }
}

/// The key aliases are compared by: width folded, spaces dropped, Latin lower-cased.
pub fn alias_key(raw: &str) -> String {
    raw.chars().map(fold_full_width).filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

/// Words offices use, as (field, alias, code).
const BUILT_IN: &[(&str, &str, &str)] = &[
    ("industry", "节能环保", "energy_materials"),
    ("industry", "新材料", "energy_materials"),
    ("industry", "环保", "energy_materials"),
    ("industry", "节能", "energy_materials"),
    ("industry", "新能源", "energy_materials"),
    ("industry", "节能环保与新材料", "energy_materials"),
    ("industry", "节能环保和新材料", "energy_materials"),
    ("industry", "电子信息", "electronic_comms"),
    ("industry", "通信", "electronic_comms"),
    ("industry", "5g", "electronic_comms"),
    ("industry", "电子", "electronic_comms"),
    ("industry", "集成电路", "electronic_comms"),
    ("industry", "半导体", "electronic_comms"),
    ("industry", "智能装备", "smart_manufacturing"),
    ("industry", "高端装备", "smart_manufacturing"),
    ("industry", "装备制造", "smart_manufacturing"),
    ("industry", "先进制造", "smart_manufacturing"),
    ("industry", "现代服务", "modern_services"),
    ("industry", "服务业", "modern_services"),
    ("industry", "生产性服务业", "modern_services"),
    ("industry", "其他", "other"),
    ("stage", "在谈", "negotiation"),
    ("stage", "洽谈中", "negotiation"),
    ("stage", "谈判", "negotiation"),
    ("stage", "已签约", "signed"),
    ("stage", "签约", "signed"),
    ("stage", "已注册", "registered"),
    ("stage", "已拿地", "land"),
    ("stage", "已开工", "construction"),
    ("stage", "在建", "construction"),
    ("stage", "已投产", "production"),
    ("stage", "投产运营", "production"),
    ("stage", "已考察", "visit"),
    ("stage", "考察中", "visit"),
    ("stage", "初步接洽", "contact"),
    ("stage", "接触", "contact"),
    ("stage", "在跟踪", "contact"),
    ("stage", "新线索", "clue"),
    ("stage", "暂停", "on_hold"),
    ("stage", "暂缓", "on_hold"),
    ("stage", "已终止", "dropped"),
    ("stage", "放弃", "dropped"),
    ("channel", "驻点", "resident"),
    ("channel", "驻外招商", "resident"),
    ("channel", "委托", "agency"),
    ("channel", "中介", "agency"),
    ("channel", "中介招商", "agency"),
    ("channel", "基金", "fund"),
    ("channel", "资本招商", "fund"),
    ("channel", "以商引商", "referral"),
    ("channel", "商会", "referral"),
    ("channel", "企业推荐", "referral"),
    ("channel", "展会", "exhibition"),
    ("channel", "会展", "exhibition"),
    ("channel", "网络", "online"),
    ("channel", "线上", "online"),
];

/// One alias as kept (field, the office's word, the code it stands for).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alias {
    pub field: String,
    pub alias: String,
    pub code: String,
}

/// The aliases in force: the built-in ones, then the saved ones (a saved alias may redefine
/// a built-in one).
#[derive(Clone, Debug, Default)]
pub struct Aliases {
    saved: Vec<Alias>,
}

impl Aliases {
    /// Only the built-in aliases.
    pub fn built_in() -> Aliases {
        Aliases::default()
    }

    pub fn with_saved(saved: Vec<Alias>) -> Aliases {
        Aliases { saved }
    }

    /// The code `raw` stands for in `field`, if an alias names it.
    pub fn code(&self, field: &str, raw: &str) -> Option<String> {
        let key = alias_key(raw);
        if key.is_empty() {
            return None;
        }
        self.saved.iter().find(|a| a.field == field && alias_key(&a.alias) == key).map(|a| a.code.clone()).or_else(
            || {
                BUILT_IN
                    .iter()
                    .find(|(f, alias, _)| *f == field && alias_key(alias) == key)
                    .map(|(_, _, code)| code.to_string())
            },
        )
    }
}

/// An alias as an admin or a preview submits it, checked: a known field, a code of that field,
/// a word of 1–50 characters.
pub fn parse_alias(field: &str, alias: &str, code: &str) -> Option<Alias> {
    let alias = alias.trim();
    let n = alias.chars().count();
    (ALIAS_FIELDS.contains(&field) && codes(field).contains(&code) && (1..=50).contains(&n)).then(|| Alias {
        field: field.into(),
        alias: alias.into(),
        code: code.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_aliases_are_valid_codes() {
        for (field, alias, code) in BUILT_IN {
            assert!(parse_alias(field, alias, code).is_some(), "{field} {alias} {code}");
        }
    }

    #[test]
    fn the_office_words_are_read() {
        let a = Aliases::built_in();
        assert_eq!(a.code("industry", "节能环保").as_deref(), Some("energy_materials"));
        assert_eq!(a.code("industry", " 新材料 ").as_deref(), Some("energy_materials"));
        assert_eq!(a.code("industry", "５Ｇ").as_deref(), Some("electronic_comms"));
        assert_eq!(a.code("stage", "在谈").as_deref(), Some("negotiation"));
        assert_eq!(a.code("channel", "驻点").as_deref(), Some("resident"));
        assert_eq!(a.code("industry", "生物医药"), None);
        let saved = Aliases::with_saved(vec![Alias {
            field: "industry".into(),
            alias: "生物医药".into(),
            code: "other".into(),
        }]);
        assert_eq!(saved.code("industry", "生物医药").as_deref(), Some("other"));
    }

    #[test]
    fn bad_aliases_are_refused() {
        assert!(parse_alias("industry", "x", "nope").is_none());
        assert!(parse_alias("owner", "x", "other").is_none());
        assert!(parse_alias("industry", "  ", "other").is_none());
    }
}
