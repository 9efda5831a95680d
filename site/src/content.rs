//! The site's content, read from the files in `site/content`: Markdown with TOML front matter,
//! in the style of zola.
//!
//! ```text
//! content/LANG/home.md, ask.md, …          the site's own pages (SPECIALS)
//! content/LANG/glossary.toml               the glossary's terms
//! content/LANG/SECTION/_index.md           an audience's index page
//! content/LANG/SECTION/SLUG.md             a knowledge-base article
//! ```
//!
//! Loading checks everything that can be wrong with a page — unknown front-matter fields,
//! sources, pairing across languages, raw HTML, broken internal links, unknown glossary terms —
//! and renders the Markdown. The build script runs the same loading, so a mistake fails the
//! build rather than a page.
//!
//! This file is also compiled into `build.rs` (`#[path]`), so it depends only on the domain,
//! serde, toml and pulldown-cmark.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use kjr_domain::{Audience, Helpline, Lang};
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Deserialize;

/// The site's own pages: not found from the files, because each has its own layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Special {
    /// `/`: the audience choices.
    Home,
    /// `/vraag`: the request form (the wasm app mounts below the text).
    Ask,
    /// `/antwoord`: "Lees je antwoord", the conversation of a request sent with "I'll check
    /// this website myself" (the wasm app mounts below the text).
    Reply,
    /// `/vraag/plaatjes`: the picture route for children under 12 (pictures.js, no wasm).
    Pictures,
    /// `/veilig-online`.
    SafeOnline,
    /// `/toegankelijkheid`.
    Accessibility,
    /// `/woordenlijst`: every glossary term.
    Glossary,
    /// Shown with status 404.
    NotFound,
}

impl Special {
    /// Every special page.
    pub const ALL: &'static [Special] = &[
        Special::Home,
        Special::Ask,
        Special::Reply,
        Special::Pictures,
        Special::SafeOnline,
        Special::Accessibility,
        Special::Glossary,
        Special::NotFound,
    ];

    /// Its file name in `content/LANG/` (without `.md`).
    pub fn file(self) -> &'static str {
        match self {
            Special::Home => "home",
            Special::Ask => "ask",
            Special::Reply => "reply",
            Special::Pictures => "pictures",
            Special::SafeOnline => "safe-online",
            Special::Accessibility => "accessibility",
            Special::Glossary => "glossary",
            Special::NotFound => "not-found",
        }
    }

    /// Its route in `lang`.
    pub fn route(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Special::Home, Lang::Nl) => "/",
            (Special::Home, Lang::En) => "/en",
            (Special::Ask, Lang::Nl) => "/vraag",
            (Special::Ask, Lang::En) => "/en/ask",
            (Special::Reply, Lang::Nl) => "/antwoord",
            (Special::Reply, Lang::En) => "/en/reply",
            (Special::Pictures, Lang::Nl) => "/vraag/plaatjes",
            (Special::Pictures, Lang::En) => "/en/ask/pictures",
            (Special::SafeOnline, Lang::Nl) => "/veilig-online",
            (Special::SafeOnline, Lang::En) => "/en/safe-online",
            (Special::Accessibility, Lang::Nl) => "/toegankelijkheid",
            (Special::Accessibility, Lang::En) => "/en/accessibility",
            (Special::Glossary, Lang::Nl) => "/woordenlijst",
            (Special::Glossary, Lang::En) => "/en/glossary",
            (Special::NotFound, Lang::Nl) => "/404",
            (Special::NotFound, Lang::En) => "/en/404",
        }
    }
}

/// The path segment of an audience's section in `lang`: `/jonger-dan-12`, `/en/under-12`.
pub fn section_segment(audience: Audience, lang: Lang) -> &'static str {
    match (audience, lang) {
        (Audience::Under12, Lang::Nl) => "jonger-dan-12",
        (Audience::Under12, Lang::En) => "under-12",
        (Audience::TwelvePlus, _) => "12-plus",
        (Audience::FosterParent, Lang::Nl) => "pleegouders",
        (Audience::FosterParent, Lang::En) => "foster-parents",
        (Audience::Professional, _) => "professionals",
    }
}

/// The route of an audience's index page in `lang`.
pub fn section_route(audience: Audience, lang: Lang) -> String {
    format!("{}/{}", lang.path_prefix(), section_segment(audience, lang))
}

/// The seed documents a source can cite, by number (`seed = "004:396-398"`).
pub const SEEDS: &[(u8, &str, &str)] = &[
    (
        0,
        "Voortgangsbrief over de maatregelen na de zaak in Vlaardingen (juni 2025)",
        "Progress letter on the measures after the Vlaardingen case (June 2025)",
    ),
    (
        1,
        "Kamerbrief voor het debat van 4 december 2025",
        "Letter to parliament for the debate of 4 December 2025",
    ),
    (
        2,
        "Antwoorden op Kamervragen (18 juni 2025)",
        "Answers to parliamentary questions (18 June 2025)",
    ),
    (
        3,
        "Kamerbrief met de rapporten van de inspecties (30 januari 2025)",
        "Letter to parliament with the inspectorates' reports (30 January 2025)",
    ),
    (
        4,
        "Inspectie Gezondheidszorg en Jeugd: toezicht op pleegzorg (2025)",
        "Health and Youth Care Inspectorate: supervision of foster care (2025)",
    ),
];

/// Front matter of a knowledge-base article.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleFront {
    /// A question in the reader's own words.
    pub title: String,
    /// One or two sentences that answer it (lists, search results, `<meta name=description>`).
    pub summary: String,
    /// Whose section it is in; must match the folder.
    pub audience: Audience,
    /// Its place in the section; the same in every language (that pairs the translations).
    pub order: u32,
    /// Where its statements come from.
    pub sources: Vec<SourceFront>,
    /// When the text was last checked.
    pub reviewed: toml::value::Datetime,
}

/// One source as written in the front matter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceFront {
    /// The statement it supports.
    pub claim: String,
    /// `FILE:LINE` or `FILE:FIRST-LAST` in a seed document.
    #[serde(default)]
    pub seed: Option<String>,
    /// An outside address (`https://…`); needs `verify = true`.
    #[serde(default)]
    pub url: Option<String>,
    /// Marks an outside fact that Jeugdstem must check.
    #[serde(default)]
    pub verify: bool,
}

/// Where a statement comes from, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Lines of a seed document.
    Seed { doc: u8, first: u32, last: u32 },
    /// An outside page, still to be verified by Jeugdstem.
    Outside { url: String },
}

/// A checked source.
#[derive(Debug, Clone)]
pub struct Source {
    /// The statement it supports.
    pub claim: String,
    /// Where it comes from.
    pub origin: Origin,
}

/// Front matter of an audience's index page.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionFront {
    /// The page's heading.
    pub title: String,
    /// `<meta name=description>`.
    pub summary: String,
    /// The home page's choice that leads here ("Ik ben jonger dan 12").
    pub choice: String,
}

/// Front matter of a special page.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextFront {
    /// The page's heading.
    pub title: String,
    /// `<meta name=description>`.
    pub summary: String,
}

/// `glossary.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct GlossaryFile {
    term: Vec<TermFront>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct TermFront {
    id: String,
    term: String,
    explanation: String,
    source: String,
    #[serde(default)]
    verify: bool,
}

/// A glossary term.
#[derive(Debug, Clone)]
pub struct Term {
    /// Its id (`steunfiguur`): links say `woord:steunfiguur`; the same in every language.
    pub id: String,
    /// The word as the reader sees it.
    pub term: String,
    /// What it means, in a child's words.
    pub explanation: String,
    /// Where the meaning comes from.
    pub origin: Origin,
}

/// Rendered Markdown.
#[derive(Debug, Clone, Default)]
pub struct Body {
    /// The HTML, produced by pulldown-cmark (escaped by construction; raw HTML is refused).
    pub html: String,
    /// The glossary terms it links to, in order of first use.
    pub terms: Vec<String>,
    /// The Markdown source (for reading-ease checks).
    pub markdown: String,
}

/// A special page in one language.
#[derive(Debug, Clone)]
pub struct TextPage {
    /// Its front matter.
    pub front: TextFront,
    /// Its text.
    pub body: Body,
}

/// A knowledge-base article in one language.
#[derive(Debug, Clone)]
pub struct Article {
    /// Its address segment.
    pub slug: String,
    /// Its front matter.
    pub front: ArticleFront,
    /// Its checked sources.
    pub sources: Vec<Source>,
    /// Its text.
    pub body: Body,
}

impl Article {
    /// Its route in `lang`.
    pub fn route(&self, lang: Lang) -> String {
        format!("{}/{}", section_route(self.front.audience, lang), self.slug)
    }
}

/// An audience's section in one language.
#[derive(Debug, Clone)]
pub struct Section {
    /// Whose it is.
    pub audience: Audience,
    /// The index page's front matter.
    pub front: SectionFront,
    /// The index page's introduction.
    pub body: Body,
    /// Its articles, by `order`.
    pub articles: Vec<Article>,
}

/// Everything in one language.
#[derive(Debug, Clone)]
pub struct LangContent {
    /// The special pages.
    pub specials: BTreeMap<Special, TextPage>,
    /// The sections, in `Audience::ALL` order.
    pub sections: Vec<Section>,
    /// The glossary, in file order.
    pub glossary: Vec<Term>,
}

/// All content, checked and rendered.
#[derive(Debug, Clone)]
pub struct Content {
    langs: BTreeMap<Lang, LangContent>,
}

/// The files before they are checked: a path relative to `content/` and its text.
struct Raw<'a> {
    path: &'a str,
    text: &'a str,
}

impl Content {
    /// Checks and renders `files` (paths relative to `site/content`, with `/`). Every problem is
    /// reported, each with the file it is in.
    pub fn load(files: &[(&str, &str)]) -> Result<Self, Vec<String>> {
        let mut errors = Vec::new();
        let mut per_lang: BTreeMap<Lang, Vec<Raw>> = BTreeMap::new();
        for (path, text) in files {
            let Some((lang, _)) = path.split_once('/') else {
                continue; // notes beside the language folders (SOURCES.md)
            };
            match Lang::ALL.iter().find(|l| l.tag() == lang) {
                Some(l) => per_lang.entry(*l).or_default().push(Raw { path, text }),
                None => errors.push(format!("{path}: no language {lang:?}")),
            }
        }
        // Pass 1: front matter, so that every route and term is known before any link is.
        let mut parsed = BTreeMap::new();
        for lang in Lang::ALL {
            let raws = per_lang.remove(lang).unwrap_or_default();
            parsed.insert(*lang, parse_lang(*lang, &raws, &mut errors));
        }
        check_pairs(&parsed, &mut errors);
        let routes: BTreeSet<String> = parsed.values().flat_map(|p| p.routes()).collect();
        // Pass 2: the Markdown, with its links checked.
        let mut langs = BTreeMap::new();
        for (lang, p) in parsed {
            langs.insert(lang, p.render(&routes, &mut errors));
        }
        if errors.is_empty() {
            Ok(Self { langs })
        } else {
            Err(errors)
        }
    }

    /// The content in `lang`.
    pub fn lang(&self, lang: Lang) -> &LangContent {
        &self.langs[&lang]
    }
}

impl LangContent {
    /// A special page.
    pub fn special(&self, special: Special) -> &TextPage {
        &self.specials[&special]
    }

    /// An audience's section.
    pub fn section(&self, audience: Audience) -> &Section {
        self.sections
            .iter()
            .find(|s| s.audience == audience)
            .expect("every section is loaded")
    }

    /// A glossary term by id.
    pub fn term(&self, id: &str) -> Option<&Term> {
        self.glossary.iter().find(|t| t.id == id)
    }
}

/// An article after pass 1: its front matter checked, its Markdown not yet rendered.
struct RawArticle {
    path: String,
    slug: String,
    front: ArticleFront,
    sources: Vec<Source>,
    markdown: String,
}

/// One language after pass 1.
struct Parsed {
    lang: Lang,
    specials: BTreeMap<Special, (String, TextFront, String)>,
    sections: BTreeMap<Audience, (String, SectionFront, String)>,
    articles: BTreeMap<Audience, Vec<RawArticle>>,
    glossary: Vec<Term>,
}

impl Parsed {
    fn routes(&self) -> Vec<String> {
        let mut routes: Vec<String> = Special::ALL
            .iter()
            .map(|s| s.route(self.lang).to_owned())
            .collect();
        for audience in self.sections.keys() {
            routes.push(section_route(*audience, self.lang));
        }
        for (audience, list) in &self.articles {
            for a in list {
                routes.push(format!(
                    "{}/{}",
                    section_route(*audience, self.lang),
                    a.slug
                ));
            }
        }
        routes
    }

    fn render(self, routes: &BTreeSet<String>, errors: &mut Vec<String>) -> LangContent {
        let ids: BTreeSet<&str> = self.glossary.iter().map(|t| t.id.as_str()).collect();
        let ctx = LinkContext {
            lang: self.lang,
            routes,
            terms: &ids,
        };
        let mut md = |path: &str, text: &str| {
            markdown(text, &ctx).unwrap_or_else(|e| {
                errors.push(format!("{path}: {e}"));
                Body::default()
            })
        };
        let specials = self
            .specials
            .into_iter()
            .map(|(s, (path, front, body))| {
                let body = md(&path, &body);
                (s, TextPage { front, body })
            })
            .collect();
        let mut articles = self.articles;
        let sections = self
            .sections
            .into_iter()
            .map(|(audience, (path, front, body))| {
                let body = md(&path, &body);
                let mut list = articles.remove(&audience).unwrap_or_default();
                list.sort_by_key(|a| a.front.order);
                let articles = list
                    .into_iter()
                    .map(|a| Article {
                        body: md(&a.path, &a.markdown),
                        slug: a.slug,
                        front: a.front,
                        sources: a.sources,
                    })
                    .collect();
                Section {
                    audience,
                    front,
                    body,
                    articles,
                }
            })
            .collect();
        LangContent {
            specials,
            sections,
            glossary: self.glossary,
        }
    }
}

/// Splits `+++\nTOML\n+++\nMarkdown`.
fn split_front(text: &str) -> Option<(&str, &str)> {
    let text = text.strip_prefix("\u{feff}").unwrap_or(text);
    let rest = text
        .strip_prefix("+++\n")
        .or_else(|| text.strip_prefix("+++\r\n"))?;
    // The closing line is exactly `+++` (before a line end or the end of the file).
    let mut at = 0;
    while let Some(found) = rest[at..].find("\n+++") {
        let end = at + found;
        let after = &rest[end + 4..];
        if after.is_empty() || after.starts_with('\n') || after.starts_with("\r\n") {
            let body = after.trim_start_matches(['\r', '\n']);
            return Some((&rest[..end + 1], body));
        }
        at = end + 4;
    }
    None
}

fn front<T: serde::de::DeserializeOwned>(path: &str, text: &str) -> Result<(T, String), String> {
    let (head, body) =
        split_front(text).ok_or_else(|| format!("{path}: no +++ front matter +++ at the top"))?;
    let front = toml::from_str(head).map_err(|e| format!("{path}: front matter: {e}"))?;
    Ok((front, body.to_owned()))
}

fn is_slug(s: &str) -> bool {
    // `index` would be taken for the section's own page by static hosting and by search.
    s != "index"
        && !s.is_empty()
        && s.len() <= 60
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn parse_lang(lang: Lang, raws: &[Raw], errors: &mut Vec<String>) -> Parsed {
    let mut p = Parsed {
        lang,
        specials: BTreeMap::new(),
        sections: BTreeMap::new(),
        articles: BTreeMap::new(),
        glossary: Vec::new(),
    };
    let mut glossary_seen = false;
    for raw in raws {
        let path = raw.path;
        let rest = &path[lang.tag().len() + 1..];
        let parts: Vec<&str> = rest.split('/').collect();
        match parts.as_slice() {
            ["glossary.toml"] => {
                glossary_seen = true;
                match toml::from_str::<GlossaryFile>(raw.text) {
                    Ok(file) => p.glossary = terms(path, file, errors),
                    Err(e) => errors.push(format!("{path}: {e}")),
                }
            }
            [file] => {
                let name = file.strip_suffix(".md").unwrap_or(file);
                match Special::ALL.iter().find(|s| s.file() == name) {
                    Some(s) if file.ends_with(".md") => match front::<TextFront>(path, raw.text) {
                        Ok((f, body)) => {
                            p.specials.insert(*s, (path.to_owned(), f, body));
                        }
                        Err(e) => errors.push(e),
                    },
                    _ => errors.push(format!(
                        "{path}: not a page of the site (expected one of {})",
                        Special::ALL
                            .iter()
                            .map(|s| format!("{}.md", s.file()))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                }
            }
            [dir, file] => {
                let Some(audience) = Audience::ALL
                    .iter()
                    .copied()
                    .find(|a| section_segment(*a, lang) == *dir)
                else {
                    errors.push(format!(
                        "{path}: {dir:?} is no audience folder in {} (expected one of {})",
                        lang.tag(),
                        Audience::ALL
                            .iter()
                            .map(|a| section_segment(*a, lang))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                    continue;
                };
                let Some(stem) = file.strip_suffix(".md") else {
                    errors.push(format!("{path}: pages are .md files"));
                    continue;
                };
                if stem == "_index" {
                    match front::<SectionFront>(path, raw.text) {
                        Ok((f, body)) => {
                            p.sections.insert(audience, (path.to_owned(), f, body));
                        }
                        Err(e) => errors.push(e),
                    }
                    continue;
                }
                if !is_slug(stem) {
                    errors.push(format!(
                        "{path}: the file name is the address: use a–z, 0–9 and -"
                    ));
                    continue;
                }
                match front::<ArticleFront>(path, raw.text) {
                    Ok((f, body)) => {
                        if f.audience != audience {
                            errors.push(format!(
                                "{path}: audience = {:?}, but the file is in the folder of {:?}",
                                f.audience.as_str(),
                                audience.as_str()
                            ));
                        }
                        check_text(path, "title", &f.title, errors);
                        check_text(path, "summary", &f.summary, errors);
                        if !f.title.trim_end().ends_with('?') {
                            errors.push(format!(
                                "{path}: the title is a question in the reader's words; end it with ?"
                            ));
                        }
                        let sources = sources(path, &f.sources, errors);
                        p.articles.entry(audience).or_default().push(RawArticle {
                            path: path.to_owned(),
                            slug: stem.to_owned(),
                            front: f,
                            sources,
                            markdown: body,
                        });
                    }
                    Err(e) => errors.push(e),
                }
            }
            _ => errors.push(format!("{path}: too deep; pages are LANG/AUDIENCE/SLUG.md")),
        }
    }
    for s in Special::ALL {
        if !p.specials.contains_key(s) {
            errors.push(format!("{}/{}.md is missing", lang.tag(), s.file()));
        }
    }
    for a in Audience::ALL {
        if !p.sections.contains_key(a) {
            errors.push(format!(
                "{}/{}/_index.md is missing",
                lang.tag(),
                section_segment(*a, lang)
            ));
        }
    }
    if !glossary_seen {
        errors.push(format!("{}/glossary.toml is missing", lang.tag()));
    }
    for (audience, list) in &p.articles {
        let mut orders = BTreeMap::new();
        for a in list {
            let path = &a.path;
            if let Some(other) = orders.insert(a.front.order, path) {
                errors.push(format!(
                    "{path}: order = {} is also used by {other} ({})",
                    a.front.order,
                    audience.as_str()
                ));
            }
        }
    }
    p
}

fn check_text(path: &str, field: &str, text: &str, errors: &mut Vec<String>) {
    if text.trim().is_empty() {
        errors.push(format!("{path}: {field} is empty"));
    }
    if text.contains(['<', '>', '*', '`', '[']) {
        errors.push(format!(
            "{path}: {field} is plain text (no Markdown or HTML)"
        ));
    }
}

fn seed_origin(seed: &str) -> Result<Origin, String> {
    let bad = || format!("seed = {seed:?}: write FILE:LINE or FILE:FIRST-LAST, as 004:396-398");
    let (file, lines) = seed.split_once(':').ok_or_else(bad)?;
    let doc: u8 = file.parse().map_err(|_| bad())?;
    if file.len() != 3 || !SEEDS.iter().any(|(n, ..)| *n == doc) {
        return Err(format!("seed = {seed:?}: there is no seed document {file}"));
    }
    let (first, last) = match lines.split_once(['-', '–']) {
        Some((a, b)) => (a.parse().map_err(|_| bad())?, b.parse().map_err(|_| bad())?),
        None => {
            let n = lines.parse().map_err(|_| bad())?;
            (n, n)
        }
    };
    if first == 0 || last < first {
        return Err(bad());
    }
    Ok(Origin::Seed { doc, first, last })
}

fn origin(seed: Option<&str>, url: Option<&str>, verify: bool) -> Result<Origin, String> {
    match (seed, url) {
        (Some(seed), None) if !verify => seed_origin(seed),
        (Some(_), None) => Err("a seed line needs no verify = true".into()),
        (None, Some(url)) => {
            if !url.starts_with("https://") || url.contains(char::is_whitespace) {
                Err(format!("url = {url:?}: an https:// address"))
            } else if !verify {
                Err(format!(
                    "url = {url:?}: an outside fact is marked verify = true until Jeugdstem has checked it"
                ))
            } else {
                Ok(Origin::Outside {
                    url: url.to_owned(),
                })
            }
        }
        _ => Err("give either seed = \"FILE:LINE\" or url = \"https://…\"".into()),
    }
}

fn sources(path: &str, raw: &[SourceFront], errors: &mut Vec<String>) -> Vec<Source> {
    if raw.is_empty() {
        errors.push(format!("{path}: every page lists its [[sources]]"));
    }
    raw.iter()
        .filter_map(|s| {
            if s.claim.trim().is_empty() {
                errors.push(format!("{path}: a source without its claim"));
            }
            match origin(s.seed.as_deref(), s.url.as_deref(), s.verify) {
                Ok(origin) => Some(Source {
                    claim: s.claim.trim().to_owned(),
                    origin,
                }),
                Err(e) => {
                    errors.push(format!("{path}: source {:?}: {e}", s.claim));
                    None
                }
            }
        })
        .collect()
}

fn terms(path: &str, file: GlossaryFile, errors: &mut Vec<String>) -> Vec<Term> {
    let mut seen = BTreeSet::new();
    file.term
        .into_iter()
        .filter_map(|t| {
            if !is_slug(&t.id) || !seen.insert(t.id.clone()) {
                errors.push(format!("{path}: term id {:?} is not a unique slug", t.id));
            }
            check_text(path, "term", &t.term, errors);
            check_text(path, "explanation", &t.explanation, errors);
            let (seed, url) = if t.source.starts_with("https://") {
                (None, Some(t.source.as_str()))
            } else {
                (Some(t.source.as_str()), None)
            };
            match origin(seed, url, t.verify) {
                Ok(origin) => Some(Term {
                    id: t.id,
                    term: t.term,
                    explanation: t.explanation,
                    origin,
                }),
                Err(e) => {
                    errors.push(format!("{path}: term {:?}: {e}", t.id));
                    None
                }
            }
        })
        .collect()
}

/// Every article has its translation: the same audience and order in every language, and
/// the glossary has the same terms.
fn check_pairs(parsed: &BTreeMap<Lang, Parsed>, errors: &mut Vec<String>) {
    let first = &parsed[&Lang::DEFAULT];
    for (lang, p) in parsed {
        if *lang == Lang::DEFAULT {
            continue;
        }
        for audience in Audience::ALL {
            let orders = |p: &Parsed| -> BTreeMap<u32, String> {
                p.articles
                    .get(audience)
                    .into_iter()
                    .flatten()
                    .map(|a| (a.front.order, a.path.clone()))
                    .collect()
            };
            let (a, b) = (orders(first), orders(p));
            for (order, path) in &a {
                if !b.contains_key(order) {
                    errors.push(format!(
                        "{path}: no {} page with order = {order} in {}/{}/",
                        lang.tag(),
                        lang.tag(),
                        section_segment(*audience, *lang)
                    ));
                }
            }
            for (order, path) in &b {
                if !a.contains_key(order) {
                    errors.push(format!(
                        "{path}: no {} page with order = {order}",
                        Lang::DEFAULT.tag()
                    ));
                }
            }
        }
        let ids =
            |p: &Parsed| -> BTreeSet<String> { p.glossary.iter().map(|t| t.id.clone()).collect() };
        for id in ids(first).symmetric_difference(&ids(p)) {
            errors.push(format!(
                "glossary.toml: term {id:?} is not in every language"
            ));
        }
    }
}

/// What links may point at.
struct LinkContext<'a> {
    lang: Lang,
    routes: &'a BTreeSet<String>,
    terms: &'a BTreeSet<&'a str>,
}

/// The address of the request form for `audience` in `lang`.
///
/// Children under 12 get the picture route; the full form stays linked from it.
pub fn form_href(audience: Audience, lang: Lang) -> String {
    match audience {
        Audience::Under12 => Special::Pictures.route(lang).to_owned(),
        _ => full_form_href(audience, lang),
    }
}

/// The full request form, opened for `audience`.
pub fn full_form_href(audience: Audience, lang: Lang) -> String {
    format!("{}{}", Special::Ask.route(lang), audience.form_query())
}

/// Renders Markdown, rewriting the site's link schemes:
/// - `woord:ID` → `#woord-ID`, the term's explanation on the same page;
/// - `hulp:ID` → a call link to a [`Helpline`], its text from the domain;
/// - `vraag:AUDIENCE` → the request form for that audience;
/// - `/…` must be a page of the site; `https://`, `tel:` and `mailto:` pass.
///
/// Raw HTML, images and a second `<h1>` are refused.
fn markdown(text: &str, ctx: &LinkContext) -> Result<Body, String> {
    let mut terms: Vec<String> = Vec::new();
    let mut events = Vec::new();
    let mut parser = Parser::new_ext(text, Options::ENABLE_SMART_PUNCTUATION);
    while let Some(event) = parser.next() {
        match event {
            Event::Html(h) | Event::InlineHtml(h) => {
                return Err(format!(
                    "raw HTML is not allowed ({:?}); write Markdown",
                    h.trim()
                ));
            }
            Event::Start(Tag::Image { .. }) => return Err("images are not allowed".into()),
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) => return Err("the title is the page's only # heading; use ## here".into()),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let url = dest_url.as_ref();
                if let Some(term) = url.strip_prefix("woord:") {
                    if !ctx.terms.contains(term) {
                        return Err(format!("woord:{term} is not in glossary.toml"));
                    }
                    if !terms.iter().any(|t| t == term) {
                        terms.push(term.to_owned());
                    }
                    events.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url: CowStr::from(format!("#woord-{term}")),
                        title,
                        id,
                    }));
                } else if let Some(line) = url.strip_prefix("hulp:") {
                    let h = Helpline::from_wire(line)
                        .ok_or_else(|| format!("hulp:{line} is no helpline"))?;
                    events.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url: CowStr::from(h.tel_href()),
                        title,
                        id,
                    }));
                    // The number is written once, in the domain: the link's own text is dropped.
                    for skipped in parser.by_ref() {
                        if matches!(skipped, Event::End(TagEnd::Link)) {
                            break;
                        }
                    }
                    events.push(Event::Text(CowStr::from(h.inline(ctx.lang))));
                    events.push(Event::End(TagEnd::Link));
                } else if let Some(who) = url.strip_prefix("vraag:") {
                    let a = Audience::from_wire(who)
                        .ok_or_else(|| format!("vraag:{who} is no audience"))?;
                    events.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url: CowStr::from(form_href(a, ctx.lang)),
                        title,
                        id,
                    }));
                } else if url.starts_with('/') {
                    let route = url.split(['#', '?']).next().unwrap_or("");
                    let route = match route.trim_end_matches('/') {
                        "" => "/",
                        r => r,
                    };
                    if !ctx.routes.contains(route) {
                        return Err(format!("link to {url}: there is no such page"));
                    }
                    events.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                } else if url.starts_with("#woord-") {
                    return Err(format!(
                        "link to {url}: write woord:ID, so the word is explained on the page"
                    ));
                } else if url.starts_with("https://")
                    || url.starts_with("tel:")
                    || url.starts_with("mailto:")
                    || url.starts_with('#')
                {
                    events.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                } else {
                    return Err(format!(
                        "link to {url:?}: use /path, https://, woord:, hulp: or vraag:"
                    ));
                }
            }
            other => events.push(other),
        }
    }
    let mut html = String::with_capacity(text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Ok(Body {
        html,
        terms,
        markdown: text.to_owned(),
    })
}

/// The text of Markdown as sentences, for reading-ease scores: every heading, list item and
/// paragraph ends a sentence, as do `.`, `!` and `?` followed by a space.
pub fn sentences(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => current.push_str(&t),
            Event::SoftBreak | Event::HardBreak => current.push(' '),
            Event::Start(Tag::Item)
            | Event::Start(Tag::Paragraph)
            | Event::Start(Tag::Heading { .. })
            | Event::End(TagEnd::Item)
            | Event::End(TagEnd::Paragraph)
            | Event::End(TagEnd::Heading(_)) => {
                if !current.trim().is_empty() {
                    blocks.push(std::mem::take(&mut current));
                }
                current.clear();
            }
            _ => {}
        }
    }
    if !current.trim().is_empty() {
        blocks.push(current);
    }
    let mut out = Vec::new();
    for block in blocks {
        let mut sentence = String::new();
        let mut chars = block.chars().peekable();
        while let Some(c) = chars.next() {
            sentence.push(c);
            if matches!(c, '.' | '!' | '?') && chars.peek().is_none_or(|n| n.is_whitespace()) {
                push_sentence(&mut out, &mut sentence);
            }
        }
        push_sentence(&mut out, &mut sentence);
    }
    out
}

fn push_sentence(out: &mut Vec<String>, sentence: &mut String) {
    let s = sentence.trim();
    if s.chars().any(char::is_alphabetic) {
        out.push(s.to_owned());
    }
    sentence.clear();
}

/// How a source is shown under "Waar komt dit vandaan?".
pub fn origin_text(origin: &Origin, lang: Lang) -> String {
    match origin {
        Origin::Seed { doc, first, last } => {
            let name = SEEDS
                .iter()
                .find(|(n, ..)| n == doc)
                .map_or("", |(_, nl, en)| if lang == Lang::Nl { nl } else { en });
            let mut s = String::from(name);
            let word = match (lang, first == last) {
                (Lang::Nl, true) => "regel",
                (Lang::Nl, false) => "regels",
                (Lang::En, true) => "line",
                (Lang::En, false) => "lines",
            };
            let _ = write!(s, ", {word} {first}");
            if last != first {
                let _ = write!(s, "–{last}");
            }
            s
        }
        Origin::Outside { url } => url.clone(),
    }
}
