use sea_orm::entity::prelude::*;

/// 走访: one company visited on a trip, in a planned slot, with its report (走访纪要).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "visits")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub trip_id: i64,
    pub lead_id: i64,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub place: String,
    pub contact: String,
    pub status: String,
    pub learned: String,
    pub intention: Option<String>,
    pub next_step: String,
    pub next_due: Option<Date>,
    pub missed_reason: String,
    pub activity_id: Option<i64>,
    pub reported_by: Option<i64>,
    pub reported_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
