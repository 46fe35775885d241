//! The preview of an import: every row checked exactly as the lead form checks it, its region
//! read from a code, a name or an address, and matched against the existing leads (by USCC,
//! else by normalised name) and the rows above it. The commit runs the same classification
//! inside its transaction, so what it does is what the preview said, on the data of that moment.

use super::import_changes::ToMerge;
use super::import_region::{region_note, with_region_code};
use super::import_unknown::Unknown;
use super::leads::resolve_region;
use super::ServiceError;
use crate::backend::entities::lead;
use crate::domain::import::ImportColumn;
use crate::domain::import_alias::Aliases;
use crate::domain::import_merge::DuplicateMode;
use crate::domain::import_row::RowReader;
use crate::domain::import_units::Unit;
use crate::domain::lead::{FieldError, LeadForm, LeadInput};
use crate::domain::names::normalise_company_name;
use crate::domain::role::{may_edit_lead, may_read_lead, LeadAccess};
use crate::domain::uscc::Uscc;
use crate::wire::auth::SessionUser;
use crate::wire::imports::{PreviewCounts, PreviewRow, RowIssue, UnknownValue};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QuerySelect};
use std::collections::HashMap;

/// What an existing lead needs to be matched and permission-checked.
#[derive(Clone, Debug, PartialEq, FromQueryResult)]
pub struct Existing {
    pub id: i64,
    pub company_name: String,
    pub name_key: String,
    pub uscc: Option<String>,
    pub version: i32,
    pub deleted_at: Option<chrono::DateTime<chrono::Utc>>,
    pub owner_id: Option<i64>,
    pub created_by: i64,
    pub team_id: Option<i64>,
}

impl Existing {
    /// Who may read and edit it.
    pub fn access(&self) -> LeadAccess {
        LeadAccess { owner: self.owner_id, creator: self.created_by, team: self.team_id }
    }
}

/// The leads a batch's rows could match, indexed by USCC and by normalised name (deleted ones
/// too: a USCC stays taken).
pub struct Known {
    leads: Vec<Existing>,
    by_uscc: HashMap<String, usize>,
    by_name: HashMap<String, usize>,
}

/// Keys per `IN (…)` list: well inside SQLite's and PostgreSQL's bound-parameter limits.
const KEYS_PER_QUERY: usize = 500;

/// The USCC (when valid) and normalised name a row is matched by.
fn row_keys(reader: &RowReader<'_>, cells: &[String]) -> (Option<String>, String) {
    let form = reader.read(cells).form;
    let uscc = Uscc::parse(&form.uscc).ok().map(|u| u.as_str().to_string());
    (uscc, normalise_company_name(&form.company_name))
}

/// The USCCs and normalised names a batch's rows carry, each once: what [`Known::load`] looks
/// the leads up by.
pub struct Keys {
    usccs: Vec<String>,
    names: Vec<String>,
}

impl Keys {
    /// Reads every row once for its keys.
    pub fn of(input: &BatchRows) -> Keys {
        let reader = input.reader();
        let (mut usccs, mut names) = (Vec::new(), Vec::new());
        for cells in input.rows.iter() {
            let (uscc, name) = row_keys(&reader, &cells);
            usccs.extend(uscc);
            if !name.is_empty() {
                names.push(name);
            }
        }
        for keys in [&mut usccs, &mut names] {
            keys.sort_unstable();
            keys.dedup();
        }
        Keys { usccs, names }
    }
}

impl Known {
    /// Reads the id, names, USCC, version, owner, creator and team of every lead (deleted ones
    /// too) whose USCC or normalised name is among `keys` (those of a batch's rows), by the
    /// indexes on both, a few hundred keys a query: a 50-row file costs a handful of lookups
    /// however many leads the office has, and a 100,000-row file never holds the whole table.
    /// Errors: `Db` only.
    pub async fn load(db: &impl ConnectionTrait, keys: &Keys) -> Result<Known, ServiceError> {
        let Keys { usccs, names } = keys;
        let mut leads: Vec<Existing> = Vec::new();
        let mut ids = std::collections::HashSet::new();
        let lookups = usccs
            .chunks(KEYS_PER_QUERY)
            .map(|c| (lead::Column::Uscc, c))
            .chain(names.chunks(KEYS_PER_QUERY).map(|c| (lead::Column::NameKey, c)));
        for (column, keys) in lookups {
            let found: Vec<Existing> = lead::Entity::find()
                .select_only()
                .columns([
                    lead::Column::Id,
                    lead::Column::CompanyName,
                    lead::Column::NameKey,
                    lead::Column::Uscc,
                    lead::Column::Version,
                    lead::Column::DeletedAt,
                    lead::Column::OwnerId,
                    lead::Column::CreatedBy,
                    lead::Column::TeamId,
                ])
                .filter(column.is_in(keys.iter().cloned()))
                .into_model::<Existing>()
                .all(db)
                .await?;
            leads.extend(found.into_iter().filter(|l| ids.insert(l.id)));
        }
        // In id order, as one scan of the table would give them: which of two leads of the same
        // name wins does not depend on which query found it.
        leads.sort_by_key(|l| l.id);
        let mut by_uscc = HashMap::new();
        let mut by_name = HashMap::new();
        for (i, l) in leads.iter().enumerate() {
            if let Some(u) = &l.uscc {
                by_uscc.insert(u.clone(), i);
            }
            // A live lead wins the name over a deleted one.
            if l.deleted_at.is_none() || !by_name.contains_key(&l.name_key) {
                by_name.insert(l.name_key.clone(), i);
            }
        }
        Ok(Known { leads, by_uscc, by_name })
    }

    /// Whether `other` holds the same leads in the same state (ids, names, USCCs, versions,
    /// deletion, owner, creator, team): then rows classify the same against both.
    pub fn same_as(&self, other: &Known) -> bool {
        self.leads == other.leads
    }

    /// The lead at index `i` of what was loaded (an index a [`Verdict::Duplicate`] names);
    /// panics on an index not from this `Known`.
    pub fn get(&self, i: usize) -> &Existing {
        &self.leads[i]
    }
}

/// A batch's rows and how to read them.
pub struct BatchRows {
    pub headers: Vec<String>,
    pub rows: super::import_rows::Rows,
    /// Each row's number as the spreadsheet program shows it.
    pub lines: Vec<usize>,
    pub mapping: Vec<Option<ImportColumn>>,
    /// The unit of a note above the table, for amounts whose header names none.
    pub amount_unit: Option<Unit>,
    pub aliases: Aliases,
}

impl BatchRows {
    /// A reader of this batch's rows under its mapping, header names, amount unit and aliases.
    pub fn reader(&self) -> RowReader<'_> {
        RowReader::new(&self.mapping, &self.headers, self.amount_unit.as_ref(), &self.aliases)
    }

    /// Row `i`'s number (older batches: the header was line 1 and no row was blank).
    pub fn line(&self, i: usize) -> usize {
        self.lines.get(i).copied().unwrap_or(i + 2)
    }
}

/// What one row is.
pub enum Verdict {
    New(Box<LeadInput>),
    /// Matches `Known::get(target)`; `form` is the row's form (for merging).
    Duplicate {
        target: usize,
        by_uscc: bool,
        form: Box<LeadForm>,
        editable: bool,
    },
    Invalid(Vec<RowIssue>),
}

impl Verdict {
    /// What the commit will do with the row under `mode`.
    pub fn action(&self, mode: DuplicateMode) -> &'static str {
        match self {
            Verdict::New(_) => "create",
            Verdict::Duplicate { editable: true, .. } if mode != DuplicateMode::Skip => "update",
            Verdict::Duplicate { .. } => "skip",
            Verdict::Invalid(_) => "fail",
        }
    }
}

/// Row `i` read again as the new lead [`classify`] found it to be (the same reading of the same
/// cells: the commit keeps no parsed lead per row, it reads each part's rows as it saves them).
/// None if the row does not read as a complete lead.
pub fn new_input(input: &BatchRows, reader: &RowReader<'_>, i: usize) -> Option<LeadInput> {
    row_form(input, reader, i)?.parse().ok()
}

/// Row `i`'s form as [`classify`] read it (the form a [`Verdict::Duplicate`] carries): the
/// commit reads a duplicate's row again when it merges it. None past the last row.
pub fn row_form(input: &BatchRows, reader: &RowReader<'_>, i: usize) -> Option<LeadForm> {
    let cells = input.rows.get(i)?;
    Some(with_region_code(reader.read(&cells).form))
}

/// One verdict per row under `mode`, in order. A row matching an existing lead needs only what
/// it gives to be right (the rest comes from the lead when merged), and nothing when it will be
/// left as it is (the skip mode, or not the actor's to edit); a new one must be a complete lead.
pub fn classify(input: &BatchRows, known: &Known, actor: &SessionUser, mode: DuplicateMode) -> Vec<Verdict> {
    verdicts(input, known, actor, mode).collect()
}

/// [`classify`] row by row, in file order, for a caller that keeps only what it needs of each
/// verdict (the preview: counts and the rows shown).
pub fn verdicts<'a>(
    input: &'a BatchRows,
    known: &'a Known,
    actor: &'a SessionUser,
    mode: DuplicateMode,
) -> impl Iterator<Item = Verdict> + 'a {
    let mut seen_uscc: HashMap<String, usize> = HashMap::new();
    let mut seen_name: HashMap<String, usize> = HashMap::new();
    let reader = input.reader();
    let mapping = &input.mapping;
    input.rows.iter().enumerate().map(move |(i, cells)| {
        let line = input.line(i);
        let read = reader.read(&cells);
        let (form, cell_errors) = (read.form, read.errors);
        let form = with_region_code(form);
        // The same keys `Known::load` looked the leads up by.
        let uscc = Uscc::parse(&form.uscc).ok().map(|u| u.as_str().to_string());
        let name_key = normalise_company_name(&form.company_name);
        let matched = uscc
            .as_ref()
            .and_then(|u| known.by_uscc.get(u))
            .map(|i| (*i, true))
            .or_else(|| known.by_name.get(&name_key).filter(|_| !name_key.is_empty()).map(|i| (*i, false)));
        let live_match = matched.filter(|(i, _)| known.get(*i).deleted_at.is_none());

        // Every problem of the row at once: unreadable cells, then what the form refuses
        // (not twice for a cell already reported; for a match, only about what the row gives).
        let mut issues: Vec<RowIssue> =
            cell_errors.into_iter().map(|e| RowIssue { column: Some(e.column), error: e.error }).collect();
        let parsed = form.parse();
        if let Err(errors) = &parsed {
            for e in errors {
                let i = RowIssue::of_form(mapping, e.clone());
                let given = i.column.and_then(|c| cells.get(c)).is_some_and(|v| !v.trim().is_empty());
                if live_match.is_some() && !given {
                    continue;
                }
                if i.column.is_none() || !issues.iter().any(|x| x.column == i.column) {
                    issues.push(i);
                }
            }
        }
        if let (Ok(input), None) = (&parsed, live_match) {
            if let Err(ServiceError::Invalid(errors)) = resolve_region(input) {
                issues.extend(errors.into_iter().map(|e| RowIssue::of_form(mapping, e)));
            }
            if let Err(e) = crate::domain::stage::may_start_at(input.stage, actor.role) {
                issues.push(RowIssue::of_form(mapping, e));
            }
        }
        let earlier = uscc
            .as_ref()
            .and_then(|u| seen_uscc.get(u))
            .map(|l| (*l, "uscc"))
            .or_else(|| seen_name.get(&name_key).map(|l| (*l, "company_name")));
        if let Some((first, field)) = earlier {
            issues.push(RowIssue::of_form(
                mapping,
                FieldError::new(field, "err.import.duplicate_in_file").with("line", first),
            ));
        }
        // A duplicate left as it is (the skip mode, or a lead not the actor's to edit) takes
        // nothing from its cells: what is wrong in them (an unknown value) does not fail it.
        let left_alone = live_match.is_some_and(|(t, _)| {
            mode == DuplicateMode::Skip || !may_edit_lead(actor.role, actor.id, &actor.teams, &known.get(t).access())
        });
        if !issues.is_empty() && !left_alone {
            return Verdict::Invalid(issues);
        }
        if let Some(u) = &uscc {
            seen_uscc.insert(u.clone(), line);
        }
        if !name_key.is_empty() {
            seen_name.insert(name_key, line);
        }
        match (matched, parsed) {
            (Some((target, by_uscc)), _) => {
                let existing = known.get(target);
                if existing.deleted_at.is_some() {
                    let field = if by_uscc { "uscc" } else { "company_name" };
                    return Verdict::Invalid(vec![RowIssue::of_form(
                        mapping,
                        FieldError::new(field, "err.import.in_trash"),
                    )]);
                }
                let editable = may_edit_lead(actor.role, actor.id, &actor.teams, &existing.access());
                Verdict::Duplicate { target, by_uscc, form: Box::new(form), editable }
            }
            (None, Ok(input)) => Verdict::New(Box::new(input)),
            // Unreachable: a failed parse of a new row left issues above.
            (None, Err(errors)) => {
                Verdict::Invalid(errors.into_iter().map(|e| RowIssue::of_form(mapping, e)).collect())
            }
        }
    })
}

/// The counts of all rows and the rows to show (problems, then duplicates, then new ones;
/// file order within each), built only for the rows shown, the unknown values
/// ([`UnknownValue`]) of the problem rows, and the shown duplicates to merge (for
/// `import_changes::foresee`, which says what each would change). `verdicts` (in file order, as [`verdicts`] gives them)
/// are read once and not kept: only the first `limit` of each kind are, so a preview of 100,000
/// rows holds 3 × `limit` verdicts, not 100,000.
pub fn preview(
    input: &BatchRows,
    verdicts: impl IntoIterator<Item = Verdict>,
    known: &Known,
    actor: &SessionUser,
    mode: DuplicateMode,
    limit: usize,
) -> (PreviewCounts, Vec<PreviewRow>, Vec<UnknownValue>, Vec<ToMerge>) {
    let mut counts = PreviewCounts::default();
    let mut unknown = Unknown::default();
    // The first `limit` rows of each kind, by rank: problems, duplicates, new.
    let mut kept: [Vec<(usize, Verdict)>; 3] = Default::default();
    for (i, v) in verdicts.into_iter().enumerate() {
        let rank = match &v {
            Verdict::Invalid(issues) => {
                counts.invalid += 1;
                unknown.add(issues);
                0
            }
            Verdict::Duplicate { .. } => {
                counts.duplicate += 1;
                1
            }
            Verdict::New(_) => {
                counts.new += 1;
                2
            }
        };
        match v.action(mode) {
            "create" => counts.create += 1,
            "update" => counts.update += 1,
            "skip" => counts.skip += 1,
            _ => counts.fail += 1,
        }
        if kept[rank].len() < limit {
            kept[rank].push((i, v));
        }
    }
    let mut order: Vec<(usize, Verdict)> = kept.into_iter().flatten().collect();
    order.truncate(limit);
    let reader = input.reader();
    let mut to_merge = Vec::new();
    let shown = order
        .into_iter()
        .enumerate()
        .map(|(shown, (i, v))| {
            let action = v.action(mode);
            let (status, issues, target, by_uscc) = match v {
                Verdict::New(_) => ("new", Vec::new(), None, false),
                Verdict::Duplicate { target, by_uscc, editable, form } => {
                    let existing = known.get(target);
                    if action == "update" {
                        to_merge.push(ToMerge { shown, lead: existing.id, form });
                    }
                    let visible = may_read_lead(actor.role, actor.id, &actor.teams, &existing.access());
                    // Why a duplicate will be left as it is: the mode chosen, or the actor's rights.
                    let why = if mode == DuplicateMode::Skip {
                        Some("import.skip.by_mode")
                    } else {
                        (!editable).then_some("err.import.not_editable")
                    };
                    let issues =
                        why.map(|key| RowIssue { column: None, error: FieldError::new("", key) }).into_iter().collect();
                    ("duplicate", issues, visible.then(|| (existing.id, existing.company_name.clone())), by_uscc)
                }
                Verdict::Invalid(issues) => ("invalid", issues, None, false),
            };
            let cells = input.rows.get(i).unwrap_or_default();
            let read = reader.read(&cells);
            // A new lead takes the USCC's region, and so will a row refused for now once mended
            // (said with its other reasons, in one pass) and a duplicate merged (where a region
            // the USCC overrules is no change: the note says why); a row the mode skips saves
            // nothing.
            let region = if matches!(action, "create" | "fail" | "update") {
                region_note(&input.mapping, &read.form)
            } else {
                None
            };
            let notes = read
                .notes
                .into_iter()
                .map(|n| RowIssue { column: Some(n.column), error: read_only(action, n.error) })
                .chain(region)
                .collect();
            PreviewRow { notes, target, by_uscc, ..PreviewRow::new(input.line(i), cells, status, action, issues) }
        })
        .collect();
    (counts, shown, unknown.found(), to_merge)
}

/// A cell's note as a row whose `action` saves nothing says it: a skipped row's value was read
/// as, not saved as or imported under, what the note names (`import.note.converted.read`,
/// `import.note.sector_as_industry.read`); other notes and rows as they are.
fn read_only(action: &str, note: FieldError) -> FieldError {
    match (action, note.key.as_str()) {
        ("skip", "import.note.converted" | "import.note.sector_as_industry") => {
            FieldError { key: format!("{}.read", note.key), ..note }
        }
        _ => note,
    }
}
