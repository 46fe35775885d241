//! `/trips/{id}`'s change forms: the trip's own (kind, destination, days, team, purpose,
//! members) and a planned visit's (company, day, times, place, contact, who goes), each folded
//! until opened; a refused plain post opens it again with what was typed.

use crate::api::trips::{RemoveVisit, UpdateTrip, UpdateVisit};
use crate::components::confirm::Confirm;
use crate::components::errors::{action_field_errors, focus_field, was_refused, FieldErrorText};
use crate::domain::lead::FieldError;
use crate::i18n::t;
use crate::pages::trips::TripFields;
use crate::wire::trips::{TripChoices, TripForm, TripRow, VisitForm, VisitView};
use leptos::prelude::*;

/// `trip` as its form holds it (the destination by its name, which the form reads back).
fn form_of(trip: &TripRow) -> TripForm {
    TripForm {
        kind: trip.kind.clone(),
        purpose: trip.purpose.clone(),
        destination: trip.destination_name.clone(),
        start_on: trip.start_on.clone(),
        end_on: trip.end_on.clone(),
        team_id: trip.team_id.map(|id| id.to_string()).unwrap_or_default(),
        members: trip.members.iter().map(|(id, _)| (id.to_string(), id.to_string())).collect(),
    }
}

/// 修改行程: the trip's form at its version, its team and members chosen from `choices`;
/// `typed`: what a refused plain post left.
#[component]
pub fn TripEdit(
    trip: TripRow,
    choices: TripChoices,
    update: ServerAction<UpdateTrip>,
    typed: Option<TripForm>,
) -> impl IntoView {
    let errors: Signal<Vec<FieldError>> = action_field_errors(update);
    let refused = typed.is_some();
    let conflict = move || update.value().get().and_then(|r| r.err()).filter(|e| e.field_errors().is_empty());
    let f = typed.unwrap_or_else(|| form_of(&trip));
    let (id, version) = (trip.id, trip.version);
    view! {
        // Open again after a refusal: what was typed, or (stale) the trip as it now stands.
        <details class="trip-edit" id="trip-edit" open=refused || was_refused(update)>
            <summary id="trip-edit-open">{t("trips.edit")}</summary>
            {move || conflict().map(|e| view! { <crate::components::errors::ErrorBanner error=e/> })}
            <p class="muted">{t("trips.edit.hint")}</p>
            <ActionForm action=update>
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="version" value=version/>
                <TripFields c=choices f=f errors=errors refused=refused/>
                <button type="submit" class="primary" id="trip-save">{t("trips.save")}</button>
            </ActionForm>
        </details>
    }
}

/// A visit's fields (`form[…]`), filled from `f`, for a trip of `members` from `from` to `to`
/// (`YYYY-MM-DD`); ids begin with `prefix` (`visit` for the new visit's form, `visit-7` for
/// visit 7's); `refused`: the first refused field takes the focus.
#[component]
pub fn VisitInputs(
    prefix: String,
    f: VisitForm,
    members: Vec<(i64, String)>,
    from: String,
    to: String,
    errors: Signal<Vec<FieldError>>,
    refused: bool,
    /// The new visit's form: its company field comes before these (focused when a refusal names
    /// none of them), and a fresh one ticks every member.
    new: bool,
) -> impl IntoView {
    let id = move |field: &str| format!("{prefix}-{field}");
    let focus = focus_field(errors, refused, if new { "lead" } else { "date" });
    let all_by_default = new && !refused;
    let focus_attendees = focus("attendees");
    view! {
        // Each field's message under it (on a phone the row is a column).
        <div class="filters">
            <label>{t("visits.date")}<input type="date" name="form[date]" id=id("date") value=f.date.clone() min=from max=to autofocus=focus("date")/>
                <FieldErrorText errors=errors field="date"/></label>
            <label>{t("visits.start")}<input type="time" name="form[start]" id=id("start") value=f.start.clone() autofocus=focus("start")/>
                <FieldErrorText errors=errors field="start"/></label>
            <label>{t("visits.end")}<input type="time" name="form[end]" id=id("end") value=f.end.clone() autofocus=focus("end")/>
                <FieldErrorText errors=errors field="end"/></label>
            <label>{t("visits.place")}<input name="form[place]" id=id("place") value=f.place.clone() autofocus=focus("place")/>
                <FieldErrorText errors=errors field="place"/></label>
            <label>{t("visits.contact")}<input name="form[contact]" id=id("contact") value=f.contact.clone() autofocus=focus("contact")/>
                <FieldErrorText errors=errors field="contact"/></label>
        </div>
        <fieldset>
            <legend>{t("visits.attendees")}</legend>
            {members.into_iter().enumerate().map(|(i, (uid, name))| {
                let checked = f.attendees.contains_key(&uid.to_string()) || (all_by_default && f.attendees.is_empty());
                view! {
                    <label class="inline-check">
                        <input type="checkbox" name=format!("form[attendees][{uid}]") value=uid checked=checked autofocus=focus_attendees && i == 0/>
                        {name}
                    </label>
                }
            }).collect_view()}
        </fieldset>
        <FieldErrorText errors=errors field="attendees"/>
    }
}

/// `v` as its form holds it.
fn visit_form_of(v: &VisitView) -> VisitForm {
    VisitForm {
        lead: format!("#{} {}", v.lead_id, v.company_name),
        date: v.date.clone(),
        start: v.start.clone(),
        end: v.end.clone(),
        place: v.place.clone(),
        contact: v.contact.clone(),
        attendees: v.attendees.iter().map(|(id, _)| (id.to_string(), id.to_string())).collect(),
    }
}

/// 修改 a planned visit of `trip` and, on a draft trip, 删除 it; `typed`: what a refused plain
/// post of this visit's change left.
#[component]
pub fn VisitEdit(
    v: VisitView,
    trip: TripRow,
    update: ServerAction<UpdateVisit>,
    remove: ServerAction<RemoveVisit>,
    typed: Option<VisitForm>,
) -> impl IntoView {
    let vid = v.id;
    let refused = typed.is_some();
    // Only this visit's form shows its refusal: the last post's input says whose it was (after a
    // plain post, the kept draft does).
    let errors = Signal::derive(move || match update.input().get() {
        Some(i) if i.visit_id != vid => Vec::new(),
        None if !refused => Vec::new(),
        _ => action_field_errors(update).get(),
    });
    let f = typed.unwrap_or_else(|| visit_form_of(&v));
    let draft = trip.status == "draft";
    view! {
        <details class="visit-edit" open=refused>
            <summary class="visit-edit-open">{t("visits.edit")}</summary>
            <ActionForm action=update>
                <input type="hidden" name="visit_id" value=vid/>
                <input type="hidden" name="form[lead]" value=f.lead.clone()/>
                <VisitInputs prefix=format!("visit-{vid}") f=f members=trip.members.clone() from=trip.start_on.clone()
                    to=trip.end_on.clone() errors=errors refused=refused new=false/>
                <FieldErrorText errors=errors field="lead"/>
                <button type="submit" class="primary visit-save">{t("visits.save")}</button>
            </ActionForm>
        </details>
        {draft.then(|| view! {
            <Confirm question=t("visits.remove.confirm").to_string()>
                <ActionForm action=remove>
                    <input type="hidden" name="visit_id" value=vid/>
                    <button type="submit" class="danger visit-remove">{t("visits.remove")}</button>
                </ActionForm>
            </Confirm>
        })}
    }
}
