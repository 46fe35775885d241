//! The signed-in user, read by any page or component from the context the app provides.

use crate::error::AppError;
use crate::wire::auth::SessionUser;
use leptos::prelude::*;

/// The signed-in user, loaded once per page and shared through context.
#[derive(Clone, Copy)]
pub struct UserResource(pub Resource<Result<Option<SessionUser>, AppError>>);

pub fn use_user() -> UserResource {
    expect_context::<UserResource>()
}
