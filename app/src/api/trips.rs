//! 外出招商 trips and 客商来访 inspection visits, their 走访 visits and reports.
use crate::error::AppError;
use crate::wire::trips::*;
use leptos::prelude::*;

#[server(endpoint = "trips/list")]
pub async fn list_trips(#[server(default)] filter: TripFilter) -> Result<Vec<TripRow>, AppError> {
    use crate::backend::{context, services::trips};
    let (state, user) = context::signed_in()?;
    context::respond(trips::list(&state.db, &user, &filter).await)
}

#[server(endpoint = "trips/get")]
pub async fn get_trip(id: i64) -> Result<TripDetail, AppError> {
    use crate::backend::{context, services::trips};
    let (state, user) = context::signed_in()?;
    context::respond(trips::detail(&state.db, &user, id).await)
}

#[server(endpoint = "trips/choices")]
pub async fn get_trip_choices() -> Result<TripChoices, AppError> {
    use crate::backend::{context, services::trips};
    let (state, user) = context::signed_in()?;
    context::respond(trips::choices(&state.db, &user).await)
}

/// Creates a trip; the browser goes to its page. A refused plain post leaves what was typed for
/// the form it returns to (`flash::TRIP_DRAFT`).
#[server(endpoint = "trips/create")]
pub async fn create_trip(form: TripForm) -> Result<i64, AppError> {
    use crate::backend::{context, services::trips};
    let (state, user) = context::signed_in()?;
    let created = context::respond(trips::create(&state.db, &user, form.clone()).await);
    let id = context::keep_typed_if_refused(super::flash::TRIP_DRAFT, &form, created)?;
    leptos_axum::redirect(&format!("/trips/{id}"));
    Ok(id)
}

/// Changes an open trip saved at `version`; a published trip's members are told. A refused plain
/// post leaves what was typed for the edit form it returns to (`flash::TRIP_EDIT_DRAFT`), except
/// a change refused as stale: the form then shows the trip as it now stands (kept, a second save
/// would put back what the other change replaced). A saved change is said on the trip's page
/// (`flash::TRIP_SAID`). Returns whether the members were told.
#[server(endpoint = "trips/update")]
pub async fn update_trip(id: i64, version: i32, form: TripForm) -> Result<bool, AppError> {
    use crate::backend::{context, services::trip_edit};
    let (state, user) = context::signed_in()?;
    let changed =
        context::respond(trip_edit::update(&state.db, &state.settings, &user, id, version, form.clone()).await);
    let told = match changed {
        Err(AppError::Conflict(key)) if key == "err.trip.stale" => return Err(AppError::Conflict(key)),
        changed => context::keep_typed_if_refused(super::flash::TRIP_EDIT_DRAFT, &(id, &form), changed)?,
    };
    context::leave_for_page(super::flash::TRIP_SAID, &if told { "trips.saved_told" } else { "trips.saved" });
    Ok(told)
}

/// 发布: members are told (mail with the .ics).
#[server(endpoint = "trips/publish")]
pub async fn publish_trip(id: i64) -> Result<(), AppError> {
    use crate::backend::{context, services::trips};
    let (state, user) = context::signed_in()?;
    context::respond(trips::publish(&state.db, &state.settings, &user, id).await)?;
    context::leave_for_page(super::flash::TRIP_SAID, &"trips.published");
    Ok(())
}

#[server(endpoint = "trips/close")]
pub async fn close_trip(id: i64) -> Result<(), AppError> {
    use crate::backend::{context, services::trips};
    let (state, user) = context::signed_in()?;
    context::respond(trips::close(&state.db, &user, id).await)
}

#[server(endpoint = "trips/cancel")]
pub async fn cancel_trip(id: i64) -> Result<(), AppError> {
    use crate::backend::{context, services::trips};
    let (state, user) = context::signed_in()?;
    context::respond(trips::cancel(&state.db, &state.settings, &user, id).await)
}

/// Plans a visit on trip `trip_id`. A refused plain post leaves what was typed for the form it
/// returns to (`flash::VISIT_DRAFT`); a plain post that adds it lands at the new visit, which
/// says so (`flash::VISIT_ADDED`).
#[server(endpoint = "visits/add")]
pub async fn add_visit(trip_id: i64, form: VisitForm) -> Result<i64, AppError> {
    use crate::backend::{context, services::visits};
    let (state, user) = context::signed_in()?;
    let added = context::respond(visits::add(&state.db, &state.settings, &user, trip_id, form.clone()).await);
    let id = context::keep_typed_if_refused(super::flash::VISIT_DRAFT, &(trip_id, &form), added)?;
    context::leave_for_page(super::flash::VISIT_ADDED, &id);
    if let Some(from) = context::plain_post_referer() {
        leptos_axum::redirect(&format!("{from}#visit-{id}"));
    }
    Ok(id)
}

#[server(endpoint = "visits/report")]
pub async fn report_visit(visit_id: i64, form: ReportForm) -> Result<(), AppError> {
    use crate::backend::{context, services::visits};
    let (state, user) = context::signed_in()?;
    context::respond(visits::report(&state.db, &user, visit_id, form).await)
}

/// 未成行: the visit did not happen, and why.
#[server(endpoint = "visits/missed")]
pub async fn visit_missed(visit_id: i64, #[server(default)] reason: String) -> Result<(), AppError> {
    use crate::backend::{context, services::visits};
    let (state, user) = context::signed_in()?;
    context::respond(visits::missed(&state.db, &state.settings, &user, visit_id, &reason).await)
}

/// Changes a planned visit (its company, day, times, place, contact, who goes). A refused plain
/// post leaves what was typed for the visit's form (`flash::VISIT_EDIT_DRAFT`); one that saves
/// lands back at the visit.
#[server(endpoint = "visits/update")]
pub async fn update_visit(visit_id: i64, form: VisitForm) -> Result<(), AppError> {
    use crate::backend::{context, services::visit_edit};
    let (state, user) = context::signed_in()?;
    let changed = context::respond(visit_edit::update(&state.db, &state.settings, &user, visit_id, form.clone()).await);
    context::keep_typed_if_refused(super::flash::VISIT_EDIT_DRAFT, &(visit_id, &form), changed)?;
    context::leave_for_page(super::flash::VISIT_SAVED, &visit_id);
    if let Some(from) = context::plain_post_referer() {
        leptos_axum::redirect(&format!("{from}#visit-{visit_id}"));
    }
    Ok(())
}

/// Removes a planned visit from a draft trip (on a published one: 未成行).
#[server(endpoint = "visits/remove")]
pub async fn remove_visit(visit_id: i64) -> Result<(), AppError> {
    use crate::backend::{context, services::visit_edit};
    let (state, user) = context::signed_in()?;
    context::respond(visit_edit::remove(&state.db, &state.settings, &user, visit_id).await)
}
