//! 单位: the unit a spreadsheet's header or a note above its table gives to a column
//! ("计划总投资（亿元）", "用地面积(公顷)", "单位：万元"), and a plain number in that column
//! converted to what a lead stores — amounts in 万元, areas in 亩. A currency other than 人民币
//! is named, never converted as if it were yuan.

use super::money::format_wan;
use super::uscc::fold_full_width;
use serde::{Deserialize, Serialize};

/// A unit found in a header or a note.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Unit {
    /// An amount in yuan times `factor` 万元 per unit (亿元 = 10,000; 元 = 0.0001).
    Money { label: String, wan_per_unit: f64 },
    /// An area, `mu_per_unit` 亩 per unit (公顷 = 15; 平方米 = 0.0015).
    Area { label: String, mu_per_unit: f64 },
    /// Money in another currency (美元, 港元 …): reported, not stored.
    Foreign { currency: String },
}

/// RMB amounts by the longest name first, so that 万元 is not read as 元.
const MONEY: &[(&str, &str, f64)] = &[
    ("百亿元", "百亿元", 1_000_000.0),
    ("亿元", "亿元", 10_000.0),
    ("千万元", "千万元", 1_000.0),
    ("百万元", "百万元", 100.0),
    ("十万元", "十万元", 10.0),
    ("亿", "亿元", 10_000.0),
    ("万元", "万元", 1.0),
    ("万", "万元", 1.0),
    ("千元", "千元", 0.1),
    ("元", "元", 0.0001),
    ("rmb10k", "万元", 1.0),
    ("10kyuan", "万元", 1.0),
    ("yuan", "元", 0.0001),
    ("rmb", "元", 0.0001),
    ("cny", "元", 0.0001),
];

/// 1 亩 = 10,000 / 15 平方米; 1 公顷 = 15 亩.
const AREA: &[(&str, &str, f64)] = &[
    ("平方公里", "平方公里", 1_500.0),
    ("平方千米", "平方公里", 1_500.0),
    ("km2", "平方公里", 1_500.0),
    ("万平方米", "万平方米", 15.0),
    ("万平米", "万平方米", 15.0),
    ("万㎡", "万平方米", 15.0),
    ("平方米", "平方米", 0.0015),
    ("平米", "平方米", 0.0015),
    ("㎡", "平方米", 0.0015),
    ("m2", "平方米", 0.0015),
    ("公顷", "公顷", 15.0),
    ("hectare", "公顷", 15.0),
    ("ha", "公顷", 15.0),
    ("亩", "亩", 1.0),
    ("mu", "亩", 1.0),
];

/// Currencies that are not 人民币, as written in headers and cells.
const FOREIGN: &[(&str, &str)] = &[
    ("美元", "美元"),
    ("美金", "美元"),
    ("usd", "美元"),
    ("us$", "美元"),
    ("港元", "港元"),
    ("港币", "港元"),
    ("hkd", "港元"),
    ("欧元", "欧元"),
    ("eur", "欧元"),
    ("日元", "日元"),
    ("jpy", "日元"),
    ("英镑", "英镑"),
    ("gbp", "英镑"),
    ("新台币", "新台币"),
    ("twd", "新台币"),
    ("韩元", "韩元"),
    ("新加坡元", "新加坡元"),
    ("sgd", "新加坡元"),
];

fn fold(s: &str) -> String {
    s.chars().map(fold_full_width).filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

/// The foreign currency a text names, if any ("万美元", "USD", "港币").
pub fn foreign_currency(text: &str) -> Option<&'static str> {
    let t = fold(text);
    FOREIGN.iter().find(|(word, _)| t.contains(word)).map(|(_, name)| *name)
}

fn money_unit(t: &str) -> Option<Unit> {
    if let Some(currency) = foreign_currency(t) {
        return Some(Unit::Foreign { currency: currency.into() });
    }
    MONEY
        .iter()
        .find(|(word, ..)| t == *word)
        .map(|(_, label, f)| Unit::Money { label: (*label).into(), wan_per_unit: *f })
}

fn area_unit(t: &str) -> Option<Unit> {
    AREA.iter()
        .find(|(word, ..)| t == *word)
        .map(|(_, label, f)| Unit::Area { label: (*label).into(), mu_per_unit: *f })
}

/// The unit a header names in brackets or after a slash: "计划投资(万元)", "计划总投资（亿元）",
/// "用地面积【公顷】", "投资额/亿元", "Investment (RMB10k)". None when it names none.
pub fn header_unit(header: &str) -> Option<Unit> {
    let h: String = header.chars().map(fold_full_width).collect();
    let inner = if let Some(open) = h.rfind(['(', '[', '【', '（']) {
        h[open..].trim_start_matches(['(', '[', '【', '（']).trim_end_matches([')', ']', '】', '）', ' '])
    } else if let Some(slash) = h.rfind('/') {
        &h[slash + 1..]
    } else {
        return None;
    };
    let t = fold(inner).trim_start_matches("单位").trim_start_matches([':', '：']).to_string();
    money_unit(&t).or_else(|| area_unit(&t))
}

/// The money unit of a note above the table: "单位：万元", "金额单位:亿元", "（单位：万元）".
pub fn note_unit(text: &str) -> Option<Unit> {
    // Width folded but spaces kept: the unit word ends at a space ("单位：万元  填报日期：…").
    let t: String = text.chars().map(fold_full_width).collect();
    // "填报单位：…" also says 单位: every occurrence is tried.
    t.match_indices("单位").find_map(|(at, _)| {
        let rest = t[at + "单位".len()..].trim_start_matches([':', ' ']);
        let word: String = rest
            .chars()
            .take_while(|c| {
                !c.is_whitespace() && !matches!(c, ',' | ';' | '、' | ')' | '(' | '，' | '；' | '（' | '）')
            })
            .collect();
        match money_unit(&fold(&word)) {
            Some(u @ Unit::Money { .. }) | Some(u @ Unit::Foreign { .. }) => Some(u),
            _ => None,
        }
    })
}

/// A cell converted into the stored unit: the new text and what the preview shows
/// ("1.5 亿元 → 15,000 万元").
#[derive(Clone, Debug, PartialEq)]
pub struct Converted {
    pub value: String,
    pub from: String,
    pub to: String,
}

/// Why a cell of a unit column cannot be stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnitError {
    ForeignCurrency(String),
}

/// A plain number in a column of `unit`, in 万元 or 亩. A cell that carries its own unit
/// ("3000万", "12亩") or is not a number is left to the lead form's own reading; a foreign
/// currency (in the header or in the cell) is an error.
pub fn convert(unit: Option<&Unit>, cell: &str) -> Result<Option<Converted>, UnitError> {
    if let Some(currency) = foreign_currency(cell) {
        return Err(UnitError::ForeignCurrency(currency.into()));
    }
    let Some(unit) = unit else { return Ok(None) };
    let digits: String = cell.chars().map(fold_full_width).filter(|c| !c.is_whitespace() && *c != ',').collect();
    let number = match digits.parse::<f64>() {
        Ok(n) if n.is_finite() => n,
        _ => {
            return match unit {
                Unit::Foreign { currency } => Err(UnitError::ForeignCurrency(currency.clone())),
                _ => Ok(None),
            }
        }
    };
    let (label, factor, to_label) = match unit {
        Unit::Foreign { currency } => return Err(UnitError::ForeignCurrency(currency.clone())),
        Unit::Money { label, wan_per_unit } => (label, *wan_per_unit, "万元"),
        Unit::Area { label, mu_per_unit } => (label, *mu_per_unit, "亩"),
    };
    if factor == 1.0 {
        return Ok(None);
    }
    let stored = (number * factor * 100.0).round() / 100.0;
    Ok(Some(Converted {
        value: format!("{stored}"),
        from: format!("{} {label}", cell.trim()),
        to: format!("{} {to_label}", format_wan(stored)),
    }))
}

/// An amount cell that names its own unit other than 万元 ("1.2亿", "1.5 亿元", "500000元"):
/// what it comes to in 万元, for the preview's note (the lead form reads the unit itself, so the
/// stored text stays the cell's). None for a plain number, a 万元 amount, or what no amount
/// reading accepts (the form says why).
pub fn own_money_unit(cell: &str) -> Option<Converted> {
    let amount = super::money::read_amount(cell).ok()?;
    if !matches!(amount.unit, "亿元" | "元") {
        return None;
    }
    Some(Converted {
        value: cell.trim().to_string(),
        from: format!("{} {}", amount.number, amount.unit),
        to: format!("{} 万元", format_wan(amount.wan)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(label: &str, f: f64) -> Option<Unit> {
        Some(Unit::Money { label: label.into(), wan_per_unit: f })
    }

    #[test]
    fn an_amount_with_its_own_unit_is_noted_in_wan() {
        let note = |cell: &str| own_money_unit(cell).map(|c| (c.from, c.to));
        assert_eq!(note("1.2亿"), Some(("1.2 亿元".into(), "12,000 万元".into())));
        assert_eq!(note(" 1.5 亿元 "), Some(("1.5 亿元".into(), "15,000 万元".into())));
        assert_eq!(note("5000000元"), Some(("5000000 元".into(), "500 万元".into())));
        for quiet in ["3000", "3000万", "3000万元", "约1亿", "亿", ""] {
            assert_eq!(note(quiet), None, "{quiet}");
        }
    }

    #[test]
    fn headers_name_their_units() {
        assert_eq!(header_unit("计划总投资（亿元）"), money("亿元", 10_000.0));
        assert_eq!(header_unit("计划投资(万元)"), money("万元", 1.0));
        assert_eq!(header_unit("注册资本(千元)"), money("千元", 0.1));
        assert_eq!(header_unit("投资额/元"), money("元", 0.0001));
        assert_eq!(header_unit("Investment (RMB10k)"), money("万元", 1.0));
        assert_eq!(header_unit("用地面积（公顷）"), Some(Unit::Area { label: "公顷".into(), mu_per_unit: 15.0 }));
        assert_eq!(header_unit("用地【平方米】"), Some(Unit::Area { label: "平方米".into(), mu_per_unit: 0.0015 }));
        assert_eq!(header_unit("投资额（万美元）"), Some(Unit::Foreign { currency: "美元".into() }));
        assert_eq!(header_unit("企业名称"), None);
        assert_eq!(header_unit("电子通信（首位产业）"), None);
    }

    #[test]
    fn notes_above_the_table_give_the_money_unit() {
        assert_eq!(note_unit("填报单位：高新区招商局    单位：万元"), money("万元", 1.0));
        assert_eq!(note_unit("金额单位:亿元"), money("亿元", 10_000.0));
        assert_eq!(note_unit("（单位：元）"), money("元", 0.0001));
        assert_eq!(note_unit("填报单位：高新区招商局"), None);
        assert_eq!(note_unit("单位：万元  填报日期：2026-03-01"), money("万元", 1.0));
        assert_eq!(header_unit("用地（万平方米）"), Some(Unit::Area { label: "万平方米".into(), mu_per_unit: 15.0 }));
        assert_eq!(header_unit("注册资本（百万元）"), money("百万元", 100.0));
    }

    #[test]
    fn plain_numbers_convert_and_say_so() {
        let c = convert(money("亿元", 10_000.0).as_ref(), "1.5").unwrap().unwrap();
        assert_eq!((c.value.as_str(), c.from.as_str(), c.to.as_str()), ("15000", "1.5 亿元", "15,000 万元"));
        let c = convert(Some(&Unit::Area { label: "公顷".into(), mu_per_unit: 15.0 }), "2").unwrap().unwrap();
        assert_eq!(c.value, "30");
        assert_eq!(convert(money("万元", 1.0).as_ref(), "3000").unwrap(), None);
        assert_eq!(convert(money("亿元", 10_000.0).as_ref(), "3000万").unwrap(), None, "the cell's own unit wins");
        assert_eq!(convert(None, "500万美元"), Err(UnitError::ForeignCurrency("美元".into())));
        assert_eq!(
            convert(Some(&Unit::Foreign { currency: "港元".into() }), "100"),
            Err(UnitError::ForeignCurrency("港元".into()))
        );
    }
}
