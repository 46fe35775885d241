//! Where a lead comes from: a GB/T 2260 division or an overseas area, and its 招商 region group.

use serde::{Deserialize, Serialize};

/// 区域分组: how the office groups sources of leads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RegionGroup {
    /// 长三角 Shanghai, Jiangsu, Zhejiang, Anhui.
    Yrd,
    /// 珠三角 the nine Pearl River Delta cities of Guangdong.
    Prd,
    /// 其他国内 the rest of the mainland.
    OtherDomestic,
    /// 境外 Europe, Taiwan, Hong Kong/Macao and elsewhere (对欧对台).
    Overseas,
}

impl RegionGroup {
    pub const ALL: [RegionGroup; 4] = [Self::Yrd, Self::Prd, Self::OtherDomestic, Self::Overseas];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Yrd => "yrd",
            Self::Prd => "prd",
            Self::OtherDomestic => "domestic",
            Self::Overseas => "overseas",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.as_str() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Self::Yrd => "region.group.yrd",
            Self::Prd => "region.group.prd",
            Self::OtherDomestic => "region.group.domestic",
            Self::Overseas => "region.group.overseas",
        }
    }
}

/// Overseas areas a lead may be placed in when it has no mainland division.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OverseasArea {
    Europe,
    Taiwan,
    HongKongMacao,
    Other,
}

impl OverseasArea {
    pub const ALL: [OverseasArea; 4] = [Self::Europe, Self::Taiwan, Self::HongKongMacao, Self::Other];

    pub fn code(self) -> &'static str {
        match self {
            Self::Europe => "OS-EU",
            Self::Taiwan => "OS-TW",
            Self::HongKongMacao => "OS-HK",
            Self::Other => "OS-OT",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Self::Europe => "region.overseas.eu",
            Self::Taiwan => "region.overseas.tw",
            Self::HongKongMacao => "region.overseas.hk",
            Self::Other => "region.overseas.other",
        }
    }

    /// The prefecture shape 招商地图 draws this area's leads on: 台湾 on 7100, 港澳 on 8100 (澳门's
    /// 8200 shows the same figure: the office keeps the two as one area); none for Europe and
    /// elsewhere (they are only in the map's 境外线索 box).
    pub fn map_place(self) -> Option<&'static str> {
        match self {
            Self::Taiwan => Some("7100"),
            Self::HongKongMacao => Some("8100"),
            Self::Europe | Self::Other => None,
        }
    }

    /// The area a map shape or division prefix stands for: 71… 台湾, 81… and 82… 港澳.
    pub fn of_shape(code: &str) -> Option<OverseasArea> {
        OVERSEAS_PROVINCES.iter().find(|(p, _)| code.starts_with(p)).map(|(_, a)| *a)
    }
}

/// A lead's region: a mainland division code (2, 4 or 6 significant digits, stored as 6) or an
/// overseas area. Parsed once at the edge.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RegionCode {
    Division(String),
    Overseas(OverseasArea),
}

/// 珠三角九市 (GB/T 2260 prefecture codes).
pub const PRD_CITIES: [&str; 9] = ["4401", "4403", "4404", "4406", "4407", "4412", "4413", "4419", "4420"];

/// 南京都市圈: Nanjing, Zhenjiang, Yangzhou, Huai'an, Ma'anshan, Chuzhou, Wuhu, Xuancheng, and
/// Changzhou's Liyang and Jintan.
pub const NANJING_METRO_CITIES: [&str; 8] = ["3201", "3211", "3210", "3208", "3405", "3411", "3402", "3418"];
const NANJING_METRO_COUNTIES: [&str; 2] = ["320481", "320413"];

/// Mainland division codes whose province is Taiwan (71) or Hong Kong/Macao (81, 82) count overseas
/// for 对台 work.
const OVERSEAS_PROVINCES: [(&str, OverseasArea); 3] =
    [("71", OverseasArea::Taiwan), ("81", OverseasArea::HongKongMacao), ("82", OverseasArea::HongKongMacao)];

impl RegionCode {
    /// `"320115"`, `"3201"`, `"32"` (padded to six digits) or an overseas code like `"OS-EU"`.
    pub fn parse(raw: &str) -> Option<Self> {
        let s = raw.trim();
        if let Some(area) = OverseasArea::ALL.into_iter().find(|a| a.code() == s) {
            return Some(Self::Overseas(area));
        }
        if !s.chars().all(|c| c.is_ascii_digit()) || !matches!(s.len(), 2 | 4 | 6) {
            return None;
        }
        if s.starts_with("00") || s.starts_with('0') {
            return None;
        }
        let padded = format!("{s:0<6}");
        if let Some((_, area)) = OVERSEAS_PROVINCES.iter().find(|(p, _)| padded.starts_with(p)) {
            return Some(Self::Overseas(*area));
        }
        Some(Self::Division(padded))
    }

    pub fn as_code(&self) -> String {
        match self {
            Self::Division(c) => c.clone(),
            Self::Overseas(a) => a.code().to_string(),
        }
    }

    pub fn province(&self) -> Option<&str> {
        match self {
            Self::Division(c) => Some(&c[..2]),
            Self::Overseas(_) => None,
        }
    }

    /// Four-digit prefecture code, when the division is below province level.
    pub fn city(&self) -> Option<&str> {
        match self {
            Self::Division(c) if &c[2..4] != "00" => Some(&c[..4]),
            _ => None,
        }
    }

    pub fn group(&self) -> RegionGroup {
        match self {
            Self::Overseas(_) => RegionGroup::Overseas,
            Self::Division(c) => {
                let province = &c[..2];
                if matches!(province, "31" | "32" | "33" | "34") {
                    RegionGroup::Yrd
                } else if PRD_CITIES.contains(&&c[..4]) {
                    RegionGroup::Prd
                } else {
                    RegionGroup::OtherDomestic
                }
            }
        }
    }

    /// 南京都市圈 flag.
    pub fn in_nanjing_metro(&self) -> bool {
        match self {
            Self::Division(c) => {
                NANJING_METRO_CITIES.contains(&&c[..4]) || NANJING_METRO_COUNTIES.contains(&c.as_str())
            }
            Self::Overseas(_) => false,
        }
    }

    /// Whether this region is `other` or lies inside it (江宁区 320115 within 南京市 320100 and
    /// 江苏省 320000; a municipality's districts and counties within it whichever of its two
    /// "cities" — 5001 市辖区, 5002 县 — a code names). An overseas area lies only within itself.
    pub fn lies_within(&self, other: &RegionCode) -> bool {
        match (self, other) {
            (Self::Division(inner), Self::Division(outer)) => inner.starts_with(level_prefix(outer)),
            (a, b) => a == b,
        }
    }
}

/// 直辖市: Beijing, Tianjin, Shanghai, Chongqing, whose second level (01 市辖区, 02 县) is not a
/// city of its own.
const MUNICIPALITIES: [&str; 4] = ["11", "12", "31", "50"];

/// A six-digit division code without the zero pairs of the levels it does not name, a
/// municipality's second level counting as the municipality: "320000" → "32", "320500" →
/// "3205", "320115" → "320115", "500100" → "50".
fn level_prefix(code: &str) -> &str {
    if code.ends_with("0000") || (code.ends_with("00") && MUNICIPALITIES.contains(&&code[..2])) {
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

    fn group(code: &str) -> RegionGroup {
        RegionCode::parse(code).unwrap().group()
    }

    #[test]
    fn yangtze_delta_is_four_provinces() {
        assert_eq!(group("310115"), RegionGroup::Yrd);
        assert_eq!(group("320115"), RegionGroup::Yrd);
        assert_eq!(group("330100"), RegionGroup::Yrd);
        assert_eq!(group("340500"), RegionGroup::Yrd);
        assert_eq!(group("34"), RegionGroup::Yrd);
    }

    #[test]
    fn pearl_delta_is_nine_cities_not_all_guangdong() {
        assert_eq!(group("440305"), RegionGroup::Prd);
        assert_eq!(group("441900"), RegionGroup::Prd);
        assert_eq!(group("4420"), RegionGroup::Prd);
        // 汕头 and 韶关 are Guangdong but not PRD.
        assert_eq!(group("440500"), RegionGroup::OtherDomestic);
        assert_eq!(group("440200"), RegionGroup::OtherDomestic);
        assert_eq!(group("44"), RegionGroup::OtherDomestic);
    }

    #[test]
    fn other_mainland_and_overseas() {
        assert_eq!(group("110105"), RegionGroup::OtherDomestic);
        assert_eq!(group("OS-EU"), RegionGroup::Overseas);
        assert_eq!(group("710000"), RegionGroup::Overseas);
        assert_eq!(RegionCode::parse("810000"), Some(RegionCode::Overseas(OverseasArea::HongKongMacao)));
    }

    #[test]
    fn nanjing_metro_includes_maanshan_and_liyang() {
        assert!(RegionCode::parse("320115").unwrap().in_nanjing_metro());
        assert!(RegionCode::parse("340504").unwrap().in_nanjing_metro());
        assert!(RegionCode::parse("320481").unwrap().in_nanjing_metro());
        assert!(!RegionCode::parse("320400").unwrap().in_nanjing_metro());
        assert!(!RegionCode::parse("310115").unwrap().in_nanjing_metro());
    }

    #[test]
    fn rejects_garbage() {
        for bad in ["", "3", "320", "32011A", "0000", "OS-XX", "3201150"] {
            assert_eq!(RegionCode::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn city_and_province() {
        let r = RegionCode::parse("320115").unwrap();
        assert_eq!(r.province(), Some("32"));
        assert_eq!(r.city(), Some("3201"));
        assert_eq!(RegionCode::parse("32").unwrap().city(), None);
    }

    #[test]
    fn a_region_lies_within_those_above_it() {
        let r = |c: &str| RegionCode::parse(c).expect(c);
        assert!(r("320115").lies_within(&r("320100")));
        assert!(r("320115").lies_within(&r("32")));
        assert!(r("320115").lies_within(&r("320115")));
        assert!(!r("320100").lies_within(&r("320115")), "a city is not within its district");
        assert!(!r("320500").lies_within(&r("320100")));
        // Chongqing: 城口县 (5002) within 重庆 however its code names the municipality.
        assert!(r("500229").lies_within(&r("500100")));
        assert!(r("500100").lies_within(&r("500200")));
        assert!(r("OS-EU").lies_within(&r("OS-EU")));
        assert!(!r("OS-EU").lies_within(&r("32")) && !r("32").lies_within(&r("OS-EU")));
    }
}
