use sea_orm::entity::prelude::*;

/// A 亩均效益 figures file: its columns as read and its rows (JSON: `mapping` and `lines`, `wire::efficiency::FigureLine`)
/// awaiting the preview's confirmation, or saved with its counts.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "efficiency_batches")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub file_name: String,
    pub year: i32,
    #[sea_orm(column_type = "Text")]
    pub rows: String,
    pub row_count: i32,
    /// preview / done
    pub status: String,
    pub created: i32,
    pub updated: i32,
    pub failed: i32,
    pub created_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
