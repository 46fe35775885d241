use sea_orm::entity::prelude::*;

/// 跟进记录: a call, meeting, visit, email or WeChat contact, with the next step.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "activities")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub lead_id: i64,
    pub kind: String,
    pub happened_on: Date,
    pub participants: String,
    pub summary: String,
    pub next_step: String,
    pub next_due: Option<Date>,
    pub next_done: bool,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
