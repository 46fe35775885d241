use crate::api::pipeline::{lead_pipeline, LogActivity, MoveStage};
use crate::components::errors::{action_field_errors, was_refused, ErrorBanner, FieldErrorText};
use crate::components::loaded::LoadedOne;
use crate::components::options::{label_of, move_choice, move_stage_options};
use crate::domain::lead::FieldError;
use crate::domain::money::format_wan;
use crate::domain::stage::DropReason;
use crate::i18n::{t, tr_args, use_locale};
use crate::wire::pipeline::{ActivityForm, MoveForm, Pipeline, TimelineItem, ACTIVITY_KINDS};
use leptos::prelude::*;

/// The lead's pipeline: stage (with days in it), the 签约 commitments, moving the stage, logging
/// an activity, and the timeline of both. `draft`: a refused move's form as typed, with its lead
/// (`flash::MOVE_DRAFT`), shown again in the move form when it is this lead's; `log_draft` the
/// same for a refused 跟进记录 (`flash::LOG_DRAFT`).
#[component]
pub fn PipelinePanel(
    lead_id: i64,
    draft: Resource<Option<(i64, MoveForm)>>,
    log_draft: Resource<Option<(i64, ActivityForm)>>,
    moved: Resource<Option<(i64, String)>>,
) -> impl IntoView {
    let mover = ServerAction::<MoveStage>::new();
    let logger = ServerAction::<LogActivity>::new();
    let data = Resource::new(move || (mover.version().get(), logger.version().get()), move |_| lead_pipeline(lead_id));
    view! {
        <LoadedOne resource=data quiet=true content=move |p| {
            let p = StoredValue::new(p);
            view! {
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let typed = draft.await.filter(|(id, _)| *id == lead_id).map(|(_, form)| form);
                        let moved = moved.await.filter(|(id, _)| *id == lead_id).map(|(_, stage)| stage);
                        let logged = log_draft.await.filter(|(id, _)| *id == lead_id).map(|(_, form)| form);
                        view! { <PipelineView lead_id=lead_id p=p.get_value() mover=mover logger=logger typed=typed logged=logged moved=moved/> }
                    })}
                </Suspense>
            }
        }/>
    }
}

#[component]
fn PipelineView(
    lead_id: i64,
    p: Pipeline,
    mover: ServerAction<MoveStage>,
    logger: ServerAction<LogActivity>,
    typed: Option<MoveForm>,
    /// A refused 跟进记录 as typed: its form opens with it.
    logged: Option<ActivityForm>,
    /// The stage a plain post just moved it to (said once, beside the stage).
    moved: Option<String>,
) -> impl IntoView {
    let locale = use_locale();
    let move_errors: Signal<Vec<FieldError>> = action_field_errors(mover);
    let log_errors: Signal<Vec<FieldError>> = action_field_errors(logger);
    let move_banner = move || {
        mover
            .value()
            .get()
            .and_then(|r| r.err())
            .filter(|e| e.field_errors().is_empty())
            .map(|e| view! { <ErrorBanner error=e/> })
    };
    // The form offers the next stage on the main line first (a lead is usually moved one step);
    // back from a refusal, the stage chosen and every value typed, the choice focused (a browser
    // scrolls a focused field into view: the message stands beside it, not 3,000 px down).
    let (chosen, refused) = move_choice(&p.stage, typed.as_ref());
    let typed = typed.unwrap_or_default();
    let log_refused = logged.is_some();
    let logged = logged.unwrap_or_default();
    let days = p.days_in_stage.map(|d| tr_args(locale, "pipeline.days_in_stage", &[("days".into(), d.to_string())]));
    view! {
        <section class="card" id="pipeline">
            <h2>{t("pipeline.title")}</h2>
            <p>
                {t("lead.stage")} ": " <strong id="pipeline-stage">{label_of("stage", &p.stage)}</strong>
                {days.map(|d| view! { " · " <span class="muted">{d}</span> })}
            </p>
            {moved.map(|stage| view! {
                <p class="ok-banner" role="status" id="moved">
                    {tr_args(locale, "pipeline.moved", &[("stage".into(), label_of("stage", &stage))])}
                </p>
            })}
            {p.commitment.clone().map(|c| view! {
                <p id="commitment">
                    {t("pipeline.commitment")} ": " {format_wan(c.investment_wan)} " " {t("pipeline.wan")}
                    {c.land_mu.map(|v| view! { " · " {format_wan(v)} " " {t("pipeline.mu")} })}
                    {c.output_wan.map(|v| view! { " · " {t("pipeline.output")} " " {format_wan(v)} })}
                    {c.tax_wan.map(|v| view! { " · " {t("pipeline.tax")} " " {format_wan(v)} })}
                    {c.start_on.map(|v| view! { " · " {t("pipeline.start")} " " {v} })}
                </p>
            })}
            {p.can_edit.then(|| view! {
                <details class="pipeline-form" id="move-form" open=was_refused(mover)>
                    <summary id="move-open">{t("pipeline.move")}</summary>
                    {move_banner}
                    <ActionForm action=mover>
                        <input type="hidden" name="lead_id" value=lead_id/>
                        <input type="hidden" name="form[version]" value=p.version/>
                        <div class="filters">
                            <label>{t("pipeline.to")}
                                <select name="form[to]" id="move-to" required autofocus=refused>{move_stage_options(&chosen)}</select>
                                <FieldErrorText errors=move_errors field="to"/>
                            </label>
                            <label>{t("pipeline.comment")}<input name="form[comment]" id="move-comment" value=typed.comment.clone()/>
                                <FieldErrorText errors=move_errors field="comment"/></label>
                            // 终止原因 only for 终止, 恢复日期 only for 暂缓 (style/main.css, no JavaScript needed).
                            <label class="for-dropped">{t("pipeline.reason")}
                                <select name="form[reason]" id="move-reason">
                                    <option value="">"—"</option>
                                    {DropReason::ALL.iter().map(|r| view! { <option value=r.code() selected=typed.reason == r.code()>{t(&r.label_key()).to_string()}</option> }).collect_view()}
                                </select>
                                <FieldErrorText errors=move_errors field="reason"/>
                            </label>
                            <label class="for-on-hold">{t("pipeline.resume_on")}<input type="date" name="form[resume_on]" id="move-resume" value=typed.resume_on.clone()/>
                                <FieldErrorText errors=move_errors field="resume_on"/></label>
                        </div>
                        <fieldset class="signed">
                            <legend>{t("pipeline.signed_legend")}</legend>
                            <div class="filters">
                                // Each field's message under it (on a phone the row is a column).
                                <label>{t("pipeline.signed_investment")}<input name="form[signed_investment]" id="signed-investment" value=typed.signed_investment.clone()/>
                                    <FieldErrorText errors=move_errors field="signed_investment"/></label>
                                <label>{t("lead.land_mu_unit")}<input name="form[signed_land_mu]" value=typed.signed_land_mu.clone()/>
                                    <FieldErrorText errors=move_errors field="signed_land_mu"/></label>
                                <label>{t("lead.annual_output_wan")}<input name="form[signed_output]" value=typed.signed_output.clone()/>
                                    <FieldErrorText errors=move_errors field="signed_output"/></label>
                                <label>{t("lead.annual_tax_wan")}<input name="form[signed_tax]" value=typed.signed_tax.clone()/>
                                    <FieldErrorText errors=move_errors field="signed_tax"/></label>
                                <label>{t("pipeline.start")}<input type="date" name="form[planned_start]" value=typed.planned_start.clone()/>
                                    <FieldErrorText errors=move_errors field="planned_start"/></label>
                            </div>
                        </fieldset>
                        <button type="submit" id="move-submit">{t("pipeline.move_submit")}</button>
                    </ActionForm>
                </details>
                <details class="pipeline-form" open=log_refused || was_refused(logger)>
                    <summary id="log-open">{t("pipeline.log")}</summary>
                    <ActionForm action=logger>
                        <input type="hidden" name="lead_id" value=lead_id/>
                        <div class="filters">
                            <label>{t("activity.kind")}
                                <select name="form[kind]" id="activity-kind">
                                    {ACTIVITY_KINDS.iter().map(|k| view! { <option value=*k selected=logged.kind == *k>{t(&format!("activity.kind.{k}")).to_string()}</option> }).collect_view()}
                                </select>
                            </label>
                            <label>{t("activity.happened_on")}<input type="date" name="form[happened_on]" value=logged.happened_on.clone()/></label>
                            <label>{t("activity.participants")}<input name="form[participants]" value=logged.participants.clone()/></label>
                        </div>
                        {["kind", "happened_on", "participants"].into_iter().map(|f| view! { <FieldErrorText errors=log_errors field=f/> }).collect_view()}
                        <label>{t("activity.summary")}<textarea name="form[summary]" id="activity-summary" rows="2" required>{logged.summary.clone()}</textarea></label>
                        <FieldErrorText errors=log_errors field="summary"/>
                        <div class="filters">
                            <label>{t("activity.next_step")}<input name="form[next_step]" id="activity-next" value=logged.next_step.clone()/></label>
                            <label>{t("activity.next_due")}<input type="date" name="form[next_due]" id="activity-due" value=logged.next_due.clone()/></label>
                        </div>
                        <FieldErrorText errors=log_errors field="next_step"/>
                        <FieldErrorText errors=log_errors field="next_due"/>
                        <button type="submit" id="activity-submit">{t("pipeline.log_submit")}</button>
                    </ActionForm>
                </details>
            })}
            <h3>{t("pipeline.timeline")}</h3>
            {if p.timeline.is_empty() {
                view! { <p class="muted">{t("pipeline.timeline.empty")}</p> }.into_any()
            } else {
                view! {
                    <ol class="timeline" id="timeline">
                        {p.timeline.into_iter().map(|e| {
                            let body = match e.item {
                                TimelineItem::Move { from, to, comment, reason, resume_on } => view! {
                                    <span class="tl-kind">{t("pipeline.tl.move")}</span> " "
                                    {label_of("stage", &from)} " → " <strong>{label_of("stage", &to)}</strong>
                                    {reason.map(|r| view! { " · " {label_of("drop_reason", &r)} })}
                                    {resume_on.map(|d| view! { " · " {t("pipeline.resume_on")} " " {d} })}
                                    {(!comment.is_empty()).then(|| view! { " · " <em>{comment}</em> })}
                                }.into_any(),
                                TimelineItem::Milestone { code, name, planned_on } => view! {
                                    <span class="tl-kind tl-milestone">{t("plan.reached")}</span> " "
                                    <strong>{super::projects::milestone_label(&code, &name)}</strong>
                                    {planned_on.map(|d| view! { " · " {t("plan.planned_on")} " " {d} })}
                                }.into_any(),
                                TimelineItem::Attachment { id, kind, .. } => view! {
                                    <span class="tl-kind">{label_of("attachment.kind", &kind)}</span> " "
                                    <crate::components::attachment::AttachmentMedia id=id kind=kind/>
                                }.into_any(),
                                TimelineItem::Change(c) => view! {
                                    <span class="tl-kind">{t("pipeline.tl.change")}</span> " "
                                    {crate::components::history::change_text(&c)}
                                }.into_any(),
                                TimelineItem::Activity { kind, participants, summary, next_step, next_due } => view! {
                                    <span class="tl-kind">{label_of("activity.kind", &kind)}</span> " "
                                    {summary}
                                    {(!participants.is_empty()).then(|| view! { " · " <span class="muted">{participants}</span> })}
                                    {(!next_step.is_empty()).then(|| view! { " · " {t("activity.next_step")} ": " {next_step} {next_due.map(|d| view! { " (" {d} ")" })} })}
                                }.into_any(),
                            };
                            view! { <li><span class="muted">{e.at} " · " {e.who}</span> " " {body}</li> }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
    }
}
