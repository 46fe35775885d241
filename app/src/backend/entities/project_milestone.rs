use sea_orm::entity::prelude::*;

/// One milestone of a signed project's plan (倒排时间节点).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "project_milestones")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub lead_id: i64,
    pub kind_id: i64,
    pub planned_on: Option<Date>,
    pub done_on: Option<Date>,
    /// 责任部门
    pub department: String,
    /// 责任人
    pub owner: String,
    /// The 问题清单 entry opened when it ran late (督办), once.
    pub problem_id: Option<i64>,
    pub done_by: Option<i64>,
    pub done_at: Option<DateTimeUtc>,
    pub updated_by: i64,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
