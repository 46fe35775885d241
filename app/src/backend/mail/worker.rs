//! Delivers queued mail. Each pass claims due rows with a lease (so two app instances on one
//! PostgreSQL never send the same message twice), sends them, and records the outcome: sent,
//! written to the outbox, retried later with exponential backoff, or failed for good. A batch
//! can take longer than its lease (20 sends to a slow relay), so each message's lease is renewed
//! just before it is sent (one that another instance took meanwhile is left to it), and a send
//! gives up after half a lease, so it ends while its lease still holds.

use crate::backend::entities::mail;
use crate::backend::services::auth::random_hex;
use crate::backend::services::ServiceError;
use crate::backend::{Settings, SmtpSecurity, SmtpSettings};
use chrono::{Duration, Utc};
use lettre::address::Envelope;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use sea_orm::sea_query::{Expr, LockBehavior, LockType};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait};
use tokio_util::sync::CancellationToken;

/// Rows claimed per pass.
const BATCH: u64 = 20;

/// The longest one send may take: half the lease (so it ends while its renewed lease holds), at
/// most 30 s.
fn send_timeout(lease_secs: i64) -> std::time::Duration {
    std::time::Duration::from_millis((lease_secs.max(1) as u64 * 500).min(30_000))
}

fn transport(smtp: &SmtpSettings, lease_secs: i64) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    let builder = match smtp.security {
        SmtpSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host),
        SmtpSecurity::StartTls => {
            AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host).map_err(|e| e.to_string())?
        }
        SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host).map_err(|e| e.to_string())?,
    };
    let mut builder = builder.port(smtp.port).timeout(Some(send_timeout(lease_secs)));
    if let (Some(user), Some(password)) = (&smtp.username, &smtp.password) {
        builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
    }
    Ok(builder.build())
}

fn due(now: chrono::DateTime<Utc>) -> Condition {
    Condition::all()
        .add(mail::Column::Status.eq("queued"))
        .add(mail::Column::NextAttemptAt.lte(now))
        .add(Condition::any().add(mail::Column::LeaseUntil.is_null()).add(mail::Column::LeaseUntil.lt(now)))
}

/// Claims up to a batch of due messages for this pass for `lease_secs`; returns them.
async fn claim(db: &impl ConnectionTrait, lease_secs: i64) -> Result<Vec<mail::Model>, ServiceError> {
    let now = Utc::now();
    let token = random_hex(16);
    let ids = mail::Entity::find()
        .select_only()
        .column(mail::Column::Id)
        .filter(due(now))
        .order_by_asc(mail::Column::Id)
        .limit(BATCH)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .into_query();
    // The outer condition repeats the inner one: PostgreSQL re-checks it on rows another
    // instance changed meanwhile, so a row is never claimed twice.
    mail::Entity::update_many()
        .col_expr(mail::Column::LeaseOwner, Expr::value(token.clone()))
        .col_expr(mail::Column::LeaseUntil, Expr::value(now + Duration::seconds(lease_secs)))
        .filter(mail::Column::Id.in_subquery(ids))
        .filter(due(now))
        .exec(db)
        .await?;
    Ok(mail::Entity::find()
        .filter(mail::Column::LeaseOwner.eq(token))
        .filter(mail::Column::Status.eq("queued"))
        .order_by_asc(mail::Column::Id)
        .all(db)
        .await?)
}

enum Outcome {
    Sent,
    Written(String),
    Failed(String),
}

async fn deliver(settings: &Settings, smtp: Option<&AsyncSmtpTransport<Tokio1Executor>>, m: &mail::Model) -> Outcome {
    let Some(smtp) = smtp else {
        let dir = &settings.mail.outbox_dir;
        let path = dir.join(format!("{:06}-{}.eml", m.id, m.kind));
        let written = async {
            tokio::fs::create_dir_all(dir).await?;
            tokio::fs::write(&path, m.raw.as_bytes()).await
        }
        .await;
        return match written {
            Ok(()) => Outcome::Written(path.display().to_string()),
            Err(e) => Outcome::Failed(format!("outbox {}: {e}", path.display())),
        };
    };
    let envelope = match (m.from_addr.parse::<Address>(), m.to_addr.parse::<Address>()) {
        (Ok(from), Ok(to)) => Envelope::new(Some(from), vec![to]),
        _ => return Outcome::Failed(format!("bad address {} → {}", m.from_addr, m.to_addr)),
    };
    match envelope {
        // lettre's own timeout bounds only the connect: the whole conversation is bounded here.
        Ok(envelope) => {
            let limit = send_timeout(settings.mail.lease_secs);
            match tokio::time::timeout(limit, smtp.send_raw(&envelope, m.raw.as_bytes())).await {
                Ok(Ok(_)) => Outcome::Sent,
                Ok(Err(e)) => Outcome::Failed(e.to_string()),
                Err(_) => Outcome::Failed(format!("no answer from the relay within {} ms", limit.as_millis())),
            }
        }
        Err(e) => Outcome::Failed(e.to_string()),
    }
}

/// The wait before attempt `attempts + 1`: base, 2×base, 4×base … at most an hour.
pub fn backoff(base_secs: i64, attempts: i32) -> Duration {
    let factor = 1i64 << attempts.clamp(1, 16).saturating_sub(1);
    Duration::seconds(base_secs.saturating_mul(factor).min(3600))
}

/// One pass over the queue. Returns how many messages were handled. Once `stopping` is
/// cancelled (the app is stopping) it claims nothing more and hands back, after the message being
/// sent, the leases of those it has not reached, so the next start (or another instance) sends
/// them at once instead of after the lease runs out.
pub async fn run_once(
    db: &impl ConnectionTrait,
    settings: &Settings,
    stopping: &CancellationToken,
) -> Result<usize, ServiceError> {
    if stopping.is_cancelled() {
        return Ok(0);
    }
    let batch = claim(db, settings.mail.lease_secs).await?;
    if batch.is_empty() {
        return Ok(0);
    }
    let lease_secs = settings.mail.lease_secs;
    let smtp = match settings.mail.smtp.as_ref().map(|s| transport(s, lease_secs)).transpose() {
        Ok(t) => t,
        Err(e) => {
            tracing::error!(error = %e, "SMTP settings unusable");
            None
        }
    };
    for (handled, m) in batch.iter().enumerate() {
        if stopping.is_cancelled() {
            release(db, &batch[handled..]).await?;
            return Ok(handled);
        }
        if !renew(db, m, lease_secs).await? {
            tracing::warn!(id = m.id, "mail: the lease ran out before sending and another instance took the message");
            continue;
        }
        let outcome = deliver(settings, smtp.as_ref(), m).await;
        let attempts = m.attempts + 1;
        let now = Utc::now();
        let mut update = mail::Entity::update_many()
            .col_expr(mail::Column::Attempts, Expr::value(attempts))
            .col_expr(mail::Column::LeaseOwner, Expr::value(Option::<String>::None))
            .col_expr(mail::Column::LeaseUntil, Expr::value(Option::<chrono::DateTime<Utc>>::None));
        match &outcome {
            Outcome::Sent | Outcome::Written(_) => {
                let status = if matches!(outcome, Outcome::Sent) { "sent" } else { "outbox" };
                if let Outcome::Written(path) = &outcome {
                    tracing::debug!(%path, to = %m.to_addr, "no SMTP server configured: message written to the outbox");
                }
                update = update
                    .col_expr(mail::Column::Status, Expr::value(status))
                    .col_expr(mail::Column::SentAt, Expr::value(Some(now)))
                    .col_expr(mail::Column::LastError, Expr::value(Option::<String>::None));
            }
            Outcome::Failed(error) => {
                let gave_up = attempts >= settings.mail.max_attempts;
                tracing::warn!(id = m.id, to = %m.to_addr, attempts, %error, gave_up, "mail not sent");
                update = update.col_expr(mail::Column::LastError, Expr::value(Some(error.clone())));
                update = if gave_up {
                    update.col_expr(mail::Column::Status, Expr::value("failed"))
                } else {
                    update.col_expr(
                        mail::Column::NextAttemptAt,
                        Expr::value(now + backoff(settings.mail.retry_base_secs, attempts)),
                    )
                };
            }
        }
        let recorded = update
            .filter(mail::Column::Id.eq(m.id))
            .filter(mail::Column::LeaseOwner.eq(m.lease_owner.clone()))
            .exec(db)
            .await?;
        if recorded.rows_affected == 0 {
            tracing::warn!(id = m.id, "mail: the outcome was not recorded, its lease had been taken over");
        }
    }
    Ok(batch.len())
}

/// Renews the lease of claimed message `m` for `lease_secs` from now, if it is still this pass's
/// (and still queued). Returns whether it was.
async fn renew(db: &impl ConnectionTrait, m: &mail::Model, lease_secs: i64) -> Result<bool, ServiceError> {
    let renewed = mail::Entity::update_many()
        .col_expr(mail::Column::LeaseUntil, Expr::value(Utc::now() + Duration::seconds(lease_secs)))
        .filter(mail::Column::Id.eq(m.id))
        .filter(mail::Column::LeaseOwner.eq(m.lease_owner.clone()))
        .filter(mail::Column::Status.eq("queued"))
        .exec(db)
        .await?;
    Ok(renewed.rows_affected == 1)
}

/// Hands back the leases of claimed messages not sent: they are due again at once.
async fn release(db: &impl ConnectionTrait, left: &[mail::Model]) -> Result<(), ServiceError> {
    let Some(owner) = left.first().and_then(|m| m.lease_owner.clone()) else { return Ok(()) };
    mail::Entity::update_many()
        .col_expr(mail::Column::LeaseOwner, Expr::value(Option::<String>::None))
        .col_expr(mail::Column::LeaseUntil, Expr::value(Option::<chrono::DateTime<Utc>>::None))
        .filter(mail::Column::Id.is_in(left.iter().map(|m| m.id)))
        .filter(mail::Column::LeaseOwner.eq(owner))
        .exec(db)
        .await?;
    tracing::info!(messages = left.len(), "stopping: leases of unsent mail released");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::backoff;

    #[test]
    fn a_send_ends_within_half_its_lease_and_30_s() {
        assert_eq!(super::send_timeout(1).as_millis(), 500);
        assert_eq!(super::send_timeout(20).as_secs(), 10);
        assert_eq!(super::send_timeout(120).as_secs(), 30);
    }

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff(60, 1).num_seconds(), 60);
        assert_eq!(backoff(60, 2).num_seconds(), 120);
        assert_eq!(backoff(60, 4).num_seconds(), 480);
        assert_eq!(backoff(60, 12).num_seconds(), 3600);
        assert_eq!(backoff(1, 0).num_seconds(), 1);
    }
}
