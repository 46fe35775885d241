//! 标准地 land contracts of signed projects: the area and the committed control indicators
//! (投资强度 万元/亩, 亩均税收, 亩均产出), signing, 达产 and review (复核) dates — read against the
//! project's actual figures for the 承诺履约 review and its early warning.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LandContracts {
    Table,
    LeadId,
    ContractNo,
    LandMu,
    Intensity,
    TaxPerMu,
    OutputPerMu,
    SignedOn,
    FullOutputOn,
    ReviewOn,
    RecordedBy,
    RecordedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(LandContracts::Table)
                .col(ColumnDef::new(LandContracts::LeadId).big_integer().not_null().primary_key())
                .col(ColumnDef::new(LandContracts::ContractNo).string_len(50).not_null().default(""))
                .col(ColumnDef::new(LandContracts::LandMu).double().not_null())
                .col(ColumnDef::new(LandContracts::Intensity).double().null())
                .col(ColumnDef::new(LandContracts::TaxPerMu).double().null())
                .col(ColumnDef::new(LandContracts::OutputPerMu).double().null())
                .col(ColumnDef::new(LandContracts::SignedOn).date().not_null())
                .col(ColumnDef::new(LandContracts::FullOutputOn).date().null())
                .col(ColumnDef::new(LandContracts::ReviewOn).date().not_null())
                .col(ColumnDef::new(LandContracts::RecordedBy).big_integer().not_null())
                .col(ColumnDef::new(LandContracts::RecordedAt).timestamp_with_time_zone().not_null())
                .to_owned(),
        )
        .await?;
        // The review list reads contracts by review date.
        m.create_index(
            Index::create()
                .name("ix_land_contracts_review")
                .table(LandContracts::Table)
                .col(LandContracts::ReviewOn)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(LandContracts::Table).to_owned()).await
    }
}
