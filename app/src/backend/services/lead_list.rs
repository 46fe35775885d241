//! The lead list: filters, Chinese name search on an index, sort and pages, restricted to what
//! the reader may see. Every filter and sort here has an index (see the migrations).

use super::access::visible_to;
use super::leads::region_of;
use super::users::names;
use super::ServiceError;
use crate::backend::entities::{lead, lead_node};
use crate::backend::local_time;
use crate::backend::regions::divisions;
use crate::domain::lead::FieldError;
use crate::domain::lead_filter::{LeadFilter, SortKey, PER_PAGE};
use crate::wire::auth::SessionUser;
use crate::wire::leads::{LeadPage, LeadRow};
use sea_orm::sea_query::{Condition, Expr, LikeExpr, NullOrdering, Order};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};

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
    let mut q = visible_to(lead::Entity::find(), actor);
    if filter.major == Some(true) {
        q = q.filter(
            Condition::any()
                .add(lead::Column::MajorFlag.eq(true))
                .add(lead::Column::PlannedInvestmentWan.gte(major_project_wan)),
        );
    }
    if let Some(g) = &filter.group {
        q = q.filter(lead::Column::RegionGroup.eq(g.as_str()));
    }
    if let Some(i) = &filter.industry {
        q = q.filter(lead::Column::Industry.eq(i.as_str()));
    }
    if let Some(s) = &filter.stage {
        q = q.filter(lead::Column::Stage.eq(s.as_str()));
    }
    if let Some(c) = &filter.channel {
        q = q.filter(lead::Column::Channel.eq(c.as_str()));
    }
    match filter.owner.as_deref() {
        Some("me") => q = q.filter(lead::Column::OwnerId.eq(actor.id)),
        Some("none") => q = q.filter(lead::Column::OwnerId.is_null()),
        Some(other) => match other.parse::<i64>() {
            Ok(id) => q = q.filter(lead::Column::OwnerId.eq(id)),
            Err(_) => return Err(ServiceError::Invalid(vec![FieldError::new("owner", "err.choose")])),
        },
        None => {}
    }
    if let Some(g) = &filter.grade {
        q = q.filter(lead::Column::Grade.eq(g.as_str()));
    }
    if let Some(node) = filter.node {
        let on_node = sea_orm::sea_query::Query::select()
            .column(lead_node::Column::LeadId)
            .from(lead_node::Entity)
            .and_where(lead_node::Column::NodeId.eq(node))
            .to_owned();
        q = q.filter(lead::Column::Id.in_subquery(on_node));
    }
    if let Some(r) = filter.region.as_deref().filter(|r| crate::domain::lead_filter::is_division_prefix(r)) {
        q = q.filter(match r.len() {
            2 => lead::Column::ProvinceCode.eq(r),
            4 => lead::Column::CityCode.eq(r),
            _ => lead::Column::RegionCode.eq(r),
        });
    }
    if let Some(team) = filter.team {
        q = q.filter(lead::Column::TeamId.eq(team));
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

/// Beyond this many matches a list says "10,000+" instead of counting every row: an exact
/// count of a large list scans every matching row on every page view, and nobody pages that far.
pub const COUNT_CAP: u64 = 10_000;

/// `SELECT COUNT(*) FROM (SELECT id … LIMIT COUNT_CAP + 1)`: the count, capped.
fn capped_count_statement(backend: DatabaseBackend, q: &Select<lead::Entity>) -> sea_orm::Statement {
    use sea_orm::sea_query::{Alias, Query};
    use sea_orm::QueryTrait;
    let mut inner = q.clone().select_only().column(lead::Column::Id).into_query();
    inner.clear_order_by().limit(COUNT_CAP + 1);
    let stmt = Query::select()
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
        .from_subquery(inner, Alias::new("sub"))
        .to_owned();
    backend.build(&stmt)
}

/// How many leads `q` matches, at most `COUNT_CAP`, and whether there are more.
/// Errors: `Db` only (also for a count row that cannot be read).
pub async fn count_capped(db: &impl ConnectionTrait, q: &Select<lead::Entity>) -> Result<(u64, bool), ServiceError> {
    let row = db.query_one(capped_count_statement(db.get_database_backend(), q)).await?;
    let n = row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0).max(0) as u64;
    Ok((n.min(COUNT_CAP), n > COUNT_CAP))
}

/// The two statements a list page runs (the capped count, then the page's rows), as SQL: the
/// benchmark runs them directly to compare the app's overhead with the database's own time.
/// Errors: those of [`filtered`] (`Invalid` at `owner`).
pub fn statements(
    backend: DatabaseBackend,
    actor: &SessionUser,
    filter: &LeadFilter,
    major_project_wan: f64,
) -> Result<(sea_orm::Statement, sea_orm::Statement), ServiceError> {
    use sea_orm::QueryTrait;
    let q = ordered(backend, filtered(backend, actor, filter, major_project_wan)?, filter);
    let count = capped_count_statement(backend, &q);
    let page = q.offset((filter.page() - 1) * PER_PAGE).limit(PER_PAGE).build(backend);
    Ok((count, page))
}

/// A page of the lead list (线索列表) for `actor`: at most `PER_PAGE` (50) rows of the filter's
/// page (clamped to the last page unless the count is capped), with region names, owner names,
/// amounts in 万元 and `updated_at` in Asia/Shanghai; the capped total and the page count.
/// Errors: `Invalid` at `owner` (see [`filtered`]), `Db`, `Internal` (no score configuration).
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    filter: &LeadFilter,
) -> Result<LeadPage, ServiceError> {
    let major_project_wan = super::scoring::major_project_wan(db).await?;
    let backend = db.get_database_backend();
    let q = ordered(backend, filtered(backend, actor, filter, major_project_wan)?, filter);

    let (total, more) = count_capped(db, &q).await?;
    let pages = total.div_ceil(PER_PAGE).max(1);
    // Past the cap the last page is unknown: any page may be asked for.
    let page = if more { filter.page() } else { filter.page().min(pages) };
    let rows = q.offset((page - 1) * PER_PAGE).limit(PER_PAGE).all(db).await?;
    let who = names(db, rows.iter().filter_map(|r| r.owner_id)).await?;
    let d = divisions();
    let rows = rows
        .into_iter()
        .map(|l| LeadRow {
            id: l.id,
            region: d.view(&region_of(&l)),
            owner_name: l.owner_id.and_then(|o| who.get(&o).cloned()),
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
/// `page` (from 1) in the filter's order, the capped count and whether more match than it says.
/// Errors: `Invalid` at `owner` (see [`filtered`]), `Db`, `Internal` (no score configuration).
pub async fn models(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    filter: &LeadFilter,
    page: u64,
    per_page: u64,
) -> Result<(Vec<lead::Model>, u64, bool), ServiceError> {
    let major_project_wan = super::scoring::major_project_wan(db).await?;
    let backend = db.get_database_backend();
    let q = ordered(backend, filtered(backend, actor, filter, major_project_wan)?, filter);
    let (total, more) = count_capped(db, &q).await?;
    let rows = q.offset(page.saturating_sub(1) * per_page).limit(per_page).all(db).await?;
    Ok((rows, total, more))
}
