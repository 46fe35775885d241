//! A counter that the database itself moves whenever a change commits that an import's preview
//! would see: a lead inserted, deleted, or updated in what it is matched and
//! permission-checked by (name, normalised name, USCC, version, trash, owner, creator, team),
//! and any change to the saved value aliases. The kept preview of a batch is valid while these
//! counter stands where it stood when it was computed (`services/import_preview_cache.rs`).
//! Migration 33's key of lead totals and the latest `updated_at` missed a trash and a restore
//! between two views (neither moves `updated_at`) and a write whose timestamp was taken before
//! another's commit.
//!
//! SQLite: a trigger per row moves the counter inside the writing transaction (writes are
//! serialised; 1.5–2 µs a row, 0.2 s on a 100,000-row import). PostgreSQL: a deferred constraint
//! trigger moves it once per transaction at commit, so the counter's row lock is held only while
//! the transaction commits, never while an import writes; a transaction-local setting skips the
//! other rows' events. One counter for both tables: two rows locked in either order by two
//! committing transactions could deadlock.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The counter's name in `change_counters`.
pub const COUNTER: &str = "import_preview";

/// The lead columns an import preview reads of a matching lead.
const LEAD_COLUMNS: &str = "company_name, name_key, uscc, version, deleted_at, owner_id, created_by, team_id";

/// (counted table, the events that move its counter)
fn watched() -> [(&'static str, String); 2] {
    [
        ("leads", format!("INSERT OR DELETE OR UPDATE OF {LEAD_COLUMNS}")),
        ("value_aliases", "INSERT OR DELETE OR UPDATE".to_string()),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared(
            "CREATE TABLE change_counters (name VARCHAR(64) NOT NULL PRIMARY KEY, n BIGINT NOT NULL DEFAULT 0)",
        )
        .await?;
        db.execute_unprepared(&format!("INSERT INTO change_counters (name, n) VALUES ('{COUNTER}', 0)")).await?;
        match m.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared(&format!(
                    "CREATE FUNCTION lz_count_change() RETURNS trigger LANGUAGE plpgsql AS $$ \
                     BEGIN \
                       IF current_setting('lz.counted', true) = '1' THEN RETURN NULL; END IF; \
                       PERFORM set_config('lz.counted', '1', true); \
                       UPDATE change_counters SET n = n + 1 WHERE name = '{COUNTER}'; \
                       RETURN NULL; \
                     END $$"
                ))
                .await?;
                for (table, events) in watched() {
                    // SQLite names one event per trigger; PostgreSQL takes them joined by OR.
                    db.execute_unprepared(&format!(
                        "CREATE CONSTRAINT TRIGGER lz_{table}_changed AFTER {events} ON {table} \
                         DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION lz_count_change()"
                    ))
                    .await?;
                }
            }
            _ => {
                for (table, events) in watched() {
                    for (i, event) in events.split(" OR ").enumerate() {
                        db.execute_unprepared(&format!(
                            "CREATE TRIGGER lz_{table}_changed_{i} AFTER {event} ON {table} FOR EACH ROW \
                             BEGIN UPDATE change_counters SET n = n + 1 WHERE name = '{COUNTER}'; END"
                        ))
                        .await?;
                    }
                }
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        match m.get_database_backend() {
            DatabaseBackend::Postgres => {
                for (table, _) in watched() {
                    db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS lz_{table}_changed ON {table}")).await?;
                }
                db.execute_unprepared("DROP FUNCTION IF EXISTS lz_count_change()").await?;
            }
            _ => {
                for (table, events) in watched() {
                    for i in 0..events.split(" OR ").count() {
                        db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS lz_{table}_changed_{i}")).await?;
                    }
                }
            }
        }
        db.execute_unprepared("DROP TABLE change_counters").await?;
        Ok(())
    }
}
