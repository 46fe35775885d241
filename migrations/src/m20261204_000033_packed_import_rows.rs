//! An import batch's rows kept compressed (`rows_packed`: deflate of the rows' JSON, written and
//! read as a stream) instead of as one JSON text: a 30 MB CSV's rows were a 35 MB text that the
//! upload held several times over (built, bound, written), and every preview parsed it whole.
//! Batches from before keep their `rows` text and are read as before.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ImportBatches {
    Table,
    RowsPacked,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(ImportBatches::Table)
                .add_column(ColumnDef::new(ImportBatches::RowsPacked).blob().null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(ImportBatches::Table).drop_column(ImportBatches::RowsPacked).to_owned())
            .await
    }
}
