use sea_orm::entity::prelude::*;

/// 产业链环节
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "chain_nodes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub chain_id: i64,
    pub name_zh: String,
    pub name_en: String,
    /// upstream / midstream / downstream
    pub position: String,
    pub sort_order: i32,
    pub description: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
