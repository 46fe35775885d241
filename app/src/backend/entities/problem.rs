use sea_orm::entity::prelude::*;

/// 问题清单: a problem blocking a lead, with who must solve it and by when.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "problems")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub lead_id: i64,
    /// approval / land / environment / energy / funding / other
    pub category: String,
    pub description: String,
    pub department: String,
    pub responsible: String,
    pub deadline: Option<Date>,
    /// open / in_progress / solved
    pub status: String,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
