//! Integration tests through HTTP against a started server and a real database. The same suite
//! runs on SQLite and, with `LZ_TEST_PG_URL` set (the test script does), on PostgreSQL.

mod api_schema;
mod api_v1;
mod assets;
mod attachments;
mod auth;
mod calendars;
mod chains;
mod concurrency;
mod efficiency;
mod emails;
mod exports;
mod field;
mod history;
mod import_safety;
mod import_shapes;
mod imports;
mod kanban;
mod land;
mod leads;
mod mail;
mod major;
mod map;
mod migrations;
mod names;
mod pipeline;
mod plain_forms;
mod planner;
mod project_events;
mod projects;
mod reports;
mod roles;
mod security;
mod security_decisions;
mod teams;
mod trips;
