//! The outgoing mail queue, for admins: what is waiting, what failed and why, retry.
use crate::error::AppError;
use crate::wire::mail::*;
use leptos::prelude::*;

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
