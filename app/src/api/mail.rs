//! The outgoing mail queue, for admins: what is waiting, what failed and why, retry.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MailRow {
    pub id: i64,
    pub kind: String,
    pub to_addr: String,
    pub subject: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: String,
    pub last_error: Option<String>,
    pub created_at: String,
    pub sent_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MailQueueView {
    /// (status, count)
    pub counts: Vec<(String, i64)>,
    pub rows: Vec<MailRow>,
    /// Where messages go: "smtp host:port" or the outbox directory.
    pub transport: String,
}

#[server(endpoint = "admin/mail")]
pub async fn mail_queue(#[server(default)] status: String) -> Result<MailQueueView, AppError> {
    use crate::backend::{context, services::mail_admin};
    let (state, user) = context::signed_in()?;
    context::respond(mail_admin::queue(&state.db, &state.settings, &user, &status).await)
}

/// Puts a failed message back in the queue, due now.
#[server(endpoint = "admin/mail/retry")]
pub async fn retry_mail(id: i64) -> Result<(), AppError> {
    use crate::backend::{context, services::mail_admin};
    let (state, user) = context::signed_in()?;
    context::respond(mail_admin::retry(&state.db, &user, id).await)
}
