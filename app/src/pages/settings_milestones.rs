//! `/settings/milestones` — the office's milestone template for 项目建设计划: each milestone's name,
//! default days after the one before it (what 倒排 counts with) and place; the office adds its
//! own and archives what it does not use. Managers and admins edit; everyone else reads.

use super::projects::milestone_label;
use crate::api::projects::{milestone_kinds, SaveMilestoneKind};
use crate::components::errors::{action_field_errors, FieldErrorText};
use crate::components::loaded::LoadedOne;
use crate::components::options::label_of;
use crate::i18n::t;
use crate::wire::projects::MilestoneKindView;
use leptos::prelude::*;

fn fields(k: Option<&MilestoneKindView>) -> impl IntoView {
    let days = k.map(|k| k.days.to_string()).unwrap_or_else(|| "30".into());
    let position = k.map(|k| k.position.to_string()).unwrap_or_default();
    let placeholder = k.map(|k| milestone_label(&k.code, "")).unwrap_or_default();
    view! {
        <input name="form[name]" value=k.map(|k| k.name.clone()).unwrap_or_default() placeholder=placeholder maxlength="100" aria-label=t("plan.milestone")/>
        <input name="form[days]" value=days inputmode="numeric" size="5" aria-label=t("settings.milestones.days")/>
        <input name="form[position]" value=position inputmode="numeric" size="4" aria-label=t("settings.milestones.position")/>
        <label class="inline-check"><input type="checkbox" name="form[archived]" checked=k.is_some_and(|k| k.archived)/> {t("settings.milestones.archived")}</label>
    }
}

#[component]
pub fn MilestoneSettingsPage() -> impl IntoView {
    let save = ServerAction::<SaveMilestoneKind>::new();
    let list = Resource::new(move || save.version().get(), |_| milestone_kinds());
    let errors = action_field_errors(save);
    view! {
        <h1>{t("settings.milestones.title")}</h1>
        <p class="hint">{t("settings.milestones.help")}</p>
        {["name", "days", "position"].into_iter().map(|k| view! { <FieldErrorText errors=errors field=k/> }).collect_view()}
        <LoadedOne resource=list content=move |template| {
            let can_edit = template.can_edit;
            view! {
            {crate::components::read_only::read_only_note(can_edit, crate::components::read_only::ChangedBy::Managers)}
            <table class="grid" id="milestone-kinds">
                <thead><tr>
                    <th>{t("plan.milestone")}</th><th class="num">{t("settings.milestones.days")}</th>
                    <th class="num">{t("settings.milestones.position")}</th><th>{t("lead.stage")}</th>
                </tr></thead>
                <tbody>{template.kinds.into_iter().map(|k| {
                    let (kid, edit_fields) = (k.id, fields(Some(&k)));
                    let edit = if !can_edit { None } else { Some(view! {
                        <details>
                            <summary>{t("common.edit")}</summary>
                            <ActionForm action=save>
                                <input type="hidden" name="id" value=kid/>
                                <div class="filters">{edit_fields}</div>
                                <button type="submit">{t("common.save")}</button>
                            </ActionForm>
                        </details>
                    }) };
                    view! {
                    <tr class:muted=k.archived id=format!("kind-{}", k.code)>
                        <td>{milestone_label(&k.code, &k.name)}
                            {k.archived.then(|| view! { " " <small>"(" {t("settings.milestones.archived")} ")"</small> })}
                            {edit}
                        </td>
                        <td class="num">{k.days}</td>
                        <td class="num">{k.position}</td>
                        <td>{k.stage.as_deref().map(|s| label_of("stage", s)).unwrap_or_default()}</td>
                    </tr>
                    }
                }).collect_view()}</tbody>
            </table>
            {can_edit.then(|| view! {
                <section class="card">
                    <h2>{t("settings.milestones.add")}</h2>
                    <ActionForm action=save>
                        <div class="filters">{fields(None)}</div>
                        <button type="submit" id="milestone-kind-add">{t("settings.milestones.add")}</button>
                    </ActionForm>
                </section>
            })}
            }
        }/>
    }
}
