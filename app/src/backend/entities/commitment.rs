use sea_orm::entity::prelude::*;

/// The figures signed at 签约 (承诺), later compared with actuals.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "commitments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub lead_id: i64,
    #[sea_orm(column_type = "Double")]
    pub investment_wan: f64,
    #[sea_orm(column_type = "Double", nullable)]
    pub land_mu: Option<f64>,
    #[sea_orm(column_type = "Double", nullable)]
    pub output_wan: Option<f64>,
    #[sea_orm(column_type = "Double", nullable)]
    pub tax_wan: Option<f64>,
    pub start_on: Option<Date>,
    pub recorded_by: i64,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
