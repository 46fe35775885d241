//! 集中开工/竣工: the events, one event's printed list, a new event with its projects, and
//! recording its date as the projects' milestone.
use crate::error::AppError;
use crate::wire::project_events::*;
use leptos::prelude::*;

#[server(endpoint = "projects/events")]
pub async fn list_project_events() -> Result<ProjectEvents, AppError> {
    use crate::backend::{context, services::project_events};
    let (state, user) = context::signed_in()?;
    context::respond(project_events::list(&state.db, &user).await)
}

#[server(endpoint = "projects/event")]
pub async fn get_project_event(id: i64) -> Result<ProjectEventView, AppError> {
    use crate::backend::{context, services::project_events};
    let (state, user) = context::signed_in()?;
    context::respond(project_events::get(&state.db, &user, id).await)
}

#[server(endpoint = "projects/event/create")]
pub async fn create_project_event(form: EventForm) -> Result<i64, AppError> {
    use crate::backend::{context, services::project_events};
    let (state, user) = context::signed_in()?;
    context::respond(project_events::create(&state.db, &user, form).await)
}

#[server(endpoint = "projects/event/record")]
pub async fn record_project_event(id: i64) -> Result<RecordOutcome, AppError> {
    use crate::backend::{context, services::project_events};
    let (state, user) = context::signed_in()?;
    context::respond(project_events::record(&state.db, &user, id).await)
}
