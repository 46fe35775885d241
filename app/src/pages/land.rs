//! 标准地 承诺履约复核 on a signed project's page (the contract's committed indicators against the
//! actual figures, breaches after the review date, the straight-line early warning before it, and
//! the form to record the contract), and the review table on `/projects`.

use crate::api::land::{get_land, SaveLand};
use crate::components::errors::{action_field_errors, was_refused, FieldErrorText};
use crate::components::loaded::LoadedOne;
use crate::components::options::label_of;
use crate::domain::land_review::Check;
use crate::i18n::t;
use crate::wire::land::{LandForm, LandPanel, LandReview};
use leptos::prelude::*;

fn per_mu(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.1}")).unwrap_or_else(|| "—".into())
}

fn state(c: &Check) -> String {
    if c.breach {
        t("land.breach").to_string()
    } else if c.warning {
        t("land.warning").to_string()
    } else {
        t("land.on_track").to_string()
    }
}

/// The checks as a table: indicator, committed, actual, forecast on the review date, state.
fn checks_table(r: &LandReview) -> impl IntoView {
    view! {
        <table class="grid land-checks">
            <thead><tr>
                <th>{t("land.indicator")}</th><th class="num">{t("land.committed")}</th><th class="num">{t("land.actual")}</th>
                <th class="num">{t("land.forecast")}</th><th>{t("problems.status")}</th>
            </tr></thead>
            <tbody>{r.checks.iter().map(|c| view! {
                <tr class:behind=c.breach || c.warning id=format!("land-{}", c.indicator.code())>
                    <td>{label_of("land.indicator", c.indicator.code())}</td>
                    <td class="num">{per_mu(Some(c.committed))}</td>
                    <td class="num">{per_mu(c.actual)}</td>
                    <td class="num">{per_mu(c.forecast)}</td>
                    <td>{state(c)}</td>
                </tr>
            }).collect_view()}</tbody>
        </table>
    }
}

/// The sentence above the table: a breach, or how many months ahead the warning comes.
fn summary(r: &LandReview) -> Option<String> {
    if r.breach {
        Some(t("land.breach_summary").replace("{date}", &r.review_on))
    } else if r.warning {
        Some(
            t("land.warning_summary")
                .replace("{date}", &r.review_on)
                .replace("{months}", &r.months_to_review.to_string()),
        )
    } else {
        None
    }
}

fn land_form(lead_id: i64, f: LandForm, save: ServerAction<SaveLand>) -> impl IntoView {
    let errors = action_field_errors(save);
    let fields: [(&str, &str, String, &str); 8] = [
        ("contract_no", "land.contract_no", f.contract_no, "text"),
        ("land_mu", "land.land_mu", f.land_mu, "text"),
        ("intensity", "land.indicator.intensity", f.intensity, "text"),
        ("tax_per_mu", "land.indicator.tax_per_mu", f.tax_per_mu, "text"),
        ("output_per_mu", "land.indicator.output_per_mu", f.output_per_mu, "text"),
        ("signed_on", "land.signed_on", f.signed_on, "date"),
        ("full_output_on", "land.full_output_on", f.full_output_on, "date"),
        ("review_on", "land.review_on", f.review_on, "date"),
    ];
    view! {
        <details open=was_refused(save)>
            <summary id="land-open">{t("land.record")}</summary>
            <ActionForm action=save>
                <input type="hidden" name="lead_id" value=lead_id/>
                <div class="filters">
                    {fields.into_iter().map(|(name, label, value, kind)| view! {
                        <label>{t(label)}
                            <input type=kind name=format!("form[{name}]") id=format!("land-{name}-input") value=value
                                inputmode=if kind == "text" && name != "contract_no" { "decimal" } else { "text" }/>
                        </label>
                    }).collect_view()}
                </div>
                {["contract_no", "land_mu", "intensity", "tax_per_mu", "output_per_mu", "signed_on", "full_output_on", "review_on"]
                    .into_iter().map(|k| view! { <FieldErrorText errors=errors field=k/> }).collect_view()}
                <button type="submit" id="land-submit">{t("common.save")}</button>
            </ActionForm>
        </details>
    }
}

/// The 标准地 panel on a signed project's page; nothing before 签约.
#[component]
pub fn LandReviewPanel(lead_id: i64) -> impl IntoView {
    let save = ServerAction::<SaveLand>::new();
    let data = Resource::new(move || save.version().get(), move |_| get_land(lead_id));
    view! {
        <LoadedOne resource=data quiet=true content=move |p| {
            p.map(|p: LandPanel| {
                let review = p.review.map(|r| {
                    let note = summary(&r);
                    let (breach, table) = (r.breach, checks_table(&r));
                    view! {
                        <p class="muted">
                            {t("land.land_mu")} " " {format!("{}", r.land_mu)} " · " {t("land.review_on")} " " {r.review_on.clone()}
                            {(!r.contract_no.is_empty()).then(|| view! { " · " {r.contract_no.clone()} })}
                        </p>
                        {note.map(|n| view! { <p class="warning" class:breach=breach id="land-summary">{n}</p> })}
                        {table}
                    }
                });
                let form = p.can_edit.then(|| land_form(lead_id, p.form, save));
                view! {
                    <section class="card" id="land">
                        <h2>{t("land.title")}</h2>
                        {review}
                        {form}
                    </section>
                }
            })
        }/>
    }
}

/// `/projects`: every contract with a breach or a warning, then the rest.
#[component]
pub fn LandReviewTable(items: Vec<LandReview>) -> impl IntoView {
    view! {
        <table class="grid" id="land-table">
            <thead><tr>
                <th>{t("lead.company_name")}</th><th>{t("land.review_on")}</th><th>{t("problems.status")}</th><th>{t("land.indicator")}</th>
            </tr></thead>
            <tbody>{items.into_iter().map(|r| {
                let flagged: Vec<String> = r.checks.iter().filter(|c| c.breach || c.warning).map(|c| format!(
                    "{} {} / {}", label_of("land.indicator", c.indicator.code()),
                    per_mu(if c.breach { c.actual } else { c.forecast }), per_mu(Some(c.committed)))).collect();
                view! {
                    <tr class:behind=r.breach || r.warning data-lead=r.lead_id>
                        <td><a href=format!("/leads/{}#land", r.lead_id)>{r.company_name.clone()}</a></td>
                        <td class="date">{r.review_on.clone()}</td>
                        <td>{summary(&r).unwrap_or_else(|| t("land.on_track").to_string())}</td>
                        <td>{flagged.join("；")}</td>
                    </tr>
                }
            }).collect_view()}</tbody>
        </table>
    }
}
