//! The board's column headers and the dashboard's funnel total each stage's live leads and their
//! planned investment. SQLite read the whole `leads` table for that (1.24 s at 300,000 leads,
//! 2 cores); this partial index holds just those columns, so it is scanned instead (0.08 s).
//! SQLite treats a partial index as covering only when the query's own `deleted_at` test is among
//! its columns, hence the last one. SQLite only, as the map's index (migration 19): PostgreSQL
//! counts in parallel without it, and there every write of these columns would also pay for it.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() != sea_orm_migration::sea_orm::DatabaseBackend::Sqlite {
            return Ok(());
        }
        m.get_connection()
            .execute_unprepared(
                "CREATE INDEX idx_leads_stage_totals ON leads (stage, planned_investment_wan, deleted_at) \
                 WHERE deleted_at IS NULL",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection().execute_unprepared("DROP INDEX IF EXISTS idx_leads_stage_totals").await?;
        Ok(())
    }
}
