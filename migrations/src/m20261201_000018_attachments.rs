//! Photos and voice notes from a visit (走访照片、语音备忘): the file lives under the attachments
//! folder by its SHA-256; a row says whose lead and visit it belongs to.

use super::id_col;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Attachments {
    Table,
    Id,
    LeadId,
    VisitId,
    Sha256,
    Kind,
    Mime,
    SizeBytes,
    CreatedBy,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Attachments::Table)
                .col(id_col(Attachments::Id))
                .col(ColumnDef::new(Attachments::LeadId).big_integer().not_null())
                .col(ColumnDef::new(Attachments::VisitId).big_integer().null())
                .col(ColumnDef::new(Attachments::Sha256).string_len(64).not_null())
                .col(ColumnDef::new(Attachments::Kind).string_len(16).not_null())
                .col(ColumnDef::new(Attachments::Mime).string_len(64).not_null())
                .col(ColumnDef::new(Attachments::SizeBytes).big_integer().not_null())
                .col(ColumnDef::new(Attachments::CreatedBy).big_integer().not_null())
                .col(ColumnDef::new(Attachments::CreatedAt).timestamp_with_time_zone().not_null())
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("ix_attachments_lead", Attachments::LeadId),
            ("ix_attachments_visit", Attachments::VisitId),
            ("ix_attachments_sha", Attachments::Sha256),
        ] {
            m.create_index(Index::create().name(name).table(Attachments::Table).col(col).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Attachments::Table).to_owned()).await
    }
}
