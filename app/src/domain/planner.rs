//! 每周外出招商计划: which open leads a team should visit next week, and where — ranked by fit
//! × staleness × stage urgency, and grouped by city so one trip covers several companies.

use crate::domain::catalog::Stage;
use serde::{Deserialize, Serialize};

/// An open lead as the planner sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub lead_id: i64,
    pub company_name: String,
    /// Six-digit division code.
    pub region_code: String,
    pub score: Option<f64>,
    pub grade: Option<String>,
    pub stage: String,
    /// Days since the last contact (activity), or since the lead was logged.
    pub idle_days: i64,
    /// Whether any contact (activity) was ever recorded: if not, `idle_days` counts from 登记.
    pub contacted: bool,
}

/// Why a lead is suggested, as translation keys with a value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ranked {
    pub lead: Candidate,
    pub priority: f64,
    /// (key, value): fit, idle days, stage.
    pub why: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cluster {
    /// Four-digit city prefix.
    pub city: String,
    pub leads: Vec<Ranked>,
    pub priority: f64,
    pub a_grade: usize,
}

/// Stage urgency: the nearer to signing, the more a visit matters.
pub fn stage_weight(stage: &str) -> f64 {
    match stage {
        "negotiation" => 1.6,
        "visit" => 1.4,
        "contact" => 1.2,
        _ => 1.0,
    }
}

/// 1 for a lead touched today, up to 3 for one left alone 60 days or more.
pub fn staleness(idle_days: i64) -> f64 {
    1.0 + (idle_days.clamp(0, 60) as f64) / 30.0
}

/// Fit: the score out of 100 (an unscored lead counts as 30).
pub fn fit(score: Option<f64>) -> f64 {
    score.unwrap_or(30.0).clamp(0.0, 100.0) / 100.0
}

pub fn rank(c: Candidate) -> Ranked {
    let priority = fit(c.score) * staleness(c.idle_days) * stage_weight(&c.stage);
    let why = vec![
        (
            "planner.why.fit".to_string(),
            match (&c.grade, c.score) {
                (Some(g), Some(s)) => format!("{g} {s:.0}"),
                _ => "—".into(),
            },
        ),
        // "0 天未联系" reads as a fault: a lead in touch today says so; one never contacted says
        // that, with the days since it was logged — or, past 线索 (imported at 洽谈, say), that
        // no contact is on record, since someone has been in touch.
        (
            match (c.contacted, c.idle_days, c.stage == Stage::Clue.code()) {
                (true, 0, _) => "planner.why.idle_today",
                (true, _, _) => "planner.why.idle",
                (false, 0, true) => "planner.why.never_today",
                (false, _, true) => "planner.why.never",
                (false, 0, false) => "planner.why.unrecorded_today",
                (false, _, false) => "planner.why.unrecorded",
            }
            .to_string(),
            c.idle_days.to_string(),
        ),
        ("planner.why.stage".to_string(), c.stage.clone()),
    ];
    Ranked { lead: c, priority, why }
}

/// The candidates ranked and grouped by city, best city first; each city keeps at most
/// `per_trip` leads (what a two- or three-day trip can cover).
pub fn plan(candidates: Vec<Candidate>, per_trip: usize) -> Vec<Cluster> {
    let mut clusters: Vec<Cluster> = Vec::new();
    let mut ranked: Vec<Ranked> = candidates.into_iter().map(rank).collect();
    ranked.sort_by(|a, b| b.priority.total_cmp(&a.priority).then(a.lead.lead_id.cmp(&b.lead.lead_id)));
    for r in ranked {
        let city: String = r.lead.region_code.chars().take(4).collect();
        if city.len() < 4 || !city.chars().all(|c| c.is_ascii_digit()) {
            continue; // overseas leads are not a trip's stop
        }
        match clusters.iter_mut().find(|c| c.city == city) {
            Some(c) if c.leads.len() >= per_trip => {}
            Some(c) => c.leads.push(r),
            None => clusters.push(Cluster { city, leads: vec![r], priority: 0.0, a_grade: 0 }),
        }
    }
    for c in &mut clusters {
        c.priority = c.leads.iter().map(|r| r.priority).sum();
        c.a_grade = c.leads.iter().filter(|r| r.lead.grade.as_deref() == Some("A")).count();
    }
    clusters.sort_by(|a, b| b.priority.total_cmp(&a.priority).then(a.city.cmp(&b.city)));
    clusters
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(id: i64, region: &str, score: Option<f64>, grade: &str, stage: &str, idle: i64) -> Candidate {
        Candidate {
            lead_id: id,
            company_name: format!("企业{id}"),
            region_code: region.into(),
            score,
            grade: (!grade.is_empty()).then(|| grade.to_string()),
            stage: stage.into(),
            idle_days: idle,
            contacted: true,
        }
    }

    #[test]
    fn priority_grows_with_fit_staleness_and_stage() {
        let base = rank(cand(1, "320115", Some(60.0), "B", "clue", 0)).priority;
        assert!(rank(cand(1, "320115", Some(80.0), "A", "clue", 0)).priority > base);
        assert!(rank(cand(1, "320115", Some(60.0), "B", "clue", 30)).priority > base);
        assert!(rank(cand(1, "320115", Some(60.0), "B", "negotiation", 0)).priority > base);
        // Staleness stops counting after 60 days.
        assert_eq!(
            rank(cand(1, "320115", Some(60.0), "B", "clue", 60)).priority,
            rank(cand(1, "320115", Some(60.0), "B", "clue", 400)).priority
        );
        assert_eq!(rank(cand(1, "320115", None, "", "clue", 0)).priority, 0.3);
    }

    #[test]
    fn a_lead_in_touch_today_says_so_not_zero_days() {
        let keys = |idle| {
            rank(cand(1, "320115", Some(60.0), "B", "clue", idle)).why.into_iter().map(|(k, _)| k).collect::<Vec<_>>()
        };
        assert!(keys(0).contains(&"planner.why.idle_today".to_string()));
        assert!(keys(5).contains(&"planner.why.idle".to_string()));
        // Logged today and never contacted is not "in touch today".
        let never = |idle| {
            rank(Candidate { contacted: false, ..cand(1, "320115", Some(60.0), "B", "clue", idle) })
                .why
                .into_iter()
                .map(|(k, _)| k)
                .collect::<Vec<_>>()
        };
        assert!(never(0).contains(&"planner.why.never_today".to_string()));
        assert!(never(5).contains(&"planner.why.never".to_string()));
        // At 洽谈 someone has been in touch: no contact is on record, not "never contacted".
        let at_negotiation =
            rank(Candidate { contacted: false, ..cand(1, "320115", Some(60.0), "B", "negotiation", 5) });
        let keys: Vec<String> = at_negotiation.why.into_iter().map(|(k, _)| k).collect();
        assert!(keys.contains(&"planner.why.unrecorded".to_string()), "{keys:?}");
    }

    #[test]
    fn leads_cluster_by_city_best_city_first() {
        let plan = plan(
            vec![
                cand(1, "320115", Some(85.0), "A", "visit", 20),   // 南京江宁
                cand(2, "320111", Some(82.0), "A", "contact", 40), // 南京浦口
                cand(3, "320115", Some(50.0), "C", "clue", 5),
                cand(4, "440305", Some(90.0), "A", "negotiation", 3), // 深圳南山
                cand(5, "OS-EU", Some(99.0), "A", "negotiation", 90),
            ],
            5,
        );
        assert_eq!(plan.iter().map(|c| c.city.as_str()).collect::<Vec<_>>(), ["3201", "4403"]);
        assert_eq!(plan[0].leads.len(), 3);
        assert_eq!(plan[0].a_grade, 2);
        // Within the city, best first.
        assert!(plan[0].leads.windows(2).all(|w| w[0].priority >= w[1].priority));
        assert_eq!(plan[0].leads[0].why[2], ("planner.why.stage".to_string(), "contact".to_string()));
    }

    #[test]
    fn a_city_keeps_at_most_a_trips_worth() {
        let many: Vec<Candidate> = (0..9).map(|i| cand(i, "310115", Some(60.0), "B", "clue", i)).collect();
        let plan = plan(many, 4);
        assert_eq!(plan[0].leads.len(), 4);
        assert_eq!(plan[0].leads[0].lead.lead_id, 8, "the longest idle first");
    }
}
