//! User administration: create, disable, reset. Only admins.

use super::access::require_admin;
use super::auth::{end_sessions_of, hash_password};
use super::{is_unique_violation, ServiceError};
use crate::backend::entities::user;
use crate::backend::local_time;
use crate::domain::lead::FieldError;
use crate::domain::role::Role;
use crate::wire::auth::SessionUser;
use crate::wire::users::{NewUser, OwnerChoice, UserRow};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};

/// Every user with a known role, by username, with role, state, address and creation time
/// (Asia/Shanghai). Admins only.
/// Errors: `Forbidden` (not an admin), `Db`.
pub async fn list(db: &impl ConnectionTrait, actor: &SessionUser) -> Result<Vec<UserRow>, ServiceError> {
    require_admin(actor)?;
    let users = user::Entity::find().order_by_asc(user::Column::Username).all(db).await?;
    Ok(users
        .into_iter()
        .filter_map(|u| {
            Some(UserRow {
                id: u.id,
                role: Role::parse(&u.role)?,
                username: u.username,
                display_name: u.display_name,
                disabled: u.disabled_at.is_some(),
                email: u.email,
                created_at: local_time(u.created_at),
            })
        })
        .collect())
}

/// Creates a user without an acting admin (CLI, demo data): the password is hashed as given (no
/// strength check), the language zh-CN. Returns the new id.
/// Errors: `Invalid` at `username` (`err.username.taken`), `Internal` (hashing), `Db`.
pub async fn insert(db: &impl ConnectionTrait, input: NewUser) -> Result<i64, ServiceError> {
    let hash = hash_password(&input.password).await?;
    let now = Utc::now();
    let result = user::ActiveModel {
        username: Set(input.username),
        display_name: Set(input.display_name),
        role: Set(input.role.code().to_string()),
        password_hash: Set(hash),
        locale: Set("zh-CN".into()),
        email: Set(input.email),
        disabled_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await;
    match result {
        Ok(u) => Ok(u.id),
        Err(e) if is_unique_violation(&e) => {
            Err(ServiceError::Invalid(vec![FieldError::new("username", "err.username.taken")]))
        }
        Err(e) => Err(e.into()),
    }
}

/// Refuses a password that is common or easy to guess: zxcvbn's estimate (its lists hold the
/// 30,000 most common passwords, names and words, plus keyboard runs, dates and repeats) must
/// need at least 10^8 guesses (score 2). `related` are words an attacker would try first (the
/// username, the display name).
/// Errors: `FieldError` at `field`: `err.password.common`.
pub fn refuse_weak(field: &str, password: &str, related: &[&str]) -> Result<(), FieldError> {
    match zxcvbn::zxcvbn(password, related).score() {
        zxcvbn::Score::Zero | zxcvbn::Score::One => Err(FieldError::new(field, "err.password.common")),
        _ => Ok(()),
    }
}

/// Creates a user (admins only) and returns the new id.
/// Errors: `Forbidden`; `Invalid` at `username` (taken) or `password` (common); `Internal`
/// (hashing); `Db`.
pub async fn create(db: &impl ConnectionTrait, actor: &SessionUser, input: NewUser) -> Result<i64, ServiceError> {
    require_admin(actor)?;
    refuse_weak("password", &input.password, &[&input.username, &input.display_name])
        .map_err(|e| ServiceError::Invalid(vec![e]))?;
    let taken = user::Entity::find().filter(user::Column::Username.eq(&input.username)).one(db).await?;
    if taken.is_some() {
        return Err(ServiceError::Invalid(vec![FieldError::new("username", "err.username.taken")]));
    }
    insert(db, input).await
}

/// Disables (or enables again) user `id`; disabling ends their sessions at once. Admins only, and
/// not themselves.
/// Errors: `Forbidden` (not an admin), `Conflict("err.user.self_disable")`, `NotFound` (no such
/// user), `Db`.
pub async fn set_disabled(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    id: i64,
    disabled: bool,
) -> Result<(), ServiceError> {
    require_admin(actor)?;
    if id == actor.id && disabled {
        return Err(ServiceError::Conflict("err.user.self_disable".into()));
    }
    let u = user::Entity::find_by_id(id).one(db).await?.ok_or(ServiceError::NotFound)?;
    let mut active: user::ActiveModel = u.into();
    active.disabled_at = Set(disabled.then(Utc::now));
    active.updated_at = Set(Utc::now());
    active.update(db).await?;
    if disabled {
        end_sessions_of(db, id).await?;
    }
    Ok(())
}

/// An admin sets a new password for `id`. A reset also ends the user's sessions and revokes
/// their API tokens: whoever knew the old password is out.
/// Errors: `Forbidden`, `NotFound`, `Invalid` at `password` (common), `Internal` (hashing), `Db`.
pub async fn reset_password(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    id: i64,
    password: &str,
) -> Result<(), ServiceError> {
    require_admin(actor)?;
    let u = user::Entity::find_by_id(id).one(db).await?.ok_or(ServiceError::NotFound)?;
    refuse_weak("password", password, &[&u.username, &u.display_name]).map_err(|e| ServiceError::Invalid(vec![e]))?;
    set_password(db, id, password).await?;
    super::api_tokens::revoke_all_of(db, id).await?;
    Ok(())
}

/// What a password change needs besides the passwords: the settings (throttle), the browser's
/// session to keep, and the client's address.
pub struct ChangeContext<'a> {
    pub settings: &'a crate::backend::Settings,
    pub keep_session: Option<&'a str>,
    pub ip: &'a str,
}

/// A user changes their own password: `current` must be right (checked under the login
/// throttle, so a stolen session cannot guess it), `new` long enough and not common. Their
/// other sessions end (the one of `keep_session`, this browser, stays); their API tokens stay
/// (they chose the change).
/// Errors: `Invalid` at `current` (`err.password.wrong`, or `err.password.throttled` with the
/// minutes to wait) or `new` (too short or long, `err.password.same`, common); `Internal`
/// (hashing); `Db`.
pub async fn change_own_password(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    cx: ChangeContext<'_>,
    current: &str,
    new: &str,
) -> Result<(), ServiceError> {
    use super::auth::LoginError;
    let keep_session = cx.keep_session;
    let u = match super::auth::check_password(db, cx.settings, &actor.username, current, cx.ip).await {
        Ok(u) if u.id == actor.id => u,
        Ok(_) | Err(LoginError::Invalid) => {
            return Err(ServiceError::Invalid(vec![FieldError::new("current", "err.password.wrong")]))
        }
        Err(LoginError::Throttled { minutes }) => {
            return Err(ServiceError::Invalid(vec![
                FieldError::new("current", "err.password.throttled").with("minutes", minutes)
            ]))
        }
        Err(LoginError::Service(e)) => return Err(e),
    };
    crate::wire::users::check_password("new", new).map_err(|e| ServiceError::Invalid(vec![e]))?;
    if new == current {
        return Err(ServiceError::Invalid(vec![FieldError::new("new", "err.password.same")]));
    }
    refuse_weak("new", new, &[&u.username, &u.display_name]).map_err(|e| ServiceError::Invalid(vec![e]))?;
    let mut active: user::ActiveModel = u.into();
    active.password_hash = Set(hash_password(new).await?);
    active.updated_at = Set(Utc::now());
    active.update(db).await?;
    super::auth::end_other_sessions(db, actor.id, keep_session).await?;
    Ok(())
}

/// Sets user `id`'s password (hashed; no strength check) and ends all their sessions; their API
/// tokens stay (see [`reset_password`]). No access check: for the CLI and `reset_password`.
/// Errors: `NotFound` (no such user), `Internal` (hashing), `Db`.
pub async fn set_password(db: &impl ConnectionTrait, id: i64, password: &str) -> Result<(), ServiceError> {
    let u = user::Entity::find_by_id(id).one(db).await?.ok_or(ServiceError::NotFound)?;
    let mut active: user::ActiveModel = u.into();
    active.password_hash = Set(hash_password(password).await?);
    active.updated_at = Set(Utc::now());
    active.update(db).await?;
    end_sessions_of(db, id).await?;
    Ok(())
}

/// The roles a lead may be given to (负责人): admins, managers and staff.
pub const OWNER_ROLES: [Role; 3] = [Role::Admin, Role::Manager, Role::Staff];

/// The people a lead may be given to ([`OWNER_ROLES`], enabled), by name.
/// Errors: `Db` only.
pub async fn owner_choices(db: &impl ConnectionTrait) -> Result<Vec<OwnerChoice>, ServiceError> {
    choices_of(db, &OWNER_ROLES).await
}

/// The roles a 包保领导 (the leader answering for a 重大项目) may have: the office's leaders
/// (局长, role `leader`) and its managers (分管领导 and 科长, role `manager`).
pub const IN_CHARGE_ROLES: [Role; 2] = [Role::Leader, Role::Manager];

/// People who may be a major project's 包保领导 ([`IN_CHARGE_ROLES`], enabled), by name.
/// Errors: `Db` only.
pub async fn in_charge_choices(db: &impl ConnectionTrait) -> Result<Vec<OwnerChoice>, ServiceError> {
    choices_of(db, &IN_CHARGE_ROLES).await
}

/// The enabled people of `roles`, by name.
async fn choices_of(db: &impl ConnectionTrait, roles: &[Role]) -> Result<Vec<OwnerChoice>, ServiceError> {
    let users: Vec<(i64, String)> = user::Entity::find()
        .select_only()
        .columns([user::Column::Id, user::Column::DisplayName])
        .filter(user::Column::DisabledAt.is_null())
        .filter(user::Column::Role.is_in(roles.iter().map(|r| r.code())))
        .order_by_asc(user::Column::DisplayName)
        .into_tuple()
        .all(db)
        .await?;
    Ok(users.into_iter().map(|(id, display_name)| OwnerChoice { id, display_name }).collect())
}

/// Display names for a set of user ids, in one query (unknown ids are absent).
/// Errors: `Db` only.
pub async fn names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> Result<std::collections::HashMap<i64, String>, ServiceError> {
    let mut ids: Vec<i64> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let users: Vec<(i64, String)> = user::Entity::find()
        .select_only()
        .columns([user::Column::Id, user::Column::DisplayName])
        .filter(user::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    Ok(users.into_iter().collect())
}

/// The users who go on trips and visits (出访): enabled, neither a leader (分管领导, who is told,
/// not booked) nor an administrator (系统管理员, an account that keeps the system). Used by the
/// trip form's choices, the trip's check of its members and the calendar's people.
pub(super) fn travellers() -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(sea_orm::ColumnTrait::is_null(&user::Column::DisabledAt))
        .add(sea_orm::ColumnTrait::is_not_in(&user::Column::Role, [Role::Leader.code(), Role::Admin.code()]))
}

#[cfg(test)]
mod tests {
    use super::refuse_weak;

    #[test]
    fn common_passwords_are_refused_and_ordinary_ones_pass() {
        for weak in ["12345678", "password", "password1", "qwerty123", "11111111", "iloveyou", "abc12345", "88888888"] {
            assert!(refuse_weak("password", weak, &[]).is_err(), "{weak} accepted");
        }
        // The user's own name is the first guess.
        assert!(refuse_weak("password", "wangfang2024", &["wangfang", "王芳"]).is_err());
        for fine in ["correct-horse-42", "long-enough-1", "brand-new-pass", "lianzhao2026", "链招-园区-2026"] {
            assert!(refuse_weak("password", fine, &["li", "李 测试"]).is_ok(), "{fine} refused");
        }
    }
}
