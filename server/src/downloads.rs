//! Files to download: the filtered lead list and the problem list (`.xlsx`, `.csv`), and the
//! reports (`/reports/{weekly,monthly,quarterly}.{xlsx,csv}`). Thin: the services build them.

use crate::web::ServerState;
use app::backend::services::{exports, lead_export, period_report, report_xlsx, reports, ServiceError};
use app::backend::AppState;
use app::wire::auth::SessionUser;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Clone, Copy)]
enum Export {
    Leads,
    Problems,
}

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Xlsx,
    Csv,
}

#[derive(Clone, Copy)]
enum Report {
    Weekly,
    Monthly,
    Quarterly,
}

pub fn routes() -> Router<ServerState> {
    use Format::{Csv, Xlsx};
    Router::new()
        .route("/leads/export.xlsx", get(|s, u, q| export(s, u, q, Export::Leads, Xlsx)))
        .route("/leads/export.csv", get(|s, u, q| export(s, u, q, Export::Leads, Csv)))
        .route("/problems/export.xlsx", get(|s, u, q| export(s, u, q, Export::Problems, Xlsx)))
        .route("/problems/export.csv", get(|s, u, q| export(s, u, q, Export::Problems, Csv)))
        .route("/map.svg", get(map_svg))
        .route("/reports/weekly.xlsx", get(|s, u, q| report(s, u, q, Report::Weekly, Xlsx)))
        .route("/reports/weekly.csv", get(|s, u, q| report(s, u, q, Report::Weekly, Csv)))
        .route("/reports/monthly.xlsx", get(|s, u, q| report(s, u, q, Report::Monthly, Xlsx)))
        .route("/reports/monthly.csv", get(|s, u, q| report(s, u, q, Report::Monthly, Csv)))
        .route("/reports/quarterly.xlsx", get(|s, u, q| report(s, u, q, Report::Quarterly, Xlsx)))
        .route("/reports/quarterly.csv", get(|s, u, q| report(s, u, q, Report::Quarterly, Csv)))
}

/// A file to save as `name` (ASCII: what an old browser shows, and what a script reads) or, in
/// every browser of the last decade, as `shown` — the name in the reader's language, "周调度-
/// 2026-W49.xlsx" (RFC 6266 `filename*`, UTF-8 percent-encoded).
fn attachment(name: &str, shown: &str, content_type: &'static str, bytes: Vec<u8>) -> Response {
    let encoded = percent_encoding::utf8_percent_encode(shown, percent_encoding::NON_ALPHANUMERIC);
    let disposition = format!("attachment; filename=\"{name}\"; filename*=UTF-8''{encoded}");
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition).unwrap_or_else(|_| HeaderValue::from_static("attachment")),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// `stem-rest.ext` with the stem in the reader's language (`file.<stem>` in the locale files):
/// ("weekly", "2026-W49", "xlsx") → "周调度-2026-W49.xlsx".
fn shown_name(locale: app::i18n::Locale, stem: &str, rest: &str, ext: &str) -> String {
    format!("{}-{rest}.{ext}", app::i18n::tr(locale, &format!("file.{stem}")))
}

fn failure(e: ServiceError) -> Response {
    match e {
        ServiceError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "bad filter or period").into_response(),
        ServiceError::Forbidden => StatusCode::FORBIDDEN.into_response(),
        ServiceError::NotFound => StatusCode::NOT_FOUND.into_response(),
        ServiceError::Hidden(record) => crate::security::hidden(&record),
        e => {
            tracing::error!(error = %e, "download failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const CSV: &str = "text/csv; charset=utf-8";

/// An `.xlsx` download named `{stem}-{rest}.xlsx` (shown with the stem in `locale`, see
/// [`shown_name`]), or the service's failure.
pub(crate) fn xlsx_response(
    locale: app::i18n::Locale,
    (stem, rest): (&str, &str),
    result: Result<Vec<u8>, ServiceError>,
) -> Response {
    match result {
        Ok(bytes) => attachment(&format!("{stem}-{rest}.xlsx"), &shown_name(locale, stem, rest, "xlsx"), XLSX, bytes),
        Err(e) => failure(e),
    }
}

/// A `.csv` download, named as [`xlsx_response`] names its file.
fn csv_response(locale: app::i18n::Locale, (stem, rest): (&str, &str), bytes: Vec<u8>) -> Response {
    attachment(&format!("{stem}-{rest}.csv"), &shown_name(locale, stem, rest, "csv"), CSV, bytes)
}

/// `GET /leads/export.{xlsx,csv}?<the list's filters>` and `/problems/export.{xlsx,csv}?…`
async fn export(
    State(state): State<AppState>,
    user: Option<Extension<SessionUser>>,
    Query(params): Query<HashMap<String, String>>,
    what: Export,
    format: Format,
) -> Response {
    let Some(Extension(user)) = user else { return StatusCode::UNAUTHORIZED.into_response() };
    let get = |k: &str| params.get(k).map(String::as_str);
    let stamp = chrono::Utc::now().with_timezone(&chrono_tz::Asia::Shanghai).format("%Y%m%d-%H%M");
    match what {
        // Streamed from the database into the file, row by row (up to 100,000 leads).
        Export::Leads => {
            let filter = app::domain::lead_filter::LeadFilter::from_pairs(get);
            let headers = lead_export::headers(user.locale);
            let stamp = stamp.to_string();
            let name = ("leads", stamp.as_str());
            match format {
                Format::Csv => {
                    let mut sink = exports::CsvSink::new(&headers);
                    match lead_export::leads(&state.db, &user, &filter, user.locale, &mut sink).await {
                        Ok(_) => csv_response(user.locale, name, sink.finish()),
                        Err(e) => failure(e),
                    }
                }
                Format::Xlsx => {
                    let written = async {
                        let mut sink = exports::XlsxSink::new("leads", &headers, exports::SHEET_ROWS)?;
                        lead_export::leads(&state.db, &user, &filter, user.locale, &mut sink).await?;
                        sink.finish()
                    };
                    xlsx_response(user.locale, name, written.await)
                }
            }
        }
        Export::Problems => {
            let filter = app::wire::problems::ProblemFilter::from_pairs(get);
            let table = match exports::problems(&state.db, &user, &filter, user.locale).await {
                Ok(t) => t,
                Err(e) => return failure(e),
            };
            let stamp = stamp.to_string();
            let name = ("problems", stamp.as_str());
            match format {
                Format::Csv => csv_response(user.locale, name, exports::to_csv(&table)),
                Format::Xlsx => xlsx_response(user.locale, name, exports::to_xlsx("problems", &table)),
            }
        }
    }
}

/// `GET /map.svg?<the map's view, layer and filters>`: the map alone, to save or print.
async fn map_svg(
    State(state): State<AppState>,
    user: Option<Extension<SessionUser>>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let Some(Extension(user)) = user else { return StatusCode::UNAUTHORIZED.into_response() };
    let query = app::domain::map::MapQuery::from_pairs(|k: &str| params.get(k).map(String::as_str));
    match app::backend::services::map::svg(&state.db, &user, &query).await {
        Ok(svg) => {
            let view = query.view.code();
            // 招商地图-长三角.svg: the view as the reader names it.
            let shown = shown_name(user.locale, "map", app::i18n::tr(user.locale, &format!("map.view.{view}")), "svg");
            attachment(&format!("map-{view}.svg"), &shown, "image/svg+xml; charset=utf-8", svg.into_bytes())
        }
        Err(e) => failure(e),
    }
}

#[derive(Deserialize, Default)]
struct PeriodQuery {
    #[serde(default)]
    week: String,
    #[serde(default)]
    month: String,
    #[serde(default)]
    quarter: String,
}

/// `GET /reports/weekly.{xlsx,csv}?week=2026-W48`, `/reports/monthly.…?month=2026-11`,
/// `/reports/quarterly.…?quarter=2026-Q4`: the same numbers as the pages (CSV: the main table).
async fn report(
    State(state): State<AppState>,
    user: Option<Extension<SessionUser>>,
    Query(q): Query<PeriodQuery>,
    which: Report,
    format: Format,
) -> Response {
    let Some(Extension(user)) = user else { return StatusCode::UNAUTHORIZED.into_response() };
    let locale = user.locale;
    let (name, file) = match which {
        Report::Weekly => match reports::weekly(&state.db, &state.settings, &user, &q.week).await {
            Ok(pack) => (
                ("weekly", pack.week.to_string()),
                match format {
                    Format::Xlsx => report_xlsx::weekly(locale, &pack),
                    Format::Csv => Ok(report_xlsx::weekly_csv(locale, &pack)),
                },
            ),
            Err(e) => return failure(e),
        },
        Report::Monthly | Report::Quarterly => {
            let period = if matches!(which, Report::Monthly) { &q.month } else { &q.quarter };
            match period_report::period_report(&state.db, &state.settings, &user, period).await {
                Ok(report) => (
                    (if matches!(which, Report::Monthly) { "monthly" } else { "quarterly" }, report.period.to_string()),
                    match format {
                        Format::Xlsx => report_xlsx::period(locale, &report),
                        Format::Csv => Ok(report_xlsx::period_csv(locale, &report)),
                    },
                ),
                Err(e) => return failure(e),
            }
        }
    };
    let name = (name.0, name.1.as_str());
    match (format, file) {
        (Format::Xlsx, result) => xlsx_response(locale, name, result),
        (Format::Csv, Ok(bytes)) => csv_response(locale, name, bytes),
        (Format::Csv, Err(e)) => failure(e),
    }
}
