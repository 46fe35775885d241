use sea_orm::entity::prelude::*;

/// A team's annual targets (年度目标).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "team_targets")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub team_id: i64,
    pub year: i32,
    pub signed_projects: i32,
    pub contracted_wan: f64,
    pub major_projects: i32,
    pub new_leads: i32,
    pub visits: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
