use crate::i18n::{t, tr_args, use_locale};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `GET /login`. The form posts to `/login` (a plain handler, works without JavaScript); errors
/// come back as `?error=invalid|throttled|expired&wait=N&u=NAME`.
#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let locale = use_locale();
    let q = query.get_untracked();
    let username = q.get("u").unwrap_or_default();
    let next = q.get("next").filter(|n| n.starts_with('/') && !n.starts_with("//")).unwrap_or_default();
    let message = match q.get("error").as_deref() {
        Some("invalid") => Some(t("login.error.invalid").to_string()),
        Some("throttled") => Some(tr_args(
            locale,
            "login.error.throttled",
            &[("minutes".into(), q.get("wait").unwrap_or_else(|| "15".into()))],
        )),
        Some("expired") => Some(t("login.error.expired").to_string()),
        _ => None,
    };
    view! {
        <section class="login card">
            <h1>{t("login.title")}</h1>
            <p class="muted">{t("login.subtitle")}</p>
            {message.map(|m| view! { <div class="error-banner" role="alert" id="login-error">{m}</div> })}
            <form method="post" action="/login">
                <input type="hidden" name="next" value=next/>
                <label>
                    {t("login.username")}
                    <input name="username" id="username" autocomplete="username" required value=username/>
                </label>
                <label>
                    {t("login.password")}
                    <input name="password" id="password" type="password" autocomplete="current-password" required/>
                </label>
                <button type="submit" class="primary" id="login-submit">{t("login.submit")}</button>
            </form>
        </section>
    }
}
