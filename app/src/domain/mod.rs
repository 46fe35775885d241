//! Pure domain logic: types and rules, no I/O. Compiles for the browser too.

pub mod calendar;
pub mod catalog;
pub mod csv_read;
pub mod export;
pub mod import;
pub mod import_alias;
pub mod import_merge;
pub mod import_row;
#[cfg(feature = "import-file")]
pub mod import_table;
pub mod import_units;
pub mod lead;
pub mod lead_filter;
pub mod money;
pub mod names;
pub mod period;
pub mod planner;
pub mod region;
pub mod role;
pub mod score;
#[cfg(feature = "import-file")]
pub mod sheet;
pub mod stage;
pub mod team;
pub mod trip;
pub mod uscc;
