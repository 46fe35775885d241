use crate::error::AppError;
use crate::wire::problems::*;
use leptos::prelude::*;

#[server(endpoint = "problems/list")]
pub async fn list_problems(#[server(default)] filter: ProblemFilter) -> Result<ProblemPage, AppError> {
    use crate::backend::{context, services::problems};
    let (state, user) = context::signed_in()?;
    context::respond(problems::page(&state.db, &user, &filter).await)
}

#[server(endpoint = "problems/of-lead")]
pub async fn lead_problems(lead_id: i64) -> Result<Vec<ProblemView>, AppError> {
    use crate::backend::{context, services::problems};
    let (state, user) = context::signed_in()?;
    context::respond(problems::list(&state.db, &user, &ProblemFilter::default(), Some(lead_id)).await)
}

#[server(endpoint = "problems/create")]
pub async fn create_problem(lead_id: i64, form: ProblemForm) -> Result<i64, AppError> {
    use crate::backend::{context, services::problems};
    let (state, user) = context::signed_in()?;
    context::respond(problems::create(&state.db, &user, lead_id, form).await)
}

#[server(endpoint = "problems/update")]
pub async fn update_problem(problem_id: i64, status: String, #[server(default)] note: String) -> Result<(), AppError> {
    use crate::backend::{context, services::problems};
    let (state, user) = context::signed_in()?;
    context::respond(problems::update(&state.db, &user, problem_id, &status, &note).await)?;
    // A plain post lands at the problem it changed, not at the top of a long list; the list
    // says what became of it should its filter leave it out now.
    if let Some(from) = context::plain_post_referer() {
        if from == "/problems" || from.starts_with("/problems?") {
            context::leave_for_page(super::flash::PROBLEM_SAID, &(problem_id, &status));
        }
        leptos_axum::redirect(&format!("{from}#problem-{problem_id}"));
    }
    Ok(())
}
