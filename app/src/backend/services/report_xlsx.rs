//! The reports as `.xlsx` workbooks (rust_xlsxwriter; text is always written as text, so a
//! company called "=cmd…" can never become a formula), and their numbers as CSV.

use super::ServiceError;
use crate::i18n::{tr, tr_args, Locale};
use crate::wire::reports::{PeriodReport, TeamNumbers, WeeklyPack};
use rust_xlsxwriter::{Color, Format, Workbook, Worksheet};

use super::exports::{to_csv, Table, Value as Cell};

fn sheet(wb: &mut Workbook, name: &str, headers: &[String], rows: &[Vec<Cell>]) -> Result<(), ServiceError> {
    let bold = Format::new().set_bold();
    let ws: &mut Worksheet = wb.add_worksheet();
    let x = |e: rust_xlsxwriter::XlsxError| ServiceError::Internal(format!("xlsx: {e}"));
    ws.set_name(name).map_err(x)?;
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &bold).map_err(x)?;
        ws.set_column_width(c as u16, if c == 0 { 24 } else { 14 }).map_err(x)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            match cell {
                Cell::Text(t) => ws.write_string(r, c, t).map(|_| ()).map_err(x)?,
                Cell::Number(n) => ws.write_number(r, c, *n).map(|_| ()).map_err(x)?,
                Cell::Empty => {}
            }
        }
    }
    Ok(())
}

fn team_name(locale: Locale, n: &TeamNumbers) -> String {
    if n.team_id.is_none() && n.team.is_empty() {
        tr(locale, "report.no_team").to_string()
    } else {
        n.team.clone()
    }
}

const NUMBER_KEYS: [&str; 9] = [
    "report.new_leads",
    "report.trips_done",
    "report.trips_planned",
    "report.visits_done",
    "report.visits_planned",
    "report.stage_moves",
    "report.signings",
    "report.contracted_wan",
    "report.major_signed",
];

fn number_cells(n: &TeamNumbers) -> Vec<Cell> {
    [
        n.new_leads as f64,
        n.trips_done as f64,
        n.trips_planned as f64,
        n.visits_done as f64,
        n.visits_planned as f64,
        n.stage_moves as f64,
        n.signings as f64,
        n.contracted_wan,
        n.major_signed as f64,
    ]
    .into_iter()
    .map(Cell::Number)
    .collect()
}

/// The week's numbers per team and the total (the first sheet, and the CSV).
fn weekly_numbers(locale: Locale, pack: &WeeklyPack) -> Table {
    let mut headers = vec![tr(locale, "report.team").to_string()];
    headers.extend(NUMBER_KEYS.iter().map(|k| tr(locale, k).to_string()));
    headers.extend(["report.stale", "report.problems_due"].iter().map(|k| tr(locale, k).to_string()));
    let mut rows: Vec<Vec<Cell>> = pack
        .teams
        .iter()
        .map(|t| {
            let mut row = vec![Cell::Text(team_name(locale, &t.numbers))];
            row.extend(number_cells(&t.numbers));
            row.push(Cell::Number(t.stale_count as f64));
            row.push(Cell::Number(t.problems.len() as f64));
            row
        })
        .collect();
    let mut total = vec![Cell::Text(tr(locale, "report.total").to_string())];
    total.extend(number_cells(&pack.totals));
    total.push(Cell::Number(pack.teams.iter().map(|t| t.stale_count).sum::<usize>() as f64));
    total.push(Cell::Number(pack.teams.iter().map(|t| t.problems.len()).sum::<usize>() as f64));
    rows.push(total);
    Table { headers, rows }
}

/// The weekly pack's numbers per team plus the total row as CSV (amounts in 万元), headers in
/// `locale`.
pub fn weekly_csv(locale: Locale, pack: &WeeklyPack) -> Vec<u8> {
    to_csv(&weekly_numbers(locale, pack))
}

/// The weekly pack as an `.xlsx` workbook: the numbers sheet (named after the week) and a details
/// sheet of stale leads, due problems, next week's trips and comments, headers in `locale`.
/// Errors: `Internal` when rust_xlsxwriter fails (a bad sheet name, writing the buffer).
pub fn weekly(locale: Locale, pack: &WeeklyPack) -> Result<Vec<u8>, ServiceError> {
    let numbers = weekly_numbers(locale, pack);
    let mut wb = Workbook::new();
    sheet(&mut wb, &pack.week, &numbers.headers, &numbers.rows)?;
    let detail_headers: Vec<String> = ["report.team", "report.kind", "lead.company_name", "report.detail"]
        .iter()
        .map(|k| tr(locale, k).to_string())
        .collect();
    let mut detail = Vec::new();
    for t in &pack.teams {
        let team = team_name(locale, &t.numbers);
        for s in &t.stale {
            detail.push(vec![
                Cell::Text(team.clone()),
                Cell::Text(tr(locale, "report.stale").to_string()),
                Cell::Text(s.company_name.clone()),
                Cell::Text(format!("{} · {}", tr(locale, &format!("stage.{}", s.stage)), s.days)),
            ]);
        }
        for p in &t.problems {
            detail.push(vec![
                Cell::Text(team.clone()),
                Cell::Text(tr(locale, "report.problems_due").to_string()),
                Cell::Text(p.company_name.clone()),
                Cell::Text(format!("{} · {}", p.deadline, p.description)),
            ]);
        }
        for s in &t.late_starts {
            detail.push(vec![
                Cell::Text(team.clone()),
                Cell::Text(tr(locale, "weekly.late_starts").to_string()),
                Cell::Text(s.company_name.clone()),
                Cell::Text(format!("{} · {} {}", s.planned_start, s.days_late, tr(locale, "report.days"))),
            ]);
        }
        for trip in &t.next_week {
            detail.push(vec![
                Cell::Text(team.clone()),
                Cell::Text(tr(locale, "report.next_week").to_string()),
                Cell::Text(match trip.draft {
                    true => format!("{}（{}）", trip.purpose, tr(locale, "trip.status.draft")),
                    false => trip.purpose.clone(),
                }),
                Cell::Text(format!("{} · {}", trip.start_on, trip.destination)),
            ]);
        }
        if let Some((comment, who, _)) = &t.comment {
            detail.push(vec![
                Cell::Text(team.clone()),
                Cell::Text(tr(locale, "report.comment").to_string()),
                Cell::Text(who.clone()),
                Cell::Text(comment.clone()),
            ]);
        }
    }
    sheet(&mut wb, tr(locale, "report.details"), &detail_headers, &detail)?;
    wb.save_to_buffer().map_err(|e| ServiceError::Internal(format!("xlsx: {e}")))
}

/// Each indicator's three columns: its value, its target and its completion in %.
fn indicator_headers(locale: Locale, headers: &mut Vec<String>) {
    let col = |k: &str| tr(locale, k).to_string();
    for k in
        ["report.signings", "report.contracted_wan", "report.major_signed", "report.new_leads", "report.visits_done"]
    {
        headers.push(col(k));
        headers.push(format!("{} · {}", col(k), col("report.target")));
        headers.push(format!("{} · %", col(k)));
    }
}

/// Each team's completion, score and rank (the first sheet, and the CSV).
fn period_numbers(locale: Locale, report: &PeriodReport) -> Table {
    let col = |k: &str| tr(locale, k).to_string();
    let mut headers = vec![col("report.rank"), col("report.team")];
    indicator_headers(locale, &mut headers);
    headers.push(col("report.score"));
    let rows: Vec<Vec<Cell>> = report
        .rows
        .iter()
        .map(|r| {
            let n = &r.numbers;
            let actual = n.measured();
            // Not ranked (0) before the period has begun: no rank and no score.
            let rank = if r.rank > 0 { Cell::Number(r.rank as f64) } else { Cell::Empty };
            let mut row = vec![rank, Cell::Text(n.team.clone())];
            for (i, value) in actual.iter().enumerate() {
                row.push(Cell::Number(*value));
                // Two decimals, as the page shows it (`format_wan`): 0.67 of a 重大项目, 8,333.33 万元.
                row.push(Cell::Number((r.targets[i] * 100.0).round() / 100.0));
                row.push(r.completion[i].map(|c| Cell::Number((c * 10.0).round() / 10.0)).unwrap_or(Cell::Empty));
            }
            row.push(if r.rank > 0 { Cell::Number((r.score * 10.0).round() / 10.0) } else { Cell::Empty });
            row
        })
        .collect();
    Table { headers, rows }
}

/// 年度累计 (the third sheet): each team's numbers since 1 January with its whole year's target
/// and completion (%, one decimal), and 时序进度 (the share of the year gone by) on every row.
fn year_numbers(locale: Locale, report: &PeriodReport) -> Table {
    let col = |k: &str| tr(locale, k).to_string();
    let mut headers = vec![col("report.team")];
    indicator_headers(locale, &mut headers);
    headers.push(col("report.year.elapsed"));
    let rows = report
        .year
        .iter()
        .map(|r| {
            let n = &r.numbers;
            let actual = n.measured();
            let mut row = vec![Cell::Text(n.team.clone())];
            for (i, value) in actual.iter().enumerate() {
                row.push(Cell::Number(*value));
                row.push(Cell::Number(r.annual[i]));
                row.push(r.completion[i].map(|c| Cell::Number((c * 10.0).round() / 10.0)).unwrap_or(Cell::Empty));
            }
            row.push(Cell::Number(report.year_elapsed));
            row
        })
        .collect();
    Table { headers, rows }
}

/// The 年度累计 sheet as the page shows it: each completion below 时序进度 in red, and under the
/// table the days it counts (1 January to `year_through`) and 时序进度 itself.
fn mark_year(wb: &mut Workbook, name: &str, locale: Locale, report: &PeriodReport) -> Result<(), ServiceError> {
    let x = |e: rust_xlsxwriter::XlsxError| ServiceError::Internal(format!("xlsx: {e}"));
    let ws = wb.worksheet_from_name(name).map_err(x)?;
    let red = Format::new().set_font_color(Color::Red);
    for (r, row) in report.year.iter().enumerate() {
        for (i, c) in row.completion.iter().enumerate() {
            if let Some(c) = c.filter(|c| *c < report.year_elapsed) {
                // The completion is each indicator's third column, after the team's.
                ws.write_number_with_format(r as u32 + 1, (1 + i * 3 + 2) as u16, (c * 10.0).round() / 10.0, &red)
                    .map_err(x)?;
            }
        }
    }
    let args = [
        ("from".to_string(), format!("{}-01-01", report.year_through.get(..4).unwrap_or_default())),
        ("to".to_string(), report.year_through.clone()),
        ("pct".to_string(), format!("{:.1}", report.year_elapsed)),
    ];
    ws.write_string(report.year.len() as u32 + 2, 0, tr_args(locale, "report.year.through", &args)).map_err(x)?;
    Ok(())
}

/// The 月通报/季考核 table as CSV: rank, team, each measure with its target share and completion
/// (%, one decimal) and the score, headers in `locale`.
pub fn period_csv(locale: Locale, report: &PeriodReport) -> Vec<u8> {
    to_csv(&period_numbers(locale, report))
}

/// The 月通报/季考核 as an `.xlsx` workbook: the table (sheet named after the period), the
/// period's signed projects (amounts in 万元, dates Asia/Shanghai) and 年度累计, headers in
/// `locale`.
/// Errors: `Internal` when rust_xlsxwriter fails (a bad sheet name, writing the buffer).
pub fn period(locale: Locale, report: &PeriodReport) -> Result<Vec<u8>, ServiceError> {
    let col = |k: &str| tr(locale, k).to_string();
    let numbers = period_numbers(locale, report);
    let mut wb = Workbook::new();
    sheet(&mut wb, &report.period, &numbers.headers, &numbers.rows)?;
    let signed_headers: Vec<String> =
        ["lead.company_name", "report.team", "report.contracted_wan", "report.signed_on", "report.major_signed"]
            .iter()
            .map(|k| col(k))
            .collect();
    let signed: Vec<Vec<Cell>> = report
        .signed
        .iter()
        .map(|s| {
            vec![
                Cell::Text(s.company_name.clone()),
                Cell::Text(s.team.clone()),
                Cell::Number(s.investment_wan),
                Cell::Text(s.signed_on.clone()),
                Cell::Text(if s.major { col("common.yes") } else { String::new() }),
            ]
        })
        .collect();
    sheet(&mut wb, tr(locale, "report.signed_projects"), &signed_headers, &signed)?;
    if !report.year.is_empty() {
        let year = year_numbers(locale, report);
        let name = tr(locale, "report.year.sheet");
        sheet(&mut wb, name, &year.headers, &year.rows)?;
        mark_year(&mut wb, name, locale, report)?;
    }
    wb.save_to_buffer().map_err(|e| ServiceError::Internal(format!("xlsx: {e}")))
}
