//! `/field/leads/new` — a company met on the road, in the few fields one types standing up; its
//! region defaults to the city of this week's trip. `/field/outbox` — what this phone has not
//! sent yet: the service worker answers it from the queue; this page is what a browser without
//! it sees.

use crate::api::field::{get_field_week, FieldNewLead};
use crate::components::errors::{action_field_errors, FieldErrorText};
use crate::components::loaded::LoadedOne;
use crate::components::options::label_of;
use crate::domain::catalog::Industry;
use crate::i18n::t;
use crate::pages::field::OutboxSlot;
use crate::wire::field::FieldWeek;
use leptos::prelude::*;

#[component]
pub fn FieldNewLeadPage() -> impl IntoView {
    let week = Resource::new(|| (), |_| get_field_week());
    let save = ServerAction::<FieldNewLead>::new();
    view! {
        <p><a href="/field">"← " {t("field.title")}</a></p>
        <h1>{t("field.new_lead")}</h1>
        <LoadedOne resource=week content=move |w| view! { <OutboxSlot user=w.user_id/> <QuickLead w=w save=save/> }/>
    }
}

#[component]
fn QuickLead(w: FieldWeek, save: ServerAction<FieldNewLead>) -> impl IntoView {
    let errors = action_field_errors(save);
    let mut places: Vec<(String, String)> = w
        .trips
        .iter()
        .filter(|t| !t.destination_code.is_empty())
        .map(|t| (t.destination_code.clone(), t.destination_name.clone()))
        .collect();
    places.dedup();
    view! {
        <section class="card">
            <ActionForm action=save>
                <label>{t("lead.company_name")}<input name="form[company_name]" id="quick-name" required/></label>
                <FieldErrorText errors=errors field="company_name"/>
                <label>{t("lead.uscc")} " " <span class="muted">{t("field.optional")}</span><input name="form[uscc]" id="quick-uscc"/></label>
                <FieldErrorText errors=errors field="uscc"/>
                <label>{t("field.region")}
                    <select name="form[region_code]" id="quick-region">
                        {places.iter().map(|(code, name)| view! { <option value=code.clone()>{name.clone()}</option> }).collect_view()}
                        <option value="">{t("field.region_from_uscc")}</option>
                    </select>
                </label>
                <FieldErrorText errors=errors field="region_code"/>
                <label>{t("lead.industry")}
                    <select name="form[industry]" id="quick-industry">
                        <option value="">{t("common.choose")}</option>
                        {Industry::ALL.iter().map(|i| view! { <option value=i.code()>{label_of("industry", i.code())}</option> }).collect_view()}
                    </select>
                </label>
                <FieldErrorText errors=errors field="industry"/>
                <label>{t("field.contact_name")}<input name="form[contact_name]" id="quick-contact"/></label>
                <FieldErrorText errors=errors field="contact_name"/>
                <label>{t("field.contact_phone")}<input type="tel" name="form[contact_phone]" id="quick-phone"/></label>
                <FieldErrorText errors=errors field="contact_phone"/>
                <label>{t("lead.notes")}<textarea name="form[notes]" rows="3" id="quick-notes"></textarea></label>
                <FieldErrorText errors=errors field="notes"/>
                <button type="submit" class="primary" id="quick-save">{t("field.save_lead")}</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn FieldOutboxPage() -> impl IntoView {
    view! {
        <p><a href="/field">"← " {t("field.title")}</a></p>
        <h1>{t("field.outbox")}</h1>
        <p class="muted" id="outbox-no-worker">{t("field.outbox_no_worker")}</p>
    }
}
