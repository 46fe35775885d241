//! One score index on SQLite instead of two: `idx_leads_score_grade` (score, id, grade) takes the
//! place of `idx_leads_score` (score) and `idx_leads_grade_score` (grade, score). (A new name: a
//! migration's statements may each run on another of the pool's connections, and one that had
//! not yet seen the old index dropped refused to create one of the same name.) A list sorted by score walks the new index in its
//! own order (score, then id as the list breaks ties) and, filtered by grade, tests the grade in
//! the index without reading the lead. A rescore that moves most scores builds every index on
//! the score again (`services::rescore`): one fewer is about 0.07 s of a 100,000-lead rescore, and
//! each imported or saved lead writes one index entry fewer. SQLite only: PostgreSQL sorts by
//! score on `idx_leads_score_desc` (migration 31) and keeps its indexes as they are.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() != DatabaseBackend::Sqlite {
            return Ok(());
        }
        let db = m.get_connection();
        db.execute_unprepared("CREATE INDEX IF NOT EXISTS idx_leads_score_grade ON leads (score, id, grade)").await?;
        db.execute_unprepared("DROP INDEX IF EXISTS idx_leads_grade_score").await?;
        db.execute_unprepared("DROP INDEX IF EXISTS idx_leads_score").await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() != DatabaseBackend::Sqlite {
            return Ok(());
        }
        let db = m.get_connection();
        db.execute_unprepared("CREATE INDEX IF NOT EXISTS idx_leads_score ON leads (score)").await?;
        db.execute_unprepared("CREATE INDEX IF NOT EXISTS idx_leads_grade_score ON leads (grade, score)").await?;
        db.execute_unprepared("DROP INDEX IF EXISTS idx_leads_score_grade").await?;
        Ok(())
    }
}
