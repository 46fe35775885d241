//! The JSON bodies of `/api/v1` that are not already wire types: a lead as the API shows it,
//! what a client may send to create or change one, a page of leads, and the error body. Their
//! schemas in `/api/v1/openapi.json` are derived from these definitions.

use app::backend::entities::lead;
use app::backend::regions::divisions;
use app::domain::lead::{ContactForm, LeadForm};
use app::domain::region::{OverseasArea, RegionCode};
use app::wire::leads::{ContactView, FieldChange};
use app::wire::pipeline::ActivityForm;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use std::collections::HashMap;
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

/// 招商线索 as the API answers it. Amounts are in 万元, land in 亩.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Lead {
    pub id: i64,
    /// Send it back with a PATCH: a save over a newer version is refused with 409.
    pub version: i32,
    pub company_name: String,
    /// 统一社会信用代码
    pub uscc: Option<String>,
    /// GB/T 2260 division code, or an overseas area code.
    pub region_code: String,
    /// "江苏省 南京市 江宁区"; empty for overseas areas.
    pub region_names: String,
    pub region_group: String,
    pub industry: String,
    pub sector: Option<String>,
    pub stage: String,
    pub channel: String,
    pub planned_investment_wan: Option<f64>,
    pub land_mu: Option<f64>,
    pub annual_output_wan: Option<f64>,
    pub annual_tax_wan: Option<f64>,
    pub jobs: Option<i32>,
    /// 高新技术企业; null: not known.
    pub high_tech: Option<bool>,
    /// 专精特新; null: not known.
    pub specialised: Option<bool>,
    /// 上市公司; null: not known.
    pub listed: Option<bool>,
    /// low / medium / high
    pub energy_use: Option<String>,
    pub score: Option<f64>,
    pub grade: Option<String>,
    pub owner_id: Option<i64>,
    pub team_id: Option<i64>,
    pub notes: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// One lead only (absent from list rows).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contacts: Option<Vec<ContactView>>,
}

impl Lead {
    /// The stored lead; `contacts` is filled by the caller when it answers for one lead.
    pub fn of(l: lead::Model) -> Lead {
        let region =
            divisions().view(&RegionCode::parse(&l.region_code).unwrap_or(RegionCode::Overseas(OverseasArea::Other)));
        Lead {
            id: l.id,
            version: l.version,
            company_name: l.company_name,
            uscc: l.uscc,
            region_code: l.region_code,
            region_names: region.names,
            region_group: region.group.as_str().to_string(),
            industry: l.industry,
            sector: l.sector,
            stage: l.stage,
            channel: l.channel,
            planned_investment_wan: l.planned_investment_wan,
            land_mu: l.land_mu,
            annual_output_wan: l.annual_output_wan,
            annual_tax_wan: l.annual_tax_wan,
            jobs: l.jobs,
            high_tech: l.high_tech,
            specialised: l.specialised,
            listed: l.listed,
            energy_use: l.energy_use,
            score: l.score,
            grade: l.grade,
            owner_id: l.owner_id,
            team_id: l.team_id,
            notes: l.notes,
            created_at: l.created_at,
            updated_at: l.updated_at,
            contacts: None,
        }
    }
}

/// A page of the list.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LeadPage {
    pub rows: Vec<Lead>,
    /// Matches, counted up to 10,000.
    pub total: u64,
    /// More than `total` match.
    pub total_is_lower_bound: bool,
    pub page: u64,
    pub per_page: u64,
}

/// One field as a client sent it: absent (the key was not sent: it keeps its value), or sent as
/// the lead form would hold it — text as typed (`"1.5亿"`, `"3000万"`), a number (its digits),
/// true/false (yes/no), or null (empty: clears the field).
#[derive(Clone, Debug, Default, PartialEq)]
pub enum FieldValue {
    #[default]
    Absent,
    Sent(String),
}

impl FieldValue {
    /// The text sent, `None` when the key was absent.
    pub fn sent(self) -> Option<String> {
        match self {
            FieldValue::Absent => None,
            FieldValue::Sent(text) => Some(text),
        }
    }
}

impl<'de> Deserialize<'de> for FieldValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = match Value::deserialize(d)? {
            Value::String(s) => s,
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => if b { "yes" } else { "no" }.into(),
            Value::Null => String::new(),
            other => {
                return Err(serde::de::Error::custom(format!(
                    "expected text, a number, true/false or null, not {other}"
                )))
            }
        };
        Ok(FieldValue::Sent(text))
    }
}

/// As the schema's `default`: absent is null.
impl Serialize for FieldValue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            FieldValue::Absent => s.serialize_none(),
            FieldValue::Sent(text) => s.serialize_str(text),
        }
    }
}

impl PartialSchema for FieldValue {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(SchemaType::from_iter([Type::String, Type::Number, Type::Boolean, Type::Null]))
            .description(Some("Text as typed, a number, or true/false; null clears the field"))
            .into()
    }
}

impl ToSchema for FieldValue {}

/// A present key, even when its value is null (an absent key stays `None`, by `#[serde(default)]`).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// What a client sends to create a lead (`company_name` and `industry` needed) or change one
/// (`version` needed; absent keys keep their value). Unknown keys are ignored.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct LeadInput {
    pub company_name: FieldValue,
    pub uscc: FieldValue,
    pub region_code: FieldValue,
    pub industry: FieldValue,
    pub sector: FieldValue,
    pub channel: FieldValue,
    pub stage: FieldValue,
    /// 万元; `3000`, `"1.5亿"` or `"3000万"`.
    pub planned_investment_wan: FieldValue,
    pub land_mu: FieldValue,
    pub annual_output_wan: FieldValue,
    pub annual_tax_wan: FieldValue,
    pub jobs: FieldValue,
    pub owner_id: FieldValue,
    pub high_tech: FieldValue,
    pub specialised: FieldValue,
    pub listed: FieldValue,
    pub energy_use: FieldValue,
    pub notes: FieldValue,
    /// The version read; needed to change a lead.
    pub version: FieldValue,
    /// Replaces the list; null or [] for none.
    #[serde(deserialize_with = "present")]
    #[schema(value_type = Option<Vec<ContactForm>>)]
    pub contacts: Option<Option<Vec<ContactForm>>>,
}

impl LeadInput {
    /// Puts the sent fields over `form`, as if typed into the lead form.
    pub fn overlay(self, form: &mut LeadForm) {
        let fields = [
            (self.company_name, &mut form.company_name),
            (self.uscc, &mut form.uscc),
            (self.region_code, &mut form.region_code),
            (self.industry, &mut form.industry),
            (self.sector, &mut form.sector),
            (self.channel, &mut form.channel),
            (self.stage, &mut form.stage),
            (self.planned_investment_wan, &mut form.planned_investment),
            (self.land_mu, &mut form.land_mu),
            (self.annual_output_wan, &mut form.annual_output),
            (self.annual_tax_wan, &mut form.annual_tax),
            (self.jobs, &mut form.jobs),
            (self.owner_id, &mut form.owner_id),
            (self.high_tech, &mut form.high_tech),
            (self.specialised, &mut form.specialised),
            (self.listed, &mut form.listed),
            (self.energy_use, &mut form.energy_use),
            (self.notes, &mut form.notes),
            (self.version, &mut form.version),
        ];
        for (sent, field) in fields {
            if let Some(text) = sent.sent() {
                *field = text;
            }
        }
        if let Some(contacts) = self.contacts {
            form.contacts = contacts.unwrap_or_default();
        }
    }
}

/// A 跟进记录 as a client sends it: `kind` one of call, meeting, visit_out, visit_in, email,
/// wechat; `happened_on` (default today) and `next_due` as `YYYY-MM-DD`; `summary` needed;
/// `next_step` needed when `next_due` is set. Null or absent is empty.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ActivityInput {
    pub kind: FieldValue,
    pub happened_on: FieldValue,
    pub participants: FieldValue,
    pub summary: FieldValue,
    pub next_step: FieldValue,
    pub next_due: FieldValue,
}

impl ActivityInput {
    /// The activity form, as if typed.
    pub fn into_form(self) -> ActivityForm {
        let text = |v: FieldValue| v.sent().unwrap_or_default();
        ActivityForm {
            kind: text(self.kind),
            happened_on: text(self.happened_on),
            participants: text(self.participants),
            summary: text(self.summary),
            next_step: text(self.next_step),
            next_due: text(self.next_due),
        }
    }
}

/// The id of what was created.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

/// One field's problem, in the caller's language.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FieldProblem {
    pub field: String,
    /// The translation key, stable across languages (`err.required`).
    pub code: String,
    pub message: String,
    pub args: HashMap<String, String>,
}

/// Every refusal: `error` is one of unauthorized, bad_request, not_found, forbidden, invalid
/// (see `fields`), conflict (see `message`), stale (see `changes`), method_not_allowed,
/// timeout, too_large, unsupported_media_type, too_many_requests, internal. `message`, where
/// present, is in the caller's language (or, for the body limit, in both).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    pub error: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<FieldProblem>>,
    /// What changed since the version sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changes: Option<Vec<FieldChange>>,
}

impl ErrorBody {
    pub fn new(error: &str) -> ErrorBody {
        ErrorBody { error: error.into(), message: None, fields: None, changes: None }
    }
}
