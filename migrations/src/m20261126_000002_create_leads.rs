use super::id_col;
use super::m20261126_000001_create_users_and_sessions::Users;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
pub enum Leads {
    Table,
    Id,
    CompanyName,
    NameKey,
    Uscc,
    RegionCode,
    ProvinceCode,
    CityCode,
    RegionGroup,
    NanjingMetro,
    Industry,
    Sector,
    PlannedInvestmentWan,
    LandMu,
    AnnualOutputWan,
    AnnualTaxWan,
    Jobs,
    Channel,
    Stage,
    OwnerId,
    Notes,
    Version,
    CreatedBy,
    UpdatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum LeadContacts {
    Table,
    Id,
    LeadId,
    Position,
    Name,
    Title,
    Phone,
    Email,
}

/// Every filter and sort the lead list offers has an index here.
const INDEXED: &[(&str, &[Leads])] = &[
    ("idx_leads_name_key", &[Leads::NameKey]),
    ("idx_leads_region_group", &[Leads::RegionGroup, Leads::UpdatedAt]),
    ("idx_leads_province", &[Leads::ProvinceCode]),
    ("idx_leads_city", &[Leads::CityCode]),
    ("idx_leads_industry", &[Leads::Industry, Leads::UpdatedAt]),
    ("idx_leads_stage", &[Leads::Stage, Leads::UpdatedAt]),
    ("idx_leads_channel", &[Leads::Channel, Leads::UpdatedAt]),
    ("idx_leads_owner", &[Leads::OwnerId, Leads::UpdatedAt]),
    ("idx_leads_created_by", &[Leads::CreatedBy, Leads::UpdatedAt]),
    ("idx_leads_updated_at", &[Leads::UpdatedAt]),
    ("idx_leads_created_at", &[Leads::CreatedAt]),
    ("idx_leads_company_name", &[Leads::CompanyName]),
    ("idx_leads_investment", &[Leads::PlannedInvestmentWan]),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Leads::Table)
                .col(id_col(Leads::Id))
                .col(ColumnDef::new(Leads::CompanyName).string_len(200).not_null())
                .col(ColumnDef::new(Leads::NameKey).string_len(200).not_null())
                .col(ColumnDef::new(Leads::Uscc).string_len(18).null().unique_key())
                .col(ColumnDef::new(Leads::RegionCode).string_len(8).not_null())
                .col(ColumnDef::new(Leads::ProvinceCode).string_len(2).null())
                .col(ColumnDef::new(Leads::CityCode).string_len(4).null())
                .col(ColumnDef::new(Leads::RegionGroup).string_len(16).not_null())
                .col(ColumnDef::new(Leads::NanjingMetro).boolean().not_null().default(false))
                .col(ColumnDef::new(Leads::Industry).string_len(32).not_null())
                .col(ColumnDef::new(Leads::Sector).string_len(48).null())
                .col(ColumnDef::new(Leads::PlannedInvestmentWan).double().null())
                .col(ColumnDef::new(Leads::LandMu).double().null())
                .col(ColumnDef::new(Leads::AnnualOutputWan).double().null())
                .col(ColumnDef::new(Leads::AnnualTaxWan).double().null())
                .col(ColumnDef::new(Leads::Jobs).integer().null())
                .col(ColumnDef::new(Leads::Channel).string_len(16).not_null())
                .col(ColumnDef::new(Leads::Stage).string_len(16).not_null())
                .col(ColumnDef::new(Leads::OwnerId).big_integer().null())
                .col(ColumnDef::new(Leads::Notes).text().not_null().default(""))
                .col(ColumnDef::new(Leads::Version).integer().not_null().default(1))
                .col(ColumnDef::new(Leads::CreatedBy).big_integer().not_null())
                .col(ColumnDef::new(Leads::UpdatedBy).big_integer().not_null())
                .col(ColumnDef::new(Leads::CreatedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(Leads::UpdatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(ForeignKey::create().from(Leads::Table, Leads::OwnerId).to(Users::Table, Users::Id))
                .foreign_key(ForeignKey::create().from(Leads::Table, Leads::CreatedBy).to(Users::Table, Users::Id))
                .foreign_key(ForeignKey::create().from(Leads::Table, Leads::UpdatedBy).to(Users::Table, Users::Id))
                .to_owned(),
        )
        .await?;
        for (name, cols) in INDEXED {
            let mut idx = Index::create();
            idx.name(*name).table(Leads::Table);
            for c in cols.iter() {
                idx.col(*c);
            }
            m.create_index(idx.to_owned()).await?;
        }

        m.create_table(
            Table::create()
                .table(LeadContacts::Table)
                .col(id_col(LeadContacts::Id))
                .col(ColumnDef::new(LeadContacts::LeadId).big_integer().not_null())
                .col(ColumnDef::new(LeadContacts::Position).integer().not_null())
                .col(ColumnDef::new(LeadContacts::Name).string_len(100).not_null())
                .col(ColumnDef::new(LeadContacts::Title).string_len(100).not_null().default(""))
                .col(ColumnDef::new(LeadContacts::Phone).string_len(40).not_null().default(""))
                .col(ColumnDef::new(LeadContacts::Email).string_len(254).not_null().default(""))
                .foreign_key(
                    ForeignKey::create()
                        .from(LeadContacts::Table, LeadContacts::LeadId)
                        .to(Leads::Table, Leads::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_lead_contacts_lead")
                .table(LeadContacts::Table)
                .col(LeadContacts::LeadId)
                .col(LeadContacts::Position)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(LeadContacts::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(Leads::Table).to_owned()).await
    }
}
