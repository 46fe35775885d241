use crate::api::chains::{list_chains, CreateChain};
use crate::components::errors::{action_field_errors, FieldErrorText};
use crate::components::loaded::LoadedOne;
use crate::components::options::{industry_options, label_of};
use crate::components::user::use_user;
use crate::domain::lead::FieldError;
use crate::i18n::{t, use_locale};
use leptos::prelude::*;

/// `/chains` — every chain with its size, gaps and open leads; managers add chains.
#[component]
pub fn ChainsPage() -> impl IntoView {
    let locale = use_locale();
    let chains = Resource::new(|| (), |_| list_chains());
    let user = use_user().0;
    view! {
        <div class="page-head">
            <h1>{t("chains.title")}</h1>
            <a class="button" href="/gaps">{t("nav.gaps")}</a>
        </div>
        <p class="muted">{t("chains.intro")}</p>
        <LoadedOne resource=chains content=move |list| view! {
            <table class="grid" id="chain-table">
                <thead><tr>
                    <th>{t("chains.name")}</th><th>{t("lead.industry")}</th>
                    <th class="num">{t("chains.nodes")}</th><th class="num">{t("chains.gaps")}</th>
                    <th class="num">{t("chains.open_leads")}</th>
                </tr></thead>
                <tbody>
                    {list.into_iter().map(|c| view! {
                        <tr class="chain-row">
                            <td><a href=format!("/chains/{}", c.id)>{c.name.pick(locale).to_string()}</a></td>
                            <td>{label_of("industry", &c.industry)}</td>
                            <td class="num">{c.nodes}</td>
                            <td class="num">{(c.gaps > 0).then(|| view! { <span class="gap-tag">{c.gaps}</span> })}</td>
                            <td class="num">{c.open_leads}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        }/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let can_edit = user.await.ok().flatten().is_some_and(|u| u.role.assigns_leads());
                can_edit.then(|| view! { <NewChainForm/> })
            })}
        </Suspense>
    }
}

#[component]
fn NewChainForm() -> impl IntoView {
    let action = ServerAction::<CreateChain>::new();
    let errors: Signal<Vec<FieldError>> = action_field_errors(action);
    view! {
        <section class="card">
            <h2>{t("chains.new")}</h2>
            <ActionForm action=action>
                <label>{t("chains.name_zh")}<input name="form[name_zh]" id="chain-name-zh"/></label>
                <FieldErrorText errors=errors field="name_zh"/>
                <label>{t("chains.name_en")}<input name="form[name_en]"/></label>
                <label>
                    {t("lead.industry")}
                    <select name="form[industry]" id="chain-industry">
                        <option value="">{t("common.choose")}</option>
                        {industry_options("")}
                    </select>
                </label>
                <FieldErrorText errors=errors field="industry"/>
                <label>{t("chains.description")}<textarea name="form[description]" rows="2"></textarea></label>
                <button type="submit" class="primary">{t("chains.create")}</button>
            </ActionForm>
        </section>
    }
}
