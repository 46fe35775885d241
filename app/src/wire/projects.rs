//! What crosses the wire for `api::projects` (项目建设: the plan after 签约, 应开未开 and the
//! office's milestone template). Imports `domain` only; read by pages, api and services.

use serde::{Deserialize, Serialize};

/// One milestone of a project's plan, dates `YYYY-MM-DD` (Asia/Shanghai calendar).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MilestoneView {
    pub kind_id: i64,
    /// Built-in code (`milestone.{code}` names it) or `custom_N`.
    pub code: String,
    /// The office's own name; empty for a built-in under its translated name.
    pub name: String,
    pub planned_on: Option<String>,
    pub done_on: Option<String>,
    pub department: String,
    pub owner: String,
    /// `done` / `overdue` / `due` / `planned` / `open` (`domain::project_plan::MilestoneStatus`).
    pub status: String,
    /// Days past the planned date, when overdue.
    pub days_late: Option<i64>,
    /// The 问题清单 entry opened for it when it ran late.
    pub problem_id: Option<i64>,
    /// The pipeline stage it stands for, if any.
    pub stage: Option<String>,
}

/// A signed project's plan (项目建设计划).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanView {
    pub lead_id: i64,
    pub milestones: Vec<MilestoneView>,
    /// The start date committed at 签约, offered as the anchor for counting back.
    pub committed_start: Option<String>,
    /// 前期手续: the built-in items, then those added for this project.
    pub procedures: Vec<ProcedureView>,
    pub can_edit: bool,
    /// Today in Asia/Shanghai (what "reached today" records).
    pub today: String,
}

/// One 前期手续 item (帮办代办), dates `YYYY-MM-DD`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProcedureView {
    /// Built-in code (`procedure.{code}` names it) or `custom_N`.
    pub code: String,
    /// The name given when it was added; empty for a built-in.
    pub name: String,
    pub department: String,
    /// 帮办代办 person.
    pub agent: String,
    pub due_on: Option<String>,
    /// `todo` / `in_progress` / `done` / `not_needed`.
    pub status: String,
    pub documents: String,
    pub days_late: Option<i64>,
    pub problem_id: Option<i64>,
}

/// A 前期手续 item as typed (a new one for this project when the code is empty).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProcedureForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub agent: String,
    #[serde(default)]
    pub due: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub documents: String,
}

/// A milestone's fields as typed: dates `YYYY-MM-DD` or empty.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MilestoneForm {
    #[serde(default)]
    pub planned: String,
    #[serde(default)]
    pub done: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub owner: String,
}

/// 倒排: fill the planned dates from one milestone's date.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CountBackForm {
    /// The anchor milestone's kind id.
    #[serde(default)]
    pub anchor: String,
    #[serde(default)]
    pub date: String,
    /// A checkbox: `on` when weekends are skipped.
    #[serde(default)]
    pub skip_weekends: Option<String>,
    /// A checkbox: `on` to replace planned dates already set (otherwise only empty ones fill).
    #[serde(default)]
    pub replace: Option<String>,
}

/// 应开未开: a project past its planned start (开工) without starting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LateStart {
    pub lead_id: i64,
    pub company_name: String,
    pub stage: String,
    pub team_id: Option<i64>,
    pub planned_start: String,
    pub days_late: i64,
    /// What holds it: unfinished earlier milestones as (code, the office's name or empty)…
    pub holding_milestones: Vec<(String, String)>,
    /// …its 前期手续 items still open, as (code, name)…
    #[serde(default)]
    pub holding_procedures: Vec<(String, String)>,
    /// …and the project's unsolved problems (问题清单) not opened for one of those.
    pub holding_problems: Vec<String>,
}

/// One entry of the office's milestone template.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MilestoneKindView {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub position: i32,
    pub days: i32,
    pub stage: Option<String>,
    pub archived: bool,
}

/// The template with whether the reader may edit it (managers and admins).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MilestoneTemplate {
    pub kinds: Vec<MilestoneKindView>,
    pub can_edit: bool,
}

/// A template entry as typed (a new one when `id` is empty).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MilestoneKindForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub days: String,
    #[serde(default)]
    pub position: String,
    /// A checkbox: `on` to take it out of new and current plans (its recorded dates stay).
    #[serde(default)]
    pub archived: Option<String>,
}

/// What `/projects` shows: 应开未开 first, then every project's next milestone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProjectsOverview {
    pub late_starts: Vec<LateStart>,
    /// Overdue milestones other than 开工 (督办), most late first.
    pub overdue: Vec<OverdueMilestone>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OverdueMilestone {
    pub lead_id: i64,
    pub company_name: String,
    pub code: String,
    pub name: String,
    pub planned_on: String,
    pub days_late: i64,
    pub owner: String,
}
