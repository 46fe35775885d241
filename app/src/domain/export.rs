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

/// One CSV line (RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled),
/// each field formula-escaped, ended by CRLF.
pub fn csv_line<S: AsRef<str>>(fields: &[S]) -> String {
    let mut line = fields
        .iter()
        .map(|f| {
            let f = escape_formula(f.as_ref());
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
    fn csv_quotes_what_needs_quoting() {
        assert_eq!(csv_line(&["a", "b,c", "say \"hi\"", "=1"]), "a,\"b,c\",\"say \"\"hi\"\"\",'=1\r\n");
        assert_eq!(csv_line(&["多行\n文本"]), "\"多行\n文本\"\r\n");
    }
}
