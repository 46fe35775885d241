//! The index on `leads.deleted_at` matched nearly every row (`deleted_at IS NULL`), so the
//! planner used it for every list and then sorted all leads; the lists' own sort indexes went
//! unused. It becomes a partial index of the recycle bin only.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared("DROP INDEX IF EXISTS idx_leads_deleted_at").await?;
        db.execute_unprepared("CREATE INDEX idx_leads_trash ON leads (deleted_at) WHERE deleted_at IS NOT NULL")
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared("DROP INDEX IF EXISTS idx_leads_trash").await?;
        db.execute_unprepared("CREATE INDEX idx_leads_deleted_at ON leads (deleted_at)").await?;
        Ok(())
    }
}
