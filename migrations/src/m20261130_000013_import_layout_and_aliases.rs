//! 导入: how a file was read (which sheet, which header row, the unit note, each row's number)
//! and the file itself while its preview is open, so the user can switch sheet or header row;
//! and the office's own words for enumerated values (`value_aliases`: `节能环保` → 节能环保及新材料).

use super::id_col;
use super::m20261126_000001_create_users_and_sessions::Users;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ImportBatches {
    Table,
    Layout,
    Source,
}

#[derive(DeriveIden)]
enum ValueAliases {
    Table,
    Id,
    Field,
    Alias,
    AliasKey,
    Code,
    CreatedBy,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(ImportBatches::Table)
                .add_column(ColumnDef::new(ImportBatches::Layout).text().null())
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(ImportBatches::Table)
                .add_column(ColumnDef::new(ImportBatches::Source).blob().null())
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ValueAliases::Table)
                .col(id_col(ValueAliases::Id))
                .col(ColumnDef::new(ValueAliases::Field).string_len(16).not_null())
                .col(ColumnDef::new(ValueAliases::Alias).string_len(100).not_null())
                .col(ColumnDef::new(ValueAliases::AliasKey).string_len(100).not_null())
                .col(ColumnDef::new(ValueAliases::Code).string_len(64).not_null())
                .col(ColumnDef::new(ValueAliases::CreatedBy).big_integer().not_null())
                .col(ColumnDef::new(ValueAliases::CreatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(ValueAliases::Table, ValueAliases::CreatedBy)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        // One meaning per word and field; the admin list is sorted by field, then word.
        m.create_index(
            Index::create()
                .name("idx_value_aliases_field_key")
                .table(ValueAliases::Table)
                .col(ValueAliases::Field)
                .col(ValueAliases::AliasKey)
                .unique()
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ValueAliases::Table).to_owned()).await?;
        m.alter_table(Table::alter().table(ImportBatches::Table).drop_column(ImportBatches::Source).to_owned()).await?;
        m.alter_table(Table::alter().table(ImportBatches::Table).drop_column(ImportBatches::Layout).to_owned()).await?;
        Ok(())
    }
}
