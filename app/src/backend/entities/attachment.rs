use sea_orm::entity::prelude::*;

/// A photo or voice note on a lead, from a visit: the file is `{attachments_dir}/{sha256[..2]}/{sha256}`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "attachments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub lead_id: i64,
    pub visit_id: Option<i64>,
    pub sha256: String,
    /// "photo" | "voice"
    pub kind: String,
    pub mime: String,
    pub size_bytes: i64,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
