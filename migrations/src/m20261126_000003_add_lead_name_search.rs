//! Chinese substring search on company names that stays fast at 100k leads:
//! SQLite FTS5 with the trigram tokenizer (queries of 3+ characters), PostgreSQL pg_trgm.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const SQLITE_UP: &[&str] = &[
    "CREATE VIRTUAL TABLE leads_fts USING fts5(company_name, content='leads', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER leads_fts_ai AFTER INSERT ON leads BEGIN \
       INSERT INTO leads_fts(rowid, company_name) VALUES (new.id, new.company_name); END",
    "CREATE TRIGGER leads_fts_ad AFTER DELETE ON leads BEGIN \
       INSERT INTO leads_fts(leads_fts, rowid, company_name) VALUES ('delete', old.id, old.company_name); END",
    "CREATE TRIGGER leads_fts_au AFTER UPDATE OF company_name ON leads BEGIN \
       INSERT INTO leads_fts(leads_fts, rowid, company_name) VALUES ('delete', old.id, old.company_name); \
       INSERT INTO leads_fts(rowid, company_name) VALUES (new.id, new.company_name); END",
    "INSERT INTO leads_fts(leads_fts) VALUES ('rebuild')",
];
const SQLITE_DOWN: &[&str] = &[
    "DROP TRIGGER IF EXISTS leads_fts_au",
    "DROP TRIGGER IF EXISTS leads_fts_ad",
    "DROP TRIGGER IF EXISTS leads_fts_ai",
    "DROP TABLE IF EXISTS leads_fts",
];
const POSTGRES_UP: &[&str] = &[
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX idx_leads_company_name_trgm ON leads USING gin (company_name gin_trgm_ops)",
];
const POSTGRES_DOWN: &[&str] = &["DROP INDEX IF EXISTS idx_leads_company_name_trgm"];

async fn run(m: &SchemaManager<'_>, sqlite: &[&str], postgres: &[&str]) -> Result<(), DbErr> {
    let db = m.get_connection();
    let statements = match db.get_database_backend() {
        DatabaseBackend::Sqlite => sqlite,
        DatabaseBackend::Postgres => postgres,
        DatabaseBackend::MySql => &[],
    };
    for sql in statements {
        db.execute_unprepared(sql).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        run(m, SQLITE_UP, POSTGRES_UP).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        run(m, SQLITE_DOWN, POSTGRES_DOWN).await
    }
}
