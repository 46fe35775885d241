//! 项目建设计划 after 签约: the office's milestone template (注册 … 纳统, with default durations
//! and the pipeline stage each one stands for) and each project's milestones (planned and actual
//! dates, the department and person in charge, the 问题清单 entry opened when it ran late).

use super::id_col;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum MilestoneKinds {
    Table,
    Id,
    Code,
    Name,
    Position,
    Days,
    Stage,
    Category,
    Archived,
}

#[derive(DeriveIden)]
enum ProjectMilestones {
    Table,
    Id,
    LeadId,
    KindId,
    PlannedOn,
    DoneOn,
    Department,
    Owner,
    ProblemId,
    DoneBy,
    DoneAt,
    UpdatedBy,
    UpdatedAt,
}

/// The template as the plan lays it out: code, days after the milestone before it, the stage it
/// stands for, and the 问题清单 category an overdue one opens under.
const TEMPLATE: [(&str, i32, Option<&str>, &str); 9] = [
    ("register", 0, Some("registered"), "approval"),
    ("land", 90, Some("land"), "land"),
    ("planning_permit", 30, None, "approval"),
    ("construction_permit", 30, None, "approval"),
    ("start", 15, Some("construction"), "other"),
    ("completion", 365, None, "other"),
    ("production", 60, Some("production"), "other"),
    ("full_output", 365, None, "other"),
    ("statistics", 30, None, "other"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(MilestoneKinds::Table)
                .col(id_col(MilestoneKinds::Id))
                .col(ColumnDef::new(MilestoneKinds::Code).string_len(40).not_null().unique_key())
                .col(ColumnDef::new(MilestoneKinds::Name).string_len(100).not_null().default(""))
                .col(ColumnDef::new(MilestoneKinds::Position).integer().not_null())
                .col(ColumnDef::new(MilestoneKinds::Days).integer().not_null())
                .col(ColumnDef::new(MilestoneKinds::Stage).string_len(32).null())
                .col(ColumnDef::new(MilestoneKinds::Category).string_len(32).not_null())
                .col(ColumnDef::new(MilestoneKinds::Archived).boolean().not_null().default(false))
                .to_owned(),
        )
        .await?;
        for (i, (code, days, stage, category)) in TEMPLATE.into_iter().enumerate() {
            m.exec_stmt(
                Query::insert()
                    .into_table(MilestoneKinds::Table)
                    .columns([
                        MilestoneKinds::Code,
                        MilestoneKinds::Position,
                        MilestoneKinds::Days,
                        MilestoneKinds::Stage,
                        MilestoneKinds::Category,
                    ])
                    .values_panic([
                        code.into(),
                        (i as i32 + 1).into(),
                        days.into(),
                        stage.map(str::to_string).into(),
                        category.into(),
                    ])
                    .to_owned(),
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table(ProjectMilestones::Table)
                .col(id_col(ProjectMilestones::Id))
                .col(ColumnDef::new(ProjectMilestones::LeadId).big_integer().not_null())
                .col(ColumnDef::new(ProjectMilestones::KindId).big_integer().not_null())
                .col(ColumnDef::new(ProjectMilestones::PlannedOn).date().null())
                .col(ColumnDef::new(ProjectMilestones::DoneOn).date().null())
                .col(ColumnDef::new(ProjectMilestones::Department).string_len(100).not_null().default(""))
                .col(ColumnDef::new(ProjectMilestones::Owner).string_len(100).not_null().default(""))
                .col(ColumnDef::new(ProjectMilestones::ProblemId).big_integer().null())
                .col(ColumnDef::new(ProjectMilestones::DoneBy).big_integer().null())
                .col(ColumnDef::new(ProjectMilestones::DoneAt).timestamp_with_time_zone().null())
                .col(ColumnDef::new(ProjectMilestones::UpdatedBy).big_integer().not_null())
                .col(ColumnDef::new(ProjectMilestones::UpdatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(ProjectMilestones::Table, ProjectMilestones::KindId)
                        .to(MilestoneKinds::Table, MilestoneKinds::Id),
                )
                .to_owned(),
        )
        .await?;
        // One row per project and milestone; the plan reads by lead.
        m.create_index(
            Index::create()
                .name("ux_project_milestones_lead_kind")
                .table(ProjectMilestones::Table)
                .col(ProjectMilestones::LeadId)
                .col(ProjectMilestones::KindId)
                .unique()
                .to_owned(),
        )
        .await?;
        // 应开未开 and the overdue sweep: milestones of a kind not done, by planned date.
        m.create_index(
            Index::create()
                .name("ix_project_milestones_due")
                .table(ProjectMilestones::Table)
                .col(ProjectMilestones::DoneOn)
                .col(ProjectMilestones::PlannedOn)
                .col(ProjectMilestones::KindId)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ProjectMilestones::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(MilestoneKinds::Table).to_owned()).await
    }
}
