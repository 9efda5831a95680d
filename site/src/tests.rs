use std::collections::{BTreeMap, HashSet};

use super::*;
use crate::content::{Origin, sentences};

fn pages() -> Vec<Page> {
    render_all(&SiteConfig::default())
}

/// Every `href="…"` value in `html`.
fn hrefs(html: &str) -> Vec<&str> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

fn body(html: &str) -> &str {
    html.split_once("<body>").map(|(_, b)| b).unwrap_or("")
}

fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a main");
    let end = html.find("</main>").expect("a main end");
    &html[start..end]
}

#[test]
fn every_page_exists_in_dutch_and_english_with_one_heading() {
    let pages = pages();
    for lang in Lang::ALL {
        assert_eq!(
            pages.iter().filter(|p| p.lang == *lang).count(),
            pages.len() / Lang::ALL.len(),
            "every language has as many pages"
        );
    }
    for page in &pages {
        assert_eq!(page.html.matches("<h1").count(), 1, "{}", page.route());
        assert!(page.html.contains(&format!(
            "<html lang=\"{}\" dir=\"{}\">",
            page.lang.tag(),
            page.lang.dir().as_str()
        )));
        assert!(
            !page.html.contains("<title> –"),
            "{} has no title",
            page.route()
        );
    }
}

#[test]
fn each_audience_has_enough_pages_in_each_language() {
    let c = content();
    for lang in Lang::ALL {
        for (audience, least) in [
            (Audience::Under12, 8),
            (Audience::TwelvePlus, 12),
            (Audience::FosterParent, 8),
            (Audience::Professional, 6),
        ] {
            let n = c.lang(*lang).section(audience).articles.len();
            assert!(n >= least, "{lang}/{audience}: {n} pages, at least {least}");
        }
    }
}

#[test]
fn quick_exit_is_the_first_link_of_every_page() {
    for page in pages() {
        let first = body(&page.html).split("<a ").nth(1).unwrap_or("");
        assert!(
            first.starts_with("id=\"quick-exit\""),
            "{}: first link is {first:.60}",
            page.route()
        );
        assert!(first.contains(&format!("href=\"{DEFAULT_EXIT_URL}\"")));
    }
}

#[test]
fn pages_have_no_inline_script_style_or_event_handlers() {
    for page in pages() {
        let b = body(&page.html);
        for bad in [
            "<script",
            " style=",
            "<style",
            " onclick",
            " onload",
            " onerror",
            "javascript:",
        ] {
            assert!(!b.contains(bad), "{} contains {bad}", page.route());
        }
    }
}

#[test]
fn internal_links_lead_to_pages_of_the_same_language() {
    let pages = pages();
    let routes: BTreeMap<&str, &Page> = pages
        .iter()
        .filter(|p| p.kind != Kind::NotFound)
        .map(|p| (p.route(), p))
        .collect();
    for page in &pages {
        for href in hrefs(body(&page.html)) {
            if href.starts_with("tel:")
                || href.starts_with('#')
                || href == DEFAULT_EXIT_URL
                || href.starts_with("https://")
            {
                if let Some(id) = href.strip_prefix('#') {
                    assert!(
                        page.html.contains(&format!("id=\"{id}\"")),
                        "{}: {href} points at nothing on the page",
                        page.route()
                    );
                }
                continue;
            }
            let path = href.split('?').next().unwrap_or(href);
            let Some(target) = routes.get(path) else {
                panic!("{}: link to {href} leads to no page", page.route());
            };
            // The language switch is the one link to the other language.
            let is_switch =
                body(&page.html).contains(&format!("class=\"lang-switch\" href=\"{href}\""));
            assert!(
                target.lang == page.lang || is_switch,
                "{}: {href} is a page in the other language",
                page.route()
            );
            if let Some(query) = href.split_once('?').map(|(_, q)| q) {
                assert_eq!(target.kind, Kind::Form, "{}: {href}", page.route());
                let voor = query.strip_prefix("voor=").unwrap_or("");
                assert!(
                    Audience::from_wire(voor).is_some(),
                    "{}: {href}",
                    page.route()
                );
            }
        }
    }
}

#[test]
fn the_language_switch_leads_to_the_same_page_in_the_other_language() {
    let pages = pages();
    for page in pages.iter().filter(|p| p.kind != Kind::NotFound) {
        for (other, route) in &page.alternates {
            let target = pages
                .iter()
                .find(|p| p.route() == route)
                .unwrap_or_else(|| panic!("{}: alternate {route} is no page", page.route()));
            assert_eq!(target.lang, *other);
            assert_eq!(target.kind, page.kind, "{} ↔ {route}", page.route());
            assert!(
                target
                    .alternates
                    .iter()
                    .any(|(l, r)| *l == page.lang && r == page.route()),
                "{route} does not lead back to {}",
                page.route()
            );
        }
    }
}

#[test]
fn headings_do_not_skip_levels() {
    for page in pages() {
        let mut last = 0;
        for part in page.html.split("<h").skip(1) {
            let Some(level) = part.chars().next().and_then(|c| c.to_digit(10)) else {
                continue;
            };
            assert!(
                level <= last + 1,
                "{}: h{level} after h{last}",
                page.route()
            );
            last = level;
        }
    }
}

#[test]
fn the_search_box_is_there_from_the_first_paint_and_goes_without_javascript() {
    let noscript = include_str!("../../app/noscript.css");
    assert!(noscript.contains("form.search, #reply form { display: none; }"));
    let mut with_search = 0;
    for page in pages() {
        assert!(
            page.html
                .contains("<noscript><link rel=\"stylesheet\" href=\"/noscript.css\"></noscript>"),
            "{}",
            page.route()
        );
        if page.html.contains("<form class=\"search\"") {
            with_search += 1;
            // Shown by the HTML itself: site.js showing it later would move the page.
            assert!(
                page.html
                    .contains("<form class=\"search\" role=\"search\" action=\"#\""),
                "{}",
                page.route()
            );
        }
    }
    assert!(with_search >= 10, "{with_search}");
}

#[test]
fn only_the_form_page_loads_the_app() {
    for page in pages() {
        assert_eq!(
            page.html.contains("/init.js"),
            page.kind == Kind::Form,
            "{}",
            page.route()
        );
        assert_eq!(page.html.contains("id=\"app\""), page.kind == Kind::Form);
    }
}

#[test]
fn every_article_and_index_ends_with_the_ask_block_and_the_help_block() {
    for page in pages()
        .iter()
        .filter(|p| matches!(p.kind, Kind::Article | Kind::Section))
    {
        let main = main_of(&page.html);
        let sections: Vec<&str> = main.split("<section class=\"").skip(1).collect();
        let n = sections.len();
        assert!(n >= 2, "{}", page.route());
        assert!(sections[n - 2].starts_with("ask-block"), "{}", page.route());
        assert!(sections[n - 1].starts_with("help-block"));
        let form = content::form_href(page.audience.unwrap(), page.lang);
        assert!(
            sections[n - 2].contains(&format!("href=\"{form}\"")),
            "{}: the ask block leads to the form for its audience",
            page.route()
        );
        for h in kjr_domain::Helpline::ALL {
            assert!(sections[n - 1].contains(&h.tel_href()));
        }
    }
}

#[test]
fn every_article_shows_its_sources_and_is_readable_without_javascript() {
    let c = content();
    let pages = pages();
    for lang in Lang::ALL {
        for s in &c.lang(*lang).sections {
            for a in &s.articles {
                assert!(!a.sources.is_empty(), "{}", a.route(*lang));
                let page = pages.iter().find(|p| p.route == a.route(*lang)).unwrap();
                let heading = match lang {
                    Lang::Nl => "Waar komt dit vandaan?",
                    Lang::En => "Where does this come from?",
                };
                assert!(page.html.contains(heading), "{}", page.route);
                // The whole text is in the HTML the server sends.
                assert!(page.html.contains(&a.body.html), "{}", page.route);
                let listed = page.html.matches("<li>").count();
                assert!(listed >= a.sources.len(), "{}", page.route);
                for source in &a.sources {
                    if let Origin::Outside { url } = &source.origin {
                        assert!(page.html.contains(url.as_str()));
                    }
                }
            }
        }
    }
}

#[test]
fn glossary_terms_are_explained_on_the_page_that_uses_them() {
    for page in pages() {
        for href in hrefs(main_of(&page.html)) {
            if let Some(id) = href.strip_prefix("#woord-") {
                let anchor = format!("<dt id=\"woord-{id}\">");
                assert!(page.html.contains(&anchor), "{}: {id}", page.route());
            }
        }
    }
}

#[test]
fn the_sitemap_lists_every_page_with_its_translation() {
    let config = SiteConfig::default();
    let pages = render_all(&config);
    let xml = sitemap(&pages, &config);
    for page in pages.iter().filter(|p| p.kind != Kind::NotFound) {
        let loc = format!("<loc>{DEFAULT_BASE_URL}{}</loc>", page.route());
        assert_eq!(xml.matches(&loc).count(), 1, "{}", page.route());
    }
    assert!(!xml.contains("/404<"));
    let urls = xml.matches("<url>").count();
    assert_eq!(
        xml.matches("<xhtml:link").count(),
        urls * Lang::ALL.len(),
        "every entry names itself and its translation"
    );
}

#[test]
fn paths_map_to_the_files_static_hosting_keeps() {
    assert_eq!(file_for_path("/").as_deref(), Some("index.html"));
    assert_eq!(file_for_path("/12-plus").as_deref(), Some("12-plus.html"));
    assert_eq!(file_for_path("/12-plus/").as_deref(), Some("12-plus.html"));
    assert_eq!(
        file_for_path("/12-plus/alleen-praten").as_deref(),
        Some("12-plus/alleen-praten.html")
    );
    assert_eq!(file_for_path("/en").as_deref(), Some("en.html"));
    assert_eq!(file_for_path("/en/ask").as_deref(), Some("en/ask.html"));
    assert_eq!(file_for_path("/style.css"), None);
    assert_eq!(file_for_path("/pkg/kjr_bg.wasm"), None);
    let pages = pages();
    let files: HashSet<String> = pages.iter().map(Page::file).collect();
    assert_eq!(files.len(), pages.len(), "two pages share a file");
}

#[test]
fn the_exit_address_must_be_an_absolute_web_address() {
    assert!(SiteConfig::new("https://www.example.org/weer").is_ok());
    for bad in [
        "javascript:alert(1)",
        "/weer",
        "https://",
        "https://x.org/\"onmouseover=\"x",
        "data:text/html,hi",
        "https:///x",
    ] {
        assert!(SiteConfig::new(bad).is_err(), "{bad}");
        assert!(SiteConfig::default().with_base_url(bad).is_err(), "{bad}");
    }
}

/// The files of the real content, with some replaced or added.
fn with(changes: &[(&str, Option<&str>)]) -> Result<content::Content, Vec<String>> {
    let mut files: BTreeMap<&str, &str> = files::FILES.iter().copied().collect();
    for (path, text) in changes {
        match text {
            Some(t) => files.insert(path, t),
            None => files.remove(path),
        };
    }
    let list: Vec<(&str, &str)> = files.into_iter().collect();
    content::Content::load(&list)
}

const GOOD: &str = "+++\ntitle = \"Mag ik iets vragen?\"\nsummary = \"Ja.\"\naudience = \"12-plus\"\norder = 900\nreviewed = 2026-12-02\n\n[[sources]]\nclaim = \"Recht op een vertrouwenspersoon\"\nseed = \"000:748-750\"\n+++\nTekst met een [woord](woord:steunfiguur).\n";

fn one_error(changes: &[(&str, Option<&str>)]) -> String {
    let errors = with(changes).expect_err("the content must be refused");
    errors.join("\n")
}

#[test]
fn the_real_content_loads() {
    assert!(with(&[]).is_ok());
}

#[test]
fn a_page_is_added_by_adding_a_file_in_both_languages() {
    let en = GOOD.replace("Mag ik iets vragen?", "May I ask?");
    let c = with(&[
        ("nl/12-plus/nieuw.md", Some(GOOD)),
        ("en/12-plus/new.md", Some(&en)),
    ])
    .expect("loads");
    assert!(
        c.lang(Lang::Nl)
            .section(Audience::TwelvePlus)
            .articles
            .iter()
            .any(|a| a.slug == "nieuw")
    );
}

#[test]
fn content_mistakes_fail_with_the_file_named() {
    let en = GOOD.replace("Mag ik iets vragen?", "May I ask?");
    let pair = |nl: &str| {
        one_error(&[
            ("nl/12-plus/nieuw.md", Some(nl)),
            ("en/12-plus/new.md", Some(&en)),
        ])
    };
    let unknown = GOOD.replace("order = 900", "order = 900\ncolour = \"blue\"");
    assert!(
        pair(&unknown).contains("unknown field `colour`"),
        "{}",
        pair(&unknown)
    );
    let broken = GOOD.replace("woord:steunfiguur", "/12-plus/bestaat-niet");
    assert!(pair(&broken).contains("nl/12-plus/nieuw.md: link to /12-plus/bestaat-niet"));
    let term = GOOD.replace("woord:steunfiguur", "woord:onbekend");
    assert!(pair(&term).contains("woord:onbekend"));
    let raw = GOOD.replace("Tekst met", "<script>x</script> Tekst met");
    assert!(pair(&raw).contains("raw HTML"));
    let seed = GOOD.replace("000:748-750", "009:1");
    assert!(pair(&seed).contains("no seed document 009"));
    let unverified = GOOD.replace("seed = \"000:748-750\"", "url = \"https://example.org/\"");
    assert!(pair(&unverified).contains("verify = true"));
    let statement = GOOD.replace("Mag ik iets vragen?", "Iets vragen");
    assert!(pair(&statement).contains("question"));
    let nosources = GOOD.replace(
        "[[sources]]\nclaim = \"Recht op een vertrouwenspersoon\"\nseed = \"000:748-750\"\n",
        "sources = []\n",
    );
    assert!(pair(&nosources).contains("sources"));
    let wrong = GOOD.replace("audience = \"12-plus\"", "audience = \"pleegouder\"");
    assert!(pair(&wrong).contains("folder"));
    // A page without its translation.
    let alone = one_error(&[("nl/12-plus/nieuw.md", Some(GOOD))]);
    assert!(alone.contains("no en page with order = 900"), "{alone}");
    let bad_slug = one_error(&[("nl/12-plus/Nieuw Bestand.md", Some(GOOD))]);
    assert!(bad_slug.contains("a–z"));
    let index = one_error(&[("nl/12-plus/index.md", Some(GOOD))]);
    assert!(index.contains("a–z"), "{index}");
    let raw_term = GOOD.replace("woord:steunfiguur", "#woord-steunfiguur");
    assert!(pair(&raw_term).contains("write woord:ID"));
    // The front matter ends at a line that is exactly +++.
    let glued = GOOD.replace("\n+++\nTekst", "\n++++\nTekst");
    assert!(
        pair(&glued).contains("no +++ front matter"),
        "{}",
        pair(&glued)
    );
}

/// Syllables per Dutch or English word, from TeX hyphenation patterns (minima 1, 1).
struct Syllables {
    dict: hyphenation::Standard,
}

impl Syllables {
    fn new(lang: Lang) -> Self {
        use hyphenation::{Language, Load};
        let language = match lang {
            Lang::Nl => Language::Dutch,
            Lang::En => Language::EnglishGB,
        };
        let mut dict = hyphenation::Standard::from_embedded(language).expect("patterns");
        dict.minima = (1, 1);
        Self { dict }
    }

    fn count(&self, word: &str) -> usize {
        use hyphenation::Hyphenator;
        word.split('-')
            .filter(|part| !part.is_empty())
            .map(|part| self.dict.hyphenate(&part.to_lowercase()).breaks.len() + 1)
            .sum()
    }
}

/// Flesch–Douma (Dutch) or Flesch reading ease (English) of a Markdown text.
fn reading_ease(markdown: &str, lang: Lang, syllables: &Syllables) -> f64 {
    let sentences = sentences(markdown);
    let words: Vec<&str> = sentences
        .iter()
        .flat_map(|s| {
            s.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
                .filter(|w| w.chars().any(char::is_alphabetic))
        })
        .collect();
    let wps = words.len() as f64 / sentences.len() as f64;
    let spw = words.iter().map(|w| syllables.count(w)).sum::<usize>() as f64 / words.len() as f64;
    match lang {
        Lang::Nl => 206.835 - 0.93 * wps - 77.0 * spw,
        Lang::En => 206.835 - 1.015 * wps - 84.6 * spw,
    }
}

#[test]
fn every_page_meets_the_reading_ease_floor_of_its_audience() {
    let c = content();
    let mut failures = Vec::new();
    for lang in Lang::ALL {
        let syllables = Syllables::new(*lang);
        for s in &c.lang(*lang).sections {
            let floor = match s.audience {
                Audience::Under12 => 80.0,
                Audience::TwelvePlus => 70.0,
                Audience::FosterParent => 60.0,
                Audience::Professional => 50.0,
            };
            for a in &s.articles {
                let score = reading_ease(&a.body.markdown, *lang, &syllables);
                // Shown with --nocapture: the figures per page for the closing note.
                println!("{score:6.1}  floor {floor}  {}", a.route(*lang));
                if score.is_nan() || score < floor {
                    failures.push(format!("{}: {score:.1} < {floor}", a.route(*lang)));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "too hard to read:\n{}",
        failures.join("\n")
    );
}

/// Every new text a child reads about the conversation on the website: the confirmation's
/// code words, the reply page, the API's answers there, and the promise. Flesch–Douma ≥ 80.
#[test]
fn the_texts_of_the_conversation_on_the_website_are_easy_to_read() {
    use kjr_domain::{ApiProblem, Reference, RequestReceipt};
    let t = kjr_app::i18n::texts(Lang::Nl);
    let r = layout::reply_words(Lang::Nl);
    let words = Lang::Nl.words();
    let receipt = RequestReceipt::new(Reference::from_random([7; 8]), false, 48).on_website();
    let mut texts: Vec<String> = [
        t.words_intro,
        t.keep_words,
        t.keep_words_code,
        r.reference_hint,
        r.words_hint,
        r.fill_both,
        r.lost,
        r.none_yet,
        r.write_hint,
        r.write_first,
        r.sent,
        r.ended,
        r.idle,
        r.failed,
        r.no_script,
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    texts.push(receipt.next_steps.clone());
    texts.push(
        content()
            .lang(Lang::Nl)
            .special(Special::Reply)
            .body
            .markdown
            .clone(),
    );
    for problem in [
        ApiProblem::ConversationNotFound,
        ApiProblem::ConversationLocked {
            retry_after_seconds: 900,
        },
        ApiProblem::ConversationClosed,
    ] {
        texts.push(words.api_problem(&problem));
    }
    let syllables = Syllables::new(Lang::Nl);
    let mut failures = Vec::new();
    for text in &texts {
        let score = reading_ease(text, Lang::Nl, &syllables);
        println!("{score:6.1}  {text}");
        if score.is_nan() || score < 80.0 {
            failures.push(format!("{score:.1}: {text}"));
        }
    }
    assert!(
        failures.is_empty(),
        "too hard to read:\n{}",
        failures.join("\n")
    );
}

#[test]
fn reading_ease_counts_sentences_and_syllables() {
    let nl = Syllables::new(Lang::Nl);
    assert_eq!(nl.count("vertrouwenspersoon"), 5);
    assert_eq!(nl.count("kind"), 1);
    assert_eq!(
        sentences("## Kop\n\nEen zin. Nog een zin!\n\n- punt een\n- punt twee\n"),
        ["Kop", "Een zin.", "Nog een zin!", "punt een", "punt twee"]
    );
    // Short words in short sentences read easily; long ones do not.
    assert!(reading_ease("Ik ben blij. Jij bent lief.", Lang::Nl, &nl) > 100.0);
    assert!(
        reading_ease(
            "De pleegzorgbegeleider informeert de gecertificeerde instelling over de uitvoeringsproblematiek.",
            Lang::Nl,
            &nl
        ) < 30.0
    );
}

/// Every Dutch text of the picture route, for children from 6: Flesch–Douma ≥ 85. (The
/// English texts are printed with their Flesch score: for texts of three to ten words the
/// English hyphenation patterns' syllable counts make that score noise.)
#[test]
fn every_text_of_the_picture_route_is_easy_to_read() {
    let mut failures = Vec::new();
    for lang in Lang::ALL.iter().copied() {
        let page = content().lang(lang).special(Special::Pictures);
        let mut texts = crate::pictures::every_text(lang);
        texts.push(page.front.title.clone());
        texts.push(page.front.summary.clone());
        texts.push(page.body.markdown.clone());
        let syllables = Syllables::new(lang);
        for text in &texts {
            let score = reading_ease(text, lang, &syllables);
            println!("{lang} {score:6.1}  {text}");
            if lang == Lang::Nl && (score.is_nan() || score < 85.0) {
                failures.push(format!("{lang} {score:.1}: {text}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "too hard to read:\n{}",
        failures.join("\n")
    );
}
