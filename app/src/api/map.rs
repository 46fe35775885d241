//! 招商地图: the map of leads, trips and teams by city.
use crate::domain::map::MapQuery;
use crate::error::AppError;
use crate::wire::map::MapView;
use leptos::prelude::*;

#[server(endpoint = "map/view")]
pub async fn get_map(#[server(default)] query: MapQuery) -> Result<MapView, AppError> {
    use crate::backend::{context, services::map};
    let (state, user) = context::signed_in()?;
    context::respond(map::view(&state.db, &user, &query).await)
}
