//! Outgoing mail: messages are composed in the recipient's language, queued in the database
//! (`mail_queue`), and delivered by the background worker — over SMTP, or into the outbox
//! directory as `.eml` files when no SMTP server is configured. Nothing the user does ever
//! fails because mail is down.

pub mod templates;
pub mod worker;

use super::entities::{mail, user};
use super::services::{is_unique_violation, ServiceError};
use super::Settings;
use chrono::{DateTime, Utc};
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart};
use lettre::Address;
use lettre::Message;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

/// A file sent along (the trip's `.ics`).
#[derive(Clone, Debug)]
pub struct MailAttachment {
    pub filename: String,
    pub content_type: String,
    pub body: Vec<u8>,
}

/// A message to queue.
#[derive(Clone, Debug)]
pub struct Outgoing {
    pub kind: &'static str,
    pub to: user::Model,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// Files sent along (a trip's `.ics`: the plan, and the cancellations if any).
    pub attachments: Vec<MailAttachment>,
    /// One message per key, ever (scheduled mail stays single after restarts and across
    /// instances).
    pub dedupe_key: Option<String>,
    /// A still-queued message with this key is replaced (and its send postponed).
    pub coalesce_key: Option<String>,
    /// Do not send before this.
    pub not_before: Option<DateTime<Utc>>,
}

impl Outgoing {
    /// A message of `kind` to `to`, sent as soon as possible, not deduplicated.
    pub fn new(kind: &'static str, to: user::Model, letter: templates::Letter) -> Outgoing {
        Outgoing {
            kind,
            to,
            subject: letter.subject,
            text: letter.text,
            html: letter.html,
            attachments: Vec::new(),
            dedupe_key: None,
            coalesce_key: None,
            not_before: None,
        }
    }
}

/// The recipient's mailbox, built from name and address (never a formatted string parsed
/// back): any display name — commas, brackets, quotes, Chinese — is encoded by lettre.
/// Errors: the address is not one (the reason, for the queue's `last_error`).
pub fn mailbox(display_name: &str, email: &str) -> Result<Mailbox, String> {
    let address: Address = email.trim().parse().map_err(|e| format!("bad address {email:?}: {e}"))?;
    let name = display_name.trim();
    Ok(Mailbox::new((!name.is_empty()).then(|| name.to_string()), address))
}

fn build(settings: &Settings, out: &Outgoing) -> Result<(String, String, String), String> {
    let from: Mailbox = settings.mail.from.parse().map_err(|e| format!("bad sender {}: {e}", settings.mail.from))?;
    let to = mailbox(&out.to.display_name, &out.to.email)?;
    let alternative = MultiPart::alternative_plain_html(out.text.clone(), out.html.clone());
    let body = if out.attachments.is_empty() {
        alternative
    } else {
        let mut mixed = MultiPart::mixed().multipart(alternative);
        for a in &out.attachments {
            let content_type = ContentType::parse(&a.content_type).map_err(|e| e.to_string())?;
            mixed = mixed.singlepart(Attachment::new(a.filename.clone()).body(a.body.clone(), content_type));
        }
        mixed
    };
    let message = Message::builder()
        .from(from.clone())
        .to(to.clone())
        .subject(out.subject.clone())
        .multipart(body)
        .map_err(|e| e.to_string())?;
    let raw = String::from_utf8(message.formatted()).map_err(|e| e.to_string())?;
    Ok((from.email.to_string(), to.email.to_string(), raw))
}

/// Queues `out`. Returns the queue row, or None when nothing was queued: the recipient has no
/// address, or a message with the same dedupe key exists.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    settings: &Settings,
    out: Outgoing,
) -> Result<Option<i64>, ServiceError> {
    if out.to.email.trim().is_empty() || out.to.disabled_at.is_some() {
        return Ok(None);
    }
    if let Some(key) = &out.dedupe_key {
        if let Some(earlier) = mail::Entity::find().filter(mail::Column::DedupeKey.eq(key.as_str())).one(db).await? {
            // Sent or queued; or not buildable and nothing has changed since.
            let same_address =
                earlier.to_addr == out.to.email.chars().take(crate::domain::email::MAX_LEN).collect::<String>();
            if !earlier.raw.is_empty() || same_address {
                return Ok(None);
            }
            // It could not be built then, and the address has been corrected: build it again.
            mail::Entity::delete_by_id(earlier.id).exec(db).await?;
        }
    }
    let now = Utc::now();
    let (from_addr, to_addr, raw) = match build(settings, &out) {
        Ok(parts) => parts,
        Err(e) => {
            // Kept as failed with its reason (shown on /admin/mail), never only logged.
            tracing::warn!(to = %out.to.username, error = %e, "mail could not be built");
            let row = mail::ActiveModel {
                kind: Set(out.kind.to_string()),
                dedupe_key: Set(out.dedupe_key.clone()),
                coalesce_key: Set(None),
                to_user_id: Set(Some(out.to.id)),
                to_addr: Set(out.to.email.chars().take(crate::domain::email::MAX_LEN).collect()),
                from_addr: Set(settings.mail.from.chars().take(crate::domain::email::MAX_LEN).collect()),
                subject: Set(out.subject),
                raw: Set(String::new()),
                status: Set("failed".into()),
                attempts: Set(0),
                next_attempt_at: Set(now),
                lease_owner: Set(None),
                lease_until: Set(None),
                last_error: Set(Some(format!("not built: {e}"))),
                created_at: Set(now),
                sent_at: Set(None),
                ..Default::default()
            }
            .insert(db)
            .await;
            return match row {
                Ok(r) => Ok(Some(r.id)),
                Err(e) if is_unique_violation(&e) => Ok(None),
                Err(e) => Err(e.into()),
            };
        }
    };
    let due = out.not_before.unwrap_or(now);
    if let Some(key) = &out.coalesce_key {
        let waiting = mail::Entity::find()
            .filter(mail::Column::CoalesceKey.eq(key.as_str()))
            .filter(mail::Column::Status.eq("queued"))
            .filter(mail::Column::LeaseOwner.is_null())
            .one(db)
            .await?;
        if let Some(w) = waiting {
            let id = w.id;
            let mut active: mail::ActiveModel = w.into();
            active.subject = Set(out.subject.clone());
            active.raw = Set(raw);
            active.to_addr = Set(to_addr);
            active.next_attempt_at = Set(due);
            active.update(db).await?;
            return Ok(Some(id));
        }
    }
    let row = mail::ActiveModel {
        kind: Set(out.kind.to_string()),
        dedupe_key: Set(out.dedupe_key.clone()),
        coalesce_key: Set(out.coalesce_key.clone()),
        to_user_id: Set(Some(out.to.id)),
        to_addr: Set(to_addr),
        from_addr: Set(from_addr),
        subject: Set(out.subject),
        raw: Set(raw),
        status: Set("queued".into()),
        attempts: Set(0),
        next_attempt_at: Set(due),
        lease_owner: Set(None),
        lease_until: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await;
    match row {
        Ok(r) => Ok(Some(r.id)),
        // Another instance queued the same occasion a moment ago.
        Err(e) if is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e.into()),
    }
}
