//! 承诺履约: the panel on a signed lead's page, and `/reports/fulfilment`, every signed project
//! with what it delivered against its commitments (those behind first).

use crate::api::fulfilment::{get_fulfilment, list_fulfilment, SaveActual};
use crate::components::errors::{action_field_errors, was_refused, FieldErrorText};
use crate::components::loaded::{Loaded, LoadedOne};
use crate::domain::money::format_wan;
use crate::i18n::t;
use crate::wire::fulfilment::Fulfilment;
use leptos::prelude::*;

fn wan(v: Option<f64>) -> String {
    v.map(format_wan).unwrap_or_else(|| "—".into())
}

fn pct(v: Option<f64>) -> String {
    v.map(|p| format!("{p:.0}%")).unwrap_or_else(|| "—".into())
}

fn figures(f: &Fulfilment) -> impl IntoView {
    let names = ["fulfilment.investment", "fulfilment.output", "fulfilment.tax"];
    view! {
        <table class="grid fulfilment">
            <thead><tr><th></th><th class="num">{t("fulfilment.committed")}</th><th class="num">{t("fulfilment.actual")}</th><th class="num">{t("fulfilment.percent")}</th></tr></thead>
            <tbody>
                {(0..3).map(|i| view! {
                    <tr class:behind=f.percent[i].is_some_and(|p| p < f.threshold)>
                        <td>{t(names[i])}</td>
                        <td class="num">{wan(f.committed[i])}</td>
                        <td class="num">{wan(f.actual[i])}</td>
                        <td class="num">{pct(f.percent[i])}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
pub fn FulfilmentPanel(lead_id: i64) -> impl IntoView {
    let save = ServerAction::<SaveActual>::new();
    let data = Resource::new(move || save.version().get(), move |_| get_fulfilment(lead_id));
    let errors = action_field_errors(save);
    let year = (chrono::Utc::now() - chrono::Duration::days(365)).format("%Y").to_string();
    view! {
        <LoadedOne resource=data quiet=true content=move |f| {
            let year = year.clone();
            f.map(|f| view! {
                <section class="card" id="fulfilment">
                    <h2>{t("fulfilment.title")}</h2>
                    {f.warn.then(|| view! { <p class="warning" id="fulfilment-warning">{t("fulfilment.warning").replace("{pct}", &format!("{:.0}", f.threshold))}</p> })}
                    {figures(&f)}
                    {(!f.years.is_empty()).then(|| view! {
                        <table class="grid">
                            <thead><tr><th>{t("teams.year")}</th><th class="num">{t("fulfilment.investment")}</th><th class="num">{t("fulfilment.output")}</th><th class="num">{t("fulfilment.tax")}</th></tr></thead>
                            <tbody>{f.years.iter().map(|y| view! {
                                <tr><td>{y.year}</td><td class="num">{wan(y.investment_wan)}</td><td class="num">{wan(y.output_wan)}</td><td class="num">{wan(y.tax_wan)}</td></tr>
                            }).collect_view()}</tbody>
                        </table>
                    })}
                    {f.can_edit.then(|| view! {
                        <details open=was_refused(save)>
                            <summary>{t("fulfilment.record")}</summary>
                            <ActionForm action=save>
                                <input type="hidden" name="lead_id" value=lead_id/>
                                <div class="filters">
                                    <label>{t("teams.year")}<input name="form[year]" value=year.clone() size="5" id="actual-year"/></label>
                                    <label>{t("fulfilment.investment")}<input name="form[investment]" id="actual-investment"/></label>
                                    <label>{t("fulfilment.output")}<input name="form[output]"/></label>
                                    <label>{t("fulfilment.tax")}<input name="form[tax]"/></label>
                                </div>
                                {["year", "investment", "output", "tax"].into_iter().map(|k| view! { <FieldErrorText errors=errors field=k/> }).collect_view()}
                                <button type="submit">{t("common.save")}</button>
                            </ActionForm>
                        </details>
                    })}
                </section>
            })
        }/>
    }
}

#[component]
pub fn FulfilmentPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| list_fulfilment());
    view! {
        <h1>{t("fulfilment.title")}</h1>
        <Loaded resource=list empty="fulfilment.none" content={move |items| view! {
                        <table class="grid" id="fulfilment-table">
                            <thead><tr>
                                <th>{t("lead.company_name")}</th>
                                <th class="num">{t("fulfilment.investment")}</th><th class="num">{t("fulfilment.output")}</th><th class="num">{t("fulfilment.tax")}</th>
                            </tr></thead>
                            <tbody>
                                {items.into_iter().map(|f| view! {
                                    <tr class:behind=f.warn>
                                        <td><a href=format!("/leads/{}", f.lead_id)>{f.company_name.clone()}</a>
                                            {f.warn.then(|| view! { " " <span class="gap-tag">{t("fulfilment.behind")}</span> })}
                                            {f.years.is_empty().then(|| view! { " " <span class="muted">{t("fulfilment.no_actuals")}</span> })}
                                        </td>
                                        {(0..3).map(|i| view! {
                                            <td class="num">{wan(f.actual[i])} " / " {wan(f.committed[i])} <br/><small>{pct(f.percent[i])}</small></td>
                                        }).collect_view()}
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }}/>
    }
}
