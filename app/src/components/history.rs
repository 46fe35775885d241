//! Field changes (审计) as people read them: the field's name and old → new, translated where
//! the value is a code.

use crate::components::options::label_of;
use crate::i18n::t;
use crate::wire::leads::FieldChange;
use leptos::prelude::*;

/// The translation key of a recorded field.
pub fn field_label(field: &str) -> &'static str {
    match field {
        "company_name" => "lead.company_name",
        "uscc" => "lead.uscc",
        "region_code" => "lead.region",
        "industry" => "lead.industry",
        "sector" => "lead.sector",
        "planned_investment" => "lead.planned_investment",
        "land_mu" => "lead.land_mu",
        "annual_output" => "lead.annual_output",
        "annual_tax" => "lead.annual_tax",
        "jobs" => "lead.jobs",
        "channel" => "lead.channel",
        "stage" => "lead.stage",
        "owner_id" => "lead.owner",
        "team_id" => "lead.team",
        "high_tech" => "lead.high_tech",
        "specialised" => "lead.specialised",
        "listed" => "lead.listed",
        "energy_use" => "lead.energy_use",
        "major_flag" => "major.flag",
        "leader_in_charge_id" => "major.leader",
        "lead_department" => "major.department",
        _ => "lead.notes",
    }
}

fn value(field: &str, v: &str) -> String {
    if v.is_empty() {
        return "—".into();
    }
    match field {
        "industry" | "stage" | "channel" | "sector" => label_of(field, v),
        "energy_use" => label_of("energy", v),
        "high_tech" | "specialised" | "listed" | "major_flag" => label_of("common", v),
        _ => v.to_string(),
    }
}

/// "字段: old → new" in one line.
pub fn change_text(c: &FieldChange) -> String {
    format!("{}: {} → {}", t(field_label(&c.field)), value(&c.field, &c.old), value(&c.field, &c.new))
}

pub fn change_list(changes: Vec<FieldChange>) -> impl IntoView {
    view! {
        <ul class="changes">
            {changes.into_iter().map(|c| view! {
                <li>
                    <strong>{t(field_label(&c.field)).to_string()}</strong> ": "
                    {format!("{} → {}", value(&c.field, &c.old), value(&c.field, &c.new))}
                    <span class="muted">{format!(" · {} · {}", c.who, c.at)}</span>
                </li>
            }).collect_view()}
        </ul>
    }
}
