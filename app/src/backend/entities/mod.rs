//! sea-orm entities: one per table, no logic.

pub mod activity;
pub mod calendar_token;
pub mod chain;
pub mod chain_node;
pub mod commitment;
pub mod enterprise;
pub mod enterprise_node;
pub mod lead;
pub mod lead_change;
pub mod lead_contact;
pub mod lead_node;
pub mod login_failure;
pub mod mail;
pub mod problem;
pub mod problem_update;
pub mod score_config;
pub mod session;
pub mod stage_move;
pub mod team;
pub mod team_member;
pub mod team_target;
pub mod trip;
pub mod trip_member;
pub mod user;
pub mod visit;
pub mod visit_attendee;
