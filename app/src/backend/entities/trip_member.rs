use sea_orm::entity::prelude::*;

/// Who goes on a trip.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "trip_members")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub trip_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
