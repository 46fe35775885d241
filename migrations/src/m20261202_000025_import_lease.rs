//! An import commits in parts (each holds the write lock a moment, not the whole file): while it
//! runs, its batch carries a lease (`lease_until`) that each part renews. A running batch whose
//! lease has run out was cut off (a crash, `kill -9`): the next look undoes its parts.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ImportBatches {
    Table,
    LeaseUntil,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(ImportBatches::Table)
                .add_column(ColumnDef::new(ImportBatches::LeaseUntil).timestamp_with_time_zone().null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(ImportBatches::Table).drop_column(ImportBatches::LeaseUntil).to_owned())
            .await
    }
}
