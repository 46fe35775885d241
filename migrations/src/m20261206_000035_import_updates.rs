//! The leads an import updated (查重合并 into an existing lead), by batch: the report's
//! "查看本次新建或更新的线索" lists them beside the leads the batch created (`leads.
//! import_batch_id`). A batch that created nothing and updated 40 leads opened the whole list.
//! Its primary key (batch, lead) is the list filter's index; `idx_import_updates_lead` serves the
//! cascade from a deleted lead. Going down drops the table: the
//! batches' counts and reports stay; only the link from a batch to the leads it updated goes.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ImportUpdates {
    Table,
    BatchId,
    LeadId,
}

#[derive(DeriveIden)]
enum ImportBatches {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Leads {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ImportUpdates::Table)
                .col(ColumnDef::new(ImportUpdates::BatchId).big_integer().not_null())
                .col(ColumnDef::new(ImportUpdates::LeadId).big_integer().not_null())
                .primary_key(Index::create().col(ImportUpdates::BatchId).col(ImportUpdates::LeadId))
                .foreign_key(
                    ForeignKey::create()
                        .from(ImportUpdates::Table, ImportUpdates::BatchId)
                        .to(ImportBatches::Table, ImportBatches::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ImportUpdates::Table, ImportUpdates::LeadId)
                        .to(Leads::Table, Leads::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        // A lead's rows, for the cascade when a lead is deleted (an import taken back deletes
        // its new leads 2,000 at a time).
        m.create_index(
            Index::create()
                .name("idx_import_updates_lead")
                .table(ImportUpdates::Table)
                .col(ImportUpdates::LeadId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ImportUpdates::Table).to_owned()).await
    }
}
