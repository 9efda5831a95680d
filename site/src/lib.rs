//! The public pages of Ken je rechten as complete HTML documents, in Dutch and English.
//!
//! Every page's real content is in the HTML the server sends, so it is painted before (and
//! without) any JavaScript. The text lives in `site/content/LANG/`: Markdown files with TOML
//! front matter (see [`content`]), found from the files, so adding a page is adding a file.
//! This crate wraps each in the shared layout (maud): the quick-exit link first, the header,
//! `<main>`, the help block and the footer. The request form page also loads the wasm app,
//! which mounts the form into `#app` below the page's own heading.
//!
//! The local server renders the pages in memory at start (so the exit address is runtime
//! configuration); `cargo xtask build-app` writes the same pages as files for static hosting.

pub mod content;
mod layout;
mod pictures;

use std::sync::OnceLock;

pub use kjr_domain::{Audience, Lang};

use content::{Content, Special, section_route};

/// What kind of page a route is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `/`: the audience choices.
    Home,
    /// An audience's index page: every article of that audience.
    Section,
    /// A knowledge-base article.
    Article,
    /// Other text (safe online, accessibility).
    Text,
    /// Every glossary term.
    Glossary,
    /// The request form: static heading and intro, the wasm app mounts the form below.
    Form,
    /// "Lees je antwoord": the conversation, by reply.js (no wasm).
    Reply,
    /// The picture route for children under 12, by pictures.js (no wasm).
    Pictures,
    /// Shown (with status 404) for paths that are no page.
    NotFound,
}

/// The default quick-exit destination: an ordinary weather forecast.
pub const DEFAULT_EXIT_URL: &str = "https://www.knmi.nl/nederland-nu/weer/verwachtingen";

/// Settings the pages depend on.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    /// Where "Snel weg" goes (an absolute http(s) address of a neutral site).
    pub exit_url: String,
    /// The portal's public address (`KJR_PUBLIC_URL`), for the sitemap and `hreflang` links,
    /// which must be absolute.
    pub base_url: String,
}

/// The default public address: the local server.
pub const DEFAULT_BASE_URL: &str = "http://127.0.0.1:8080";

impl Default for SiteConfig {
    fn default() -> Self {
        Self {
            exit_url: DEFAULT_EXIT_URL.to_owned(),
            base_url: DEFAULT_BASE_URL.to_owned(),
        }
    }
}

/// The exit address is not an absolute http(s) address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadExitUrl(pub String);

impl std::fmt::Display for BadExitUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the quick-exit and public addresses must start with https:// or http:// and have no spaces or quotes: {:?}",
            self.0
        )
    }
}

impl std::error::Error for BadExitUrl {}

fn is_web_address(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|r| {
        !r.is_empty()
            && !r.starts_with('/')
            && !r.chars().any(|c| {
                c.is_whitespace()
                    || c.is_control()
                    || matches!(c, '"' | '\'' | '<' | '>' | '`' | '&')
            })
    })
}

impl SiteConfig {
    /// Checks `exit_url`: absolute http(s), no whitespace or quotes.
    pub fn new(exit_url: impl Into<String>) -> Result<Self, BadExitUrl> {
        let exit_url = exit_url.into();
        if is_web_address(&exit_url) {
            Ok(Self {
                exit_url,
                ..Self::default()
            })
        } else {
            Err(BadExitUrl(exit_url))
        }
    }

    /// Sets the public address (absolute http(s), no path needed).
    pub fn with_base_url(self, base_url: impl Into<String>) -> Result<Self, BadExitUrl> {
        let base_url = base_url.into();
        if is_web_address(&base_url) {
            Ok(Self { base_url, ..self })
        } else {
            Err(BadExitUrl(base_url))
        }
    }
}

/// One rendered page.
#[derive(Debug, Clone)]
pub struct Page {
    /// What it is.
    pub kind: Kind,
    /// Its language.
    pub lang: Lang,
    /// The route it answers.
    pub route: String,
    /// The same page in the other languages.
    pub alternates: Vec<(Lang, String)>,
    /// Whose section it is in (sections and articles).
    pub audience: Option<Audience>,
    /// Its title.
    pub title: String,
    /// The complete HTML document.
    pub html: String,
}

impl Page {
    /// The route this page answers.
    pub fn route(&self) -> &str {
        &self.route
    }

    /// The file it is written to for static hosting (see [`file_for_path`]).
    pub fn file(&self) -> String {
        file_for_path(&self.route).unwrap_or_else(|| "404.html".to_owned())
    }
}

mod files {
    include!(concat!(env!("OUT_DIR"), "/content_files.rs"));
}

/// The content, compiled in. The build script has checked it with the same code, so loading
/// cannot fail here.
pub fn content() -> &'static Content {
    static CONTENT: OnceLock<Content> = OnceLock::new();
    CONTENT.get_or_init(|| {
        Content::load(files::FILES)
            .unwrap_or_else(|errors| panic!("site/content: {}", errors.join("\n")))
    })
}

/// Renders every page in every language.
pub fn render_all(config: &SiteConfig) -> Vec<Page> {
    let content = content();
    let mut pages = Vec::new();
    for lang in Lang::ALL.iter().copied() {
        let c = content.lang(lang);
        let others = |route: &dyn Fn(Lang) -> String| -> Vec<(Lang, String)> {
            lang.others().map(|o| (o, route(o))).collect()
        };
        let mut push = |kind: Kind,
                        route: String,
                        alternates: Vec<(Lang, String)>,
                        audience: Option<Audience>,
                        title: &str,
                        summary: &str,
                        main: maud::Markup| {
            let html = layout::document(
                layout::PageParts {
                    kind,
                    lang,
                    route: &route,
                    title,
                    summary,
                    alternates: &alternates,
                    main,
                },
                config,
            );
            pages.push(Page {
                kind,
                lang,
                route,
                alternates,
                audience,
                title: title.to_owned(),
                html,
            });
        };
        for special in Special::ALL.iter().copied() {
            let page = c.special(special);
            let (kind, main) = match special {
                Special::Home => (Kind::Home, layout::home(c, lang)),
                Special::Ask => (Kind::Form, layout::form(c, lang)),
                Special::Reply => (Kind::Reply, layout::reply(c, lang)),
                Special::Pictures => (Kind::Pictures, pictures::page(c, lang)),
                Special::SafeOnline | Special::Accessibility => {
                    (Kind::Text, layout::text(special, c, lang))
                }
                Special::Glossary => (Kind::Glossary, layout::glossary(c, lang)),
                // The 404 page's language switch leads to the other home page.
                Special::NotFound => (Kind::NotFound, layout::not_found(c, lang)),
            };
            let alternates = match special {
                Special::NotFound => others(&|o| Special::Home.route(o).to_owned()),
                _ => others(&|o| special.route(o).to_owned()),
            };
            push(
                kind,
                special.route(lang).to_owned(),
                alternates,
                None,
                &page.front.title,
                &page.front.summary,
                main,
            );
        }
        for s in &c.sections {
            push(
                Kind::Section,
                section_route(s.audience, lang),
                others(&|o| section_route(s.audience, o)),
                Some(s.audience),
                &s.front.title,
                &s.front.summary,
                layout::section(s, c, lang),
            );
            for a in &s.articles {
                let alternates = others(&|o| {
                    content
                        .lang(o)
                        .section(s.audience)
                        .articles
                        .iter()
                        .find(|x| x.front.order == a.front.order)
                        .map(|x| x.route(o))
                        .unwrap_or_else(|| section_route(s.audience, o))
                });
                push(
                    Kind::Article,
                    a.route(lang),
                    alternates,
                    Some(s.audience),
                    &a.front.title,
                    &a.front.summary,
                    layout::article(a, s, c, lang),
                );
            }
        }
    }
    pages
}

/// `/sitemap.xml`: every page with its page in the other languages (`hreflang` alternates).
pub fn sitemap(pages: &[Page], config: &SiteConfig) -> String {
    let base = config.base_url.trim_end_matches('/');
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
         xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for page in pages.iter().filter(|p| p.kind != Kind::NotFound) {
        xml.push_str(&format!("<url>\n<loc>{base}{}</loc>\n", page.route));
        let mut all: Vec<(Lang, &str)> = vec![(page.lang, page.route.as_str())];
        all.extend(page.alternates.iter().map(|(l, r)| (*l, r.as_str())));
        all.sort();
        for (lang, route) in all {
            xml.push_str(&format!(
                "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{base}{route}\"/>\n",
                lang.tag()
            ));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// The route for a request path: the trailing slash dropped (except for `/`).
pub fn normalise_path(path: &str) -> &str {
    match path.trim_end_matches('/') {
        "" => "/",
        p => p,
    }
}

/// Whether a request path names a file (`/style.css`, `/pkg/kjr.js`) rather than a page:
/// its last segment has a dot. The CloudFront Function in `infra/template.yaml` applies the
/// same rule; a test runs it against this one.
pub fn is_asset_path(path: &str) -> bool {
    normalise_path(path)
        .rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
}

/// The file that holds the page for a request path, as static hosting stores it: `/` →
/// `index.html`, `/12-plus` → `12-plus.html`, `/en/ask/` → `en/ask.html`. `None` for paths
/// whose last segment has a dot (assets such as `/style.css`).
///
/// The CloudFront Function in `infra/template.yaml` applies the same rule.
pub fn file_for_path(path: &str) -> Option<String> {
    let route = normalise_path(path);
    if route == "/" {
        return Some("index.html".to_owned());
    }
    if is_asset_path(route) {
        return None;
    }
    Some(format!("{}.html", route.trim_start_matches('/')))
}

#[cfg(test)]
mod tests;
