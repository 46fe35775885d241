use sea_orm::entity::prelude::*;

/// One move of a lead along the pipeline (项目推进记录).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "stage_moves")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub lead_id: i64,
    pub from_stage: String,
    pub to_stage: String,
    pub comment: String,
    /// 终止原因 code, for drops.
    pub reason: Option<String>,
    /// For 搁置: when to pick it up again.
    pub resume_on: Option<Date>,
    pub moved_by: i64,
    pub moved_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
