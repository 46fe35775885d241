//! What crosses the wire for `api::pipeline`: the types its server functions take and return,
//! with their validators. Imports `domain` only; read by pages, api and services.

use serde::{Deserialize, Serialize};

/// 跟进方式: how the contact happened.
pub const ACTIVITY_KINDS: [&str; 6] = ["call", "meeting", "visit_out", "visit_in", "email", "wechat"];

/// A stage move as typed. The 签约 fields are read only when moving to 签约.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub comment: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub resume_on: String,
    /// The lead version the user saw (optimistic concurrency).
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub signed_investment: String,
    #[serde(default)]
    pub signed_land_mu: String,
    #[serde(default)]
    pub signed_output: String,
    #[serde(default)]
    pub signed_tax: String,
    #[serde(default)]
    pub planned_start: String,
}

/// 跟进记录 as typed: `kind` one of `domain::pipeline` activity kinds, dates `YYYY-MM-DD`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ActivityForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub happened_on: String,
    #[serde(default)]
    pub participants: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub next_step: String,
    #[serde(default)]
    pub next_due: String,
}

/// One 跟进记录 as stored, for the REST API. Dates are `YYYY-MM-DD` (Asia/Shanghai).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ActivityView {
    pub id: i64,
    pub lead_id: i64,
    pub kind: String,
    pub happened_on: String,
    pub participants: String,
    pub summary: String,
    pub next_step: String,
    pub next_due: Option<String>,
    pub next_done: bool,
    /// The user who logged it.
    pub created_by: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum TimelineItem {
    Move {
        from: String,
        to: String,
        comment: String,
        reason: Option<String>,
        resume_on: Option<String>,
    },
    Activity {
        kind: String,
        participants: String,
        summary: String,
        next_step: String,
        next_due: Option<String>,
    },
    /// A field edit (shown to managers, admins and leaders).
    Change(crate::wire::leads::FieldChange),
    /// A milestone of the 项目建设计划 reached (`code` names a built-in, `name` the office's own).
    Milestone {
        code: String,
        name: String,
        planned_on: Option<String>,
    },
    /// A photo or voice note from a visit, at `/attachments/{id}`.
    Attachment {
        id: i64,
        kind: String,
        mime: String,
    },
}

/// One line of the lead's timeline, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// Asia/Shanghai date (and time for moves).
    pub at: String,
    pub who: String,
    pub item: TimelineItem,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommitmentView {
    pub investment_wan: f64,
    pub land_mu: Option<f64>,
    pub output_wan: Option<f64>,
    pub tax_wan: Option<f64>,
    pub start_on: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pipeline {
    pub stage: String,
    pub version: i32,
    pub days_in_stage: Option<i64>,
    pub commitment: Option<CommitmentView>,
    pub timeline: Vec<TimelineEntry>,
    pub can_edit: bool,
}

/// A next step marked done: what the home page says it took off the list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DoneStep {
    pub lead_id: i64,
    pub company_name: String,
    pub next_step: String,
}

/// A next step due soon, for the owner's home page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NextStep {
    pub activity_id: i64,
    pub lead_id: i64,
    pub company_name: String,
    pub next_step: String,
    pub due: String,
    pub overdue: bool,
}
