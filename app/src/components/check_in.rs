//! 签到 as an island around the plain check-in form: on submit it writes the phone's clock into
//! the form and, when "record my position" is ticked, asks the browser for the position (the
//! browser asks the user) and fills it in before the form goes. Refused or timed out: the form
//! goes with the time only. Without JavaScript the form posts the server's time.

use crate::components::island::mark_ready;
use leptos::html::Div;
use leptos::prelude::*;

/// `locating` and `no_position` are translated on the server.
#[island]
pub fn CheckInForm(locating: String, no_position: String, children: Children) -> impl IntoView {
    let root = NodeRef::<Div>::new();
    mark_ready(root);
    let status = RwSignal::new(String::new());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        browser::locate_then_submit(&ev, status, locating.clone(), no_position.clone());
        #[cfg(not(feature = "hydrate"))]
        let _ = (&ev, &locating, &no_position);
    };
    view! {
        <div class="island-wrap" node_ref=root data-island="check-in" on:submit=on_submit>
            {children()}
            <p class="muted checkin-status" aria-live="polite">{move || status.get()}</p>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::JsValue;
    use web_sys::js_sys::Reflect;
    use web_sys::{HtmlFormElement, HtmlInputElement};

    fn input(form: &HtmlFormElement, selector: &str) -> Option<HtmlInputElement> {
        form.query_selector(selector).ok().flatten().and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
    }

    fn set(form: &HtmlFormElement, name: &str, value: &str) {
        if let Some(i) = input(form, &format!("input[name=\"form[{name}]\"]")) {
            i.set_value(value);
        }
    }

    pub fn locate_then_submit(
        ev: &leptos::ev::SubmitEvent,
        status: RwSignal<String>,
        locating: String,
        no_position: String,
    ) {
        let Some(form) = ev.target().and_then(|t| t.dyn_into::<HtmlFormElement>().ok()) else {
            return;
        };
        set(&form, "phone_time", &String::from(web_sys::js_sys::Date::new_0().to_iso_string()));
        let wants = input(&form, "#checkin-position").is_some_and(|c| c.checked());
        let geo = web_sys::window().and_then(|w| w.navigator().geolocation().ok());
        let Some(geo) = geo.filter(|_| wants && form.get_attribute("data-located").is_none()) else {
            return;
        };
        ev.prevent_default();
        status.set(locating);
        let (ok_form, err_form) = (form.clone(), form.clone());
        let ok = Closure::once_into_js(move |p: JsValue| {
            // GeolocationPosition.coords (read by name: web-sys has the type only as unstable).
            let coords = Reflect::get(&p, &"coords".into()).unwrap_or(JsValue::UNDEFINED);
            let num = |k: &str| Reflect::get(&coords, &k.into()).ok().and_then(|v| v.as_f64());
            if let (Some(lat), Some(lng), Some(acc)) = (num("latitude"), num("longitude"), num("accuracy")) {
                set(&ok_form, "lat", &lat.to_string());
                set(&ok_form, "lng", &lng.to_string());
                set(&ok_form, "accuracy", &acc.max(1.0).to_string());
            }
            let _ = ok_form.set_attribute("data-located", "1");
            let _ = ok_form.submit();
        });
        let err = Closure::once_into_js(move |_: JsValue| {
            status.set(no_position);
            let _ = err_form.set_attribute("data-located", "0");
            let _ = err_form.submit();
        });
        let options = web_sys::PositionOptions::new();
        options.set_enable_high_accuracy(true);
        options.set_timeout(15_000);
        options.set_maximum_age(60_000);
        if geo
            .get_current_position_with_error_callback_and_options(
                ok.unchecked_ref(),
                Some(err.unchecked_ref()),
                &options,
            )
            .is_err()
        {
            let _ = form.submit();
        }
    }
}
