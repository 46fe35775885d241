//! PostgreSQL only: the list sorts scores and amounts highest first with the leads that have none
//! last (`DESC NULLS LAST`), an order a plain ascending index (NULLS LAST) cannot give by walking
//! it backwards (that gives NULLS FIRST). So 长三角 by score fetched every match and sorted it
//! (parallel scan of 100,000 leads, 32 ms a page; 1.2 s p50 at 32 connections in `make bench`);
//! on this index it walks ~1,000 entries (1.2 ms). SQLite sorts NULLs first ascending and so last
//! descending: its plain indexes already serve `DESC`, and nothing changes there.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (name, columns)
const DESC_SORTS: [(&str, &str); 2] = [
    ("idx_leads_score_desc", "score DESC NULLS LAST, id DESC"),
    ("idx_leads_investment_desc", "planned_investment_wan DESC NULLS LAST, id DESC"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = m.get_connection();
        for (name, columns) in DESC_SORTS {
            db.execute_unprepared(&format!("CREATE INDEX IF NOT EXISTS {name} ON leads ({columns})")).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = m.get_connection();
        for (name, _) in DESC_SORTS {
            db.execute_unprepared(&format!("DROP INDEX IF EXISTS {name}")).await?;
        }
        Ok(())
    }
}
