use super::*;
use proptest::prelude::*;

fn full() -> ScoreInput {
    ScoreInput {
        industry: Some(Industry::ElectronicComms),
        nodes: vec![NodePlacement { is_gap: true, role: ChainRole::Leader, supplies_local_leader: false }],
        planned_investment_wan: Some(60_000.0),
        land_mu: Some(100.0),
        annual_tax_wan: Some(3_000.0),
        high_tech: Some(true),
        specialised: Some(true),
        listed: Some(true),
        region_group: Some(RegionGroup::Yrd),
        nanjing_metro: true,
        energy: Some(EnergyUse::Low),
    }
}

fn factor<'a>(s: &'a FitScore, key: &str) -> &'a Factor {
    s.factors.iter().find(|f| f.key == key).unwrap()
}

#[test]
fn a_perfect_lead_scores_100_and_grade_a() {
    let s = score(&full(), &ScoreConfig::default());
    assert_eq!(s.score, 100.0);
    assert_eq!(s.grade, Grade::A);
    assert_eq!(s.completeness, 1.0);
    let sum: f64 = s.factors.iter().map(|f| f.points).sum();
    assert!((sum - 100.0).abs() < 0.5, "breakdown adds up: {sum}");
}

#[test]
fn the_first_industry_outranks_the_other_leading_ones_and_outside_scores_low() {
    let c = ScoreConfig::default();
    let with = |i| score(&ScoreInput { industry: Some(i), ..full() }, &c);
    let first = factor(&with(Industry::ElectronicComms), "industry").points;
    let leading = factor(&with(Industry::SmartManufacturing), "industry").points;
    let services = factor(&with(Industry::ModernServices), "industry").points;
    let outside = factor(&with(Industry::Other), "industry").points;
    assert!(first > leading && leading > services && services > outside);
    assert!(outside < first / 4.0);
}

#[test]
fn chain_value_rewards_gaps_leaders_and_suppliers_of_local_leaders() {
    let c = ScoreConfig::default();
    let on = |is_gap, role, supplies_local_leader| {
        factor(
            &score(&ScoreInput { nodes: vec![NodePlacement { is_gap, role, supplies_local_leader }], ..full() }, &c),
            "chain",
        )
        .points
    };
    assert!(on(true, ChainRole::Plain, false) > on(false, ChainRole::Plain, false));
    assert!(on(false, ChainRole::Leader, false) > on(false, ChainRole::Plain, false));
    assert!(on(false, ChainRole::Supplier, true) > on(false, ChainRole::Supplier, false));
    let unplaced = score(&ScoreInput { nodes: vec![], ..full() }, &c);
    assert!(factor(&unplaced, "chain").unknown);
}

#[test]
fn a_major_project_gets_a_bonus() {
    let c = ScoreConfig::default();
    let at = |inv| factor(&score(&ScoreInput { planned_investment_wan: Some(inv), ..full() }, &c), "scale").points;
    assert!(at(10_000.0) - at(9_999.0) > 3.0, "crossing 1 亿元 jumps");
    assert!(at(50_000.0) >= at(20_000.0));
}

#[test]
fn land_efficiency_reads_intensity_and_tax_per_mu() {
    let c = ScoreConfig::default();
    // 30,000 万元 on 100 亩 = 300 万元/亩; 2,000 万元 tax = 20 万元/亩: both at threshold.
    let s = score(&ScoreInput { planned_investment_wan: Some(30_000.0), annual_tax_wan: Some(2_000.0), ..full() }, &c);
    let land = factor(&s, "land");
    assert_eq!(land.points, land.max);
    let shown = |f: &Factor| (f.raw.clone(), f.raw_args.iter().map(|(_, v)| v.clone()).collect::<Vec<_>>());
    assert_eq!(shown(land), ("score.raw.land".to_string(), vec!["300".to_string(), "20".to_string()]));
    let half =
        score(&ScoreInput { planned_investment_wan: Some(15_000.0), annual_tax_wan: Some(1_000.0), ..full() }, &c);
    assert!((factor(&half, "land").points - land.max / 2.0).abs() < 0.2);
    let none_needed = score(&ScoreInput { land_mu: Some(0.0), ..full() }, &c);
    assert_eq!(factor(&none_needed, "land").points, factor(&none_needed, "land").max);
    // One half unknown: it earns nothing, reads "—" (not "?"), and the reason names it.
    let no_tax = score(&ScoreInput { planned_investment_wan: Some(66_670.0), annual_tax_wan: None, ..full() }, &c);
    let land = factor(&no_tax, "land");
    assert_eq!(shown(land), ("score.raw.land".to_string(), vec!["666.7".to_string(), "—".to_string()]));
    assert_eq!(land.why, "score.why.land.no_tax");
    assert!((land.points - land.max / 2.0).abs() < 1e-9);
    let no_investment = score(&ScoreInput { planned_investment_wan: None, annual_tax_wan: Some(500.0), ..full() }, &c);
    assert_eq!(factor(&no_investment, "land").why, "score.why.land.no_intensity");
}

#[test]
fn innovation_counts_the_flags() {
    let c = ScoreConfig::default();
    let none =
        score(&ScoreInput { high_tech: Some(false), specialised: Some(false), listed: Some(false), ..full() }, &c);
    assert_eq!(factor(&none, "innovation").points, 0.0);
    assert!(!factor(&none, "innovation").unknown, "known to be none is not unknown");
    assert_eq!(factor(&none, "innovation").raw, "score.raw.innovation.none");
    let unknown = score(&ScoreInput { high_tech: None, specialised: None, listed: None, ..full() }, &c);
    assert!(factor(&unknown, "innovation").unknown);
    // The qualifications held are named; the unknown ones counted in the reason.
    let listed_only =
        score(&ScoreInput { high_tech: Some(false), specialised: None, listed: Some(true), ..full() }, &c);
    let f = factor(&listed_only, "innovation");
    assert_eq!((f.raw.as_str(), f.why.as_str()), ("score.raw.innovation.l", "score.why.innovation.partly"));
    assert!(f.why_args.contains(&("unknown".to_string(), "1".to_string())));
    assert_eq!(factor(&score(&full(), &c), "innovation").raw, "score.raw.innovation.hsl");
    // None held of the one known: not "none of them".
    let none_known = score(&ScoreInput { high_tech: Some(false), specialised: None, listed: None, ..full() }, &c);
    assert_eq!(factor(&none_known, "innovation").raw, "score.raw.innovation.none_known");
}

#[test]
fn a_major_projects_reason_says_where_its_bonus_reaches_full_marks() {
    let c = ScoreConfig::default();
    // 0.8² × 50,000 = 32,000 万元: full marks with the bonus, as the reason says.
    let s = score(&ScoreInput { planned_investment_wan: Some(32_000.0), ..full() }, &c);
    let f = factor(&s, "scale");
    assert_eq!((f.points, f.why.as_str()), (f.max, "score.why.scale.major"));
    assert!(f.why_args.contains(&("full_major".to_string(), "32,000".to_string())), "{:?}", f.why_args);
    let below = score(&ScoreInput { planned_investment_wan: Some(31_000.0), ..full() }, &c);
    assert!(factor(&below, "scale").points < f.max);
}

#[test]
fn a_nanjing_metro_lead_reads_as_the_metro() {
    let c = ScoreConfig::default();
    let region = |nj| factor(&score(&ScoreInput { nanjing_metro: nj, ..full() }, &c), "region").raw.clone();
    assert_eq!((region(true).as_str(), region(false).as_str()), ("region.nanjing_metro", "region.group.yrd"));
}

#[test]
fn region_order_is_nanjing_then_yrd_about_prd_then_other() {
    let c = ScoreConfig::default();
    let at =
        |g, nj| factor(&score(&ScoreInput { region_group: Some(g), nanjing_metro: nj, ..full() }, &c), "region").points;
    let nanjing = at(RegionGroup::Yrd, true);
    let yrd = at(RegionGroup::Yrd, false);
    let prd = at(RegionGroup::Prd, false);
    let other = at(RegionGroup::OtherDomestic, false);
    assert!(nanjing > yrd && yrd >= prd && prd > other);
    assert!((yrd - prd).abs() <= 1.0, "YRD ≈ PRD");
}

#[test]
fn energy_use_is_a_penalty() {
    let c = ScoreConfig::default();
    let at = |e| score(&ScoreInput { energy: e, ..full() }, &c).score;
    assert_eq!(at(Some(EnergyUse::High)), 90.0);
    assert_eq!(at(Some(EnergyUse::Medium)), 95.0);
    assert_eq!(at(Some(EnergyUse::Low)), 100.0);
    let unknown = score(&ScoreInput { energy: None, ..full() }, &c);
    assert!(factor(&unknown, "energy").unknown);
    // No penalty reads "0.0", not "-0.0" (a low-energy lead's page said "-0.0").
    for e in [None, Some(EnergyUse::Low)] {
        let points = factor(&score(&ScoreInput { energy: e, ..full() }, &c), "energy").points;
        assert_eq!(format!("{points:.1}"), "0.0", "{e:?}");
    }
}

#[test]
fn missing_data_is_unknown_not_silently_zero() {
    let c = ScoreConfig::default();
    let s = score(&ScoreInput { industry: Some(Industry::ElectronicComms), ..Default::default() }, &c);
    let unknown: Vec<_> = s.factors.iter().filter(|f| f.unknown).map(|f| f.key.as_str()).collect();
    assert_eq!(unknown, ["chain", "scale", "land", "innovation", "region", "energy"]);
    assert!(s.completeness < 0.3);
    assert!(s.score <= 25.0, "a lead known only by its industry cannot grade high: {}", s.score);
    assert_eq!(s.grade, Grade::D);
}

#[test]
fn grades_follow_the_cut_offs() {
    let c = ScoreConfig::default();
    assert_eq!(c.grade(80.0), Grade::A);
    assert_eq!(c.grade(79.9), Grade::B);
    assert_eq!(c.grade(65.0), Grade::B);
    assert_eq!(c.grade(50.0), Grade::C);
    assert_eq!(c.grade(49.9), Grade::D);
}

#[test]
fn bad_configs_are_refused_by_field() {
    let mut c = ScoreConfig::default();
    c.weights.scale = -1.0;
    c.thresholds.tax_wan_per_mu = 0.0;
    c.grades.b = 90.0;
    let fields: Vec<String> = c.check().unwrap_err().into_iter().map(|e| e.field).collect();
    assert_eq!(fields, ["weights.scale", "thresholds.tax_wan_per_mu", "grades.a"]);
    assert!(ScoreConfig::default().check().is_ok());
}

fn any_input() -> impl Strategy<Value = ScoreInput> {
    (
        proptest::option::of(0usize..5),
        proptest::collection::vec((any::<bool>(), 0usize..3, any::<bool>()), 0..3),
        proptest::option::of(0.0f64..1e6),
        proptest::option::of(0.0f64..2000.0),
        proptest::option::of(0.0f64..1e5),
        (proptest::option::of(any::<bool>()), proptest::option::of(any::<bool>()), proptest::option::of(any::<bool>())),
        (proptest::option::of(0usize..4), any::<bool>(), proptest::option::of(0usize..3)),
    )
        .prop_map(|(ind, nodes, inv, land, tax, (ht, sp, li), (rg, nj, en))| ScoreInput {
            industry: ind.map(|i| Industry::ALL[i]),
            nodes: nodes
                .into_iter()
                .map(|(is_gap, r, s)| NodePlacement { is_gap, role: ChainRole::ALL[r], supplies_local_leader: s })
                .collect(),
            planned_investment_wan: inv,
            land_mu: land,
            annual_tax_wan: tax,
            high_tech: ht,
            specialised: sp,
            listed: li,
            region_group: rg.map(|g| RegionGroup::ALL[g]),
            nanjing_metro: nj,
            energy: en.map(|e| EnergyUse::ALL[e]),
        })
}

fn any_config() -> impl Strategy<Value = ScoreConfig> {
    (proptest::collection::vec(0.0f64..100.0, 7), 1.0f64..1000.0, 1.0f64..100.0).prop_map(|(w, intensity, tax)| {
        let defaults = ScoreConfig::default();
        ScoreConfig {
            weights: Weights {
                industry: w[0] + 0.1,
                chain: w[1],
                scale: w[2],
                land: w[3],
                innovation: w[4],
                region: w[5],
                energy_penalty: w[6],
            },
            thresholds: Thresholds { intensity_wan_per_mu: intensity, tax_wan_per_mu: tax, ..defaults.thresholds },
            grades: defaults.grades,
        }
    })
}

proptest! {
    #[test]
    fn the_score_alone_is_the_breakdowns_score(input in any_input(), config in any_config()) {
        prop_assert_eq!(score_value(&input, &config), score(&input, &config).score);
    }

    #[test]
    fn the_score_stays_within_0_and_100(input in any_input(), config in any_config()) {
        let s = score(&input, &config);
        prop_assert!((0.0..=100.0).contains(&s.score), "{}", s.score);
        prop_assert!((0.0..=1.0).contains(&s.completeness));
    }

    #[test]
    fn more_intensity_or_tax_per_mu_never_lowers_the_score(
        input in any_input(), config in any_config(), extra_inv in 0.0f64..1e5, extra_tax in 0.0f64..1e4,
    ) {
        let mut input = input;
        input.land_mu = Some(input.land_mu.unwrap_or(50.0).max(1.0));
        let base = score(&input, &config).score;
        // Intensity up with investment held for scale: compare on the land factor by reducing land.
        let denser = ScoreInput { land_mu: input.land_mu.map(|l| l / 2.0), ..input.clone() };
        prop_assert!(score(&denser, &config).score >= base);
        let taxed = ScoreInput { annual_tax_wan: Some(input.annual_tax_wan.unwrap_or(0.0) + extra_tax), ..input.clone() };
        prop_assert!(score(&taxed, &config).score >= base);
        let invested = ScoreInput { planned_investment_wan: Some(input.planned_investment_wan.unwrap_or(0.0) + extra_inv), ..input.clone() };
        prop_assert!(score(&invested, &config).score >= base);
    }

    #[test]
    fn filling_a_gap_never_scores_lower_than_a_covered_node(input in any_input(), config in any_config(), r in 0usize..3, s in any::<bool>()) {
        let node = |is_gap| NodePlacement { is_gap, role: ChainRole::ALL[r], supplies_local_leader: s };
        let covered = ScoreInput { nodes: vec![node(false)], ..input.clone() };
        let gap = ScoreInput { nodes: vec![node(true)], ..input };
        prop_assert!(score(&gap, &config).score >= score(&covered, &config).score);
    }
}
