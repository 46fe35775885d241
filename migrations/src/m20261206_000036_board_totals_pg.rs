//! The board's column headers (per stage: how many live leads, their planned investment) on
//! PostgreSQL. Migration 28 left PostgreSQL out ("it counts in parallel"), but in the bench's L1
//! (100 people, 100,000 leads, 2 cores) that parallel scan of every lead made `/kanban` the
//! slowest route there: p50 106 ms, p99 384 ms. With this partial index, holding the access
//! columns a staff member's board filters on, the totals are an index-only scan: 87–95 → 25–33 ms
//! at 200,000 leads (`EXPLAIN ANALYZE`, after `VACUUM`). PostgreSQL only: SQLite has
//! `idx_leads_stage_access_totals` (migration 32) for the same query.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        m.get_connection()
            .execute_unprepared(
                "CREATE INDEX idx_leads_stage_totals_pg ON leads \
                 (stage, planned_investment_wan, owner_id, created_by, team_id) WHERE deleted_at IS NULL",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        m.get_connection().execute_unprepared("DROP INDEX IF EXISTS idx_leads_stage_totals_pg").await?;
        Ok(())
    }
}
