use super::lead_extras::ProblemTable;
use crate::api::flash::PROBLEM_SAID;
use crate::api::problems::{list_problems, UpdateProblem};
use crate::components::left::{left_under, Left};
use crate::components::loaded::LoadedOne;
use crate::components::options::label_of;
use crate::components::pager::Pager;
use crate::i18n::{t, tr_args, use_locale};
use crate::wire::problems::{ProblemFilter, ProblemPage, CATEGORIES, STATUSES};
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

/// `/problems` — 问题清单 across all leads the reader may see, overdue (督办) first.
#[component]
pub fn ProblemsPage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| query.with(|q| ProblemFilter::from_pairs(|k| q.get_str(k))));
    let update = ServerAction::<UpdateProblem>::new();
    let list = Resource::new(move || (filter.get(), update.version().get()), |(f, _)| list_problems(f));
    let said = left_under::<(i64, String)>(Some(PROBLEM_SAID.to_string()));
    view! {
        <h1>{t("problems.page_title")}</h1>
        {move || {
            let f = filter.get();
            view! {
                <Form method="GET" action="/problems">
                    <div class="filters">
                        <select name="status" id="problem-filter-status">
                            <option value="">{t("problems.all_statuses")}</option>
                            {STATUSES.iter().map(|s| view! { <option value=*s selected=f.status.as_deref() == Some(*s)>{label_of("problem.status", s)}</option> }).collect_view()}
                        </select>
                        <select name="category" id="problem-filter-category">
                            <option value="">{t("problems.all_categories")}</option>
                            {CATEGORIES.iter().map(|c| view! { <option value=*c selected=f.category.as_deref() == Some(*c)>{label_of("problem.category", c)}</option> }).collect_view()}
                        </select>
                        <label class="inline-check">
                            <input type="checkbox" name="overdue" value="1" checked=f.overdue == Some(true)/> {t("problems.only_overdue")}
                        </label>
                        <button type="submit">{t("leads.list.filter.apply")}</button>
                        <a href="/problems" class="button">{t("leads.list.filter.clear")}</a>
                        <a class="button" id="problems-xlsx" href=format!("/problems/export.xlsx{}", f.with_page(1).to_query())>{t("export.xlsx")}</a>
                        <a class="button" id="problems-csv" href=format!("/problems/export.csv{}", f.with_page(1).to_query())>{t("export.csv")}</a>
                    </div>
                </Form>
            }
        }}
        <LoadedOne resource=list content={move |page| view! { <ProblemPageView page=page filter=filter.get_untracked() update=update said=said/> }}/>
    }
}

/// A page of problems with how many match and the links to the pages beside it; `said` is the
/// problem a plain post just changed, told of when it is not on this page any more.
#[component]
fn ProblemPageView(
    page: ProblemPage,
    filter: ProblemFilter,
    update: ServerAction<UpdateProblem>,
    said: Resource<Option<(i64, String)>>,
) -> impl IntoView {
    let shown: Vec<i64> = page.rows.iter().map(|p| p.id).collect();
    let gone = view! {
        <Left left=said view=move |(id, status): (i64, String)| (!shown.contains(&id)).then(|| {
            let text = t("problems.updated_gone").replace("{status}", &label_of("problem.status", &status));
            view! { <p class="notice" id="problem-said">{text}</p> }
        })/>
    };
    let summary = tr_args(
        use_locale(),
        "problems.summary",
        &[
            ("total".into(), page.total.to_string()),
            ("page".into(), page.page.to_string()),
            ("pages".into(), page.pages.to_string()),
        ],
    );
    let link = |p: u64| format!("/problems{}", filter.with_page(p).to_query());
    let prev = (page.page > 1).then(|| link(page.page - 1));
    let next = (page.page < page.pages).then(|| link(page.page + 1));
    if page.rows.is_empty() {
        return view! { {gone} <p class="muted">{t("problems.none")}</p> }.into_any();
    }
    view! {
        {gone}
        <p class="muted" id="problem-summary" data-total=page.total>{summary}</p>
        <ProblemTable items=page.rows update=update show_lead=true/>
        <Pager prev=prev next=next page=page.page pages=Some(page.pages)/>
    }
    .into_any()
}
