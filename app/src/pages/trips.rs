//! `/trips` — 外出招商 and 客商来访: the list and the planning form.

use crate::api::flash::TRIP_DRAFT;
use crate::api::trips::{get_trip_choices, list_trips, CreateTrip};
use crate::components::errors::{action_field_errors, focus_field, FieldErrorText};
use crate::components::left::draft_under;
use crate::components::loaded::Loaded;
use crate::components::options::label_of;
use crate::domain::lead::FieldError;
use crate::domain::trip::{TripKind, TripStatus};
use crate::i18n::t;
use crate::wire::trips::{TripChoices, TripFilter, TripForm, TripRow};
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[component]
pub fn TripsPage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| query.with(|q| TripFilter::from_pairs(|k| q.get_str(k))));
    let list = Resource::new(move || filter.get(), list_trips);
    view! {
        <h1>{t("trips.title")}</h1>
        {move || {
            let f = filter.get();
            view! {
                <Form method="GET" action="/trips">
                    <div class="filters">
                        <select name="status">
                            <option value="">{t("trips.all_statuses")}</option>
                            {TripStatus::ALL.iter().map(|s| view! { <option value=s.code() selected=f.status.as_deref() == Some(s.code())>{label_of("trip.status", s.code())}</option> }).collect_view()}
                        </select>
                        <label class="inline-check"><input type="checkbox" name="mine" value="1" checked=f.mine/>{t("trips.mine")}</label>
                        <button type="submit">{t("leads.list.filter.apply")}</button>
                    </div>
                </Form>
            }
        }}
        <Loaded resource=list empty="trips.none" content={move |rows| view! { <TripTable rows=rows/> }}/>
        <NewTripForm/>
    }
}

#[component]
fn TripTable(rows: Vec<TripRow>) -> impl IntoView {
    view! {
        <table class="grid" id="trip-table">
            <thead><tr>
                <th>{t("trips.dates")}</th><th>{t("trips.purpose")}</th><th>{t("trips.kind")}</th><th>{t("trips.destination")}</th>
                <th>{t("trips.team")}</th><th>{t("trips.members")}</th><th class="num">{t("trips.visits")}</th><th>{t("trips.status")}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|r| view! {
                    <tr class="trip-row">
                        <td class="nowrap dates">{crate::domain::trip::days_text(&r.start_on, &r.end_on)}</td>
                        <td class="purpose"><a href=format!("/trips/{}", r.id)>{r.purpose.clone()}</a></td>
                        <td class="kind">{label_of("trip.kind", &r.kind)}</td>
                        <td class="dest">{r.destination_name.clone()}</td>
                        <td class="team">{r.team_name.clone().unwrap_or_else(|| "—".into())}</td>
                        <td class="members">{crate::i18n::listed(&r.members.iter().map(|m| m.1.clone()).collect::<Vec<_>>())}</td>
                        <td class="num visits" data-label=t("trips.visits")>{r.visits} {(r.visits_open > 0).then(|| view! { " (" {r.visits_open} " " {t("trips.open")} ")" })}</td>
                        <td class="status"><span class=format!("status status-{}", r.status)>{label_of("trip.status", &r.status)}</span></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn NewTripForm() -> impl IntoView {
    let create = ServerAction::<CreateTrip>::new();
    let errors: Signal<Vec<FieldError>> = action_field_errors(create);
    let choices = Resource::new(|| (), |_| get_trip_choices());
    let user = crate::components::user::use_user().0;
    // `?destination=苏州市` (the map's "plan a trip here") fills in the destination.
    let query = use_query_map();
    let destination = query.with_untracked(|q| q.get("destination").unwrap_or_default());
    // Back from a refused plain post: what was typed, kept.
    let draft = draft_under::<TripForm>(TRIP_DRAFT);
    view! {
        <Suspense fallback=|| ()>
            {move || {
            let destination = destination.clone();
            Suspend::new(async move {
                let me = user.await.ok().flatten();
                let choices = choices.await.ok();
                let typed = draft.await;
                // Back from a refusal: said at the form's top, its first field focused (scrolled to).
                let refused = typed.is_some();
                match (me, choices) {
                    (Some(me), Some(c)) if me.role.writes_leads() => {
                        // What was typed, else the user's first team and the user on it.
                        let f = typed.unwrap_or_else(|| TripForm {
                            destination,
                            team_id: c.my_teams.first().map(i64::to_string).unwrap_or_default(),
                            members: [(me.id.to_string(), me.id.to_string())].into(),
                            ..Default::default()
                        });
                        view! {
                        <section class="card" id="new-trip">
                            <h2>{t("trips.new")}</h2>
                            {refused.then(|| view! { <p class="field-error" id="trip-refused" role="alert">{t("err.invalid")}</p> })}
                            <ActionForm action=create>
                                <TripFields c=c f=f errors=errors refused=refused/>
                                <button type="submit" class="primary" id="trip-create">{t("trips.create")}</button>
                            </ActionForm>
                        </section>
                    }.into_any()
                    }
                    _ => ().into_any(),
                }
            })
            }}
        </Suspense>
    }
}

/// A trip's fields (`form[…]`), filled from `f` (its team and members chosen from `c`), each
/// field's message under it; `refused`: the first field takes the focus. The new-trip form and a
/// trip's edit form.
#[component]
pub fn TripFields(c: TripChoices, f: TripForm, errors: Signal<Vec<FieldError>>, refused: bool) -> impl IntoView {
    let focus = focus_field(errors, refused, "kind");
    let focus_members = focus("members");
    view! {
        <div class="filters">
            <label>{t("trips.kind")}
                <select name="form[kind]" id="trip-kind" autofocus=focus("kind")>
                    {TripKind::ALL.iter().map(|k| view! { <option value=k.code() selected=f.kind == k.code()>{label_of("trip.kind", k.code())}</option> }).collect_view()}
                </select>
                <FieldErrorText errors=errors field="kind"/>
            </label>
            <label>{t("trips.destination")}<input name="form[destination]" id="trip-destination" placeholder=t("trips.destination.hint") value=f.destination.clone() autofocus=focus("destination")/>
                <small class="muted">{t("trips.destination.note")}</small>
                <FieldErrorText errors=errors field="destination"/></label>
            <label>{t("trips.start_on")}<input type="date" name="form[start_on]" id="trip-start" value=f.start_on.clone() autofocus=focus("start_on")/>
                <FieldErrorText errors=errors field="start_on"/></label>
            <label>{t("trips.end_on")}<input type="date" name="form[end_on]" id="trip-end" value=f.end_on.clone() autofocus=focus("end_on")/>
                <FieldErrorText errors=errors field="end_on"/></label>
            <label>{t("trips.team")}
                <select name="form[team_id]" id="trip-team" autofocus=focus("team_id")>
                    <option value="">"—"</option>
                    {c.teams.iter().map(|(id, name)| view! { <option value=*id selected=f.team_id == id.to_string()>{name.clone()}</option> }).collect_view()}
                </select>
                <FieldErrorText errors=errors field="team_id"/>
            </label>
        </div>
        <label>{t("trips.purpose")}<input name="form[purpose]" id="trip-purpose" value=f.purpose.clone() autofocus=focus("purpose")/></label>
        <FieldErrorText errors=errors field="purpose"/>
        <fieldset>
            <legend>{t("trips.members")}</legend>
            {c.people.iter().enumerate().map(|(i, (id, name))| view! {
                <label class="inline-check">
                    <input type="checkbox" name=format!("form[members][{id}]") value=*id checked=f.members.contains_key(&id.to_string()) class="trip-member-check"
                        autofocus=focus_members && i == 0/>
                    {name.clone()}
                </label>
            }).collect_view()}
        </fieldset>
        <FieldErrorText errors=errors field="members"/>
    }
}
