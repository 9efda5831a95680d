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

/// A language the pages are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Dutch, the main language.
    Nl,
    /// English.
    En,
}

impl Lang {
    /// The BCP 47 tag for `lang` attributes.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }
}

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

/// One page in both languages.
#[derive(Debug, Clone, Copy)]
pub struct PageDef {
    /// The fragment's file name in `site/content/{nl,en}/` (without `.html`).
    pub name: &'static str,
    /// The Dutch route.
    pub nl: &'static str,
    /// The English route.
    pub en: &'static str,
    /// What the page is.
    pub kind: Kind,
}

impl PageDef {
    /// The route of this page in `lang`.
    pub fn route(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Nl => self.nl,
            Lang::En => self.en,
        }
    }
}

/// Every public page. Routes have no trailing slash (except `/`).
pub const PAGES: &[PageDef] = &[
    PageDef {
        name: "home",
        nl: "/",
        en: "/en",
        kind: Kind::Content,
    },
    PageDef {
        name: "under-12",
        nl: "/jonger-dan-12",
        en: "/en/under-12",
        kind: Kind::Content,
    },
    PageDef {
        name: "12-plus",
        nl: "/12-plus",
        en: "/en/12-plus",
        kind: Kind::Content,
    },
    PageDef {
        name: "foster-parents",
        nl: "/pleegouders",
        en: "/en/foster-parents",
        kind: Kind::Content,
    },
    PageDef {
        name: "ask",
        nl: "/vraag",
        en: "/en/ask",
        kind: Kind::Form,
    },
    PageDef {
        name: "safe-online",
        nl: "/veilig-online",
        en: "/en/safe-online",
        kind: Kind::Content,
    },
    PageDef {
        name: "accessibility",
        nl: "/toegankelijkheid",
        en: "/en/accessibility",
        kind: Kind::Content,
    },
    PageDef {
        name: "not-found",
        nl: "/404",
        en: "/en/404",
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
        .flat_map(|def| [Lang::Nl, Lang::En].map(|lang| (def, lang)))
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
    let last = route.rsplit('/').next().unwrap_or("");
    if last.contains('.') {
        return None;
    }
    Some(format!("{}.html", route.trim_start_matches('/')))
}

/// The fragment text of a page (title, description and body), compiled in.
fn fragment(name: &str, lang: Lang) -> &'static str {
    macro_rules! pages {
        ($($name:literal),*) => {
            match (name, lang) {
                $(
                    ($name, Lang::Nl) => include_str!(concat!("../content/nl/", $name, ".html")),
                    ($name, Lang::En) => include_str!(concat!("../content/en/", $name, ".html")),
                )*
                _ => "",
            }
        };
    }
    pages!(
        "home",
        "under-12",
        "12-plus",
        "foster-parents",
        "ask",
        "safe-online",
        "accessibility",
        "not-found"
    )
}

#[cfg(test)]
mod tests;
