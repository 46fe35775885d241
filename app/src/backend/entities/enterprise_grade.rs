use sea_orm::entity::prelude::*;

/// An enterprise's 亩均效益 grade for one year, as computed under rules version `config_id`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "enterprise_grades")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub enterprise_id: i64,
    pub year: i32,
    pub config_id: i64,
    /// 综合得分 (points, 0.01)
    pub score: f64,
    /// Among the year's rated enterprises; equal scores share a rank.
    pub rank: Option<i32>,
    /// A/B/C/D; None when not rated.
    pub grade: Option<String>,
    /// Why not rated (`efficiency.not_rated.*` key).
    pub not_rated: Option<String>,
    /// The breakdown (`Vec<domain::efficiency::Part>`, JSON).
    #[sea_orm(column_type = "Text")]
    pub breakdown: String,
    pub graded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
