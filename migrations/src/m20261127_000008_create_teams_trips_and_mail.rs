//! 招商专班 (teams with members, focus and yearly targets), lead assignment to a team, 外出招商
//! trips and 走访 visits with their attendees (for clash checks), calendar subscription tokens,
//! users' e-mail addresses, and the outgoing mail queue.

use super::id_col;
use super::m20261126_000001_create_users_and_sessions::Users;
use super::m20261126_000002_create_leads::Leads;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Teams {
    Table,
    Id,
    Name,
    LeaderInChargeId,
    LeadUserId,
    FocusRegions,
    FocusChains,
    FocusIndustries,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TeamMembers {
    Table,
    TeamId,
    UserId,
}

#[derive(DeriveIden)]
enum TeamTargets {
    Table,
    Id,
    TeamId,
    Year,
    SignedProjects,
    ContractedWan,
    MajorProjects,
    NewLeads,
    Visits,
}

#[derive(DeriveIden)]
enum Trips {
    Table,
    Id,
    Kind,
    Purpose,
    DestinationCode,
    StartOn,
    EndOn,
    TeamId,
    Status,
    Version,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TripMembers {
    Table,
    TripId,
    UserId,
}

#[derive(DeriveIden)]
enum Visits {
    Table,
    Id,
    TripId,
    LeadId,
    StartsAt,
    EndsAt,
    Place,
    Contact,
    Status,
    Learned,
    Intention,
    NextStep,
    NextDue,
    MissedReason,
    ActivityId,
    ReportedBy,
    ReportedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum VisitAttendees {
    Table,
    VisitId,
    UserId,
    StartsAt,
    EndsAt,
}

#[derive(DeriveIden)]
enum CalendarTokens {
    Table,
    UserId,
    TokenHash,
    CreatedAt,
}

#[derive(DeriveIden)]
enum MailQueue {
    Table,
    Id,
    Kind,
    DedupeKey,
    CoalesceKey,
    ToUserId,
    ToAddr,
    FromAddr,
    Subject,
    Raw,
    Status,
    Attempts,
    NextAttemptAt,
    LeaseOwner,
    LeaseUntil,
    LastError,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Extra {
    Email,
    TeamId,
}

fn fk(
    table: impl IntoIden + 'static,
    col: impl IntoIden + 'static,
    to: impl IntoIden + 'static,
    to_col: impl IntoIden + 'static,
    cascade: bool,
) -> ForeignKeyCreateStatement {
    let mut f = ForeignKey::create();
    f.from(table, col).to(to, to_col);
    if cascade {
        f.on_delete(ForeignKeyAction::Cascade);
    }
    f.to_owned()
}

fn index<T: IntoIden + 'static, C: IntoIden + 'static>(
    name: &str,
    table: T,
    cols: impl IntoIterator<Item = C>,
    unique: bool,
) -> IndexCreateStatement {
    let mut idx = Index::create();
    idx.name(name).table(table);
    for c in cols {
        idx.col(c);
    }
    if unique {
        idx.unique();
    }
    idx.to_owned()
}

fn at(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).timestamp_with_time_zone().not_null().to_owned()
}

fn int(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).integer().not_null().default(0).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Users::Table)
                .add_column(ColumnDef::new(Extra::Email).string_len(200).not_null().default(""))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Teams::Table)
                .col(id_col(Teams::Id))
                .col(ColumnDef::new(Teams::Name).string_len(100).not_null().unique_key())
                .col(ColumnDef::new(Teams::LeaderInChargeId).big_integer().null())
                .col(ColumnDef::new(Teams::LeadUserId).big_integer().null())
                .col(ColumnDef::new(Teams::FocusRegions).text().not_null().default("[]"))
                .col(ColumnDef::new(Teams::FocusChains).text().not_null().default("[]"))
                .col(ColumnDef::new(Teams::FocusIndustries).text().not_null().default("[]"))
                .col(at(Teams::CreatedAt))
                .col(at(Teams::UpdatedAt))
                .foreign_key(&mut fk(Teams::Table, Teams::LeaderInChargeId, Users::Table, Users::Id, false))
                .foreign_key(&mut fk(Teams::Table, Teams::LeadUserId, Users::Table, Users::Id, false))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TeamMembers::Table)
                .col(ColumnDef::new(TeamMembers::TeamId).big_integer().not_null())
                .col(ColumnDef::new(TeamMembers::UserId).big_integer().not_null())
                .primary_key(Index::create().col(TeamMembers::TeamId).col(TeamMembers::UserId))
                .foreign_key(&mut fk(TeamMembers::Table, TeamMembers::TeamId, Teams::Table, Teams::Id, true))
                .foreign_key(&mut fk(TeamMembers::Table, TeamMembers::UserId, Users::Table, Users::Id, true))
                .to_owned(),
        )
        .await?;
        m.create_index(index("idx_team_members_user", TeamMembers::Table, [TeamMembers::UserId], false)).await?;
        m.create_table(
            Table::create()
                .table(TeamTargets::Table)
                .col(id_col(TeamTargets::Id))
                .col(ColumnDef::new(TeamTargets::TeamId).big_integer().not_null())
                .col(ColumnDef::new(TeamTargets::Year).integer().not_null())
                .col(int(TeamTargets::SignedProjects))
                .col(ColumnDef::new(TeamTargets::ContractedWan).double().not_null().default(0.0))
                .col(int(TeamTargets::MajorProjects))
                .col(int(TeamTargets::NewLeads))
                .col(int(TeamTargets::Visits))
                .foreign_key(&mut fk(TeamTargets::Table, TeamTargets::TeamId, Teams::Table, Teams::Id, true))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "idx_team_targets_team_year",
            TeamTargets::Table,
            [TeamTargets::TeamId, TeamTargets::Year],
            true,
        ))
        .await?;
        m.alter_table(
            Table::alter()
                .table(Leads::Table)
                .add_column(ColumnDef::new(Extra::TeamId).big_integer().null())
                .to_owned(),
        )
        .await?;
        m.create_index(index("idx_leads_team", Leads::Table, [Extra::TeamId], false)).await?;

        m.create_table(
            Table::create()
                .table(Trips::Table)
                .col(id_col(Trips::Id))
                .col(ColumnDef::new(Trips::Kind).string_len(16).not_null())
                .col(ColumnDef::new(Trips::Purpose).text().not_null())
                .col(ColumnDef::new(Trips::DestinationCode).string_len(6).not_null().default(""))
                .col(ColumnDef::new(Trips::StartOn).date().not_null())
                .col(ColumnDef::new(Trips::EndOn).date().not_null())
                .col(ColumnDef::new(Trips::TeamId).big_integer().null())
                .col(ColumnDef::new(Trips::Status).string_len(16).not_null())
                .col(ColumnDef::new(Trips::Version).integer().not_null().default(1))
                .col(ColumnDef::new(Trips::CreatedBy).big_integer().not_null())
                .col(at(Trips::CreatedAt))
                .col(at(Trips::UpdatedAt))
                .foreign_key(&mut fk(Trips::Table, Trips::TeamId, Teams::Table, Teams::Id, false))
                .foreign_key(&mut fk(Trips::Table, Trips::CreatedBy, Users::Table, Users::Id, false))
                .to_owned(),
        )
        .await?;
        m.create_index(index("idx_trips_start", Trips::Table, [Trips::StartOn], false)).await?;
        m.create_index(index("idx_trips_team", Trips::Table, [Trips::TeamId, Trips::StartOn], false)).await?;
        m.create_table(
            Table::create()
                .table(TripMembers::Table)
                .col(ColumnDef::new(TripMembers::TripId).big_integer().not_null())
                .col(ColumnDef::new(TripMembers::UserId).big_integer().not_null())
                .primary_key(Index::create().col(TripMembers::TripId).col(TripMembers::UserId))
                .foreign_key(&mut fk(TripMembers::Table, TripMembers::TripId, Trips::Table, Trips::Id, true))
                .foreign_key(&mut fk(TripMembers::Table, TripMembers::UserId, Users::Table, Users::Id, true))
                .to_owned(),
        )
        .await?;
        m.create_index(index("idx_trip_members_user", TripMembers::Table, [TripMembers::UserId], false)).await?;
        m.create_table(
            Table::create()
                .table(Visits::Table)
                .col(id_col(Visits::Id))
                .col(ColumnDef::new(Visits::TripId).big_integer().not_null())
                .col(ColumnDef::new(Visits::LeadId).big_integer().not_null())
                .col(at(Visits::StartsAt))
                .col(at(Visits::EndsAt))
                .col(ColumnDef::new(Visits::Place).string_len(200).not_null().default(""))
                .col(ColumnDef::new(Visits::Contact).string_len(200).not_null().default(""))
                .col(ColumnDef::new(Visits::Status).string_len(16).not_null())
                .col(ColumnDef::new(Visits::Learned).text().not_null().default(""))
                .col(ColumnDef::new(Visits::Intention).string_len(16).null())
                .col(ColumnDef::new(Visits::NextStep).text().not_null().default(""))
                .col(ColumnDef::new(Visits::NextDue).date().null())
                .col(ColumnDef::new(Visits::MissedReason).text().not_null().default(""))
                .col(ColumnDef::new(Visits::ActivityId).big_integer().null())
                .col(ColumnDef::new(Visits::ReportedBy).big_integer().null())
                .col(ColumnDef::new(Visits::ReportedAt).timestamp_with_time_zone().null())
                .col(at(Visits::CreatedAt))
                .col(at(Visits::UpdatedAt))
                .foreign_key(&mut fk(Visits::Table, Visits::TripId, Trips::Table, Trips::Id, true))
                .foreign_key(&mut fk(Visits::Table, Visits::LeadId, Leads::Table, Leads::Id, true))
                .to_owned(),
        )
        .await?;
        m.create_index(index("idx_visits_trip", Visits::Table, [Visits::TripId, Visits::StartsAt], false)).await?;
        m.create_index(index("idx_visits_lead", Visits::Table, [Visits::LeadId], false)).await?;
        m.create_index(index("idx_visits_starts", Visits::Table, [Visits::StartsAt], false)).await?;
        m.create_table(
            Table::create()
                .table(VisitAttendees::Table)
                .col(ColumnDef::new(VisitAttendees::VisitId).big_integer().not_null())
                .col(ColumnDef::new(VisitAttendees::UserId).big_integer().not_null())
                .col(at(VisitAttendees::StartsAt))
                .col(at(VisitAttendees::EndsAt))
                .primary_key(Index::create().col(VisitAttendees::VisitId).col(VisitAttendees::UserId))
                .foreign_key(&mut fk(VisitAttendees::Table, VisitAttendees::VisitId, Visits::Table, Visits::Id, true))
                .foreign_key(&mut fk(VisitAttendees::Table, VisitAttendees::UserId, Users::Table, Users::Id, true))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "idx_visit_attendees_user",
            VisitAttendees::Table,
            [VisitAttendees::UserId, VisitAttendees::StartsAt],
            false,
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(CalendarTokens::Table)
                .col(ColumnDef::new(CalendarTokens::UserId).big_integer().not_null().primary_key())
                .col(ColumnDef::new(CalendarTokens::TokenHash).string_len(64).not_null().unique_key())
                .col(at(CalendarTokens::CreatedAt))
                .foreign_key(&mut fk(CalendarTokens::Table, CalendarTokens::UserId, Users::Table, Users::Id, true))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(MailQueue::Table)
                .col(id_col(MailQueue::Id))
                .col(ColumnDef::new(MailQueue::Kind).string_len(32).not_null())
                .col(ColumnDef::new(MailQueue::DedupeKey).string_len(200).null().unique_key())
                .col(ColumnDef::new(MailQueue::CoalesceKey).string_len(200).null())
                .col(ColumnDef::new(MailQueue::ToUserId).big_integer().null())
                .col(ColumnDef::new(MailQueue::ToAddr).string_len(200).not_null())
                .col(ColumnDef::new(MailQueue::FromAddr).string_len(200).not_null())
                .col(ColumnDef::new(MailQueue::Subject).text().not_null())
                .col(ColumnDef::new(MailQueue::Raw).text().not_null())
                .col(ColumnDef::new(MailQueue::Status).string_len(16).not_null())
                .col(int(MailQueue::Attempts))
                .col(at(MailQueue::NextAttemptAt))
                .col(ColumnDef::new(MailQueue::LeaseOwner).string_len(40).null())
                .col(ColumnDef::new(MailQueue::LeaseUntil).timestamp_with_time_zone().null())
                .col(ColumnDef::new(MailQueue::LastError).text().null())
                .col(at(MailQueue::CreatedAt))
                .col(ColumnDef::new(MailQueue::SentAt).timestamp_with_time_zone().null())
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "idx_mail_queue_due",
            MailQueue::Table,
            [MailQueue::Status, MailQueue::NextAttemptAt],
            false,
        ))
        .await?;
        m.create_index(index("idx_mail_queue_coalesce", MailQueue::Table, [MailQueue::CoalesceKey], false)).await?;
        m.create_index(index("idx_mail_queue_lease", MailQueue::Table, [MailQueue::LeaseOwner], false)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            MailQueue::Table.into_iden(),
            CalendarTokens::Table.into_iden(),
            VisitAttendees::Table.into_iden(),
            Visits::Table.into_iden(),
            TripMembers::Table.into_iden(),
            Trips::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        m.drop_index(Index::drop().name("idx_leads_team").table(Leads::Table).to_owned()).await?;
        m.alter_table(Table::alter().table(Leads::Table).drop_column(Extra::TeamId).to_owned()).await?;
        for t in [TeamTargets::Table.into_iden(), TeamMembers::Table.into_iden(), Teams::Table.into_iden()] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        m.alter_table(Table::alter().table(Users::Table).drop_column(Extra::Email).to_owned()).await
    }
}
