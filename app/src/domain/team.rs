//! 招商专班 focus and the assignment suggestion: which team should work a lead, and which member.
//! Pure: the service gathers the facts, this decides and says why.

use serde::{Deserialize, Serialize};

/// What a team concentrates on.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TeamFocus {
    /// Division codes (province `320000`, city `320100`, district `320115`).
    pub regions: Vec<String>,
    pub chains: Vec<i64>,
    pub industries: Vec<String>,
}

/// The part of a division code that names it: `320100` → `3201`, `320000` → `32`.
pub fn division_prefix(code: &str) -> &str {
    let code = code.trim();
    if code.len() != 6 {
        return code;
    }
    if code.ends_with("0000") {
        &code[..2]
    } else if code.ends_with("00") {
        &code[..4]
    } else {
        code
    }
}

/// Whether a lead registered in `lead_region` lies inside the focus region `focus`.
pub fn region_covers(focus: &str, lead_region: &str) -> bool {
    let prefix = division_prefix(focus);
    !prefix.is_empty() && lead_region.starts_with(prefix)
}

/// The facts about a lead that matter for the suggestion.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LeadFacts {
    pub region_code: String,
    pub industry: String,
    pub chains: Vec<i64>,
    /// Its 招商专班 now, if any: it stays there (only an owner is suggested).
    pub team_id: Option<i64>,
    /// Its 负责人 now, if any: kept, with a team of theirs, when they are on one.
    pub owner_id: Option<i64>,
}

/// A team that could take the lead, with each member's count of open leads.
#[derive(Clone, Debug, PartialEq)]
pub struct TeamCandidate {
    pub id: i64,
    pub focus: TeamFocus,
    /// (user id, open leads they own)
    pub members: Vec<(i64, u32)>,
}

/// Why a team and owner were suggested (each becomes a translated line).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reason {
    /// The lead is in one of the team's focus regions (the division code).
    Region(String),
    /// The lead sits on one of the team's focus chains (chain id).
    Chain(i64),
    /// The lead's industry is one of the team's.
    Industry(String),
    /// No team's focus matches: the team with the lightest load.
    LightestTeam,
    /// The member with the fewest open leads (how many).
    FewestOpen(u32),
    /// The team's only member (their open leads).
    OnlyMember(u32),
    /// The lead is on this team already: only its owner is suggested.
    CurrentTeam,
    /// The lead's owner is kept, on (the best matching of) their own teams.
    CurrentOwner,
    /// In a list of suggestions ([`suggest_in_turn`]): the member with the fewest open leads
    /// counting those suggested to them higher up the list (open now, suggested above).
    FewestCounted(u32, u32),
    /// [`Reason::OnlyMember`] in a list of suggestions, counting those suggested to them higher
    /// up the list (open now, suggested above).
    OnlyMemberCounted(u32, u32),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub team_id: i64,
    pub owner_id: Option<i64>,
    pub reasons: Vec<Reason>,
}

const REGION_WEIGHT: u32 = 3;
const CHAIN_WEIGHT: u32 = 2;
const INDUSTRY_WEIGHT: u32 = 1;

fn matches(team: &TeamCandidate, lead: &LeadFacts) -> (u32, Vec<Reason>) {
    let mut points = 0;
    let mut reasons = Vec::new();
    // The most specific matching region explains best.
    if let Some(r) = team
        .focus
        .regions
        .iter()
        .filter(|r| region_covers(r, &lead.region_code))
        .max_by_key(|r| division_prefix(r).len())
    {
        points += REGION_WEIGHT;
        reasons.push(Reason::Region(r.clone()));
    }
    if let Some(c) = team.focus.chains.iter().find(|c| lead.chains.contains(c)) {
        points += CHAIN_WEIGHT;
        reasons.push(Reason::Chain(*c));
    }
    if !lead.industry.is_empty() && team.focus.industries.contains(&lead.industry) {
        points += INDUSTRY_WEIGHT;
        reasons.push(Reason::Industry(lead.industry.clone()));
    }
    (points, reasons)
}

/// Open leads per member, in thousandths (a team of two with 40 is as loaded as a team of one
/// with 20); a team without members last.
fn load(team: &TeamCandidate) -> u64 {
    let total: u64 = team.members.iter().map(|(_, n)| u64::from(*n)).sum();
    match team.members.len() as u64 {
        0 => u64::MAX,
        n => total * 1000 / n,
    }
}

/// The team whose focus matches the lead best (region, then chain, then industry; ties go to
/// the lighter load per member, then the lower id), or, when none matches, the team with the
/// lightest load per member; then its member with the fewest open leads. A lead on a team stays
/// on it (`CurrentTeam`: only an owner is suggested); a lead with an owner on some team keeps
/// them, on the best of their teams (`CurrentOwner`) — a suggestion never moves a lead away
/// from whoever has it. None when there are no teams.
pub fn suggest(lead: &LeadFacts, teams: &[TeamCandidate]) -> Option<Suggestion> {
    let own_team = lead.team_id.and_then(|id| teams.iter().find(|t| t.id == id));
    let theirs = |t: &&TeamCandidate| lead.owner_id.is_some_and(|o| t.members.iter().any(|m| m.0 == o));
    let (pool, kept): (Vec<&TeamCandidate>, Option<Reason>) = match own_team {
        Some(t) => (vec![t], Some(Reason::CurrentTeam)),
        None if teams.iter().any(|t| theirs(&t)) => (teams.iter().filter(theirs).collect(), Some(Reason::CurrentOwner)),
        None => (teams.iter().collect(), None),
    };
    let best = pool
        .into_iter()
        .map(|t| {
            let (points, reasons) = matches(t, lead);
            (t, points, reasons)
        })
        .min_by_key(|(t, points, _)| (std::cmp::Reverse(*points), load(t), t.id))?;
    let (team, points, mut reasons) = best;
    match &kept {
        Some(reason) => reasons.insert(0, reason.clone()),
        None if points == 0 => reasons.push(Reason::LightestTeam),
        None => {}
    }
    // The owner stays when they are on the suggested team (a lead on its team whose owner is a
    // member, or the owner's own team).
    if kept.is_some() && theirs(&team) {
        if kept == Some(Reason::CurrentTeam) {
            reasons.push(Reason::CurrentOwner);
        }
        return Some(Suggestion { team_id: team.id, owner_id: lead.owner_id, reasons });
    }
    let owner = team.members.iter().min_by_key(|(id, open)| (*open, *id)).copied();
    if let Some((_, open)) = owner {
        // "The fewest" says nothing of a team of one.
        reasons.push(if team.members.len() == 1 { Reason::OnlyMember(open) } else { Reason::FewestOpen(open) });
    }
    Some(Suggestion { team_id: team.id, owner_id: owner.map(|(id, _)| id), reasons })
}

/// Suggestions for `leads` in the order given (the 待分配 queue's, best first), each as
/// [`suggest`] makes it with the leads suggested before it counted to their owners' and teams'
/// loads, as if taken: a page of suggestions spreads over the members instead of naming the
/// lightest one on every row. Reasons say how many were counted so (`FewestCounted`).
pub fn suggest_in_turn(leads: &[LeadFacts], teams: &[TeamCandidate]) -> Vec<Option<Suggestion>> {
    let mut teams = teams.to_vec();
    let mut given: std::collections::HashMap<i64, u32> = std::collections::HashMap::new();
    leads
        .iter()
        .map(|lead| {
            let mut s = suggest(lead, &teams)?;
            // A kept owner has the lead already: nothing more to count.
            if let Some(owner) = s.owner_id.filter(|o| lead.owner_id != Some(*o)) {
                let before = given.entry(owner).or_default();
                // The count in the reason is what they have now, the ones above said apart (a
                // count rising row by row read as a mistake).
                let counted = match s.reasons.last() {
                    Some(Reason::FewestOpen(n)) if *before > 0 => {
                        Some(Reason::FewestCounted(n.saturating_sub(*before), *before))
                    }
                    Some(Reason::OnlyMember(n)) if *before > 0 => {
                        Some(Reason::OnlyMemberCounted(n.saturating_sub(*before), *before))
                    }
                    _ => None,
                };
                if let Some(reason) = counted {
                    s.reasons.pop();
                    s.reasons.push(reason);
                }
                *before += 1;
                for member in teams.iter_mut().flat_map(|t| t.members.iter_mut()).filter(|m| m.0 == owner) {
                    member.1 += 1;
                }
            }
            Some(s)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn team(id: i64, regions: &[&str], chains: &[i64], industries: &[&str], members: &[(i64, u32)]) -> TeamCandidate {
        TeamCandidate {
            id,
            focus: TeamFocus {
                regions: regions.iter().map(|s| s.to_string()).collect(),
                chains: chains.to_vec(),
                industries: industries.iter().map(|s| s.to_string()).collect(),
            },
            members: members.to_vec(),
        }
    }

    fn lead(region: &str, industry: &str, chains: &[i64]) -> LeadFacts {
        LeadFacts {
            region_code: region.into(),
            industry: industry.into(),
            chains: chains.to_vec(),
            ..Default::default()
        }
    }

    #[test]
    fn a_lead_stays_with_its_team_or_its_owner() {
        let teams = [team(1, &["320100"], &[], &[], &[(10, 5), (11, 1)]), team(2, &["440300"], &[], &[], &[(20, 0)])];
        // On team 2 already, though 南京 matches team 1: only an owner in team 2.
        let on_two = LeadFacts { region_code: "320115".into(), team_id: Some(2), ..Default::default() };
        let s = suggest(&on_two, &teams).unwrap();
        assert_eq!((s.team_id, s.owner_id, s.reasons[0].clone()), (2, Some(20), Reason::CurrentTeam));
        // Owned by 10 (on team 1) with no team: team 1, and 10 keeps it though 11 is lighter.
        let owned = LeadFacts { region_code: "440305".into(), owner_id: Some(10), ..Default::default() };
        let s = suggest(&owned, &teams).unwrap();
        assert_eq!((s.team_id, s.owner_id, s.reasons[0].clone()), (1, Some(10), Reason::CurrentOwner));
        // Kept owners are not counted again down the list.
        let both = suggest_in_turn(&[owned.clone(), owned], &teams);
        assert!(both.iter().all(|s| s.as_ref().unwrap().owner_id == Some(10)));
        // On team 1 with owner 10 (a member): both kept, though 11 is lighter.
        let kept =
            LeadFacts { region_code: "440305".into(), team_id: Some(1), owner_id: Some(10), ..Default::default() };
        let s = suggest(&kept, &teams).unwrap();
        assert_eq!((s.team_id, s.owner_id), (1, Some(10)));
        assert_eq!(s.reasons, vec![Reason::CurrentTeam, Reason::CurrentOwner]);
        // On team 2 with owner 10 (not a member there): team 2's member is suggested.
        let apart = LeadFacts { team_id: Some(2), owner_id: Some(10), ..Default::default() };
        assert_eq!(suggest(&apart, &teams).unwrap().owner_id, Some(20));
        // An owner on no team: suggested as any lead.
        let stray = LeadFacts { region_code: "440305".into(), owner_id: Some(99), ..Default::default() };
        assert_eq!(suggest(&stray, &teams).unwrap().owner_id, Some(20));
    }

    #[test]
    fn the_lightest_team_is_the_lightest_per_member() {
        // Team 1: two members with 30 between them (15 each); team 2: one with 20. No match.
        let teams = [team(1, &[], &[], &[], &[(10, 14), (11, 16)]), team(2, &[], &[], &[], &[(20, 20)])];
        let s = suggest(&lead("110101", "x", &[]), &teams).unwrap();
        assert_eq!((s.team_id, s.owner_id), (1, Some(10)));
        // A team of one: its member is named as the only one, not as the one with the fewest.
        let alone = [team(2, &["440300"], &[], &[], &[(20, 20)])];
        let s = suggest(&lead("440305", "x", &[]), &alone).unwrap();
        assert_eq!(s.reasons.last(), Some(&Reason::OnlyMember(20)));
    }

    #[test]
    fn division_prefixes() {
        assert_eq!(division_prefix("320000"), "32");
        assert_eq!(division_prefix("320100"), "3201");
        assert_eq!(division_prefix("320115"), "320115");
        assert!(region_covers("320100", "320115"));
        assert!(region_covers("310000", "310115"));
        assert!(!region_covers("320100", "320211"));
        assert!(!region_covers("", "320211"));
    }

    #[test]
    fn region_beats_industry_and_the_lightest_member_gets_it() {
        let teams = [
            team(1, &["440300"], &[], &["electronic_comms"], &[(10, 0)]),
            team(2, &["320100"], &[], &[], &[(20, 5), (21, 2), (22, 2)]),
        ];
        let s = suggest(&lead("320115", "electronic_comms", &[]), &teams).unwrap();
        assert_eq!(s.team_id, 2);
        assert_eq!(s.owner_id, Some(21), "fewest open leads, then the lower id");
        assert_eq!(s.reasons, vec![Reason::Region("320100".into()), Reason::FewestOpen(2)]);
    }

    #[test]
    fn chain_and_industry_add_up() {
        let teams = [team(1, &[], &[7], &["new_energy"], &[(10, 3)]), team(2, &["310000"], &[], &[], &[(20, 0)])];
        // 2 + 1 for team 1 beats nothing for team 2 when the lead is not in Shanghai.
        let s = suggest(&lead("440305", "new_energy", &[7, 9]), &teams).unwrap();
        assert_eq!(s.team_id, 1);
        assert_eq!(s.reasons, vec![Reason::Chain(7), Reason::Industry("new_energy".into()), Reason::OnlyMember(3)]);
        // In Shanghai, the region (3) beats chain + industry (3) on load: team 2 is lighter.
        assert_eq!(suggest(&lead("310115", "new_energy", &[7]), &teams).unwrap().team_id, 2);
    }

    #[test]
    fn without_a_match_the_lightest_team_is_suggested() {
        let teams = [team(1, &["440300"], &[], &[], &[(10, 9)]), team(2, &["310000"], &[], &[], &[(20, 1)])];
        let s = suggest(&lead("500101", "other", &[]), &teams).unwrap();
        assert_eq!(s.team_id, 2);
        assert_eq!(s.reasons, vec![Reason::LightestTeam, Reason::OnlyMember(1)]);
    }

    #[test]
    fn an_empty_team_has_no_owner_and_no_teams_no_suggestion() {
        let s = suggest(&lead("320115", "x", &[]), &[team(3, &["320000"], &[], &[], &[])]).unwrap();
        assert_eq!((s.team_id, s.owner_id), (3, None));
        assert!(suggest(&lead("320115", "x", &[]), &[]).is_none());
    }

    #[test]
    fn a_list_of_suggestions_spreads_over_the_members() {
        let teams = [team(1, &["320100"], &[], &[], &[(10, 2), (11, 3)]), team(2, &[], &[], &[], &[(20, 0)])];
        let nanjing = LeadFacts { region_code: "320115".into(), ..Default::default() };
        let four: Vec<LeadFacts> = std::iter::repeat_n(nanjing, 4).collect();
        let suggested = suggest_in_turn(&four, &teams);
        let owners: Vec<Option<i64>> = suggested.iter().map(|s| s.as_ref().and_then(|s| s.owner_id)).collect();
        // 10 (2 open) takes the first; then 10 and 11 both count 3 and the lower id wins; then
        // 11 (3 against 4); then 10 again on the tie at 4. Without counting: 10 four times.
        assert_eq!(owners, [Some(10), Some(10), Some(11), Some(10)]);
        assert_eq!(suggested[0].as_ref().unwrap().reasons.last(), Some(&Reason::FewestOpen(2)));
        assert_eq!(
            suggested[1].as_ref().unwrap().reasons.last(),
            Some(&Reason::FewestCounted(2, 1)),
            "2 open, 1 counted"
        );
    }

    #[test]
    fn a_team_of_ones_member_keeps_their_own_count_down_the_list() {
        let teams = [team(1, &["320100"], &[], &[], &[(10, 41)])];
        let nanjing = LeadFacts { region_code: "320115".into(), ..Default::default() };
        let three: Vec<LeadFacts> = std::iter::repeat_n(nanjing, 3).collect();
        let reasons: Vec<Option<Reason>> =
            suggest_in_turn(&three, &teams).into_iter().map(|s| s.and_then(|s| s.reasons.last().cloned())).collect();
        assert_eq!(
            reasons,
            [
                Some(Reason::OnlyMember(41)),
                Some(Reason::OnlyMemberCounted(41, 1)),
                Some(Reason::OnlyMemberCounted(41, 2))
            ],
            "41 open each time, the ones above said apart (was 41, 42, 43)"
        );
    }
}
