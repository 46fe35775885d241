//! Widgets shared by several pages.

pub mod attachment;
pub mod auto_submit;
pub mod bulk_assign;
pub mod chart;
pub mod check_in;
pub mod confirm;
pub mod drag_move;
pub mod errors;
pub mod filter_bar;
pub mod forget_refusal;
pub mod history;
pub mod island;
pub mod left;
pub mod loaded;
pub mod nav;
pub mod options;
pub mod pager;
pub mod period_steps;
pub mod read_only;
pub mod region;
pub mod route_id;
pub mod score;
pub mod uscc_field;
pub mod user;
pub mod voice_recorder;
