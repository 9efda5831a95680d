//! WCAG 2.2 AA in a real browser: axe-core on every public page and every state of the form
//! in Dutch and English, a keyboard-only request, reflow at 320 px and with 200 % text, touch
//! targets of at least 44 × 44 px, and reduced motion.

use fantoccini::key::Key;
use kjr_site::Lang;
use kjr_site::content::Special;
use kjr_tests::browser::{
    Browser, BrowserOptions, active_matches, assert_no_axe_violations, fill_sms_request, press,
    start_browser, start_browser_with, tab_to, type_text,
};
use kjr_tests::servers::Portal;
use serde_json::Value;

/// Every page the portal's `/sitemap.xml` lists (its paths: the sitemap names the public
/// address), and a path that is no page (the 404 page).
async fn routes(portal: &Portal) -> Vec<String> {
    let mut routes = portal.sitemap_paths().await;
    assert!(
        routes.len() > 80,
        "the sitemap lists {} pages",
        routes.len()
    );
    routes.extend(["/bestaat-niet".into(), "/en/does-not-exist".into()]);
    routes
}

/// Opens `path` and, on the form page, waits for the form.
async fn open(b: &Browser, portal: &Portal, path: &str) {
    b.goto(&format!("{}{path}", portal.url())).await;
    b.wait_css("main h1").await;
    let route = path.split('?').next().unwrap_or(path);
    if Lang::ALL.iter().any(|l| Special::Ask.route(*l) == route) {
        b.wait_css("#submit").await;
    }
}

#[tokio::test]
async fn every_public_page_has_no_axe_violations_in_dutch_and_english() {
    let portal = Portal::start();
    let b = start_browser().await;
    for path in routes(&portal).await {
        open(&b, &portal, &path).await;
        assert_no_axe_violations(&b, &path).await;
    }
    b.close().await;
}

#[tokio::test]
async fn every_state_of_the_form_has_no_axe_violations_in_dutch_and_english() {
    let portal = Portal::start();
    let b = start_browser().await;
    for form in [
        "/vraag?voor=12-plus",
        "/en/ask?voor=jonger-dan-12",
        "/vraag?voor=pleegouder",
        "/en/ask",
    ] {
        open(&b, &portal, form).await;
        b.wait_css("#submit").await;
        assert_no_axe_violations(&b, &format!("{form}, empty")).await;
        b.click("#submit").await;
        b.wait_css("#error-summary a").await;
        assert_no_axe_violations(&b, &format!("{form}, with errors")).await;
    }
    for form in ["/vraag?voor=12-plus", "/en/ask?voor=12-plus"] {
        open(&b, &portal, form).await;
        fill_sms_request(&b, "no", Some("Utrecht")).await;
        b.wait_css(".emergency").await;
        assert_no_axe_violations(&b, &format!("{form}, emergency numbers shown")).await;
        let english = form.starts_with("/en");
        let (send, sent) = if english {
            ("Send your request", "Your request has been sent")
        } else {
            ("Verstuur je vraag", "Je vraag is verstuurd")
        };
        assert_eq!(
            b.text("#submit").await,
            send,
            "{form} speaks its page's language"
        );
        b.click("#submit").await;
        b.wait_css("#reference").await;
        assert_eq!(b.text("#app h1").await, sent);
        assert_no_axe_violations(&b, &format!("{form}, confirmation")).await;
    }
    b.close().await;
}

/// Selects `value` in the radio group `field` with Tab and the arrow keys.
async fn choose(b: &Browser, field: &str, value: &str) {
    tab_to(b, &format!("#{field} input")).await;
    let target = format!("#{field}-{value}");
    for _ in 0..8 {
        if active_matches(b, &target).await {
            press(b, ' ').await;
            return;
        }
        press(b, Key::Down.into()).await;
    }
    panic!("arrow keys never reached {target}");
}

#[tokio::test]
async fn a_child_can_ask_for_a_confidant_with_the_keyboard_only() {
    let portal = Portal::start();
    let b = start_browser().await;
    b.goto(&portal.url()).await;
    b.wait_css("main h1").await;

    press(&b, Key::Tab.into()).await;
    assert!(
        active_matches(&b, "#quick-exit").await,
        "the quick exit is first in the focus order"
    );
    tab_to(&b, "a[href='/12-plus']").await;
    press(&b, Key::Enter.into()).await;
    b.wait_until("location.pathname === '/12-plus' && document.activeElement === document.querySelector('main h1')")
        .await;
    tab_to(&b, "main a[href^='/vraag']").await;
    press(&b, Key::Enter.into()).await;
    b.wait_until("location.pathname === '/vraag' && !!document.getElementById('submit')")
        .await;

    // Sending too early: the summary takes focus, is announced, and leads to the field.
    tab_to(&b, "#submit").await;
    press(&b, Key::Enter.into()).await;
    b.wait_until("document.activeElement.id === 'error-summary'")
        .await;
    let live = b
        .js("return document.getElementById('error-summary').getAttribute('aria-live')")
        .await;
    assert_eq!(live, "assertive", "errors are announced");
    press(&b, Key::Tab.into()).await;
    let href = b
        .js("return document.activeElement.getAttribute('href')")
        .await;
    let field = href
        .as_str()
        .unwrap_or("")
        .trim_start_matches('#')
        .to_owned();
    assert!(
        !field.is_empty(),
        "the first error is a link to its field: {href}"
    );
    press(&b, Key::Enter.into()).await;
    b.wait_until(&format!(
        "!!document.activeElement.closest('#{field}') || document.activeElement.id === '{field}'"
    ))
    .await;
    let described = b
        .js(&format!(
            "const el = document.querySelector('#{field}'); \
             return (el.getAttribute('aria-describedby') || '').split(' ') \
               .map(id => document.getElementById(id)).filter(Boolean).map(e => e.textContent).join(' | ');"
        ))
        .await;
    assert!(
        described.as_str().unwrap_or("").len() > 10,
        "#{field} is described by its error: {described}"
    );

    choose(&b, "safe_now", "yes").await;
    tab_to(&b, "#topics-home").await;
    press(&b, ' ').await;
    tab_to(&b, "#message").await;
    type_text(&b, "Ik wil praten over thuis.").await;
    choose(&b, "has_trusted_person", "no").await;
    choose(&b, "channel", "sms").await;
    tab_to(&b, "#contact").await;
    type_text(&b, "06 12345678").await;
    tab_to(&b, "#contact_times-afternoon").await;
    press(&b, ' ').await;
    choose(&b, "may_leave_message", "no").await;
    tab_to(&b, "#municipality-unknown").await;
    press(&b, ' ').await;
    tab_to(&b, "#submit").await;
    press(&b, Key::Enter.into()).await;

    b.wait_css("#reference").await;
    b.wait_until("document.activeElement === document.querySelector('#app h1')")
        .await;
    use kjr_api::store::Store;
    assert_eq!(portal.store().count().await.unwrap(), 1);
    b.close().await;
}

/// Elements that stick out of the viewport sideways (a horizontal scroll bar), leaving out
/// what is off-screen on purpose (the honeypot, the skip link until focused).
const OVERFLOW: &str = "
    const w = document.documentElement.clientWidth;
    const out = [...document.querySelectorAll('body *')]
      .filter(e => !e.closest('.hp, .skip-link, .visually-hidden, [hidden]'))
      .filter(e => { const r = e.getBoundingClientRect();
                     return r.width > 0 && (r.right > w + 1 || r.left < -1); })
      .map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').slice(0, 40));
    return { scroll: document.documentElement.scrollWidth, width: w, out: out.slice(0, 5) };";

/// Header elements the fixed quick exit covers (at the top of the page).
const UNDER_QUICK_EXIT: &str = "
    window.scrollTo(0, 0);
    const q = document.querySelector('.quick-exit').getBoundingClientRect();
    return [...document.querySelectorAll('.site-name, .lang-switch, main h1')]
      .filter(e => { const r = e.getBoundingClientRect();
                     return r.left < q.right && r.right > q.left && r.top < q.bottom && r.bottom > q.top; })
      .map(e => e.className || e.tagName);";

async fn assert_reflows(b: &Browser, what: &str) {
    let covered = b.js(UNDER_QUICK_EXIT).await;
    assert_eq!(
        covered,
        Value::Array(vec![]),
        "{what}: the quick exit covers these"
    );
    let r = b.js(OVERFLOW).await;
    assert!(
        r["scroll"].as_u64() <= r["width"].as_u64()
            && r["out"].as_array().is_some_and(|o| o.is_empty()),
        "{what}: content does not fit the width: {r}"
    );
}

#[tokio::test]
async fn pages_reflow_at_320_px_and_with_text_at_200_percent() {
    let portal = Portal::start();
    let b = start_browser_with(BrowserOptions {
        width: 320,
        ..BrowserOptions::default()
    })
    .await;
    let routes = routes(&portal).await;
    for path in &routes {
        open(&b, &portal, path).await;
        assert_reflows(&b, &format!("{path} at 320 px")).await;
    }
    b.close().await;
    // 200 % zoom of a 640 px wide window leaves 320 px, tested above; here the text alone is
    // doubled (browser text size) on a phone-sized window.
    let b = start_browser().await;
    for path in routes
        .iter()
        .map(String::as_str)
        .chain(["/vraag?voor=pleegouder"])
    {
        open(&b, &portal, path).await;
        b.js("document.documentElement.style.fontSize = '200%'; return 1")
            .await;
        assert_reflows(&b, &format!("{path} with 200 % text")).await;
    }
    b.close().await;
}

/// What a finger taps: controls and links outside running text.
const TARGETS: &str = "
    const small = [...document.querySelectorAll(
        '.quick-exit, .site-name, .lang-switch, .help-block a, .site-links a, .choice-link, '
      + '.page-list a, .crumbs a, .search-results a, '
      + '.button, .call, button, input:not([type=radio]):not([type=checkbox]), textarea, .choice')]
      .filter(e => !e.closest('.hp, [hidden]') && e.getClientRects().length > 0)
      .map(e => ({ e, r: e.getBoundingClientRect() }))
      .filter(({ r }) => r.width < 44 || r.height < 44)
      .map(({ e, r }) => `${e.tagName}#${e.id}.${e.className} ${Math.round(r.width)}x${Math.round(r.height)}`);
    return small;";

#[tokio::test]
async fn touch_targets_are_at_least_44_by_44_px() {
    let portal = Portal::start();
    let b = start_browser().await;
    for path in routes(&portal)
        .await
        .iter()
        .map(String::as_str)
        .chain(["/vraag?voor=pleegouder", "/en/ask"])
    {
        open(&b, &portal, path).await;
        let route = path.split('?').next().unwrap_or(path);
        if Lang::ALL.iter().any(|l| Special::Ask.route(*l) == route) {
            // Show every conditional part of the form.
            b.click("#safe_now-no").await;
            b.click("#channel-sms").await;
        }
        let small = b.js(TARGETS).await;
        assert_eq!(
            small,
            Value::Array(vec![]),
            "{path}: targets under 44 × 44 px"
        );
    }
    b.close().await;
}

#[tokio::test]
async fn motion_is_left_out_when_the_device_asks_for_less() {
    let portal = Portal::start();
    let duration = "return getComputedStyle(document.querySelector('.button')).transitionDuration";
    let b = start_browser().await;
    open(&b, &portal, "/12-plus").await;
    assert_eq!(b.js(duration).await, "0.15s", "a short transition normally");
    b.close().await;

    let b = start_browser_with(BrowserOptions {
        reduced_motion: true,
        ..BrowserOptions::default()
    })
    .await;
    open(&b, &portal, "/12-plus").await;
    assert_eq!(
        b.js("return matchMedia('(prefers-reduced-motion: reduce)').matches")
            .await,
        true
    );
    assert_eq!(
        b.js(duration).await,
        "0s",
        "no transition with reduced motion"
    );
    b.close().await;
}

#[test]
fn every_page_is_in_the_language_of_its_path() {
    for page in kjr_site::render_all(&kjr_site::SiteConfig::default()) {
        assert_eq!(Lang::of_path(page.route()), page.lang, "{}", page.route());
    }
}
