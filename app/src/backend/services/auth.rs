//! Passwords (argon2), database sessions, and login throttling.

use super::ServiceError;
use crate::backend::entities::{login_failure, session, user};
use crate::backend::last_seen::LastSeen;
use crate::backend::Settings;
use crate::domain::role::Role;
use crate::i18n::Locale;
use crate::wire::auth::SessionUser;
use chrono::Utc;
use rand::RngCore;
use sea_orm::sea_query::{Alias, Expr, Query, SelectStatement, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, QueryOrder, QueryResult, QueryTrait, Set,
};
use sha2::{Digest, Sha256};

pub const SESSION_COOKIE: &str = "lz_session";

/// `bytes` random bytes from the OS generator as `2 * bytes` lowercase hex digits (tokens,
/// references in error messages).
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    hex::encode(buf)
}

fn token_id(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The argon2 hash (PHC string) of `password`, computed off the async threads.
/// Errors: `Internal` if the blocking hash task panics or is cancelled.
pub async fn hash_password(password: &str) -> Result<String, ServiceError> {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || password_auth::generate_hash(password))
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()))
}

/// Verifies against `hash`, or against a throw-away hash when the user is unknown, so the
/// answer takes as long either way and timing does not reveal who has an account.
pub(super) async fn verify_password(password: &str, hash: Option<&str>) -> bool {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let (password, hash) = (password.to_string(), hash.map(str::to_string));
    tokio::task::spawn_blocking(move || {
        let hash = hash.unwrap_or_else(|| DUMMY.get_or_init(|| password_auth::generate_hash("unknown-user")).clone());
        password_auth::verify_password(password, &hash).is_ok()
    })
    .await
    .unwrap_or(false)
}

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("wrong username or password")]
    Invalid,
    #[error("too many failed attempts; retry in {minutes} min")]
    Throttled { minutes: i64 },
    #[error(transparent)]
    Service(#[from] ServiceError),
}

impl From<sea_orm::DbErr> for LoginError {
    fn from(e: sea_orm::DbErr) -> Self {
        LoginError::Service(e.into())
    }
}

/// The user as requests see them, with the teams (招商专班) they belong to and lead; `None` if the
/// stored role is not one we know.
/// Errors: the `sea_orm::DbErr` of the team reads.
pub async fn session_user(db: &impl ConnectionTrait, u: &user::Model) -> Result<Option<SessionUser>, sea_orm::DbErr> {
    let backend = db.get_database_backend();
    let mut q = Query::select().from(user::Entity).and_where(user::Column::Id.eq(u.id)).to_owned();
    with_team_columns(backend, &mut q);
    let Some(row) = db.query_one(backend.build(&q)).await? else { return Ok(None) };
    teams_of_row(u, &row)
}

/// Which of a user's teams [`team_ids`] lists.
#[derive(Clone, Copy)]
enum Teams {
    MemberOf,
    Leads,
}

/// The ids of the teams the row's user (`users.id`) belongs to or leads, as one comma-separated
/// text, NULL when none: a subquery for a statement that reads `users`, so the session, its user
/// and their teams come in one read (each request makes it).
fn team_ids(backend: DbBackend, which: Teams) -> SimpleExpr {
    let (id, from) = match which {
        Teams::MemberOf => ("team_members.team_id", "team_members WHERE team_members.user_id = users.id"),
        Teams::Leads => ("teams.id", "teams WHERE teams.lead_user_id = users.id"),
    };
    let list = match backend {
        DbBackend::Postgres => format!("string_agg({id}::text, ',')"),
        _ => format!("group_concat({id}, ',')"),
    };
    Expr::cust(format!("(SELECT {list} FROM {from})"))
}

/// `q`, a statement reading `users`, also reads the user's team lists (`member_of`, `leads`:
/// [`team_ids`]), for [`teams_of_row`]: the user and their teams in one read.
pub(super) fn with_team_columns(backend: DbBackend, q: &mut SelectStatement) {
    q.expr_as(team_ids(backend, Teams::MemberOf), Alias::new("member_of"))
        .expr_as(team_ids(backend, Teams::Leads), Alias::new("leads"));
}

/// [`SessionUser`] of `u` with the team lists of `row` (read by [`with_team_columns`]); `None`
/// if the stored role is not one we know. Errors: the columns are missing or not text.
pub(super) fn teams_of_row(u: &user::Model, row: &QueryResult) -> Result<Option<SessionUser>, sea_orm::DbErr> {
    Ok(with_teams(u, row.try_get("", "member_of")?, row.try_get("", "leads")?))
}

/// [`SessionUser`] of `u` with the team lists read by [`team_ids`]; `None` if the stored role
/// is not one we know.
fn with_teams(u: &user::Model, member_of: Option<String>, leads: Option<String>) -> Option<SessionUser> {
    let role = Role::parse(&u.role)?;
    // By id, so a choice made from the first (a trip's default team) does not change between reads.
    let ids = |list: Option<String>| -> Vec<i64> {
        let mut ids: Vec<i64> =
            list.as_deref().unwrap_or("").split(',').filter_map(|id| id.trim().parse().ok()).collect();
        ids.sort_unstable();
        ids
    };
    Some(SessionUser {
        id: u.id,
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        role,
        locale: Locale::parse(&u.locale).unwrap_or_default(),
        teams: ids(member_of),
        led_teams: ids(leads),
    })
}

/// Failed (or not yet decided) logins of `username` from `ip`, of `ip` alone, and of
/// `username` from anywhere, within the window.
struct Attempts {
    pair: u64,
    ip: u64,
    account: u64,
}

async fn count_attempts(
    db: &impl ConnectionTrait,
    username: &str,
    ip: &str,
    since: chrono::DateTime<Utc>,
) -> Result<Attempts, sea_orm::DbErr> {
    use login_failure::Column as C;
    let recent = || login_failure::Entity::find().filter(C::At.gt(since));
    Ok(Attempts {
        pair: recent().filter(C::Username.eq(username)).filter(C::Ip.eq(ip)).count(db).await?,
        ip: recent().filter(C::Ip.eq(ip)).count(db).await?,
        account: recent().filter(C::Username.eq(username)).count(db).await?,
    })
}

/// How long an address must wait after its `excess`-th attempt over the limit: 1, 2, 4, 8 …
/// minutes, at most the window. Growing, so a guesser slows to a crawl, while the same account
/// from another address (its owner) is not refused.
fn backoff(excess: u64, window: chrono::Duration) -> chrono::Duration {
    let minutes = 1i64 << excess.saturating_sub(1).min(20);
    chrono::Duration::minutes(minutes).min(window)
}

/// Minutes this attempt must still wait, if any. The attempt itself is already counted: with
/// the counts taken after our own insert, of N concurrent guesses only the first `max` can ever
/// see a count within the limit. The (account, address) pair and the address alone are each
/// held to their own limit; the longer wait wins.
async fn throttled(
    db: &impl ConnectionTrait,
    settings: &Settings,
    username: &str,
    ip: &str,
    attempt_id: i64,
    counts: &Attempts,
) -> Result<Option<i64>, sea_orm::DbErr> {
    use login_failure::Column as C;
    let over = |n: u64, max: u64| n.checked_sub(max).filter(|e| *e > 0);
    let scopes = [
        (over(counts.pair, settings.login_max_failures_per_user), C::Username.eq(username).and(C::Ip.eq(ip))),
        (over(counts.ip, settings.login_max_failures_per_ip), C::Ip.eq(ip)),
    ];
    let mut left = chrono::Duration::zero();
    for (excess, filter) in scopes {
        let Some(excess) = excess else { continue };
        let previous = login_failure::Entity::find()
            .filter(filter)
            .filter(C::Id.ne(attempt_id))
            .order_by_desc(C::At)
            .one(db)
            .await?;
        let until = previous.map(|p| p.at + backoff(excess, settings.login_window)).unwrap_or_else(Utc::now);
        left = left.max(until - Utc::now());
    }
    Ok((left > chrono::Duration::zero()).then(|| (left.num_seconds() + 59) / 60).map(|m| m.max(1)))
}

/// Checks `password` for `username` from `ip` under the throttle, whoever asks (login, or a
/// password change checking the current one). The attempt is recorded *before* the check.
/// Past `login_max_failures_per_user` attempts for one account from one address, or
/// `login_max_failures_per_ip` from one address, that address waits 1, 2, 4 … minutes between
/// tries. Attempts at one account from many addresses are not refused (its owner must still get
/// in) but each answer is held back: 250 ms, doubling, at most 5 s. Returns the user when the
/// password is right and the account enabled (this address's failures at it are then forgiven).
/// Errors: `LoginError::Throttled { minutes }` (whole minutes to wait, at least 1),
/// `LoginError::Invalid` (unknown user, wrong password or disabled account, not told apart),
/// `LoginError::Service(Db)`.
pub async fn check_password(
    db: &impl ConnectionTrait,
    settings: &Settings,
    username: &str,
    password: &str,
    ip: &str,
) -> Result<user::Model, LoginError> {
    let now = Utc::now();
    let attempt = login_failure::ActiveModel {
        username: Set(username.to_string()),
        ip: Set(ip.to_string()),
        at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let counts = count_attempts(db, username, ip, now - settings.login_window).await?;
    if let Some(minutes) = throttled(db, settings, username, ip, attempt.id, &counts).await? {
        return Err(LoginError::Throttled { minutes });
    }
    if let Some(excess) = counts.account.checked_sub(settings.login_max_failures_per_user).filter(|e| *e > 0) {
        let delay = (250u64 << (excess - 1).min(5)).min(5_000);
        tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
    }
    let found = user::Entity::find().filter(user::Column::Username.eq(username)).one(db).await?;
    let ok = verify_password(password, found.as_ref().map(|u| u.password_hash.as_str())).await;
    match found {
        Some(u) if ok && u.disabled_at.is_none() => {
            login_failure::Entity::delete_many()
                .filter(login_failure::Column::Username.eq(username))
                .filter(login_failure::Column::Ip.eq(ip))
                .exec(db)
                .await?;
            Ok(u)
        }
        _ => Err(LoginError::Invalid),
    }
}

/// Checks the password (refusing while throttled, see [`check_password`]) and opens a new
/// session. `username` is trimmed, lower-cased and cut to 100 characters first. Returns the
/// cookie token (64 hex digits; only its hash is stored) and the user.
/// Errors: those of [`check_password`], `LoginError::Service(Internal)` if the stored role is
/// unknown, `LoginError::Service(Db)`.
pub async fn login(
    db: &impl ConnectionTrait,
    settings: &Settings,
    username: &str,
    password: &str,
    ip: &str,
) -> Result<(String, SessionUser), LoginError> {
    let username = username.trim().to_lowercase();
    let username: String = username.chars().take(100).collect();
    let user = check_password(db, settings, &username, password, ip).await?;
    // Housekeeping on a cheap, rare path: failures long out of any window, sessions long expired.
    let stale = Utc::now() - chrono::Duration::days(1);
    login_failure::Entity::delete_many().filter(login_failure::Column::At.lt(stale)).exec(db).await?;
    session::Entity::delete_many().filter(session::Column::ExpiresAt.lt(Utc::now())).exec(db).await?;
    let session_user =
        session_user(db, &user).await?.ok_or_else(|| ServiceError::Internal(format!("bad role {}", user.role)))?;
    let token = open_session(db, settings, user.id, ip).await?;
    Ok((token, session_user))
}

/// Opens a session for `user_id` from `ip` (kept to 64 characters) lasting `session_max`, and
/// returns its cookie token (64 hex digits; only its SHA-256 is stored).
/// Errors: the `sea_orm::DbErr` of the insert.
pub async fn open_session(
    db: &impl ConnectionTrait,
    settings: &Settings,
    user_id: i64,
    ip: &str,
) -> Result<String, sea_orm::DbErr> {
    let token = random_hex(32);
    let now = Utc::now();
    session::ActiveModel {
        id: Set(token_id(&token)),
        user_id: Set(user_id),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + settings.session_max),
        ip: Set(Some(ip.chars().take(64).collect())),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The user behind a session cookie, if the session is alive and the user enabled. Expired or
/// idle sessions, and every session of a disabled user, are deleted on sight; the use is noted
/// in `seen` at most once a minute (written by its flush, so the request never waits for the
/// write lock to record it).
/// Errors: `sea_orm::DbErr` only.
pub async fn resolve_session(
    db: &impl ConnectionTrait,
    settings: &Settings,
    seen: &LastSeen,
    token: &str,
) -> Result<Option<SessionUser>, sea_orm::DbErr> {
    let id = token_id(token);
    // The session, its user and their teams in one read (each request makes it).
    let backend = db.get_database_backend();
    let mut q = session::Entity::find_by_id(id.clone()).find_also_related(user::Entity).into_query();
    with_team_columns(backend, &mut q);
    let Some(row) = db.query_one(backend.build(&q)).await? else {
        return Ok(None);
    };
    let s = session::Model::from_query_result(&row, "A_")?;
    let u = user::Model::from_query_result_optional(&row, "B_")?;
    let now = Utc::now();
    // The later of the stored time and a use noted since the last flush.
    let last_seen = seen.session_at(&s.id).map_or(s.last_seen_at, |at| at.max(s.last_seen_at));
    if s.expires_at < now || last_seen + settings.session_idle < now {
        session::Entity::delete_by_id(id).exec(db).await?;
        return Ok(None);
    }
    let Some(u) = u else {
        return Ok(None);
    };
    if u.disabled_at.is_some() {
        end_sessions_of(db, u.id).await?;
        return Ok(None);
    }
    // At most once a minute: a write per request would be wasted work.
    if now - last_seen > chrono::Duration::minutes(1) {
        seen.session(s.id, now);
    }
    teams_of_row(&u, &row)
}

/// Ends the session whose cookie token is `token` (logout); an unknown token is no error.
/// Errors: the `sea_orm::DbErr` of the delete.
pub async fn end_session(db: &impl ConnectionTrait, token: &str) -> Result<(), sea_orm::DbErr> {
    session::Entity::delete_by_id(token_id(token)).exec(db).await?;
    Ok(())
}

/// Ends every session of `user_id` (disabled account, password reset).
/// Errors: the `sea_orm::DbErr` of the delete.
pub async fn end_sessions_of(db: &impl ConnectionTrait, user_id: i64) -> Result<(), sea_orm::DbErr> {
    session::Entity::delete_many().filter(session::Column::UserId.eq(user_id)).exec(db).await?;
    Ok(())
}

/// Ends every session of `user_id` but the one whose cookie token is `keep`.
/// Errors: the `sea_orm::DbErr` of the delete.
pub async fn end_other_sessions(
    db: &impl ConnectionTrait,
    user_id: i64,
    keep: Option<&str>,
) -> Result<(), sea_orm::DbErr> {
    let mut q = session::Entity::delete_many().filter(session::Column::UserId.eq(user_id));
    if let Some(keep) = keep {
        q = q.filter(session::Column::Id.ne(token_id(keep)));
    }
    q.exec(db).await?;
    Ok(())
}

/// Remembers the user's language (for mail and new browsers); an unknown `user_id` is ignored.
/// Errors: `sea_orm::DbErr` only.
pub async fn set_locale(db: &impl ConnectionTrait, user_id: i64, locale: Locale) -> Result<(), sea_orm::DbErr> {
    if let Some(u) = user::Entity::find_by_id(user_id).one(db).await? {
        let mut active: user::ActiveModel = u.into();
        active.locale = Set(locale.code().to_string());
        active.update(db).await?;
    }
    Ok(())
}
