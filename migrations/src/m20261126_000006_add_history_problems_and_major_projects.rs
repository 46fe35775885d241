//! Field history (审计) with the version each change produced, soft delete (回收站), 重大项目
//! fields (flag, 包保领导, lead department), and the problem list (问题清单) with its updates.

use super::id_col;
use super::m20261126_000001_create_users_and_sessions::Users;
use super::m20261126_000002_create_leads::Leads;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LeadChanges {
    Table,
    Id,
    LeadId,
    Version,
    Field,
    OldValue,
    NewValue,
    ChangedBy,
    ChangedAt,
}

#[derive(DeriveIden)]
enum Problems {
    Table,
    Id,
    LeadId,
    Category,
    Description,
    Department,
    Responsible,
    Deadline,
    Status,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ProblemUpdates {
    Table,
    Id,
    ProblemId,
    Note,
    Status,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum LeadExtra {
    DeletedAt,
    DeletedBy,
    MajorFlag,
    LeaderInChargeId,
    LeadDepartment,
}

fn fk(
    table: impl IntoIden + 'static,
    col: impl IntoIden + 'static,
    to: impl IntoIden + 'static,
    to_col: impl IntoIden + 'static,
    cascade: bool,
) -> ForeignKeyCreateStatement {
    let mut f = ForeignKey::create();
    f.from(table, col).to(to, to_col);
    if cascade {
        f.on_delete(ForeignKeyAction::Cascade);
    }
    f.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(LeadChanges::Table)
                .col(id_col(LeadChanges::Id))
                .col(ColumnDef::new(LeadChanges::LeadId).big_integer().not_null())
                .col(ColumnDef::new(LeadChanges::Version).integer().not_null())
                .col(ColumnDef::new(LeadChanges::Field).string_len(48).not_null())
                .col(ColumnDef::new(LeadChanges::OldValue).text().not_null())
                .col(ColumnDef::new(LeadChanges::NewValue).text().not_null())
                .col(ColumnDef::new(LeadChanges::ChangedBy).big_integer().not_null())
                .col(ColumnDef::new(LeadChanges::ChangedAt).timestamp_with_time_zone().not_null())
                .foreign_key(&mut fk(LeadChanges::Table, LeadChanges::LeadId, Leads::Table, Leads::Id, true))
                .foreign_key(&mut fk(LeadChanges::Table, LeadChanges::ChangedBy, Users::Table, Users::Id, false))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_lead_changes_lead")
                .table(LeadChanges::Table)
                .col(LeadChanges::LeadId)
                .col(LeadChanges::Version)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Problems::Table)
                .col(id_col(Problems::Id))
                .col(ColumnDef::new(Problems::LeadId).big_integer().not_null())
                .col(ColumnDef::new(Problems::Category).string_len(16).not_null())
                .col(ColumnDef::new(Problems::Description).text().not_null())
                .col(ColumnDef::new(Problems::Department).string_len(100).not_null().default(""))
                .col(ColumnDef::new(Problems::Responsible).string_len(100).not_null().default(""))
                .col(ColumnDef::new(Problems::Deadline).date().null())
                .col(ColumnDef::new(Problems::Status).string_len(16).not_null())
                .col(ColumnDef::new(Problems::CreatedBy).big_integer().not_null())
                .col(ColumnDef::new(Problems::CreatedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(Problems::UpdatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(&mut fk(Problems::Table, Problems::LeadId, Leads::Table, Leads::Id, true))
                .foreign_key(&mut fk(Problems::Table, Problems::CreatedBy, Users::Table, Users::Id, false))
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            ("idx_problems_lead", vec![Problems::LeadId]),
            ("idx_problems_status_deadline", vec![Problems::Status, Problems::Deadline]),
            ("idx_problems_category", vec![Problems::Category, Problems::Deadline]),
        ] {
            let mut idx = Index::create();
            idx.name(name).table(Problems::Table);
            for c in cols {
                idx.col(c);
            }
            m.create_index(idx.to_owned()).await?;
        }
        m.create_table(
            Table::create()
                .table(ProblemUpdates::Table)
                .col(id_col(ProblemUpdates::Id))
                .col(ColumnDef::new(ProblemUpdates::ProblemId).big_integer().not_null())
                .col(ColumnDef::new(ProblemUpdates::Note).text().not_null())
                .col(ColumnDef::new(ProblemUpdates::Status).string_len(16).not_null())
                .col(ColumnDef::new(ProblemUpdates::CreatedBy).big_integer().not_null())
                .col(ColumnDef::new(ProblemUpdates::CreatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(&mut fk(
                    ProblemUpdates::Table,
                    ProblemUpdates::ProblemId,
                    Problems::Table,
                    Problems::Id,
                    true,
                ))
                .foreign_key(&mut fk(ProblemUpdates::Table, ProblemUpdates::CreatedBy, Users::Table, Users::Id, false))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_problem_updates_problem")
                .table(ProblemUpdates::Table)
                .col(ProblemUpdates::ProblemId)
                .to_owned(),
        )
        .await?;
        let columns = [
            ColumnDef::new(LeadExtra::DeletedAt).timestamp_with_time_zone().null().to_owned(),
            ColumnDef::new(LeadExtra::DeletedBy).big_integer().null().to_owned(),
            ColumnDef::new(LeadExtra::MajorFlag).boolean().not_null().default(false).to_owned(),
            ColumnDef::new(LeadExtra::LeaderInChargeId).big_integer().null().to_owned(),
            ColumnDef::new(LeadExtra::LeadDepartment).string_len(100).not_null().default("").to_owned(),
        ];
        for mut col in columns {
            m.alter_table(Table::alter().table(Leads::Table).add_column(&mut col).to_owned()).await?;
        }
        m.create_index(
            Index::create().name("idx_leads_deleted_at").table(Leads::Table).col(LeadExtra::DeletedAt).to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("idx_leads_deleted_at").table(Leads::Table).to_owned()).await?;
        for col in [
            LeadExtra::LeadDepartment,
            LeadExtra::LeaderInChargeId,
            LeadExtra::MajorFlag,
            LeadExtra::DeletedBy,
            LeadExtra::DeletedAt,
        ] {
            m.alter_table(Table::alter().table(Leads::Table).drop_column(col).to_owned()).await?;
        }
        m.drop_table(Table::drop().table(ProblemUpdates::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(Problems::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(LeadChanges::Table).to_owned()).await
    }
}
