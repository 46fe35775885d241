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
                        <NarrowOwners><Targets targets=targets/></NarrowOwners>
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
                        <optgroup label=g.team_name.clone() data-team=g.team_id>
                            {g.members.iter().map(|(id, name)| view! { <option value=*id>{name.clone()}</option> }).collect_view()}
                        </optgroup>
                    }).collect_view()}
                </select>
            </label>
        </div>
    }
}

/// With JavaScript, the 负责人 select offers only the chosen 专班's members (a member of another
/// team is refused at the field by the server, as it is without JavaScript), and a 负责人 chosen
/// first chooses their 专班.
#[island]
pub fn NarrowOwners(children: Children) -> impl IntoView {
    use web_sys::wasm_bindgen::JsCast;
    let root = NodeRef::<leptos::html::Div>::new();
    crate::components::island::mark_ready(root);
    let select = |id: &str| {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlSelectElement>().ok())
    };
    let on_change = move |ev: leptos::ev::Event| {
        let (Some(team), Some(owner)) = (select("bulk-team"), select("bulk-owner")) else { return };
        let changed = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).map(|e| e.id());
        if changed.as_deref() == Some("bulk-owner") && team.value().is_empty() {
            // The chosen 负责人's 专班 (the optgroup the option sits in).
            let group = owner.query_selector("option:checked").ok().flatten().and_then(|o| o.parent_element());
            if let Some(id) = group.and_then(|g| g.get_attribute("data-team")) {
                team.set_value(&id);
            }
        }
        let chosen = team.value();
        let mut child = owner.first_element_child();
        while let Some(el) = child {
            if let Some(id) = el.get_attribute("data-team") {
                let other = !chosen.is_empty() && id != chosen;
                let _ = el.toggle_attribute_with_force("hidden", other);
                let _ = el.toggle_attribute_with_force("disabled", other);
            }
            child = el.next_element_sibling();
        }
        // A 负责人 of another 专班 is no longer offered: back to 「不变」.
        let checked = owner.query_selector("option:checked").ok().flatten();
        if checked.and_then(|o| o.parent_element()).is_some_and(|g| g.has_attribute("disabled")) {
            owner.set_value("");
        }
    };
    view! {
        <div node_ref=root data-island="narrow-owners" on:change=on_change>{children()}</div>
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
