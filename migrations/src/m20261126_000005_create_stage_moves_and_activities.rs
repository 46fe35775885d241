//! The pipeline's record: every stage move (who, when, from → to, comment/reason), the signed
//! commitments (承诺) entered at 签约, and the activity log (跟进记录) with next steps.

use super::id_col;
use super::m20261126_000001_create_users_and_sessions::Users;
use super::m20261126_000002_create_leads::Leads;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum StageMoves {
    Table,
    Id,
    LeadId,
    FromStage,
    ToStage,
    Comment,
    Reason,
    ResumeOn,
    MovedBy,
    MovedAt,
}

#[derive(DeriveIden)]
enum Commitments {
    Table,
    LeadId,
    InvestmentWan,
    LandMu,
    OutputWan,
    TaxWan,
    StartOn,
    RecordedBy,
    RecordedAt,
}

#[derive(DeriveIden)]
enum Activities {
    Table,
    Id,
    LeadId,
    Kind,
    HappenedOn,
    Participants,
    Summary,
    NextStep,
    NextDue,
    NextDone,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum LeadStage {
    StageChangedAt,
}

fn user_fk(table: impl IntoIden + 'static, col: impl IntoIden + 'static) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(table, col).to(Users::Table, Users::Id).to_owned()
}

fn lead_fk(table: impl IntoIden + 'static, col: impl IntoIden + 'static) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(table, col).to(Leads::Table, Leads::Id).on_delete(ForeignKeyAction::Cascade).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(StageMoves::Table)
                .col(id_col(StageMoves::Id))
                .col(ColumnDef::new(StageMoves::LeadId).big_integer().not_null())
                .col(ColumnDef::new(StageMoves::FromStage).string_len(16).not_null())
                .col(ColumnDef::new(StageMoves::ToStage).string_len(16).not_null())
                .col(ColumnDef::new(StageMoves::Comment).text().not_null().default(""))
                .col(ColumnDef::new(StageMoves::Reason).string_len(32).null())
                .col(ColumnDef::new(StageMoves::ResumeOn).date().null())
                .col(ColumnDef::new(StageMoves::MovedBy).big_integer().not_null())
                .col(ColumnDef::new(StageMoves::MovedAt).timestamp_with_time_zone().not_null())
                .foreign_key(&mut lead_fk(StageMoves::Table, StageMoves::LeadId))
                .foreign_key(&mut user_fk(StageMoves::Table, StageMoves::MovedBy))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_stage_moves_lead")
                .table(StageMoves::Table)
                .col(StageMoves::LeadId)
                .col(StageMoves::MovedAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Commitments::Table)
                .col(ColumnDef::new(Commitments::LeadId).big_integer().not_null().primary_key())
                .col(ColumnDef::new(Commitments::InvestmentWan).double().not_null())
                .col(ColumnDef::new(Commitments::LandMu).double().null())
                .col(ColumnDef::new(Commitments::OutputWan).double().null())
                .col(ColumnDef::new(Commitments::TaxWan).double().null())
                .col(ColumnDef::new(Commitments::StartOn).date().null())
                .col(ColumnDef::new(Commitments::RecordedBy).big_integer().not_null())
                .col(ColumnDef::new(Commitments::RecordedAt).timestamp_with_time_zone().not_null())
                .foreign_key(&mut lead_fk(Commitments::Table, Commitments::LeadId))
                .foreign_key(&mut user_fk(Commitments::Table, Commitments::RecordedBy))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Activities::Table)
                .col(id_col(Activities::Id))
                .col(ColumnDef::new(Activities::LeadId).big_integer().not_null())
                .col(ColumnDef::new(Activities::Kind).string_len(16).not_null())
                .col(ColumnDef::new(Activities::HappenedOn).date().not_null())
                .col(ColumnDef::new(Activities::Participants).string_len(500).not_null().default(""))
                .col(ColumnDef::new(Activities::Summary).text().not_null())
                .col(ColumnDef::new(Activities::NextStep).string_len(500).not_null().default(""))
                .col(ColumnDef::new(Activities::NextDue).date().null())
                .col(ColumnDef::new(Activities::NextDone).boolean().not_null().default(false))
                .col(ColumnDef::new(Activities::CreatedBy).big_integer().not_null())
                .col(ColumnDef::new(Activities::CreatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(&mut lead_fk(Activities::Table, Activities::LeadId))
                .foreign_key(&mut user_fk(Activities::Table, Activities::CreatedBy))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_activities_lead")
                .table(Activities::Table)
                .col(Activities::LeadId)
                .col(Activities::HappenedOn)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_activities_next_due")
                .table(Activities::Table)
                .col(Activities::NextDone)
                .col(Activities::NextDue)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Leads::Table)
                .add_column(ColumnDef::new(LeadStage::StageChangedAt).timestamp_with_time_zone().null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Leads::Table).drop_column(LeadStage::StageChangedAt).to_owned()).await?;
        m.drop_table(Table::drop().table(Activities::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(Commitments::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(StageMoves::Table).to_owned()).await
    }
}
