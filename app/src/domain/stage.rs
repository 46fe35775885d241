//! The pipeline's rules (项目推进): which stage moves need a comment, a reason, a resume date or
//! the signed figures. Pure; the service records every move.

use super::catalog::Stage;
use super::lead::FieldError;
use serde::{Deserialize, Serialize};

/// The main line, in order (side states 搁置 and 终止 are not on it).
pub const PIPELINE: [Stage; 9] = [
    Stage::Clue,
    Stage::Contact,
    Stage::Visit,
    Stage::Negotiation,
    Stage::Signed,
    Stage::Registered,
    Stage::Land,
    Stage::Construction,
    Stage::Production,
];

/// 新建线索的起始阶段: staff start a lead before 签约 — a signed project's figures (签约投资额
/// and the rest) are asked for by the stage move, the one door to 签约 — while managers and
/// admins may also record projects signed before the system existed (by hand or by import).
/// Error at `stage`: `err.stage.start_late`.
pub fn may_start_at(stage: Stage, role: crate::domain::role::Role) -> Result<(), FieldError> {
    let late = position(stage) >= position(Stage::Signed);
    if late && !role.assigns_leads() {
        Err(FieldError::new("stage", "err.stage.start_late"))
    } else {
        Ok(())
    }
}

/// 落地: a lead at one of these stages has come to the zone (签约 and after). It fills the chain
/// nodes it sits on (they are no longer gaps, 补链) and counts as landed on the dashboard and in
/// the score's chain factor.
pub const LANDED: [Stage; 5] = [Stage::Signed, Stage::Registered, Stage::Land, Stage::Construction, Stage::Production];

/// 在谈: stages still being worked towards 签约 — what trips, the planner and team loads offer.
pub const OPEN: [Stage; 4] = [Stage::Clue, Stage::Contact, Stage::Visit, Stage::Negotiation];

/// Whether `stage` is one of [`LANDED`].
pub fn is_landed(stage: Stage) -> bool {
    LANDED.contains(&stage)
}

/// Whether a stored stage code is landed; an unknown code is not.
pub fn code_is_landed(code: &str) -> bool {
    Stage::parse(code).is_some_and(is_landed)
}

pub fn position(stage: Stage) -> Option<usize> {
    PIPELINE.iter().position(|s| *s == stage)
}

/// The stage after `stage` on the main line: what the stage form offers first. A lead at the
/// last stage, 搁置 or 终止 has none.
pub fn next(stage: Stage) -> Option<Stage> {
    position(stage).and_then(|i| PIPELINE.get(i + 1)).copied()
}

/// Why a lead was dropped (终止原因).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DropReason {
    NoIntention,
    ChoseElsewhere,
    Funding,
    Land,
    IndustryMismatch,
    Policy,
    Other,
}

impl DropReason {
    pub const ALL: [DropReason; 7] = [
        DropReason::NoIntention,
        DropReason::ChoseElsewhere,
        DropReason::Funding,
        DropReason::Land,
        DropReason::IndustryMismatch,
        DropReason::Policy,
        DropReason::Other,
    ];
    pub fn code(self) -> &'static str {
        match self {
            DropReason::NoIntention => "no_intention",
            DropReason::ChoseElsewhere => "chose_elsewhere",
            DropReason::Funding => "funding",
            DropReason::Land => "land",
            DropReason::IndustryMismatch => "industry_mismatch",
            DropReason::Policy => "policy",
            DropReason::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Option<DropReason> {
        Self::ALL.into_iter().find(|r| r.code() == s.trim())
    }
    pub fn label_key(self) -> String {
        format!("drop_reason.{}", self.code())
    }
}

/// What kind of move it is, for the timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MoveKind {
    /// One step forward on the main line.
    Next,
    /// More than one step forward.
    Skip,
    /// Backward, or back out of a side state.
    Back,
    Hold,
    Drop,
}

/// Checks a move from `from` to `to`. `comment`, `reason` and `resume_on` are as typed.
/// Entering 签约 also needs the signed figures, which the caller checks (they have their own form).
pub fn check_move(
    from: Stage,
    to: Stage,
    comment: &str,
    reason: &str,
    resume_on: &str,
) -> Result<(MoveKind, Option<DropReason>), Vec<FieldError>> {
    let mut errors = Vec::new();
    if from == to {
        return Err(vec![FieldError::new("to", "err.stage.same")]);
    }
    let kind = match (to, position(from), position(to)) {
        (Stage::Dropped, ..) => MoveKind::Drop,
        (Stage::OnHold, ..) => MoveKind::Hold,
        (_, Some(a), Some(b)) if b == a + 1 => MoveKind::Next,
        (_, Some(a), Some(b)) if b > a + 1 => MoveKind::Skip,
        _ => MoveKind::Back,
    };
    let reason = match kind {
        MoveKind::Drop => {
            let parsed = DropReason::parse(reason);
            if parsed.is_none() {
                errors.push(FieldError::new("reason", "err.stage.reason"));
            }
            parsed
        }
        _ => None,
    };
    if kind == MoveKind::Hold && chrono::NaiveDate::parse_from_str(resume_on.trim(), "%Y-%m-%d").is_err() {
        errors.push(FieldError::new("resume_on", "err.stage.resume_on"));
    }
    if matches!(kind, MoveKind::Skip | MoveKind::Back) && comment.trim().is_empty() {
        errors.push(FieldError::new("comment", "err.stage.comment"));
    }
    if comment.chars().count() > 2000 {
        errors.push(FieldError::new("comment", "err.too_long").with("max", 2000));
    }
    if errors.is_empty() {
        Ok((kind, reason))
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(r: Result<(MoveKind, Option<DropReason>), Vec<FieldError>>) -> Vec<String> {
        r.err().unwrap_or_default().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn the_next_stage_follows_the_main_line_and_side_states_have_none() {
        assert_eq!(next(Stage::Clue), Some(Stage::Contact));
        assert_eq!(next(Stage::Negotiation), Some(Stage::Signed));
        use crate::domain::role::Role;
        assert!(may_start_at(Stage::Negotiation, Role::Staff).is_ok());
        assert!(may_start_at(Stage::Signed, Role::Staff).is_err());
        assert!(may_start_at(Stage::Production, Role::Staff).is_err());
        assert!(may_start_at(Stage::OnHold, Role::Staff).is_ok(), "side states are not late");
        assert!(may_start_at(Stage::Signed, Role::Manager).is_ok());
        assert_eq!(next(Stage::Production), None);
        assert_eq!(next(Stage::OnHold), None);
    }

    #[test]
    fn one_step_forward_needs_nothing() {
        assert_eq!(check_move(Stage::Clue, Stage::Contact, "", "", ""), Ok((MoveKind::Next, None)));
        assert_eq!(check_move(Stage::Construction, Stage::Production, "", "", ""), Ok((MoveKind::Next, None)));
    }

    #[test]
    fn skipping_or_going_back_needs_a_comment() {
        assert_eq!(fields(check_move(Stage::Clue, Stage::Negotiation, "", "", "")), ["comment"]);
        assert_eq!(check_move(Stage::Clue, Stage::Negotiation, "领导带队直接洽谈", "", ""), Ok((MoveKind::Skip, None)));
        assert_eq!(fields(check_move(Stage::Negotiation, Stage::Visit, " ", "", "")), ["comment"]);
        assert_eq!(check_move(Stage::Negotiation, Stage::Visit, "需再次考察", "", ""), Ok((MoveKind::Back, None)));
    }

    #[test]
    fn dropping_needs_a_listed_reason() {
        assert_eq!(fields(check_move(Stage::Visit, Stage::Dropped, "", "", "")), ["reason"]);
        assert_eq!(fields(check_move(Stage::Visit, Stage::Dropped, "", "bored", "")), ["reason"]);
        assert_eq!(
            check_move(Stage::Visit, Stage::Dropped, "", "chose_elsewhere", ""),
            Ok((MoveKind::Drop, Some(DropReason::ChoseElsewhere)))
        );
    }

    #[test]
    fn holding_needs_a_resume_date() {
        assert_eq!(fields(check_move(Stage::Visit, Stage::OnHold, "", "", "")), ["resume_on"]);
        assert_eq!(fields(check_move(Stage::Visit, Stage::OnHold, "", "", "2026-13-01")), ["resume_on"]);
        assert_eq!(check_move(Stage::Visit, Stage::OnHold, "", "", "2027-01-15"), Ok((MoveKind::Hold, None)));
    }

    #[test]
    fn leaving_a_side_state_counts_as_going_back() {
        assert_eq!(fields(check_move(Stage::OnHold, Stage::Visit, "", "", "")), ["comment"]);
        assert_eq!(fields(check_move(Stage::Dropped, Stage::Clue, "", "", "")), ["comment"]);
        assert_eq!(fields(check_move(Stage::Visit, Stage::Visit, "", "", "")), ["to"]);
    }
}
