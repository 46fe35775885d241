use sea_orm::entity::prelude::*;

/// One 前期手续 item of a signed project (帮办代办).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "project_procedures")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub lead_id: i64,
    /// A built-in code (`domain::procedure::BUILT_IN`) or `custom_N`.
    pub code: String,
    /// The office's own name (custom items); empty for a built-in.
    pub name: String,
    /// 审批部门
    pub department: String,
    /// 帮办代办 person of the office.
    pub agent: String,
    pub due_on: Option<Date>,
    /// `domain::procedure::ProcedureStatus` code.
    pub status: String,
    /// 材料: the documents noted (free text).
    pub documents: String,
    pub problem_id: Option<i64>,
    pub updated_by: i64,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
