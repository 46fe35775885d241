//! 前期手续 of a signed project (帮办代办): each approval the project needs before it can start —
//! 审批/核准/备案, 规划选址, 用地, 环评, 能评, 七通一平 and any the office adds — with the department,
//! the office's 帮办代办 person, the due date, its status, the documents noted, and the 问题清单
//! entry opened when it ran late.

use super::id_col;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ProjectProcedures {
    Table,
    Id,
    LeadId,
    Code,
    Name,
    Department,
    Agent,
    DueOn,
    Status,
    Documents,
    ProblemId,
    UpdatedBy,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ProjectProcedures::Table)
                .col(id_col(ProjectProcedures::Id))
                .col(ColumnDef::new(ProjectProcedures::LeadId).big_integer().not_null())
                .col(ColumnDef::new(ProjectProcedures::Code).string_len(40).not_null())
                .col(ColumnDef::new(ProjectProcedures::Name).string_len(100).not_null().default(""))
                .col(ColumnDef::new(ProjectProcedures::Department).string_len(100).not_null().default(""))
                .col(ColumnDef::new(ProjectProcedures::Agent).string_len(100).not_null().default(""))
                .col(ColumnDef::new(ProjectProcedures::DueOn).date().null())
                .col(ColumnDef::new(ProjectProcedures::Status).string_len(16).not_null())
                .col(ColumnDef::new(ProjectProcedures::Documents).string_len(2000).not_null().default(""))
                .col(ColumnDef::new(ProjectProcedures::ProblemId).big_integer().null())
                .col(ColumnDef::new(ProjectProcedures::UpdatedBy).big_integer().not_null())
                .col(ColumnDef::new(ProjectProcedures::UpdatedAt).timestamp_with_time_zone().not_null())
                .to_owned(),
        )
        .await?;
        // One row per project and item; the plan reads by lead.
        m.create_index(
            Index::create()
                .name("ux_project_procedures_lead_code")
                .table(ProjectProcedures::Table)
                .col(ProjectProcedures::LeadId)
                .col(ProjectProcedures::Code)
                .unique()
                .to_owned(),
        )
        .await?;
        // The overdue sweep: items by status and due date.
        m.create_index(
            Index::create()
                .name("ix_project_procedures_due")
                .table(ProjectProcedures::Table)
                .col(ProjectProcedures::Status)
                .col(ProjectProcedures::DueOn)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ProjectProcedures::Table).to_owned()).await
    }
}
