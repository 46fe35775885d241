//! 集中开工/竣工: the zone's group start and completion events, and the projects in each.

use crate::id_col;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ProjectEvents {
    Table,
    Id,
    Kind,
    Name,
    HeldOn,
    Place,
    RecordedAt,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ProjectEventLeads {
    Table,
    EventId,
    LeadId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ProjectEvents::Table)
                .col(id_col(ProjectEvents::Id))
                .col(ColumnDef::new(ProjectEvents::Kind).string_len(16).not_null())
                .col(ColumnDef::new(ProjectEvents::Name).string_len(100).not_null())
                .col(ColumnDef::new(ProjectEvents::HeldOn).date().not_null())
                .col(ColumnDef::new(ProjectEvents::Place).string_len(100).not_null().default(""))
                .col(ColumnDef::new(ProjectEvents::RecordedAt).timestamp_with_time_zone().null())
                .col(ColumnDef::new(ProjectEvents::CreatedBy).big_integer().not_null())
                .col(ColumnDef::new(ProjectEvents::CreatedAt).timestamp_with_time_zone().not_null())
                .to_owned(),
        )
        .await?;
        // The list shows the events newest first.
        m.create_index(
            Index::create()
                .name("ix_project_events_held_on")
                .table(ProjectEvents::Table)
                .col(ProjectEvents::HeldOn)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ProjectEventLeads::Table)
                .col(ColumnDef::new(ProjectEventLeads::EventId).big_integer().not_null())
                .col(ColumnDef::new(ProjectEventLeads::LeadId).big_integer().not_null())
                .primary_key(Index::create().col(ProjectEventLeads::EventId).col(ProjectEventLeads::LeadId))
                .foreign_key(
                    ForeignKey::create()
                        .from(ProjectEventLeads::Table, ProjectEventLeads::EventId)
                        .to(ProjectEvents::Table, ProjectEvents::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        // A project's events.
        m.create_index(
            Index::create()
                .name("ix_project_event_leads_lead")
                .table(ProjectEventLeads::Table)
                .col(ProjectEventLeads::LeadId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ProjectEventLeads::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(ProjectEvents::Table).to_owned()).await
    }
}
