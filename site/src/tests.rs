use super::*;

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

#[test]
fn every_page_exists_in_dutch_and_english_with_one_heading() {
    let pages = pages();
    assert_eq!(pages.len(), PAGES.len() * Lang::ALL.len());
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
    for page in pages() {
        for href in hrefs(body(&page.html)) {
            if href.starts_with("tel:")
                || href == "#main"
                || href == DEFAULT_EXIT_URL
                || href.starts_with("https://www.jeugdstem.nl")
            {
                continue;
            }
            let path = href.split('?').next().unwrap_or(href);
            let target = PAGES
                .iter()
                .flat_map(|d| Lang::ALL.iter().map(move |l| (d, *l)))
                .find(|(d, l)| d.route(*l) == path && d.kind != Kind::NotFound);
            let Some((def, lang)) = target else {
                panic!("{}: link to {href} leads to no page", page.route());
            };
            // The language switch is the one link to the other language.
            let is_switch =
                body(&page.html).contains(&format!("class=\"lang-switch\" href=\"{href}\""));
            assert!(
                lang == page.lang || is_switch,
                "{}: {href} is a page in the other language",
                page.route()
            );
            if let Some(query) = href.split_once('?').map(|(_, q)| q) {
                assert_eq!(def.kind, Kind::Form, "{}: {href}", page.route());
                let voor = query.strip_prefix("voor=").unwrap_or("");
                assert!(
                    kjr_domain::Audience::from_wire(voor).is_some(),
                    "{}: {href}",
                    page.route()
                );
            }
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
fn only_the_form_page_loads_the_app() {
    for page in pages() {
        assert_eq!(
            page.html.contains("/init.js"),
            page.def.kind == Kind::Form,
            "{}",
            page.route()
        );
        assert_eq!(
            page.html.contains("id=\"app\""),
            page.def.kind == Kind::Form
        );
    }
}

#[test]
fn paths_map_to_the_files_static_hosting_keeps() {
    assert_eq!(file_for_path("/").as_deref(), Some("index.html"));
    assert_eq!(file_for_path("/12-plus").as_deref(), Some("12-plus.html"));
    assert_eq!(file_for_path("/12-plus/").as_deref(), Some("12-plus.html"));
    assert_eq!(file_for_path("/en").as_deref(), Some("en.html"));
    assert_eq!(file_for_path("/en/ask").as_deref(), Some("en/ask.html"));
    assert_eq!(file_for_path("/style.css"), None);
    assert_eq!(file_for_path("/pkg/kjr_bg.wasm"), None);
    let files: std::collections::HashSet<String> = pages().iter().map(Page::file).collect();
    assert_eq!(
        files.len(),
        PAGES.len() * Lang::ALL.len(),
        "two pages share a file"
    );
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
    }
}

#[test]
fn titles_and_descriptions_are_escaped() {
    assert_eq!(escape("a & <b> \"c\""), "a &amp; &lt;b&gt; &quot;c&quot;");
}

#[test]
fn every_language_has_every_page_and_no_unknown_one() {
    for (tag, name, _) in FRAGMENTS {
        assert!(
            PAGES.iter().any(|p| p.name == *name),
            "content/{tag}/{name}.html is no page"
        );
    }
    for page in PAGES {
        for lang in Lang::ALL {
            assert!(
                !fragment(page.name, *lang).is_empty(),
                "{lang}: {}",
                page.name
            );
        }
    }
}

#[test]
fn helplines_and_form_links_in_content_come_from_the_vocabulary() {
    let html = layout::expand("{{helpline veilig-thuis}} {{ask 12-plus}}", Lang::En).unwrap();
    assert_eq!(
        html,
        "<a href=\"tel:08002000\">Veilig Thuis: 0800-2000</a> /en/ask?voor=12-plus"
    );
    assert!(layout::expand("{{helpline 0900}}", Lang::Nl).is_err());
    assert!(layout::expand("{{ask robots}}", Lang::Nl).is_err());
    assert!(layout::expand("{{colour blue}}", Lang::Nl).is_err());
}
