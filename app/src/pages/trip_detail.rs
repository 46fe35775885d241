//! `/trips/{id}` — a trip's visits in order: plan them, report them (走访纪要) or say why they
//! did not happen; publish the trip to its members, close it when every visit is accounted for.

use crate::api::flash::{TRIP_EDIT_DRAFT, TRIP_SAID, VISIT_ADDED, VISIT_DRAFT, VISIT_EDIT_DRAFT, VISIT_SAVED};
use crate::api::trips::{get_trip, AddVisit, CancelTrip, CloseTrip, PublishTrip, ReportVisit, VisitMissed};
use crate::api::trips::{RemoveVisit, UpdateTrip, UpdateVisit};
use crate::components::confirm::Confirm;
use crate::components::errors::{action_field_errors, focus_field, was_refused, ErrorBanner, FieldErrorText};
use crate::components::left::{draft_under, left_under};
use crate::components::loaded::LoadedOne;
use crate::components::options::label_of;
use crate::components::route_id::{id_param, read_by_id};
use crate::domain::catalog::Stage;
use crate::domain::lead::FieldError;
use crate::domain::trip::{Intention, TripStatus};
use crate::i18n::{t, tr_args, use_locale};
use crate::pages::trip_edit::{TripEdit, VisitEdit, VisitInputs};
use crate::wire::trips::{AwayNote, TripDetail, TripForm, TripRow, VisitForm, VisitView};
use leptos::prelude::*;

#[derive(Clone, Copy)]
struct Actions {
    add: ServerAction<AddVisit>,
    report: ServerAction<ReportVisit>,
    missed: ServerAction<VisitMissed>,
    publish: ServerAction<PublishTrip>,
    close: ServerAction<CloseTrip>,
    cancel: ServerAction<CancelTrip>,
    update_trip: ServerAction<UpdateTrip>,
    update_visit: ServerAction<UpdateVisit>,
    remove_visit: ServerAction<RemoveVisit>,
    /// What a refused plain post of the trip's change left: `(trip id, the form)`.
    trip_edit_draft: Resource<Option<(i64, TripForm)>>,
    /// What a refused plain post of a visit's change left: `(visit id, the form)`.
    visit_edit_draft: Resource<Option<(i64, VisitForm)>>,
    /// What a refused plain post of a new visit left: `(trip id, the form)`.
    visit_draft: Resource<Option<(i64, VisitForm)>>,
    /// The visit a plain post just added (it says so).
    visit_added: Resource<Option<i64>>,
    /// The visit a plain post just changed (it says so).
    visit_saved: Resource<Option<i64>>,
    /// What a plain post on the trip just did (`flash::TRIP_SAID`'s message key).
    trip_said: Resource<Option<String>>,
}

#[component]
pub fn TripDetailPage() -> impl IntoView {
    let id = id_param();
    let a = Actions {
        add: ServerAction::new(),
        report: ServerAction::new(),
        missed: ServerAction::new(),
        publish: ServerAction::new(),
        close: ServerAction::new(),
        cancel: ServerAction::new(),
        update_trip: ServerAction::new(),
        update_visit: ServerAction::new(),
        remove_visit: ServerAction::new(),
        trip_edit_draft: draft_under(TRIP_EDIT_DRAFT),
        visit_edit_draft: draft_under(VISIT_EDIT_DRAFT),
        visit_draft: draft_under(VISIT_DRAFT),
        visit_added: left_under(Some(VISIT_ADDED.to_string())),
        visit_saved: left_under(Some(VISIT_SAVED.to_string())),
        trip_said: left_under(Some(TRIP_SAID.to_string())),
    };
    let trip = Resource::new(
        move || {
            (
                id.get(),
                a.add.version().get(),
                a.report.version().get(),
                a.missed.version().get(),
                a.publish.version().get(),
                a.close.version().get(),
                a.cancel.version().get(),
                (a.update_trip.version().get(), a.update_visit.version().get(), a.remove_visit.version().get()),
            )
        },
        |(id, ..)| read_by_id(id, get_trip),
    );
    view! {
        <LoadedOne resource=trip content=move |d| view! { <Trip d=d a=a/> }/>
    }
}

#[component]
fn Trip(d: TripDetail, a: Actions) -> impl IntoView {
    let trip = d.trip.clone();
    let status = TripStatus::parse(&trip.status).unwrap_or(TripStatus::Draft);
    let editable = d.can_edit && status.is_open();
    let close_errors: Signal<Vec<FieldError>> = action_field_errors(a.close);
    let conflict = move || {
        [
            a.publish.value().get().and_then(|r| r.err()),
            a.cancel.value().get().and_then(|r| r.err()),
            a.remove_visit.value().get().and_then(|r| r.err()),
            a.update_visit.value().get().and_then(|r| r.err()).filter(|e| e.field_errors().is_empty()),
        ]
        .into_iter()
        .flatten()
        .next()
    };
    let id = trip.id;
    let for_edit = trip.clone();
    view! {
        <div class="page-head">
            <h1 id="trip-title">{trip.purpose.clone()}</h1>
            <span class=format!("status status-{}", trip.status) id="trip-status">{label_of("trip.status", &trip.status)}</span>
        </div>
        <section class="card">
            <p>
                {label_of("trip.kind", &trip.kind)} " · " {crate::domain::trip::days_text(&trip.start_on, &trip.end_on)}
                {(!trip.destination_name.is_empty()).then(|| view! { " · " {trip.destination_name.clone()} })}
                {trip.team_name.clone().map(|n| view! { " · " {n} })}
            </p>
            <p>{t("trips.members")} ": " {crate::i18n::listed(&trip.members.iter().map(|m| m.1.clone()).collect::<Vec<_>>())}</p>
            <AwayNotes notes=d.away.clone()/>
            {move || conflict().map(|e| view! { <ErrorBanner error=e/> })}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    // Only the messages a post here leaves.
                    a.trip_said.await.filter(|k| ["trips.saved", "trips.saved_told", "trips.published"].contains(&k.as_str())).map(|k| view! {
                        <p class="ok-banner" role="status" id="trip-said">{t(&k).to_string()}</p>
                    })
                })}
            </Suspense>
            {editable.then(|| view! {
                <div class="actions">
                    {(d.can_decide && status == TripStatus::Draft).then(|| view! {
                        <ActionForm action=a.publish>
                            <input type="hidden" name="id" value=id/>
                            <button type="submit" class="primary" id="trip-publish">{t("trips.publish")}</button>
                        </ActionForm>
                    })}
                    // A draft is published (or cancelled) before it is under way and can end.
                    {(status == TripStatus::Planned).then(|| view! {
                        <ActionForm action=a.close>
                            <input type="hidden" name="id" value=id/>
                            <button type="submit" id="trip-close">{t("trips.close")}</button>
                        </ActionForm>
                    })}
                    {d.can_decide.then(|| view! {
                        <Confirm question=t("trips.cancel.confirm").to_string()>
                            <ActionForm action=a.cancel>
                                <input type="hidden" name="id" value=id/>
                                <button type="submit" class="danger" id="trip-cancel">{t("trips.cancel")}</button>
                            </ActionForm>
                        </Confirm>
                    })}
                </div>
                <FieldErrorText errors=close_errors field="close"/>
                {(status == TripStatus::Draft && !d.can_decide).then(|| view! { <p class="muted" id="trip-publish-by">{t("trips.publish_by")}</p> })}
                {(status == TripStatus::Planned && !d.blocking_close.is_empty()).then(|| view! { <p class="muted">{t("trips.close_hint")}</p> })}
                {d.choices.clone().map(|choices| view! {
                    <Suspense fallback=|| ()>
                        {
                            let trip = for_edit.clone();
                            move || {
                                let (trip, choices) = (trip.clone(), choices.clone());
                                Suspend::new(async move {
                                    // Back from a refused change of this trip: what was typed, kept.
                                    let typed = a.trip_edit_draft.await.filter(|(of, _)| *of == trip.id).map(|(_, f)| f);
                                    view! { <TripEdit trip=trip choices=choices update=a.update_trip typed=typed/> }
                                })
                            }
                        }
                    </Suspense>
                })}
            })}
        </section>
        <section class="card" id="visits">
            <h2>{t("visits.title")}</h2>
            {d.visits.is_empty().then(|| view! { <p class="muted">{t("visits.none")}</p> })}
            {
                let visits = StoredValue::new(d.visits.clone());
                let trip = StoredValue::new(d.trip.clone());
                view! {
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            let added = a.visit_added.await;
                            let saved = a.visit_saved.await;
                            let edited = a.visit_edit_draft.await;
                            visits
                                .get_value()
                                .into_iter()
                                .map(|v| {
                                    let said = match v.id {
                                        id if added == Some(id) => Some(("visit-added", "visits.added")),
                                        id if saved == Some(id) => Some(("visit-saved", "visits.saved")),
                                        _ => None,
                                    };
                                    let typed = edited.clone().filter(|(of, _)| *of == v.id).map(|(_, f)| f);
                                    view! { <Visit v=v trip=trip.get_value() a=a editable=editable said=said typed=typed/> }
                                })
                                .collect_view()
                        })}
                    </Suspense>
                }
            }
        </section>
        {editable.then(|| view! { <AddVisitForm d=d.clone() a=a/> })}
    }
}

#[component]
fn Visit(
    v: VisitView,
    trip: TripRow,
    a: Actions,
    editable: bool,
    /// A plain post just added or changed it: the message's id and key (the page lands at it).
    said: Option<(&'static str, &'static str)>,
    /// What a refused plain post of this visit's change left.
    typed: Option<VisitForm>,
) -> impl IntoView {
    let planned = v.status == "planned";
    let published = trip.status == TripStatus::Planned.code();
    let vid = v.id;
    let report_errors = Signal::derive(move || {
        // Only this visit's form shows the errors of its last submission.
        let mine = a.report.input().get().map(|i| i.visit_id == vid).unwrap_or(true);
        if mine {
            action_field_errors(a.report).get()
        } else {
            Vec::new()
        }
    });
    let missed_errors = action_field_errors(a.missed);
    let edit = (editable && planned).then(|| {
        let (v, trip) = (v.clone(), trip.clone());
        view! { <VisitEdit v=v trip=trip update=a.update_visit remove=a.remove_visit typed=typed/> }
    });
    view! {
        <article class=format!("visit visit-{}", v.status) data-visit=v.id id=format!("visit-{}", v.id)>
            {said.map(|(id, key)| view! { <p class="ok-banner" role="status" id=id>{t(key)}</p> })}
            <h3>
                <span class="when">{v.date.clone()} " " {v.start.clone()} "–" {v.end.clone()}</span> " "
                <a href=format!("/leads/{}", v.lead_id)>{v.company_name.clone()}</a> " "
                <span class=format!("status status-{}", v.status)>{label_of("visit.status", &v.status)}</span>
            </h3>
            // Place, contact and who goes, each when known (a missed visit has nobody booked).
            <p class="muted">
                {[v.place.clone(), v.contact.clone(), crate::i18n::enumerate(crate::i18n::use_locale(), &v.attendees.iter().map(|p| p.1.clone()).collect::<Vec<_>>())]
                    .into_iter()
                    .filter(|part| !part.is_empty())
                    .collect::<Vec<_>>()
                    .join(" · ")}
            </p>
            {(v.status == "done").then(|| view! {
                <p class="report">
                    <strong>{v.intention.clone().map(|i| label_of("intention", &i)).unwrap_or_default()}</strong> " " {v.learned.clone()}
                </p>
                {(!v.next_step.is_empty()).then(|| view! { <p>{t("activity.next_step")} ": " {v.next_step.clone()} {v.next_due.clone().map(|d| view! { " (" {d} ")" })}</p> })}
            })}
            {(v.status == "missed").then(|| view! { <p class="report">{t("visits.missed_reason")} ": " {v.missed_reason.clone()}</p> })}
            {edit}
            {(editable && planned).then(|| view! {
                <details class="report-form" open=was_refused(a.report)>
                    <summary class="report-open">{t("visits.report")}</summary>
                    <ActionForm action=a.report>
                        <input type="hidden" name="visit_id" value=vid/>
                        <label>{t("visits.learned")}<textarea name="form[learned]" rows="3" class="report-learned" required></textarea></label>
                        <FieldErrorText errors=report_errors field="learned"/>
                        <div class="filters">
                            <label>{t("visits.intention")}
                                <select name="form[intention]" class="report-intention" required>
                                    <option value="">{t("common.choose")}</option>
                                    {Intention::ALL.iter().map(|i| view! { <option value=i.code()>{label_of("intention", i.code())}</option> }).collect_view()}
                                </select>
                            </label>
                            <label>{t("activity.next_step")}<input name="form[next_step]"/></label>
                            <label>{t("activity.next_due")}<input type="date" name="form[next_due]"/></label>
                            <label>{t("visits.move_to")}
                                <select name="form[move_to]">
                                    <option value="">{t("visits.move_none")}</option>
                                    {Stage::ALL.iter().filter(|s| s.code() != v.lead_stage).map(|s| view! { <option value=s.code()>{label_of("stage", s.code())}</option> }).collect_view()}
                                </select>
                            </label>
                        </div>
                        {["intention", "next_step", "next_due", "move_to"].into_iter().map(|f| view! { <FieldErrorText errors=report_errors field=f/> }).collect_view()}
                        <label>{t("visits.move_comment")}<input name="form[move_comment]"/></label>
                        <FieldErrorText errors=report_errors field="move_comment"/>
                        <button type="submit" class="primary">{t("visits.report_save")}</button>
                    </ActionForm>
                </details>
                // A draft's visit that will not happen is removed (`VisitEdit`'s 删除) instead.
                {published.then(|| view! {
                    <details open=was_refused(a.missed)>
                        <summary>{t("visits.mark_missed")}</summary>
                        <ActionForm action=a.missed>
                            <input type="hidden" name="visit_id" value=vid/>
                            <label>{t("visits.missed_reason")}<input name="reason"/></label>
                            <FieldErrorText errors=missed_errors field="reason"/>
                            <button type="submit">{t("visits.mark_missed")}</button>
                        </ActionForm>
                    </details>
                })}
            })}
        </article>
    }
}

#[component]
fn AddVisitForm(d: TripDetail, a: Actions) -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let d = d.clone();
                Suspend::new(async move {
                    // Back from a refused plain post: what was typed for this trip, kept.
                    let typed = a.visit_draft.await.filter(|(trip, _)| *trip == d.trip.id).map(|(_, f)| f);
                    view! { <VisitFields d=d a=a typed=typed/> }
                })
            }}
        </Suspense>
    }
}

#[component]
fn VisitFields(d: TripDetail, a: Actions, typed: Option<VisitForm>) -> impl IntoView {
    let errors: Signal<Vec<FieldError>> = action_field_errors(a.add);
    let trip = d.trip;
    // Back from a refusal: said at the form's top, the form's first field focused (a browser
    // scrolls it into view; the messages stand under their fields below it).
    let refused = typed.is_some();
    let f = typed.clone().unwrap_or_else(|| VisitForm { date: trip.start_on.clone(), ..Default::default() });
    view! {
        <section class="card" id="add-visit">
            <h2>{t("visits.add")}</h2>
            {refused.then(|| view! { <p class="field-error" id="visit-refused" role="alert">{t("err.invalid")}</p> })}
            <ActionForm action=a.add>
                <input type="hidden" name="trip_id" value=trip.id/>
                <label>{t("visits.lead")}
                    <input name="form[lead]" list="visit-leads" id="visit-lead" placeholder=t("visits.lead.hint") value=f.lead.clone() autofocus=focus_field(errors, refused, "lead")("lead")/>
                </label>
                <datalist id="visit-leads">
                    {d.lead_choices.iter().map(|(id, name, region)| view! { <option value=format!("#{id} {name}")>{region.clone()}</option> }).collect_view()}
                </datalist>
                <FieldErrorText errors=errors field="lead"/>
                <VisitInputs prefix="visit".to_string() f=f members=trip.members.clone() from=trip.start_on.clone()
                    to=trip.end_on.clone() errors=errors refused=refused new=true/>
                <button type="submit" class="primary" id="visit-add">{t("visits.add")}</button>
            </ActionForm>
        </section>
    }
}

/// The trip's members also on another open trip those days (`AwayNote`), each with a link to
/// that trip when the reader may open it; nothing when there are none.
#[component]
fn AwayNotes(notes: Vec<AwayNote>) -> impl IntoView {
    let locale = use_locale();
    (!notes.is_empty()).then(|| {
        view! {
            <ul class="warning away-notes" id="trip-away">
                {notes.into_iter().map(|n| {
                    let mut args = vec![("who".to_string(), n.who), ("from".to_string(), n.start_on), ("to".to_string(), n.end_on)];
                    let (text, link) = match n.trip {
                        Some((id, purpose)) => {
                            args.push(("purpose".to_string(), purpose));
                            (tr_args(locale, "trips.member_away", &args), Some(format!("/trips/{id}")))
                        }
                        None => (tr_args(locale, "trips.member_away_busy", &args), None),
                    };
                    view! { <li>{text} {link.map(|href| view! { " " <a href=href>{t("common.open")}</a> })}</li> }
                }).collect_view()}
            </ul>
        }
    })
}
