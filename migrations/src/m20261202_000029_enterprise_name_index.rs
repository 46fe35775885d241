//! Local enterprises (在区企业) are found by name: the chain map and the lead page offer them as
//! the name is typed (链主 first, then by name) and take the full name typed, where they used to
//! list the whole registry. These indexes serve that order and that lookup; an office's registry
//! may hold tens of thousands of enterprises.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Enterprises {
    Table,
    IsLeader,
    Name,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name("idx_enterprises_leader_name")
                .table(Enterprises::Table)
                // The chain map's order: 链主 first, then by name.
                .col((Enterprises::IsLeader, IndexOrder::Desc))
                .col(Enterprises::Name)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("idx_enterprises_name").table(Enterprises::Table).col(Enterprises::Name).to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("idx_enterprises_name").table(Enterprises::Table).to_owned()).await?;
        m.drop_index(Index::drop().name("idx_enterprises_leader_name").table(Enterprises::Table).to_owned()).await
    }
}
