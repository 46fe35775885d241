//! One module per screen.

pub mod admin_users;
pub mod chain_map;
pub mod chains;
pub mod gaps;
pub mod home;
pub mod kanban;
pub mod lead_detail;
pub mod lead_extras;
pub mod lead_form;
pub mod lead_pipeline;
pub mod leads_list;
pub mod login;
pub mod not_found;
pub mod problems;
pub mod settings_scoring;
pub mod trash;
