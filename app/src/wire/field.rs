//! What crosses the wire for `api::field` (外出招商 on a phone): this week's visits, one visit with
//! what a person needs at the company's door, the check-in and the quick lead form. Dates and
//! times are Asia/Shanghai (`YYYY-MM-DD`, `HH:MM`).

use crate::wire::leads::ContactView;
use crate::wire::pipeline::TimelineEntry;
use crate::wire::problems::ProblemView;
use crate::wire::trips::VisitView;
use serde::{Deserialize, Serialize};

/// The signed-in user's visits from Monday of this week to a week from today (离线包: what a phone
/// takes along), by trip.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldWeek {
    /// The reader: the service worker sends a queued item only while its author is signed in.
    pub user_id: i64,
    pub from: String,
    pub to: String,
    /// When the server put this together (`YYYY-MM-DD HH:MM`): a page opened offline says it.
    pub fetched_at: String,
    pub trips: Vec<FieldTrip>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldTrip {
    pub id: i64,
    pub kind: String,
    pub purpose: String,
    pub destination_code: String,
    pub destination_name: String,
    pub start_on: String,
    pub end_on: String,
    pub status: String,
    pub visits: Vec<FieldVisitRow>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldVisitRow {
    pub id: i64,
    pub lead_id: i64,
    pub company_name: String,
    pub date: String,
    pub start: String,
    pub end: String,
    pub place: String,
    pub status: String,
    pub checked_in: bool,
    /// The check-in's flag ("" none; see `domain::geo::Verdict::flag`).
    pub checkin_flag: String,
}

/// The company as the visitor needs it at the door.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldLead {
    pub id: i64,
    pub version: i32,
    pub company_name: String,
    pub uscc: Option<String>,
    pub region_code: String,
    pub region_names: String,
    pub industry: String,
    pub stage: String,
    pub owner_name: Option<String>,
    pub planned_investment_wan: Option<f64>,
    pub notes: String,
    pub contacts: Vec<ContactView>,
    /// The reader may change the lead (its notes, from the phone).
    pub can_edit: bool,
}

/// A photo or voice note (served at `/attachments/{id}` to those who may read the lead).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttachmentView {
    pub id: i64,
    /// "photo" | "voice"
    pub kind: String,
    pub mime: String,
    pub size_bytes: i64,
    pub by: String,
    /// `YYYY-MM-DD HH:MM`
    pub at: String,
    pub visit_id: Option<i64>,
}

/// 签到 as recorded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckinView {
    /// The phone's clock and the server's (`YYYY-MM-DD HH:MM`).
    pub at: String,
    pub server_at: String,
    pub by: String,
    /// Degrees and metres, when the user allowed the position.
    pub position: Option<(f64, f64, f64)>,
    /// "江苏省 苏州市 虎丘区" for the nearest seat ("" without a position).
    pub place: String,
    /// The check-in's flags, space-separated (none: ""): where — "elsewhere" | "outside" |
    /// "imprecise" — and when: "other_day" (not the visit's day).
    pub flag: String,
}

/// One visit with the lead's facts, contacts, the last three timeline entries, open problems and
/// next steps, its check-in and whether the reader may report it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldVisit {
    pub user_id: i64,
    pub visit: VisitView,
    pub trip_id: i64,
    pub trip_purpose: String,
    pub destination_name: String,
    /// `None` when the reader may not read the lead (the trip still names the company).
    pub lead: Option<FieldLead>,
    pub timeline: Vec<TimelineEntry>,
    pub problems: Vec<ProblemView>,
    /// (due `YYYY-MM-DD` or "", the step) of the lead's open next steps.
    pub next_steps: Vec<(String, String)>,
    pub checkin: Option<CheckinView>,
    /// Photos and voice notes of this visit (none when the lead is not the reader's to read).
    pub attachments: Vec<AttachmentView>,
    /// The reader may add photos and voice notes (on the trip, also after the report).
    pub can_attach: bool,
    /// The trip is open and the reader may report and check in.
    pub can_report: bool,
    pub fetched_at: String,
}

/// 签到 as the phone sends it: its clock (`YYYY-MM-DDTHH:MM[:SS]`, local, or RFC 3339) and, with
/// the user's consent, the position (degrees, accuracy in metres); all three or none.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CheckinForm {
    #[serde(default)]
    pub phone_time: String,
    #[serde(default)]
    pub lat: String,
    #[serde(default)]
    pub lng: String,
    #[serde(default)]
    pub accuracy: String,
}

/// A company met on the road (路上遇到的企业): the few fields one types standing up. The USCC is
/// optional and checked when given; without it the region is the trip's city.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QuickLeadForm {
    #[serde(default)]
    pub company_name: String,
    #[serde(default)]
    pub uscc: String,
    #[serde(default)]
    pub region_code: String,
    #[serde(default)]
    pub industry: String,
    #[serde(default)]
    pub contact_name: String,
    #[serde(default)]
    pub contact_phone: String,
    #[serde(default)]
    pub notes: String,
}

impl QuickLeadForm {
    /// The full lead form it stands for: channel 其他, stage 线索, the contact as the only one.
    pub fn to_lead_form(&self) -> crate::domain::lead::LeadForm {
        let contacts = if self.contact_name.trim().is_empty() && self.contact_phone.trim().is_empty() {
            Vec::new()
        } else {
            vec![crate::domain::lead::ContactForm {
                name: self.contact_name.clone(),
                phone: self.contact_phone.clone(),
                ..Default::default()
            }]
        };
        crate::domain::lead::LeadForm {
            company_name: self.company_name.clone(),
            uscc: self.uscc.clone(),
            region_code: self.region_code.clone(),
            industry: self.industry.clone(),
            channel: "other".into(),
            notes: self.notes.clone(),
            contacts,
            ..Default::default()
        }
    }
}
