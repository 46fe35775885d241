//! The bulk assignment form: team and owner for the leads ticked in a list (their check boxes
//! point at this form with `form="bulk-assign"`, so the form need not wrap the table).

use crate::api::assignment::{assign_targets, AssignLeads};
use crate::components::errors::{action_field_errors, FieldErrorText};
use crate::components::left::Left;
use crate::domain::lead::FieldError;
use crate::i18n::{t, tr_args, use_locale};
use crate::wire::assignment::{AssignReport, AssignTarget};
use leptos::prelude::*;

/// The `form` attribute value the list's check boxes use.
pub const FORM_ID: &str = "bulk-assign";

#[component]
pub fn BulkAssignForm(action: ServerAction<AssignLeads>) -> impl IntoView {
    let targets = Resource::new(|| (), |_| assign_targets());
    let errors: Signal<Vec<FieldError>> = action_field_errors(action);
    view! {
        <Suspense fallback=|| ()>
            // Nothing when there is no team to assign to, or for a reader who may not assign
            // (the list below says why): an empty form above 「无权执行此操作」 offered what the
            // server would refuse.
            {move || Suspend::new(async move {
                targets.await.ok().filter(|t| !t.is_empty()).map(|targets| view! {
                    <ActionForm action=action attr:id=FORM_ID attr:class="bulk-assign">
                        <Targets targets=targets/>
                        <FieldErrorText errors=errors field="lead_ids"/>
                        <FieldErrorText errors=errors field="team_id"/>
                        <FieldErrorText errors=errors field="owner_id"/>
                        <button type="submit" class="primary" id="bulk-assign-submit">{t("assign.bulk")}</button>
                    </ActionForm>
                })
            })}
        </Suspense>
    }
}

#[component]
fn Targets(targets: Vec<AssignTarget>) -> impl IntoView {
    view! {
        <div class="filters">
            <label>{t("assign.team")}
                <select name="team_id" id="bulk-team">
                    <option value="">{t("common.choose")}</option>
                    {targets.iter().map(|g| view! { <option value=g.team_id>{g.team_name.clone()}</option> }).collect_view()}
                </select>
            </label>
            <label>{t("assign.owner")}
                <select name="owner_id" id="bulk-owner">
                    <option value="">{t("assign.owner_keep")}</option>
                    {targets.iter().map(|g| view! {
                        <optgroup label=g.team_name.clone()>
                            {g.members.iter().map(|(id, name)| view! { <option value=*id>{name.clone()}</option> }).collect_view()}
                        </optgroup>
                    }).collect_view()}
                </select>
            </label>
        </div>
    }
}

/// "已分配 N 条线索" after a bulk assignment; `left` is `left_by::<AssignLeads>()`, made at the top
/// of the page.
#[component]
pub fn AssignDone(left: Resource<Option<AssignReport>>) -> impl IntoView {
    view! {
        <Left left=left view=|r: AssignReport| view! {
            <p class="notice" id="assign-done">{tr_args(use_locale(), "assign.done", &[("n".into(), r.assigned.to_string())])}</p>
        }/>
    }
}

/// The check box of one lead row.
pub fn lead_check(id: i64) -> impl IntoView {
    view! { <input type="checkbox" form=FORM_ID name=format!("lead_ids[{id}]") value=id class="queue-check"/> }
}
