//! 季考核: the quarterly assessment of a 招商专班 against its share of the year's targets.

/// The five indicators a team is assessed on, in report order: 签约项目, 合同金额, 重大项目,
/// 新增线索, 走访.
pub const INDICATORS: usize = 5;

/// Completion above the target counts up to this much per indicator (超额完成 earns at most a
/// fifth more), so one runaway indicator cannot hide the others.
pub const COMPLETION_CAP_PCT: f64 = 120.0;

/// The 季考核 score: the weighted mean of each indicator's completion (percent of its target),
/// each capped at [`COMPLETION_CAP_PCT`]. 100 means every target met exactly; the most is 120.
/// An indicator without a target (`None`) drops out and the others carry its weight; with none
/// at all the score is 0. `weights` are relative (they need not sum to 100).
pub fn quarterly_score(completion: &[Option<f64>; INDICATORS], weights: &[f64; INDICATORS]) -> f64 {
    let (mut sum, mut weight) = (0.0, 0.0);
    for (c, w) in completion.iter().zip(weights) {
        if let Some(c) = c {
            sum += c.min(COMPLETION_CAP_PCT) * w;
            weight += w;
        }
    }
    if weight > 0.0 {
        sum / weight
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::quarterly_score as score;

    #[test]
    fn quarterly_score_weighs_and_caps() {
        let w = [30.0, 30.0, 15.0, 10.0, 15.0];
        assert_eq!(score(&[Some(100.0); 5], &w), 100.0);
        assert_eq!(score(&[Some(200.0); 5], &w), 120.0, "capped");
        // Without targets for two indicators, the others carry the weight.
        assert_eq!(score(&[Some(50.0), Some(100.0), None, None, Some(0.0)], &w), (1500.0 + 3000.0) / 75.0);
        assert_eq!(score(&[None; 5], &w), 0.0);
    }
}
