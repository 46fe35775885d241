//! A lead as typed into the form, and the checked lead the services store.

use super::catalog::{sector, Channel, Industry, Sector, Stage};
use super::money::{parse_quantity, parse_wan, AmountError};
use super::names::{clean_company_name, fold_company_name, normalise_company_name};
use super::region::RegionCode;
use super::score::EnergyUse;
use super::uscc::{Uscc, UsccError};
use serde::{Deserialize, Serialize};

pub use super::field_error::FieldError;

/// A contact person as typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ContactForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
}

/// The lead form exactly as submitted: every field a string, so nothing the user typed is lost
/// when it is sent back with errors.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LeadForm {
    #[serde(default)]
    pub company_name: String,
    #[serde(default)]
    pub uscc: String,
    #[serde(default)]
    pub region_code: String,
    #[serde(default)]
    pub industry: String,
    #[serde(default)]
    pub sector: String,
    #[serde(default)]
    pub planned_investment: String,
    #[serde(default)]
    pub land_mu: String,
    #[serde(default)]
    pub annual_output: String,
    #[serde(default)]
    pub annual_tax: String,
    #[serde(default)]
    pub jobs: String,
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub stage: String,
    #[serde(default)]
    pub owner_id: String,
    /// 高新技术企业: "", "yes" or "no".
    #[serde(default)]
    pub high_tech: String,
    /// 专精特新: "", "yes" or "no".
    #[serde(default)]
    pub specialised: String,
    /// 上市公司: "", "yes" or "no".
    #[serde(default)]
    pub listed: String,
    /// 能耗排放: "", "low", "medium" or "high".
    #[serde(default)]
    pub energy_use: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub contacts: Vec<ContactForm>,
    /// The version the user started editing from (optimistic concurrency); empty for new leads.
    #[serde(default)]
    pub version: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Contact {
    pub name: String,
    pub title: String,
    pub phone: String,
    pub email: String,
}

/// A lead that passed every check that needs no database.
#[derive(Clone, Debug, PartialEq)]
pub struct LeadInput {
    pub company_name: String,
    /// Normalised name for duplicate detection.
    pub name_key: String,
    /// The name folded for search (`names::fold_company_name`).
    pub name_fold: String,
    pub uscc: Option<Uscc>,
    /// The region picked by hand (used when the USCC cannot give one).
    pub region: Option<RegionCode>,
    pub industry: Industry,
    pub sector: Option<Sector>,
    pub planned_investment_wan: Option<f64>,
    pub land_mu: Option<f64>,
    pub annual_output_wan: Option<f64>,
    pub annual_tax_wan: Option<f64>,
    pub jobs: Option<i32>,
    pub channel: Channel,
    pub stage: Stage,
    pub owner_id: Option<i64>,
    pub high_tech: Option<bool>,
    pub specialised: Option<bool>,
    pub listed: Option<bool>,
    pub energy_use: Option<EnergyUse>,
    pub notes: String,
    pub contacts: Vec<Contact>,
    pub version: Option<i32>,
}

pub const MAX_NAME: usize = 200;
pub const MAX_NOTES: usize = 10_000;
pub const MAX_CONTACTS: usize = 20;

pub fn uscc_error(field: &str, e: &UsccError) -> FieldError {
    match e {
        UsccError::Empty => FieldError::new(field, "err.required"),
        UsccError::Length(n) => FieldError::new(field, "err.uscc.length").with("n", n),
        UsccError::BadChar { pos, ch } => FieldError::new(field, "err.uscc.char").with("pos", pos).with("ch", ch),
        UsccError::CheckChar { expected, actual } => {
            FieldError::new(field, "err.uscc.check").with("expected", expected).with("actual", actual)
        }
    }
}

fn amount_error(field: &str, e: AmountError) -> FieldError {
    let key = match e {
        AmountError::NotANumber => "err.number",
        AmountError::Negative => "err.negative",
        AmountError::TooLarge => "err.too_large",
    };
    FieldError::new(field, key)
}

fn optional_wan(field: &str, raw: &str, errors: &mut Vec<FieldError>) -> Option<f64> {
    if raw.trim().is_empty() {
        return None;
    }
    parse_wan(raw).map_err(|e| errors.push(amount_error(field, e))).ok()
}

fn optional_quantity(field: &str, raw: &str, max: f64, errors: &mut Vec<FieldError>) -> Option<f64> {
    if raw.trim().is_empty() {
        return None;
    }
    parse_quantity(raw, max).map_err(|e| errors.push(amount_error(field, e))).ok()
}

/// "" → unknown, "yes"/"no" → known.
fn tri_state(field: &str, raw: &str, errors: &mut Vec<FieldError>) -> Option<bool> {
    match raw.trim() {
        "" => None,
        "yes" | "true" => Some(true),
        "no" | "false" => Some(false),
        _ => {
            errors.push(FieldError::new(field, "err.choose"));
            None
        }
    }
}

/// The form value of a tri-state flag.
pub fn tri_state_code(v: Option<bool>) -> &'static str {
    match v {
        None => "",
        Some(true) => "yes",
        Some(false) => "no",
    }
}

/// A phone number as people write it: digits with spaces, `+ - ( )`, and an extension after
/// 转 or #; full-width characters are folded first (`phone_text`). 5 to 20 digits. (A contact's
/// phone has 7 or more — a local landline without its area code, 8661 2345 — but leads saved
/// with shorter ones must stay saveable: every save checks the whole form again, also from the
/// field app and the API. A stricter rule needs those found and mended first.)
fn valid_phone(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    (5..=20).contains(&digits) && s.chars().all(|c| c.is_ascii_digit() || " +-()转#".contains(c))
}

/// A contact's phone as typed (the lead form, the field app, an import's cell, the API), trimmed,
/// with full-width digits and signs folded to ASCII ("０２５－８６６１２３４５" → "025-86612345"),
/// as a Chinese input method may type them.
pub fn phone_text(s: &str) -> String {
    s.trim().chars().map(super::uscc::fold_full_width).collect::<String>().trim().to_string()
}

/// The `tel:` address a phone dials for a contact's phone as saved: its digits (a leading `+`
/// kept), an extension after 转 or # after a `,` (the pause phones' dialers send the
/// extension after; RFC 3966's `;ext=` needs a `phone-context` on a local number, and dialers
/// read it unevenly). `None` when it has fewer than 5 digits before the extension (nothing a
/// phone could dial). "025-8661 2345转801" → "tel:02586612345,801".
pub fn tel_uri(phone: &str) -> Option<String> {
    let phone = phone_text(phone);
    let (main, ext) = match phone.split_once(['转', '#']) {
        Some((main, ext)) => (main, ext.chars().filter(char::is_ascii_digit).collect::<String>()),
        None => (phone.as_str(), String::new()),
    };
    let digits: String = main.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 5 {
        return None;
    }
    let plus = if main.trim_start().starts_with('+') { "+" } else { "" };
    let ext = if ext.is_empty() { String::new() } else { format!(",{ext}") };
    Some(format!("tel:{plus}{digits}{ext}"))
}

impl LeadForm {
    /// Checks every field and reports every problem at once.
    pub fn parse(&self) -> Result<LeadInput, Vec<FieldError>> {
        let mut errors = Vec::new();

        let company_name = clean_company_name(&self.company_name);
        let name_key = normalise_company_name(&company_name);
        let name_fold = fold_company_name(&company_name);
        if company_name.is_empty() {
            errors.push(FieldError::new("company_name", "err.required"));
        } else if company_name.chars().count() > MAX_NAME {
            errors.push(FieldError::new("company_name", "err.too_long").with("max", MAX_NAME));
        } else if name_key.is_empty() {
            errors.push(FieldError::new("company_name", "err.name.only_suffix"));
        }

        let uscc = if self.uscc.trim().is_empty() {
            None
        } else {
            Uscc::parse(&self.uscc).map_err(|e| errors.push(uscc_error("uscc", &e))).ok()
        };

        let region = if self.region_code.trim().is_empty() {
            None
        } else {
            let parsed = RegionCode::parse(&self.region_code);
            if parsed.is_none() {
                errors.push(FieldError::new("region_code", "err.region.unknown"));
            }
            parsed
        };
        if uscc.is_none() && region.is_none() && self.uscc.trim().is_empty() && self.region_code.trim().is_empty() {
            errors.push(FieldError::new("region_code", "err.region.required"));
        }

        let industry = match Industry::parse(self.industry.trim()) {
            Some(i) => i,
            None => {
                // Empty: required (an import's empty cell has no list to choose from).
                let key = if self.industry.trim().is_empty() { "err.required" } else { "err.choose" };
                errors.push(FieldError::new("industry", key));
                Industry::Other
            }
        };
        let sector = if self.sector.trim().is_empty() {
            None
        } else {
            match sector(self.sector.trim()) {
                Some(s) if s.industry == industry => Some(s),
                _ => {
                    errors.push(FieldError::new("sector", "err.sector.mismatch"));
                    None
                }
            }
        };

        let planned_investment_wan = optional_wan("planned_investment", &self.planned_investment, &mut errors);
        let land_mu = optional_quantity("land_mu", &self.land_mu, 1_000_000.0, &mut errors);
        let annual_output_wan = optional_wan("annual_output", &self.annual_output, &mut errors);
        let annual_tax_wan = optional_wan("annual_tax", &self.annual_tax, &mut errors);
        let jobs = if self.jobs.trim().is_empty() {
            None
        } else {
            match self.jobs.trim().parse::<i32>() {
                Ok(n) if (0..=1_000_000).contains(&n) => Some(n),
                Ok(_) => {
                    errors.push(FieldError::new("jobs", "err.too_large"));
                    None
                }
                Err(_) => {
                    errors.push(FieldError::new("jobs", "err.integer"));
                    None
                }
            }
        };

        let channel = Channel::parse(self.channel.trim()).unwrap_or_else(|| {
            errors.push(FieldError::new("channel", "err.choose"));
            Channel::Other
        });
        let stage = if self.stage.trim().is_empty() {
            Stage::Clue
        } else {
            Stage::parse(self.stage.trim()).unwrap_or_else(|| {
                errors.push(FieldError::new("stage", "err.choose"));
                Stage::Clue
            })
        };
        let owner_id = if self.owner_id.trim().is_empty() {
            None
        } else {
            self.owner_id.trim().parse::<i64>().map_err(|_| errors.push(FieldError::new("owner_id", "err.choose"))).ok()
        };
        let high_tech = tri_state("high_tech", &self.high_tech, &mut errors);
        let specialised = tri_state("specialised", &self.specialised, &mut errors);
        let listed = tri_state("listed", &self.listed, &mut errors);
        let energy_use = if self.energy_use.trim().is_empty() {
            None
        } else {
            let parsed = EnergyUse::parse(&self.energy_use);
            if parsed.is_none() {
                errors.push(FieldError::new("energy_use", "err.choose"));
            }
            parsed
        };
        let notes = self.notes.trim().to_string();
        if notes.chars().count() > MAX_NOTES {
            errors.push(FieldError::new("notes", "err.too_long").with("max", MAX_NOTES));
        }

        let mut contacts = Vec::new();
        for (i, c) in self.contacts.iter().enumerate() {
            let phone = phone_text(&c.phone);
            let (name, title, phone, email) = (c.name.trim(), c.title.trim(), phone.as_str(), c.email.trim());
            if name.is_empty() && title.is_empty() && phone.is_empty() && email.is_empty() {
                continue;
            }
            if name.is_empty() {
                errors.push(FieldError::new(format!("contacts.{i}.name"), "err.contact.name_required"));
            }
            if !phone.is_empty() && !valid_phone(phone) {
                errors.push(FieldError::new(format!("contacts.{i}.phone"), "err.phone"));
            }
            if !email.is_empty() && !super::email::is_valid(email) {
                errors.push(FieldError::new(format!("contacts.{i}.email"), "err.email"));
            }
            contacts.push(Contact {
                name: name.to_string(),
                title: title.to_string(),
                phone: phone.to_string(),
                email: email.to_string(),
            });
        }
        if contacts.len() > MAX_CONTACTS {
            errors.push(FieldError::new("contacts", "err.too_many").with("max", MAX_CONTACTS));
        }
        let version = self.version.trim().parse::<i32>().ok();

        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(LeadInput {
            company_name,
            name_key,
            name_fold,
            uscc,
            region,
            industry,
            sector,
            planned_investment_wan,
            land_mu,
            annual_output_wan,
            annual_tax_wan,
            jobs,
            channel,
            stage,
            owner_id,
            high_tech,
            specialised,
            listed,
            energy_use,
            notes,
            contacts,
            version,
        })
    }
}

#[cfg(test)]
mod tests;
