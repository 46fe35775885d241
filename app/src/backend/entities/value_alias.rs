use sea_orm::entity::prelude::*;

/// 别名: an office's own word for an enumerated value (`field` industry/sector/channel/stage,
/// `alias` as written, `alias_key` folded for lookup, `code` the value it stands for).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "value_aliases")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub field: String,
    pub alias: String,
    pub alias_key: String,
    pub code: String,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
