//! The Monday mail: last week's 周调度 pack to every team member (their teams) and to the
//! leadership (the whole office), with the workbook attached. Keyed by week and person, so it
//! goes out once however often the job runs, after restarts, and with several app instances.

use super::auth::session_user;
use super::ServiceError;
use crate::backend::mail::{self, templates, MailAttachment, Outgoing};
use crate::backend::Settings;
use crate::domain::money::format_wan;
use crate::domain::period::Period;
use crate::i18n::{tr, Locale};
use chrono::{DateTime, Datelike, Duration, Timelike, Utc};
use sea_orm::ConnectionTrait;

/// Runs if it is the configured weekday and hour (Asia/Shanghai): queues last week's pack with its
/// workbook to each enabled user with an address who is in a team (their teams) or sees all leads
/// (managers, admins, leaders: the whole office), once per week and person (dedupe key). Returns
/// how many were queued now.
/// Errors: those of `reports::weekly` (`Db`, `Internal`), `Internal` from the workbook, `Db`.
pub async fn run(db: &impl ConnectionTrait, settings: &Settings, now: DateTime<Utc>) -> Result<usize, ServiceError> {
    let local = now.with_timezone(&chrono_tz::Asia::Shanghai);
    if local.weekday() != settings.weekly_mail_weekday || local.hour() < settings.weekly_mail_hour {
        return Ok(0);
    }
    let week = Period::week_of(local.date_naive() - Duration::days(7));
    let mut queued = 0;
    for u in super::reports::weekly_recipients(db).await? {
        let Some(actor) = session_user(db, &u).await? else { continue };
        if !actor.role.sees_all_leads() && actor.teams.is_empty() {
            continue;
        }
        let key = format!("weekly:{}:user:{}", week.code(), u.id);
        let pack = super::reports::weekly(db, settings, &actor, &week.code()).await?;
        let locale = Locale::parse(&u.locale).unwrap_or_default();
        let workbook = super::report_xlsx::weekly(locale, &pack)?;
        let lines: Vec<templates::Line> = pack
            .teams
            .iter()
            .filter(|t| t.numbers.team_id.is_some())
            .map(|t| templates::Line {
                text: format!(
                    "{}：{} {} · {} {} · {} {}（{}）· {} {} · {} {}",
                    t.numbers.team,
                    tr(locale, "report.new_leads"),
                    t.numbers.new_leads,
                    tr(locale, "report.visits_done"),
                    t.numbers.visits_done,
                    tr(locale, "report.signings"),
                    t.numbers.signings,
                    format_wan(t.numbers.contracted_wan),
                    tr(locale, "report.stale"),
                    t.stale_count,
                    tr(locale, "report.problems_due"),
                    t.problems.len(),
                ),
                link: None,
            })
            .chain(std::iter::once(templates::Line {
                text: tr(locale, "mail.weekly.open").to_string(),
                link: Some(format!("{}/weekly?week={}", settings.public_url, week.code())),
            }))
            .collect();
        let letter = templates::weekly(locale, &u.display_name, &week.code(), &pack.from, &pack.to, &lines);
        let id = mail::enqueue(
            db,
            settings,
            Outgoing {
                attachments: vec![MailAttachment {
                    filename: format!("weekly-{}.xlsx", week.code()),
                    content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".into(),
                    body: workbook,
                }],
                dedupe_key: Some(key),
                ..Outgoing::new("weekly", u, letter)
            },
        )
        .await?;
        queued += usize::from(id.is_some());
    }
    Ok(queued)
}
