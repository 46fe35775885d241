//! The values of an import's rows that no label or alias names (导入 preview: "map each once"),
//! counted as the rows are checked.

use crate::wire::imports::{RowIssue, UnknownValue};
use std::collections::HashMap;

/// The distinct values no label or alias names, by field, with how many rows carry each: the
/// preview offers to map each once. Fed the problem rows' issues one row at a time.
#[derive(Default)]
pub struct Unknown {
    /// (field, value) → (rows, first seen).
    counts: HashMap<(String, String), (usize, usize)>,
}

impl Unknown {
    /// Counts the unknown values among one row's `issues`.
    pub fn add(&mut self, issues: &[RowIssue]) {
        for issue in issues.iter().filter(|i| i.error.key == "err.import.unknown_value") {
            let value = issue.error.args.iter().find(|(k, _)| k == "value").map(|(_, v)| v.clone()).unwrap_or_default();
            let next = self.counts.len();
            self.counts.entry((issue.error.field.clone(), value)).or_insert((0, next)).0 += 1;
        }
    }

    /// At most 50, most rows first (then by field, then as first seen).
    pub fn found(self) -> Vec<UnknownValue> {
        let mut found: Vec<_> = self.counts.into_iter().collect();
        found.sort_by(|((fa, _), (ra, ia)), ((fb, _), (rb, ib))| rb.cmp(ra).then_with(|| fa.cmp(fb)).then(ia.cmp(ib)));
        found.truncate(50);
        found.into_iter().map(|((field, value), (rows, _))| UnknownValue { field, value, rows }).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lead::FieldError;

    fn unknown(field: &str, value: &str) -> RowIssue {
        RowIssue { column: Some(2), error: FieldError::new(field, "err.import.unknown_value").with("value", value) }
    }

    #[test]
    fn unknown_values_are_counted_by_field_and_value_most_rows_first() {
        let mut found = Unknown::default();
        found.add(&[
            unknown("industry", "芯片"),
            RowIssue { column: None, error: FieldError::new("uscc", "err.required") },
        ]);
        found.add(&[unknown("channel", "网上"), unknown("industry", "芯片")]);
        found.add(&[unknown("industry", "光伏")]);
        found.add(&[unknown("channel", "网上")]);
        found.add(&[unknown("channel", "电话")]);
        let rows: Vec<(String, String, usize)> =
            found.found().into_iter().map(|u| (u.field, u.value, u.rows)).collect();
        assert_eq!(
            rows,
            vec![
                ("channel".into(), "网上".into(), 2),
                ("industry".into(), "芯片".into(), 2),
                ("channel".into(), "电话".into(), 1),
                ("industry".into(), "光伏".into(), 1),
            ]
        );
        let mut many = Unknown::default();
        for i in 0..80 {
            many.add(&[unknown("sector", &format!("细分{i}"))]);
        }
        let kept = many.found();
        assert_eq!(kept.len(), 50, "at most 50 are offered");
        assert_eq!(kept[0].value, "细分0", "ties keep the order first seen");
    }
}
