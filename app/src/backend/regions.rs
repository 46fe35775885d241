//! GB/T 2260 division names (copied from ../shared/data/divisions, see data/divisions/README.md)
//! and the resolution of a USCC's registering authority to a region.

use crate::domain::region::RegionCode;
use crate::wire::leads::{ProvinceOption, RegionView};
use std::collections::HashMap;
use std::sync::OnceLock;

const PROVINCES: &str = include_str!("../../data/divisions/provinces.csv");
const CITIES: &str = include_str!("../../data/divisions/cities.csv");
const AREAS: &str = include_str!("../../data/divisions/areas.csv");

pub struct Divisions {
    provinces: HashMap<String, String>,
    cities: HashMap<String, String>,
    areas: HashMap<String, String>,
    /// Provinces with their cities, in code order, for pickers.
    tree: Vec<ProvinceOption>,
    /// Each level's codes by the names people type (imports read 100,000 addresses at a time).
    province_names: NameIndex,
    city_names: NameIndex,
    area_names: NameIndex,
}

/// One level's codes by name: the full name ("南京市") and the name without its 市/省/区/县
/// ("南京"), each list in code order.
struct NameIndex(HashMap<String, Vec<String>>);

impl NameIndex {
    fn of(level: &HashMap<String, String>) -> NameIndex {
        let mut index: HashMap<String, Vec<String>> = HashMap::new();
        for (code, name) in level {
            index.entry(name.clone()).or_default().push(code.clone());
            if let Some(short) = name.strip_suffix(['市', '省', '区', '县']) {
                index.entry(short.to_string()).or_default().push(code.clone());
            }
        }
        for codes in index.values_mut() {
            codes.sort();
            codes.dedup();
        }
        NameIndex(index)
    }

    /// The lowest code named `text`, as six digits.
    fn first(&self, text: &str) -> Option<String> {
        self.0.get(text).and_then(|codes| codes.first()).map(|c| six(c))
    }

    /// The lowest code named `text` that starts with `prefix`, as six digits.
    fn first_within(&self, text: &str, prefix: &str) -> Option<String> {
        self.0.get(text).and_then(|codes| codes.iter().find(|c| c.starts_with(prefix))).map(|c| six(c))
    }
}

fn rows(csv: &'static str) -> impl Iterator<Item = Vec<String>> {
    csv.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split(',').map(|f| f.trim().trim_matches('"').to_string()).collect())
}

pub fn divisions() -> &'static Divisions {
    static D: OnceLock<Divisions> = OnceLock::new();
    D.get_or_init(|| {
        let provinces: HashMap<_, _> = rows(PROVINCES).map(|r| (r[0].clone(), r[1].clone())).collect();
        let mut cities = HashMap::new();
        let mut tree: Vec<ProvinceOption> = provinces
            .iter()
            .map(|(code, name)| ProvinceOption { code: code.clone(), name: name.clone(), cities: Vec::new() })
            .collect();
        tree.sort_by(|a, b| a.code.cmp(&b.code));
        for r in rows(CITIES) {
            // Municipalities list their districts as 市辖区 and Chongqing its counties as 县.
            let province = provinces.get(&r[2]).cloned().unwrap_or_default();
            let name = match r[1].as_str() {
                "市辖区" => province,
                "县" => format!("{province}（县）"),
                other => other.to_string(),
            };
            if let Some(entry) = tree.iter_mut().find(|p| p.code == r[2]) {
                entry.cities.push((r[0].clone(), name.clone()));
            }
            cities.insert(r[0].clone(), name);
        }
        for entry in tree.iter_mut() {
            entry.cities.sort();
        }
        let areas = rows(AREAS).map(|r| (r[0].clone(), r[1].clone())).collect();
        Divisions {
            province_names: NameIndex::of(&provinces),
            city_names: NameIndex::of(&cities),
            area_names: NameIndex::of(&areas),
            provinces,
            cities,
            areas,
            tree,
        }
    })
}

impl Divisions {
    /// The finest known division for a six-digit code (county, else city, else province).
    pub fn resolve(&self, code6: &str) -> Option<RegionCode> {
        if code6.len() != 6 || !code6.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        if self.areas.contains_key(code6) {
            return RegionCode::parse(code6);
        }
        if self.cities.contains_key(&code6[..4]) {
            return RegionCode::parse(&code6[..4]);
        }
        if self.provinces.contains_key(&code6[..2]) {
            return RegionCode::parse(&code6[..2]);
        }
        None
    }

    /// Whether a hand-picked region names a real division.
    pub fn knows(&self, region: &RegionCode) -> bool {
        match region {
            RegionCode::Overseas(_) => true,
            RegionCode::Division(c) => {
                if &c[2..] == "0000" {
                    self.provinces.contains_key(&c[..2])
                } else if &c[4..] == "00" {
                    self.cities.contains_key(&c[..4])
                } else {
                    self.areas.contains_key(c.as_str())
                }
            }
        }
    }

    pub fn view(&self, region: &RegionCode) -> RegionView {
        let (province, city, county) = match region {
            RegionCode::Overseas(_) => (None, None, None),
            RegionCode::Division(c) => (
                self.provinces.get(&c[..2]).cloned(),
                (&c[2..4] != "00").then(|| self.cities.get(&c[..4]).cloned()).flatten(),
                (&c[4..] != "00").then(|| self.areas.get(c.as_str()).cloned()).flatten(),
            ),
        };
        let mut parts: Vec<String> = Vec::new();
        for p in [&province, &city, &county].into_iter().flatten() {
            if parts.last() != Some(p) {
                parts.push(p.clone());
            }
        }
        RegionView {
            code: region.as_code(),
            group: region.group(),
            nanjing_metro: region.in_nanjing_metro(),
            names: parts.join(" "),
            overseas_key: match region {
                RegionCode::Overseas(a) => Some(a.label_key().to_string()),
                RegionCode::Division(_) => None,
            },
        }
    }

    pub fn tree(&self) -> &[ProvinceOption] {
        &self.tree
    }

    /// A six-digit code from a code or a name: "320100", "南京", "南京市", "江宁区", "上海".
    /// Cities win over districts of the same name, provinces over both only for municipalities.
    pub fn find(&self, text: &str) -> Option<String> {
        let text = text.trim();
        if text.len() == 6 && text.chars().all(|c| c.is_ascii_digit()) {
            return RegionCode::parse(text).filter(|r| self.knows(r)).map(|r| six(&r.as_code()));
        }
        if text.chars().count() < 2 {
            return None;
        }
        self.city_names.first(text).or_else(|| self.province_names.first(text)).or_else(|| self.area_names.first(text))
    }

    /// A code from an address-like text as spreadsheets hold it: "江苏省南京市江宁区",
    /// "南京 鼓楼区", "广东省深圳市" — each part is looked up inside the one before it, so a
    /// district name shared by several cities lands in the right one. Plain names and codes
    /// go through `find`.
    pub fn find_address(&self, text: &str) -> Option<String> {
        if let Some(code) = self.find(text) {
            return Some(code);
        }
        let mut parts: Vec<String> = Vec::new();
        let mut part = String::new();
        for c in text.trim().chars() {
            if c.is_whitespace() || matches!(c, ',' | '，' | '/' | '-' | '、') {
                parts.push(std::mem::take(&mut part));
                continue;
            }
            part.push(c);
            if matches!(c, '省' | '市' | '区' | '县') {
                parts.push(std::mem::take(&mut part));
            }
        }
        parts.push(part);
        let mut found: Option<String> = None;
        for p in parts.iter().map(|p| p.trim()).filter(|p| p.chars().count() >= 2) {
            let within = found.as_deref().map(|c| c.trim_end_matches("00").to_string());
            let hit = match &within {
                Some(prefix) => self.find_within(p, prefix),
                None => self.find(p),
            };
            if hit.is_some() {
                found = hit;
            }
        }
        found
    }

    /// A city or district named `text` whose code starts with `prefix`.
    fn find_within(&self, text: &str, prefix: &str) -> Option<String> {
        self.city_names.first_within(text, prefix).or_else(|| self.area_names.first_within(text, prefix))
    }

    /// A trip's destination as people read it: [`Divisions::name_of`], or "" for none (客商来访
    /// trips have no destination).
    pub fn destination_name(&self, code: &str) -> String {
        if code.is_empty() {
            String::new()
        } else {
            self.name_of(code)
        }
    }

    /// The name of a province (2 digits: "江苏省") or prefecture city (4 digits: "苏州市"; a
    /// municipality's own name for its 市辖区), for the map; the code itself when unknown.
    pub fn short_name(&self, code: &str) -> String {
        let found = match code.len() {
            2 => self.provinces.get(code),
            4 => self.cities.get(code),
            _ => self.areas.get(code),
        };
        found.cloned().unwrap_or_else(|| match code.get(..2) {
            // The boundaries hold them, the division list (the mainland's) does not: named as the
            // office names them (`region.overseas.tw`, `.hk`), never by their code.
            Some("71") => "台湾地区".to_string(),
            Some("81") => "香港".to_string(),
            Some("82") => "澳门".to_string(),
            _ => code.to_string(),
        })
    }

    /// "江苏省 南京市" for a six-digit code, or the code itself when unknown.
    pub fn name_of(&self, code6: &str) -> String {
        match RegionCode::parse(code6) {
            Some(r) if self.knows(&r) => self.view(&r).names,
            _ => code6.to_string(),
        }
    }
}

const SEATS: &str = include_str!("../../data/divisions/seats.csv");

/// The seats of the county-level divisions (see data/divisions/README.md), for
/// `domain::geo::judge`. Parsed once; rows that do not parse are skipped.
pub fn seats() -> &'static [crate::domain::geo::Seat] {
    static S: OnceLock<Vec<crate::domain::geo::Seat>> = OnceLock::new();
    S.get_or_init(|| {
        rows(SEATS)
            .filter_map(|r| {
                Some(crate::domain::geo::Seat {
                    code: r.first()?.clone(),
                    lng: r.get(1)?.parse().ok()?,
                    lat: r.get(2)?.parse().ok()?,
                })
            })
            .collect()
    })
}

/// Pads a 2- or 4-digit division code to six digits.
fn six(code: &str) -> String {
    format!("{code:0<6}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_seat_parses_and_names_a_known_division() {
        let seats = super::seats();
        assert!(seats.len() > 2_700, "{}", seats.len());
        let d = super::divisions();
        for s in seats {
            assert!(d.resolve(&s.code).is_some(), "{}", s.code);
        }
        // 新街口, 南京: in 南京.
        let p = crate::domain::geo::Position { lat: 32.041, lng: 118.784, accuracy_m: 20.0 };
        assert_eq!(crate::domain::geo::judge(seats, &p, &["320100"]), crate::domain::geo::Verdict::Matches);
        // 苏州工业园区 is not 南京.
        let p = crate::domain::geo::Position { lat: 31.317, lng: 120.717, accuracy_m: 20.0 };
        let v = crate::domain::geo::judge(seats, &p, &["320100"]);
        assert!(matches!(&v, crate::domain::geo::Verdict::Elsewhere(c) if c.starts_with("3205")), "{v:?}");
    }

    #[test]
    fn taiwan_hong_kong_and_macao_are_named_not_numbered() {
        let d = super::divisions();
        assert_eq!([d.short_name("7100"), d.short_name("81"), d.short_name("8200")], ["台湾地区", "香港", "澳门"]);
        assert_eq!(d.short_name("3201"), "南京市");
    }

    use super::*;

    #[test]
    fn resolves_to_the_finest_known_level() {
        let d = divisions();
        assert_eq!(d.resolve("320115"), RegionCode::parse("320115"));
        assert_eq!(d.resolve("320100"), RegionCode::parse("3201"));
        assert_eq!(d.resolve("320000"), RegionCode::parse("32"));
        assert_eq!(d.resolve("999999"), None);
    }

    #[test]
    fn finds_divisions_by_name_or_code() {
        let d = divisions();
        assert_eq!(d.find("南京").as_deref(), Some("320100"));
        assert_eq!(d.find("南京市").as_deref(), Some("320100"));
        assert_eq!(d.find("深圳").as_deref(), Some("440300"));
        assert_eq!(d.find("上海").as_deref(), Some("310100"));
        assert_eq!(d.find("江宁区").as_deref(), Some("320115"));
        assert_eq!(d.find("320115").as_deref(), Some("320115"));
        assert_eq!(d.find("999999"), None);
        assert_eq!(d.find("火星"), None);
        assert!(d.name_of("320100").contains("南京市"));
    }

    /// The name index answers exactly what a scan of every division would (the rule as it was
    /// written before the index), for every name and short name there is, within every prefix.
    #[test]
    fn the_name_index_answers_as_a_scan_of_every_division_would() {
        let d = divisions();
        let scan = |map: &HashMap<String, String>, text: &str, prefix: &str, suffixes: &[char]| {
            let mut found: Vec<&String> = map
                .iter()
                .filter(|(c, n)| c.starts_with(prefix) && (*n == text || n.strip_suffix(suffixes) == Some(text)))
                .map(|(c, _)| c)
                .collect();
            found.sort();
            found.first().map(|c| six(c))
        };
        let all = [&d.provinces, &d.cities, &d.areas];
        let mut names: Vec<String> = all.iter().flat_map(|m| m.values().cloned()).collect();
        names.extend(names.clone().iter().filter_map(|n| n.strip_suffix(['市', '省', '区', '县']).map(str::to_string)));
        names.sort();
        names.dedup();
        let wide = ['市', '省', '区', '县'];
        for text in names.iter().filter(|n| n.chars().count() >= 2) {
            let expected = scan(&d.cities, text, "", &wide)
                .or_else(|| scan(&d.provinces, text, "", &wide))
                .or_else(|| scan(&d.areas, text, "", &wide));
            assert_eq!(d.find(text), expected, "{text}");
            for prefix in ["3201", "5001"] {
                let narrow = ['市', '区', '县'];
                let expected = scan(&d.cities, text, prefix, &narrow).or_else(|| scan(&d.areas, text, prefix, &narrow));
                assert_eq!(d.find_within(text, prefix), expected, "{text} in {prefix}");
            }
        }
    }

    #[test]
    fn finds_divisions_from_addresses() {
        let d = divisions();
        assert_eq!(d.find_address("江苏省南京市江宁区").as_deref(), Some("320115"));
        assert_eq!(d.find_address("南京 鼓楼区").as_deref(), Some("320106"));
        assert_eq!(d.find_address("福建省福州市鼓楼区").as_deref(), Some("350102"));
        assert_eq!(d.find_address("广东省深圳市").as_deref(), Some("440300"));
        assert_eq!(d.find_address("上海市浦东新区").as_deref(), Some("310115"));
        assert_eq!(d.find_address("苏州").as_deref(), Some("320500"));
        assert_eq!(d.find_address("火星基地"), None);
    }

    #[test]
    fn names_read_like_an_address() {
        let d = divisions();
        let v = d.view(&RegionCode::parse("320115").unwrap());
        assert_eq!(v.names, "江苏省 南京市 江宁区");
        let v = d.view(&RegionCode::parse("310115").unwrap());
        assert_eq!(v.names, "上海市 浦东新区");
        let v = d.view(&RegionCode::parse("440300").unwrap());
        assert_eq!(v.names, "广东省 深圳市");
    }

    #[test]
    fn tree_lists_every_province_with_cities() {
        let d = divisions();
        assert!(d.tree().len() >= 31);
        let js = d.tree().iter().find(|p| p.code == "32").unwrap();
        assert!(js.cities.iter().any(|(c, n)| c == "3201" && n == "南京市"));
    }
}
