//! 亩均效益评价 of the zone's enterprises: each year's imported figures per enterprise, the
//! versioned grading rules, the grades computed from them, and the figures files awaiting their
//! preview.

use crate::id_col;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Enterprises {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum EnterpriseFigures {
    Table,
    Id,
    EnterpriseId,
    Year,
    LandMu,
    TaxWan,
    RevenueWan,
    AddedValueWan,
    EnergyTce,
    RdWan,
    Employees,
    BatchId,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum EnterpriseGrades {
    Table,
    Id,
    EnterpriseId,
    Year,
    ConfigId,
    Score,
    Rank,
    Grade,
    NotRated,
    Breakdown,
    GradedAt,
}

#[derive(DeriveIden)]
enum EfficiencyConfigs {
    Table,
    Id,
    Config,
    Note,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum EfficiencyBatches {
    Table,
    Id,
    UserId,
    FileName,
    Year,
    Rows,
    RowCount,
    Status,
    Created,
    Updated,
    Failed,
    CreatedAt,
    FinishedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(EnterpriseFigures::Table)
                .col(id_col(EnterpriseFigures::Id))
                .col(ColumnDef::new(EnterpriseFigures::EnterpriseId).big_integer().not_null())
                .col(ColumnDef::new(EnterpriseFigures::Year).integer().not_null())
                .col(ColumnDef::new(EnterpriseFigures::LandMu).double().null())
                .col(ColumnDef::new(EnterpriseFigures::TaxWan).double().null())
                .col(ColumnDef::new(EnterpriseFigures::RevenueWan).double().null())
                .col(ColumnDef::new(EnterpriseFigures::AddedValueWan).double().null())
                .col(ColumnDef::new(EnterpriseFigures::EnergyTce).double().null())
                .col(ColumnDef::new(EnterpriseFigures::RdWan).double().null())
                .col(ColumnDef::new(EnterpriseFigures::Employees).double().null())
                .col(ColumnDef::new(EnterpriseFigures::BatchId).big_integer().null())
                .col(ColumnDef::new(EnterpriseFigures::UpdatedBy).big_integer().not_null())
                .col(ColumnDef::new(EnterpriseFigures::UpdatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(EnterpriseFigures::Table, EnterpriseFigures::EnterpriseId)
                        .to(Enterprises::Table, Enterprises::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        // One row per enterprise and year; grading reads a whole year.
        m.create_index(
            Index::create()
                .name("ux_enterprise_figures_year")
                .table(EnterpriseFigures::Table)
                .col(EnterpriseFigures::Year)
                .col(EnterpriseFigures::EnterpriseId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_enterprise_figures_enterprise")
                .table(EnterpriseFigures::Table)
                .col(EnterpriseFigures::EnterpriseId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(EnterpriseGrades::Table)
                .col(id_col(EnterpriseGrades::Id))
                .col(ColumnDef::new(EnterpriseGrades::EnterpriseId).big_integer().not_null())
                .col(ColumnDef::new(EnterpriseGrades::Year).integer().not_null())
                .col(ColumnDef::new(EnterpriseGrades::ConfigId).big_integer().not_null())
                .col(ColumnDef::new(EnterpriseGrades::Score).double().not_null())
                .col(ColumnDef::new(EnterpriseGrades::Rank).integer().null())
                .col(ColumnDef::new(EnterpriseGrades::Grade).string_len(1).null())
                .col(ColumnDef::new(EnterpriseGrades::NotRated).string_len(40).null())
                .col(ColumnDef::new(EnterpriseGrades::Breakdown).text().not_null())
                .col(ColumnDef::new(EnterpriseGrades::GradedAt).timestamp_with_time_zone().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(EnterpriseGrades::Table, EnterpriseGrades::EnterpriseId)
                        .to(Enterprises::Table, Enterprises::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        // The year's list by score (and its grade filter); one grade per enterprise and year.
        m.create_index(
            Index::create()
                .name("ix_enterprise_grades_year_score")
                .table(EnterpriseGrades::Table)
                .col(EnterpriseGrades::Year)
                .col(EnterpriseGrades::Score)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_enterprise_grades_year_grade")
                .table(EnterpriseGrades::Table)
                .col(EnterpriseGrades::Year)
                .col(EnterpriseGrades::Grade)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_enterprise_grades_enterprise_year")
                .table(EnterpriseGrades::Table)
                .col(EnterpriseGrades::EnterpriseId)
                .col(EnterpriseGrades::Year)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(EfficiencyConfigs::Table)
                .col(id_col(EfficiencyConfigs::Id))
                .col(ColumnDef::new(EfficiencyConfigs::Config).text().not_null())
                .col(ColumnDef::new(EfficiencyConfigs::Note).string_len(200).not_null().default(""))
                .col(ColumnDef::new(EfficiencyConfigs::CreatedBy).big_integer().null())
                .col(ColumnDef::new(EfficiencyConfigs::CreatedAt).timestamp_with_time_zone().not_null())
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(EfficiencyBatches::Table)
                .col(id_col(EfficiencyBatches::Id))
                .col(ColumnDef::new(EfficiencyBatches::UserId).big_integer().not_null())
                .col(ColumnDef::new(EfficiencyBatches::FileName).string_len(200).not_null())
                .col(ColumnDef::new(EfficiencyBatches::Year).integer().not_null())
                .col(ColumnDef::new(EfficiencyBatches::Rows).text().not_null())
                .col(ColumnDef::new(EfficiencyBatches::RowCount).integer().not_null())
                .col(ColumnDef::new(EfficiencyBatches::Status).string_len(16).not_null())
                .col(ColumnDef::new(EfficiencyBatches::Created).integer().not_null().default(0))
                .col(ColumnDef::new(EfficiencyBatches::Updated).integer().not_null().default(0))
                .col(ColumnDef::new(EfficiencyBatches::Failed).integer().not_null().default(0))
                .col(ColumnDef::new(EfficiencyBatches::CreatedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(EfficiencyBatches::FinishedAt).timestamp_with_time_zone().null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            EfficiencyBatches::Table.into_iden(),
            EfficiencyConfigs::Table.into_iden(),
            EnterpriseGrades::Table.into_iden(),
            EnterpriseFigures::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
