//! The dashboard, the monthly and quarterly reports and the weekly pack count each team's figures
//! in the database (grouped), no longer lead by lead in memory. These indexes let them read only
//! the period's rows: new leads by creation day and team, stage moves and signings by day (with
//! the lead to join), and for the weekly pack's untouched leads each team's open leads by stage
//! and last update, and each lead's latest activity.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [(&str, &str); 5] = [
    ("idx_leads_created_team", "leads (created_at, team_id) WHERE deleted_at IS NULL"),
    ("idx_leads_team_stage_updated", "leads (team_id, stage, updated_at) WHERE deleted_at IS NULL"),
    ("idx_stage_moves_moved", "stage_moves (moved_at, lead_id)"),
    ("idx_commitments_recorded", "commitments (recorded_at, lead_id)"),
    ("idx_activities_lead_created", "activities (lead_id, created_at)"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, on) in INDEXES {
            m.get_connection().execute_unprepared(&format!("CREATE INDEX {name} ON {on}")).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, _) in INDEXES {
            m.get_connection().execute_unprepared(&format!("DROP INDEX IF EXISTS {name}")).await?;
        }
        Ok(())
    }
}
