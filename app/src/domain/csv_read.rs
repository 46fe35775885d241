//! Reading CSV text (RFC 4180 as spreadsheets write it): quoted fields with doubled quotes and
//! line breaks inside, CRLF/LF/CR row ends, the delimiter guessed from the first line (comma,
//! tab or semicolon). Lenient where Excel is lenient, bounded where input could be hostile.

/// Why a CSV text was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CsvError {
    /// More data rows than allowed (the header row is not counted).
    TooManyRows { max: usize },
    /// More columns in a row than any lead file has.
    TooManyColumns { max: usize },
}

/// No lead file needs more columns than this.
pub const MAX_COLUMNS: usize = 200;

/// The delimiter that splits the first lines most (a title line above the header has none).
fn delimiter(text: &str) -> char {
    let lines: Vec<&str> = text.lines().take(10).collect();
    let count = |c: char| lines.iter().map(|l| l.chars().filter(|x| *x == c).count()).max().unwrap_or(0);
    [',', '\t', ';', '，'].into_iter().max_by_key(|c| (count(*c), *c == ',')).filter(|c| count(*c) > 0).unwrap_or(',')
}

/// Every non-blank row as its row number (1-based, blank rows counted: the number Excel and
/// WPS show) and its cells (header included). `max_rows` counts data rows.
pub fn parse(text: &str, max_rows: usize) -> Result<Vec<(usize, Vec<String>)>, CsvError> {
    let mut rows = Vec::new();
    parse_each(text, max_rows, |line, cells| {
        rows.push((line, cells));
        Ok::<_, CsvError>(())
    })?;
    Ok(rows)
}

/// [`parse`], handing each non-blank row to `row` as it is read instead of keeping them (an
/// upload of 100,000 rows holds one row at a time); stops at `row`'s first error.
pub fn parse_each<E: From<CsvError>>(
    text: &str,
    max_rows: usize,
    mut row_done: impl FnMut(usize, Vec<String>) -> Result<(), E>,
) -> Result<(), E> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let delim = delimiter(text);
    let mut row: Vec<String> = Vec::new();
    let mut line = 0usize;
    let mut kept = 0usize;
    let mut field = String::new();
    let mut in_quotes = false;
    let mut field_started = false;
    let mut chars = text.chars().peekable();

    // Cells and rows are kept at their exact sizes (a cell grown char by char has up to twice
    // the room it needs, a row of 9 cells room for 16).
    let mut end_row = |row: &mut Vec<String>, line: &mut usize| -> Result<(), E> {
        let cells = std::mem::replace(row, Vec::with_capacity(row.len()));
        *line += 1;
        if cells.iter().any(|c| !c.trim().is_empty()) {
            if kept > max_rows {
                return Err(CsvError::TooManyRows { max: max_rows }.into());
            }
            kept += 1;
            row_done(*line, cells)?;
        }
        Ok(())
    };

    while let Some(c) = chars.next() {
        if in_quotes {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    in_quotes = false;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' if !field_started => {
                in_quotes = true;
                field_started = true;
            }
            c if c == delim => {
                row.push(cell(&mut field));
                field_started = false;
                if row.len() > MAX_COLUMNS {
                    return Err(CsvError::TooManyColumns { max: MAX_COLUMNS }.into());
                }
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                row.push(cell(&mut field));
                field_started = false;
                end_row(&mut row, &mut line)?;
            }
            c => {
                field.push(c);
                field_started = true;
            }
        }
    }
    if field_started || !field.is_empty() || !row.is_empty() {
        row.push(cell(&mut field));
        end_row(&mut row, &mut line)?;
    }
    Ok(())
}

/// The field read so far as a cell of its exact size; `field` is emptied for the next one
/// (keeping its room).
fn cell(field: &mut String) -> String {
    let cell = field.as_str().to_owned();
    field.clear();
    cell
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_line_breaks_and_row_ends() {
        let text = "\u{feff}企业名称,备注\r\n\"华芯, 南京\",\"第一行\n第二行，含\"\"引号\"\"\"\r\n\r\n,\nX公司,末行";
        let rows = parse(text, 10).unwrap();
        assert_eq!(
            rows,
            vec![
                (1, vec!["企业名称".to_string(), "备注".into()]),
                (2, vec!["华芯, 南京".into(), "第一行\n第二行，含\"引号\"".into()]),
                (5, vec!["X公司".into(), "末行".into()]),
            ],
            "a quoted line break stays in its row; blank rows count"
        );
    }

    #[test]
    fn delimiters_are_guessed_from_the_header() {
        assert_eq!(parse("a\tb\n1\t2", 5).unwrap()[1].1, vec!["1", "2"]);
        assert_eq!(parse("a;b\n1;2", 5).unwrap()[1].1, vec!["1", "2"]);
        assert_eq!(parse("only\nx", 5).unwrap()[1].1, vec!["x"]);
        assert_eq!(parse("标题\n\na\tb\n1\t2", 5).unwrap()[2].1, vec!["1", "2"], "a title line above");
    }

    #[test]
    fn limits_are_enforced() {
        assert_eq!(parse("h\n1\n2\n3", 2), Err(CsvError::TooManyRows { max: 2 }));
        assert!(parse("h\n1\n2", 2).is_ok());
        let wide = ",".repeat(MAX_COLUMNS + 1);
        assert_eq!(parse(&wide, 2), Err(CsvError::TooManyColumns { max: MAX_COLUMNS }));
    }

    #[test]
    fn an_unclosed_quote_keeps_the_rest_as_one_cell() {
        assert_eq!(parse("a,b\n\"x,y", 5).unwrap()[1].1, vec!["x,y"]);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in ".{0,400}") {
            let _ = parse(&s, 50);
        }
    }
}
