//! One module per screen.

pub mod admin_mail;
pub mod admin_users;
pub mod calendar;
pub mod chain_map;
pub mod chains;
pub mod dashboard;
pub mod gaps;
pub mod home;
pub mod kanban;
pub mod lead_detail;
pub mod lead_extras;
pub mod lead_form;
pub mod lead_pipeline;
pub mod leads_list;
pub mod login;
pub mod me;
pub mod not_found;
pub mod problems;
pub mod reports;
pub mod settings_scoring;
pub mod teams;
pub mod trash;
pub mod trip_detail;
pub mod trips;
pub mod unassigned;
pub mod weekly;
