//! One fold for company names: `leads.name_fold` holds the name as searches compare it
//! (full/half width, brackets, invisible characters and spaces folded away; filled by the
//! application, which owns the fold, right after migrating), and the name search indexes move
//! onto it — SQLite's FTS5 trigram table, PostgreSQL's pg_trgm index.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Leads {
    Table,
    NameFold,
}

/// The FTS tables: the one over `company_name` (migration 3) and the one over `name_fold`.
/// New names, not the old ones reused: a pooled SQLite connection may still see the old schema
/// for a moment, and would refuse to create a trigger it believes exists.
const OLD: &str = "leads_fts";
const NEW: &str = "leads_name_fts";

fn sqlite_fts_drop(table: &str) -> Vec<String> {
    vec![
        format!("DROP TRIGGER IF EXISTS {table}_au"),
        format!("DROP TRIGGER IF EXISTS {table}_ad"),
        format!("DROP TRIGGER IF EXISTS {table}_ai"),
        format!("DROP TABLE IF EXISTS {table}"),
    ]
}

/// The FTS table `table` over `column`, kept in step by triggers.
fn sqlite_fts(table: &str, column: &str) -> Vec<String> {
    vec![
        format!("CREATE VIRTUAL TABLE {table} USING fts5({column}, content='leads', content_rowid='id', tokenize='trigram')"),
        format!(
            "CREATE TRIGGER {table}_ai AFTER INSERT ON leads BEGIN \
             INSERT INTO {table}(rowid, {column}) VALUES (new.id, new.{column}); END"
        ),
        format!(
            "CREATE TRIGGER {table}_ad AFTER DELETE ON leads BEGIN \
             INSERT INTO {table}({table}, rowid, {column}) VALUES ('delete', old.id, old.{column}); END"
        ),
        format!(
            "CREATE TRIGGER {table}_au AFTER UPDATE OF {column} ON leads BEGIN \
             INSERT INTO {table}({table}, rowid, {column}) VALUES ('delete', old.id, old.{column}); \
             INSERT INTO {table}(rowid, {column}) VALUES (new.id, new.{column}); END"
        ),
        format!("INSERT INTO {table}({table}) VALUES ('rebuild')"),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Leads::Table)
                .add_column(ColumnDef::new(Leads::NameFold).string_len(400).not_null().default(""))
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        match db.get_database_backend() {
            DatabaseBackend::Sqlite => {
                for sql in sqlite_fts_drop(OLD).into_iter().chain(sqlite_fts(NEW, "name_fold")) {
                    db.execute_unprepared(&sql).await?;
                }
            }
            DatabaseBackend::Postgres => {
                db.execute_unprepared("DROP INDEX IF EXISTS idx_leads_company_name_trgm").await?;
                db.execute_unprepared(
                    "CREATE INDEX idx_leads_name_fold_trgm ON leads USING gin (name_fold gin_trgm_ops)",
                )
                .await?;
            }
            DatabaseBackend::MySql => {}
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        match db.get_database_backend() {
            DatabaseBackend::Sqlite => {
                for sql in sqlite_fts_drop(NEW) {
                    db.execute_unprepared(&sql).await?;
                }
            }
            DatabaseBackend::Postgres => {
                db.execute_unprepared("DROP INDEX IF EXISTS idx_leads_name_fold_trgm").await?;
                db.execute_unprepared(
                    "CREATE INDEX idx_leads_company_name_trgm ON leads USING gin (company_name gin_trgm_ops)",
                )
                .await?;
            }
            DatabaseBackend::MySql => {}
        }
        m.alter_table(Table::alter().table(Leads::Table).drop_column(Leads::NameFold).to_owned()).await?;
        if db.get_database_backend() == DatabaseBackend::Sqlite {
            for sql in sqlite_fts(OLD, "company_name") {
                db.execute_unprepared(&sql).await?;
            }
        }
        Ok(())
    }
}
