//! Plain async functions over a connection: all SQL lives here. The same services serve server
//! functions, the CLI and (later) the REST API and jobs.

pub mod access;
pub mod api_tokens;
pub mod assignment;
pub mod attachments;
pub mod auth;
pub mod calendar;
pub mod chain_edit;
pub mod chains;
pub mod coverage;
pub mod dashboard;
pub mod demo;
pub mod demo_efficiency;
pub mod demo_teams;
pub mod duplicate_hints;
pub mod efficiency;
pub mod efficiency_grading;
pub mod efficiency_import;
pub mod efficiency_rules;
pub mod exports;
pub mod field;
pub mod field_views;
pub mod fulfilment;
pub mod history;
pub mod ical;
pub mod import_changes;
pub mod import_commit;
pub mod import_origin;
pub mod import_parts;
pub mod import_preview;
pub mod import_preview_cache;
pub mod import_recovery;
pub mod import_region;
pub mod import_report;
pub mod import_row_blocks;
pub mod import_rows;
pub mod import_setup;
pub mod import_unknown;
pub mod import_work;
pub mod imports;
pub mod kanban;
pub mod land_contracts;
pub mod lead_admin;
pub mod lead_export;
pub mod lead_list;
pub mod leads;
pub mod list_count;
pub mod mail_admin;
pub mod map;
pub mod map_svg;
pub mod milestone_template;
pub mod period_report;
pub mod pipeline;
pub mod placements;
pub mod plan_escalation;
pub mod plan_overview;
pub mod plan_rows;
pub mod planner;
pub mod problems;
pub mod project_events;
pub mod project_plan;
pub mod project_procedures;
pub mod receipts;
pub mod reminders;
pub mod report_xlsx;
pub mod reports;
pub mod rescore;
pub mod score_settings;
pub mod scoring;
pub mod stale;
pub mod teams;
pub mod trip_edit;
pub mod trip_mail;
pub mod trips;
pub mod users;
pub mod value_aliases;
pub mod visit_edit;
pub mod visit_views;
pub mod visits;
pub mod weekly_mail;

use crate::domain::lead::FieldError;
use crate::error::AppError;
use sea_orm::DbErr;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// The record exists but the user may not see it (`lead:12`): answered exactly like
    /// `NotFound`, and logged as a denial.
    #[error("hidden {0}")]
    Hidden(String),
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// A translation key saying what clashed.
    #[error("conflict: {0}")]
    Conflict(String),
    /// Saved over a newer version: the changes since the user's.
    #[error("stale")]
    Stale(Vec<crate::wire::leads::FieldChange>),
    #[error("database: {0}")]
    Db(#[from] DbErr),
    #[error("internal: {0}")]
    Internal(String),
}

impl From<ServiceError> for AppError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::NotFound | ServiceError::Hidden(_) => AppError::NotFound,
            ServiceError::Forbidden => AppError::Forbidden,
            ServiceError::Invalid(errors) => AppError::Invalid(errors),
            ServiceError::Conflict(key) => AppError::Conflict(key),
            ServiceError::Stale(changes) => AppError::Stale(changes),
            other => {
                let reference = super::services::auth::random_hex(4);
                tracing::error!(%reference, error = %other, "request failed");
                AppError::Internal { reference }
            }
        }
    }
}

/// Whether a database error is a unique-constraint violation (a lost race with another writer).
pub fn is_unique_violation(e: &DbErr) -> bool {
    matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}
