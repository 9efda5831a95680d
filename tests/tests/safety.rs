//! Safe to use next to the wrong adult: the quick exit (click, Shift three times; without
//! JavaScript it is a plain link, checked in `security.rs`), a history that holds at most one page of the portal, and no traces left in
//! the browser. Headless Chromium against the real local server.

use std::time::Duration;

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use kjr_tests::browser::{Browser, assert_no_traces, fill_sms_request, start_browser};
use kjr_tests::servers::{NeutralSite, Portal, start_neutral_site};

struct Setup {
    portal: Portal,
    neutral: NeutralSite,
}

async fn setup() -> Setup {
    let neutral = start_neutral_site().await;
    let portal = Portal::start_with(&[("KJR_EXIT_URL", neutral.exit_url())]);
    Setup { portal, neutral }
}

/// Comes from an unrelated site to the portal's home page, as a child following a link.
/// Returns the history's length then: the portal's page is its last entry.
async fn arrive(b: &Browser, s: &Setup) -> u64 {
    b.goto(&s.neutral.start_url()).await;
    let before = history_length(b).await;
    b.goto(&s.portal.url()).await;
    b.wait_css("#quick-exit").await;
    let now = history_length(b).await;
    assert_eq!(now, before + 1);
    now
}

async fn history_length(b: &Browser) -> u64 {
    b.js("return history.length").await.as_u64().unwrap()
}

/// Follows the in-site link `css` and waits for the page at `path` with focus on its heading.
async fn follow(b: &Browser, css: &str, path: &str) {
    b.click(css).await;
    b.wait_until(&format!(
        "location.pathname === '{path}' && document.activeElement === document.querySelector('main h1')"
    ))
    .await;
}

/// Leaves through the quick exit and checks where the phone ends up: on the weather page,
/// with Back leading to the site before the portal and no page of the portal in the history.
async fn assert_left_without_a_trace(b: &Browser, s: &Setup, entries: u64) {
    b.wait_until(&format!("location.href === '{}'", s.neutral.exit_url()))
        .await;
    assert_eq!(
        history_length(b).await,
        entries,
        "the portal's one history entry was replaced by the weather page"
    );
    b.js("history.back()").await;
    b.wait_until(&format!("location.href === '{}'", s.neutral.start_url()))
        .await;
    b.js("history.forward()").await;
    b.wait_until(&format!("location.href === '{}'", s.neutral.exit_url()))
        .await;
}

#[tokio::test]
async fn in_site_navigation_keeps_one_history_entry_and_moves_focus_to_the_heading() {
    let s = setup().await;
    let b = start_browser().await;
    let entries = arrive(&b, &s).await;
    follow(&b, "a[href='/12-plus']", "/12-plus").await;
    follow(&b, "main a[href^='/vraag']", "/vraag").await;
    b.wait_css("#message").await;
    follow(&b, ".lang-switch", "/en/ask").await;
    b.wait_css("#message").await;
    assert_eq!(
        b.js("return location.search").await,
        "?voor=12-plus",
        "switching language keeps who the form is for"
    );
    follow(
        &b,
        ".site-links a[href='/en/safe-online']",
        "/en/safe-online",
    )
    .await;
    follow(&b, ".lang-switch", "/veilig-online").await;
    assert_eq!(
        history_length(&b).await,
        entries,
        "five pages later the history still holds one entry of the portal"
    );
    let title = b.js("return document.title").await;
    assert!(
        title.as_str().unwrap().starts_with("Veilig online"),
        "{title}"
    );
    b.close().await;
}

#[tokio::test]
async fn quick_exit_hides_the_page_at_once_and_back_does_not_return() {
    let s = setup().await;
    let b = start_browser().await;
    let entries = arrive(&b, &s).await;
    follow(&b, "a[href='/12-plus']", "/12-plus").await;
    follow(&b, "main a[href^='/vraag']", "/vraag").await;
    // The skip link jumps within the page without a history entry of its own.
    b.js("document.querySelector('.skip-link').click(); return 1")
        .await;
    b.wait_until("document.activeElement === document.getElementById('main')")
        .await;
    assert_eq!(history_length(&b).await, entries);
    b.type_into("#message", "Er gebeurt thuis iets naars.")
        .await;
    b.type_into("#nickname", "Sam").await;

    // Right after the click, before the weather site has loaded: nothing left on screen.
    let state = b
        .js("document.getElementById('quick-exit').click();
             return { text: document.body ? document.body.textContent : '',
                      fields: document.querySelectorAll('input, textarea').length,
                      hidden: getComputedStyle(document.body).display === 'none',
                      title: document.title };")
        .await;
    assert_eq!(state["text"], "", "page content removed: {state}");
    assert_eq!(state["fields"], 0, "{state}");
    assert_eq!(state["title"], "", "{state}");
    assert_eq!(state["hidden"], true, "{state}");
    assert_left_without_a_trace(&b, &s, entries).await;
    b.close().await;
}

async fn press_shift(b: &Browser, times: usize, between: Option<char>) {
    let mut keys = KeyActions::new("keyboard".into());
    for i in 0..times {
        keys = keys
            .then(KeyAction::Down {
                value: Key::Shift.into(),
            })
            .then(KeyAction::Up {
                value: Key::Shift.into(),
            });
        if let (Some(c), 0) = (between, i) {
            keys = keys
                .then(KeyAction::Down { value: c })
                .then(KeyAction::Up { value: c });
        }
    }
    b.client
        .perform_actions(keys)
        .await
        .expect("keyboard actions");
}

#[tokio::test]
async fn pressing_shift_three_times_leaves_the_page() {
    let s = setup().await;
    let b = start_browser().await;
    let entries = arrive(&b, &s).await;
    follow(&b, "a.choice-link[href='/12-plus']", "/12-plus").await;
    follow(&b, "main a[href^='/vraag']", "/vraag").await;
    b.type_into("#message", "Ik wil iemand spreken").await;

    // Shift, a letter, Shift, Shift: typing, not the shortcut.
    press_shift(&b, 3, Some('a')).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        b.js("return location.pathname").await,
        "/vraag",
        "still on the form"
    );
    assert_eq!(
        b.js("return document.getElementById('message').value")
            .await,
        "Ik wil iemand sprekena",
        "the letter was typed, nothing else happened"
    );

    // Past the 2 s window, so the count starts again from none.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    press_shift(&b, 3, None).await;
    assert_left_without_a_trace(&b, &s, entries).await;
    b.close().await;
}

#[tokio::test]
async fn the_child_flow_leaves_no_cookies_storage_caches_or_service_workers() {
    let s = setup().await;
    let b = start_browser().await;
    arrive(&b, &s).await;
    follow(&b, "a[href='/12-plus']", "/12-plus").await;
    // A search (Pagefind loads its script and index) leaves nothing behind either.
    b.type_into("#search-input", "reunie").await;
    b.wait_until("document.querySelector('.search-results').dataset.query === 'reunie'")
        .await;
    follow(&b, "main a[href^='/vraag']", "/vraag").await;
    fill_sms_request(&b, "yes", None).await;
    b.click("#submit").await;
    b.wait_css("#reference").await;
    follow(&b, "#app a.button", "/").await;

    assert_no_traces(&b).await;
    b.close().await;
}
