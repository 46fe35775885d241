//! The lead list: filters, Chinese name search on an index, sort and pages, restricted to what
//! the reader may see. Every filter and sort here has an index (see the migrations).

use super::access::visible_to;
use super::leads::region_from;
use super::list_count::{capped_count_statement, count_capped, CountCache, COUNT_CAP};
use super::ServiceError;
use crate::backend::entities::{import_update, lead, lead_node, user};
use crate::backend::local_time;
use crate::backend::regions::divisions;
use crate::domain::lead::FieldError;
use crate::domain::lead_filter::{LeadFilter, SortKey, PER_PAGE};
use crate::domain::region::{RegionCode, RegionGroup};
use crate::wire::auth::SessionUser;
use crate::wire::leads::{LeadPage, LeadRow};
use sea_orm::sea_query::{Alias, Asterisk, Condition, Expr, Func, JoinType, LikeExpr, NullOrdering, Order, SimpleExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait, Select, SelectModel, Selector,
};

/// The columns a list row shows (11 of the lead's 41) and its owner's name: a page reads and
/// decodes only these.
#[derive(Debug, FromQueryResult)]
struct ListColumns {
    id: i64,
    company_name: String,
    region_code: String,
    industry: String,
    stage: String,
    channel: String,
    planned_investment_wan: Option<f64>,
    owner_name: Option<String>,
    updated_at: chrono::DateTime<chrono::Utc>,
    score: Option<f64>,
    grade: Option<String>,
}

/// The rows of `page` (the filter's query, ordered, with its offset and limit) as
/// [`ListColumns`], in one statement: the page is cut first, then its owners' names are joined
/// to its rows (joined before, a name would be looked up for every match SQLite sorts), then the
/// page's rows are put in the filter's order again (the subquery's order is not the outer's).
fn page_rows(
    backend: DatabaseBackend,
    page: Select<lead::Entity>,
    filter: &LeadFilter,
) -> Selector<SelectModel<ListColumns>> {
    use lead::Column as C;
    let cut = page
        .select_only()
        .columns([
            C::Id,
            C::CompanyName,
            C::RegionCode,
            C::Industry,
            C::Stage,
            C::Channel,
            C::PlannedInvestmentWan,
            C::OwnerId,
            C::UpdatedAt,
            // What the sort may read besides the above.
            C::CreatedAt,
            C::Score,
            C::Grade,
        ])
        .into_query();
    // Named `leads`, so the filter's ORDER BY (on `leads`' columns) reads the page's.
    let mut rows = ordered(backend, lead::Entity::find(), filter);
    QueryTrait::query(&mut rows)
        .clear_selects()
        .from_clear()
        .column((lead::Entity, Asterisk))
        .expr_as(Expr::col((user::Entity, user::Column::DisplayName)), Alias::new("owner_name"))
        .from_subquery(cut, lead::Entity)
        .join(
            JoinType::LeftJoin,
            user::Entity,
            Expr::col((user::Entity, user::Column::Id)).equals((lead::Entity, lead::Column::OwnerId)),
        );
    rows.into_model::<ListColumns>()
}

/// `%text%` with LIKE's wildcards escaped.
fn like_pattern(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// Company-name search on the folded name (`names::fold_company_name`, applied to the query
/// too: `(苏州)精工` finds `（苏州）精工有限公司`) that uses an index: FTS5 trigram on SQLite
/// for 3+ characters, pg_trgm (behind LIKE) on PostgreSQL; shorter queries fall back to LIKE.
fn name_matches(backend: DatabaseBackend, q: &str) -> Condition {
    let mut cond = Condition::any();
    let folded = crate::domain::names::fold_company_name(q);
    if folded.is_empty() {
        // Only invisible characters or spaces: nothing to look for in names.
    } else if backend == DatabaseBackend::Sqlite && folded.chars().count() >= 3 {
        let phrase = format!("\"{}\"", folded.replace('"', "\"\""));
        cond = cond.add(Expr::cust_with_values(
            "leads.id IN (SELECT rowid FROM leads_name_fts WHERE leads_name_fts MATCH ?)",
            [phrase],
        ));
    } else {
        cond = cond.add(lead::Column::NameFold.like(LikeExpr::new(like_pattern(&folded)).escape('\\')));
    }
    let code = crate::domain::uscc::normalise_input(q);
    if code.len() >= 6 && code.chars().all(|c| c.is_ascii_alphanumeric()) {
        cond = cond.add(lead::Column::Uscc.starts_with(code));
    }
    cond
}

/// The leads `actor` may see that match `filter` (no order, no page): shared by the list, the
/// kanban board and the exports. `major_project_wan` (万元) is the 重大项目 threshold for
/// `major=true`. Builds the query only; nothing is read.
/// Errors: `Invalid` at `owner` (neither `me`, `none` nor a user id).
pub fn filtered(
    backend: DatabaseBackend,
    actor: &SessionUser,
    filter: &LeadFilter,
    major_project_wan: f64,
) -> Result<Select<lead::Entity>, ServiceError> {
    filtered_for(backend, actor, filter, major_project_wan, Plan::Planner)
}

/// How a page of the list finds its rows. SQLite's planner knows only each index's average rows
/// per value, so for a broad filter sorted by another column (长三角 by score: half the leads) it
/// fetches every match and sorts them (110 ms at 100,000 leads) where walking the sort's index and
/// keeping the matches stops after a page (1 ms). The capped count, read first, says how broad
/// the filter is; [`plan_for`] chooses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plan {
    /// The database's own choice.
    Planner,
    /// Walk the sort's index: the filter's equality terms are marked `likely()` (SQLite's
    /// planner hint, evaluated as the bare term) so their indexes are not chosen for it.
    WalkSort,
}

/// [`Plan::WalkSort`] when walking the sort's index reads fewer rows than sorting the matches:
/// walking reads about `needed × leads ÷ matches` rows (`needed` = offset + page size, `leads`
/// = all leads), sorting reads `matches` — so walk when `needed × leads < matches²`. SQLite
/// only (PostgreSQL's planner keeps per-value statistics), and only with an equality filter.
/// `matches` is the capped count (`COUNT_CAP + 1` when there are more).
pub fn plan_for(backend: DatabaseBackend, filter: &LeadFilter, matches: u64, needed: u64, leads: u64) -> Plan {
    if backend == DatabaseBackend::Sqlite
        && has_equality(filter)
        && needed.saturating_mul(leads) < matches.saturating_mul(matches)
    {
        Plan::WalkSort
    } else {
        Plan::Planner
    }
}

/// Whether `filter` has an equality term [`Plan::WalkSort`] could mark.
fn has_equality(filter: &LeadFilter) -> bool {
    filter.group.is_some()
        || filter.industry.is_some()
        || filter.stage.is_some()
        || filter.channel.is_some()
        || filter.owner.is_some()
        || filter.grade.is_some()
        || filter.region.is_some()
        || filter.team.is_some()
        || filter.import.is_some()
}

/// The 重大项目 threshold (万元) when `filter` asks for 重大项目 only (a read of the score
/// configuration); otherwise NaN without a read: only that filter puts it in the query.
/// Errors: those of `scoring::major_project_wan`.
async fn major_threshold(db: &impl ConnectionTrait, filter: &LeadFilter) -> Result<f64, ServiceError> {
    if filter.major == Some(true) {
        super::scoring::major_project_wan(db).await
    } else {
        Ok(f64::NAN)
    }
}

/// `col = value`, marked `likely()` for [`Plan::WalkSort`].
fn eq_term(plan: Plan, col: lead::Column, value: impl Into<sea_orm::Value>) -> SimpleExpr {
    let term = col.eq(value);
    match plan {
        Plan::Planner => term,
        Plan::WalkSort => Func::cust(Alias::new("likely")).arg(term).into(),
    }
}

fn filtered_for(
    backend: DatabaseBackend,
    actor: &SessionUser,
    filter: &LeadFilter,
    major_project_wan: f64,
    plan: Plan,
) -> Result<Select<lead::Entity>, ServiceError> {
    let eq = |col: lead::Column, value: sea_orm::Value| eq_term(plan, col, value);
    let mut q = visible_to(lead::Entity::find(), actor);
    if filter.major == Some(true) {
        q = q.filter(
            Condition::any()
                .add(lead::Column::MajorFlag.eq(true))
                .add(lead::Column::PlannedInvestmentWan.gte(major_project_wan)),
        );
    }
    if let Some(g) = &filter.group {
        q = q.filter(eq(lead::Column::RegionGroup, g.as_str().into()));
    }
    if let Some(i) = &filter.industry {
        q = q.filter(eq(lead::Column::Industry, i.as_str().into()));
    }
    if let Some(s) = &filter.stage {
        q = q.filter(eq(lead::Column::Stage, s.as_str().into()));
    }
    if let Some(c) = &filter.channel {
        q = q.filter(eq(lead::Column::Channel, c.as_str().into()));
    }
    match filter.owner.as_deref() {
        Some("me") => q = q.filter(eq(lead::Column::OwnerId, actor.id.into())),
        Some("none") => q = q.filter(lead::Column::OwnerId.is_null()),
        Some(other) => match other.parse::<i64>() {
            Ok(id) => q = q.filter(eq(lead::Column::OwnerId, id.into())),
            Err(_) => return Err(ServiceError::Invalid(vec![FieldError::new("owner", "err.choose")])),
        },
        None => {}
    }
    if let Some(g) = &filter.grade {
        q = q.filter(eq(lead::Column::Grade, g.as_str().into()));
    }
    if let Some(node) = filter.node {
        let on_node = sea_orm::sea_query::Query::select()
            .column(lead_node::Column::LeadId)
            .from(lead_node::Entity)
            .and_where(lead_node::Column::NodeId.eq(node))
            .to_owned();
        q = q.filter(lead::Column::Id.in_subquery(on_node));
    }
    if let Some(r) = filter.region.as_deref().filter(|r| crate::domain::lead_filter::is_region(r)) {
        // Each on an index: a county through its city's (`idx_leads_city`), an overseas area
        // (`OS-TW`, or the map's 71/81/82 shapes) through the group's.
        q = match RegionCode::parse(r) {
            Some(RegionCode::Overseas(area)) => q
                .filter(eq(lead::Column::RegionGroup, RegionGroup::Overseas.as_str().into()))
                .filter(lead::Column::RegionCode.eq(area.code())),
            _ => match r.len() {
                2 => q.filter(eq(lead::Column::ProvinceCode, r.into())),
                4 => q.filter(eq(lead::Column::CityCode, r.into())),
                _ if &r[2..4] == "00" => {
                    q.filter(eq(lead::Column::ProvinceCode, r[..2].into())).filter(lead::Column::RegionCode.eq(r))
                }
                _ => q.filter(eq(lead::Column::CityCode, r[..4].into())).filter(lead::Column::RegionCode.eq(r)),
            },
        };
    }
    if let Some(team) = filter.team {
        q = q.filter(eq(lead::Column::TeamId, team.into()));
    }
    if let Some(batch) = filter.import {
        // The leads the batch created, and those it updated (查重合并).
        let updated = sea_orm::sea_query::Query::select()
            .column(import_update::Column::LeadId)
            .from(import_update::Entity)
            .and_where(import_update::Column::BatchId.eq(batch))
            .to_owned();
        q = q.filter(
            Condition::any()
                .add(eq(lead::Column::ImportBatchId, batch.into()))
                .add(lead::Column::Id.in_subquery(updated)),
        );
    }
    if let Some(text) = filter.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        q = q.filter(name_matches(backend, text));
    }
    Ok(q)
}

/// The filter's sort, then the id (a stable order for pages and exports). Amounts and scores
/// sort missing values last; on SQLite, whose descending order already puts NULLs last, that is
/// a plain `DESC` so the sort's index is walked instead of sorting every match.
pub fn ordered(backend: DatabaseBackend, q: Select<lead::Entity>, filter: &LeadFilter) -> Select<lead::Entity> {
    let sort = filter.sort();
    let order = if sort.descending { Order::Desc } else { Order::Asc };
    let nulls_last = |q: Select<lead::Entity>, col: lead::Column| {
        if backend == DatabaseBackend::Sqlite && sort.descending {
            q.order_by(col, Order::Desc)
        } else {
            q.order_by_with_nulls(col, order.clone(), NullOrdering::Last)
        }
    };
    let q = match sort.key {
        SortKey::Updated => q.order_by(lead::Column::UpdatedAt, order.clone()),
        SortKey::Created => q.order_by(lead::Column::CreatedAt, order.clone()),
        SortKey::Name => q.order_by(lead::Column::CompanyName, order.clone()),
        SortKey::Investment => nulls_last(q, lead::Column::PlannedInvestmentWan),
        SortKey::Score => nulls_last(q, lead::Column::Score),
    };
    q.order_by(lead::Column::Id, order)
}

/// The two statements a list page runs (the capped count, then the page's rows, in the plan the
/// count calls for), as SQL: the benchmark runs them directly to compare the app's overhead with
/// the database's own time. Reads the count once to choose the plan.
/// Errors: those of [`filtered`] (`Invalid` at `owner`), `Db`.
pub async fn statements(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    filter: &LeadFilter,
    major_project_wan: f64,
) -> Result<(sea_orm::Statement, sea_orm::Statement), ServiceError> {
    let backend = db.get_database_backend();
    let q = ordered(backend, filtered(backend, actor, filter, major_project_wan)?, filter);
    let count = capped_count_statement(backend, &q);
    let (total, more) = count_capped(db, &CountCache::default(), &q).await?;
    let offset = (filter.page() - 1) * PER_PAGE;
    let q = page_query(db, actor, filter, major_project_wan, (total, more), offset + PER_PAGE).await?;
    let page = page_rows(backend, q.offset(offset).limit(PER_PAGE), filter).into_statement(backend);
    Ok((count, page))
}

/// The filter's query, ordered, in the plan [`plan_for`] chooses from the capped count
/// `(total, more)` and `needed` (offset + page size). Reads the number of leads (the largest id,
/// one index probe) only when the choice depends on it.
/// Errors: `Invalid` at `owner` (see [`filtered`]), `Db`.
async fn page_query(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    filter: &LeadFilter,
    major_project_wan: f64,
    (total, more): (u64, bool),
    needed: u64,
) -> Result<Select<lead::Entity>, ServiceError> {
    let backend = db.get_database_backend();
    let matches = if more { COUNT_CAP + 1 } else { total };
    let mut plan = Plan::Planner;
    if backend == DatabaseBackend::Sqlite && needed < matches && has_equality(filter) {
        let leads: Option<Option<i64>> =
            lead::Entity::find().select_only().column_as(lead::Column::Id.max(), "m").into_tuple().one(db).await?;
        let leads = leads.flatten().unwrap_or(0).max(0) as u64;
        plan = plan_for(backend, filter, matches, needed, leads);
    }
    Ok(ordered(backend, filtered_for(backend, actor, filter, major_project_wan, plan)?, filter))
}

/// A page of the lead list (线索列表) for `actor`: at most `PER_PAGE` (50) rows of the filter's
/// page (clamped to the last page unless the count is capped), with region names, owner names,
/// amounts in 万元 and `updated_at` in Asia/Shanghai; the capped total (a capped one as counted
/// up to `list_count::CAPPED_FOR` ago, in `counts`) and the page count.
/// Errors: `Invalid` at `owner` (see [`filtered`]), `Db`, `Internal` (no score configuration).
pub async fn list(
    db: &impl ConnectionTrait,
    counts: &CountCache,
    actor: &SessionUser,
    filter: &LeadFilter,
) -> Result<LeadPage, ServiceError> {
    let major_project_wan = major_threshold(db, filter).await?;
    let backend = db.get_database_backend();
    let q = ordered(backend, filtered(backend, actor, filter, major_project_wan)?, filter);

    let (total, more) = count_capped(db, counts, &q).await?;
    let pages = total.div_ceil(PER_PAGE).max(1);
    // Past the cap the last page is unknown: any page may be asked for.
    let page = if more { filter.page() } else { filter.page().min(pages) };
    let offset = (page - 1) * PER_PAGE;
    let rows = if total == 0 {
        Vec::new()
    } else {
        let q = page_query(db, actor, filter, major_project_wan, (total, more), offset + PER_PAGE).await?;
        page_rows(backend, q.offset(offset).limit(PER_PAGE), filter).all(db).await?
    };
    let d = divisions();
    let rows = rows
        .into_iter()
        .map(|l| LeadRow {
            id: l.id,
            region: d.view(&region_from(&l.region_code)),
            owner_name: l.owner_name,
            updated_at: local_time(l.updated_at),
            company_name: l.company_name,
            industry: l.industry,
            stage: l.stage,
            channel: l.channel,
            planned_investment_wan: l.planned_investment_wan,
            score: l.score,
            grade: l.grade,
        })
        .collect();
    Ok(LeadPage { rows, total, page, pages, more })
}

/// A page of whole leads for the REST API: `per_page` rows (the caller keeps it to 1–200) of page
/// `page` (from 1) in the filter's order, the capped count (see [`list`]) and whether more match
/// than it says.
/// Errors: `Invalid` at `owner` (see [`filtered`]), `Db`, `Internal` (no score configuration).
pub async fn models(
    db: &impl ConnectionTrait,
    counts: &CountCache,
    actor: &SessionUser,
    filter: &LeadFilter,
    page: u64,
    per_page: u64,
) -> Result<(Vec<lead::Model>, u64, bool), ServiceError> {
    let major_project_wan = major_threshold(db, filter).await?;
    let backend = db.get_database_backend();
    let q = ordered(backend, filtered(backend, actor, filter, major_project_wan)?, filter);
    let (total, more) = count_capped(db, counts, &q).await?;
    let offset = page.saturating_sub(1) * per_page;
    // An exact count past which the page lies: nothing to read.
    if !more && offset >= total {
        return Ok((Vec::new(), total, more));
    }
    let q = page_query(db, actor, filter, major_project_wan, (total, more), offset + per_page).await?;
    let rows = q.offset(offset).limit(per_page).all(db).await?;
    Ok((rows, total, more))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::QueryTrait;

    #[test]
    fn walking_the_sort_index_keeps_every_filter_and_its_value() {
        let staff = SessionUser {
            id: 7,
            username: "s".into(),
            display_name: "s".into(),
            role: crate::domain::role::Role::Staff,
            locale: crate::i18n::Locale::default(),
            teams: vec![3],
            led_teams: Vec::new(),
        };
        let filter = LeadFilter {
            group: Some("yrd".into()),
            stage: Some("negotiation".into()),
            sort: Some("-score".into()),
            ..LeadFilter::default()
        };
        let backend = DatabaseBackend::Sqlite;
        for plan in [Plan::Planner, Plan::WalkSort] {
            let q = ordered(backend, filtered_for(backend, &staff, &filter, 10_000.0, plan).expect("query"), &filter);
            let stmt = q.limit(50).build(backend);
            let marked = plan == Plan::WalkSort;
            assert_eq!(stmt.sql.contains(r#"likely("leads"."region_group" = ?)"#), marked, "{}", stmt.sql);
            assert_eq!(stmt.sql.contains(r#"likely("leads"."stage" = ?)"#), marked, "{}", stmt.sql);
            assert!(!stmt.sql.contains('$'), "{}", stmt.sql);
            // Every `?` has its value, in order: the staff member's rights, the filters, the limit.
            let values = stmt.values.expect("values").0;
            assert_eq!(stmt.sql.matches('?').count(), values.len(), "{}", stmt.sql);
            let texts: Vec<String> = values.iter().map(|v| format!("{v:?}")).collect();
            assert!(texts.iter().any(|t| t.contains("\"yrd\"")), "{texts:?}");
            assert!(texts.iter().any(|t| t.contains("\"negotiation\"")), "{texts:?}");
        }
    }

    #[test]
    fn a_page_is_cut_then_named_then_put_in_the_sort_order_again() {
        let manager = SessionUser {
            id: 1,
            username: "m".into(),
            display_name: "m".into(),
            role: crate::domain::role::Role::Manager,
            locale: crate::i18n::Locale::default(),
            teams: Vec::new(),
            led_teams: Vec::new(),
        };
        let filter = LeadFilter { sort: Some("-score".into()), ..LeadFilter::default() };
        for (backend, order) in [
            (DatabaseBackend::Sqlite, r#"ORDER BY "leads"."score" DESC, "leads"."id" DESC"#),
            (DatabaseBackend::Postgres, r#"ORDER BY "leads"."score" DESC NULLS LAST, "leads"."id" DESC"#),
        ] {
            let q = ordered(backend, filtered(backend, &manager, &filter, f64::NAN).expect("query"), &filter);
            let sql = page_rows(backend, q.offset(50).limit(PER_PAGE), &filter).into_statement(backend).sql;
            // The cut (inside, with its order, offset and limit), the name joined outside, the
            // order again last.
            let (inner, outer) = sql.split_once(r#") AS "leads""#).expect(&sql);
            assert!(inner.contains(order) && inner.contains("LIMIT") && inner.contains("OFFSET"), "{sql}");
            assert!(inner.contains(r#""leads"."created_at""#), "{sql}");
            assert!(outer.contains(r#"LEFT JOIN "users" ON "users"."id" = "leads"."owner_id""#), "{sql}");
            assert!(outer.trim_end().ends_with(order), "{sql}");
            assert!(!outer.contains("LIMIT"), "{sql}");
        }
    }

    #[test]
    fn a_broad_filter_walks_the_sort_index_and_a_narrow_one_sorts_its_matches() {
        let yrd = LeadFilter { group: Some("yrd".into()), ..LeadFilter::default() };
        let sqlite = DatabaseBackend::Sqlite;
        // 长三角 is half of 100,000 leads (count capped: 10,001): page 1 and page 10 walk.
        assert_eq!(plan_for(sqlite, &yrd, COUNT_CAP + 1, 50, 100_000), Plan::WalkSort);
        assert_eq!(plan_for(sqlite, &yrd, COUNT_CAP + 1, 500, 100_000), Plan::WalkSort);
        // 355 matches: walking would read ~14,000 rows for page 1; sorting reads 355.
        assert_eq!(plan_for(sqlite, &yrd, 355, 50, 100_000), Plan::Planner);
        // No equality filter, or PostgreSQL: the planner decides.
        assert_eq!(plan_for(sqlite, &LeadFilter::default(), COUNT_CAP + 1, 50, 100_000), Plan::Planner);
        assert_eq!(plan_for(DatabaseBackend::Postgres, &yrd, COUNT_CAP + 1, 50, 100_000), Plan::Planner);
    }
}
