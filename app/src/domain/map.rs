//! 招商地图: what the map shows (layer, colouring, preset view) as read from its URL, and the
//! colour classes of its figures. Pure; the shapes and the drawing live in the backend.

use super::lead_filter::{encode, LeadFilter};
use super::region::{NANJING_METRO_CITIES, PRD_CITIES};
use serde::{Deserialize, Serialize};

/// A preset view: the whole country or one of the office's source areas.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Preset {
    /// 全国 (with the 南海诸岛 inset).
    #[default]
    China,
    /// 长三角: 上海, 江苏, 浙江, 安徽.
    Yrd,
    /// 珠三角: the nine cities.
    Prd,
    /// 南京都市圈.
    NanjingMetro,
}

impl Preset {
    pub const ALL: [Preset; 4] = [Preset::China, Preset::Yrd, Preset::Prd, Preset::NanjingMetro];

    pub fn code(self) -> &'static str {
        match self {
            Preset::China => "china",
            Preset::Yrd => "yrd",
            Preset::Prd => "prd",
            Preset::NanjingMetro => "nanjing",
        }
    }

    pub fn parse(s: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.code() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Preset::China => "map.view.china",
            Preset::Yrd => "map.view.yrd",
            Preset::Prd => "map.view.prd",
            Preset::NanjingMetro => "map.view.nanjing",
        }
    }

    /// The divisions the view frames (province or city code prefixes); empty for the country.
    pub fn frames(self) -> &'static [&'static str] {
        match self {
            Preset::China => &[],
            Preset::Yrd => &["31", "32", "33", "34"],
            Preset::Prd => &PRD_CITIES,
            Preset::NanjingMetro => &NANJING_METRO_CITIES,
        }
    }
}

/// What the cities are coloured by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Layer {
    /// 线索分布: leads per city.
    #[default]
    Leads,
    /// 计划投资: planned investment (万元) per city.
    Investment,
    /// 签约落地: signed and landed projects per city.
    Projects,
    /// 出访走访: this month's and next month's trips (by destination) and visits (by company).
    Trips,
    /// 专班重点区域: the cities and provinces the teams focus on.
    Teams,
}

impl Layer {
    pub const ALL: [Layer; 5] = [Layer::Leads, Layer::Investment, Layer::Projects, Layer::Trips, Layer::Teams];

    pub fn code(self) -> &'static str {
        match self {
            Layer::Leads => "leads",
            Layer::Investment => "investment",
            Layer::Projects => "projects",
            Layer::Trips => "trips",
            Layer::Teams => "teams",
        }
    }

    pub fn parse(s: &str) -> Option<Layer> {
        Layer::ALL.into_iter().find(|l| l.code() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Layer::Leads => "map.layer.leads",
            Layer::Investment => "map.layer.investment",
            Layer::Projects => "map.layer.projects",
            Layer::Trips => "map.layer.trips",
            Layer::Teams => "map.layer.teams",
        }
    }

    /// Whether the lead filters apply (trips and teams are not leads).
    pub fn filters_leads(self) -> bool {
        matches!(self, Layer::Leads | Layer::Investment | Layer::Projects)
    }
}

/// How the leads layer colours a city: by how many leads, by the best grade among them, or by
/// the furthest stage one of them has reached.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Colour {
    #[default]
    Count,
    Grade,
    Stage,
}

impl Colour {
    pub const ALL: [Colour; 3] = [Colour::Count, Colour::Grade, Colour::Stage];

    pub fn code(self) -> &'static str {
        match self {
            Colour::Count => "count",
            Colour::Grade => "grade",
            Colour::Stage => "stage",
        }
    }

    pub fn parse(s: &str) -> Option<Colour> {
        Colour::ALL.into_iter().find(|c| c.code() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Colour::Count => "map.colour.count",
            Colour::Grade => "map.colour.grade",
            Colour::Stage => "map.colour.stage",
        }
    }
}

/// The map's URL: `/map?view=yrd&layer=leads&colour=grade&city=3205&industry=…` (the lead list's
/// filters, without sort and page). Unknown values fall back to the defaults.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MapQuery {
    pub view: Preset,
    pub layer: Layer,
    pub colour: Colour,
    /// The city (4 digits) or province (2 digits) whose panel is open.
    pub city: Option<String>,
    pub filter: LeadFilter,
}

impl MapQuery {
    pub fn from_pairs<'a>(get: impl Fn(&str) -> Option<&'a str> + Copy) -> MapQuery {
        let mut filter = LeadFilter::from_pairs(get);
        filter.sort = None;
        filter.page = None;
        filter.region = None;
        MapQuery {
            view: get("view").and_then(Preset::parse).unwrap_or_default(),
            layer: get("layer").and_then(Layer::parse).unwrap_or_default(),
            colour: get("colour").and_then(Colour::parse).unwrap_or_default(),
            city: get("city")
                .map(str::trim)
                .filter(|c| matches!(c.len(), 2 | 4) && super::lead_filter::is_division_prefix(c))
                .map(str::to_string),
            filter,
        }
    }

    /// The query string (with `?`, empty when everything is default), without the open city.
    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        if self.view != Preset::default() {
            parts.push(format!("view={}", self.view.code()));
        }
        if self.layer != Layer::default() {
            parts.push(format!("layer={}", self.layer.code()));
        }
        if self.colour != Colour::default() {
            parts.push(format!("colour={}", self.colour.code()));
        }
        let filter = self.filter.to_query();
        if let Some(rest) = filter.strip_prefix('?') {
            parts.push(rest.to_string());
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }

    /// The same map with `city`'s panel open.
    pub fn with_city(&self, city: &str) -> String {
        let q = self.to_query();
        format!("{q}{}city={}", if q.is_empty() { "?" } else { "&" }, encode(city))
    }
}

/// The colour step (1–5) of `value` on a scale up to `max`, 0 for nothing. Steps grow on a square
/// root so a few large cities do not wash out the rest.
pub fn step(value: f64, max: f64) -> u8 {
    if value <= 0.0 || max <= 0.0 {
        return 0;
    }
    let r = (value / max).clamp(0.0, 1.0).sqrt();
    (1.0 + (r * 4.0).floor()).min(5.0) as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn reads_and_writes_its_url() {
        let map: HashMap<&str, &str> =
            [("view", "yrd"), ("layer", "trips"), ("city", "3205"), ("industry", "电子信息"), ("page", "3")].into();
        let q = MapQuery::from_pairs(|k| map.get(k).copied());
        assert_eq!((q.view, q.layer, q.colour), (Preset::Yrd, Layer::Trips, Colour::Count));
        assert_eq!(q.city.as_deref(), Some("3205"));
        assert_eq!(q.to_query(), "?view=yrd&layer=trips&industry=%E7%94%B5%E5%AD%90%E4%BF%A1%E6%81%AF");
        assert_eq!(q.with_city("3201"), format!("{}&city=3201", q.to_query()));
        let bad: HashMap<&str, &str> = [("view", "mars"), ("city", "32050"), ("colour", "x")].into();
        assert_eq!(MapQuery::from_pairs(|k| bad.get(k).copied()), MapQuery::default());
        assert_eq!(MapQuery::default().with_city("44"), "?city=44");
    }

    #[test]
    fn steps_grow_with_the_value() {
        assert_eq!(step(0.0, 10.0), 0);
        assert_eq!(step(1.0, 0.0), 0);
        assert_eq!(step(10.0, 10.0), 5);
        assert_eq!(step(0.1, 100.0), 1);
        assert!(step(30.0, 100.0) < step(80.0, 100.0));
    }
}
