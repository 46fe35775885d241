use sea_orm::entity::prelude::*;

/// The office's milestone template (项目建设节点): built-in 注册 … 纳统 and its own.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "milestone_kinds")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// A built-in code (`domain::project_plan::BUILT_IN`) or `custom_N`.
    pub code: String,
    /// The office's own name; empty for a built-in under its translated name.
    pub name: String,
    pub position: i32,
    /// Default days after the milestone before it, for counting back.
    pub days: i32,
    /// The pipeline stage this milestone stands for (注册/拿地/开工/投产), if any.
    pub stage: Option<String>,
    /// The 问题清单 category an overdue one opens under.
    pub category: String,
    pub archived: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
