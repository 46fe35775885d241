use crate::api::kanban::kanban_board;
use crate::api::pipeline::MoveStage;
use crate::components::drag_move::DragToMove;
use crate::components::errors::ErrorBanner;
use crate::components::filter_bar::FilterBar;
use crate::components::loaded::LoadedOne;
use crate::components::options::{label_of, move_choice, move_stage_options};
use crate::components::score::grade_badge;
use crate::domain::lead_filter::LeadFilter;
use crate::domain::money::{format_wan, format_wan_short};
use crate::i18n::{t, tr_args, use_locale};
use crate::wire::kanban::{Board, Card};
use crate::wire::pipeline::MoveForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `/kanban` — the filtered leads by stage. Each card has a small move form; with JavaScript the
/// `DragToMove` island fills it in when a card is dropped on another column (a move that skips or
/// goes back asks for a comment).
#[component]
pub fn KanbanPage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| query.with(|q| LeadFilter::from_pairs(|k| q.get_str(k))));
    let mover = ServerAction::<MoveStage>::new();
    // Back from a refused move: which card, and what was chosen (its form opens with it).
    let draft = crate::components::left::draft_under::<(i64, MoveForm)>(crate::api::flash::MOVE_DRAFT);
    // Back from a move: which card went where (the card says so in its new column).
    let moved = crate::components::left::left_under::<(i64, String)>(Some(crate::api::flash::MOVED.to_string()));
    let board = Resource::new(move || (filter.get(), mover.version().get()), |(f, _)| kanban_board(f));
    let locale = use_locale();
    // A refused move's message: at its card when the card is on the board (its form opens there
    // with it) and the refusal is about a field; otherwise here, above the board.
    let move_error = move |at_card: bool| {
        move || {
            mover.value().get().and_then(|r| r.err()).and_then(|e| match e.field_errors().first() {
                Some(_) if at_card => None,
                Some(fe) => {
                    // Whose move, when the card's form is not there to show it.
                    let message = tr_args(locale, &fe.key, &fe.args);
                    let said = match fe.args.iter().find(|(k, _)| k == "company") {
                        Some((_, company)) => tr_args(
                            locale,
                            "kanban.refused_for",
                            &[("company".into(), company.clone()), ("message".into(), message)],
                        ),
                        None => message,
                    };
                    Some(view! { <div class="error-banner" role="alert" id="kanban-error">{said}</div> }.into_any())
                }
                None => Some(view! { <ErrorBanner error=e/> }.into_any()),
            })
        }
    };
    view! {
        <h1>{t("kanban.title")}</h1>
        <FilterBar path="/kanban" filter=filter hide_stage=true/>
        <LoadedOne resource=board content=move |b| {
            let b = StoredValue::new(b);
            view! {
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let (typed, moved) = (draft.await, moved.await);
                        let board = b.get_value();
                        let at_card = typed.as_ref().is_some_and(|(id, _)| {
                            board.columns.iter().any(|c| c.cards.iter().any(|card| card.id == *id && card.can_edit))
                        });
                        view! {
                            {move_error(at_card)}
                            <BoardView board=board filter=filter.get_untracked() mover=mover typed=typed moved=moved/>
                        }
                    })}
                </Suspense>
            }
        }/>
    }
}

#[component]
fn BoardView(
    board: Board,
    filter: LeadFilter,
    mover: ServerAction<MoveStage>,
    typed: Option<(i64, MoveForm)>,
    moved: Option<(i64, String)>,
) -> impl IntoView {
    let locale = use_locale();
    let stale_hint = tr_args(locale, "kanban.stale_hint", &[("days".into(), board.stale_days.to_string())]);
    view! {
        <p class="muted">{stale_hint}</p>
        <DragToMove prompt=t("kanban.prompt_comment").to_string()>
        <div class="kanban" id="kanban">
            {board.columns.into_iter().map(|col| {
                let stage = col.stage.clone();
                let shown = col.cards.len() as u64;
                view! {
                    <section class="kanban-column" id=format!("col-{stage}") data-stage=stage.clone()>
                        <header>
                            <strong>{label_of("stage", &stage)}</strong>
                            <span class="count">{col.count}</span>
                            // 亿元 from 1 亿 on, as the dashboard says it.
                            <div class="muted">{format_wan_short(col.total_investment_wan)}</div>
                        </header>
                        {col.cards.into_iter().map(|c| {
                            let typed = typed.clone().filter(|(id, _)| *id == c.id).map(|(_, form)| form);
                            let just_moved = moved.as_ref().is_some_and(|(id, to)| *id == c.id && *to == stage);
                            view! { <CardView card=c stage=stage.clone() mover=mover typed=typed just_moved=just_moved/> }
                        }).collect_view()}
                        {(col.count > shown).then(|| {
                            // The rest of the column: the lead list with the board's filter, best score first.
                            let all = LeadFilter { stage: Some(stage.clone()), sort: Some("-score".into()), page: None, ..filter.clone() };
                            view! { <a class="kanban-more" href=format!("/leads{}", all.to_query())>{t("kanban.more")} " " {col.count - shown}</a> }
                        })}
                    </section>
                }
            }).collect_view()}
        </div>
        </DragToMove>
    }
}

#[component]
/// One card; `typed`: its refused move as typed (the card's form opens with it, its message
/// beside it and the choice focused, so the browser scrolls to the card).
fn CardView(
    card: Card,
    stage: String,
    mover: ServerAction<MoveStage>,
    typed: Option<MoveForm>,
    /// A plain post just moved it here: it says so.
    just_moved: bool,
) -> impl IntoView {
    let locale = use_locale();
    let (id, version) = (card.id, card.version);
    let (chosen, refused) = move_choice(&stage, typed.as_ref());
    let typed = typed.unwrap_or_default();
    let why = move || {
        mover.value().get().and_then(|r| r.err()).and_then(|e| e.field_errors().first().cloned()).filter(|_| refused)
    };
    let days = tr_args(locale, "kanban.days", &[("days".into(), card.days_in_stage.to_string())]);
    view! {
        <article class="kanban-card" class:stale=card.stale data-id=card.id draggable=if card.can_edit { "true" } else { "false" }>
            <a href=format!("/leads/{}", card.id)>{card.company_name}</a>
            <div class="meta">
                // An overseas lead has no city: no separator before its amount.
                {(!card.region.is_empty()).then(|| format!("{} · ", card.region))}
                {card.planned_investment_wan.map(|w| format!("{} {}", format_wan(w), t("pipeline.wan"))).unwrap_or_else(|| "—".into())} " " {grade_badge(card.grade)}
            </div>
            <div class="meta">
                {days}
                {card.stale.then(|| view! { " " <span class="gap-tag">{t("kanban.stale")}</span> })}
            </div>
            {just_moved.then(|| view! {
                <p class="ok" role="status" id="moved">
                    {tr_args(locale, "pipeline.moved", &[("stage".into(), label_of("stage", &stage))])}
                </p>
            })}
            {card.can_edit.then(|| view! {
                <details class="card-move" open=refused>
                    <summary>{t("kanban.move")}</summary>
                    {move || why().map(|fe| view! { <span class="field-error" role="alert">{tr_args(locale, &fe.key, &fe.args)}</span> })}
                    <ActionForm action=mover attr:class="card-move-form">
                        <input type="hidden" name="lead_id" value=id/>
                        <input type="hidden" name="form[version]" value=version/>
                        // The next stage on the main line first, as the lead page offers it (its
                        // own stage would only be refused as "already there").
                        <select name="form[to]" required autofocus=refused>{move_stage_options(&chosen)}</select>
                        <input name="form[comment]" placeholder=t("pipeline.comment") value=typed.comment.clone()/>
                        <button type="submit" class="small">{t("kanban.move")}</button>
                    </ActionForm>
                </details>
            })}
        </article>
    }
}
