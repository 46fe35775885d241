//! 周调度 comments (one per team and week) and 承诺履约: a signed project's actual investment,
//! output and tax per year, read against its commitments.

use super::id_col;
use super::m20261126_000001_create_users_and_sessions::Users;
use super::m20261126_000002_create_leads::Leads;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum WeeklyComments {
    Table,
    Id,
    TeamId,
    Week,
    Comment,
    AuthorId,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ProjectActuals {
    Table,
    Id,
    LeadId,
    Year,
    InvestmentWan,
    OutputWan,
    TaxWan,
    RecordedBy,
    RecordedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(WeeklyComments::Table)
                .col(id_col(WeeklyComments::Id))
                .col(ColumnDef::new(WeeklyComments::TeamId).big_integer().not_null())
                .col(ColumnDef::new(WeeklyComments::Week).string_len(8).not_null())
                .col(ColumnDef::new(WeeklyComments::Comment).text().not_null())
                .col(ColumnDef::new(WeeklyComments::AuthorId).big_integer().not_null())
                .col(ColumnDef::new(WeeklyComments::UpdatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(WeeklyComments::Table, WeeklyComments::AuthorId)
                        .to(Users::Table, Users::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_weekly_comments_team_week")
                .table(WeeklyComments::Table)
                .col(WeeklyComments::Week)
                .col(WeeklyComments::TeamId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ProjectActuals::Table)
                .col(id_col(ProjectActuals::Id))
                .col(ColumnDef::new(ProjectActuals::LeadId).big_integer().not_null())
                .col(ColumnDef::new(ProjectActuals::Year).integer().not_null())
                .col(ColumnDef::new(ProjectActuals::InvestmentWan).double().null())
                .col(ColumnDef::new(ProjectActuals::OutputWan).double().null())
                .col(ColumnDef::new(ProjectActuals::TaxWan).double().null())
                .col(ColumnDef::new(ProjectActuals::RecordedBy).big_integer().not_null())
                .col(ColumnDef::new(ProjectActuals::RecordedAt).timestamp_with_time_zone().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(ProjectActuals::Table, ProjectActuals::LeadId)
                        .to(Leads::Table, Leads::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_project_actuals_lead_year")
                .table(ProjectActuals::Table)
                .col(ProjectActuals::LeadId)
                .col(ProjectActuals::Year)
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ProjectActuals::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(WeeklyComments::Table).to_owned()).await
    }
}
