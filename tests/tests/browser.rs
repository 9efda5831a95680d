//! Whole journeys in headless Chromium at 360×740, against the real local server (SQLite)
//! serving the built app.

use std::time::Duration;

use kjr_api::ids::TeamId;
use kjr_api::store::{Queue, SqliteStore, Store};
use kjr_tests::browser::{
    Browser, VOICES, assert_quick_exit_silences, record_speech, start_browser,
};
use kjr_tests::proxy::{Mode, Proxy};
use kjr_tests::servers::Portal;

/// Fills in the form as a 12+ child from Vlaardingen who wants WhatsApp contact.
async fn fill_child_form(b: &Browser, safe_now: &str) {
    b.click(&format!("#safe_now-{safe_now}")).await;
    b.click("#topics-home").await;
    b.click("#topics-not_heard").await;
    b.type_into("#message", "Ik wil met iemand praten over thuis. 🙂")
        .await;
    b.click("#has_trusted_person-no").await;
    b.type_into("#nickname", "Sam").await;
    b.click("#channel-whatsapp").await;
    b.type_into("#contact", "06 12345678").await;
    b.click("#contact_times-afternoon").await;
    b.click("#may_leave_message-no").await;
    b.type_into("#municipality", "Vlaardingen").await;
}

async fn wait_for_routing(store: &SqliteStore, team: &str) -> Vec<kjr_api::store::QueueEntry> {
    for _ in 0..100 {
        let q = store.routed_queue(&TeamId(team.into())).await.unwrap();
        if !q.is_empty() {
            return q;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no request was routed to {team}");
}

#[tokio::test]
async fn child_of_twelve_plus_who_is_not_safe_sees_emergency_help_and_is_handled_first() {
    let portal = Portal::start();
    let b = start_browser().await;
    b.goto(&portal.url()).await;
    b.click("a[href='/12-plus']").await;
    b.wait_css("main h1").await;
    b.click("main a[href^='/vraag']").await;
    b.wait_css("#safe_now").await;

    // "Ik weet het niet" shows the numbers too; "Ja" hides them.
    let help_shown = async || {
        b.js("return !document.querySelector('#safe_now-help > div').hidden")
            .await
    };
    b.click("#safe_now-not_sure").await;
    assert_eq!(help_shown().await, true, "help for 'not sure'");
    b.click("#safe_now-yes").await;
    assert_eq!(help_shown().await, false, "no help for 'yes'");
    b.click("#safe_now-no").await;
    // Emergency help appears at once, before sending, with tap-to-call links.
    for tel in ["tel:112", "tel:08002000", "tel:08000432"] {
        let link = b.wait_css(&format!("a[href='{tel}']")).await;
        assert!(link.is_displayed().await.unwrap(), "{tel} is visible");
    }
    fill_child_form(&b, "no").await;
    b.click("#submit").await;

    let reference = b.text("#reference").await;
    assert!(
        kjr_domain::Reference::parse(&reference).is_some(),
        "confirmation shows a reference, got {reference:?}"
    );
    let help = b.wait_css(".emergency").await;
    assert!(
        help.is_displayed().await.unwrap(),
        "emergency numbers on the urgent confirmation"
    );
    assert!(help.text().await.unwrap().contains("112"));

    let store = portal.store();
    assert_eq!(store.count().await.unwrap(), 1);
    let queue = wait_for_routing(&store, "zuid-holland").await;
    assert_eq!(queue[0].queue, Queue::Urgent);
    assert_eq!(queue[0].reference.as_str(), reference);
    let stored = store.get(&queue[0].id).await.unwrap().unwrap();
    assert_eq!(stored.request.nickname().unwrap().as_str(), "Sam");
    assert_eq!(stored.request.contact().as_str(), "+31612345678");
    b.close().await;
}

#[tokio::test]
async fn foster_parent_asks_for_themself() {
    let portal = Portal::start();
    let b = start_browser().await;
    b.goto(&portal.url()).await;
    b.click("a[href='/pleegouders']").await;
    b.click("main a[href^='/vraag']").await;
    b.click("#asker-foster_parent").await;
    b.click("#safe_now-yes").await;
    b.click("#topics-worker").await;
    b.click("#has_trusted_person-yes").await;
    b.click("#channel-email").await;
    b.type_into("#contact", "pleegouder@voorbeeld.nl").await;
    b.click("#contact_times-evening").await;
    b.type_into("#municipality", "Groningen").await;
    b.click("#submit").await;
    let reference = b.text("#reference").await;
    assert!(reference.starts_with("KJR-"), "{reference}");

    let store = portal.store();
    let queue = wait_for_routing(&store, "noord").await;
    assert_eq!(queue[0].queue, Queue::Normal);
    let stored = store.get(&queue[0].id).await.unwrap().unwrap();
    assert_eq!(stored.request.asker(), kjr_domain::Asker::FosterParent);
    assert_eq!(stored.request.age_band(), kjr_domain::AgeBand::Adult);
    b.close().await;
}

#[tokio::test]
async fn errors_are_shown_next_to_their_fields_and_nothing_is_sent() {
    let portal = Portal::start();
    let b = start_browser().await;
    b.goto(&format!("{}/vraag?voor=12-plus", portal.url()))
        .await;
    b.click("#channel-sms").await;
    b.type_into("#contact", "010 1234567").await;
    b.click("#submit").await;

    b.wait_text("Kies minstens één onderwerp").await;
    let contact = b.wait_css("#contact").await;
    assert_eq!(
        contact.attr("aria-invalid").await.unwrap().as_deref(),
        Some("true")
    );
    let described = contact
        .attr("aria-describedby")
        .await
        .unwrap()
        .unwrap_or_default();
    let mut found = false;
    for id in described.split_whitespace() {
        if b.text(&format!("#{id}")).await.contains("06") {
            found = true;
        }
    }
    assert!(found, "the phone error is linked to the field: {described}");
    let topics = b.wait_css("#topics").await;
    assert_eq!(
        topics.attr("aria-invalid").await.unwrap().as_deref(),
        Some("true")
    );
    assert_eq!(portal.store().count().await.unwrap(), 0);
    b.close().await;
}

#[tokio::test]
async fn lost_connection_keeps_the_text_and_a_retry_sends_exactly_one_request() {
    let portal = Portal::start();
    let proxy = Proxy::start(portal.server.port).await;
    let b = start_browser().await;
    b.goto(&format!("{}/vraag?voor=12-plus", proxy.url())).await;
    fill_child_form(&b, "yes").await;

    // The server gets the request, but its answer never reaches the phone.
    proxy.set(Mode::LoseResponses);
    b.click("#submit").await;
    b.wait_css("#retry").await;
    b.wait_text("niet gelukt").await;
    assert_eq!(
        portal.store().count().await.unwrap(),
        1,
        "the server did store the lost attempt"
    );
    let message = b
        .wait_css("#message")
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert_eq!(
        message, "Ik wil met iemand praten over thuis. 🙂",
        "the child's text is kept"
    );
    assert_eq!(
        b.wait_css("#contact")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("06 12345678")
    );

    // The connection is back; the retry reuses the idempotency key.
    proxy.set(Mode::Up);
    b.click("#retry").await;
    let reference = b.text("#reference").await;
    assert!(reference.starts_with("KJR-"), "{reference}");
    assert_eq!(
        portal.store().count().await.unwrap(),
        1,
        "exactly one request stored"
    );
    b.close().await;
}

#[tokio::test]
async fn markup_typed_in_the_message_is_sent_as_text_and_never_runs() {
    let portal = Portal::start();
    let b = start_browser().await;
    b.goto(&format!("{}/vraag?voor=12-plus", portal.url()))
        .await;
    fill_child_form(&b, "yes").await;
    let markup = "<script>window.kjrPwned=1</script><img src=x onerror=\"window.kjrPwned=2\">";
    b.type_into("#message", markup).await;
    b.click("#submit").await;
    b.wait_css("#reference").await;
    let pwned = b
        .client
        .execute("return window.kjrPwned === undefined", vec![])
        .await
        .unwrap();
    assert_eq!(
        pwned,
        serde_json::Value::Bool(true),
        "typed markup must never run"
    );
    let store = portal.store();
    let queue = wait_for_routing(&store, "zuid-holland").await;
    let stored = store.get(&queue[0].id).await.unwrap().unwrap();
    assert!(
        stored.request.message().unwrap().as_str().ends_with(markup),
        "kept as text"
    );
    b.close().await;
}

#[tokio::test]
async fn a_hidden_field_filled_by_the_browser_does_not_block_a_child() {
    let portal = Portal::start();
    let b = start_browser().await;
    b.goto(&format!("{}/vraag?voor=12-plus", portal.url()))
        .await;
    fill_child_form(&b, "yes").await;
    // What autofill or a password manager might do to the honeypot.
    b.js(
        "const f = document.getElementById('kjr-leave-empty'); f.value = 'https://example.org'; \
          f.dispatchEvent(new Event('input', { bubbles: true })); return 1",
    )
    .await;
    b.click("#submit").await;
    b.wait_text("verborgen veld").await;
    assert_eq!(
        b.js("return document.getElementById('kjr-leave-empty').value")
            .await,
        "",
        "the form empties the hidden field"
    );
    assert_eq!(portal.store().count().await.unwrap(), 0, "nothing sent yet");
    b.click("#submit").await;
    let reference = b.text("#reference").await;
    assert!(reference.starts_with("KJR-"), "{reference}");
    assert_eq!(portal.store().count().await.unwrap(), 1);
    b.close().await;
}

/// A child who reads the reply on the website hears the reference and the code words on the
/// confirmation: in Dutch, in the order of the page, the reference letter by letter and each
/// block marked while it is read.
#[tokio::test]
async fn the_reference_and_the_code_words_are_read_aloud_on_the_confirmation() {
    let portal = Portal::start();
    let b = start_browser().await;
    b.goto(&format!("{}/vraag?voor=12-plus", portal.url()))
        .await;
    b.wait_css("#safe_now").await;
    b.click("#safe_now-yes").await;
    b.click("#topics-home").await;
    b.type_into("#message", "Ik wil praten.").await;
    b.click("#has_trusted_person-no").await;
    b.click("#channel-on_website").await;
    b.type_into("#municipality", "Vlaardingen").await;
    b.click("#submit").await;
    b.wait_css(".read-aloud[data-text=receipt]").await;
    let reference = b.text("#reference").await;
    let words = b.text("#code-words").await;
    record_speech(&b, VOICES).await;
    b.click(".read-aloud-play").await;
    b.wait_until(
        "window.__rec.spoken.length > 0 && !document.querySelector('.read-aloud-play').hidden",
    )
    .await;
    let spoken = b.js("return window.__rec.spoken").await;
    let spoken = spoken.as_array().unwrap();
    for u in spoken {
        assert_eq!(u["voice"], "Lokaal NL", "{u}");
        assert_eq!(u["lang"], "nl-NL", "{u}");
    }
    let said: Vec<(&str, &str)> = spoken
        .iter()
        .map(|u| {
            (
                u["text"].as_str().unwrap(),
                u["marked"].as_str().unwrap_or(""),
            )
        })
        .collect();
    let spelled = kjr_domain::Reference::parse(&reference).unwrap().spelled();
    let words_said = format!("{}.", words.split(' ').collect::<Vec<_>>().join(", "));
    let at = |text: &str| said.iter().position(|(t, _)| *t == text);
    let (Some(r), Some(w)) = (at(&spelled), at(&words_said)) else {
        panic!("the reference {spelled:?} and the words {words_said:?} are read: {said:?}");
    };
    assert!(
        r > 0 && r < w && w + 1 < said.len(),
        "intro, reference, words, advice: {said:?}"
    );
    assert_eq!(said[r].1, "reference");
    assert_eq!(said[w].1, "code-words");
    // The quick exit silences the reading.
    b.click(".read-aloud-play").await;
    assert_quick_exit_silences(&b).await;
    b.close().await;
}
