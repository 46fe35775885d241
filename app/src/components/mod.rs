//! Widgets shared by several pages.

pub mod bulk_assign;
pub mod chart;
pub mod errors;
pub mod filter_bar;
pub mod history;
pub mod loaded;
pub mod nav;
pub mod options;
pub mod region;
pub mod route_id;
pub mod score;
pub mod user;
