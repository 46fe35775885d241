//! `/admin/denials` — 越权记录: recent refused accesses (who, when, which route and record),
//! newest first; the full record is the server log (`lianzhao::denied`).

use crate::api::users::recent_denials;
use crate::components::loaded::LoadedOne;
use crate::i18n::t;
use leptos::prelude::*;

#[component]
pub fn AdminDenialsPage() -> impl IntoView {
    let denials = Resource::new(|| (), |_| recent_denials());
    view! {
        <h1>{t("denials.title")}</h1>
        <p class="muted">{t("denials.intro")}</p>
        <LoadedOne resource=denials content=|(rows, held_back)| {
            if rows.is_empty() {
                view! {
                    <p id="denials-none">{t("denials.none")}</p>
                    {(held_back > 0).then(|| view! { <p class="muted">{t("denials.held_back")} " " {held_back}</p> })}
                }.into_any()
            } else {
                view! {
                    <table class="grid" id="denials">
                        <thead><tr>
                            <th>{t("denials.at")}</th><th>{t("denials.user")}</th>
                            <th>{t("denials.route")}</th><th>{t("denials.record")}</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|d| view! {
                                <tr>
                                    <td>{d.at}</td>
                                    <td>{if d.user.is_empty() { "—".to_string() } else { d.user }}</td>
                                    <td><code>{d.route}</code></td>
                                    <td>{d.record} {(d.held_back > 0).then(|| format!("(+{})", d.held_back))}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    {(held_back > 0).then(|| view! { <p class="muted">{t("denials.held_back")} " " {held_back}</p> })}
                }.into_any()
            }
        }/>
    }
}
