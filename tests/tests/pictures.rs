//! The picture route for children under 12 (`/vraag/plaatjes`) in headless Chromium at
//! 360×740 with touch, against the real local server (SQLite): by touch alone to a stored
//! urgent request, by keyboard alone, the emergency help at "no", the quick exit on step 4,
//! every question read aloud, axe on every screen, and targets of at least 64 px.

use kjr_api::store::{Queue, SqliteStore, Store, StoredRequest};
use kjr_domain::{Channel, Feeling, SafeNow, Topic};
use kjr_tests::browser::{
    Browser, VOICES, active_matches, assert_no_axe_violations, assert_no_traces, press,
    record_speech, start_browser, tab_to, type_text,
};
use kjr_tests::servers::{Portal, start_neutral_site};

const ROUTE: &str = "/vraag/plaatjes";

/// The visible screen's name.
async fn screen(b: &Browser) -> String {
    b.js("return document.querySelector('#pictures .step:not([hidden])').dataset.step")
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn wait_for_screen(b: &Browser, name: &str) {
    b.wait_until(&format!(
        "(document.querySelector('#pictures .step:not([hidden])') || {{}}).dataset?.step === '{name}'"
    ))
    .await;
}

/// The picture button for `answer` = `value`.
fn choice(answer: &str, value: &str) -> String {
    format!(".step:not([hidden]) .pic-choice[data-answer='{answer}'][data-value='{value}']")
}

const NEXT: &str = ".step:not([hidden]) [data-go=next]";
const SEND: &str = ".step:not([hidden]) [data-go=send]";

async fn stored_by_reference(store: &SqliteStore, reference: &str) -> StoredRequest {
    let reference = kjr_domain::Reference::parse(reference).expect("a reference");
    for _ in 0..50 {
        if let Some(stored) = store.find_by_reference(&reference).await.unwrap() {
            return stored;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{reference} was not stored");
}

/// Taps `feeling` and `topic`, "Ja" to safe, "Ik kijk hier zelf", no name, and Verstuur.
async fn send_safe_on_website(b: &Browser, feeling: &str, topic: &str) {
    b.tap(&choice("feeling", feeling)).await;
    b.tap(&choice("topics", topic)).await;
    b.tap(NEXT).await;
    b.tap(&choice("safe_now", "yes")).await;
    b.tap(&choice("channel", "on_website")).await;
    b.tap(NEXT).await;
    wait_for_screen(b, "check").await;
    b.tap(SEND).await;
}

/// The smallest side of every visible button and link of the route, with what it is.
async fn smallest_targets(b: &Browser) -> Vec<(f64, String)> {
    let found = b
        .js(
            "return [...document.querySelectorAll('#pictures button, #pictures a')]
              .filter(e => e.offsetParent !== null)
              .map(e => { const r = e.getBoundingClientRect();
                          return [Math.min(r.width, r.height), e.outerHTML.slice(0, 80)]; })
              .filter(([side]) => side < 64);",
        )
        .await;
    found
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|v| (v[0].as_f64().unwrap_or(0.0), v[1].to_string()))
        .collect()
}

/// Touch only, from the under-12 page: "scared", home and body, not safe (the help shows at
/// once), the website, no name, send. The request is stored urgent, with every answer in its
/// own field, and nothing is left in the browser. Counts the taps.
#[tokio::test]
async fn a_child_taps_through_every_step_to_a_stored_urgent_request() {
    let portal = Portal::start();
    let b = start_browser().await;
    b.goto(&format!("{}/jonger-dan-12", portal.url())).await;
    let history = b.js("return history.length").await;
    let mut taps = 0;
    let mut tap = async |css: &str| {
        b.tap(css).await;
        taps += 1;
    };
    tap(".ask-block a.button").await;
    b.wait_css("#pictures.running").await;
    assert_eq!(b.url().await, format!("{}{ROUTE}", portal.url()));
    for name in ["feeling", "topics", "safe", "reach", "name", "check"] {
        assert_eq!(screen(&b).await, name);
        assert!(
            smallest_targets(&b).await.is_empty(),
            "{name}: targets under 64 px: {:?}",
            smallest_targets(&b).await
        );
        assert_no_axe_violations(&b, &format!("picture route, {name}")).await;
        match name {
            "feeling" => tap(&choice("feeling", "scared")).await,
            "topics" => {
                tap(&choice("topics", "home")).await;
                tap(&choice("topics", "body")).await;
                tap(NEXT).await;
            }
            "safe" => {
                tap(&choice("safe_now", "no")).await;
                // At once: no wait, no other screen.
                let help = b
                    .js("const h = document.querySelector('.pictures-help');
                         return [h.hidden, [...h.querySelectorAll('a')].map(a => a.getAttribute('href')),
                                 document.activeElement.id];")
                    .await;
                assert_eq!(help[0], false, "{help}");
                assert_eq!(help[1], serde_json::json!(["tel:112", "tel:08000432"]));
                assert_eq!(help[2], "help-now");
                let small = smallest_targets(&b).await;
                assert!(small.is_empty(), "help: targets under 64 px: {small:?}");
                assert_no_axe_violations(&b, "picture route, help at once").await;
                tap(NEXT).await;
            }
            "reach" => {
                let pressed = b
                    .js("return document.querySelector(\"[data-answer=channel][aria-pressed=true]\").dataset.value")
                    .await;
                assert_eq!(pressed, "on_website", "the website is the default");
                tap(&choice("channel", "on_website")).await;
            }
            "name" => tap(NEXT).await,
            _ => {
                tap(SEND).await;
            }
        }
    }
    wait_for_screen(&b, "sent").await;
    assert_eq!(taps, 10, "taps from the under-12 page to sent on this path");
    assert_eq!(
        b.js("return history.length").await,
        history,
        "no history entries"
    );
    let small = smallest_targets(&b).await;
    assert!(small.is_empty(), "sent: targets under 64 px: {small:?}");
    assert_no_axe_violations(&b, "picture route, sent").await;
    let reference = b.text("#reference").await;
    let words = b.text("#code-words").await;
    assert_eq!(words.split(' ').count(), 3, "{words}");

    let stored = stored_by_reference(&portal.store(), &reference).await;
    let r = &stored.request;
    assert!(r.is_urgent());
    assert_eq!(r.safe_now(), SafeNow::No);
    assert_eq!(r.feeling(), Some(Feeling::Scared));
    assert_eq!(r.topics(), &[Topic::Home, Topic::Body]);
    assert_eq!(r.channel(), Channel::OnWebsite);
    assert_eq!(r.age_band(), kjr_domain::AgeBand::Under12);
    assert_eq!(r.asker(), kjr_domain::Asker::Child);
    assert!(r.never_via_foster_parents());
    assert_eq!(r.has_trusted_person(), None, "not asked");
    assert_eq!(Queue::for_request(r), Queue::Urgent);
    assert_no_traces(&b).await;
    b.close().await;
}

/// The shortest way for a first-time user: one picture per screen, the website, no name.
#[tokio::test]
async fn a_first_time_user_sends_a_request_in_eight_taps() {
    let portal = Portal::start();
    let b = start_browser().await;
    b.goto(&format!("{}/jonger-dan-12", portal.url())).await;
    let path = [
        ".ask-block a.button".to_owned(),
        choice("feeling", "sad"),
        choice("topics", "home"),
        NEXT.to_owned(),
        choice("safe_now", "yes"),
        choice("channel", "on_website"),
        NEXT.to_owned(),
        SEND.to_owned(),
    ];
    for css in &path {
        b.tap(css).await;
    }
    wait_for_screen(&b, "sent").await;
    assert!(path.len() <= 8, "{} taps", path.len());
    b.close().await;
}

/// Keyboard only, opened straight: Tab to a picture and Enter; a phone number with a time;
/// a name; send.
#[tokio::test]
async fn a_child_can_use_the_picture_route_with_the_keyboard_only() {
    let portal = Portal::start();
    let b = start_browser().await;
    b.goto(&format!("{}{ROUTE}", portal.url())).await;
    b.wait_css("#pictures.running").await;
    tab_to(&b, &choice("feeling", "happy")).await;
    press(&b, '\u{E007}').await;
    wait_for_screen(&b, "topics").await;
    assert!(
        active_matches(&b, "#q-topics").await,
        "the question has the focus"
    );
    tab_to(&b, &choice("topics", "school")).await;
    press(&b, '\u{E007}').await;
    tab_to(&b, NEXT).await;
    press(&b, '\u{E007}').await;
    wait_for_screen(&b, "safe").await;
    tab_to(&b, &choice("safe_now", "yes")).await;
    press(&b, '\u{E007}').await;
    wait_for_screen(&b, "reach").await;
    tab_to(&b, &choice("channel", "phone")).await;
    press(&b, '\u{E007}').await;
    tab_to(&b, "#pictures-number").await;
    type_text(&b, "06 1234 5678").await;
    tab_to(&b, &choice("contact_times", "afternoon")).await;
    press(&b, '\u{E007}').await;
    tab_to(&b, NEXT).await;
    press(&b, '\u{E007}').await;
    wait_for_screen(&b, "name").await;
    tab_to(&b, "#pictures-name").await;
    type_text(&b, "Sam").await;
    press(&b, '\u{E007}').await;
    wait_for_screen(&b, "check").await;
    let check = b.text(".step:not([hidden]) .answers").await;
    for word in ["Blij", "School", "Ja", "Mijn telefoon", "Middag", "Sam"] {
        assert!(check.contains(word), "{word} in {check}");
    }
    tab_to(&b, SEND).await;
    press(&b, '\u{E007}').await;
    wait_for_screen(&b, "sent").await;
    let reference = b.text("#reference").await;
    assert!(b.js("return document.querySelector('.words').hidden").await == true);
    let stored = stored_by_reference(&portal.store(), &reference).await;
    let r = &stored.request;
    assert_eq!(r.channel(), Channel::Phone);
    assert_eq!(r.contact().as_str(), "+31612345678");
    assert_eq!(r.contact_times(), &[kjr_domain::ContactTime::Afternoon]);
    assert!(!r.may_leave_message(), "nothing is left on a child's phone");
    assert_eq!(r.nickname().map(|n| n.as_str()), Some("Sam"));
    assert!(!r.is_urgent());
    b.close().await;
}

/// The quick exit on step 4 (a trusted adult being chosen) empties the route and leaves;
/// nothing is left behind.
#[tokio::test]
async fn the_quick_exit_on_step_four_empties_the_route_and_leaves() {
    let neutral = start_neutral_site().await;
    let portal = Portal::start_with(&[("KJR_EXIT_URL", neutral.exit_url())]);
    let b = start_browser().await;
    b.goto(&format!("{}{ROUTE}", portal.url())).await;
    b.wait_css("#pictures.running").await;
    b.tap(&choice("feeling", "angry")).await;
    b.tap(&choice("topics", "family")).await;
    b.type_into("#pictures-message", "Mijn oom doet raar.")
        .await;
    b.tap(NEXT).await;
    b.tap(&choice("safe_now", "yes")).await;
    wait_for_screen(&b, "reach").await;
    b.tap(&choice("channel", "via_person")).await;
    b.tap(&choice("adult", "teacher")).await;
    let left = b
        .js("document.getElementById('quick-exit').click();
             return [document.body.textContent, [...document.querySelectorAll('textarea, input')].map(f => f.value).join('')];")
        .await;
    assert_eq!(left, serde_json::json!(["", ""]), "emptied at once");
    b.wait_until(&format!("location.href === '{}'", neutral.exit_url()))
        .await;
    // Back on the portal: a fresh route, and nothing kept on its origin.
    b.goto(&format!("{}{ROUTE}", portal.url())).await;
    b.wait_css("#pictures.running").await;
    let fresh = b
        .js("return [document.querySelector('#pictures .step:not([hidden])').dataset.step,
                     document.querySelectorAll('[aria-pressed=true][data-answer]:not([data-answer=channel])').length,
                     document.getElementById('pictures-message').value];")
        .await;
    assert_eq!(fresh, serde_json::json!(["feeling", 0, ""]));
    assert_no_traces(&b).await;
    b.close().await;
}

/// Each screen's question is read aloud in Dutch when its button is tapped, and so is a
/// picture's word when the picture is tapped.
#[tokio::test]
async fn every_question_is_read_aloud_in_dutch_when_tapped() {
    let portal = Portal::start();
    let b = start_browser().await;
    b.goto(&format!("{}{ROUTE}", portal.url())).await;
    b.wait_css("#pictures.running").await;
    record_speech(&b, VOICES).await;
    // What the last tap said: every sentence in Dutch, with the local Dutch voice.
    let said_now = async |count: usize| {
        b.wait_until(&format!("window.__rec.spoken.length >= {count}"))
            .await;
        // Long enough for one more sentence (the recorder ends each after 30 ms).
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        let all = b.js("return window.__rec.spoken").await;
        let all = all.as_array().cloned().unwrap_or_default();
        for u in &all {
            assert_eq!(u["lang"], "nl-NL", "{u}");
            assert_eq!(u["voice"], "Lokaal NL", "{u}");
        }
        all.iter()
            .map(|u| u["text"].as_str().unwrap_or_default().to_owned())
            .collect::<Vec<_>>()
    };
    let questions = [
        ("feeling", "Hoe voel je je?", choice("feeling", "happy")),
        ("topics", "Waar gaat het over?", choice("topics", "school")),
        ("safe", "Ben je nu veilig?", choice("safe_now", "yes")),
        (
            "reach",
            "Hoe krijg je antwoord?",
            choice("channel", "on_website"),
        ),
        ("name", "Hoe mogen we je noemen?", NEXT.to_owned()),
        ("check", "Klopt het zo?", SEND.to_owned()),
    ];
    for (name, question, answer) in &questions {
        wait_for_screen(&b, name).await;
        // What the last answer's tap is still reading stops here.
        b.js("speechSynthesis.cancel(); window.__rec.spoken = []; return 1")
            .await;
        b.tap(".step:not([hidden]) .question .say").await;
        // A hint under the question is read too: a child who cannot read hears it.
        let hint: &[&str] = match *name {
            "topics" => &["Je mag meer dan één plaatje kiezen."],
            "name" => &["Dat hoeft niet.", "Zo: Sam of Tijger."],
            _ => &[],
        };
        let said = said_now(1 + hint.len()).await;
        assert_eq!(&said[0], question, "{name}");
        assert_eq!(said[1..], *hint, "{name}");
        b.js("window.__rec.spoken = []; return 1").await;
        b.tap(answer).await;
        if *name == "feeling" {
            let first = b.js("return window.__rec.spoken[0].text").await;
            assert_eq!(first, "Blij", "the picture's word");
        }
        if *name == "topics" {
            b.tap(NEXT).await;
        }
    }
    wait_for_screen(&b, "sent").await;
    // The receipt reads itself when it appears; stop that, so that what is recorded next
    // comes from the tap alone.
    b.js("speechSynthesis.cancel(); window.__rec.spoken = []; return 1")
        .await;
    b.tap(".step:not([hidden]) .say").await;
    let reference = b.text("#reference").await;
    let spelled = kjr_domain::Reference::parse(&reference).unwrap().spelled();
    let spelled_json = serde_json::to_string(&spelled).unwrap();
    b.wait_until(&format!(
        "window.__rec.spoken.some(u => u.text === {spelled_json})"
    ))
    .await;
    let said = b.js("return window.__rec.spoken.map(u => u.text)").await;
    assert_eq!(
        said[0], "Je vraag is verstuurd",
        "the heading first: {said}"
    );
    b.close().await;
}

/// "Geluid uit" keeps the route quiet on taps (a child may sit next to the adult they worry
/// about), while a speaker button the child taps still reads its question; "Geluid aan"
/// brings the words of the pictures back.
#[tokio::test]
async fn the_sound_switch_silences_the_taps_but_not_the_speaker_buttons() {
    let portal = Portal::start();
    let b = start_browser().await;
    b.goto(&format!("{}{ROUTE}", portal.url())).await;
    b.wait_css("#pictures.running").await;
    record_speech(&b, VOICES).await;
    let spoken = async || b.js("return window.__rec.spoken.map(u => u.text)").await;

    // A switch named "Geluid" (its name stays the same), with its state said by
    // aria-checked and shown by the word and the picture beside the name.
    let switch = async || {
        b.js("const s = document.getElementById('pictures-sound');
              const name = document.getElementById(s.getAttribute('aria-labelledby'));
              const state = s.querySelector('.sound-state');
              return [s.getAttribute('role'), s.getAttribute('aria-checked'), name.textContent,
                      state.textContent, state.getAttribute('aria-hidden'),
                      s.querySelector('use').getAttribute('href')]")
            .await
    };
    assert_eq!(
        switch().await,
        serde_json::json!(["switch", "true", "Geluid", "aan", "true", "#pic-speaker"])
    );
    b.tap("#pictures-sound").await;
    assert_eq!(
        switch().await,
        serde_json::json!([
            "switch",
            "false",
            "Geluid",
            "uit",
            "true",
            "#pic-speaker-off"
        ])
    );
    b.tap(&choice("feeling", "happy")).await;
    wait_for_screen(&b, "topics").await;
    b.tap(".step:not([hidden]) .question .say").await;
    b.wait_until("window.__rec.spoken.length >= 2").await;
    assert_eq!(
        spoken().await,
        serde_json::json!(["Waar gaat het over?", "Je mag meer dan één plaatje kiezen."]),
        "with the sound off only the question the child asked for"
    );

    b.tap("#pictures-sound").await;
    assert_eq!(switch().await[1], "true");
    b.js("window.__rec.spoken = []; return 1").await;
    b.tap(&choice("topics", "school")).await;
    b.wait_until("window.__rec.spoken.length >= 1").await;
    assert_eq!(spoken().await[0], "School", "with the sound on again");
    b.close().await;
}

/// The English route, with a phone number the API refuses: the child is taken back to the
/// screen that asked for it, told in English what to do, and the fixed number is sent and
/// stored. Nothing typed on the other screens is lost.
#[tokio::test]
async fn a_refused_number_on_the_english_route_leads_back_to_its_screen() {
    let portal = Portal::start();
    let b = start_browser().await;
    b.goto(&format!("{}/en/ask/pictures", portal.url())).await;
    b.wait_css("#pictures.running").await;
    assert_eq!(b.text(".step:not([hidden]) h2").await, "How do you feel?");
    b.tap(&choice("feeling", "scared")).await;
    b.tap(&choice("topics", "body")).await;
    b.type_into("#pictures-message", "I have a question.").await;
    b.tap(NEXT).await;
    b.tap(&choice("safe_now", "yes")).await;
    wait_for_screen(&b, "reach").await;
    b.tap(&choice("channel", "phone")).await;
    b.type_into("#pictures-number", "12345").await;
    b.tap(&choice("contact_times", "evening")).await;
    b.tap(NEXT).await;
    wait_for_screen(&b, "name").await;
    b.type_into("#pictures-name", "Tiger").await;
    b.tap(NEXT).await;
    wait_for_screen(&b, "check").await;
    b.tap(SEND).await;

    wait_for_screen(&b, "reach").await;
    b.wait_until("!document.querySelector('.step:not([hidden]) .step-problem').hidden")
        .await;
    assert_eq!(
        b.text(".step:not([hidden]) .step-problem").await,
        "This number is not right. Check it again. Or pick another picture."
    );
    assert!(
        active_matches(&b, "#pictures-number").await,
        "the number has the focus"
    );
    assert_eq!(
        b.js("return [document.getElementById('pictures-message').value,
                      document.getElementById('pictures-name').value]")
            .await,
        serde_json::json!(["I have a question.", "Tiger"]),
        "nothing typed is lost"
    );

    b.js("document.getElementById('pictures-number').value = ''; return 1")
        .await;
    b.type_into("#pictures-number", "06 1234 5678").await;
    b.tap(NEXT).await;
    wait_for_screen(&b, "name").await;
    b.tap(NEXT).await;
    wait_for_screen(&b, "check").await;
    b.tap(SEND).await;
    wait_for_screen(&b, "sent").await;
    assert_eq!(
        b.text(".step:not([hidden]) h2").await,
        "Your question has been sent"
    );
    let reference = b.text("#reference").await;
    let stored = stored_by_reference(&portal.store(), &reference).await;
    let r = &stored.request;
    assert_eq!(r.contact().as_str(), "+31612345678");
    assert_eq!(r.feeling(), Some(Feeling::Scared));
    assert_eq!(r.topics(), &[Topic::Body]);
    assert_eq!(r.nickname().map(|n| n.as_str()), Some("Tiger"));
    assert_eq!(r.message().map(|m| m.as_str()), Some("I have a question."));
    assert_no_traces(&b).await;
    b.close().await;
}

/// The answer to the first send is lost (the request did arrive). The child goes back, says
/// "Nee" instead of "Ja" and sends again: that is a new request (a new key), stored urgent,
/// and its confirmation has the code words; the first try's answers do not stand in for it.
#[tokio::test]
async fn changed_answers_after_a_lost_answer_are_sent_as_a_new_urgent_request() {
    let portal = Portal::start();
    let b = start_browser().await;
    b.goto(&format!("{}{ROUTE}", portal.url())).await;
    b.wait_css("#pictures.running").await;
    // The first answer from the API never reaches the page; every key sent is kept.
    b.js("window.__keys = []; window.__lose = 1; const real = window.fetch;
          window.fetch = (url, o) => { window.__keys.push(o.headers['idempotency-key']);
            return real(url, o).then(r => { if (window.__lose-- > 0) throw new TypeError('lost'); return r; }); };
          return 1")
        .await;
    send_safe_on_website(&b, "sad", "home").await;
    b.wait_until("document.querySelector('.step:not([hidden]) .send-status').textContent.startsWith('Het lukt nu niet')")
        .await;

    for back in ["name", "reach", "safe"] {
        b.tap(".step:not([hidden]) [data-go=back]").await;
        wait_for_screen(&b, back).await;
    }
    b.tap(&choice("safe_now", "no")).await;
    b.tap(NEXT).await;
    wait_for_screen(&b, "reach").await;
    b.tap(NEXT).await;
    wait_for_screen(&b, "name").await;
    b.tap(NEXT).await;
    wait_for_screen(&b, "check").await;
    assert_eq!(
        b.text(".step:not([hidden]) .send-status").await,
        "",
        "the old failure is not shown again"
    );
    b.tap(SEND).await;
    wait_for_screen(&b, "sent").await;
    let keys = b.js("return window.__keys").await;
    assert_eq!(keys.as_array().map(Vec::len), Some(2), "{keys}");
    assert_ne!(keys[0], keys[1], "changed answers get a new key");
    assert!(
        !b.js("return document.querySelector('#receipt .words').hidden")
            .await
            .as_bool()
            .unwrap(),
        "the code words are shown"
    );
    assert_eq!(b.text("#code-words").await.split(' ').count(), 3);
    let reference = b.text("#reference").await;
    let stored = stored_by_reference(&portal.store(), &reference).await;
    assert_eq!(stored.request.safe_now(), SafeNow::No);
    assert!(stored.request.is_urgent());
    b.close().await;
}

/// The route is left (the quick exit, or a link away) while a send is on its way: the late
/// answer shows and says nothing, and the route is back at its first screen, empty.
#[tokio::test]
async fn an_answer_that_arrives_after_leaving_shows_and_says_nothing() {
    let portal = Portal::start();
    let b = start_browser().await;
    b.goto(&format!("{}{ROUTE}", portal.url())).await;
    b.wait_css("#pictures.running").await;
    record_speech(&b, VOICES).await;
    // The API's answer waits until the test lets it through.
    b.js("const real = window.fetch; window.__release = null;
          window.fetch = (url, o) => real(url, o).then(r =>
            new Promise(go => { window.__release = () => go(r); }));
          return 1")
        .await;
    send_safe_on_website(&b, "angry", "other").await;
    b.wait_until("window.__release !== null").await;
    b.js("document.dispatchEvent(new Event('kjr:left'));
          speechSynthesis.cancel(); window.__rec.spoken = []; window.__release(); return 1")
        .await;
    // Time for the answer to be read and (wrongly) shown.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(screen(&b).await, "feeling");
    assert_eq!(b.js("return window.__rec.spoken.length").await, 0);
    assert_eq!(b.text("#reference").await, "");
    assert_eq!(
        b.js(
            "return [...document.querySelectorAll('.pic-choice[aria-pressed=true]')]
                .map(c => c.dataset.answer + '=' + c.dataset.value)"
        )
        .await,
        serde_json::json!(["channel=on_website"]),
        "no answer is kept; the default way to get an answer is chosen again"
    );
    b.close().await;
}
