//! SQLite reads a partial index (`WHERE deleted_at IS NULL`) without the table's rows only when
//! every column the query names, `deleted_at` included, is among the index's columns. Two that
//! lacked a column read each matching lead's row (SQLite, 2 cores, 200,000 leads):
//! - the board's column totals for a staff member (their own, created or team's leads): the
//!   access columns were missing from `idx_leads_stage_totals` (migration 28), 240 ms a board
//!   against 24 ms for a manager; `idx_leads_stage_access_totals` carries them and replaces it
//!   (a staff member's totals 16 ms, a manager's 19 ms);
//! - the monthly report's new leads per team (migration 26's `idx_leads_created_team` lacked
//!   `deleted_at`): 78 → 38 ms for a month of 100,000 new leads (after a large import).
//!
//! SQLite only: on PostgreSQL the partial indexes of migration 26 already answer from the index.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (new name, its definition, the index it replaces, that one's definition)
const COVERING: [(&str, &str, &str, &str); 2] = [
    (
        "idx_leads_stage_access_totals",
        "leads (stage, planned_investment_wan, owner_id, created_by, team_id, deleted_at) WHERE deleted_at IS NULL",
        "idx_leads_stage_totals",
        "leads (stage, planned_investment_wan, deleted_at) WHERE deleted_at IS NULL",
    ),
    (
        "idx_leads_created_team_live",
        "leads (created_at, team_id, deleted_at) WHERE deleted_at IS NULL",
        "idx_leads_created_team",
        "leads (created_at, team_id) WHERE deleted_at IS NULL",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() != DatabaseBackend::Sqlite {
            return Ok(());
        }
        let db = m.get_connection();
        for (name, on, old, _) in COVERING {
            db.execute_unprepared(&format!("CREATE INDEX {name} ON {on}")).await?;
            db.execute_unprepared(&format!("DROP INDEX IF EXISTS {old}")).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() != DatabaseBackend::Sqlite {
            return Ok(());
        }
        let db = m.get_connection();
        for (name, _, old, on) in COVERING {
            db.execute_unprepared(&format!("CREATE INDEX {old} ON {on}")).await?;
            db.execute_unprepared(&format!("DROP INDEX IF EXISTS {name}")).await?;
        }
        Ok(())
    }
}
