//! What an import does with a row that matches an existing lead (查重): skip it, fill only the
//! lead's empty fields, or overwrite the fields the file gives. A cell left empty in the file
//! never wipes what is saved, and the stage is never moved by an import (stage moves are
//! recorded through the pipeline).

use super::import::ImportColumn;
use super::lead::{ContactForm, LeadForm};
use serde::{Deserialize, Serialize};

/// 重复处理方式
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum DuplicateMode {
    #[default]
    Skip,
    /// 补全空白字段
    FillEmpty,
    /// 覆盖
    Overwrite,
}

impl DuplicateMode {
    pub const ALL: [DuplicateMode; 3] = [DuplicateMode::Skip, DuplicateMode::FillEmpty, DuplicateMode::Overwrite];

    pub fn code(self) -> &'static str {
        match self {
            DuplicateMode::Skip => "skip",
            DuplicateMode::FillEmpty => "fill",
            DuplicateMode::Overwrite => "overwrite",
        }
    }

    pub fn parse(code: &str) -> Option<DuplicateMode> {
        Self::ALL.into_iter().find(|m| m.code() == code)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            DuplicateMode::Skip => "import.mode.skip",
            DuplicateMode::FillEmpty => "import.mode.fill",
            DuplicateMode::Overwrite => "import.mode.overwrite",
        }
    }
}

fn field(form: &mut LeadForm, column: ImportColumn) -> Option<&mut String> {
    Some(match column {
        ImportColumn::CompanyName => &mut form.company_name,
        ImportColumn::Uscc => &mut form.uscc,
        ImportColumn::Region => &mut form.region_code,
        ImportColumn::Industry => &mut form.industry,
        ImportColumn::Sector => &mut form.sector,
        ImportColumn::Channel => &mut form.channel,
        ImportColumn::PlannedInvestment => &mut form.planned_investment,
        ImportColumn::LandMu => &mut form.land_mu,
        ImportColumn::AnnualOutput => &mut form.annual_output,
        ImportColumn::AnnualTax => &mut form.annual_tax,
        ImportColumn::Jobs => &mut form.jobs,
        ImportColumn::Notes => &mut form.notes,
        ImportColumn::Stage | ImportColumn::ContactName | ImportColumn::ContactPhone => return None,
    })
}

/// The saved lead's form after applying the row's values under `mode`; `None` when nothing
/// would change (or the mode is skip). Contacts: a contact the lead does not have yet (by name)
/// is added.
pub fn merge(
    existing: &LeadForm,
    incoming: &LeadForm,
    mapped: &[ImportColumn],
    mode: DuplicateMode,
) -> Option<LeadForm> {
    if mode == DuplicateMode::Skip {
        return None;
    }
    let mut merged = existing.clone();
    let mut source = incoming.clone();
    for &column in mapped {
        let (Some(new), Some(old)) = (field(&mut source, column).cloned(), field(&mut merged, column)) else {
            continue;
        };
        if new.trim().is_empty() {
            continue;
        }
        let take = match mode {
            DuplicateMode::FillEmpty => old.trim().is_empty(),
            // The same value written otherwise ("8536.0" over 8536) is no change.
            DuplicateMode::Overwrite => !same_value(column, old, &new),
            DuplicateMode::Skip => false,
        };
        if take {
            *old = new;
        }
    }
    // The sector belongs to an industry. A 细分领域 named in the industry column (no sector
    // column) is taken as the mode takes a field; a new industry whose sector the file does not
    // give drops the old industry's.
    let named = !mapped.contains(&ImportColumn::Sector)
        && !incoming.sector.trim().is_empty()
        && merged.industry == incoming.industry;
    let industry_moved = merged.industry != existing.industry;
    if named && (mode == DuplicateMode::Overwrite || industry_moved || merged.sector.trim().is_empty()) {
        merged.sector = incoming.sector.clone();
    } else if industry_moved && merged.sector == existing.sector {
        merged.sector.clear();
    }
    // Contacts by name: a new name is added; a known one's phone is taken under the mode
    // (filled when it has none, overwritten when the digits differ).
    for c in &incoming.contacts {
        let name = c.name.trim();
        if name.is_empty() {
            continue;
        }
        match merged.contacts.iter_mut().find(|m: &&mut ContactForm| m.name.trim() == name) {
            Some(known) => {
                let (new, old) = (c.phone.trim(), known.phone.trim());
                let take = !new.is_empty()
                    && match mode {
                        DuplicateMode::FillEmpty => old.is_empty(),
                        DuplicateMode::Overwrite => digits(old) != digits(new),
                        DuplicateMode::Skip => false,
                    };
                if take {
                    known.phone = new.to_string();
                }
            }
            None => merged.contacts.push(c.clone()),
        }
    }
    (merged != *existing).then_some(merged)
}

/// A phone's digits ("138-4703 7580" → "13847037580").
fn digits(phone: &str) -> String {
    phone.chars().filter(char::is_ascii_digit).collect()
}

/// Whether a field of `column` holding `a` holds `b` too: the same text once trimmed, or for an
/// amount the same 万元 however written ("12000", "12,000.0", "1.2亿"), for an area or a head
/// count the same number.
fn same_value(column: ImportColumn, a: &str, b: &str) -> bool {
    let number = |v: &str| match column {
        ImportColumn::PlannedInvestment | ImportColumn::AnnualOutput | ImportColumn::AnnualTax => {
            super::money::parse_wan(v).ok()
        }
        ImportColumn::LandMu | ImportColumn::Jobs => v.trim().replace(',', "").parse::<f64>().ok(),
        _ => None,
    };
    let near = |x: f64, y: f64| (x - y).abs() <= 1e-9 * x.abs().max(1.0);
    a.trim() == b.trim() || number(a).zip(number(b)).is_some_and(|(x, y)| near(x, y))
}

/// One thing [`merge`] changes in a saved lead, for the preview's and the report's notes.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// The field of `column` held `was` (trimmed; empty: nothing) and takes the file's value.
    Field { column: ImportColumn, was: String },
    /// The saved 细分领域 `was` (a code) belonged to the old industry and is cleared.
    SectorCleared { was: String },
    /// A contact of this name is added.
    Contact { name: String },
    /// The saved contact of this name had phone `was` (empty: none) and takes the file's.
    ContactPhone { name: String, was: String },
}

/// What `merged` ([`merge`]'s result for `existing`) changes: each field that differs, in the
/// columns' order ([`ImportColumn::ALL`]), then each contact added (merge adds them after the
/// saved ones). Empty when `merged` is `existing`.
pub fn changes(existing: &LeadForm, merged: &LeadForm) -> Vec<Change> {
    let (mut old, mut new) = (existing.clone(), merged.clone());
    let mut out = Vec::new();
    for column in ImportColumn::ALL {
        let (Some(was), Some(now)) = (field(&mut old, column), field(&mut new, column)) else {
            continue;
        };
        if same_value(column, was, now) {
            continue;
        }
        let was = was.trim().to_string();
        out.push(match column {
            ImportColumn::Sector if now.trim().is_empty() => Change::SectorCleared { was },
            _ => Change::Field { column, was },
        });
    }
    for (saved, now) in existing.contacts.iter().zip(&merged.contacts) {
        if saved.phone.trim() != now.phone.trim() {
            out.push(Change::ContactPhone { name: now.name.trim().to_string(), was: saved.phone.trim().to_string() });
        }
    }
    for c in merged.contacts.iter().skip(existing.contacts.len()) {
        out.push(Change::Contact { name: c.name.trim().to_string() });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saved() -> LeadForm {
        LeadForm {
            company_name: "华芯半导体有限公司".into(),
            industry: "electronic_comms".into(),
            sector: "".into(),
            planned_investment: "5000".into(),
            land_mu: "".into(),
            channel: "agency".into(),
            stage: "contact".into(),
            contacts: vec![ContactForm { name: "王总".into(), ..Default::default() }],
            ..Default::default()
        }
    }

    fn row() -> LeadForm {
        LeadForm {
            company_name: "华芯半导体有限公司".into(),
            industry: "electronic_comms".into(),
            planned_investment: "8000".into(),
            land_mu: "120".into(),
            notes: "".into(),
            stage: "negotiation".into(),
            contacts: vec![
                ContactForm { name: "王总".into(), ..Default::default() },
                ContactForm { name: "李经理".into(), phone: "13800000000".into(), ..Default::default() },
            ],
            ..Default::default()
        }
    }

    const MAPPED: &[ImportColumn] = &[
        ImportColumn::CompanyName,
        ImportColumn::Industry,
        ImportColumn::PlannedInvestment,
        ImportColumn::LandMu,
        ImportColumn::Notes,
        ImportColumn::Stage,
        ImportColumn::ContactName,
    ];

    #[test]
    fn skip_changes_nothing() {
        assert_eq!(merge(&saved(), &row(), MAPPED, DuplicateMode::Skip), None);
    }

    #[test]
    fn fill_takes_only_what_is_empty() {
        let m = merge(&saved(), &row(), MAPPED, DuplicateMode::FillEmpty).unwrap();
        assert_eq!((m.planned_investment.as_str(), m.land_mu.as_str()), ("5000", "120"));
        assert_eq!(m.stage, "contact", "imports never move the stage");
        assert_eq!(m.contacts.len(), 2, "a new contact is added, a known one not twice");
    }

    #[test]
    fn overwrite_takes_what_the_file_gives_but_never_blanks() {
        let mut s = saved();
        s.notes = "已实地考察".into();
        let m = merge(&s, &row(), MAPPED, DuplicateMode::Overwrite).unwrap();
        assert_eq!((m.planned_investment.as_str(), m.land_mu.as_str()), ("8000", "120"));
        assert_eq!(m.notes, "已实地考察", "an empty cell does not wipe a saved field");
    }

    #[test]
    fn nothing_new_means_no_update() {
        let s = saved();
        let same = LeadForm { contacts: vec![], ..s.clone() };
        assert_eq!(merge(&s, &same, MAPPED, DuplicateMode::Overwrite), None);
    }

    #[test]
    fn the_same_number_written_otherwise_is_no_change() {
        let s = saved();
        let row = LeadForm { planned_investment: "5,000.0".into(), contacts: vec![], ..s.clone() };
        assert_eq!(merge(&s, &row, MAPPED, DuplicateMode::Overwrite), None);
        let row = LeadForm { planned_investment: "0.5亿".into(), ..row };
        assert_eq!(merge(&s, &row, MAPPED, DuplicateMode::Overwrite), None);
    }

    #[test]
    fn the_changes_are_each_field_with_what_it_held_then_the_contacts_added() {
        let s = saved();
        let m = merge(&s, &row(), MAPPED, DuplicateMode::Overwrite).unwrap();
        assert_eq!(
            changes(&s, &m),
            [
                Change::Field { column: ImportColumn::PlannedInvestment, was: "5000".into() },
                Change::Field { column: ImportColumn::LandMu, was: "".into() },
                Change::Contact { name: "李经理".into() },
            ]
        );
        assert_eq!(changes(&s, &s), []);
        let mut with_sector = saved();
        with_sector.sector = "ic_design".into();
        let r = LeadForm {
            industry: "smart_manufacturing".into(),
            sector: String::new(),
            contacts: vec![],
            ..with_sector.clone()
        };
        let m = merge(&with_sector, &r, MAPPED, DuplicateMode::Overwrite).unwrap();
        assert_eq!(
            changes(&with_sector, &m),
            [
                Change::Field { column: ImportColumn::Industry, was: "electronic_comms".into() },
                Change::SectorCleared { was: "ic_design".into() },
            ]
        );
    }

    #[test]
    fn a_known_contacts_phone_is_filled_or_overwritten_by_name() {
        let mut s = saved();
        s.contacts[0].phone = "138-4703-7580".into();
        let row = |phone: &str| LeadForm {
            contacts: vec![ContactForm { name: "王总".into(), phone: phone.into(), ..Default::default() }],
            ..s.clone()
        };
        assert_eq!(merge(&s, &row("13847037580"), MAPPED, DuplicateMode::Overwrite), None, "the same digits");
        assert_eq!(merge(&s, &row("13999999999"), MAPPED, DuplicateMode::FillEmpty), None, "fill keeps a phone");
        let m = merge(&s, &row("13999999999"), MAPPED, DuplicateMode::Overwrite).unwrap();
        assert_eq!((m.contacts.len(), m.contacts[0].phone.as_str()), (1, "13999999999"));
        assert_eq!(changes(&s, &m), [Change::ContactPhone { name: "王总".into(), was: "138-4703-7580".into() }]);
        let m = merge(&saved(), &row("13999999999"), MAPPED, DuplicateMode::FillEmpty).unwrap();
        assert_eq!(changes(&saved(), &m), [Change::ContactPhone { name: "王总".into(), was: "".into() }]);
    }

    #[test]
    fn a_new_industry_drops_a_sector_of_the_old_one() {
        let mut s = saved();
        s.sector = "ic_design".into();
        let mut r = row();
        r.industry = "smart_manufacturing".into();
        let m = merge(&s, &r, MAPPED, DuplicateMode::Overwrite).unwrap();
        assert_eq!((m.industry.as_str(), m.sector.as_str()), ("smart_manufacturing", ""));
        // A sector named in the industry cell comes with it.
        r.industry = "modern_services".into();
        r.sector = "software_it".into();
        let m = merge(&s, &r, MAPPED, DuplicateMode::Overwrite).unwrap();
        assert_eq!((m.industry.as_str(), m.sector.as_str()), ("modern_services", "software_it"));
        // Under the same industry it is taken as a field: filled when empty, overwritten.
        let same = LeadForm { sector: "5g_communications".into(), ..row() };
        let m = merge(&s, &same, MAPPED, DuplicateMode::FillEmpty).unwrap();
        assert_eq!(m.sector, "ic_design", "a filled sector is kept in fill mode");
        let m = merge(&saved(), &same, MAPPED, DuplicateMode::FillEmpty).unwrap();
        assert_eq!(m.sector, "5g_communications");
        let m = merge(&s, &same, MAPPED, DuplicateMode::Overwrite).unwrap();
        assert_eq!(m.sector, "5g_communications");
        // A sector column left empty under a new industry drops the old industry's sector.
        let mut with_column = MAPPED.to_vec();
        with_column.push(ImportColumn::Sector);
        let moved = LeadForm { industry: "smart_manufacturing".into(), ..row() };
        let m = merge(&s, &moved, &with_column, DuplicateMode::Overwrite).unwrap();
        assert_eq!(m.sector, "");
    }
}
