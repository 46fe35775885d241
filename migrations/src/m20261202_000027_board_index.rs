//! The board (看板) shows each stage's best-scored live leads. Without an index in that order the
//! database sorted every lead of a stage for each column (209,000 in 意向线索 at 200,000 leads);
//! with it each column reads its first cards. PostgreSQL walks an index backwards with its NULLs
//! first, so there the index is declared in the board's own order (score descending, NULLs last).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let on = match m.get_database_backend() {
            sea_orm_migration::sea_orm::DatabaseBackend::Postgres => "(stage, score DESC NULLS LAST, id DESC)",
            _ => "(stage, score, id)",
        };
        m.get_connection()
            .execute_unprepared(&format!("CREATE INDEX idx_leads_stage_score ON leads {on} WHERE deleted_at IS NULL"))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection().execute_unprepared("DROP INDEX IF EXISTS idx_leads_stage_score").await?;
        Ok(())
    }
}
