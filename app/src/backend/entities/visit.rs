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
    /// 签到: the phone's clock, the server's, who, and the position if the user allowed it.
    pub checkin_at: Option<DateTimeUtc>,
    pub checkin_server_at: Option<DateTimeUtc>,
    pub checkin_by: Option<i64>,
    pub checkin_lat: Option<f64>,
    pub checkin_lng: Option<f64>,
    pub checkin_accuracy_m: Option<f64>,
    /// The GB/T 2260 prefecture code of the position ("" when unknown).
    pub checkin_city: String,
    /// Why the check-in does not match the visit ("" when it does or cannot be told).
    pub checkin_flag: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
