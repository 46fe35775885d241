//! What crosses the wire for `api::project_events` (集中开工/竣工). Imports `domain` only.

use serde::{Deserialize, Serialize};

/// A project in an event: its planned date for the event's milestone and, once reached, the
/// actual one; 计划投资 in 万元.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventProject {
    pub lead_id: i64,
    pub company_name: String,
    pub stage: String,
    pub planned_investment_wan: Option<f64>,
    pub planned_on: Option<String>,
    pub done_on: Option<String>,
}

/// One 集中开工 (`start`) or 集中竣工 (`completion`) event with its projects.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProjectEventView {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub held_on: String,
    pub place: String,
    /// When the date was recorded as the projects' milestone (Asia/Shanghai).
    pub recorded_at: Option<String>,
    pub projects: Vec<EventProject>,
    /// The total 计划投资 of its projects, 万元.
    pub total_investment_wan: f64,
}

/// A project that may join an event: its milestone not reached yet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventCandidate {
    pub lead_id: i64,
    pub company_name: String,
    pub planned_on: Option<String>,
}

/// The events (newest first) and, for those who organise them, the projects that may join a
/// start or a completion event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProjectEvents {
    pub events: Vec<ProjectEventView>,
    pub start_candidates: Vec<EventCandidate>,
    pub completion_candidates: Vec<EventCandidate>,
    pub can_edit: bool,
    /// Today in Asia/Shanghai (the new event's default date).
    pub today: String,
}

/// A new event as typed: kind (`start`/`completion`), name, date (`YYYY-MM-DD`), place, and the
/// chosen projects' lead ids.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EventForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub held_on: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub leads: Vec<String>,
}

/// What recording an event's date did: projects whose milestone it became, and those it could
/// not be (company, message key).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RecordOutcome {
    pub recorded: usize,
    pub refused: Vec<(String, String)>,
}
