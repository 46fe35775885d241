use crate::api::chains::gap_list;
use crate::components::loaded::LoadedOne;
use crate::components::options::label_of;
use crate::components::score::grade_badge;
use crate::i18n::{t, use_locale};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `/gaps` — every 缺链 across the chains with the leads that could fill it, best first.
#[component]
pub fn GapsPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let region = Memo::new(move |_| {
        query.with(|q| q.get("region").filter(|r| crate::domain::lead_filter::is_division_prefix(r)))
    });
    let gaps = Resource::new(move || region.get(), gap_list);
    view! {
        <h1>{t("gaps.title")}</h1>
        <p class="muted">{t("gaps.intro")}</p>
        {move || region.get().map(|r| {
            let name = Resource::new(move || r.clone(), crate::api::leads::region_name);
            view! {
                <p class="tag" id="gaps-region">
                    {t("gaps.region")} " "
                    <Suspense fallback=|| ()>{move || Suspend::new(async move { name.await.unwrap_or_default() })}</Suspense>
                    " " <a href="/gaps">"×"</a>
                </p>
            }
        })}
        <LoadedOne resource=gaps content=move |list| view! {
            <table class="grid" id="gap-table">
                <thead><tr>
                    <th>{t("gaps.chain")}</th><th>{t("gaps.node")}</th><th>{t("gaps.candidates")}</th>
                </tr></thead>
                <tbody>
                    {list.into_iter().map(|g| view! {
                        <tr class="gap-row" data-node=g.node_id>
                            <td><a href=format!("/chains/{}", g.chain_id)>{g.chain.pick(locale).to_string()}</a></td>
                            <td>
                                {g.node.pick(locale).to_string()} " "
                                <span class="muted">{t(&format!("chain.position.{}", g.position)).to_string()}</span> " "
                                <a href=format!("/map?node={}", g.node_id) class="gap-map">{t("gaps.on_map")}</a>
                            </td>
                            <td>
                                {if g.candidates.is_empty() {
                                    view! { <span class="muted">{t("gaps.none")}</span> }.into_any()
                                } else {
                                    view! {
                                        <ol class="candidates">
                                            {g.candidates.into_iter().map(|c| view! {
                                                <li>
                                                    <a href=format!("/leads/{}", c.id) class="candidate">{c.company_name}</a> " "
                                                    {grade_badge(c.grade)} " "
                                                    <span class="muted">
                                                        {c.score.map(|s| format!("{s:.1}"))} " · " {label_of("stage", &c.stage)}
                                                        " · " {label_of("chain.role", &c.role)}
                                                    </span>
                                                </li>
                                            }).collect_view()}
                                        </ol>
                                    }.into_any()
                                }}
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        }/>
    }
}
