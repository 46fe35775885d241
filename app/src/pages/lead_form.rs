use super::lead_form_sections::{ContactRow, InnovationSection, ScaleSection, WorkSection};
use crate::api::flash::LEAD_DRAFT;
use crate::api::leads::{lead_edit_form, SaveLead};
use crate::components::errors::{action_field_errors, ErrorBanner, FieldErrorText};
use crate::components::left::draft_under;
use crate::components::loaded::LoadedOne;
use crate::components::options::{channel_options, industry_options, stage_options};
use crate::components::region::RegionSelect;
use crate::components::route_id::{id_param, read_by_id};
use crate::components::uscc_field::{UsccErrors, UsccField, UsccLabels};
use crate::domain::catalog::{Industry, SECTORS};
use crate::domain::lead::LeadForm;
use crate::error::AppError;
use crate::i18n::{t, tr_args, use_locale};
use crate::wire::leads::RegionView;
use leptos::prelude::*;

/// What the user typed into a refused save, when the page is the redirect back from that save
/// (its URL carries the error): `(the lead it was for, the form)`; see [`draft_for`].
fn refused_draft() -> Resource<Option<(Option<i64>, LeadForm)>> {
    draft_under(LEAD_DRAFT)
}

/// The draft's form if it was typed for this form (`id`: the lead edited, `None` a new one),
/// with the blank contact rows at its end dropped (the form adds its own).
fn draft_for(draft: Option<(Option<i64>, LeadForm)>, id: Option<i64>) -> Option<LeadForm> {
    let (_, mut form) = draft.filter(|(for_id, _)| *for_id == id)?;
    while form
        .contacts
        .last()
        .is_some_and(|c| [&c.name, &c.title, &c.phone, &c.email].iter().all(|v| v.trim().is_empty()))
    {
        form.contacts.pop();
    }
    Some(form)
}

/// `/leads/new`
#[component]
pub fn NewLeadPage() -> impl IntoView {
    let draft = refused_draft();
    view! {
        <h1>{t("lead.form.new_title")}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let initial = draft_for(draft.await, None).unwrap_or_else(|| LeadForm { stage: "clue".into(), ..Default::default() });
                view! { <LeadFormView id=None initial=initial current_region=None/> }
            })}
        </Suspense>
    }
}

/// `/leads/{id}/edit`
#[component]
pub fn EditLeadPage() -> impl IntoView {
    let id = id_param();
    let loaded = Resource::new(move || id.get(), |id| read_by_id(id, lead_edit_form));
    let draft = refused_draft();
    view! {
        <h1>{t("lead.form.edit_title")}</h1>
        <LoadedOne resource=loaded content=move |edit| view! {
            <Suspense fallback=|| ()>
                {
                    let edit = edit.clone();
                    move || {
                        let edit = edit.clone();
                        Suspend::new(async move {
                            let initial = draft_for(draft.await, Some(edit.id)).unwrap_or(edit.form);
                            view! { <LeadFormView id=Some(edit.id) initial=initial current_region=Some(edit.region)/> }
                        })
                    }
                }
            </Suspense>
        }/>
    }
}

/// The form shared by create and edit, a plain form posting to `leads/save`: its field names
/// follow the server function's arguments (`form[company_name]`, `form[contacts][0][name]`). A
/// refused save comes back here with the error at each field and what was typed kept. The
/// company name and USCC are an island (`UsccField`); the rest needs no JavaScript.
#[component]
fn LeadFormView(id: Option<i64>, initial: LeadForm, current_region: Option<RegionView>) -> impl IntoView {
    let locale = use_locale();
    let action = ServerAction::<SaveLead>::new();
    let result = action.value();
    let errors = action_field_errors(action);
    let banner = move || {
        result.get().and_then(|r| r.err()).map(|e| match e {
            AppError::Invalid(_) => {
                view! { <div class="error-banner" role="alert" id="form-error">{t("err.invalid")}</div> }.into_any()
            }
            other => view! { <ErrorBanner error=other/> }.into_any(),
        })
    };
    let field_errors = errors.get_untracked();
    let said = |field: &str| field_errors.iter().find(|e| e.field == field);
    let uscc_errors = UsccErrors {
        company_name: said("company_name").map(|e| tr_args(locale, &e.key, &e.args)),
        uscc: said("uscc").map(|e| {
            // To the lead it duplicates, when the reader may open it (else a 404).
            let readable = e.args.iter().any(|(k, v)| k == "readable" && v == "yes");
            let link = (e.key == "err.uscc.duplicate" && readable)
                .then(|| e.args.iter().find(|(k, _)| k == "id").map(|(_, id)| format!("/leads/{id}")))
                .flatten();
            (tr_args(locale, &e.key, &e.args), link)
        }),
    };

    let init = initial.clone();
    let region_current = init.region_code.clone();
    let sector_current = init.sector.clone();
    let owner_current = init.owner_id.clone();
    let contacts_initial = init.contacts.clone();

    view! {
        <ActionForm action=action>
            {id.map(|id| view! { <input type="hidden" name="id" value=id/> })}
            <input type="hidden" name="form[version]" value=init.version.clone()/>
            {banner}
            <fieldset>
                <legend>{t("lead.form.company")}</legend>
                <UsccField company_name=init.company_name.clone() uscc=init.uscc.clone() lead_id=id
                    errors=uscc_errors labels=UsccLabels::new(locale)/>
                <label>
                    {t("lead.region.manual")}
                    <RegionSelect current=region_current.clone() current_view=current_region.clone()/>
                </label>
                <p class="hint">{t("lead.region.manual_hint")}</p>
                <FieldErrorText errors=errors field="region_code"/>
            </fieldset>

            <fieldset>
                <legend>{t("lead.form.industry")}</legend>
                <label>
                    {t("lead.industry")} <span class="req">"*"</span>
                    <select name="form[industry]" id="industry">
                        <option value="">{t("common.choose")}</option>
                        {industry_options(&init.industry)}
                    </select>
                </label>
                <FieldErrorText errors=errors field="industry"/>
                <label>
                    {t("lead.sector")}
                    <select name="form[sector]" id="sector">
                        <option value="">{t("common.none")}</option>
                        // Grouped by industry; a sector of another industry is refused at the field.
                        {Industry::ALL.iter().map(|i| {
                            let sectors = SECTORS.iter().filter(|s| s.industry == *i).map(|s| {
                                let key = s.label_key();
                                view! { <option value=s.code selected=sector_current == s.code>{t(&key).to_string()}</option> }
                            }).collect_view();
                            view! { <optgroup label=t(i.label_key()).to_string()>{sectors}</optgroup> }
                        }).collect_view()}
                    </select>
                </label>
                <FieldErrorText errors=errors field="sector"/>
                <label>
                    {t("lead.channel")} <span class="req">"*"</span>
                    <select name="form[channel]" id="channel">
                        <option value="">{t("common.choose")}</option>
                        {channel_options(&init.channel)}
                    </select>
                </label>
                <FieldErrorText errors=errors field="channel"/>
                {if id.is_none() {
                    view! {
                        <label>
                            {t("lead.stage")}
                            <select name="form[stage]" id="stage">{stage_options(&init.stage)}</select>
                        </label>
                    }.into_any()
                } else {
                    // After creation the stage moves on the lead page, where each move is recorded.
                    view! {
                        <input type="hidden" name="form[stage]" value=init.stage.clone()/>
                        <p class="hint">{t("lead.stage.moved_on_page")}</p>
                    }.into_any()
                }}
                <FieldErrorText errors=errors field="stage"/>
            </fieldset>

            <ScaleSection form=init.clone() errors=errors/>

            <InnovationSection form=init.clone() errors=errors/>

            <fieldset>
                <legend>{t("lead.contacts")}</legend>
                {(0..contacts_initial.len() + 1).map(|i| view! {
                    <ContactRow index=i contact=contacts_initial.get(i).cloned().unwrap_or_default() errors=errors/>
                }).collect_view()}
                // Two more rows, folded (blank rows are ignored by the save).
                <details class="more-contacts" id="add-contact">
                    <summary>{t("lead.contacts.add")}</summary>
                    {(contacts_initial.len() + 1..contacts_initial.len() + 3).map(|i| view! {
                        <ContactRow index=i contact=Default::default() errors=errors/>
                    }).collect_view()}
                </details>
            </fieldset>

            <WorkSection owner=owner_current.clone() notes=init.notes.clone() errors=errors/>

            <div class="actions">
                <button type="submit" class="primary" id="save-lead" >{t("common.save")}</button>
                <a href=id.map(|i| format!("/leads/{i}")).unwrap_or_else(|| "/leads".into()) class="button">{t("common.cancel")}</a>
            </div>
        </ActionForm>
    }
}
