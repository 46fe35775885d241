use sea_orm::entity::prelude::*;

/// 产业链
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "chains")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name_zh: String,
    pub name_en: String,
    pub industry: String,
    pub description: String,
    pub sort_order: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
