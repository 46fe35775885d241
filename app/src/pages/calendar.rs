//! `/calendar?view=week|month&date=&user=&team=` — trips and visits by day.

use crate::api::calendar::calendar;
use crate::components::loaded::LoadedOne;
use crate::components::options::label_of;
use crate::i18n::t;
use crate::wire::calendar::{CalendarEvent, CalendarPage, CalendarQuery};
use chrono::{Datelike, Duration, NaiveDate};
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CalendarRoute() -> impl IntoView {
    let query = use_query_map();
    let q = Memo::new(move |_| query.with(|m| CalendarQuery::from_pairs(|k| m.get_str(k))));
    let page = Resource::new(move || q.get(), calendar);
    view! {
        <h1>{t("calendar.title")}</h1>
        <LoadedOne resource=page content=move |p| view! { <Calendar p=p q=q.get_untracked()/> }/>
    }
}

fn link(q: &CalendarQuery, view: &str, date: &str) -> String {
    let mut s = format!("/calendar?view={view}&date={date}");
    if let Some(u) = q.user {
        s.push_str(&format!("&user={u}"));
    }
    if let Some(t) = q.team {
        s.push_str(&format!("&team={t}"));
    }
    s
}

fn parse(d: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()
}

#[component]
fn Calendar(p: CalendarPage, q: CalendarQuery) -> impl IntoView {
    let (Some(first), Some(last)) = (parse(&p.first), parse(&p.last)) else {
        return ().into_any();
    };
    let anchor = q.date.clone().unwrap_or_else(|| p.today.clone());
    let month = parse(&anchor).map(|d| d.month()).unwrap_or(first.month());
    let days: Vec<NaiveDate> = (0..=(last - first).num_days()).map(|i| first + Duration::days(i)).collect();
    let other_view = if p.view == "week" { "month" } else { "week" };
    let (view_code, people, teams, events, today) =
        (p.view.clone(), p.people.clone(), p.teams.clone(), p.events.clone(), p.today.clone());
    let is_month = p.view == "month";
    let weekdays = [
        "calendar.mon",
        "calendar.tue",
        "calendar.wed",
        "calendar.thu",
        "calendar.fri",
        "calendar.sat",
        "calendar.sun",
    ];
    view! {
        <div class="page-head calendar-nav">
            <a class="button" href=link(&q, &p.view, &p.prev) id="cal-prev">"‹ " {t("calendar.prev")}</a>
            <strong>{p.first.clone()} " – " {p.last.clone()}</strong>
            <a class="button" href=link(&q, &p.view, &p.next) id="cal-next">{t("calendar.next")} " ›"</a>
            <a class="button" href=link(&q, &p.view, &p.today)>{t("calendar.today")}</a>
            <a class="button" href=link(&q, other_view, &anchor) id="cal-switch">{t(&format!("calendar.view.{other_view}"))}</a>
        </div>
        <Form method="GET" action="/calendar">
            <div class="filters">
                <input type="hidden" name="view" value=view_code.clone()/>
                <input type="hidden" name="date" value=anchor.clone()/>
                <select name="user" id="cal-user">
                    <option value="">{t("calendar.everyone")}</option>
                    {people.iter().map(|(id, name)| view! { <option value=*id selected=q.user == Some(*id)>{name.clone()}</option> }).collect_view()}
                </select>
                <select name="team" id="cal-team">
                    <option value="">{t("calendar.all_teams")}</option>
                    {teams.iter().map(|(id, name)| view! { <option value=*id selected=q.team == Some(*id)>{name.clone()}</option> }).collect_view()}
                </select>
                <button type="submit">{t("leads.list.filter.apply")}</button>
            </div>
        </Form>
        <div class=format!("calendar calendar-{}", p.view) id="calendar">
            {weekdays.iter().map(|k| view! { <div class="cal-head">{t(k)}</div> }).collect_view()}
            {days.into_iter().map(|d| {
                let iso = d.to_string();
                let events: Vec<CalendarEvent> = events.iter().filter(|e| e.start_date <= iso && e.end_date >= iso).cloned().collect();
                let outside = is_month && d.month() != month;
                // On a phone the head row is hidden and only today and days with something show:
                // each day names its weekday, and an empty today says so.
                let weekday = weekdays[d.weekday().num_days_from_monday() as usize];
                let empty = events.is_empty();
                view! {
                    <div class="cal-day" class:outside=outside class:today=iso == today data-date=iso.clone()>
                        <div class="cal-date"><span class="cal-weekday">{t(weekday)} " "</span>{d.day()}</div>
                        {events.into_iter().map(|e| view! { <Item e=e/> }).collect_view()}
                        {empty.then(|| view! { <p class="cal-none">{t("calendar.none")}</p> })}
                    </div>
                }
            }).collect_view()}
        </div>
    }
    .into_any()
}

#[component]
fn Item(e: CalendarEvent) -> impl IntoView {
    let href = format!("/trips/{}", e.trip_id);
    let title = format!("{} {}", e.place, crate::i18n::enumerate(crate::i18n::use_locale(), &e.people));
    match e.start_time.clone() {
        Some(start) => view! {
            <a class=format!("cal-item cal-visit status-{}", e.status) href=href title=title>
                <span class="cal-time">{start} "–" {e.end_time.clone().unwrap_or_default()}</span> " " {e.title.clone()}
            </a>
        }
        .into_any(),
        None => view! {
            <a class=format!("cal-item cal-trip status-{}", e.status) href=href title=title>
                {e.title.clone()} {(e.status == "draft").then(|| view! { " (" {label_of("trip.status", "draft")} ")" })}
            </a>
        }
        .into_any(),
    }
}
