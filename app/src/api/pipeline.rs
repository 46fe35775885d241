use crate::error::AppError;
use crate::wire::pipeline::*;
use leptos::prelude::*;

#[server(endpoint = "pipeline/get")]
pub async fn lead_pipeline(lead_id: i64) -> Result<Pipeline, AppError> {
    use crate::backend::{context, services::pipeline};
    let (state, user) = context::signed_in()?;
    context::respond(pipeline::pipeline(&state.db, &user, lead_id).await)
}

#[server(endpoint = "pipeline/move")]
pub async fn move_stage(lead_id: i64, form: MoveForm) -> Result<(), AppError> {
    use crate::backend::{context, services::pipeline};
    let (state, user) = context::signed_in()?;
    let to = form.to.clone();
    let moved = context::respond(pipeline::move_stage(&state.db, &user, lead_id, form.clone()).await);
    context::keep_typed_if_refused(super::flash::MOVE_DRAFT, &(lead_id, &form), moved)?;
    context::leave_for_page(super::flash::MOVED, &(lead_id, &to));
    // A plain post lands where the move shows, not at the page's top: the lead page's stage
    // section, or the board's column the card went to (`to` is a stage's code: it was moved).
    if let Some(from) = context::plain_post_referer() {
        let anchor = if from.starts_with("/kanban") { format!("col-{to}") } else { "pipeline".to_string() };
        leptos_axum::redirect(&format!("{from}#{anchor}"));
    }
    Ok(())
}

#[server(endpoint = "pipeline/log")]
pub async fn log_activity(lead_id: i64, form: ActivityForm) -> Result<i64, AppError> {
    use crate::backend::{context, services::pipeline};
    let (state, user) = context::signed_in()?;
    let logged = context::respond(pipeline::log_activity(&state.db, &user, lead_id, form.clone()).await);
    context::keep_typed_if_refused(super::flash::LOG_DRAFT, &(lead_id, &form), logged)
}

#[server(endpoint = "pipeline/next-steps")]
pub async fn my_next_steps() -> Result<Vec<NextStep>, AppError> {
    use crate::backend::{context, services::pipeline};
    let (state, user) = context::signed_in()?;
    context::respond(pipeline::next_steps(&state.db, &user).await)
}

#[server(endpoint = "pipeline/done")]
pub async fn complete_next_step(activity_id: i64) -> Result<DoneStep, AppError> {
    use crate::backend::{context, services::pipeline};
    let (state, user) = context::signed_in()?;
    // Every 完成 on the home page is a plain post (it has no island): the page it returns to
    // says what was taken off the list.
    context::leave_ok(
        <CompleteNextStep as leptos::server_fn::ServerFn>::PATH,
        context::respond(pipeline::complete_next_step(&state.db, &user, activity_id).await),
    )
}
