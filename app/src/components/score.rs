//! The fit score as the office reads it: grade badge, total, and the breakdown table.

use crate::i18n::{t, tr_args, use_locale};
use crate::wire::scoring::ScoreView;
use leptos::prelude::*;

/// A grade letter as a coloured badge (or a dash when not yet scored).
pub fn grade_badge(grade: Option<String>) -> impl IntoView {
    match grade {
        Some(g) => {
            let class = format!("grade grade-{}", g.to_lowercase());
            let text = g.clone();
            view! { <span class=class data-grade=g>{text}</span> }.into_any()
        }
        None => view! { <span class="grade">"—"</span> }.into_any(),
    }
}

#[component]
pub fn ScoreBreakdown(view: ScoreView) -> impl IntoView {
    let locale = use_locale();
    let fit = view.fit;
    let completeness = format!("{:.0}%", fit.completeness * 100.0);
    let summary = tr_args(
        locale,
        "score.summary",
        &[("version".into(), view.version.to_string()), ("completeness".into(), completeness)],
    );
    view! {
        <section class="card score" id="score-panel">
            <h2>
                {t("score.title")} " "
                <span class="score-total" id="score-total">{format!("{:.1}", fit.score)}</span> " "
                {grade_badge(Some(fit.grade.code().to_string()))}
            </h2>
            <p class="muted">{summary}</p>
            <table class="grid" id="score-breakdown">
                <thead><tr>
                    <th>{t("score.factor")}</th><th>{t("score.raw")}</th>
                    <th class="num">{t("score.points")}</th><th>{t("score.why")}</th>
                </tr></thead>
                <tbody>
                    {fit.factors.into_iter().map(|f| {
                        let name = t(&format!("score.factor.{}", f.key)).to_string();
                        // The value read: a vocabulary label or a template (`Factor::raw`).
                        let raw = match (f.unknown, f.raw.is_empty()) {
                            (true, _) => t("score.unknown").to_string(),
                            (false, true) => String::new(),
                            (false, false) => tr_args(locale, &f.raw, &f.raw_args),
                        };
                        let points = if f.key == "energy" {
                            // `+ 0.0`: a breakdown stored before 2026-12-06 may hold −0.0.
                            format!("{:.1}", f.points + 0.0)
                        } else {
                            format!("{:.1} / {:.1}", f.points, f.max)
                        };
                        let why = tr_args(locale, &f.why, &f.why_args);
                        view! {
                            <tr class:unknown=f.unknown data-factor=f.key.clone()>
                                <td>{name}</td><td>{raw}</td><td class="num">{points}</td><td>{why}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <p class="hint">{t("score.office_note")} " " <a href="/settings/scoring">{t("score.settings_link")}</a></p>
        </section>
    }
}
