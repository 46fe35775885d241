//! The company name and 统一社会信用代码 fields of the lead form, as an island: the code is checked
//! as it is typed (the same domain code the server runs), its registering authority's region is
//! looked up, and leads that may be the same company (查重) are listed. Without JavaScript these
//! are two plain inputs and the server says the same things after a save.

use crate::api::leads::{region_of_uscc, similar_leads};
use crate::components::island::{fill, mark_ready};
use crate::domain::uscc::{Uscc, UsccError};
use crate::i18n::{tr, Locale};
use crate::wire::leads::DuplicateHint;
use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};

/// The island's text, translated on the server (templates keep their `{n}` placeholders).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct UsccLabels {
    company_name: String,
    uscc: String,
    hint: String,
    valid: String,
    registered: String,
    from_uscc: String,
    unknown_division: String,
    err_length: String,
    err_char: String,
    err_check: String,
    dup_title: String,
    dup_same_uscc: String,
    dup_same_name: String,
    owner: String,
    unassigned: String,
    open: String,
}

impl UsccLabels {
    pub fn new(locale: Locale) -> UsccLabels {
        let t = |k: &str| tr(locale, k).to_string();
        UsccLabels {
            company_name: t("lead.company_name"),
            uscc: t("lead.uscc"),
            hint: t("lead.uscc.hint"),
            valid: t("lead.uscc.valid"),
            registered: t("lead.uscc.registered"),
            from_uscc: t("lead.region.from_uscc"),
            unknown_division: t("lead.region.unknown_division"),
            err_length: t("err.uscc.length"),
            err_char: t("err.uscc.char"),
            err_check: t("err.uscc.check"),
            dup_title: t("lead.duplicates.title"),
            dup_same_uscc: t("lead.duplicates.same_uscc"),
            dup_same_name: t("lead.duplicates.same_name"),
            owner: t("lead.owner"),
            unassigned: t("lead.unassigned"),
            open: t("common.open"),
        }
    }

    fn uscc_error(&self, e: &UsccError) -> String {
        match e {
            UsccError::Empty => String::new(),
            UsccError::Length(n) => fill(&self.err_length, &[("n", n.to_string())]),
            UsccError::BadChar { pos, ch } => fill(&self.err_char, &[("pos", pos.to_string()), ("ch", ch.to_string())]),
            UsccError::CheckChar { expected, actual } => {
                fill(&self.err_check, &[("expected", expected.to_string()), ("actual", actual.to_string())])
            }
        }
    }
}

/// The server's last answer for the two fields, translated: (message, link to the lead it
/// duplicates).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct UsccErrors {
    pub company_name: Option<String>,
    pub uscc: Option<(String, Option<String>)>,
}

/// `form[company_name]` and `form[uscc]` with their live checks. `lead_id` is the lead being
/// edited (not its own duplicate).
#[island]
pub fn UsccField(
    company_name: String,
    uscc: String,
    lead_id: Option<i64>,
    errors: UsccErrors,
    labels: UsccLabels,
) -> impl IntoView {
    let root = NodeRef::<Div>::new();
    mark_ready(root);
    let code = RwSignal::new(uscc.clone());
    let name = RwSignal::new(company_name.clone());
    let check = Memo::new(move |_| {
        let raw = code.get();
        (!raw.trim().is_empty()).then(|| Uscc::parse(&raw).map(|u| u.to_string()))
    });
    let valid = Memo::new(move |_| check.get().and_then(|r| r.ok()));
    // None: not asked yet; Some(None): a valid code of an unknown division.
    let region = RwSignal::new(None::<Option<String>>);
    let similar = RwSignal::new(Vec::<DuplicateHint>::new());

    // Answers can come back out of order as the user types: keep only the current one's.
    Effect::new(move |_| {
        region.set(None);
        if let Some(c) = valid.get() {
            spawn_local(async move {
                let found = region_of_uscc(c.clone()).await.ok().flatten().map(|r| r.names);
                if valid.get_untracked().as_deref() == Some(c.as_str()) {
                    region.set(Some(found));
                }
            });
        }
    });
    Effect::new(move |_| {
        let (n, u) = (name.get(), valid.get());
        if n.trim().is_empty() && u.is_none() {
            similar.set(Vec::new());
            return;
        }
        spawn_local(async move {
            let found = similar_leads(n.clone(), u.clone().unwrap_or_default(), lead_id).await.unwrap_or_default();
            if name.get_untracked() == n && valid.get_untracked() == u {
                similar.set(found);
            }
        });
    });

    let l = StoredValue::new(labels.clone());
    // The server's message about the code stands while the code is the one it refused; the live
    // check then says nothing more (it would repeat a checksum error), and takes over once the
    // code is edited.
    let refused = StoredValue::new(errors.uscc.is_some().then(|| uscc.clone()));
    let at_refused = move || refused.with_value(|r| r.as_deref() == Some(code.get().as_str()));
    // The 查重 found the code on another lead: the save would be refused.
    let registered = move || valid.get().is_some() && similar.with(|hints| hints.iter().any(|h| h.same_uscc));
    let status = move || match check.get() {
        Some(Err(_)) if at_refused() => ().into_any(),
        // Not a ✓ under a red box: the server's refusal says it, or the live check does.
        Some(Ok(_)) if registered() && at_refused() => ().into_any(),
        Some(Ok(_)) if registered() => view! {
            <p class="field-error" id="uscc-status" role="alert">{l.with_value(|l| l.registered.clone())}</p>
        }
        .into_any(),
        None => view! { <p class="hint" id="uscc-status">{l.with_value(|l| l.hint.clone())}</p> }.into_any(),
        Some(Err(e)) => view! {
            <p class="field-error" id="uscc-status" role="alert">{l.with_value(|l| l.uscc_error(&e))}</p>
        }
        .into_any(),
        Some(Ok(_)) => view! {
            <p class="ok" id="uscc-status">
                {l.with_value(|l| l.valid.clone())}
                {move || match region.get() {
                    None => ().into_any(),
                    Some(Some(names)) => view! {
                        " · " {l.with_value(|l| l.from_uscc.clone())} " " <strong id="uscc-region">{names}</strong>
                    }
                    .into_any(),
                    Some(None) => view! { " · " {l.with_value(|l| l.unknown_division.clone())} }.into_any(),
                }}
            </p>
        }
        .into_any(),
    };
    let duplicates = move || {
        let hints = similar.get();
        (!hints.is_empty()).then(|| {
            l.with_value(|l| {
                view! {
                    <div class="warning" id="duplicate-warning" role="status">
                        <strong>{l.dup_title.clone()}</strong>
                        <ul>
                            {hints.into_iter().map(|h| {
                                let owner = h.owner_name.unwrap_or_else(|| l.unassigned.clone());
                                let kind = if h.same_uscc { l.dup_same_uscc.clone() } else { l.dup_same_name.clone() };
                                view! {
                                    <li>
                                        {if h.readable {
                                            view! { <a href=format!("/leads/{}", h.id)>{h.company_name}</a> }.into_any()
                                        } else {
                                            view! { <span>{h.company_name}</span> }.into_any()
                                        }}
                                        " — " {kind} " · " {l.owner.clone()} ": " {owner}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </div>
                }
            })
        })
    };
    let UsccErrors { company_name: name_error, uscc: code_error } = errors;
    // The box itself says so (red, and to a screen reader) while the code is refused or does not
    // parse: the server's refusal of a well-formed code (already registered) stands under the
    // live check's ✓, and the box stayed grey. A code the 查重 finds registered is marked before
    // any save: the save would be refused.
    let server_refused = code_error.is_some();
    let invalid = move || (server_refused && at_refused()) || matches!(check.get(), Some(Err(_))) || registered();
    view! {
        <div class="uscc-field" node_ref=root data-island="uscc">
            {duplicates}
            <label>
                {labels.company_name.clone()} <span class="req">"*"</span>
                <input name="form[company_name]" id="company_name" value=company_name
                    on:change=move |ev| name.set(event_target_value(&ev))/>
            </label>
            {name_error.map(|e| view! { <p class="field-error" id="err-company_name" role="alert">{e}</p> })}
            <label>
                {labels.uscc.clone()}
                <input name="form[uscc]" id="uscc" value=uscc maxlength="30" autocomplete="off"
                    aria-invalid=move || if invalid() { "true" } else { "false" }
                    on:input=move |ev| code.set(event_target_value(&ev))/>
            </label>
            {status}
            {move || code_error.clone().filter(|_| at_refused()).map(|(e, link)| view! {
                <p class="field-error" id="err-uscc" role="alert">
                    {e}
                    {link.map(|href| view! { " " <a href=href>{l.with_value(|l| l.open.clone())}</a> })}
                </p>
            })}
        </div>
    }
}
