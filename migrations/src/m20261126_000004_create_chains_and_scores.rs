//! Industry chains (产业链) and their nodes (环节), local enterprises (在区企业), leads placed on
//! nodes, the versioned fit-score configuration, and the score columns on leads.

use super::id_col;
use super::m20261126_000001_create_users_and_sessions::Users;
use super::m20261126_000002_create_leads::Leads;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum Chains {
    Table,
    Id,
    NameZh,
    NameEn,
    Industry,
    Description,
    SortOrder,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
pub enum ChainNodes {
    Table,
    Id,
    ChainId,
    NameZh,
    NameEn,
    /// upstream / midstream / downstream
    Position,
    SortOrder,
    Description,
}

#[derive(DeriveIden)]
pub enum Enterprises {
    Table,
    Id,
    Name,
    Uscc,
    IsLeader,
    Grade,
    CreatedAt,
}

#[derive(DeriveIden)]
enum EnterpriseNodes {
    Table,
    EnterpriseId,
    NodeId,
}

#[derive(DeriveIden)]
enum LeadNodes {
    Table,
    LeadId,
    NodeId,
    Role,
    SuppliesEnterpriseId,
}

#[derive(DeriveIden)]
enum ScoreConfigs {
    Table,
    Id,
    Config,
    Note,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum LeadScore {
    HighTech,
    Specialised,
    Listed,
    EnergyUse,
    Score,
    Grade,
    ScoreVersion,
}

fn fk(
    from: (impl IntoIden + 'static, impl IntoIden + 'static),
    to: (impl IntoIden + 'static, impl IntoIden + 'static),
    cascade: bool,
) -> ForeignKeyCreateStatement {
    let mut f = ForeignKey::create();
    f.from(from.0, from.1).to(to.0, to.1);
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
                .table(Chains::Table)
                .col(id_col(Chains::Id))
                .col(ColumnDef::new(Chains::NameZh).string_len(100).not_null())
                .col(ColumnDef::new(Chains::NameEn).string_len(100).not_null().default(""))
                .col(ColumnDef::new(Chains::Industry).string_len(32).not_null())
                .col(ColumnDef::new(Chains::Description).text().not_null().default(""))
                .col(ColumnDef::new(Chains::SortOrder).integer().not_null().default(0))
                .col(ColumnDef::new(Chains::CreatedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(Chains::UpdatedAt).timestamp_with_time_zone().not_null())
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ChainNodes::Table)
                .col(id_col(ChainNodes::Id))
                .col(ColumnDef::new(ChainNodes::ChainId).big_integer().not_null())
                .col(ColumnDef::new(ChainNodes::NameZh).string_len(100).not_null())
                .col(ColumnDef::new(ChainNodes::NameEn).string_len(100).not_null().default(""))
                .col(ColumnDef::new(ChainNodes::Position).string_len(16).not_null())
                .col(ColumnDef::new(ChainNodes::SortOrder).integer().not_null().default(0))
                .col(ColumnDef::new(ChainNodes::Description).text().not_null().default(""))
                .foreign_key(&mut fk((ChainNodes::Table, ChainNodes::ChainId), (Chains::Table, Chains::Id), true))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("idx_chain_nodes_chain").table(ChainNodes::Table).col(ChainNodes::ChainId).to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Enterprises::Table)
                .col(id_col(Enterprises::Id))
                .col(ColumnDef::new(Enterprises::Name).string_len(200).not_null())
                .col(ColumnDef::new(Enterprises::Uscc).string_len(18).null().unique_key())
                .col(ColumnDef::new(Enterprises::IsLeader).boolean().not_null().default(false))
                .col(ColumnDef::new(Enterprises::Grade).string_len(1).null())
                .col(ColumnDef::new(Enterprises::CreatedAt).timestamp_with_time_zone().not_null())
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(EnterpriseNodes::Table)
                .col(ColumnDef::new(EnterpriseNodes::EnterpriseId).big_integer().not_null())
                .col(ColumnDef::new(EnterpriseNodes::NodeId).big_integer().not_null())
                .primary_key(Index::create().col(EnterpriseNodes::EnterpriseId).col(EnterpriseNodes::NodeId))
                .foreign_key(&mut fk(
                    (EnterpriseNodes::Table, EnterpriseNodes::EnterpriseId),
                    (Enterprises::Table, Enterprises::Id),
                    true,
                ))
                .foreign_key(&mut fk(
                    (EnterpriseNodes::Table, EnterpriseNodes::NodeId),
                    (ChainNodes::Table, ChainNodes::Id),
                    true,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_enterprise_nodes_node")
                .table(EnterpriseNodes::Table)
                .col(EnterpriseNodes::NodeId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(LeadNodes::Table)
                .col(ColumnDef::new(LeadNodes::LeadId).big_integer().not_null())
                .col(ColumnDef::new(LeadNodes::NodeId).big_integer().not_null())
                .col(ColumnDef::new(LeadNodes::Role).string_len(16).not_null())
                .col(ColumnDef::new(LeadNodes::SuppliesEnterpriseId).big_integer().null())
                .primary_key(Index::create().col(LeadNodes::LeadId).col(LeadNodes::NodeId))
                .foreign_key(&mut fk((LeadNodes::Table, LeadNodes::LeadId), (Leads::Table, Leads::Id), true))
                .foreign_key(&mut fk((LeadNodes::Table, LeadNodes::NodeId), (ChainNodes::Table, ChainNodes::Id), true))
                .foreign_key(
                    ForeignKey::create()
                        .from(LeadNodes::Table, LeadNodes::SuppliesEnterpriseId)
                        .to(Enterprises::Table, Enterprises::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("idx_lead_nodes_node").table(LeadNodes::Table).col(LeadNodes::NodeId).to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ScoreConfigs::Table)
                .col(id_col(ScoreConfigs::Id))
                .col(ColumnDef::new(ScoreConfigs::Config).text().not_null())
                .col(ColumnDef::new(ScoreConfigs::Note).string_len(500).not_null().default(""))
                .col(ColumnDef::new(ScoreConfigs::CreatedBy).big_integer().null())
                .col(ColumnDef::new(ScoreConfigs::CreatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(&mut fk((ScoreConfigs::Table, ScoreConfigs::CreatedBy), (Users::Table, Users::Id), false))
                .to_owned(),
        )
        .await?;

        // SQLite takes one ALTER per column.
        let columns = [
            ColumnDef::new(LeadScore::HighTech).boolean().null().to_owned(),
            ColumnDef::new(LeadScore::Specialised).boolean().null().to_owned(),
            ColumnDef::new(LeadScore::Listed).boolean().null().to_owned(),
            ColumnDef::new(LeadScore::EnergyUse).string_len(8).null().to_owned(),
            ColumnDef::new(LeadScore::Score).double().null().to_owned(),
            ColumnDef::new(LeadScore::Grade).string_len(1).null().to_owned(),
            ColumnDef::new(LeadScore::ScoreVersion).big_integer().null().to_owned(),
        ];
        for mut col in columns {
            m.alter_table(Table::alter().table(Leads::Table).add_column(&mut col).to_owned()).await?;
        }
        m.create_index(Index::create().name("idx_leads_score").table(Leads::Table).col(LeadScore::Score).to_owned())
            .await?;
        m.create_index(
            Index::create()
                .name("idx_leads_grade_score")
                .table(Leads::Table)
                .col(LeadScore::Grade)
                .col(LeadScore::Score)
                .to_owned(),
        )
        .await?;
        super::seed_chains::seed(m).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("idx_leads_grade_score").table(Leads::Table).to_owned()).await?;
        m.drop_index(Index::drop().name("idx_leads_score").table(Leads::Table).to_owned()).await?;
        for col in [
            LeadScore::ScoreVersion,
            LeadScore::Grade,
            LeadScore::Score,
            LeadScore::EnergyUse,
            LeadScore::Listed,
            LeadScore::Specialised,
            LeadScore::HighTech,
        ] {
            m.alter_table(Table::alter().table(Leads::Table).drop_column(col).to_owned()).await?;
        }
        for t in [
            ScoreConfigs::Table.into_iden(),
            LeadNodes::Table.into_iden(),
            EnterpriseNodes::Table.into_iden(),
            Enterprises::Table.into_iden(),
            ChainNodes::Table.into_iden(),
            Chains::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
