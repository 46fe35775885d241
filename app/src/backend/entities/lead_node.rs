use sea_orm::entity::prelude::*;

/// A lead placed on a chain node, with its role there.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "lead_nodes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub lead_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub node_id: i64,
    /// leader / supplier / plain
    pub role: String,
    /// For 配套: the local enterprise supplied.
    pub supplies_enterprise_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
