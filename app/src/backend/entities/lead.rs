use sea_orm::entity::prelude::*;

/// 招商线索
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "leads")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub company_name: String,
    pub name_key: String,
    /// The name folded for search (`domain::names::fold_company_name`), indexed.
    pub name_fold: String,
    pub uscc: Option<String>,
    pub region_code: String,
    pub province_code: Option<String>,
    pub city_code: Option<String>,
    pub region_group: String,
    pub nanjing_metro: bool,
    pub industry: String,
    pub sector: Option<String>,
    #[sea_orm(column_type = "Double", nullable)]
    pub planned_investment_wan: Option<f64>,
    #[sea_orm(column_type = "Double", nullable)]
    pub land_mu: Option<f64>,
    #[sea_orm(column_type = "Double", nullable)]
    pub annual_output_wan: Option<f64>,
    #[sea_orm(column_type = "Double", nullable)]
    pub annual_tax_wan: Option<f64>,
    pub jobs: Option<i32>,
    pub channel: String,
    pub stage: String,
    pub owner_id: Option<i64>,
    pub notes: String,
    pub version: i32,
    /// 高新技术企业 (None = not known)
    pub high_tech: Option<bool>,
    /// 专精特新
    pub specialised: Option<bool>,
    /// 上市公司
    pub listed: Option<bool>,
    /// low / medium / high
    pub energy_use: Option<String>,
    #[sea_orm(column_type = "Double", nullable)]
    pub score: Option<f64>,
    pub grade: Option<String>,
    /// The `score_configs` version that produced `score`.
    pub score_version: Option<i64>,
    /// When the lead entered its current stage (for "days in stage").
    pub stage_changed_at: Option<DateTimeUtc>,
    /// 回收站: soft-deleted when set.
    pub deleted_at: Option<DateTimeUtc>,
    pub deleted_by: Option<i64>,
    /// Flagged 重大项目 by a manager (also major by amount, see `Settings`).
    pub major_flag: bool,
    /// 包保领导
    pub leader_in_charge_id: Option<i64>,
    /// 牵头部门
    pub lead_department: String,
    /// 招商专班 the lead is assigned to.
    pub team_id: Option<i64>,
    /// The import batch (导入批次) that created the lead, if any.
    pub import_batch_id: Option<i64>,
    pub created_by: i64,
    pub updated_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::lead_contact::Entity")]
    Contacts,
}

impl Related<super::lead_contact::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Contacts.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
