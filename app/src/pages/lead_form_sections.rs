//! The lead form's sections that stand alone (scale, innovation and energy, who works it) and
//! its field widgets. The form itself, with the company, USCC, region and industry that react
//! to each other, is `lead_form.rs`.

use crate::api::users::owner_choices;
use crate::components::errors::FieldErrorText;
use crate::components::user::use_user;
use crate::domain::lead::{ContactForm, FieldError, LeadForm};
use crate::domain::score::EnergyUse;
use crate::i18n::t;
use leptos::prelude::*;

/// 规模: the amounts and jobs, typed as people write them ("1.5亿", "3000万").
#[component]
pub fn ScaleSection(form: LeadForm, errors: Signal<Vec<FieldError>>) -> impl IntoView {
    view! {
    <fieldset>
        <legend>{t("lead.form.scale")}</legend>
        <NumberField name="planned_investment" label=t("lead.planned_investment_wan") value=form.planned_investment.clone() errors=errors/>
        <NumberField name="land_mu" label=t("lead.land_mu_unit") value=form.land_mu.clone() errors=errors/>
        <NumberField name="annual_output" label=t("lead.annual_output_wan") value=form.annual_output.clone() errors=errors/>
        <NumberField name="annual_tax" label=t("lead.annual_tax_wan") value=form.annual_tax.clone() errors=errors/>
        <NumberField name="jobs" label=t("lead.jobs") value=form.jobs.clone() errors=errors/>
        <p class="hint">{t("lead.amount_hint")}</p>
    </fieldset>
    }
}

/// 高新技术企业, 专精特新, 上市 and energy use: unknown unless said.
#[component]
pub fn InnovationSection(form: LeadForm, errors: Signal<Vec<FieldError>>) -> impl IntoView {
    view! {
    <fieldset>
        <legend>{t("lead.form.innovation")}</legend>
        <TriState name="high_tech" label=t("lead.high_tech") value=form.high_tech.clone()/>
        <TriState name="specialised" label=t("lead.specialised") value=form.specialised.clone()/>
        <TriState name="listed" label=t("lead.listed") value=form.listed.clone()/>
        <label>
            {t("lead.energy_use")}
            <select name="form[energy_use]" id="energy_use">
                <option value="">{t("common.unknown")}</option>
                {EnergyUse::ALL.iter().map(|e| view! {
                    <option value=e.code() selected=form.energy_use == e.code()>{t(e.label_key())}</option>
                }).collect_view()}
            </select>
        </label>
        <FieldErrorText errors=errors field="energy_use"/>
        <p class="hint">{t("lead.innovation_hint")}</p>
    </fieldset>
    }
}

/// Who works the lead (for those who assign leads) and the notes.
#[component]
pub fn WorkSection(owner: String, notes: String, errors: Signal<Vec<FieldError>>) -> impl IntoView {
    let owners = Resource::new(|| (), |_| owner_choices());
    let user = use_user().0;
    view! {
    <fieldset>
        <legend>{t("lead.form.work")}</legend>
        <Suspense fallback=|| ()>
            {
                let owner_current = owner;
                move || {
                    let owner_current = owner_current.clone();
                    Suspend::new(async move {
                        let assigns = user.await.ok().flatten().is_some_and(|u| u.role.assigns_leads());
                        let list = if assigns { owners.await.unwrap_or_default() } else { Vec::new() };
                        assigns.then(|| view! {
                            <label>
                                {t("lead.owner")}
                                <select name="form[owner_id]" id="owner_id">
                                    <option value="">{t("lead.unassigned")}</option>
                                    {list.into_iter().map(|o| {
                                        let v = o.id.to_string();
                                        let selected = v == owner_current;
                                        view! { <option value=v selected=selected>{o.display_name}</option> }
                                    }).collect_view()}
                                </select>
                            </label>
                        })
                    })
                }
            }
        </Suspense>
        <FieldErrorText errors=errors field="owner_id"/>
        <label>
            {t("lead.notes")}
            <textarea name="form[notes]" id="notes" rows="4">{notes}</textarea>
        </label>
        <FieldErrorText errors=errors field="notes"/>
    </fieldset>
    }
}

/// Unknown / yes / no.
#[component]
pub fn TriState(name: &'static str, label: &'static str, value: String) -> impl IntoView {
    view! {
        <label>
            {label}
            <select name=format!("form[{name}]") id=name>
                <option value="" selected=value.is_empty()>{t("common.unknown")}</option>
                <option value="yes" selected=value == "yes">{t("common.yes")}</option>
                <option value="no" selected=value == "no">{t("common.no")}</option>
            </select>
        </label>
    }
}

#[component]
pub fn NumberField(
    name: &'static str,
    label: &'static str,
    value: String,
    errors: Signal<Vec<FieldError>>,
) -> impl IntoView {
    view! {
        <label>
            {label}
            <input name=format!("form[{name}]") id=name value=value inputmode="decimal"/>
        </label>
        <FieldErrorText errors=errors field=name/>
    }
}

#[component]
pub fn ContactRow(index: usize, contact: ContactForm, errors: Signal<Vec<FieldError>>) -> impl IntoView {
    let field = move |f: &str| format!("form[contacts][{index}][{f}]");
    view! {
        <div class="contact-row">
            <input name=field("name") placeholder=t("contact.name") value=contact.name id=format!("contact-{index}-name")/>
            <input name=field("title") placeholder=t("contact.title") value=contact.title/>
            <input type="tel" name=field("phone") placeholder=t("contact.phone") value=contact.phone/>
            <input name=field("email") placeholder=t("contact.email") value=contact.email inputmode="email"/>
        </div>
        <FieldErrorText errors=errors field=format!("contacts.{index}.name")/>
        <FieldErrorText errors=errors field=format!("contacts.{index}.phone")/>
        <FieldErrorText errors=errors field=format!("contacts.{index}.email")/>
    }
}
