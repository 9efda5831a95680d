//! The public pages of Ken je rechten as complete HTML documents, in Dutch and English.
//!
//! Every page's real content is in the HTML the server sends, so it is painted before (and
//! without) any JavaScript. The text lives in `site/content/{nl,en}/*.html` fragments; this
//! crate wraps each in the shared layout: the quick-exit link first, the header, `<main>`, the
//! help line and the footer. The request form page also loads the wasm app, which mounts the
//! form into `#app` below the page's own heading.
//!
//! The local server renders the pages in memory at start (so the exit address is runtime
//! configuration); `cargo xtask build-app` writes the same pages as files for static hosting.

mod layout;

pub use layout::escape;

pub use kjr_domain::Lang;

/// What kind of page a route is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text only.
    Content,
    /// The request form: static heading and intro, the wasm app mounts the form below.
    Form,
    /// Shown (with status 404) for paths that are no page.
    NotFound,
}

/// One page in every language.
#[derive(Debug, Clone, Copy)]
pub struct PageDef {
    /// The fragment's file name in `site/content/<lang>/` (without `.html`).
    pub name: &'static str,
    /// The page's route in each language.
    pub routes: &'static [(Lang, &'static str)],
    /// What the page is.
    pub kind: Kind,
}

impl PageDef {
    /// The route of this page in `lang` (the default language's if it has none).
    pub fn route(&self, lang: Lang) -> &'static str {
        let find = |l: Lang| self.routes.iter().find(|(x, _)| *x == l).map(|(_, r)| *r);
        find(lang).or_else(|| find(Lang::DEFAULT)).unwrap_or("/")
    }
}

/// Every public page. Routes have no trailing slash (except `/`).
pub const PAGES: &[PageDef] = &[
    PageDef {
        name: "home",
        routes: &[(Lang::Nl, "/"), (Lang::En, "/en")],
        kind: Kind::Content,
    },
    PageDef {
        name: "under-12",
        routes: &[(Lang::Nl, "/jonger-dan-12"), (Lang::En, "/en/under-12")],
        kind: Kind::Content,
    },
    PageDef {
        name: "12-plus",
        routes: &[(Lang::Nl, "/12-plus"), (Lang::En, "/en/12-plus")],
        kind: Kind::Content,
    },
    PageDef {
        name: "foster-parents",
        routes: &[(Lang::Nl, "/pleegouders"), (Lang::En, "/en/foster-parents")],
        kind: Kind::Content,
    },
    PageDef {
        name: "ask",
        routes: &[(Lang::Nl, "/vraag"), (Lang::En, "/en/ask")],
        kind: Kind::Form,
    },
    PageDef {
        name: "safe-online",
        routes: &[(Lang::Nl, "/veilig-online"), (Lang::En, "/en/safe-online")],
        kind: Kind::Content,
    },
    PageDef {
        name: "accessibility",
        routes: &[
            (Lang::Nl, "/toegankelijkheid"),
            (Lang::En, "/en/accessibility"),
        ],
        kind: Kind::Content,
    },
    PageDef {
        name: "not-found",
        routes: &[(Lang::Nl, "/404"), (Lang::En, "/en/404")],
        kind: Kind::NotFound,
    },
];

/// The default quick-exit destination: an ordinary weather forecast.
pub const DEFAULT_EXIT_URL: &str = "https://www.knmi.nl/nederland-nu/weer/verwachtingen";

/// Settings the pages depend on.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    /// Where "Snel weg" goes (an absolute http(s) address of a neutral site).
    pub exit_url: String,
}

impl Default for SiteConfig {
    fn default() -> Self {
        Self {
            exit_url: DEFAULT_EXIT_URL.to_owned(),
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
            "the quick-exit address must start with https:// or http:// and have no spaces or quotes: {:?}",
            self.0
        )
    }
}

impl std::error::Error for BadExitUrl {}

impl SiteConfig {
    /// Checks `exit_url`: absolute http(s), no whitespace or quotes.
    pub fn new(exit_url: impl Into<String>) -> Result<Self, BadExitUrl> {
        let exit_url = exit_url.into();
        let rest = exit_url
            .strip_prefix("https://")
            .or_else(|| exit_url.strip_prefix("http://"));
        let ok = rest.is_some_and(|r| {
            !r.is_empty()
                && !r.starts_with('/')
                && !r.chars().any(|c| {
                    c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '`')
                })
        });
        if ok {
            Ok(Self { exit_url })
        } else {
            Err(BadExitUrl(exit_url))
        }
    }
}

/// One rendered page.
#[derive(Debug, Clone)]
pub struct Page {
    /// Its definition.
    pub def: PageDef,
    /// Its language.
    pub lang: Lang,
    /// The complete HTML document.
    pub html: String,
}

impl Page {
    /// The route this page answers.
    pub fn route(&self) -> &'static str {
        self.def.route(self.lang)
    }

    /// The file it is written to for static hosting (see [`file_for_path`]).
    pub fn file(&self) -> String {
        file_for_path(self.route()).unwrap_or_else(|| "404.html".to_owned())
    }
}

/// Renders every page in both languages.
pub fn render_all(config: &SiteConfig) -> Vec<Page> {
    PAGES
        .iter()
        .flat_map(|def| Lang::ALL.iter().map(move |lang| (def, *lang)))
        .map(|(def, lang)| Page {
            def: *def,
            lang,
            html: layout::render(def, lang, config),
        })
        .collect()
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

include!(concat!(env!("OUT_DIR"), "/fragments.rs"));

/// The fragment text of a page (title, description and body), compiled in; empty if the
/// language has no such page (a test checks that every language has every page).
fn fragment(name: &str, lang: Lang) -> &'static str {
    FRAGMENTS
        .iter()
        .find(|(l, n, _)| *l == lang.tag() && *n == name)
        .map_or("", |(_, _, text)| text)
}

#[cfg(test)]
mod tests;
