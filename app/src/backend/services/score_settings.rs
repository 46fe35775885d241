//! 评分设置: the scoring settings page, an admin saving a new version of the configuration, and
//! the old deployment setting of the 重大项目 threshold moved into it — each new version
//! rescores every lead.

use super::rescore::{rescore, Scope};
use super::scoring::{current, parse_config};
use super::ServiceError;
use crate::backend::entities::score_config;
use crate::backend::local_time;
use crate::domain::score::ScoreConfig;
use crate::wire::auth::SessionUser;
use crate::wire::scoring::{diff, ConfigVersion, RescoreReport, ScoreSettingsPage};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, QueryOrder, Set, TransactionTrait};

/// Moves `LZ_MAJOR_PROJECT_WAN` (万元, the old deployment setting) into the score configuration:
/// a new version carrying it, written by the system, unless an admin has already set the
/// threshold there (an admin-written version whose threshold differs from the one before it;
/// edits of weights or grades alone do not count). Then the setting is left alone and a warning
/// says where the threshold lives now. The new version and the rescore it causes commit together.
/// Returns whether a version was added.
/// Errors: `Invalid` at `thresholds.major_project_wan` (not a positive number), `Db`, `Internal`
/// (no configuration, or a stored version that does not parse).
pub async fn adopt_major_threshold<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    wan: f64,
) -> Result<bool, ServiceError> {
    if !(wan.is_finite() && wan > 0.0) {
        return Err(ServiceError::Invalid(vec![crate::domain::lead::FieldError::new(
            "thresholds.major_project_wan",
            "err.score.threshold",
        )]));
    }
    let (_, mut config) = current(db).await?;
    if config.thresholds.major_project_wan == wan {
        return Ok(false);
    }
    let versions = score_config::Entity::find().order_by_asc(score_config::Column::Id).all(db).await?;
    let mut before: Option<f64> = None;
    let mut set_by_admin = false;
    for row in &versions {
        let threshold = parse_config(row)?.thresholds.major_project_wan;
        if row.created_by.is_some() && before.is_some_and(|b| b != threshold) {
            set_by_admin = true;
        }
        before = Some(threshold);
    }
    if set_by_admin {
        tracing::warn!(
            "LZ_MAJOR_PROJECT_WAN={wan} is ignored: the 重大项目 threshold is {} in the score configuration, which admins edit on /settings/scoring",
            config.thresholds.major_project_wan
        );
        return Ok(false);
    }
    config.thresholds.major_project_wan = wan;
    let json = serde_json::to_string(&config).map_err(|e| ServiceError::Internal(e.to_string()))?;
    let txn = db.begin().await?;
    score_config::ActiveModel {
        config: Set(json),
        note: Set("LZ_MAJOR_PROJECT_WAN".into()),
        created_by: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    rescore(&txn, Scope::All).await?;
    txn.commit().await?;
    Ok(true)
}

/// The scoring settings page: the current configuration, every version newest first with who
/// made it (Asia/Shanghai `YYYY-MM-DD HH:MM`) and what it changed, and whether `actor` may edit
/// (admins).
/// Errors: `Internal` (no configuration, or a version that does not parse), `Db`.
pub async fn settings_page(db: &impl ConnectionTrait, actor: &SessionUser) -> Result<ScoreSettingsPage, ServiceError> {
    let rows = score_config::Entity::find().order_by_asc(score_config::Column::Id).all(db).await?;
    let who = super::users::names(db, rows.iter().filter_map(|r| r.created_by)).await?;
    let mut history = Vec::new();
    let mut previous: Option<ScoreConfig> = None;
    for row in &rows {
        let config = parse_config(row)?;
        history.push(ConfigVersion {
            version: row.id,
            created_by: row.created_by.and_then(|id| who.get(&id).cloned()),
            created_at: local_time(row.created_at),
            note: row.note.clone(),
            changes: previous.as_ref().map(|p| diff(p, &config)).unwrap_or_default(),
        });
        previous = Some(config);
    }
    history.reverse();
    let (version, config) = current(db).await?;
    Ok(ScoreSettingsPage { version, config, history, can_edit: actor.role.manages_users() })
}

/// Saves `config` (already validated at the edge) as a new version by an admin and rescores every
/// lead with it. Returns the version, how many leads were rescored and how long it took (ms).
/// Errors: `Forbidden` (not an admin), `Internal` (serialising), `Db`.
pub async fn save_config<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &SessionUser,
    config: ScoreConfig,
    note: &str,
) -> Result<RescoreReport, ServiceError> {
    if !actor.role.manages_users() {
        return Err(ServiceError::Forbidden);
    }
    let json = serde_json::to_string(&config).map_err(|e| ServiceError::Internal(e.to_string()))?;
    let row = score_config::ActiveModel {
        config: Set(json),
        note: Set(note.to_string()),
        created_by: Set(Some(actor.id)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let started = std::time::Instant::now();
    let rescored = rescore(db, Scope::All).await?;
    Ok(RescoreReport { version: row.id, rescored, millis: started.elapsed().as_millis() as u64 })
}
