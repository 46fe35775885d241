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
            DuplicateMode::Overwrite => true,
            DuplicateMode::Skip => false,
        };
        if take {
            *old = new;
        }
    }
    // The sector belongs to an industry: a new industry without a sector drops the old sector.
    if merged.industry != existing.industry && !mapped.contains(&ImportColumn::Sector) {
        merged.sector.clear();
    }
    for c in &incoming.contacts {
        let known = merged.contacts.iter().any(|m: &ContactForm| m.name.trim() == c.name.trim());
        if !known && !c.name.trim().is_empty() {
            merged.contacts.push(c.clone());
        }
    }
    (merged != *existing).then_some(merged)
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
    fn a_new_industry_drops_a_sector_of_the_old_one() {
        let mut s = saved();
        s.sector = "ic_design".into();
        let mut r = row();
        r.industry = "smart_manufacturing".into();
        let m = merge(&s, &r, MAPPED, DuplicateMode::Overwrite).unwrap();
        assert_eq!((m.industry.as_str(), m.sector.as_str()), ("smart_manufacturing", ""));
    }
}
