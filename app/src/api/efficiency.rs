//! 亩均效益评价: a year's grades of the zone's enterprises, one enterprise's history, the figures
//! files (uploaded as a plain multipart POST to `/efficiency/upload`, see the server crate) and
//! the office's rules.
use crate::error::AppError;
use crate::wire::efficiency::*;
use leptos::prelude::*;

/// Year `year` (else the latest), only grade `grade` (A–D, `-` not rated, empty all).
#[server(endpoint = "efficiency/page")]
pub async fn get_efficiency(
    #[server(default)] year: Option<i32>,
    #[server(default)] grade: String,
) -> Result<EfficiencyPage, AppError> {
    use crate::backend::{context, services::efficiency};
    let (state, user) = context::signed_in()?;
    context::respond(efficiency::page(&state.db, &user, year, &grade).await)
}

#[server(endpoint = "efficiency/enterprise")]
pub async fn get_enterprise_efficiency(id: i64) -> Result<EnterpriseEfficiency, AppError> {
    use crate::backend::{context, services::efficiency};
    let (state, _user) = context::signed_in()?;
    context::respond(efficiency::enterprise(&state.db, id).await)
}

#[server(endpoint = "efficiency/batch")]
pub async fn get_figure_batch(id: i64) -> Result<FigureBatchPage, AppError> {
    use crate::backend::{context, services::efficiency_import};
    let (state, user) = context::signed_in()?;
    context::respond(efficiency_import::page(&state.db, &user, id).await)
}

/// Saves the batch's readable rows and regrades the years they touch.
#[server(endpoint = "efficiency/commit")]
pub async fn commit_figure_batch(id: i64) -> Result<FigureBatchPage, AppError> {
    use crate::backend::{context, services::efficiency_import};
    let (state, user) = context::signed_in()?;
    context::respond(efficiency_import::commit(&state.db, &user, id).await)
}

#[server(endpoint = "efficiency/rules")]
pub async fn get_efficiency_rules() -> Result<EfficiencyRules, AppError> {
    use crate::backend::{context, services::efficiency_rules};
    let (state, user) = context::signed_in()?;
    context::respond(efficiency_rules::page(&state.db, &user).await)
}

/// Saves the rules as a new version and regrades every year; returns the version.
#[server(endpoint = "efficiency/rules/save")]
pub async fn save_efficiency_rules(form: RulesForm) -> Result<i64, AppError> {
    use crate::backend::{context, services::efficiency_rules};
    let (state, user) = context::signed_in()?;
    context::respond(efficiency_rules::save(&state.db, &user, &form).await.map(|(id, _)| id))
}
