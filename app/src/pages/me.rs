//! `/me` — my settings: where my mail goes, and my private calendar subscription (iCal).

use crate::api::calendar::{get_my_settings, NewCalendarFeed, RevokeCalendarFeed, SetMyEmail};
use crate::api::tokens::{my_tokens, CreateToken, RevokeToken};
use crate::api::users::ChangePassword as ChangePasswordAction;
use crate::components::errors::{action_field_errors, FieldErrorText};
use crate::components::left::{left_by, Left, LeftBy};
use crate::components::loaded::LoadedOne;
use crate::i18n::t;
use leptos::prelude::*;

#[component]
pub fn MePage() -> impl IntoView {
    let email = ServerAction::<SetMyEmail>::new();
    let feed = ServerAction::<NewCalendarFeed>::new();
    let revoke = ServerAction::<RevokeCalendarFeed>::new();
    let settings = Resource::new(
        move || (email.version().get(), feed.version().get(), revoke.version().get()),
        |_| get_my_settings(),
    );
    let errors = action_field_errors(email);
    let email_saved = left_by::<SetMyEmail>();
    let new_feed = left_by::<NewCalendarFeed>();
    view! {
        <h1>{t("me.title")}</h1>
        <LoadedOne resource=settings content=move |s| view! {
            <section class="card">
                <h2>{t("me.email")}</h2>
                <ActionForm action=email>
                    <label>{t("me.email")}<input type="email" name="email" id="me-email" value=s.email.clone()/></label>
                    <FieldErrorText errors=errors field="email"/>
                    <button type="submit">{t("common.save")}</button>
                    <Left left=email_saved view=|_| view! { " " <span class="notice" id="email-saved">{t("common.saved")}</span> }/>
                </ActionForm>
            </section>
            <section class="card" id="ical">
                <h2>{t("me.ical")}</h2>
                <p class="muted">{t("me.ical.intro")}</p>
                {match s.feed_since.clone() {
                    Some(since) => view! { <p id="feed-active">{t("me.ical.active")} " " {since}</p> }.into_any(),
                    None => view! { <p id="feed-none">{t("me.ical.none")}</p> }.into_any(),
                }}
                <Left left=new_feed view=|u: String| view! { <p>{t("me.ical.copy")}</p><input readonly id="feed-url" value=u size="80"/> }/>
                <div class="actions">
                    <ActionForm action=feed>
                        <button type="submit" id="feed-new">{t("me.ical.new")}</button>
                    </ActionForm>
                    {s.feed_since.is_some().then(|| view! {
                        <ActionForm action=revoke>
                            <button type="submit" class="danger" id="feed-revoke">{t("me.ical.revoke")}</button>
                        </ActionForm>
                    })}
                </div>
            </section>
        }/>
        <ChangePassword/>
        <ApiTokens/>
    }
}

/// 修改密码: current + new + confirm; the user's other sessions end.
#[component]
fn ChangePassword() -> impl IntoView {
    let change = ServerAction::<ChangePasswordAction>::new();
    let errors = action_field_errors(change);
    view! {
        <section class="card" id="password">
            <h2>{t("me.password")}</h2>
            <p class="muted">{t("me.password.intro")}</p>
            <ActionForm action=change>
                <label>{t("me.password.current")}<input type="password" name="current" id="pw-current" autocomplete="current-password"/></label>
                <FieldErrorText errors=errors field="current"/>
                <label>{t("me.password.new")}<input type="password" name="new" id="pw-new" autocomplete="new-password"/></label>
                <FieldErrorText errors=errors field="new"/>
                <label>{t("me.password.confirm")}<input type="password" name="confirm" id="pw-confirm" autocomplete="new-password"/></label>
                <FieldErrorText errors=errors field="confirm"/>
                <button type="submit" id="pw-save">{t("me.password.save")}</button>
                <LeftBy action=change view=|_| view! { " " <span class="notice" id="pw-done">{t("me.password.done")}</span> }/>
            </ActionForm>
        </section>
    }
}

/// Personal API tokens for `/api/v1` (shown once when created).
#[component]
fn ApiTokens() -> impl IntoView {
    let create = ServerAction::<CreateToken>::new();
    let revoke = ServerAction::<RevokeToken>::new();
    let list = Resource::new(move || (create.version().get(), revoke.version().get()), |_| my_tokens());
    let errors = action_field_errors(create);
    view! {
        <section class="card" id="api-tokens">
            <h2>{t("me.tokens")}</h2>
            <p class="muted">{t("me.tokens.intro")} " " <a href="/api/v1/openapi.json">"OpenAPI"</a></p>
            <LeftBy action=create view=|tok: String| view! { <p>{t("me.tokens.copy")}</p><input readonly id="new-token" value=tok size="60"/> }/>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let rows = list.await.unwrap_or_default();
                    view! {
                        <ul>
                            {rows.into_iter().map(|r| view! {
                                <li>
                                    <strong>{r.name}</strong> " · " {r.created_at}
                                    {r.last_used_at.map(|u| view! { " · " {t("me.tokens.used")} " " {u} })}
                                    {r.expires_at.map(|u| {
                                        let key = if r.expired { "me.tokens.expired" } else { "me.tokens.expires" };
                                        view! { " · " {t(key)} " " {u} }
                                    })}
                                    <ActionForm action=revoke attr:class="inline">
                                        <input type="hidden" name="id" value=r.id/>
                                        <button type="submit" class="link small">{t("me.ical.revoke")}</button>
                                    </ActionForm>
                                </li>
                            }).collect_view()}
                        </ul>
                    }
                })}
            </Transition>
            <ActionForm action=create>
                <label>{t("me.tokens.name")}<input name="name" id="token-name"/></label>
                <FieldErrorText errors=errors field="name"/>
                <label>{t("me.tokens.days")}
                    <select name="days" id="token-days">
                        <option value="30">{t("me.tokens.days.30")}</option>
                        <option value="90">{t("me.tokens.days.90")}</option>
                        <option value="365">{t("me.tokens.days.365")}</option>
                        <option value="">{t("me.tokens.days.never")}</option>
                    </select>
                </label>
                <FieldErrorText errors=errors field="days"/>
                <button type="submit" id="token-create">{t("me.tokens.create")}</button>
            </ActionForm>
        </section>
    }
}
