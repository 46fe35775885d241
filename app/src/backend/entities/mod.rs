//! sea-orm entities: one per table, no logic.

pub mod lead;
pub mod lead_contact;
pub mod login_failure;
pub mod session;
pub mod user;
