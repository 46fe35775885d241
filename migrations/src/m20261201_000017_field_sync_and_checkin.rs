//! 外出招商 on a phone: a receipt per synced item (its idempotency key, so a queued report, lead
//! or check-in is applied exactly once however often the phone sends it), and a visit's check-in
//! (签到: the phone's and the server's time, the position if the user allowed it, and a flag when
//! it does not match the visit's city).

use super::id_col;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SyncReceipts {
    Table,
    Id,
    IdemKey,
    UserId,
    Kind,
    Result,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Visits {
    Table,
    CheckinAt,
    CheckinServerAt,
    CheckinBy,
    CheckinLat,
    CheckinLng,
    CheckinAccuracyM,
    CheckinCity,
    CheckinFlag,
}

fn visit_columns() -> Vec<ColumnDef> {
    vec![
        ColumnDef::new(Visits::CheckinAt).timestamp_with_time_zone().null().to_owned(),
        ColumnDef::new(Visits::CheckinServerAt).timestamp_with_time_zone().null().to_owned(),
        ColumnDef::new(Visits::CheckinBy).big_integer().null().to_owned(),
        ColumnDef::new(Visits::CheckinLat).double().null().to_owned(),
        ColumnDef::new(Visits::CheckinLng).double().null().to_owned(),
        ColumnDef::new(Visits::CheckinAccuracyM).double().null().to_owned(),
        ColumnDef::new(Visits::CheckinCity).string_len(12).not_null().default("").to_owned(),
        ColumnDef::new(Visits::CheckinFlag).string_len(200).not_null().default("").to_owned(),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(SyncReceipts::Table)
                .col(id_col(SyncReceipts::Id))
                .col(ColumnDef::new(SyncReceipts::IdemKey).string_len(64).not_null())
                .col(ColumnDef::new(SyncReceipts::UserId).big_integer().not_null())
                .col(ColumnDef::new(SyncReceipts::Kind).string_len(32).not_null())
                .col(ColumnDef::new(SyncReceipts::Result).text().not_null())
                .col(ColumnDef::new(SyncReceipts::CreatedAt).timestamp_with_time_zone().not_null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_sync_receipts_key")
                .table(SyncReceipts::Table)
                .col(SyncReceipts::IdemKey)
                .unique()
                .to_owned(),
        )
        .await?;
        // SQLite takes one column per ALTER TABLE.
        for col in visit_columns() {
            m.alter_table(Table::alter().table(Visits::Table).add_column(col).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in visit_columns().into_iter().rev() {
            let name = col.get_column_name();
            m.alter_table(Table::alter().table(Visits::Table).drop_column(Alias::new(name)).to_owned()).await?;
        }
        m.drop_table(Table::drop().table(SyncReceipts::Table).to_owned()).await
    }
}
