//! `/field` and `/field/visits/{id}` — 外出招商 on a phone: this week's visits, and one visit with
//! what a person needs at the company's door (facts, contacts, the last three timeline entries,
//! open problems, next steps), the check-in and the report. The service worker (`/sw.js`) keeps
//! these pages for when there is no signal and queues what is sent meanwhile; without it they are
//! plain pages with plain forms.

use crate::api::field::{get_field_visit, get_field_week, FieldActivity, FieldCheckin, FieldLeadNotes, FieldReport};
use crate::components::check_in::CheckInForm;
use crate::components::errors::{action_field_errors, was_refused, FieldErrorText};
use crate::components::loaded::LoadedOne;
use crate::components::options::label_of;
use crate::components::route_id::{id_param, read_by_id};
use crate::domain::catalog::Stage;
use crate::domain::trip::Intention;
use crate::i18n::t;
use crate::wire::field::*;
use crate::wire::pipeline::{TimelineItem, ACTIVITY_KINDS};
use leptos::prelude::*;

/// Where the service worker writes the queue's state ("n 条待同步", offline) into a page; `user`
/// tells it who is signed in (it sends a queued item only while its author is).
#[component]
pub fn OutboxSlot(user: i64) -> impl IntoView {
    view! { <div id="lz-outbox" class="outbox-slot" data-user=user></div> }
}

#[component]
pub fn FieldWeekPage() -> impl IntoView {
    let week = Resource::new(|| (), |_| get_field_week());
    view! {
        <div class="page-head field-head">
            <h1>{t("field.title")}</h1>
            <a class="button" href="/field/leads/new" id="field-new-lead">{t("field.new_lead")}</a>
        </div>
        <LoadedOne resource=week content=move |w| view! { <OutboxSlot user=w.user_id/> <Week w=w/> }/>
    }
}

#[component]
fn Week(w: FieldWeek) -> impl IntoView {
    let ids: Vec<String> = w.trips.iter().flat_map(|t| t.visits.iter().map(|v| v.id.to_string())).collect();
    view! {
        <p class="muted" id="field-fetched">
            {w.from.clone()} " – " {w.to.clone()} " · " {t("field.fetched_at")} " " <time>{w.fetched_at.clone()}</time>
        </p>
        // The service worker reads this list when "take the week along" is pressed.
        <form method="post" action="/field/take" class="field-take" data-visits=ids.join(",")>
            <button type="submit" id="field-take">{t("field.take")}</button>
            <span class="muted">{t("field.take_hint")}</span>
        </form>
        {w.trips.is_empty().then(|| view! { <p class="muted" id="field-empty">{t("field.none")}</p> })}
        {w.trips.into_iter().map(|trip| view! {
            <section class="card field-trip" data-trip=trip.id>
                <h2>
                    <a href=format!("/trips/{}", trip.id)>{trip.purpose.clone()}</a> " "
                    <span class=format!("status status-{}", trip.status)>{label_of("trip.status", &trip.status)}</span>
                </h2>
                <p class="muted">
                    {label_of("trip.kind", &trip.kind)} " · " {trip.start_on.clone()} " – " {trip.end_on.clone()}
                    {(!trip.destination_name.is_empty()).then(|| view! { " · " {trip.destination_name.clone()} })}
                </p>
                {trip.visits.is_empty().then(|| view! { <p class="muted">{t("visits.none")}</p> })}
                <ul class="field-visits">
                    {trip.visits.into_iter().map(|v| view! {
                        <li class=format!("visit-{}", v.status)>
                            <a href=format!("/field/visits/{}", v.id) class="field-visit-link">
                                <span class="when">{v.date.clone()} " " {v.start.clone()} "–" {v.end.clone()}</span> " "
                                <strong>{v.company_name.clone()}</strong>
                            </a>
                            <span class="muted">{(!v.place.is_empty()).then(|| format!(" · {}", v.place))}</span> " "
                            <span class=format!("status status-{}", v.status)>{label_of("visit.status", &v.status)}</span>
                            {v.checked_in.then(|| view! { " " <span class="status status-done">{t("field.checked_in")}</span> })}
                            {(!v.checkin_flag.is_empty()).then(|| view! { " " <span class="status status-warn">{flag_labels(&v.checkin_flag)}</span> })}
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        }).collect_view()}
    }
}

#[derive(Clone, Copy)]
struct Actions {
    report: ServerAction<FieldReport>,
    activity: ServerAction<FieldActivity>,
    checkin: ServerAction<FieldCheckin>,
    notes: ServerAction<FieldLeadNotes>,
}

#[component]
pub fn FieldVisitPage() -> impl IntoView {
    let id = id_param();
    let a = Actions {
        report: ServerAction::new(),
        activity: ServerAction::new(),
        checkin: ServerAction::new(),
        notes: ServerAction::new(),
    };
    let visit = Resource::new(
        move || {
            (
                id.get(),
                a.report.version().get(),
                a.activity.version().get(),
                a.checkin.version().get(),
                a.notes.version().get(),
            )
        },
        |(id, ..)| read_by_id(id, get_field_visit),
    );
    view! {
        <p><a href="/field">"← " {t("field.title")}</a></p>
        <LoadedOne resource=visit content=move |d| view! { <OutboxSlot user=d.user_id/> <Visit d=d a=a/> }.into_any()/>
    }
}

#[component]
fn Visit(d: FieldVisit, a: Actions) -> impl IntoView {
    let v = d.visit.clone();
    view! {
        <div class="page-head">
            <h1 id="field-company">{v.company_name.clone()}</h1>
            <span class=format!("status status-{}", v.status) id="field-visit-status">{label_of("visit.status", &v.status)}</span>
        </div>
        <p class="muted" id="field-fetched">{t("field.fetched_at")} " " <time>{d.fetched_at.clone()}</time></p>
        <section class="card">
            <p><span class="when">{v.date.clone()} " " {v.start.clone()} "–" {v.end.clone()}</span></p>
            {(!v.place.is_empty()).then(|| view! { <p>{t("visits.place")} ": " {v.place.clone()}</p> })}
            {(!v.contact.is_empty()).then(|| view! { <p>{t("visits.contact")} ": " {v.contact.clone()}</p> })}
            <p class="muted">
                <a href=format!("/trips/{}", d.trip_id)>{d.trip_purpose.clone()}</a>
                {(!d.destination_name.is_empty()).then(|| view! { " · " {d.destination_name.clone()} })}
                " · " {crate::i18n::enumerate(crate::i18n::use_locale(), &v.attendees.iter().map(|p| p.1.clone()).collect::<Vec<_>>())}
            </p>
        </section>
        // Each section erased to `AnyView`: the page's view type is otherwise too deep for the
        // release build's layout queries (recursion limit).
        {view! { <CheckIn d=d.clone() a=a/> }.into_any()}
        {d.lead.clone().map(|l| view! { <LeadFacts l=l d=d.clone() a=a/> }.into_any())}
        {(v.status == "done").then(|| view! {
            <section class="card" id="field-report-done">
                <h2>{t("visits.report")}</h2>
                <p><strong>{v.intention.clone().map(|i| label_of("intention", &i)).unwrap_or_default()}</strong> " " {v.learned.clone()}</p>
                {(!v.next_step.is_empty()).then(|| view! { <p>{t("activity.next_step")} ": " {v.next_step.clone()} {v.next_due.clone().map(|d| view! { " (" {d} ")" })}</p> })}
            </section>
        })}
        {view! { <Attachments d=d.clone()/> }.into_any()}
        {d.can_report.then(|| view! { <ReportForm d=d.clone() a=a/> }.into_any())}
        {d.lead.clone().filter(|_| d.can_report).map(|l| view! { <ActivityForm lead_id=l.id a=a/> }.into_any())}
    }
}

#[component]
fn CheckIn(d: FieldVisit, a: Actions) -> impl IntoView {
    let errors = action_field_errors(a.checkin);
    let vid = d.visit.id;
    view! {
        <section class="card" id="field-checkin">
            <h2>{t("field.checkin")}</h2>
            {d.checkin.clone().map(|c| view! {
                <p id="field-checkin-done">
                    {t("field.checked_in")} " " {c.at.clone()} " · " {c.by.clone()}
                    {(c.server_at != c.at).then(|| view! { <span class="muted">" (" {t("field.server_time")} " " {c.server_at.clone()} ")"</span> })}
                </p>
                {c.position.map(|(lat, lng, acc)| view! {
                    <p class="muted">{format!("{lat:.5}, {lng:.5} ±{acc:.0} m")} {(!c.place.is_empty()).then(|| format!(" · {}", c.place))}</p>
                })}
                {(!c.flag.is_empty()).then(|| view! { <p class="status status-warn" id="field-checkin-flag">{flag_labels(&c.flag)}</p> })}
            })}
            {(d.checkin.is_none() && d.can_report).then(|| view! {
                <CheckInForm locating=t("field.locating").to_string() no_position=t("field.no_position").to_string()>
                    <ActionForm action=a.checkin>
                        <input type="hidden" name="visit_id" value=vid/>
                        <input type="hidden" name="form[phone_time]" value=""/>
                        <input type="hidden" name="form[lat]" value=""/>
                        <input type="hidden" name="form[lng]" value=""/>
                        <input type="hidden" name="form[accuracy]" value=""/>
                        <label class="inline-check"><input type="checkbox" id="checkin-position" checked=true/>{t("field.use_position")}</label>
                        {["phone_time", "lat", "lng", "accuracy"].into_iter().map(|f| view! { <FieldErrorText errors=errors field=f/> }).collect_view()}
                        <button type="submit" class="primary" id="field-checkin-submit">{t("field.checkin")}</button>
                    </ActionForm>
                </CheckInForm>
            })}
            {(d.checkin.is_none() && !d.can_report).then(|| view! { <p class="muted">{t("field.checkin_none")}</p> })}
        </section>
    }
}

#[component]
fn LeadFacts(l: FieldLead, d: FieldVisit, a: Actions) -> impl IntoView {
    let notes_errors = action_field_errors(a.notes);
    view! {
        <section class="card" id="field-lead">
            <h2><a href=format!("/leads/{}", l.id)>{t("field.company")}</a></h2>
            <p>
                {label_of("industry", &l.industry)} " · " {label_of("stage", &l.stage)}
                {(!l.region_names.is_empty()).then(|| view! { " · " {l.region_names.clone()} })}
            </p>
            {l.uscc.clone().map(|u| view! { <p class="muted">{t("lead.uscc")} " " {u}</p> })}
            {l.planned_investment_wan.map(|w| view! { <p>{t("lead.planned_investment")} " " {crate::domain::money::format_wan(w)}</p> })}
            {l.owner_name.clone().map(|o| view! { <p class="muted">{t("lead.owner")} ": " {o}</p> })}
            {(!l.notes.is_empty() && !l.can_edit).then(|| view! { <p class="notes">{l.notes.clone()}</p> })}
            {l.can_edit.then(|| view! {
                <details class="field-notes" open=was_refused(a.notes)>
                    <summary>{t("lead.notes")} {(!l.notes.is_empty()).then(|| format!(" · {}", l.notes.chars().take(40).collect::<String>()))}</summary>
                    <ActionForm action=a.notes>
                        <input type="hidden" name="lead_id" value=l.id/>
                        <input type="hidden" name="version" value=l.version/>
                        <textarea name="notes" rows="4" id="field-notes">{l.notes.clone()}</textarea>
                        <FieldErrorText errors=notes_errors field="notes"/>
                        <button type="submit" id="field-notes-submit">{t("field.notes_save")}</button>
                    </ActionForm>
                </details>
            })}
            <h3>{t("lead.contacts")}</h3>
            {l.contacts.is_empty().then(|| view! { <p class="muted">{t("field.no_contacts")}</p> })}
            <ul class="field-contacts">
                {l.contacts.iter().map(|c| view! {
                    <li>
                        <strong>{c.name.clone()}</strong> {(!c.title.is_empty()).then(|| format!(" · {}", c.title))}
                        {(!c.phone.is_empty()).then(|| match crate::domain::lead::tel_uri(&c.phone) {
                            Some(href) => view! { " · " <a href=href>{c.phone.clone()}</a> }.into_any(),
                            None => view! { " · " {c.phone.clone()} }.into_any(),
                        })}
                    </li>
                }).collect_view()}
            </ul>
            <h3>{t("field.recent")}</h3>
            {d.timeline.is_empty().then(|| view! { <p class="muted">{t("pipeline.timeline.empty")}</p> })}
            <ol class="timeline" id="field-timeline">
                {d.timeline.into_iter().map(|e| {
                    let body = match e.item {
                        TimelineItem::Move { from, to, comment, .. } => format!(
                            "{} → {}{}", label_of("stage", &from), label_of("stage", &to),
                            if comment.is_empty() { String::new() } else { format!(" · {comment}") }),
                        TimelineItem::Change(c) => crate::components::history::change_text(&c),
                        TimelineItem::Attachment { kind, .. } => label_of("attachment.kind", &kind),
                        TimelineItem::Milestone { code, name, .. } => format!("{} {}", t("plan.reached"), super::projects::milestone_label(&code, &name)),
                        TimelineItem::Activity { kind, summary, .. } => format!("{} {summary}", label_of("activity.kind", &kind)),
                    };
                    view! { <li><span class="muted">{e.at} " · " {e.who}</span> " " {body}</li> }
                }).collect_view()}
            </ol>
            {(!d.problems.is_empty()).then(|| view! {
                <h3>{t("field.problems")}</h3>
                <ul>{d.problems.iter().map(|p| view! { <li>{p.description.clone()} <span class="muted">{p.deadline.clone().map(|d| format!(" · {d}"))}</span></li> }).collect_view()}</ul>
            })}
            {(!d.next_steps.is_empty()).then(|| view! {
                <h3>{t("activity.next_step")}</h3>
                <ul>{d.next_steps.iter().map(|(due, step)| view! { <li>{step.clone()} <span class="muted">{(!due.is_empty()).then(|| format!(" · {due}"))}</span></li> }).collect_view()}</ul>
            })}
        </section>
    }
}

/// Photos and voice notes: a plain multipart form (the phone's camera and recorder open from the
/// file inputs); the service worker shrinks a photo and queues it while there is no signal.
#[component]
fn Attachments(d: FieldVisit) -> impl IntoView {
    use crate::components::attachment::AttachmentMedia;
    use crate::components::voice_recorder::{VoiceLabels, VoiceRecorder};
    let refused = leptos_router::hooks::use_query_map().with_untracked(|q| {
        q.get_str("attach_err").map(|k| (k.to_string(), q.get_str("max").unwrap_or("").to_string()))
    });
    let locale = crate::i18n::use_locale();
    view! {
        <section class="card" id="field-attachments">
            <h2>{t("field.attachments")}</h2>
            {(d.attachments.is_empty()).then(|| view! { <p class="muted">{t("field.attachments_none")}</p> })}
            <div class="attachments">
                {d.attachments.iter().map(|a| view! {
                    <figure class="attachment" data-attachment=a.id>
                        <AttachmentMedia id=a.id kind=a.kind.clone()/>
                        <figcaption class="muted">{a.by.clone()} " · " {a.at.clone()}</figcaption>
                    </figure>
                }).collect_view()}
            </div>
            {refused.map(|(key, max)| view! {
                <p class="field-error" id="attach-error">{crate::i18n::tr_args(locale, &key, &[("max".to_string(), max)])}</p>
            })}
            {d.can_attach.then(|| view! {
                <form method="post" action=format!("/field/visits/{}/attachments", d.visit.id) enctype="multipart/form-data" class="attach-form">
                    <label>{t("field.photo")}<input type="file" name="file" accept="image/*" capture="environment" id="attach-photo"/></label>
                    <label>{t("field.voice")}<input type="file" name="file" accept="audio/*" capture="user" id="attach-voice"/></label>
                    <VoiceRecorder input="attach-voice".to_string() labels=VoiceLabels {
                        start: t("field.voice_start").to_string(),
                        stop: t("field.voice_stop").to_string(),
                        done: t("field.voice_done").to_string(),
                        denied: t("field.voice_denied").to_string(),
                    }/>
                    <button type="submit" id="attach-submit">{t("field.attach")}</button>
                </form>
            })}
        </section>
    }
}

#[component]
fn ReportForm(d: FieldVisit, a: Actions) -> impl IntoView {
    let errors = action_field_errors(a.report);
    let vid = d.visit.id;
    let stage = d.visit.lead_stage.clone();
    view! {
        <section class="card" id="field-report">
            <h2>{t("visits.report")}</h2>
            <ActionForm action=a.report>
                <input type="hidden" name="visit_id" value=vid/>
                <label>{t("visits.learned")}<textarea name="form[learned]" rows="5" id="field-learned" required></textarea></label>
                <FieldErrorText errors=errors field="learned"/>
                <label>{t("visits.intention")}
                    <select name="form[intention]" id="field-intention" required>
                        <option value="">{t("common.choose")}</option>
                        {Intention::ALL.iter().map(|i| view! { <option value=i.code()>{label_of("intention", i.code())}</option> }).collect_view()}
                    </select>
                </label>
                <FieldErrorText errors=errors field="intention"/>
                <label>{t("activity.next_step")}<input name="form[next_step]" id="field-next-step"/></label>
                <FieldErrorText errors=errors field="next_step"/>
                <label>{t("activity.next_due")}<input type="date" name="form[next_due]" id="field-next-due"/></label>
                <FieldErrorText errors=errors field="next_due"/>
                <details open=was_refused(a.report)>
                    <summary>{t("visits.move_to")}</summary>
                    <select name="form[move_to]">
                        <option value="">{t("visits.move_none")}</option>
                        {Stage::ALL.iter().filter(|s| s.code() != stage).map(|s| view! { <option value=s.code()>{label_of("stage", s.code())}</option> }).collect_view()}
                    </select>
                    <FieldErrorText errors=errors field="move_to"/>
                    <label>{t("visits.move_comment")}<input name="form[move_comment]"/></label>
                    <FieldErrorText errors=errors field="move_comment"/>
                </details>
                <button type="submit" class="primary" id="field-report-submit">{t("visits.report_save")}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn ActivityForm(lead_id: i64, a: Actions) -> impl IntoView {
    let errors = action_field_errors(a.activity);
    view! {
        <details class="card" id="field-activity" open=was_refused(a.activity)>
            <summary>{t("field.activity")}</summary>
            <ActionForm action=a.activity>
                <input type="hidden" name="lead_id" value=lead_id/>
                <label>{t("activity.kind")}
                    <select name="form[kind]">
                        {ACTIVITY_KINDS.iter().map(|k| view! { <option value=*k selected=*k == "visit_out">{label_of("activity.kind", k)}</option> }).collect_view()}
                    </select>
                </label>
                <label>{t("activity.summary")}<textarea name="form[summary]" rows="3" id="field-activity-summary" required></textarea></label>
                <FieldErrorText errors=errors field="summary"/>
                <label>{t("activity.next_step")}<input name="form[next_step]"/></label>
                <FieldErrorText errors=errors field="next_step"/>
                <label>{t("activity.next_due")}<input type="date" name="form[next_due]"/></label>
                <FieldErrorText errors=errors field="next_due"/>
                <button type="submit" id="field-activity-submit">{t("field.activity_save")}</button>
            </ActionForm>
        </details>
    }
}

/// A check-in's flags (space-separated codes), each in words, joined as the page's language
/// joins a list.
fn flag_labels(flags: &str) -> String {
    let words: Vec<String> = flags.split_whitespace().map(|f| label_of("field.flag", f)).collect();
    crate::i18n::join_items(crate::i18n::use_locale(), &words)
}
