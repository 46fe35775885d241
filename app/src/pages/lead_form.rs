use super::lead_detail::duplicate_list;
use super::lead_form_sections::{ContactRow, InnovationSection, ScaleSection, WorkSection};
use crate::api::leads::{lead_edit_form, region_of_uscc, similar_leads, SaveLead};
use crate::components::errors::{action_field_errors, ErrorBanner, FieldErrorText};
use crate::components::loaded::LoadedOne;
use crate::components::options::{channel_options, industry_options, stage_options};
use crate::components::region::{region_label, RegionSelect};
use crate::components::route_id::{id_param, read_by_id};
use crate::domain::catalog::{Industry, SECTORS};
use crate::domain::lead::{uscc_error, LeadForm};
use crate::domain::uscc::Uscc;
use crate::error::AppError;
use crate::i18n::{t, tr_args, use_locale};
use crate::wire::leads::RegionView;
use leptos::prelude::*;

/// `/leads/new`
#[component]
pub fn NewLeadPage() -> impl IntoView {
    view! {
        <h1>{t("lead.form.new_title")}</h1>
        <LeadFormView id=None initial=LeadForm { stage: "clue".into(), ..Default::default() } current_region=None/>
    }
}

/// `/leads/{id}/edit`
#[component]
pub fn EditLeadPage() -> impl IntoView {
    let id = id_param();
    let loaded = Resource::new(move || id.get(), |id| read_by_id(id, lead_edit_form));
    view! {
        <h1>{t("lead.form.edit_title")}</h1>
        <LoadedOne resource=loaded content=|edit| view! {
            <LeadFormView id=Some(edit.id) initial=edit.form current_region=Some(edit.region)/>
        }/>
    }
}

/// The form shared by create and edit. Field names follow the server function's arguments
/// (`form[company_name]`, `form[contacts][0][name]`), so it posts without JavaScript too.
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

    let uscc = RwSignal::new(initial.uscc.clone());
    let name = RwSignal::new(initial.company_name.clone());
    let industry = RwSignal::new(initial.industry.clone());
    let contact_rows = RwSignal::new(initial.contacts.len() + 1);

    // Checked in the browser as the user types (the same domain code the server runs).
    let uscc_check = Memo::new(move |_| {
        let raw = uscc.get();
        (!raw.trim().is_empty()).then(|| Uscc::parse(&raw))
    });
    let region = Resource::new(
        move || uscc_check.get().and_then(|r| r.ok()).map(|u| u.to_string()),
        |code| async move {
            match code {
                Some(code) => region_of_uscc(code).await.ok().flatten(),
                None => None,
            }
        },
    );
    let similar = Resource::new(
        move || (name.get(), uscc_check.get().and_then(|r| r.ok()).map(|u| u.to_string())),
        move |(name, uscc)| async move {
            if name.trim().is_empty() && uscc.is_none() {
                return Vec::new();
            }
            similar_leads(name, uscc.unwrap_or_default(), id).await.unwrap_or_default()
        },
    );

    let uscc_status = move || {
        match uscc_check.get() {
        None => view! { <p class="hint" id="uscc-status">{t("lead.uscc.hint")}</p> }.into_any(),
        Some(Err(e)) => {
            let fe = uscc_error("uscc", &e);
            view! { <p class="field-error" id="uscc-status" role="alert">{tr_args(locale, &fe.key, &fe.args)}</p> }.into_any()
        }
        Some(Ok(_)) => view! {
            <p class="ok" id="uscc-status">
                {t("lead.uscc.valid")}
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match region.await {
                            Some(r) => view! { " · " {t("lead.region.from_uscc")} " " <strong id="uscc-region">{region_label(&r)}</strong> }.into_any(),
                            None => view! { " · " {t("lead.region.unknown_division")} }.into_any(),
                        }
                    })}
                </Suspense>
            </p>
        }.into_any(),
    }
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
            <Transition fallback=|| ()>
                {move || Suspend::new(async move { duplicate_list(similar.await) })}
            </Transition>
            <fieldset>
                <legend>{t("lead.form.company")}</legend>
                <label>
                    {t("lead.company_name")} <span class="req">"*"</span>
                    <input name="form[company_name]" id="company_name" value=init.company_name.clone()
                        on:change=move |ev| name.set(event_target_value(&ev))/>
                </label>
                <FieldErrorText errors=errors field="company_name"/>
                <label>
                    {t("lead.uscc")}
                    <input name="form[uscc]" id="uscc" value=init.uscc.clone() maxlength="30" autocomplete="off"
                        on:input=move |ev| uscc.set(event_target_value(&ev))/>
                </label>
                {uscc_status}
                <FieldErrorText errors=errors field="uscc"/>
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
                    <select name="form[industry]" id="industry" on:change=move |ev| industry.set(event_target_value(&ev))>
                        <option value="">{t("common.choose")}</option>
                        {industry_options(&init.industry)}
                    </select>
                </label>
                <FieldErrorText errors=errors field="industry"/>
                <label>
                    {t("lead.sector")}
                    <select name="form[sector]" id="sector">
                        <option value="">{t("common.none")}</option>
                        {move || {
                            let chosen = Industry::parse(&industry.get());
                            SECTORS.iter().filter(|s| chosen.is_none_or(|i| s.industry == i)).map(|s| {
                                let key = s.label_key();
                                view! { <option value=s.code selected=sector_current == s.code>{t(&key).to_string()}</option> }
                            }).collect_view()
                        }}
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
                // Keyed, so adding a row keeps what was typed in the others.
                <For each=move || 0..contact_rows.get() key=|i| *i let:i>
                    <ContactRow index=i contact=contacts_initial.get(i).cloned().unwrap_or_default() errors=errors/>
                </For>
                <button type="button" id="add-contact" on:click=move |_| contact_rows.update(|n| *n += 1)>{t("lead.contacts.add")}</button>
            </fieldset>

            <WorkSection owner=owner_current.clone() notes=init.notes.clone() errors=errors/>

            <div class="actions">
                <button type="submit" class="primary" id="save-lead" disabled=move || action.pending().get()>{t("common.save")}</button>
                <a href=id.map(|i| format!("/leads/{i}")).unwrap_or_else(|| "/leads".into()) class="button">{t("common.cancel")}</a>
            </div>
        </ActionForm>
    }
}
