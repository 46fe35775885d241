use sea_orm::entity::prelude::*;

/// An outgoing message, queued until sent (or written to the outbox).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "mail_queue")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: String,
    /// Makes a scheduled message idempotent (one per recipient per occasion).
    pub dedupe_key: Option<String>,
    /// A queued message with the same key is replaced instead of sending another.
    pub coalesce_key: Option<String>,
    pub to_user_id: Option<i64>,
    pub to_addr: String,
    pub from_addr: String,
    pub subject: String,
    /// The whole RFC 5322 message.
    pub raw: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub lease_owner: Option<String>,
    pub lease_until: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
