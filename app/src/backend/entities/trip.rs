use sea_orm::entity::prelude::*;

/// 外出招商 (outbound trip) or 客商来访考察 (inbound inspection visit).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "trips")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: String,
    pub purpose: String,
    /// Division code of the destination city; empty for inbound visits (at the zone).
    pub destination_code: String,
    pub start_on: Date,
    pub end_on: Date,
    pub team_id: Option<i64>,
    pub status: String,
    pub version: i32,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
