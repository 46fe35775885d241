use sea_orm::entity::prelude::*;

/// 在区企业: an enterprise already in the zone.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "enterprises")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub uscc: Option<String>,
    /// 龙头企业
    pub is_leader: bool,
    /// 亩均效益 grade A/B/C/D
    pub grade: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
