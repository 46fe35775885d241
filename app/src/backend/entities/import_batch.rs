use sea_orm::entity::prelude::*;

/// 导入批次: an uploaded file of leads waiting for its preview, or committed with its outcome.
/// `headers`, `mapping`, `rows` and `report` are JSON; `rows_packed` is compressed JSON.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "import_batches")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub file_name: String,
    pub created_at: DateTimeUtc,
    /// preview / running / done / failed
    pub status: String,
    /// skip / fill / overwrite
    pub duplicate_mode: String,
    #[sea_orm(column_type = "Text")]
    pub headers: String,
    #[sea_orm(column_type = "Text")]
    pub mapping: String,
    /// The rows as JSON, for batches uploaded before `rows_packed` (empty since).
    #[sea_orm(column_type = "Text")]
    pub rows: String,
    /// The rows (a JSON list of lists of cell texts) deflate-compressed as they were read
    /// (`services::import_rows::RowPacker`).
    #[sea_orm(column_type = "Blob", nullable)]
    pub rows_packed: Option<Vec<u8>>,
    pub row_count: i32,
    pub created: i32,
    pub updated: i32,
    pub skipped: i32,
    pub failed: i32,
    #[sea_orm(column_type = "Text", nullable)]
    pub report: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub error: Option<String>,
    pub finished_at: Option<DateTimeUtc>,
    /// How the file was read (`domain::import_table::Layout`, JSON); None for older batches.
    #[sea_orm(column_type = "Text", nullable)]
    pub layout: Option<String>,
    /// The uploaded file, kept while the preview is open (to switch sheet or header row): an xlsx
    /// as it came, a text file gzip-compressed (`services::import_rows::keep_source`).
    #[sea_orm(column_type = "Blob", nullable)]
    pub source: Option<Vec<u8>>,
    /// While a commit runs: until when its runner holds it (each committed part renews it); a
    /// running batch past its lease was cut off and is undone.
    pub lease_until: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
