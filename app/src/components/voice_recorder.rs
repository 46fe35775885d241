//! 录音: a voice note recorded in the page (MediaRecorder: WebM/Opus on Android's Chrome, MP4/AAC
//! on an iPhone) as an island beside the attachments form's voice input: the recording becomes
//! that input's file, so the plain form (and the service worker's queue) sends it like a picked
//! one. Without JavaScript the input still opens the phone's recorder or files.

use crate::components::island::mark_ready;
use leptos::html::Div;
use leptos::prelude::*;

/// The texts are translated on the server: the button's two states, what it says once a
/// recording is ready, and when the microphone was refused.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct VoiceLabels {
    pub start: String,
    pub stop: String,
    pub done: String,
    pub denied: String,
}

/// `input` is the id of the file input the recording goes into.
#[island]
pub fn VoiceRecorder(labels: VoiceLabels, input: String) -> impl IntoView {
    let root = NodeRef::<Div>::new();
    mark_ready(root);
    let recording = RwSignal::new(false);
    let status = RwSignal::new(String::new());
    // Hidden until the island runs: without JavaScript the button could do nothing.
    let live = RwSignal::new(false);
    Effect::new(move |_| live.set(true));
    let (start, stop) = (labels.start.clone(), labels.stop.clone());
    let on_click = move |_| {
        #[cfg(feature = "hydrate")]
        {
            if recording.get_untracked() {
                browser::stop();
            } else {
                browser::start(input.clone(), recording, status, labels.done.clone(), labels.denied.clone());
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&input, &labels, recording, status);
    };
    view! {
        <div class="island-wrap voice-recorder" node_ref=root data-island="voice">
            <button type="button" id="voice-record" hidden=move || !live.get() on:click=on_click
                class:recording=move || recording.get()>
                {move || if recording.get() { stop.clone() } else { start.clone() }}
            </button>
            <span class="muted" id="voice-status" aria-live="polite">{move || status.get()}</span>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;
    use std::cell::RefCell;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::js_sys::Array;
    use web_sys::{
        Blob, BlobEvent, BlobPropertyBag, DataTransfer, File, FilePropertyBag, HtmlInputElement, MediaRecorder,
        MediaStream,
    };

    thread_local! {
        static RECORDER: RefCell<Option<MediaRecorder>> = const { RefCell::new(None) };
    }

    pub fn stop() {
        RECORDER.with(|r| {
            if let Some(rec) = r.borrow_mut().take() {
                let _ = rec.stop();
            }
        });
    }

    pub fn start(input: String, recording: RwSignal<bool>, status: RwSignal<String>, done: String, denied: String) {
        let Some(devices) = web_sys::window().and_then(|w| w.navigator().media_devices().ok()) else {
            status.set(denied);
            return;
        };
        let constraints = web_sys::MediaStreamConstraints::new();
        constraints.set_audio(&JsValue::TRUE);
        let Ok(asked) = devices.get_user_media_with_constraints(&constraints) else {
            status.set(denied);
            return;
        };
        let refused = denied.clone();
        let ok = Closure::once(move |stream: JsValue| {
            let stream: MediaStream = stream.unchecked_into();
            let Ok(rec) = MediaRecorder::new_with_media_stream(&stream) else {
                status.set(denied);
                return;
            };
            let chunks = Array::new();
            let kept = chunks.clone();
            let on_data = Closure::<dyn FnMut(BlobEvent)>::new(move |e: BlobEvent| {
                if let Some(b) = e.data() {
                    kept.push(&b);
                }
            });
            rec.set_ondataavailable(Some(on_data.as_ref().unchecked_ref()));
            on_data.forget();
            let mime = rec.mime_type();
            let on_stop = Closure::once(move |_: JsValue| {
                for track in stream.get_tracks().iter() {
                    if let Ok(t) = track.dyn_into::<web_sys::MediaStreamTrack>() {
                        t.stop();
                    }
                }
                recording.set(false);
                let kind = if mime.is_empty() { "audio/webm".to_string() } else { mime };
                let bag = BlobPropertyBag::new();
                bag.set_type(&kind);
                let Ok(blob) = Blob::new_with_blob_sequence_and_options(&chunks, &bag) else { return };
                let ext = if kind.contains("mp4") {
                    "m4a"
                } else if kind.contains("ogg") {
                    "ogg"
                } else {
                    "webm"
                };
                let file_bag = FilePropertyBag::new();
                file_bag.set_type(&kind);
                let parts = Array::of1(&blob);
                let Ok(file) = File::new_with_blob_sequence_and_options(&parts, &format!("voice.{ext}"), &file_bag)
                else {
                    return;
                };
                let target = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.get_element_by_id(&input))
                    .and_then(|e| e.dyn_into::<HtmlInputElement>().ok());
                if let (Some(target), Ok(dt)) = (target, DataTransfer::new()) {
                    let _ = dt.items().add_with_file(&file);
                    target.set_files(dt.files().as_ref());
                    status.set(format!("{done} ({} KB)", (blob.size() / 1024.0).ceil()));
                }
            });
            rec.set_onstop(Some(on_stop.as_ref().unchecked_ref()));
            on_stop.forget();
            if rec.start().is_ok() {
                recording.set(true);
                status.set(String::new());
                RECORDER.with(|r| *r.borrow_mut() = Some(rec));
            }
        });
        let err = Closure::once(move |_: JsValue| status.set(refused));
        let _ = asked.then2(&ok, &err);
        ok.forget();
        err.forget();
    }
}
