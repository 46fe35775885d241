//! The admin's view of the mail queue.

use super::access::require_admin;
use super::ServiceError;
use crate::backend::entities::mail;
use crate::backend::{local_time, Settings};
use crate::wire::auth::SessionUser;
use crate::wire::mail::{MailQueueView, MailRow};
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// The mail queue for admins: counts per status, the latest 200 messages (of `status` only, when
/// given), times in Asia/Shanghai, and the transport in use (SMTP host and port, or the outbox
/// directory).
/// Errors: `Forbidden` (not an admin), `Db`.
pub async fn queue(
    db: &impl ConnectionTrait,
    settings: &Settings,
    actor: &SessionUser,
    status: &str,
) -> Result<MailQueueView, ServiceError> {
    require_admin(actor)?;
    let counts: Vec<(String, i64)> = mail::Entity::find()
        .select_only()
        .column(mail::Column::Status)
        .column_as(Expr::col(mail::Column::Id).count(), "n")
        .group_by(mail::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    let mut q = mail::Entity::find();
    if !status.trim().is_empty() {
        q = q.filter(mail::Column::Status.eq(status.trim()));
    }
    let rows = q
        .order_by_desc(mail::Column::Id)
        .limit(200)
        .all(db)
        .await?
        .into_iter()
        .map(|m| MailRow {
            id: m.id,
            kind: m.kind,
            to_addr: m.to_addr,
            subject: m.subject,
            status: m.status,
            attempts: m.attempts,
            next_attempt_at: local_time(m.next_attempt_at),
            last_error: m.last_error,
            created_at: local_time(m.created_at),
            sent_at: m.sent_at.map(local_time),
        })
        .collect();
    let transport = match &settings.mail.smtp {
        Some(s) => format!("SMTP {}:{}", s.host, s.port),
        None => format!("{}", settings.mail.outbox_dir.display()),
    };
    Ok(MailQueueView { counts, rows, transport })
}

/// Puts failed message `id` back in the queue (attempts reset, due now). Admins only.
/// Errors: `Forbidden` (not an admin), `NotFound` (no such message),
/// `Conflict("err.mail.not_built")` (never built: the address must be corrected),
/// `Conflict("err.mail.not_failed")` (not failed), `Db`.
pub async fn retry(db: &impl ConnectionTrait, actor: &SessionUser, id: i64) -> Result<(), ServiceError> {
    require_admin(actor)?;
    let message = mail::Entity::find_by_id(id).one(db).await?.ok_or(ServiceError::NotFound)?;
    if message.raw.is_empty() {
        // Nothing to send until the recipient's address is corrected; a new message is built then.
        return Err(ServiceError::Conflict("err.mail.not_built".into()));
    }
    let done = mail::Entity::update_many()
        .col_expr(mail::Column::Status, Expr::value("queued"))
        .col_expr(mail::Column::Attempts, Expr::value(0))
        .col_expr(mail::Column::NextAttemptAt, Expr::value(Utc::now()))
        .filter(mail::Column::Id.eq(id))
        .filter(mail::Column::Status.eq("failed"))
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Err(ServiceError::Conflict("err.mail.not_failed".into()));
    }
    Ok(())
}
