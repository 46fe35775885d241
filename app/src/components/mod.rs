//! Widgets shared by several pages.

pub mod errors;
pub mod filter_bar;
pub mod history;
pub mod nav;
pub mod options;
pub mod score;
