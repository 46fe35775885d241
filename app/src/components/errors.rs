use crate::domain::lead::FieldError;
use crate::error::AppError;
use crate::i18n::{t, tr_args, use_locale, Locale};
use leptos::prelude::*;

/// One field's errors, translated, right under the field (several, as "王芳 …；孙丽 …", when more
/// than one thing is wrong with it, such as two people each booked elsewhere). A duplicate USCC
/// links the lead.
#[component]
pub fn FieldErrorText(errors: Signal<Vec<FieldError>>, #[prop(into)] field: String) -> impl IntoView {
    let locale = use_locale();
    let field_for_id = field.replace('.', "-");
    move || {
        let errors = errors.get();
        let mine: Vec<&FieldError> = errors.iter().filter(|e| e.field == field).collect();
        let first = mine.first()?;
        let text: Vec<String> = mine.iter().map(|e| tr_args(locale, &e.key, &e.args)).collect();
        let link = (first.key == "err.uscc.duplicate")
            .then(|| first.args.iter().find(|(k, _)| k == "id").map(|(_, id)| format!("/leads/{id}")))
            .flatten();
        Some(view! {
            <span class="field-error" id=format!("err-{field_for_id}") role="alert">
                {text.join(list_separator(locale))}
                {link.map(|href| view! { " " <a href=href>{t("common.open")}</a> })}
            </span>
        })
    }
}

/// Between messages said together.
fn list_separator(locale: Locale) -> &'static str {
    match locale {
        Locale::ZhCn => "；",
        Locale::En => "; ",
    }
}

/// A whole-page or whole-form error.
#[component]
pub fn ErrorBanner(error: AppError) -> impl IntoView {
    let reference = match &error {
        AppError::Internal { reference } => Some(reference.clone()),
        _ => None,
    };
    // A conflict carries its own, more precise message.
    let text = match &error {
        AppError::Conflict(key) => t(key).to_string(),
        other => t(other.message_key()).to_string(),
    };
    view! {
        <div class="error-banner" role="alert">
            {text}
            {reference.map(|r| view! { " (" {t("err.reference")} " " <code>{r}</code> ")" })}
        </div>
    }
}

/// A page's data refused (`Loaded`, `LoadedOne`): a refusal about its address's values (a report's
/// `?month=garbage`) says each one's own message, since no form shows them at a field; any
/// other error as [`ErrorBanner`].
#[component]
pub fn PageError(error: AppError) -> impl IntoView {
    let locale = use_locale();
    match error.field_errors() {
        [] => view! { <ErrorBanner error=error/> }.into_any(),
        fields => {
            let text: Vec<String> = fields.iter().map(|e| tr_args(locale, &e.key, &e.args)).collect();
            view! { <div class="error-banner" role="alert">{text.join(list_separator(locale))}</div> }.into_any()
        }
    }
}

/// Whether this page is the redirect back from a refused plain post of `action` (its URL
/// carries the error): a folded form (`<details>`) opens to show why.
pub fn was_refused<S>(action: ServerAction<S>) -> bool
where
    S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    action.value().with_untracked(|v| matches!(v, Some(Err(_))))
}

/// The field errors of an action's last answer, for `FieldErrorText`.
pub fn action_field_errors<S>(action: ServerAction<S>) -> Signal<Vec<FieldError>>
where
    S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || {
        action.value().get().and_then(|r| r.err()).map(|e| e.field_errors().to_vec()).unwrap_or_default()
    })
}

/// Which field of a form refused by `errors` takes the focus (a browser scrolls it into view, so
/// on a phone the first message is on screen): the first one refused, `first` when the refusal
/// names none; no field when the form was not refused (`refused` false).
pub fn focus_field(errors: Signal<Vec<FieldError>>, refused: bool, first: &'static str) -> impl Fn(&str) -> bool {
    let at = errors.with_untracked(|e| e.first().map(|f| f.field.clone())).unwrap_or_else(|| first.to_string());
    move |field: &str| refused && field == at
}
