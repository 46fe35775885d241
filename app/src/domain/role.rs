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

/// Whether `user` may read a lead owned by `owner` and created by `creator`.
pub fn may_read_lead(role: Role, user: i64, owner: Option<i64>, creator: i64) -> bool {
    role.sees_all_leads() || owner == Some(user) || creator == user
}

/// Whether `user` may change that lead.
pub fn may_edit_lead(role: Role, user: i64, owner: Option<i64>, creator: i64) -> bool {
    role.writes_leads() && may_read_lead(role, user, owner, creator)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_reach_only_their_own_leads() {
        assert!(may_read_lead(Role::Staff, 7, Some(7), 1));
        assert!(may_read_lead(Role::Staff, 7, Some(2), 7));
        assert!(!may_read_lead(Role::Staff, 7, Some(2), 3));
        assert!(!may_edit_lead(Role::Staff, 7, None, 3));
    }

    #[test]
    fn leaders_read_all_and_write_nothing() {
        assert!(may_read_lead(Role::Leader, 7, Some(2), 3));
        assert!(!may_edit_lead(Role::Leader, 7, Some(7), 7));
    }

    #[test]
    fn managers_and_admins_reach_everything() {
        for r in [Role::Manager, Role::Admin] {
            assert!(may_edit_lead(r, 7, Some(2), 3));
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
