//! What crosses the wire for `api::tokens`: the types its server functions take and return,
//! with their validators. Imports `domain` only; read by pages, api and services.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    /// Asia/Shanghai time it stops working; None: until revoked.
    #[serde(default)]
    pub expires_at: Option<String>,
    #[serde(default)]
    pub expired: bool,
}
