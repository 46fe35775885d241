use sea_orm::entity::prelude::*;

/// 承诺履约: what a signed project actually invested, produced and paid in a year.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "project_actuals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub lead_id: i64,
    pub year: i32,
    #[sea_orm(column_type = "Double", nullable)]
    pub investment_wan: Option<f64>,
    #[sea_orm(column_type = "Double", nullable)]
    pub output_wan: Option<f64>,
    #[sea_orm(column_type = "Double", nullable)]
    pub tax_wan: Option<f64>,
    pub recorded_by: i64,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
