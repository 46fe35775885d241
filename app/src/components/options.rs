//! `<option>` lists for the fixed vocabularies, translated, with the current value selected.

use crate::domain::catalog::{Channel, Industry, Stage, SECTORS};
use crate::domain::region::RegionGroup;
use crate::i18n::t;
use crate::wire::pipeline::MoveForm;
use leptos::prelude::*;

fn option(value: &'static str, label: &'static str, current: &str) -> impl IntoView {
    view! { <option value=value selected=current == value>{label}</option> }
}

pub fn stage_options(current: &str) -> impl IntoView {
    Stage::ALL.iter().map(|s| option(s.code(), t(s.label_key()), current)).collect_view()
}

/// The stage form's choices, `next` (the next stage on the main line) preselected; a lead with
/// none (at the last stage, 搁置 or 终止) gets an empty first choice to pick from, not 线索 by
/// default (the select is `required`).
pub fn move_stage_options(next: &str) -> impl IntoView {
    view! {
        {next.is_empty().then(|| view! { <option value="" disabled selected>{t("pipeline.choose_stage")}</option> })}
        {stage_options(next)}
    }
}

/// The stage form's choice for a lead at `stage`: what a refused move chose (`typed`), else the
/// next stage on the main line ("" when there is none: [`move_stage_options`] asks for one).
/// Returns the choice and whether it comes back from a refusal (the form then opens with it
/// focused).
pub fn move_choice(stage: &str, typed: Option<&MoveForm>) -> (String, bool) {
    match typed {
        Some(t) if !t.to.is_empty() => (t.to.clone(), true),
        _ => (
            Stage::parse(stage).and_then(crate::domain::stage::next).map_or("", |s| s.code()).to_string(),
            typed.is_some(),
        ),
    }
}

pub fn channel_options(current: &str) -> impl IntoView {
    Channel::ALL.iter().map(|c| option(c.code(), t(c.label_key()), current)).collect_view()
}

pub fn industry_options(current: &str) -> impl IntoView {
    Industry::ALL.iter().map(|i| option(i.code(), t(i.label_key()), current)).collect_view()
}

pub fn group_options(current: &str) -> impl IntoView {
    RegionGroup::ALL.iter().map(|g| option(g.as_str(), t(g.label_key()), current)).collect_view()
}

/// Sub-sectors grouped under their industry.
pub fn sector_options(current: &str) -> impl IntoView {
    Industry::ALL
        .iter()
        .map(|i| {
            let sectors = SECTORS.iter().filter(|s| s.industry == *i);
            view! {
                <optgroup label=t(i.label_key())>
                    {sectors
                        .map(|s| {
                            let key = s.label_key();
                            view! { <option value=s.code selected=current == s.code>{t(&key).to_string()}</option> }
                        })
                        .collect_view()}
                </optgroup>
            }
        })
        .collect_view()
}

/// Translate a stored code via its vocabulary (unknown codes show as they are).
pub fn label_of(prefix: &str, code: &str) -> String {
    t(&format!("{prefix}.{code}")).to_string()
}
