use leptos::prelude::*;
use leptos::wasm_bindgen::JsValue;

use crate::i18n::use_lang;

/// The "Lees voor" control of the site's pages (the same markup, the same texts from the
/// domain), reading the element with id `text`. site.js does the reading: its click handler
/// listens on the whole document, so a control the app renders later works too.
///
/// Without speech synthesis there is nothing to press, so nothing is shown.
#[component]
pub fn ReadAloud(text: &'static str) -> impl IntoView {
    let r = use_lang().words().read_aloud();
    speech_available().then(|| {
        view! {
            <div class="read-aloud" role="group" aria-label=r.label data-text=text
                data-voice=r.voice data-no-voice=r.no_voice data-failed=r.failed
                data-pause=r.pause data-resume=r.resume>
                <button type="button" class="read-aloud-play" data-action="play">{r.play}</button>
                <button type="button" class="read-aloud-pause" data-action="pause" hidden>{r.pause}</button>
                <button type="button" class="read-aloud-stop" data-action="stop" hidden>{r.stop}</button>
                <p class="read-aloud-status" role="status"></p>
            </div>
        }
    })
}

fn speech_available() -> bool {
    let window = window();
    ["speechSynthesis", "SpeechSynthesisUtterance"]
        .iter()
        .all(|name| js_sys::Reflect::has(&window, &JsValue::from_str(name)).unwrap_or(false))
}
