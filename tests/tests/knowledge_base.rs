//! The knowledge base in a real browser and over HTTP: every audience's pages two taps from
//! the home page, search (Pagefind, diacritics folded), read-aloud sentence by sentence in
//! Dutch (with `speechSynthesis` replaced by a recorder), and the language switch of every
//! page in the sitemap.

use kjr_site::{Audience, Kind, Lang};
use kjr_tests::browser::{
    Browser, VOICES, assert_quick_exit_silences, record_speech, start_browser,
};
use kjr_tests::servers::Portal;

fn pages() -> Vec<kjr_site::Page> {
    kjr_site::render_all(&kjr_site::SiteConfig::default())
}

/// Taps `css` and waits for the page at `path`.
async fn tap(b: &Browser, css: &str, path: &str) {
    b.click(css).await;
    b.wait_until(&format!(
        "location.pathname === '{path}' && document.activeElement === document.querySelector('main h1')"
    ))
    .await;
}

#[tokio::test]
async fn every_audience_s_pages_are_two_taps_from_the_home_page() {
    let portal = Portal::start();
    let b = start_browser().await;
    let pages = pages();
    for lang in Lang::ALL {
        for audience in Audience::ALL {
            let section = pages
                .iter()
                .find(|p| {
                    p.kind == Kind::Section && p.lang == *lang && p.audience == Some(*audience)
                })
                .expect("a section");
            let articles: Vec<&kjr_site::Page> = pages
                .iter()
                .filter(|p| {
                    p.kind == Kind::Article && p.lang == *lang && p.audience == Some(*audience)
                })
                .collect();
            let home = if *lang == Lang::Nl { "/" } else { "/en" };
            b.goto(&format!("{}{home}", portal.url())).await;
            b.wait_css("main h1").await;
            // Tap 1: the audience's choice.
            tap(
                &b,
                &format!(".choice-link[href='{}']", section.route()),
                section.route(),
            )
            .await;
            let listed = b
                .js("return [...document.querySelectorAll('.page-list a')].map(a => a.getAttribute('href'))")
                .await;
            let routes: Vec<&str> = articles.iter().map(|p| p.route()).collect();
            assert_eq!(listed, serde_json::json!(routes), "{}", section.route());
            // Tap 2: a page (the last, so every position in the list is reachable).
            let last = routes.last().expect("articles");
            tap(&b, &format!(".page-list a[href='{last}']"), last).await;
            assert!(b.text("main h1").await.ends_with('?'));
        }
    }
    b.close().await;
}

/// Types `query` into the search box and waits for results; returns their addresses.
async fn search(b: &Browser, query: &str) -> Vec<String> {
    b.js("const i = document.getElementById('search-input'); i.value = ''; return 1")
        .await;
    b.type_into("#search-input", query).await;
    b.wait_until(&format!(
        "document.querySelector('.search-results').dataset.query === '{query}'"
    ))
    .await;
    let found = b
        .js("return [...document.querySelectorAll('.search-results a')].map(a => a.getAttribute('href'))")
        .await;
    serde_json::from_value(found).expect("addresses")
}

#[tokio::test]
async fn search_finds_a_page_by_a_word_in_its_body_ignoring_diacritics() {
    let portal = Portal::start();
    let b = start_browser().await;
    let family = pages()
        .into_iter()
        .find(|p| p.route() == "/12-plus/contact-met-familie")
        .expect("the family page");
    // The word is in the text only, not in the title or summary.
    assert!(family.html.contains("reünie"));
    assert!(!family.title.contains("reünie"));
    b.goto(&format!("{}/12-plus", portal.url())).await;
    let before = b
        .js("return performance.getEntriesByType('resource').filter(e => e.name.includes('pagefind')).length")
        .await;
    assert_eq!(before, 0, "Pagefind loads only when someone searches");
    let found = search(&b, "reunie").await;
    assert_eq!(
        found.first().map(String::as_str),
        Some("/12-plus/contact-met-familie"),
        "{found:?}"
    );
    // Only pages of the page's own language.
    let found = search(&b, "pleegzorgbegeleider").await;
    assert!(found.len() > 1);
    assert!(found.iter().all(|f| !f.starts_with("/en/")), "{found:?}");
    // Keyboard: Enter moves to the first result, which opens the page.
    b.js("document.getElementById('search-input').focus(); return 1")
        .await;
    b.wait_css("#search-input")
        .await
        .send_keys("\u{E007}")
        .await
        .expect("enter");
    b.wait_until("document.activeElement && document.activeElement.closest('.search-results')")
        .await;
    b.js("document.activeElement.click(); return 1").await;
    b.wait_until(&format!("location.pathname === '{}'", found[0]))
        .await;
    // After switching language inside the site (the page is swapped in, Pagefind already
    // started for Dutch), the English index is searched.
    b.goto(&format!("{}/12-plus", portal.url())).await;
    search(&b, "reunie").await;
    tap(&b, ".lang-switch", "/en/12-plus").await;
    let found = search(&b, "reunion").await;
    assert_eq!(
        found.first().map(String::as_str),
        Some("/en/12-plus/contact-with-family"),
        "{found:?}"
    );
    let nothing = search(&b, "xylofoonvogel").await;
    assert!(nothing.is_empty());
    assert!(b.text(".search-status").await.contains("Nothing found"));
    b.close().await;
}

#[tokio::test]
async fn read_aloud_speaks_sentence_by_sentence_in_dutch_and_the_quick_exit_stops_it() {
    let portal = Portal::start();
    let b = start_browser().await;
    let path = "/jonger-dan-12/alleen-praten";
    b.goto(&format!("{}{path}", portal.url())).await;
    b.wait_css(".read-aloud:not([hidden]) .read-aloud-play")
        .await;
    record_speech(&b, VOICES).await;
    b.click(".read-aloud-play").await;
    let expected = b
        .js("return document.querySelectorAll('.read-aloud-text p, .read-aloud-text li, .read-aloud-text h2').length")
        .await
        .as_u64()
        .unwrap();
    // Reads to the end, then the control is back at "Lees voor".
    b.wait_until("!document.querySelector('.read-aloud-play').hidden")
        .await;
    let spoken = b.js("return window.__rec.spoken").await;
    let spoken = spoken.as_array().unwrap();
    assert!(
        spoken.len() as u64 > expected,
        "one utterance per sentence: {}",
        spoken.len()
    );
    for u in spoken {
        assert_eq!(u["lang"], "nl-NL", "{u}");
        assert_eq!(u["voice"], "Lokaal NL", "the local Dutch voice: {u}");
        assert_eq!(u["highlighted"], true, "the sentence is highlighted: {u}");
        let text = u["text"].as_str().unwrap();
        assert!(
            !text.contains(". ") && !text.contains("! ") && !text.contains("? "),
            "one sentence per utterance: {text}"
        );
    }
    assert_eq!(spoken[0]["text"], "Ja.");
    // Pause and go on.
    b.js("window.__rec.spoken = []; return 1").await;
    b.click(".read-aloud-play").await;
    b.click(".read-aloud-pause").await;
    let paused = b
        .js("return window.__rec.spoken.length")
        .await
        .as_u64()
        .unwrap();
    assert_eq!(b.text(".read-aloud-pause").await, "Verder");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        b.js("return window.__rec.spoken.length")
            .await
            .as_u64()
            .unwrap(),
        paused,
        "paused"
    );
    b.click(".read-aloud-pause").await;
    b.wait_until(&format!("window.__rec.spoken.length > {paused}"))
        .await;
    // The quick exit silences it at once.
    assert_quick_exit_silences(&b).await;
    b.close().await;
}

#[tokio::test]
async fn without_a_dutch_voice_read_aloud_says_so_and_stays_silent() {
    let portal = Portal::start();
    let b = start_browser().await;
    b.goto(&format!("{}/12-plus/alleen-praten", portal.url()))
        .await;
    b.wait_css(".read-aloud:not([hidden])").await;
    record_speech(
        &b,
        "[{ name: 'Google US', lang: 'en-US', localService: true }]",
    )
    .await;
    b.click(".read-aloud-play").await;
    b.wait_text("geen Nederlandse stem").await;
    assert_eq!(b.js("return window.__rec.spoken.length").await, 0);
    b.close().await;
}

#[tokio::test]
async fn the_language_switch_of_every_page_in_the_sitemap_leads_to_the_same_page() {
    let portal = Portal::start();
    let http = reqwest::Client::new();
    let get = |path: String| {
        let http = http.clone();
        let url = format!("{}{path}", portal.url());
        async move {
            let r = http.get(&url).send().await.expect("page");
            assert_eq!(r.status(), 200, "{url}");
            r.text().await.expect("text")
        }
    };
    let paths = portal.sitemap_paths().await;
    assert!(paths.len() > 80);
    let switch = |html: &str| -> String {
        html.split("class=\"lang-switch\" href=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .expect("a language switch")
            .to_owned()
    };
    for path in &paths {
        let html = get(path.clone()).await;
        let other = switch(&html);
        assert!(
            paths.contains(&other),
            "{path}: switch to {other}, not in the sitemap"
        );
        let back = switch(&get(other.clone()).await);
        assert_eq!(&back, path, "{path} → {other} → {back}");
        assert_ne!(Lang::of_path(&other), Lang::of_path(path));
    }
}
