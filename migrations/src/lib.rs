//! Append-only, reversible migrations. Run at start-up by `lianzhao serve` and by `lianzhao migrate`.

pub use sea_orm_migration::prelude::*;

mod m20261126_000001_create_users_and_sessions;
mod m20261126_000002_create_leads;
mod m20261126_000003_add_lead_name_search;
mod m20261126_000004_create_chains_and_scores;
mod m20261126_000005_create_stage_moves_and_activities;
mod m20261126_000006_add_history_problems_and_major_projects;
mod m20261126_000007_add_major_flag_index;
mod m20261127_000008_create_teams_trips_and_mail;
mod m20261127_000009_create_weekly_comments_and_actuals;
mod m20261127_000010_create_api_tokens;
mod m20261128_000011_create_import_batches;
mod m20261128_000012_partial_trash_index;
mod m20261130_000013_import_layout_and_aliases;
mod m20261130_000014_lead_name_fold;
mod m20261130_000015_token_expiry;
mod m20261130_000016_widen_email_columns;
mod m20261201_000017_field_sync_and_checkin;
mod m20261201_000018_attachments;
mod m20261201_000019_map_index;
mod m20261201_000020_project_plans;
mod m20261201_000021_project_procedures;
mod m20261201_000022_land_contracts;
mod m20261201_000023_enterprise_efficiency;
mod m20261201_000024_project_events;
mod m20261202_000025_import_lease;
mod m20261202_000026_report_indexes;
mod m20261202_000027_board_index;
mod m20261202_000028_stage_totals_index;
mod m20261202_000029_enterprise_name_index;
mod m20261203_000030_list_filter_indexes;
mod m20261203_000031_sort_indexes;
mod m20261203_000032_covering_partial_indexes;
mod m20261204_000033_packed_import_rows;
mod m20261206_000034_change_counters;
mod m20261206_000035_import_updates;
mod m20261206_000036_board_totals_pg;
mod m20261207_000037_score_grade_index;
pub mod seed_chains;

/// The `change_counters` row the import preview's kept outcomes are checked against.
pub use m20261206_000034_change_counters::COUNTER as IMPORT_PREVIEW_COUNTER;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261126_000001_create_users_and_sessions::Migration),
            Box::new(m20261126_000002_create_leads::Migration),
            Box::new(m20261126_000003_add_lead_name_search::Migration),
            Box::new(m20261126_000004_create_chains_and_scores::Migration),
            Box::new(m20261126_000005_create_stage_moves_and_activities::Migration),
            Box::new(m20261126_000006_add_history_problems_and_major_projects::Migration),
            Box::new(m20261126_000007_add_major_flag_index::Migration),
            Box::new(m20261127_000008_create_teams_trips_and_mail::Migration),
            Box::new(m20261127_000009_create_weekly_comments_and_actuals::Migration),
            Box::new(m20261127_000010_create_api_tokens::Migration),
            Box::new(m20261128_000011_create_import_batches::Migration),
            Box::new(m20261128_000012_partial_trash_index::Migration),
            Box::new(m20261130_000013_import_layout_and_aliases::Migration),
            Box::new(m20261130_000014_lead_name_fold::Migration),
            Box::new(m20261130_000015_token_expiry::Migration),
            Box::new(m20261130_000016_widen_email_columns::Migration),
            Box::new(m20261201_000017_field_sync_and_checkin::Migration),
            Box::new(m20261201_000018_attachments::Migration),
            Box::new(m20261201_000019_map_index::Migration),
            Box::new(m20261201_000020_project_plans::Migration),
            Box::new(m20261201_000021_project_procedures::Migration),
            Box::new(m20261201_000022_land_contracts::Migration),
            Box::new(m20261201_000023_enterprise_efficiency::Migration),
            Box::new(m20261201_000024_project_events::Migration),
            Box::new(m20261202_000025_import_lease::Migration),
            Box::new(m20261202_000026_report_indexes::Migration),
            Box::new(m20261202_000027_board_index::Migration),
            Box::new(m20261202_000028_stage_totals_index::Migration),
            Box::new(m20261202_000029_enterprise_name_index::Migration),
            Box::new(m20261203_000030_list_filter_indexes::Migration),
            Box::new(m20261203_000031_sort_indexes::Migration),
            Box::new(m20261203_000032_covering_partial_indexes::Migration),
            Box::new(m20261204_000033_packed_import_rows::Migration),
            Box::new(m20261206_000034_change_counters::Migration),
            Box::new(m20261206_000035_import_updates::Migration),
            Box::new(m20261206_000036_board_totals_pg::Migration),
            Box::new(m20261207_000037_score_grade_index::Migration),
        ]
    }
}

/// A 64-bit auto-increment primary key (SQLite makes it the rowid alias).
pub(crate) fn id_col<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name).big_integer().not_null().auto_increment().primary_key().to_owned()
}
