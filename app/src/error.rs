//! The one error type that crosses the wire. Internal details never do: they are logged on the
//! server with a reference the user can quote.

use crate::domain::lead::FieldError;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Not signed in, or the session ended.
    #[error("not signed in")]
    Unauthenticated,
    /// Signed in but not allowed.
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// Bad input, reported at each field.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// The record changed since the user loaded it, or would clash with another.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The lead changed since the user loaded it: what changed, so nothing is lost.
    #[error("stale")]
    Stale(Vec<crate::wire::leads::FieldChange>),
    /// Something broke on the server; `reference` is in the log.
    #[error("internal error {reference}")]
    Internal { reference: String },
    /// The call did not reach the server or its answer could not be read.
    #[error("transport: {0}")]
    Transport(String),
}

impl AppError {
    /// The translation key of the message to show.
    pub fn message_key(&self) -> &'static str {
        match self {
            AppError::Unauthenticated => "err.unauthenticated",
            AppError::Forbidden => "err.forbidden",
            AppError::NotFound => "err.not_found",
            AppError::Invalid(_) => "err.invalid",
            AppError::Conflict(_) => "err.conflict",
            AppError::Stale(_) => "err.lead.stale",
            AppError::Internal { .. } => "err.internal",
            AppError::Transport(_) => "err.transport",
        }
    }

    /// The HTTP status for API callers.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Invalid(_) => 422,
            AppError::Conflict(_) | AppError::Stale(_) => 409,
            AppError::Internal { .. } | AppError::Transport(_) => 500,
        }
    }

    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            AppError::Invalid(errors) => errors,
            _ => &[],
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}
