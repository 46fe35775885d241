//! Exported cells: spreadsheet programs run a cell that starts with `=`, `+`, `-` or `@` (and a
//! tab or carriage return before one) as a formula ("CSV injection"). Such text is prefixed with
//! an apostrophe, which spreadsheets show as plain text.

/// The text as it is safe to write into a CSV or spreadsheet cell.
pub fn escape_formula(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

/// The most characters a spreadsheet cell holds (Excel and WPS: 32,767).
pub const MAX_CELL_CHARS: usize = 32_767;

/// What a cut cell ends with, so the reader sees it was cut.
pub const CUT_NOTE: &str = "…[截断 truncated]";

/// The text as it fits a cell: longer text is cut, ending with `CUT_NOTE`.
pub fn fit_cell(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().count() <= MAX_CELL_CHARS {
        return std::borrow::Cow::Borrowed(text);
    }
    let keep = MAX_CELL_CHARS - CUT_NOTE.chars().count();
    let mut cut: String = text.chars().take(keep).collect();
    cut.push_str(CUT_NOTE);
    std::borrow::Cow::Owned(cut)
}

/// Digits Excel would turn into a number and spoil when it opens a CSV: 11 or more
/// (`91320115…` as 9.13E+17, phone numbers) or a leading zero (`025…`).
fn spoiled_as_number(text: &str) -> bool {
    text.len() > 1 && text.bytes().all(|b| b.is_ascii_digit()) && (text.len() >= 11 || text.starts_with('0'))
}

/// A CSV field as Excel and WPS should open it: long digit strings as the text formula
/// `="…"` (shown as exactly those digits), everything else formula-escaped.
pub fn csv_field(text: &str) -> String {
    let text = fit_cell(text);
    if spoiled_as_number(&text) {
        format!("=\"{text}\"")
    } else {
        escape_formula(&text)
    }
}

/// `="0123"` (how `csv_field` keeps digits as text) read back as `0123`; anything else as is.
pub fn unwrap_text_formula(value: &str) -> &str {
    match value.strip_prefix("=\"").and_then(|v| v.strip_suffix('"')) {
        Some(inner) if spoiled_as_number(inner) => inner,
        _ => value,
    }
}

/// One CSV line (RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled),
/// each field made safe by `csv_field`, ended by CRLF.
pub fn csv_line<S: AsRef<str>>(fields: &[S]) -> String {
    let mut line = fields
        .iter()
        .map(|f| {
            let f = csv_field(f.as_ref());
            if f.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                f
            }
        })
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused() {
        for bad in ["=1+1", "+86 138", "-2", "@SUM(A1)", "\t=cmd", "\r=x"] {
            assert!(escape_formula(bad).starts_with('\''), "{bad:?}");
        }
        for fine in ["华芯半导体", "1.5亿", "", "a=b"] {
            assert_eq!(escape_formula(fine), fine);
        }
    }

    #[test]
    fn long_digits_stay_text_and_long_text_is_cut_visibly() {
        assert_eq!(csv_field("913201150000000001"), "=\"913201150000000001\"");
        assert_eq!(csv_field("13800000000"), "=\"13800000000\"");
        assert_eq!(csv_field("0255"), "=\"0255\"");
        assert_eq!(csv_field("3000"), "3000");
        assert_eq!(csv_field("91320115MA1X"), "91320115MA1X");
        assert_eq!(unwrap_text_formula("=\"0255\""), "0255");
        assert_eq!(unwrap_text_formula("=\"x\""), "=\"x\"");
        assert_eq!(csv_line(&["913201150000000001"]), "\"=\"\"913201150000000001\"\"\"\r\n");
        let long = "长".repeat(40_000);
        let cut = fit_cell(&long);
        assert_eq!(cut.chars().count(), MAX_CELL_CHARS);
        assert!(cut.ends_with(CUT_NOTE));
    }

    #[test]
    fn csv_quotes_what_needs_quoting() {
        assert_eq!(csv_line(&["a", "b,c", "say \"hi\"", "=1"]), "a,\"b,c\",\"say \"\"hi\"\"\",'=1\r\n");
        assert_eq!(csv_line(&["多行\n文本"]), "\"多行\n文本\"\r\n");
    }
}
