//! What crosses the wire for `api::reports`: the types its server functions take and return,
//! with their validators. Imports `domain` only; read by pages, api and services.

use serde::{Deserialize, Serialize};

/// One team's numbers for a period (team None: leads not assigned to a team).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TeamNumbers {
    pub team_id: Option<i64>,
    pub team: String,
    pub new_leads: i64,
    pub trips_done: i64,
    pub trips_planned: i64,
    pub visits_done: i64,
    pub visits_planned: i64,
    pub stage_moves: i64,
    pub signings: i64,
    pub contracted_wan: f64,
    pub major_signed: i64,
}

impl TeamNumbers {
    /// The five indicators a team's targets measure, in the targets' order: signings, contracted
    /// 万元, 重大项目 signed, new leads, visits done.
    pub fn measured(&self) -> [f64; 5] {
        [
            self.signings as f64,
            self.contracted_wan,
            self.major_signed as f64,
            self.new_leads as f64,
            self.visits_done as f64,
        ]
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaleLead {
    pub id: i64,
    pub company_name: String,
    pub stage: String,
    /// Days since it was last touched: registered, moved a stage or contacted (`services::stale`).
    pub days: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DueProblem {
    pub id: i64,
    pub lead_id: i64,
    pub company_name: String,
    pub description: String,
    pub deadline: String,
    pub overdue: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlannedTrip {
    pub id: i64,
    pub purpose: String,
    pub start_on: String,
    pub destination: String,
    pub visits: i64,
    /// Not yet published (草稿): its people have not been told.
    pub draft: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeeklyTeam {
    pub numbers: TeamNumbers,
    pub stale_count: usize,
    pub stale: Vec<StaleLead>,
    pub problems: Vec<DueProblem>,
    /// 应开未开: the team's projects past their planned start (开工) without starting.
    #[serde(default)]
    pub late_starts: Vec<crate::wire::projects::LateStart>,
    pub next_week: Vec<PlannedTrip>,
    /// The manager's comment: (text, who, when).
    pub comment: Option<(String, String, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeeklyPack {
    pub week: String,
    pub prev: String,
    /// The next week, once it has begun (Asia/Shanghai).
    pub next: Option<String>,
    /// Whether this week has begun (one typed into the address may not have).
    pub begun: bool,
    pub from: String,
    pub to: String,
    pub teams: Vec<WeeklyTeam>,
    pub totals: TeamNumbers,
    pub can_comment: bool,
}

/// A team against its targets for the period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TargetRow {
    pub numbers: TeamNumbers,
    /// The period's share of the annual targets: signed, contracted 万元, major, new leads, visits.
    pub targets: [f64; 5],
    /// Completion in percent of each (None without a target).
    pub completion: [Option<f64>; 5],
    /// 季考核 score out of 100 (weighted, each indicator capped at 120 %).
    pub score: f64,
    /// 1 for the first; 0 while the period has not begun (nothing to rank on).
    pub rank: usize,
    /// Whether the team has targets for the period's year (without, every target is 0).
    #[serde(default)]
    pub has_targets: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignedProject {
    pub lead_id: i64,
    pub company_name: String,
    pub team: String,
    pub investment_wan: f64,
    pub signed_on: String,
    pub major: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeriodReport {
    pub period: String,
    pub prev: String,
    /// The next period, once it has begun (Asia/Shanghai): a month not yet begun has nothing to
    /// report.
    pub next: Option<String>,
    /// Whether this period has begun (one typed into the address may not have).
    pub begun: bool,
    pub from: String,
    pub to: String,
    pub rows: Vec<TargetRow>,
    pub totals: TeamNumbers,
    pub signed: Vec<SignedProject>,
    /// Weights of signed, contracted, major, new leads, visits (quarterly score).
    pub weights: [f64; 5],
    /// 应开未开 as of `late_as_of` (the period's last day, or today while it runs).
    #[serde(default)]
    pub late_starts: Vec<crate::wire::projects::LateStart>,
    #[serde(default)]
    pub late_as_of: String,
    /// 年度累计: each team's numbers from 1 January to `year_through` against its whole year's
    /// targets, in the order of `rows`; empty before the year has begun.
    #[serde(default)]
    pub year: Vec<YearRow>,
    /// The last day 年度累计 counts (the period's last day, or today while it runs), `YYYY-MM-DD`.
    #[serde(default)]
    pub year_through: String,
    /// 时序进度: the share of the year gone by on `year_through`, in percent (one decimal).
    #[serde(default)]
    pub year_elapsed: f64,
}

/// A team's 年度累计: its numbers since 1 January, its whole year's targets (signed, contracted
/// 万元, major, new leads, visits) and the completion of each in percent (None without a target).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct YearRow {
    pub numbers: TeamNumbers,
    pub annual: [f64; 5],
    pub completion: [Option<f64>; 5],
    /// Whether the team has targets for the year (without, every target is 0).
    #[serde(default)]
    pub has_targets: bool,
}
