//! 导入批次: an uploaded spreadsheet of leads, its column mapping, the duplicate mode, and the
//! outcome once committed; leads remember the batch that created them.

use super::id_col;
use super::m20261126_000001_create_users_and_sessions::Users;
use super::m20261126_000002_create_leads::Leads;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ImportBatches {
    Table,
    Id,
    UserId,
    FileName,
    CreatedAt,
    Status,
    DuplicateMode,
    Headers,
    Mapping,
    Rows,
    RowCount,
    Created,
    Updated,
    Skipped,
    Failed,
    Report,
    Error,
    FinishedAt,
}

#[derive(DeriveIden)]
enum Extra {
    ImportBatchId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ImportBatches::Table)
                .col(id_col(ImportBatches::Id))
                .col(ColumnDef::new(ImportBatches::UserId).big_integer().not_null())
                .col(ColumnDef::new(ImportBatches::FileName).string_len(255).not_null())
                .col(ColumnDef::new(ImportBatches::CreatedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(ImportBatches::Status).string_len(16).not_null())
                .col(ColumnDef::new(ImportBatches::DuplicateMode).string_len(16).not_null())
                .col(ColumnDef::new(ImportBatches::Headers).text().not_null())
                .col(ColumnDef::new(ImportBatches::Mapping).text().not_null())
                .col(ColumnDef::new(ImportBatches::Rows).text().not_null())
                .col(ColumnDef::new(ImportBatches::RowCount).integer().not_null())
                .col(ColumnDef::new(ImportBatches::Created).integer().not_null().default(0))
                .col(ColumnDef::new(ImportBatches::Updated).integer().not_null().default(0))
                .col(ColumnDef::new(ImportBatches::Skipped).integer().not_null().default(0))
                .col(ColumnDef::new(ImportBatches::Failed).integer().not_null().default(0))
                .col(ColumnDef::new(ImportBatches::Report).text().null())
                .col(ColumnDef::new(ImportBatches::Error).text().null())
                .col(ColumnDef::new(ImportBatches::FinishedAt).timestamp_with_time_zone().null())
                .foreign_key(
                    ForeignKey::create()
                        .from(ImportBatches::Table, ImportBatches::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_import_batches_user")
                .table(ImportBatches::Table)
                .col(ImportBatches::UserId)
                .col(ImportBatches::CreatedAt)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Leads::Table)
                .add_column(ColumnDef::new(Extra::ImportBatchId).big_integer().null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("idx_leads_import_batch").table(Leads::Table).col(Extra::ImportBatchId).to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("idx_leads_import_batch").table(Leads::Table).to_owned()).await?;
        m.alter_table(Table::alter().table(Leads::Table).drop_column(Extra::ImportBatchId).to_owned()).await?;
        m.drop_table(Table::drop().table(ImportBatches::Table).to_owned()).await
    }
}
