//! One e-mail rule (`domain::email`, 254 bytes per RFC 5321): users' and the mail queue's
//! address columns widen from 200 to 254 like lead contacts'. SQLite does not enforce a
//! VARCHAR length, so only PostgreSQL's columns change.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Email,
}

#[derive(DeriveIden)]
enum MailQueue {
    Table,
    ToAddr,
    FromAddr,
}

async fn widths(m: &SchemaManager<'_>, len: u32) -> Result<(), DbErr> {
    if m.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    m.alter_table(
        Table::alter()
            .table(Users::Table)
            .modify_column(ColumnDef::new(Users::Email).string_len(len).not_null().default(""))
            .to_owned(),
    )
    .await?;
    m.alter_table(
        Table::alter()
            .table(MailQueue::Table)
            .modify_column(ColumnDef::new(MailQueue::ToAddr).string_len(len).not_null())
            .modify_column(ColumnDef::new(MailQueue::FromAddr).string_len(len).not_null())
            .to_owned(),
    )
    .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        widths(m, 254).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        widths(m, 200).await
    }
}
