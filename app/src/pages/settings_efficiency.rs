//! `/settings/efficiency` — the office's 亩均效益评价 rules: each indicator's weight (points; the
//! weights add up to 100, 0 leaves one out) and benchmark (empty: the year's average), the cap,
//! the least land rated and the cut-offs (by score, or by share of the rated); every saved
//! version below. Saving regrades every year. Managers and admins edit; everyone else reads.

use crate::api::efficiency::{get_efficiency_rules, SaveEfficiencyRules};
use crate::components::errors::{action_field_errors, FieldErrorText};
use crate::components::loaded::LoadedOne;
use crate::domain::efficiency::{Cutoffs, EfficiencyConfig, Indicator};
use crate::i18n::t;
use leptos::prelude::*;

/// One version in a sentence: the weights and the cut-offs.
fn describe(c: &EfficiencyConfig) -> String {
    let weights: Vec<String> =
        c.indicators.iter().map(|r| format!("{} {}", t(&r.indicator.label_key()), r.weight)).collect();
    let cut = match c.cutoffs {
        Cutoffs::Score { a, b, c } => format!("{} A≥{a} B≥{b} C≥{c}", t("efficiency.mode.score")),
        Cutoffs::Share { a, b, c } => format!("{} A {a}% B {b}% C {c}%", t("efficiency.mode.share")),
    };
    format!(
        "{} · {cut} · {} {}×",
        crate::i18n::enumerate(crate::i18n::use_locale(), &weights),
        t("efficiency.cap"),
        c.cap
    )
}

#[component]
pub fn EfficiencySettingsPage() -> impl IntoView {
    let save = ServerAction::<SaveEfficiencyRules>::new();
    let page = Resource::new(move || save.version().get(), |_| get_efficiency_rules());
    let errors = action_field_errors(save);
    view! {
        <h1>{t("settings.efficiency.title")}</h1>
        <p class="hint">{t("settings.efficiency.help")}</p>
        <LoadedOne resource=page content=move |p| {
            let current = p.config.clone();
            let score_mode = matches!(current.cutoffs, Cutoffs::Score { .. });
            let (a, b, c) = match current.cutoffs {
                Cutoffs::Score { a, b, c } | Cutoffs::Share { a, b, c } => (a, b, c),
            };
            let rule = |i: Indicator| current.indicators.iter().find(|r| r.indicator == i).cloned();
            let rows = Indicator::ALL.into_iter().enumerate().map(|(n, i)| {
                let r = rule(i);
                let weight = r.as_ref().map(|r| r.weight.to_string()).unwrap_or_default();
                let bench = r.and_then(|r| r.benchmark).map(|b| b.to_string()).unwrap_or_default();
                let (wf, bf) = (format!("weight.{n}"), format!("benchmark.{n}"));
                view! {
                    <tr id=format!("rule-{}", i.code())>
                        <td>{t(&i.label_key()).to_string()}</td>
                        <td>{t(&i.unit_key()).to_string()}</td>
                        <td><input name=format!("form[weights][{n}]") value=weight inputmode="decimal" size="6" aria-label=t("efficiency.weight") disabled=!p.can_edit/>
                            <FieldErrorText errors=errors field=wf/></td>
                        <td><input name=format!("form[benchmarks][{n}]") value=bench inputmode="decimal" size="8" placeholder=t("efficiency.average") aria-label=t("efficiency.benchmark") disabled=!p.can_edit/>
                            <FieldErrorText errors=errors field=bf/></td>
                    </tr>
                }
            }).collect_view();
            let save_button = if p.can_edit {
                Some(view! {
                    <label for="rules-note">{t("settings.efficiency.note")}</label>
                    <input id="rules-note" name="form[note]" maxlength="200"/>
                    <button type="submit" id="efficiency-rules-save">{t("common.save")}</button>
                })
            } else {
                None
            };
            view! {
                <p id="efficiency-version" data-version=p.id>{t("efficiency.version")} " " {p.id}</p>
                {crate::components::read_only::read_only_note(p.can_edit, crate::components::read_only::ChangedBy::Managers)}
                <ActionForm action=save>
                    <table class="grid settings" id="efficiency-rules">
                        <thead><tr>
                            <th>{t("efficiency.indicator")}</th><th>{t("efficiency.unit")}</th>
                            <th>{t("efficiency.weight")}</th><th>{t("efficiency.benchmark")}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                    <FieldErrorText errors=errors field="weights"/>
                    <FieldErrorText errors=errors field="indicators"/>
                    <div class="filters">
                        <label for="rules-cap">{t("efficiency.cap")}</label>
                        <input id="rules-cap" name="form[cap]" value=current.cap.to_string() inputmode="decimal" size="5" disabled=!p.can_edit/>
                        <FieldErrorText errors=errors field="cap"/>
                        <label for="rules-min-land">{t("efficiency.min_land")}</label>
                        <input id="rules-min-land" name="form[min_land_mu]" value=current.min_land_mu.to_string() inputmode="decimal" size="5" disabled=!p.can_edit/>
                        <FieldErrorText errors=errors field="min_land_mu"/>
                    </div>
                    <fieldset>
                        <legend>{t("efficiency.cutoffs")}</legend>
                        <label class="inline-check"><input type="radio" name="form[mode]" value="share" checked=!score_mode disabled=!p.can_edit/> {t("efficiency.mode.share")}</label>
                        <label class="inline-check"><input type="radio" name="form[mode]" value="score" checked=score_mode disabled=!p.can_edit/> {t("efficiency.mode.score")}</label>
                        <div class="filters">
                            <label for="rules-a">"A"</label><input id="rules-a" name="form[a]" value=a.to_string() size="5" disabled=!p.can_edit/>
                            <label for="rules-b">"B"</label><input id="rules-b" name="form[b]" value=b.to_string() size="5" disabled=!p.can_edit/>
                            <label for="rules-c">"C"</label><input id="rules-c" name="form[c]" value=c.to_string() size="5" disabled=!p.can_edit/>
                        </div>
                        <p class="hint">{t("efficiency.cutoffs_hint")}</p>
                        <FieldErrorText errors=errors field="cutoffs"/>
                    </fieldset>
                    {save_button}
                </ActionForm>
                <h2>{t("settings.efficiency.versions")}</h2>
                <table class="grid" id="efficiency-versions">
                    <tbody>{p.versions.into_iter().map(|v| view! {
                        <tr>
                            <td>{v.id}</td><td>{v.at}</td><td>{v.by.unwrap_or_default()}</td>
                            <td>{v.note}</td><td>{describe(&v.config)}</td>
                        </tr>
                    }).collect_view()}</tbody>
                </table>
            }
        }/>
    }
}
