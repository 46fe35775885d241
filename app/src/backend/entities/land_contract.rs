use sea_orm::entity::prelude::*;

/// A signed project's 标准地 land contract: area and committed control indicators (万元/亩).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "land_contracts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub lead_id: i64,
    pub contract_no: String,
    #[sea_orm(column_type = "Double")]
    pub land_mu: f64,
    /// 投资强度, 万元/亩.
    #[sea_orm(column_type = "Double", nullable)]
    pub intensity: Option<f64>,
    /// 亩均税收, 万元/亩/年.
    #[sea_orm(column_type = "Double", nullable)]
    pub tax_per_mu: Option<f64>,
    /// 亩均产出, 万元/亩/年.
    #[sea_orm(column_type = "Double", nullable)]
    pub output_per_mu: Option<f64>,
    pub signed_on: Date,
    pub full_output_on: Option<Date>,
    pub review_on: Date,
    pub recorded_by: i64,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
