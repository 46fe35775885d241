//! Moving leads along the pipeline (with the rules of `domain::stage`), the signed commitments,
//! the activity log with next steps, and the lead's timeline.

use super::access::can_edit_lead;
use super::access::{find_editable, find_readable};
use super::rescore::{rescore, Scope};
use super::users::names;
use super::ServiceError;
use crate::backend::entities::{activity, commitment, lead, lead_node, stage_move};
use crate::backend::local_time;
use crate::domain::catalog::Stage;
use crate::domain::lead::FieldError;
use crate::domain::money::{parse_quantity, parse_wan};
use crate::domain::stage::check_move;
use crate::domain::stage::is_landed;
use crate::wire::auth::SessionUser;
use crate::wire::pipeline::*;
use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};

/// Today in Asia/Shanghai, the office's calendar.
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&chrono_tz::Asia::Shanghai).date_naive()
}

fn date(field: &str, raw: &str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    if raw.trim().is_empty() {
        return None;
    }
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| errors.push(FieldError::new(field, "err.date"))).ok()
}

/// The figures committed at 签约.
struct Signed {
    investment: f64,
    land: Option<f64>,
    output: Option<f64>,
    tax: Option<f64>,
    start: Option<NaiveDate>,
}

/// The 签约 figures: contracted investment required, the rest optional.
fn commitments(form: &MoveForm) -> Result<Signed, Vec<FieldError>> {
    let mut errors = Vec::new();
    let investment = match parse_wan(&form.signed_investment) {
        Ok(v) if v > 0.0 => Some(v),
        _ if form.signed_investment.trim().is_empty() => {
            errors.push(FieldError::new("signed_investment", "err.required"));
            None
        }
        _ => {
            errors.push(FieldError::new("signed_investment", "err.number"));
            None
        }
    };
    let mut optional = |field: &str, raw: &str, wan: bool| -> Option<f64> {
        if raw.trim().is_empty() {
            return None;
        }
        let parsed = if wan { parse_wan(raw) } else { parse_quantity(raw, 1_000_000.0) };
        parsed.map_err(|_| errors.push(FieldError::new(field, "err.number"))).ok()
    };
    let land = optional("signed_land_mu", &form.signed_land_mu, false);
    let output = optional("signed_output", &form.signed_output, true);
    let tax = optional("signed_tax", &form.signed_tax, true);
    let start = date("planned_start", &form.planned_start, &mut errors);
    match investment {
        Some(investment) if errors.is_empty() => Ok(Signed { investment, land, output, tax, start }),
        _ => Err(errors),
    }
}

/// Moves lead `lead_id` to stage `form.to` under the rules of `domain::stage::check_move`, if it
/// is still at `form.version`: a new version, the move and its field history in one transaction;
/// moving to 签约 records (replaces) the commitment (amounts in 万元, land in 亩). Crossing into or
/// out of the landed stages rescores the leads on its nodes.
/// Errors: `NotFound`/`Hidden`/`Forbidden` (see `access::find_editable`), `Stale` (moved or edited
/// since `form.version`), `Invalid` at `to` (unknown or the same stage), `reason` (drop),
/// `resume_on` (hold), `comment` (skip or back; over 2000), `signed_investment`,
/// `signed_land_mu`, `signed_output`, `signed_tax`, `planned_start`; `Db`; `Internal` from the
/// rescore (the move stands by then).
pub async fn move_stage<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &SessionUser,
    lead_id: i64,
    form: MoveForm,
) -> Result<(), ServiceError> {
    let l = find_editable(db, actor, lead_id).await?;
    let expected = form.version.trim().parse::<i32>().unwrap_or(l.version);
    if expected != l.version {
        // Someone moved or edited it since this user looked: say what changed before judging.
        return Err(ServiceError::Stale(super::history::since(db, lead_id, expected).await?));
    }
    let from = Stage::parse(&l.stage).unwrap_or(Stage::Clue);
    // Each refusal names the company (argument `company`): the board says whose move it was
    // where the card's own form is not there to show it.
    let refused = |errors: Vec<FieldError>| {
        ServiceError::Invalid(errors.into_iter().map(|e| e.with("company", &l.company_name)).collect())
    };
    let to = Stage::parse(&form.to).ok_or_else(|| refused(vec![FieldError::new("to", "err.choose")]))?;
    let (_, reason) = check_move(from, to, &form.comment, &form.reason, &form.resume_on).map_err(refused)?;
    let signed = if to == Stage::Signed { Some(commitments(&form).map_err(refused)?) } else { None };
    let now = Utc::now();
    let txn = crate::backend::db::begin_write(db).await?;
    let updated = lead::Entity::update_many()
        .col_expr(lead::Column::Stage, Expr::value(to.code()))
        .col_expr(lead::Column::Version, Expr::value(expected + 1))
        .col_expr(lead::Column::UpdatedBy, Expr::value(actor.id))
        .col_expr(lead::Column::UpdatedAt, Expr::value(now))
        .col_expr(lead::Column::StageChangedAt, Expr::value(now))
        .filter(lead::Column::Id.eq(lead_id))
        .filter(lead::Column::Version.eq(expected))
        .exec(&txn)
        .await?;
    if updated.rows_affected == 0 {
        drop(txn);
        return Err(ServiceError::Stale(super::history::since(db, lead_id, expected).await?));
    }
    if let Some(after) = lead::Entity::find_by_id(lead_id).one(&txn).await? {
        super::history::record(&txn, &l, &after, actor.id).await?;
    }
    stage_move::ActiveModel {
        lead_id: Set(lead_id),
        from_stage: Set(from.code().to_string()),
        to_stage: Set(to.code().to_string()),
        comment: Set(form.comment.trim().to_string()),
        reason: Set(reason.map(|r| r.code().to_string())),
        resume_on: Set(if to == Stage::OnHold {
            NaiveDate::parse_from_str(form.resume_on.trim(), "%Y-%m-%d").ok()
        } else {
            None
        }),
        moved_by: Set(actor.id),
        moved_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    // 项目建设计划: the milestone this stage stands for is reached today (if not recorded yet).
    super::plan_rows::record_stage(&txn, lead_id, to, today(), actor.id).await?;
    if let Some(Signed { investment, land, output, tax, start }) = signed {
        commitment::Entity::delete_by_id(lead_id).exec(&txn).await?;
        commitment::ActiveModel {
            lead_id: Set(lead_id),
            investment_wan: Set(investment),
            land_mu: Set(land),
            output_wan: Set(output),
            tax_wan: Set(tax),
            start_on: Set(start),
            recorded_by: Set(actor.id),
            recorded_at: Set(now),
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    if is_landed(from) != is_landed(to) {
        let nodes = lead_node::Entity::find().filter(lead_node::Column::LeadId.eq(lead_id)).all(db).await?;
        rescore(db, Scope::Nodes(nodes.into_iter().map(|n| n.node_id).collect())).await?;
    }
    Ok(())
}

/// Logs a 跟进记录 on a lead the actor may edit (its day defaults to today, Asia/Shanghai);
/// returns its id. A contact has happened: its day is not after today; its next step is due on
/// or after it (a step due before the contact it came from is a typing slip).
/// Errors: `Invalid` at `kind`, `happened_on` (not `YYYY-MM-DD`, `err.activity.future`),
/// `next_due` (not `YYYY-MM-DD`, `err.activity.due_before`), `summary` (empty, over 5000),
/// `next_step` (missing with a due date, over 500), `participants` (over 500);
/// `NotFound`/`Hidden`/`Forbidden` (see `access::find_editable`); `Db`.
pub async fn log_activity(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    lead_id: i64,
    form: ActivityForm,
) -> Result<i64, ServiceError> {
    find_editable(db, actor, lead_id).await?;
    let mut errors = Vec::new();
    if !ACTIVITY_KINDS.contains(&form.kind.as_str()) {
        errors.push(FieldError::new("kind", "err.choose"));
    }
    let happened_on = date("happened_on", &form.happened_on, &mut errors).unwrap_or_else(today);
    if happened_on > today() {
        errors.push(FieldError::new("happened_on", "err.activity.future"));
    }
    if form.summary.trim().is_empty() {
        errors.push(FieldError::new("summary", "err.required"));
    } else if form.summary.chars().count() > 5000 {
        errors.push(FieldError::new("summary", "err.too_long").with("max", 5000));
    }
    let next_due = date("next_due", &form.next_due, &mut errors);
    if next_due.is_some() && form.next_step.trim().is_empty() {
        errors.push(FieldError::new("next_step", "err.required"));
    }
    if next_due.is_some_and(|d| d < happened_on) {
        errors.push(FieldError::new("next_due", "err.activity.due_before").with("date", happened_on));
    }
    for (field, value, max) in [("participants", &form.participants, 500), ("next_step", &form.next_step, 500)] {
        if value.chars().count() > max {
            errors.push(FieldError::new(field, "err.too_long").with("max", max));
        }
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let saved = activity::ActiveModel {
        lead_id: Set(lead_id),
        kind: Set(form.kind),
        happened_on: Set(happened_on),
        participants: Set(form.participants.trim().to_string()),
        summary: Set(form.summary.trim().to_string()),
        next_step: Set(form.next_step.trim().to_string()),
        next_due: Set(next_due),
        next_done: Set(false),
        created_by: Set(actor.id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(saved.id)
}

/// A lead's 跟进记录, newest first (by the day it happened, then as logged).
/// Errors: `Hidden`/`NotFound` when the actor may not read the lead; `Db`.
pub async fn activities(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    lead_id: i64,
) -> Result<Vec<ActivityView>, ServiceError> {
    find_readable(db, actor, lead_id).await?;
    let rows = activity::Entity::find()
        .filter(activity::Column::LeadId.eq(lead_id))
        .order_by_desc(activity::Column::HappenedOn)
        .order_by_desc(activity::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|a| ActivityView {
            id: a.id,
            lead_id: a.lead_id,
            kind: a.kind,
            happened_on: a.happened_on.to_string(),
            participants: a.participants,
            summary: a.summary,
            next_step: a.next_step,
            next_due: a.next_due.map(|d| d.to_string()),
            next_done: a.next_done,
            created_by: a.created_by,
        })
        .collect())
}

/// Marks the next step of activity `activity_id` done. Anyone who may change its lead.
/// Errors: `NotFound` (no such activity, or its lead missing or deleted), `Hidden`, `Forbidden`
/// (see `access::find_editable`), `Db`.
pub async fn complete_next_step(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    activity_id: i64,
) -> Result<DoneStep, ServiceError> {
    let a = activity::Entity::find_by_id(activity_id).one(db).await?.ok_or(ServiceError::NotFound)?;
    let lead = find_editable(db, actor, a.lead_id).await?;
    let done = DoneStep { lead_id: lead.id, company_name: lead.company_name, next_step: a.next_step.clone() };
    let mut active: activity::ActiveModel = a.into();
    active.next_done = Set(true);
    active.update(db).await?;
    Ok(done)
}

/// The lead's pipeline view: its stage, days in it, version, commitment (万元) and the timeline,
/// newest first, of stage moves (Asia/Shanghai `YYYY-MM-DD HH:MM`), activities (by day) and, for
/// managers, admins and leaders, field changes other than the stage.
/// Errors: `NotFound`/`Hidden` (see `access::find_readable`), `Db`.
pub async fn pipeline(db: &impl ConnectionTrait, actor: &SessionUser, lead_id: i64) -> Result<Pipeline, ServiceError> {
    let l = find_readable(db, actor, lead_id).await?;
    let moves = stage_move::Entity::find().filter(stage_move::Column::LeadId.eq(lead_id)).all(db).await?;
    let acts = activity::Entity::find().filter(activity::Column::LeadId.eq(lead_id)).all(db).await?;
    let who = names(db, moves.iter().map(|m| m.moved_by).chain(acts.iter().map(|a| a.created_by))).await?;
    let name = |id: i64| who.get(&id).cloned().unwrap_or_default();
    // Sort key: moves by their instant, activities by their day (then when they were logged).
    let shanghai = |t: chrono::DateTime<Utc>| t.with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
    let mut entries: Vec<((NaiveDate, chrono::DateTime<Utc>), TimelineEntry)> = Vec::new();
    for m in moves {
        entries.push((
            (shanghai(m.moved_at), m.moved_at),
            TimelineEntry {
                at: local_time(m.moved_at),
                who: name(m.moved_by),
                item: TimelineItem::Move {
                    from: m.from_stage,
                    to: m.to_stage,
                    comment: m.comment,
                    reason: m.reason,
                    resume_on: m.resume_on.map(|d| d.to_string()),
                },
            },
        ));
    }
    for a in acts {
        entries.push((
            (a.happened_on, a.created_at),
            TimelineEntry {
                at: a.happened_on.to_string(),
                who: name(a.created_by),
                item: TimelineItem::Activity {
                    kind: a.kind,
                    participants: a.participants,
                    summary: a.summary,
                    next_step: a.next_step,
                    next_due: a.next_due.map(|d| d.to_string()),
                },
            },
        ));
    }
    // Photos and voice notes from visits (走访照片、语音).
    let files = crate::backend::entities::attachment::Entity::find()
        .filter(crate::backend::entities::attachment::Column::LeadId.eq(lead_id))
        .all(db)
        .await?;
    let file_who = names(db, files.iter().map(|f| f.created_by)).await?;
    for f in files {
        entries.push((
            (shanghai(f.created_at), f.created_at),
            TimelineEntry {
                at: local_time(f.created_at),
                who: file_who.get(&f.created_by).cloned().unwrap_or_default(),
                item: TimelineItem::Attachment { id: f.id, kind: f.kind, mime: f.mime },
            },
        ));
    }
    // Milestones of the plan reached (项目建设节点), on the day recorded.
    let reached: Vec<_> =
        super::plan_rows::rows(db, lead_id).await?.into_iter().filter(|r| r.done_on.is_some()).collect();
    if !reached.is_empty() {
        let kinds = super::plan_rows::kinds(db, true).await?;
        let reached_who = names(db, reached.iter().filter_map(|r| r.done_by)).await?;
        for r in reached {
            let (Some(kind), Some(done)) = (kinds.iter().find(|k| k.id == r.kind_id), r.done_on) else { continue };
            entries.push((
                (done, r.done_at.unwrap_or(r.updated_at)),
                TimelineEntry {
                    at: done.to_string(),
                    who: r.done_by.and_then(|id| reached_who.get(&id).cloned()).unwrap_or_default(),
                    item: TimelineItem::Milestone {
                        code: kind.code.clone(),
                        name: kind.name.clone(),
                        planned_on: r.planned_on.map(|d| d.to_string()),
                    },
                },
            ));
        }
    }
    if actor.role.sees_all_leads() {
        let rows = crate::backend::entities::lead_change::Entity::find()
            .filter(crate::backend::entities::lead_change::Column::LeadId.eq(lead_id))
            .filter(crate::backend::entities::lead_change::Column::Field.ne("stage"))
            .all(db)
            .await?;
        let instants: Vec<_> = rows.iter().map(|r| r.changed_at).collect();
        let views = super::history::views(db, rows).await?;
        for (at, change) in instants.into_iter().zip(views) {
            entries.push((
                (shanghai(at), at),
                TimelineEntry { at: change.at.clone(), who: change.who.clone(), item: TimelineItem::Change(change) },
            ));
        }
    }
    entries.sort_by_key(|e| std::cmp::Reverse(e.0));
    let commitment = commitment::Entity::find_by_id(lead_id).one(db).await?.map(|c| CommitmentView {
        investment_wan: c.investment_wan,
        land_mu: c.land_mu,
        output_wan: c.output_wan,
        tax_wan: c.tax_wan,
        start_on: c.start_on.map(|d| d.to_string()),
    });
    Ok(Pipeline {
        days_in_stage: l.stage_changed_at.or(Some(l.created_at)).map(|t| (Utc::now() - t).num_days()),
        can_edit: can_edit_lead(actor, &l),
        stage: l.stage,
        version: l.version,
        commitment,
        timeline: entries.into_iter().map(|(_, e)| e).collect(),
    })
}

/// Open next steps on the leads the actor owns due within a week (Asia/Shanghai), at most 50,
/// overdue ones first.
/// Errors: `Db` only.
pub async fn next_steps(db: &impl ConnectionTrait, actor: &SessionUser) -> Result<Vec<NextStep>, ServiceError> {
    let today = today();
    let mine = sea_orm::sea_query::Query::select()
        .column(lead::Column::Id)
        .from(lead::Entity)
        .and_where(lead::Column::OwnerId.eq(actor.id))
        // Not the recycle bin's: the overdue digest (`reminders`) leaves them out too.
        .and_where(lead::Column::DeletedAt.is_null())
        .to_owned();
    let due = activity::Entity::find()
        .filter(activity::Column::NextDone.eq(false))
        .filter(activity::Column::NextDue.lte(today + chrono::Duration::days(7)))
        .filter(activity::Column::LeadId.in_subquery(mine))
        .order_by_asc(activity::Column::NextDue)
        .limit(50)
        .all(db)
        .await?;
    let leads: std::collections::HashMap<i64, String> = lead::Entity::find()
        .filter(lead::Column::Id.is_in(due.iter().map(|a| a.lead_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l.company_name))
        .collect();
    Ok(due
        .into_iter()
        .filter_map(|a| {
            let d = a.next_due?;
            Some(NextStep {
                activity_id: a.id,
                lead_id: a.lead_id,
                company_name: leads.get(&a.lead_id).cloned().unwrap_or_default(),
                next_step: a.next_step,
                due: d.to_string(),
                overdue: d < today,
            })
        })
        .collect())
}
