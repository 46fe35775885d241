//! What crosses the wire for `api::auth`: the types its server functions take and return,
//! with their validators. Imports `domain` only; read by pages, api and services.

use crate::domain::role::Role;
use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

/// The signed-in user, as every page and server function sees them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub locale: Locale,
    /// 招商专班 the user belongs to.
    #[serde(default)]
    pub teams: Vec<i64>,
    /// Teams the user leads (专班组长).
    #[serde(default)]
    pub led_teams: Vec<i64>,
}
