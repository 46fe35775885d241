//! The grading rules with exact figures: benchmarks, the cap, cut-offs, ties, missing data.

use super::*;

fn firm(land: f64, tax: f64, revenue: f64) -> Figures {
    Figures {
        land_mu: Some(land),
        tax_wan: Some(tax),
        revenue_wan: Some(revenue),
        added_value_wan: Some(revenue / 4.0),
        energy_tce: Some(revenue / 10.0),
        rd_wan: Some(revenue / 50.0),
        employees: Some(100.0),
    }
}

fn tax_only(cutoffs: Cutoffs) -> EfficiencyConfig {
    EfficiencyConfig {
        indicators: vec![IndicatorRule { indicator: Indicator::TaxPerMu, weight: 100.0, benchmark: Some(20.0) }],
        cap: 2.0,
        min_land_mu: 3.0,
        cutoffs,
    }
}

#[test]
fn the_default_rules_hold_together() {
    assert_eq!(EfficiencyConfig::default().check(), Ok(()));
}

#[test]
fn an_indicator_scores_against_its_benchmark_within_the_cap() {
    let c = tax_only(Cutoffs::Score { a: 100.0, b: 80.0, c: 50.0 });
    // 10 亩: 300 万 → 30/亩 → 1.5 × 100; 500 万 → 50/亩 → 2.5, capped at 2 → 200.
    let r = grade_all(&c, &[firm(10.0, 300.0, 0.0), firm(10.0, 500.0, 0.0), firm(10.0, 100.0, 0.0)]);
    assert_eq!(r[0].score, 150.0);
    assert_eq!(r[1].score, 200.0);
    assert!(r[1].parts[0].capped);
    assert_eq!(r[2].score, 50.0);
    assert_eq!(r.iter().map(|a| a.grade).collect::<Vec<_>>(), vec![Some(Grade::A), Some(Grade::A), Some(Grade::C)]);
    assert_eq!(r.iter().map(|a| a.rank).collect::<Vec<_>>(), vec![Some(2), Some(1), Some(3)]);
}

#[test]
fn a_score_on_a_cut_off_gets_the_higher_grade() {
    let c = tax_only(Cutoffs::Score { a: 100.0, b: 80.0, c: 50.0 });
    // 16/亩 ÷ 20 × 100 = 80 exactly.
    let r = grade_all(&c, &[firm(10.0, 160.0, 0.0), firm(10.0, 99.0, 0.0)]);
    assert_eq!(r[0].grade, Some(Grade::B));
    assert_eq!(r[1].grade, Some(Grade::D));
}

#[test]
fn the_benchmark_is_the_average_of_the_rated_when_none_is_set() {
    let mut c = tax_only(Cutoffs::Score { a: 100.0, b: 80.0, c: 50.0 });
    c.indicators[0].benchmark = None;
    // 10 and 30 per 亩 (average 20); the 2-亩 one (50/亩) is not rated and not averaged.
    let r = grade_all(&c, &[firm(10.0, 100.0, 0.0), firm(10.0, 300.0, 0.0), firm(2.0, 100.0, 0.0)]);
    assert_eq!(r[0].parts[0].benchmark, Some(20.0));
    assert_eq!((r[0].score, r[1].score), (50.0, 150.0));
    assert_eq!(r[2].not_rated, Some(NotRated::SmallLand));
    assert_eq!((r[2].grade, r[2].rank), (None, None));
}

#[test]
fn equal_scores_share_the_better_grade_and_rank() {
    // 10 rated: A is the first 2, B the next 5, C the next 2, D the last 1.
    let c = tax_only(Cutoffs::Share { a: 20.0, b: 50.0, c: 20.0 });
    let taxes = [500.0, 300.0, 300.0, 250.0, 240.0, 230.0, 220.0, 210.0, 100.0, 100.0];
    let figures: Vec<Figures> = taxes.iter().map(|t| firm(10.0, *t, 0.0)).collect();
    let r = grade_all(&c, &figures);
    let grades: String = r.iter().map(|a| a.grade.map(|g| g.code()).unwrap_or("-")).collect();
    // The two at 300 tie for second: both A (three A's). The two last tie for ninth: both C,
    // so no D.
    assert_eq!(grades, "AAABBBBCCC");
    assert_eq!(r[1].rank, Some(2));
    assert_eq!(r[2].rank, Some(2));
    assert_eq!(r[3].rank, Some(4));
}

#[test]
fn missing_figures_score_nothing_and_no_land_is_not_rated() {
    let c = EfficiencyConfig::default();
    let mut partial = firm(10.0, 200.0, 4000.0);
    partial.energy_tce = None;
    partial.rd_wan = None;
    let none = Figures { land_mu: None, tax_wan: Some(100.0), ..Default::default() };
    let r = grade_all(&c, &[firm(10.0, 200.0, 4000.0), partial, none]);
    let energy = |a: &Assessment| a.parts.iter().find(|p| p.indicator == Indicator::RevenuePerEnergy).cloned();
    assert_eq!(energy(&r[1]).map(|p| (p.value, p.points)), Some((None, 0.0)));
    // Both at the average on tax, revenue and labour; the first also on energy and R&D.
    assert_eq!(r[0].score, 100.0);
    assert_eq!(r[1].score, 70.0);
    assert_eq!(r[2].not_rated, Some(NotRated::NoLand));
}

#[test]
fn bad_rules_are_refused_at_their_fields() {
    let mut c = EfficiencyConfig::default();
    c.indicators[0].weight = 50.0;
    c.indicators[1].benchmark = Some(0.0);
    c.cutoffs = Cutoffs::Score { a: 50.0, b: 80.0, c: 10.0 };
    let fields: Vec<String> = c.check().unwrap_err().into_iter().map(|e| e.field).collect();
    assert_eq!(fields, vec!["benchmark.1", "weights", "cutoffs"]);
}

#[test]
fn d_pays_more_and_c_gets_no_land() {
    assert!(consequences(Grade::D).contains(&"efficiency.effect.surcharge"));
    assert!(consequences(Grade::C).contains(&"efficiency.effect.no_land"));
    assert!(!consequences(Grade::B).contains(&"efficiency.effect.no_land"));
}
