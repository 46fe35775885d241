//! The lead registry: create, update, read (with contacts, duplicate hints, placements and the
//! score). Who may read or change a lead is `access`'s to say; lists are `lead_list`.

use super::access::{can_edit_lead, can_read_lead, find_readable};
use super::rescore::{rescore, Scope};
use super::users::names;
use super::{is_unique_violation, ServiceError};
use crate::backend::entities::{lead, lead_contact, user};
use crate::backend::local_time;
use crate::backend::regions::divisions;
use crate::domain::lead::{tri_state_code, Contact, ContactForm, FieldError, LeadForm, LeadInput};
use crate::domain::region::RegionCode;
use crate::domain::uscc::Uscc;
use crate::wire::auth::SessionUser;
use crate::wire::leads::{ContactView, LeadDetail, LeadEdit};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};

/// The region: from the USCC's registering authority when it is known — unless the one picked
/// lies within it and says more (江宁区 picked, a USCC registered by 南京市's bureau, 320100;
/// 济南市莱芜区 beside a USCC of the former 莱芜市, which resolves only to 山东省) — else the
/// one picked ([`region_by_rule`]).
/// Errors: `Invalid` at `region_code` (`err.region.unknown`, `err.region.required`).
pub(super) fn resolve_region(input: &LeadInput) -> Result<RegionCode, ServiceError> {
    match (region_by_rule(input.uscc.as_ref(), input.region.as_ref()), &input.region) {
        (Some(region), _) => Ok(region),
        (None, Some(_)) => Err(ServiceError::Invalid(vec![FieldError::new("region_code", "err.region.unknown")])),
        (None, None) => Err(ServiceError::Invalid(vec![FieldError::new("region_code", "err.region.required")])),
    }
}

/// The region a lead with `uscc` and the region `picked` is saved with: the USCC's registering
/// authority's when it is a known division, unless `picked` is a known division within it that
/// says more; else `picked` when it is a known division; else None.
pub(super) fn region_by_rule(uscc: Option<&Uscc>, picked: Option<&RegionCode>) -> Option<RegionCode> {
    let d = divisions();
    if let Some(from_uscc) = uscc.and_then(|u| d.resolve(u.division_code())) {
        let finer = picked.filter(|r| d.knows(r) && r.lies_within(&from_uscc) && **r != from_uscc);
        return Some(finer.cloned().unwrap_or(from_uscc));
    }
    picked.filter(|r| d.knows(r)).cloned()
}

async fn check_owner(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    wanted: Option<i64>,
) -> Result<Option<i64>, ServiceError> {
    if !actor.role.assigns_leads() {
        // Staff own what they log; they cannot hand leads to others.
        return Ok(Some(actor.id));
    }
    let Some(id) = wanted else { return Ok(None) };
    let ok = user::Entity::find_by_id(id).one(db).await?.is_some_and(|u| u.disabled_at.is_none() && u.role != "leader");
    if ok {
        Ok(Some(id))
    } else {
        Err(ServiceError::Invalid(vec![FieldError::new("owner_id", "err.owner.invalid")]))
    }
}

/// Refuses a USCC already used by another lead, naming it (and saying whether `actor` may open
/// it: the form links to it only then).
async fn check_uscc_free(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    uscc: Option<&Uscc>,
    exclude: Option<i64>,
) -> Result<(), ServiceError> {
    let Some(uscc) = uscc else { return Ok(()) };
    let mut q = lead::Entity::find().filter(lead::Column::Uscc.eq(uscc.as_str()));
    if let Some(id) = exclude {
        q = q.filter(lead::Column::Id.ne(id));
    }
    match q.one(db).await? {
        Some(other) => Err(duplicate_uscc(other.id, &other.company_name, super::access::can_read_lead(actor, &other))),
        None => Ok(()),
    }
}

/// The refusal a save of `form` would also meet for its USCC when the form's other fields are
/// refused first (so every message comes in one round): `err.uscc.duplicate` when its code parses
/// and another lead than `exclude` has it; nothing for those who may not save leads.
/// Errors: `Db`.
pub async fn uscc_refusal(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    form: &crate::domain::lead::LeadForm,
    exclude: Option<i64>,
) -> Result<Option<FieldError>, ServiceError> {
    let uscc = match Uscc::parse(&form.uscc) {
        Ok(uscc) if actor.role.writes_leads() => uscc,
        _ => return Ok(None),
    };
    match check_uscc_free(db, actor, Some(&uscc), exclude).await {
        Err(ServiceError::Invalid(mut errors)) => Ok(errors.pop()),
        Err(e) => Err(e),
        Ok(()) => Ok(None),
    }
}

/// `err.uscc.duplicate` naming lead `id`; `readable` (`"yes"`/`"no"`): whether the reader may open it.
fn duplicate_uscc(id: i64, name: &str, readable: bool) -> ServiceError {
    let readable = if readable { "yes" } else { "no" };
    ServiceError::Invalid(vec![FieldError::new("uscc", "err.uscc.duplicate")
        .with("id", id)
        .with("name", name)
        .with("readable", readable)])
}

fn fill(active: &mut lead::ActiveModel, input: &LeadInput, region: &RegionCode) {
    active.company_name = Set(input.company_name.clone());
    active.name_key = Set(input.name_key.clone());
    active.name_fold = Set(input.name_fold.clone());
    active.uscc = Set(input.uscc.as_ref().map(|u| u.as_str().to_string()));
    active.region_code = Set(region.as_code());
    active.province_code = Set(region.province().map(str::to_string));
    active.city_code = Set(region.city().map(str::to_string));
    active.region_group = Set(region.group().as_str().to_string());
    active.nanjing_metro = Set(region.in_nanjing_metro());
    active.industry = Set(input.industry.code().to_string());
    active.sector = Set(input.sector.map(|s| s.code.to_string()));
    active.planned_investment_wan = Set(input.planned_investment_wan);
    active.land_mu = Set(input.land_mu);
    active.annual_output_wan = Set(input.annual_output_wan);
    active.annual_tax_wan = Set(input.annual_tax_wan);
    active.jobs = Set(input.jobs);
    active.channel = Set(input.channel.code().to_string());
    active.stage = Set(input.stage.code().to_string());
    active.notes = Set(input.notes.clone());
    active.high_tech = Set(input.high_tech);
    active.specialised = Set(input.specialised);
    active.listed = Set(input.listed);
    active.energy_use = Set(input.energy_use.map(|e| e.code().to_string()));
}

/// The contact rows of a lead, in the order given.
pub(super) fn contact_rows(lead_id: i64, contacts: &[Contact]) -> impl Iterator<Item = lead_contact::ActiveModel> + '_ {
    contacts.iter().enumerate().map(move |(i, c)| lead_contact::ActiveModel {
        lead_id: Set(lead_id),
        position: Set(i as i32),
        name: Set(c.name.clone()),
        title: Set(c.title.clone()),
        phone: Set(c.phone.clone()),
        email: Set(c.email.clone()),
        ..Default::default()
    })
}

pub(super) async fn replace_contacts(
    db: &impl ConnectionTrait,
    lead_id: i64,
    input: &LeadInput,
) -> Result<(), sea_orm::DbErr> {
    lead_contact::Entity::delete_many().filter(lead_contact::Column::LeadId.eq(lead_id)).exec(db).await?;
    for row in contact_rows(lead_id, &input.contacts) {
        row.insert(db).await?;
    }
    Ok(())
}

/// The team of a staff member's own new lead: theirs when they are on exactly one 招商专班 (the
/// team's work, seen by its people and counted in its weekly numbers); on several, or on none, it
/// waits in 待分配 for a manager to choose. Managers' and admins' leads wait there too.
fn own_team(actor: &SessionUser) -> Option<i64> {
    match actor.teams.as_slice() {
        [only] if !actor.role.assigns_leads() => Some(*only),
        _ => None,
    }
}

/// A new lead as `actor` saves it (version 1, in [`own_team`]), not yet inserted.
pub(super) fn new_lead(
    actor: &SessionUser,
    owner: Option<i64>,
    input: &LeadInput,
    region: &RegionCode,
    now: chrono::DateTime<Utc>,
) -> lead::ActiveModel {
    let mut active = lead::ActiveModel {
        owner_id: Set(owner),
        team_id: Set(own_team(actor)),
        version: Set(1),
        created_by: Set(actor.id),
        updated_by: Set(actor.id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    fill(&mut active, input, region);
    active
}

fn unique_to_duplicate(e: sea_orm::DbErr, input: &LeadInput) -> ServiceError {
    if is_unique_violation(&e) {
        // Lost a race with a concurrent insert of the same USCC.
        ServiceError::Invalid(vec![FieldError::new("uscc", "err.uscc.duplicate_race")
            .with("uscc", input.uscc.as_ref().map(|u| u.as_str()).unwrap_or_default())])
    } else {
        e.into()
    }
}

/// Registers a new lead (线索) as `actor` (version 1) with its contacts, scores it, and returns its
/// id. Staff own what they log; managers and admins may name an owner (an enabled non-leader) or
/// none.
/// Errors: `Forbidden` (leaders), `Invalid` at `stage` (`err.stage.start_late`: staff start before
/// 签约), `region_code` (unknown or missing), `owner_id` (`err.owner.invalid`), `uscc`
/// (`err.uscc.duplicate` naming the other lead, deleted ones included, or
/// `err.uscc.duplicate_race`); `Db`; `Internal` (no score configuration; nothing is saved).
pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &SessionUser,
    input: LeadInput,
) -> Result<i64, ServiceError> {
    if !actor.role.writes_leads() {
        return Err(ServiceError::Forbidden);
    }
    crate::domain::stage::may_start_at(input.stage, actor.role).map_err(|e| ServiceError::Invalid(vec![e]))?;
    let region = resolve_region(&input)?;
    let owner = check_owner(db, actor, input.owner_id).await?;
    check_uscc_free(db, actor, input.uscc.as_ref(), None).await?;
    let txn = crate::backend::db::begin_write(db).await?;
    let saved = new_lead(actor, owner, &input, &region, Utc::now())
        .insert(&txn)
        .await
        .map_err(|e| unique_to_duplicate(e, &input))?;
    replace_contacts(&txn, saved.id, &input).await?;
    // Scored in the same transaction: a failed score saves nothing, so a retry cannot make a
    // second lead.
    rescore(&txn, Scope::Leads(vec![saved.id])).await?;
    txn.commit().await?;
    Ok(saved.id)
}

/// Saves lead `id` from the form (not its stage: that moves only through `pipeline::move_stage`)
/// if it is still at `input.version` (none: the current one), with a new version, the field
/// history and its contacts replaced, then rescores it. Only managers and admins change the owner.
/// Errors: `NotFound`/`Hidden` (see `access::find_readable`), `Forbidden` (not theirs to change),
/// `Invalid` at `region_code`, `owner_id` or `uscc` as in [`create`], `Stale` (saved over a newer
/// version: the changes since), `Db`, `Internal` (no score configuration; nothing is saved).
pub async fn update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &SessionUser,
    id: i64,
    input: LeadInput,
) -> Result<(), ServiceError> {
    let current = find_readable(db, actor, id).await?;
    if !can_edit_lead(actor, &current) {
        return Err(ServiceError::Forbidden);
    }
    let region = resolve_region(&input)?;
    let owner =
        if actor.role.assigns_leads() { check_owner(db, actor, input.owner_id).await? } else { current.owner_id };
    check_uscc_free(db, actor, input.uscc.as_ref(), Some(id)).await?;
    let expected = input.version.unwrap_or(current.version);
    let stage = current.stage.clone();
    let txn = crate::backend::db::begin_write(db).await?;
    let before = current.clone();
    let mut active: lead::ActiveModel = current.into();
    fill(&mut active, &input, &region);
    // The stage moves only through `pipeline::move_stage`, which records the move.
    active.stage = Set(stage);
    active.owner_id = Set(owner);
    active.version = Set(expected + 1);
    active.updated_by = Set(actor.id);
    active.updated_at = Set(Utc::now());
    // Optimistic concurrency: only the version the user started from may be overwritten.
    let result = lead::Entity::update_many()
        .set(active)
        .filter(lead::Column::Id.eq(id))
        .filter(lead::Column::Version.eq(expected))
        .exec(&txn)
        .await
        .map_err(|e| unique_to_duplicate(e, &input))?;
    if result.rows_affected == 0 {
        drop(txn);
        return Err(ServiceError::Stale(super::history::since(db, id, expected).await?));
    }
    if let Some(after) = lead::Entity::find_by_id(id).one(&txn).await? {
        super::history::record(&txn, &before, &after, actor.id).await?;
    }
    let contacts_before = lead_contact::Entity::find()
        .filter(lead_contact::Column::LeadId.eq(id))
        .order_by_asc(lead_contact::Column::Position)
        .all(&txn)
        .await?;
    super::history::record_contacts(&txn, id, expected + 1, &contacts_before, &input.contacts, actor.id).await?;
    replace_contacts(&txn, id, &input).await?;
    rescore(&txn, Scope::Leads(vec![id])).await?;
    txn.commit().await?;
    Ok(())
}

pub(super) fn region_of(l: &lead::Model) -> RegionCode {
    region_from(&l.region_code)
}

/// A stored region code as a region; one that no longer parses shows as 其他境外.
pub(super) fn region_from(code: &str) -> RegionCode {
    RegionCode::parse(code).unwrap_or(RegionCode::Overseas(crate::domain::region::OverseasArea::Other))
}

/// Lead `id` with its contacts (联系人), in the order the form shows them: one access check and
/// one read of the lead (the REST API's single-lead answer).
/// Errors: `NotFound`, `Hidden` (not the actor's to read), `Db`.
pub async fn with_contacts(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    id: i64,
) -> Result<(lead::Model, Vec<ContactView>), ServiceError> {
    let l = find_readable(db, actor, id).await?;
    let contacts = lead_contact::Entity::find()
        .filter(lead_contact::Column::LeadId.eq(id))
        .order_by_asc(lead_contact::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|c| ContactView { name: c.name, title: c.title, phone: c.phone, email: c.email })
        .collect();
    Ok((l, contacts))
}

/// Everything the lead page shows of lead `id`: fields (amounts in 万元, land in 亩, times
/// Asia/Shanghai), contacts, duplicate hints, placements, team and the fit score with its reasons.
/// Errors: `NotFound`, `Hidden` (see `access::find_readable`; `NotFound` also if the score's
/// configuration version is gone), `Db`, `Internal` (that version does not parse).
pub async fn detail(db: &impl ConnectionTrait, actor: &SessionUser, id: i64) -> Result<LeadDetail, ServiceError> {
    let l = find_readable(db, actor, id).await?;
    // The page's other reads are independent of each other: run them together.
    let contacts = lead_contact::Entity::find()
        .filter(lead_contact::Column::LeadId.eq(id))
        .order_by_asc(lead_contact::Column::Position)
        .all(db);
    let team = async {
        match l.team_id {
            Some(t) => Ok::<_, ServiceError>(
                crate::backend::entities::team::Entity::find_by_id(t).one(db).await?.map(|t| (t.id, t.name)),
            ),
            None => Ok(None),
        }
    };
    let (contacts, who, duplicates, score, placements, team, imported_from) = tokio::try_join!(
        async { contacts.await.map_err(ServiceError::from) },
        names(db, [l.created_by, l.updated_by].into_iter().chain(l.owner_id)),
        super::duplicate_hints::similar_to(db, actor, &l.name_key, l.uscc.as_deref(), Some(l.id)),
        super::scoring::view(db, &l),
        super::placements::placements_of(db, l.id),
        team,
        super::import_origin::of(db, actor, l.import_batch_id),
    )?;
    Ok(LeadDetail {
        score,
        placements,
        high_tech: l.high_tech,
        specialised: l.specialised,
        listed: l.listed,
        energy_use: l.energy_use.clone(),
        id: l.id,
        version: l.version,
        region: divisions().view(&region_of(&l)),
        can_edit: can_edit_lead(actor, &l),
        can_see_history: actor.role.sees_all_leads(),
        owner_name: l.owner_id.and_then(|o| who.get(&o).cloned()),
        team,
        created_by: who.get(&l.created_by).cloned().unwrap_or_default(),
        updated_by: who.get(&l.updated_by).cloned().unwrap_or_default(),
        created_at: local_time(l.created_at),
        imported_from,
        updated_at: local_time(l.updated_at),
        contacts: contacts
            .into_iter()
            .map(|c| ContactView { name: c.name, title: c.title, phone: c.phone, email: c.email })
            .collect(),
        company_name: l.company_name,
        uscc: l.uscc,
        industry: l.industry,
        sector: l.sector,
        planned_investment_wan: l.planned_investment_wan,
        land_mu: l.land_mu,
        annual_output_wan: l.annual_output_wan,
        annual_tax_wan: l.annual_tax_wan,
        jobs: l.jobs,
        channel: l.channel,
        stage: l.stage,
        notes: l.notes,
        duplicates,
    })
}

fn number(v: Option<f64>) -> String {
    v.map(|n| if n.fract() == 0.0 { format!("{n:.0}") } else { n.to_string() }).unwrap_or_default()
}

/// The edit form of lead `id` filled from the saved lead and its contacts, with its version (for
/// the stale check) and region names.
/// Errors: `NotFound`/`Hidden` (see `access::find_readable`), `Forbidden` (not theirs to change),
/// `Db`.
pub async fn edit_form(db: &impl ConnectionTrait, actor: &SessionUser, id: i64) -> Result<LeadEdit, ServiceError> {
    let l = find_readable(db, actor, id).await?;
    if !can_edit_lead(actor, &l) {
        return Err(ServiceError::Forbidden);
    }
    let contacts = lead_contact::Entity::find()
        .filter(lead_contact::Column::LeadId.eq(id))
        .order_by_asc(lead_contact::Column::Position)
        .all(db)
        .await?;
    Ok(LeadEdit { id, region: divisions().view(&region_of(&l)), form: form_of(l, contacts) })
}

/// The forms of those of the leads `ids` that `actor` may change, by id, each as [`edit_form`]
/// gives it (leads gone, in the recycle bin or not theirs to change are left out): two queries
/// however many (the ids go into one `IN` list: a few hundred at most, the import preview's
/// shown duplicates).
/// Errors: `Db`.
pub async fn edit_forms(
    db: &impl ConnectionTrait,
    actor: &SessionUser,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, LeadForm>, ServiceError> {
    let leads: Vec<lead::Model> = lead::Entity::find()
        .filter(lead::Column::Id.is_in(ids.iter().copied()))
        .filter(lead::Column::DeletedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .filter(|l| can_read_lead(actor, l) && can_edit_lead(actor, l))
        .collect();
    let mut contacts: std::collections::HashMap<i64, Vec<lead_contact::Model>> = Default::default();
    for c in lead_contact::Entity::find()
        .filter(lead_contact::Column::LeadId.is_in(leads.iter().map(|l| l.id)))
        .order_by_asc(lead_contact::Column::LeadId)
        .order_by_asc(lead_contact::Column::Position)
        .all(db)
        .await?
    {
        contacts.entry(c.lead_id).or_default().push(c);
    }
    Ok(leads
        .into_iter()
        .map(|l| {
            let id = l.id;
            (id, form_of(l, contacts.remove(&id).unwrap_or_default()))
        })
        .collect())
}

/// The form a saved lead fills in (for editing, and for merging an imported row into it via
/// `edit_forms`).
fn form_of(l: lead::Model, contacts: Vec<lead_contact::Model>) -> LeadForm {
    LeadForm {
        company_name: l.company_name,
        uscc: l.uscc.unwrap_or_default(),
        region_code: l.region_code,
        industry: l.industry,
        sector: l.sector.unwrap_or_default(),
        planned_investment: number(l.planned_investment_wan),
        land_mu: number(l.land_mu),
        annual_output: number(l.annual_output_wan),
        annual_tax: number(l.annual_tax_wan),
        jobs: l.jobs.map(|j| j.to_string()).unwrap_or_default(),
        channel: l.channel,
        stage: l.stage,
        owner_id: l.owner_id.map(|o| o.to_string()).unwrap_or_default(),
        high_tech: tri_state_code(l.high_tech).to_string(),
        specialised: tri_state_code(l.specialised).to_string(),
        listed: tri_state_code(l.listed).to_string(),
        energy_use: l.energy_use.unwrap_or_default(),
        notes: l.notes,
        contacts: contacts
            .into_iter()
            .map(|c| ContactForm { name: c.name, title: c.title, phone: c.phone, email: c.email })
            .collect(),
        version: l.version.to_string(),
    }
}
