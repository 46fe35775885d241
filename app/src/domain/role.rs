//! Who may do what. Checked on the server for every call; the UI only mirrors it.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// 管理员: users and settings; sees everything.
    Admin,
    /// 招商科长/分管领导: all leads, assigns.
    Manager,
    /// 招商人员: logs and works their own leads.
    Staff,
    /// 领导: reads everything, writes nothing.
    Leader,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Manager, Role::Staff, Role::Leader];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Staff => "staff",
            Role::Leader => "leader",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Self::ALL.into_iter().find(|r| r.code() == s.trim())
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Role::Admin => "role.admin",
            Role::Manager => "role.manager",
            Role::Staff => "role.staff",
            Role::Leader => "role.leader",
        }
    }

    pub fn sees_all_leads(self) -> bool {
        !matches!(self, Role::Staff)
    }

    pub fn writes_leads(self) -> bool {
        !matches!(self, Role::Leader)
    }

    /// Only these may pick another user as a lead's owner.
    pub fn assigns_leads(self) -> bool {
        matches!(self, Role::Admin | Role::Manager)
    }

    pub fn manages_users(self) -> bool {
        matches!(self, Role::Admin)
    }
}

/// What decides who may reach one lead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LeadAccess {
    pub owner: Option<i64>,
    pub creator: i64,
    /// 招商专班 the lead is assigned to.
    pub team: Option<i64>,
}

/// Whether `user` may open an import batch `uploader` started (its page, preview, report, and
/// its file's name on the leads it created): their own, or any for those who assign leads
/// (managers, admins).
pub fn may_open_import(role: Role, user: i64, uploader: i64) -> bool {
    uploader == user || role.assigns_leads()
}

/// Whether `user` (in `my_teams`) may read the lead: managers, admins and leaders read all;
/// staff read leads they own or created, or that are assigned to a team they belong to.
pub fn may_read_lead(role: Role, user: i64, my_teams: &[i64], lead: &LeadAccess) -> bool {
    role.sees_all_leads()
        || lead.owner == Some(user)
        || lead.creator == user
        || lead.team.is_some_and(|t| my_teams.contains(&t))
}

/// Whether `user` may change that lead.
pub fn may_edit_lead(role: Role, user: i64, my_teams: &[i64], lead: &LeadAccess) -> bool {
    role.writes_leads() && may_read_lead(role, user, my_teams, lead)
}

/// Whether the user may hand the lead to another owner: managers and admins anywhere, a team
/// lead (专班组长) within the teams they lead.
pub fn may_reassign(role: Role, led_teams: &[i64], lead_team: Option<i64>) -> bool {
    role.assigns_leads() || (role.writes_leads() && lead_team.is_some_and(|t| led_teams.contains(&t)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_reach_their_own_leads_and_their_teams() {
        let lead = |owner, creator, team| LeadAccess { owner, creator, team };
        assert!(may_read_lead(Role::Staff, 7, &[], &lead(Some(7), 1, None)));
        assert!(may_read_lead(Role::Staff, 7, &[], &lead(Some(2), 7, None)));
        assert!(!may_read_lead(Role::Staff, 7, &[], &lead(Some(2), 3, None)));
        assert!(!may_edit_lead(Role::Staff, 7, &[], &lead(None, 3, None)));
        assert!(may_edit_lead(Role::Staff, 7, &[4, 5], &lead(Some(2), 3, Some(5))));
        assert!(!may_read_lead(Role::Staff, 7, &[4], &lead(Some(2), 3, Some(5))));
    }

    #[test]
    fn team_leads_reassign_only_within_their_teams() {
        assert!(may_reassign(Role::Staff, &[5], Some(5)));
        assert!(!may_reassign(Role::Staff, &[5], Some(6)));
        assert!(!may_reassign(Role::Staff, &[5], None));
        assert!(may_reassign(Role::Manager, &[], None));
        assert!(!may_reassign(Role::Leader, &[5], Some(5)));
    }

    #[test]
    fn leaders_read_all_and_write_nothing() {
        let any = LeadAccess { owner: Some(2), creator: 3, team: None };
        assert!(may_read_lead(Role::Leader, 7, &[], &any));
        let own = LeadAccess { owner: Some(7), creator: 7, team: None };
        assert!(!may_edit_lead(Role::Leader, 7, &[], &own));
    }

    #[test]
    fn managers_and_admins_reach_everything() {
        for r in [Role::Manager, Role::Admin] {
            assert!(may_edit_lead(r, 7, &[], &LeadAccess { owner: Some(2), creator: 3, team: None }));
            assert!(r.assigns_leads());
        }
        assert!(Role::Admin.manages_users());
        assert!(!Role::Manager.manages_users());
    }

    #[test]
    fn role_codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.code()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
