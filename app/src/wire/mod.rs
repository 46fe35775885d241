//! What crosses the wire: every DTO, form, filter and `SessionUser` the server functions and
//! the REST API exchange, with their validators. One file per `api/` resource. Imports `domain`
//! (and the `error` and `i18n` types) only, never `api`, `pages` or `backend`, so every layer may
//! read it.

pub mod assignment;
pub mod auth;
pub mod calendar;
pub mod chains;
pub mod dashboard;
pub mod efficiency;
pub mod field;
pub mod fulfilment;
pub mod imports;
pub mod kanban;
pub mod land;
pub mod lead_admin;
pub mod leads;
pub mod mail;
pub mod map;
pub mod pipeline;
pub mod planner;
pub mod problems;
pub mod project_events;
pub mod projects;
pub mod reports;
pub mod scoring;
pub mod teams;
pub mod tokens;
pub mod trips;
pub mod users;
