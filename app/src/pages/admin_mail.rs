//! `/admin/mail` — the outgoing mail queue: counts by status, recent messages, failures and
//! their errors, retry.

use crate::api::mail::{mail_queue, RetryMail};
use crate::components::loaded::LoadedOne;
use crate::components::options::label_of;
use crate::i18n::t;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AdminMailPage() -> impl IntoView {
    let query = use_query_map();
    let status = Memo::new(move |_| query.with(|q| q.get("status").unwrap_or_default()));
    let retry = ServerAction::<RetryMail>::new();
    let queue = Resource::new(move || (status.get(), retry.version().get()), |(s, _)| mail_queue(s));
    view! {
        <h1>{t("mail.admin.title")}</h1>
        <LoadedOne resource=queue content=move |q| view! {
            <p>{t("mail.admin.transport")} ": " <code>{q.transport.clone()}</code></p>
            <p class="filters">
                <a href="/admin/mail" class="button">{t("mail.admin.all")}</a>
                {q.counts.iter().map(|(s, n)| view! {
                    <a href=format!("/admin/mail?status={s}") class="button">{label_of("mail.status", s)} " " <strong>{*n}</strong></a>
                }).collect_view()}
            </p>
            <table class="grid" id="mail-queue">
                <thead><tr>
                    <th>{t("mail.admin.created")}</th><th>{t("mail.admin.to")}</th><th>{t("mail.admin.subject")}</th>
                    <th>{t("mail.admin.status")}</th><th class="num">{t("mail.admin.attempts")}</th><th>{t("mail.admin.error")}</th><th></th>
                </tr></thead>
                <tbody>
                    {q.rows.into_iter().map(|m| view! {
                        <tr>
                            <td>{m.created_at.clone()}</td>
                            <td>{m.to_addr.clone()}</td>
                            <td>{m.subject.clone()}</td>
                            <td>{label_of("mail.status", &m.status)}
                                {(m.status == "queued").then(|| view! { <br/><small class="muted">{t("mail.admin.next")} " " {m.next_attempt_at.clone()}</small> })}
                            </td>
                            <td class="num">{m.attempts}</td>
                            <td><small>{m.last_error.clone().unwrap_or_default()}</small></td>
                            <td>{(m.status == "failed").then(|| view! {
                                <ActionForm action=retry>
                                    <input type="hidden" name="id" value=m.id/>
                                    <button type="submit" class="small">{t("mail.admin.retry")}</button>
                                </ActionForm>
                            })}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        }/>
    }
}
