//! Widgets shared by several pages.

pub mod errors;
pub mod nav;
pub mod options;
pub mod score;
