use sea_orm::entity::prelude::*;

/// One year's 亩均效益 figures of an enterprise (在区企业), as imported. None: not given.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "enterprise_figures")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub enterprise_id: i64,
    pub year: i32,
    /// 用地面积, 亩
    pub land_mu: Option<f64>,
    /// 实缴税金, 万元
    pub tax_wan: Option<f64>,
    /// 营业收入, 万元
    pub revenue_wan: Option<f64>,
    /// 工业增加值, 万元
    pub added_value_wan: Option<f64>,
    /// 综合能耗, 吨标准煤
    pub energy_tce: Option<f64>,
    /// 研发经费, 万元
    pub rd_wan: Option<f64>,
    /// 年平均从业人员
    pub employees: Option<f64>,
    /// The figures file it came from.
    pub batch_id: Option<i64>,
    pub updated_by: i64,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
