use sea_orm::entity::prelude::*;

/// 招商专班: an outreach team.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "teams")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    /// 分管领导
    pub leader_in_charge_id: Option<i64>,
    /// 专班组长: may reassign leads within the team.
    pub lead_user_id: Option<i64>,
    /// JSON array of division codes (e.g. "320100" 南京, "310000" 上海).
    pub focus_regions: String,
    /// JSON array of chain ids.
    pub focus_chains: String,
    /// JSON array of industry codes.
    pub focus_industries: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
