//! `/leads/unassigned` — leads without a team or owner, each with the suggested team and owner
//! and why; managers assign one (take the suggestion) or many at once.

use crate::api::assignment::{unassigned_queue, AssignLeads};
use crate::components::bulk_assign::{lead_check, AssignDone, BulkAssignForm};
use crate::components::left::left_by;
use crate::components::loaded::Loaded;
use crate::components::options::label_of;
use crate::domain::team::Reason;
use crate::i18n::t;
use crate::wire::teams::SuggestionView;
use leptos::prelude::*;

/// One line per reason, translated.
pub fn reason_lines(s: &SuggestionView) -> Vec<String> {
    s.reasons
        .iter()
        .zip(s.reason_names.iter())
        .map(|(r, name)| match r {
            Reason::Region(_) => t("assign.reason.region").replace("{name}", name),
            Reason::Chain(_) => t("assign.reason.chain").replace("{name}", name),
            Reason::Industry(code) => t("assign.reason.industry").replace("{name}", &label_of("industry", code)),
            Reason::LightestTeam => t("assign.reason.lightest_team").to_string(),
            Reason::CurrentTeam => t("assign.reason.current_team").to_string(),
            Reason::CurrentOwner => t("assign.reason.current_owner").to_string(),
            Reason::FewestOpen(n) => t("assign.reason.fewest_open").replace("{n}", &n.to_string()),
            Reason::OnlyMember(n) => t("assign.reason.only_member").replace("{n}", &n.to_string()),
            Reason::FewestCounted(open, counted) => {
                t("assign.reason.fewest_counted").replace("{n}", &open.to_string()).replace("{k}", &counted.to_string())
            }
            Reason::OnlyMemberCounted(open, counted) => t("assign.reason.only_member_counted")
                .replace("{n}", &open.to_string())
                .replace("{k}", &counted.to_string()),
        })
        .collect()
}

#[component]
pub fn UnassignedPage() -> impl IntoView {
    let bulk = ServerAction::<AssignLeads>::new();
    let single = ServerAction::<AssignLeads>::new();
    let queue = Resource::new(move || (bulk.version().get(), single.version().get()), |_| unassigned_queue());
    let assigned = left_by::<AssignLeads>();
    view! {
        <h1>{t("assign.title")}</h1>
        <p class="muted">{t("assign.intro")}</p>
        <AssignDone left=assigned/>
        <BulkAssignForm action=bulk/>
        <Loaded resource=queue empty="assign.empty" empty_id="queue-empty" content={move |rows| view! {
                        <table class="grid" id="queue">
                            <thead><tr>
                                <th class="pick"></th><th>{t("lead.company_name")}</th><th>{t("lead.region")}</th><th>{t("lead.industry")}</th>
                                <th>{t("score.grade")}</th><th>{t("assign.current")}</th><th>{t("assign.suggestion")}</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|r| {
                                    let current = match (&r.team_name, &r.owner_name) {
                                        (None, None) => "—".to_string(),
                                        (None, Some(o)) => o.clone(),
                                        (Some(tn), None) => tn.clone(),
                                        (Some(tn), Some(o)) => format!("{tn} · {o}"),
                                    };
                                    view! {
                                        <tr class="queue-row" data-lead=r.id>
                                            <td class="pick">{lead_check(r.id)}</td>
                                            <td class="name"><a href=format!("/leads/{}", r.id)>{r.company_name.clone()}</a></td>
                                            <td class="region">{crate::components::region::region_label(&r.region)}</td>
                                            <td class="industry">{label_of("industry", &r.industry)}</td>
                                            <td class="grade" data-label=t("score.grade")>{r.grade.clone().unwrap_or_else(|| "—".into())}</td>
                                            <td class="current" data-label=t("assign.current")>{current}</td>
                                            <td class="suggestion">{r.suggestion.clone().map(|s| view! { <Suggestion lead_id=r.id s=s action=single/> })}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }}/>
    }
}

#[component]
fn Suggestion(lead_id: i64, s: SuggestionView, action: ServerAction<AssignLeads>) -> impl IntoView {
    let lines = reason_lines(&s);
    view! {
        <div class="suggestion">
            <strong>{s.team_name.clone()}</strong>
            {s.owner_name.clone().map(|o| view! { " · " {o} })}
            <ul class="reasons">{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
            <ActionForm action=action>
                <input type="hidden" name=format!("lead_ids[{lead_id}]") value=lead_id/>
                <input type="hidden" name="team_id" value=s.team_id/>
                <input type="hidden" name="owner_id" value=s.owner_id.map(|o| o.to_string()).unwrap_or_default()/>
                <button type="submit" class="small take-suggestion">{t("assign.take")}</button>
            </ActionForm>
        </div>
    }
}
