//! Demo 招商专班 and 外出招商: three regional teams with targets, leads assigned to them by
//! region, a closed trip with reports last week, a published one next week and a draft.

use super::ServiceError;
use crate::backend::entities::{lead, user};
use crate::backend::Settings;
use crate::domain::team::division_prefix;
use crate::wire::auth::SessionUser;
use crate::wire::teams::{TargetForm, TeamForm};
use crate::wire::trips::{ReportForm, TripForm, VisitForm};
use chrono::{Datelike, Duration};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait};
use std::collections::BTreeMap;

fn ids(list: &[i64]) -> BTreeMap<String, String> {
    list.iter().map(|i| (i.to_string(), i.to_string())).collect()
}

async fn user_id(db: &impl ConnectionTrait, username: &str) -> Result<i64, ServiceError> {
    user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(db)
        .await?
        .map(|u| u.id)
        .ok_or_else(|| ServiceError::Internal(format!("demo user {username} missing")))
}

/// Seeds the demo 招商专班 (three regional teams with this year's targets, leads assigned by
/// region) and 外出招商 (a closed trip last week with reports, a published one next week, a draft),
/// as `manager`. Called by `demo::seed` after the demo users exist.
/// Errors: `Internal` if a demo user is missing; whatever the team and trip services return if
/// the demo data breaks their rules (`Invalid`, `Forbidden`, …); `Db`.
pub async fn seed<C: ConnectionTrait + TransactionTrait>(db: &C, manager: &SessionUser) -> Result<(), ServiceError> {
    let settings = Settings::default();
    let [wang, chen, zhao, sun, li] = [
        user_id(db, "wangfang").await?,
        user_id(db, "chenjie").await?,
        user_id(db, "zhaolei").await?,
        user_id(db, "sunli").await?,
        user_id(db, "liqiang").await?,
    ];
    let year = super::pipeline::today().year().to_string();
    let plans = [
        ("南京驻点专班", "南京 苏州 无锡 常州", wang, vec![wang, chen], "12", "150000"),
        ("上海驻点专班", "上海 杭州 宁波 合肥", zhao, vec![zhao], "8", "100000"),
        ("深圳驻点专班", "深圳 广州 东莞 佛山", sun, vec![sun], "8", "120000"),
    ];
    let mut teams = Vec::new();
    for (name, regions, lead_user, members, signed, wan) in plans {
        let id = super::teams::save(
            db,
            manager,
            None,
            TeamForm {
                name: name.into(),
                leader_in_charge_id: li.to_string(),
                lead_user_id: lead_user.to_string(),
                focus_regions: regions.into(),
                members: ids(&members),
                ..Default::default()
            },
        )
        .await?;
        super::teams::save_target(
            db,
            manager,
            id,
            TargetForm {
                year: year.clone(),
                signed_projects: signed.into(),
                contracted_wan: wan.into(),
                major_projects: "3".into(),
                new_leads: "120".into(),
                visits: "200".into(),
            },
        )
        .await?;
        // Leads in the team's regions are the team's (owners stay).
        for code in super::teams::parse_regions(regions).map_err(|e| ServiceError::Invalid(vec![e]))? {
            lead::Entity::update_many()
                .col_expr(lead::Column::TeamId, Expr::value(id))
                .filter(lead::Column::RegionCode.starts_with(division_prefix(&code)))
                .exec(db)
                .await?;
        }
        // Their owners are the team's own people, taken in turn (as 待分配 would give them): a
        // lead of a 专班 owned by someone outside it read as a mistake in the demo. A lead
        // without an owner stays so, for 待分配.
        let n = members.len();
        for (k, member) in members.iter().enumerate() {
            lead::Entity::update_many()
                .col_expr(lead::Column::OwnerId, Expr::value(*member))
                .filter(lead::Column::TeamId.eq(id))
                .filter(lead::Column::OwnerId.is_not_null())
                .filter(lead::Column::OwnerId.is_not_in(members.iter().copied()))
                .filter(Expr::cust(format!("id % {n} = {k}")))
                .exec(db)
                .await?;
        }
        teams.push((id, members));
    }
    let today = super::pipeline::today();
    let monday = crate::domain::calendar::week_start(today);
    // Last week in Nanjing: done and reported.
    let (nanjing, nanjing_people) = &teams[0];
    let past =
        trip(db, manager, "南京江宁电子信息企业回访", "南京", monday - Duration::days(6), 1, *nanjing, nanjing_people)
            .await?;
    let nj_leads = leads_in(db, "3201", 2).await?;
    let mut nj_visits = Vec::new();
    for (n, l) in nj_leads.iter().enumerate() {
        let day = monday - Duration::days(6 - n as i64 % 2);
        nj_visits.push(visit(db, &settings, manager, past, *l, day, ["09:30", "11:00"]).await?);
    }
    // It was published before it went (a draft is not closed).
    super::trips::publish(db, &settings, manager, past).await?;
    for (n, v) in nj_visits.into_iter().enumerate() {
        super::visits::report(
            db,
            manager,
            v,
            ReportForm {
                learned: "企业计划在长三角新建生产基地，关注标准地供给与人才公寓。".into(),
                intention: if n == 0 { "strong" } else { "interested" }.into(),
                next_step: "邀请来园区实地考察".into(),
                next_due: (today + Duration::days(10)).to_string(),
                ..Default::default()
            },
        )
        .await?;
    }
    super::trips::close(db, manager, past).await?;
    // Next week in Shenzhen: published.
    let (shenzhen, sz_people) = &teams[2];
    let mut people = sz_people.clone();
    people.push(zhao);
    let next =
        trip(db, manager, "深圳电子信息产业链招商", "深圳", monday + Duration::days(8), 1, *shenzhen, &people).await?;
    for (n, l) in leads_in(db, "4403", 3).await?.iter().enumerate() {
        let slot = [["09:30", "11:00"], ["14:00", "15:30"], ["10:00", "11:30"]][n];
        visit(db, &settings, manager, next, *l, monday + Duration::days(8 + (n as i64) / 2), slot).await?;
    }
    super::trips::publish(db, &settings, manager, next).await?;
    // In two weeks, Shanghai: still a draft.
    let (shanghai, sh_people) = &teams[1];
    trip(db, manager, "上海集成电路企业走访", "上海", monday + Duration::days(15), 0, *shanghai, sh_people).await?;
    history(db, manager).await
}

/// A year of history for the reports: leads logged over the last twelve months, commitments for
/// the projects that signed (spread over the year), and actual figures for the older ones.
async fn history<C: ConnectionTrait + TransactionTrait>(db: &C, manager: &SessionUser) -> Result<(), ServiceError> {
    use crate::backend::entities::{commitment, project_actual};
    use sea_orm::{ActiveModelTrait, Set};
    let now = chrono::Utc::now();
    let leads = lead::Entity::find().order_by_asc(lead::Column::Id).all(db).await?;
    for l in &leads {
        let age = Duration::days((l.id * 37 % 360) + 1);
        lead::Entity::update_many()
            .col_expr(lead::Column::CreatedAt, Expr::value(now - age))
            .filter(lead::Column::Id.eq(l.id))
            .exec(db)
            .await?;
    }
    let landed = ["signed", "registered", "land", "construction", "production"];
    for (n, l) in leads.iter().filter(|l| landed.contains(&l.stage.as_str())).enumerate() {
        let investment = l.planned_investment_wan.unwrap_or(5000.0);
        let signed_at = now - Duration::days((n as i64 * 23) % 330);
        commitment::ActiveModel {
            lead_id: Set(l.id),
            investment_wan: Set(investment),
            land_mu: Set(l.land_mu),
            output_wan: Set(l.annual_output_wan),
            tax_wan: Set(l.annual_tax_wan),
            start_on: Set(None),
            recorded_by: Set(manager.id),
            recorded_at: Set(signed_at),
        }
        .insert(db)
        .await?;
        plan(db, manager, l, signed_at.date_naive() + Duration::days(120)).await?;
        if l.stage == "production" || l.stage == "construction" {
            // Some keep their word, some fall behind.
            let share = [0.4, 0.7, 0.95, 1.1][n % 4];
            land(db, manager, l, investment, signed_at.date_naive()).await?;
            project_actual::ActiveModel {
                lead_id: Set(l.id),
                year: Set(super::pipeline::today().year() - 1),
                investment_wan: Set(Some((investment * share).round())),
                output_wan: Set(l.annual_output_wan.map(|o| (o * share * 0.8).round())),
                tax_wan: Set(l.annual_tax_wan.map(|t| (t * share * 0.7).round())),
                recorded_by: Set(manager.id),
                recorded_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

/// A demo 标准地 contract: the area committed at 签约 (else 50 亩), an investment intensity a little
/// above what the project planned, 亩均税收 from its planned tax, reviewed three years on.
async fn land(
    db: &impl ConnectionTrait,
    manager: &SessionUser,
    l: &lead::Model,
    investment: f64,
    signed_on: chrono::NaiveDate,
) -> Result<(), ServiceError> {
    let mu = l.land_mu.filter(|m| *m > 0.0).unwrap_or(50.0);
    let form = crate::wire::land::LandForm {
        contract_no: format!("标准地-{}", l.id),
        land_mu: mu.to_string(),
        intensity: ((investment / mu) * 1.1).round().to_string(),
        tax_per_mu: l.annual_tax_wan.map(|t| (t / mu).round().max(1.0).to_string()).unwrap_or_default(),
        signed_on: signed_on.to_string(),
        review_on: (signed_on + Duration::days(3 * 365)).to_string(),
        ..Default::default()
    };
    super::land_contracts::save(db, manager, l.id, form).await
}

/// A demo 项目建设计划: counted back from a start `start` days after 签约, the milestones up to the
/// lead's stage reached on their planned day (today at the latest). Projects that signed long ago
/// and have not started come out 应开未开, with their overdue milestones on the problem list.
async fn plan<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    manager: &SessionUser,
    l: &lead::Model,
    start: chrono::NaiveDate,
) -> Result<(), ServiceError> {
    use crate::wire::projects::{CountBackForm, MilestoneForm};
    let kinds = super::plan_rows::kinds(db, false).await?;
    let Some(anchor) = kinds.iter().find(|k| k.code == crate::domain::project_plan::START) else { return Ok(()) };
    let form = CountBackForm { anchor: anchor.id.to_string(), date: start.to_string(), ..Default::default() };
    super::project_plan::count_back(db, manager, l.id, form).await?;
    let reached = match l.stage.as_str() {
        "registered" => "register",
        "land" => "land",
        "construction" => "start",
        "production" => "production",
        _ => return Ok(()),
    };
    let today = super::pipeline::today();
    let rows = super::plan_rows::rows(db, l.id).await?;
    for k in kinds.iter().take_while(|k| k.code != reached).chain(kinds.iter().filter(|k| k.code == reached)) {
        let planned = rows.iter().find(|r| r.kind_id == k.id).and_then(|r| r.planned_on);
        let done = planned.map(|p| p.min(today)).unwrap_or(today);
        let form = MilestoneForm {
            planned: planned.map(|p| p.to_string()).unwrap_or_default(),
            done: done.to_string(),
            department: if k.code == "land" { "自然资源和规划局".into() } else { String::new() },
            owner: String::new(),
        };
        super::project_plan::save_milestone(db, manager, l.id, k.id, form).await?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn trip<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    manager: &SessionUser,
    purpose: &str,
    destination: &str,
    start: chrono::NaiveDate,
    days: i64,
    team: i64,
    members: &[i64],
) -> Result<i64, ServiceError> {
    super::trips::create(
        db,
        manager,
        TripForm {
            kind: "outbound".into(),
            purpose: purpose.into(),
            destination: destination.into(),
            start_on: start.to_string(),
            end_on: (start + Duration::days(days)).to_string(),
            team_id: team.to_string(),
            members: ids(members),
        },
    )
    .await
}

async fn leads_in(db: &impl ConnectionTrait, prefix: &str, n: u64) -> Result<Vec<i64>, ServiceError> {
    Ok(lead::Entity::find()
        .filter(lead::Column::RegionCode.starts_with(prefix))
        .filter(lead::Column::Stage.is_in(["clue", "contact", "visit"]))
        .order_by_asc(lead::Column::Id)
        .limit(n)
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.id)
        .collect())
}

async fn visit<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    settings: &Settings,
    manager: &SessionUser,
    trip: i64,
    lead: i64,
    day: chrono::NaiveDate,
    [start, end]: [&str; 2],
) -> Result<i64, ServiceError> {
    super::visits::add(
        db,
        settings,
        manager,
        trip,
        VisitForm {
            lead: lead.to_string(),
            date: day.to_string(),
            start: start.into(),
            end: end.into(),
            place: "企业总部会议室".into(),
            contact: "总经理办公室".into(),
            attendees: BTreeMap::new(),
        },
    )
    .await
}
