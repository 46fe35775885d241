use sea_orm::entity::prelude::*;

/// One item a phone synced (离线队列), by its idempotency key: a second send of the same key gets
/// `result` (the first answer, JSON) and changes nothing.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "sync_receipts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub idem_key: String,
    pub user_id: i64,
    pub kind: String,
    pub result: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
