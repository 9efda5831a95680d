//! The layout every page shares, as maud templates: text is escaped by construction; only
//! pulldown-cmark's output (which refuses raw HTML, see `content`) goes in unescaped.

use kjr_domain::{Audience, Helpline, Lang};
use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::content::{
    Article, Body, LangContent, Section, Source, Special, Term, form_href, origin_text,
    section_route,
};
use crate::{Kind, SiteConfig};

/// The words of the layout in one language.
struct Words {
    exit: &'static str,
    skip: &'static str,
    help_heading: &'static str,
    help_intro: &'static str,
    about_site: &'static str,
    safe_online: &'static str,
    accessibility: &'static str,
    read_reply: &'static str,
    glossary: &'static str,
    loading_form: &'static str,
    no_script: &'static str,
    who_are_you: &'static str,
    safe_phone: &'static str,
    safe_phone_link: &'static str,
    pages_heading: &'static str,
    terms_heading: &'static str,
    sources_heading: &'static str,
    sources_intro: &'static str,
    ask_heading: &'static str,
    ask_button: &'static str,
    /// The ask button on the pages for children under 12: it opens the picture route.
    ask_button_young: &'static str,
    search: SearchWords,
    reply: ReplyWords,
    crumbs: &'static str,
}

/// "Lees je antwoord": the form, the conversation and what reply.js says.
pub(crate) struct ReplyWords {
    pub reference: &'static str,
    pub reference_hint: &'static str,
    pub words: &'static str,
    pub words_hint: &'static str,
    pub open: &'static str,
    pub lost: &'static str,
    pub conversation: &'static str,
    pub write: &'static str,
    pub write_hint: &'static str,
    pub send: &'static str,
    pub close: &'static str,
    pub fill_both: &'static str,
    pub busy: &'static str,
    pub none_yet: &'static str,
    pub you: &'static str,
    pub confidant: &'static str,
    pub write_first: &'static str,
    pub sent: &'static str,
    pub ended: &'static str,
    pub idle: &'static str,
    pub failed: &'static str,
    pub no_script: &'static str,
}

struct SearchWords {
    label: &'static str,
    button: &'static str,
    none: &'static str,
    loading: &'static str,
    failed: &'static str,
    /// `{n}` is the number of results.
    found: &'static str,
}

const NL: Words = Words {
    exit: "Snel weg",
    skip: "Naar de inhoud",
    help_heading: "Direct hulp nodig?",
    help_intro: "Bel gratis:",
    about_site: "Over deze website",
    safe_online: "Veilig online",
    accessibility: "Toegankelijkheid",
    read_reply: "Lees je antwoord",
    glossary: "Woordenlijst",
    loading_form: "Het formulier wordt geladen…",
    no_script: "Om een vertrouwenspersoon te vragen, moet JavaScript aan staan in je browser. \
                Direct hulp nodig? Bel een van de nummers hieronder.",
    who_are_you: "Wie ben jij?",
    safe_phone: "Ben je bang dat iemand ziet wat je op je telefoon doet?",
    safe_phone_link: "Lees hoe je veilig online bent",
    pages_heading: "Alle vragen",
    terms_heading: "Moeilijke woorden",
    sources_heading: "Waar komt dit vandaan?",
    sources_intro: "Wat op deze pagina staat, komt uit deze bronnen:",
    ask_heading: "Wil je praten met een vertrouwenspersoon?",
    ask_button: "Vraag een vertrouwenspersoon",
    ask_button_young: "Ik wil met iemand praten",
    search: SearchWords {
        label: "Zoek een vraag",
        button: "Zoek",
        none: "Niets gevonden. Probeer een ander woord.",
        loading: "Even zoeken…",
        failed: "Zoeken lukt nu niet. Kijk in de lijst met vragen.",
        found: "{n} gevonden",
    },
    reply: ReplyWords {
        reference: "Je referentie",
        reference_hint: "Die kreeg je na het sturen van je vraag. Bijvoorbeeld KJR-7F3K-9QX2.",
        words: "Je drie geheime woorden",
        words_hint: "Typ ze met een spatie ertussen.",
        open: "Lees je antwoord",
        lost: "Ben je je woorden kwijt? Stuur dan een nieuwe vraag. Zeg daarin dat je al eerder een vraag stuurde. Weet je de referentie nog? Schrijf die er dan bij.",
        conversation: "Jullie berichten",
        write: "Schrijf terug",
        write_hint: "Schrijf wat je wilt. Het mag kort of lang zijn.",
        send: "Verstuur",
        close: "Sluit het gesprek",
        fill_both: "Je mist nog iets. Typ je referentie en ook je drie woorden.",
        busy: "Even wachten…",
        none_yet: "Er is nog geen antwoord. Een vertrouwenspersoon schrijft je zo snel als het kan. Kijk later nog eens.",
        you: "Jij",
        confidant: "vertrouwenspersoon",
        write_first: "Schrijf eerst iets.",
        sent: "Je bericht is verstuurd.",
        ended: "Dit gesprek is klaar. Wil je weer praten? Stuur dan een nieuwe vraag.",
        idle: "Het gesprek is dicht. Je deed 10 minuten niets. Zo kan niemand anders het lezen. Wil je verder? Typ dan je referentie en je woorden opnieuw.",
        failed: "Dat lukte niet. Heb je internet? Probeer het nog eens.",
        no_script: "Om je antwoord te lezen, moet JavaScript aan staan in je browser. Wil je nu met iemand praten? Bel De Kindertelefoon: 0800-0432.",
    },
    crumbs: "Je bent hier",
};

const EN: Words = Words {
    exit: "Exit this page",
    skip: "Skip to content",
    help_heading: "Need help right now?",
    help_intro: "Call for free:",
    about_site: "About this website",
    safe_online: "Safe online",
    accessibility: "Accessibility",
    read_reply: "Read your reply",
    glossary: "Glossary",
    loading_form: "Loading the form…",
    no_script: "To ask for a confidant, JavaScript must be switched on in your browser. \
                Need help right now? Call one of the numbers below.",
    who_are_you: "Who are you?",
    safe_phone: "Are you afraid someone can see what you do on your phone?",
    safe_phone_link: "Read how to stay safe online",
    pages_heading: "All questions",
    terms_heading: "Difficult words",
    sources_heading: "Where does this come from?",
    sources_intro: "What this page says comes from these sources:",
    ask_heading: "Would you like to talk to a confidant?",
    ask_button: "Ask for a confidant",
    ask_button_young: "I want to talk to someone",
    search: SearchWords {
        label: "Search for a question",
        button: "Search",
        none: "Nothing found. Try another word.",
        loading: "Searching…",
        failed: "Search does not work right now. Look in the list of questions.",
        found: "{n} found",
    },
    reply: ReplyWords {
        reference: "Your reference",
        reference_hint: "You got it after you sent your request. For example KJR-7F3K-9QX2.",
        words: "Your three secret words",
        words_hint: "Type them with a space between them.",
        open: "Read your reply",
        lost: "Lost your words? Then send a new request. Say in it that you sent one before. Do you still know the reference? Then write it down too.",
        conversation: "Your messages",
        write: "Write back",
        write_hint: "Write what you want. It can be short or long.",
        send: "Send",
        close: "Close the conversation",
        fill_both: "Something is missing. Type your reference and also your three words.",
        busy: "Please wait…",
        none_yet: "There is no reply yet. A confidant will write to you as soon as they can. Look again later.",
        you: "You",
        confidant: "confidant",
        write_first: "Write something first.",
        sent: "Your message has been sent.",
        ended: "This conversation has ended. Do you want to talk again? Then send a new request.",
        idle: "The conversation is closed. You did nothing for 10 minutes. This way nobody else can read it. Want to go on? Then type your reference and your words again.",
        failed: "That did not work. Are you online? Please try again.",
        no_script: "To read your reply, JavaScript must be switched on in your browser. Do you want to talk to someone now? Call De Kindertelefoon: 0800-0432.",
    },
    crumbs: "You are here",
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    }
}

/// The sentence above the ask button, per audience.
fn ask_text(audience: Option<Audience>, lang: Lang) -> &'static str {
    match (lang, audience) {
        (Lang::Nl, Some(Audience::Under12)) => {
            "Een vertrouwenspersoon luistert naar jou. Het is gratis. Je mag het zelf vragen."
        }
        (Lang::Nl, Some(Audience::FosterParent)) => {
            "Voor jezelf of voor je pleegkind. Het is gratis."
        }
        (Lang::Nl, Some(Audience::Professional)) => {
            "Help een kind om een vertrouwenspersoon te vragen. Het kind beslist zelf mee."
        }
        (Lang::Nl, _) => "Het is gratis, en je hebt geen toestemming nodig.",
        (Lang::En, Some(Audience::Under12)) => {
            "A confidant listens to you. It is free. You may ask yourself."
        }
        (Lang::En, Some(Audience::FosterParent)) => {
            "For yourself or for your foster child. It is free."
        }
        (Lang::En, Some(Audience::Professional)) => {
            "Help a child ask for a confidant. The child has a say in it."
        }
        (Lang::En, _) => "It is free, and you need nobody's permission.",
    }
}

/// What a page is made of, for the layout.
pub(crate) struct PageParts<'a> {
    pub kind: Kind,
    pub lang: Lang,
    pub route: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    /// The same page in the other languages.
    pub alternates: &'a [(Lang, String)],
    pub main: Markup,
}

/// A complete document.
pub(crate) fn document(parts: PageParts, config: &SiteConfig) -> String {
    let w = words(parts.lang);
    let lang = parts.lang;
    let home = Special::Home.route(lang);
    let base = config.base_url.trim_end_matches('/');
    let markup = html! {
        (DOCTYPE)
        html lang=(lang.tag()) dir=(lang.dir().as_str()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (parts.title) " – Ken je rechten" }
                meta name="description" content=(parts.summary);
                meta name="referrer" content="no-referrer";
                meta name="theme-color" content="#1d5c63";
                @if parts.kind != Kind::NotFound {
                    link rel="alternate" hreflang=(lang.tag()) href={ (base) (parts.route) };
                    @for (other, route) in parts.alternates {
                        link rel="alternate" hreflang=(other.tag()) href={ (base) (route) };
                    }
                }
                link rel="stylesheet" href="/style.css";
                // Without JavaScript the search box goes (the lists of pages stand in for
                // it). With it, the box is there from the first paint, so nothing moves.
                noscript { link rel="stylesheet" href="/noscript.css"; }
                link rel="icon" href="/favicon.svg" type="image/svg+xml";
                script src="/site.js" defer {}
                @if parts.kind == Kind::Reply {
                    link rel="modulepreload" href="/reply.js";
                }
                @if parts.kind == Kind::Pictures {
                    link rel="modulepreload" href="/pictures.js";
                }
                @if parts.kind == Kind::Form {
                    // No preload of the app's 140 KB: on a slow connection it would share
                    // the bandwidth with the style and delay the first paint. init.js
                    // fetches it once the page's intro is painted.
                    script type="module" src="/init.js" {}
                }
            }
            body {
                header class="site-header" {
                    a id="quick-exit" class="quick-exit" href=(config.exit_url) rel="noreferrer" { (w.exit) }
                    a class="skip-link" href="#main" { (w.skip) }
                    a class="site-name" href=(home) { "Ken je rechten" }
                    @for (other, route) in parts.alternates {
                        a class="lang-switch" href=(route) lang=(other.tag()) hreflang=(other.tag()) {
                            (other.words().name())
                        }
                    }
                }
                main id="main" tabindex="-1" {
                    (parts.main)
                    (help_block(lang))
                }
                footer class="site-footer" {
                    nav class="site-links" aria-label=(w.about_site) {
                        ul {
                            li { a href=(Special::Reply.route(lang)) { (w.read_reply) } }
                            li { a href=(Special::SafeOnline.route(lang)) { (w.safe_online) } }
                            li { a href=(Special::Glossary.route(lang)) { (w.glossary) } }
                            li { a href=(Special::Accessibility.route(lang)) { (w.accessibility) } }
                        }
                    }
                }
            }
        }
    };
    let mut out = markup.into_string();
    out.push('\n');
    out
}

/// The heading; it takes focus after an in-site navigation (see app/site.js).
pub(crate) fn heading(title: &str) -> Markup {
    html! { h1 tabindex="-1" { (title) } }
}

pub(crate) fn body(b: &Body) -> Markup {
    PreEscaped(b.html.clone())
}

/// "Direct hulp nodig?": the last block of every page's main text (so it is printed too).
fn help_block(lang: Lang) -> Markup {
    let w = words(lang);
    html! {
        section class="help-block" aria-labelledby="help-heading" {
            h2 id="help-heading" { (w.help_heading) }
            p { (w.help_intro) }
            ul {
                @for h in Helpline::ALL {
                    li { a href=(h.tel_href()) { (lang.words().helpline_short(*h)) } }
                }
            }
        }
    }
}

/// The way to ask for a confidant, with the form opened for `audience`.
fn ask_block(audience: Option<Audience>, lang: Lang) -> Markup {
    let w = words(lang);
    let href = match audience {
        Some(a) => form_href(a, lang),
        None => Special::Ask.route(lang).to_owned(),
    };
    html! {
        section class="ask-block" aria-labelledby="ask-heading" {
            h2 id="ask-heading" { (w.ask_heading) }
            p { (ask_text(audience, lang)) }
            p {
                a class="button" href=(href) {
                    @if audience == Some(Audience::Under12) { (w.ask_button_young) } @else { (w.ask_button) }
                }
            }
        }
    }
}

/// The read-aloud control: hidden until site.js finds speech synthesis.
fn read_aloud(lang: Lang) -> Markup {
    let r = lang.words().read_aloud();
    html! {
        div class="read-aloud" hidden data-pagefind-ignore data-voice=(r.voice) data-no-voice=(r.no_voice)
            data-failed=(r.failed) data-pause=(r.pause) data-resume=(r.resume) role="group" aria-label=(r.label) {
            button type="button" class="read-aloud-play" data-action="play" { (r.play) }
            button type="button" class="read-aloud-pause" data-action="pause" hidden { (r.pause) }
            button type="button" class="read-aloud-stop" data-action="stop" hidden { (r.stop) }
            p class="read-aloud-status" role="status" {}
        }
    }
}

/// The search box: hidden by `noscript.css` without JavaScript (the lists of pages stand in
/// for it). Pagefind and its index load only when someone starts to search.
fn search_box(lang: Lang) -> Markup {
    let s = &words(lang).search;
    html! {
        form class="search" role="search" action="#" data-none=(s.none)
            data-loading=(s.loading) data-failed=(s.failed) data-found=(s.found) {
            label for="search-input" { (s.label) }
            div class="search-row" {
                input id="search-input" type="search" name="q" autocomplete="off" spellcheck="false";
                button type="submit" class="button" { (s.button) }
            }
            p class="search-status" role="status" {}
            ul class="search-results" {}
        }
    }
}

/// The glossary terms of a page, explained on the page itself (no JavaScript needed).
fn terms_block(ids: &[String], content: &LangContent, lang: Lang) -> Markup {
    let terms: Vec<&Term> = ids.iter().filter_map(|id| content.term(id)).collect();
    html! {
        @if !terms.is_empty() {
            section class="terms" aria-labelledby="terms-heading" {
                h2 id="terms-heading" { (words(lang).terms_heading) }
                dl {
                    @for t in terms {
                        dt id={ "woord-" (t.id) } { (t.term) }
                        dd { (t.explanation) }
                    }
                }
            }
        }
    }
}

fn sources_block(sources: &[Source], lang: Lang) -> Markup {
    let w = words(lang);
    html! {
        section class="sources" aria-labelledby="sources-heading" {
            h2 id="sources-heading" { (w.sources_heading) }
            p { (w.sources_intro) }
            ul {
                @for s in sources {
                    li {
                        (s.claim)
                        span class="origin" {
                            @match &s.origin {
                                crate::content::Origin::Outside { url } => a href=(url) rel="noreferrer" { (url) },
                                origin => (origin_text(origin, lang)),
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The home page: the introduction and one choice per audience.
pub(crate) fn home(content: &LangContent, lang: Lang) -> Markup {
    let w = words(lang);
    let page = content.special(Special::Home);
    html! {
        (heading(&page.front.title))
        (body(&page.body))
        h2 { (w.who_are_you) }
        ul class="choices" {
            @for s in &content.sections {
                li {
                    a class="choice-link" href=(section_route(s.audience, lang)) { (s.front.choice) }
                    // A young child can ask straight away: the picture route.
                    @if s.audience == Audience::Under12 {
                        a class="choice-ask" href=(Special::Pictures.route(lang)) { (w.ask_button_young) }
                    }
                }
            }
        }
        (search_box(lang))
        p { (w.safe_phone) " " a href=(Special::SafeOnline.route(lang)) { (w.safe_phone_link) } "." }
        (terms_block(&page.body.terms, content, lang))
    }
}

/// An audience's index page: introduction, search and every article.
pub(crate) fn section(s: &Section, content: &LangContent, lang: Lang) -> Markup {
    let w = words(lang);
    html! {
        (heading(&s.front.title))
        (body(&s.body))
        (search_box(lang))
        h2 { (w.pages_heading) }
        ul class="page-list" {
            @for a in &s.articles {
                li {
                    a href=(a.route(lang)) { (a.front.title) }
                    p { (a.front.summary) }
                }
            }
        }
        (terms_block(&s.body.terms, content, lang))
        (ask_block(Some(s.audience), lang))
    }
}

/// A knowledge-base article.
pub(crate) fn article(a: &Article, s: &Section, content: &LangContent, lang: Lang) -> Markup {
    let w = words(lang);
    html! {
        nav class="crumbs" aria-label=(w.crumbs) {
            a href=(section_route(s.audience, lang)) { (s.front.title) }
        }
        article data-pagefind-body {
            h1 tabindex="-1" data-pagefind-meta="title" { (a.front.title) }
            (read_aloud(lang))
            div class="read-aloud-text" {
                p class="lead" data-pagefind-meta="summary" { (a.front.summary) }
                (body(&a.body))
            }
        }
        (terms_block(&a.body.terms, content, lang))
        (sources_block(&a.sources, lang))
        (ask_block(Some(s.audience), lang))
    }
}

/// Safe online, accessibility: text, then the ask block.
pub(crate) fn text(special: Special, content: &LangContent, lang: Lang) -> Markup {
    let page = content.special(special);
    html! {
        (heading(&page.front.title))
        (body(&page.body))
        (terms_block(&page.body.terms, content, lang))
        (ask_block(None, lang))
    }
}

/// The glossary: every term, alphabetically.
pub(crate) fn glossary(content: &LangContent, lang: Lang) -> Markup {
    let page = content.special(Special::Glossary);
    let mut terms: Vec<&Term> = content.glossary.iter().collect();
    terms.sort_by_key(|t| t.term.to_lowercase());
    html! {
        (heading(&page.front.title))
        (body(&page.body))
        dl class="glossary" {
            @for t in terms {
                dt id={ "woord-" (t.id) } { (t.term) }
                dd { (t.explanation) }
            }
        }
        (ask_block(None, lang))
    }
}

/// The request form: the page's own text, then the wasm app mounts in `#app`.
pub(crate) fn form(content: &LangContent, lang: Lang) -> Markup {
    let w = words(lang);
    let page = content.special(Special::Ask);
    html! {
        div id="page-intro" {
            (heading(&page.front.title))
            (body(&page.body))
        }
        div id="app" class="app-root" {
            p class="loading" { (w.loading_form) }
            noscript { p class="notice" { (w.no_script) } }
        }
        (terms_block(&page.body.terms, content, lang))
    }
}

/// The reply texts of `lang` (for the reading-ease test).
#[cfg(test)]
pub(crate) fn reply_words(lang: Lang) -> &'static ReplyWords {
    &words(lang).reply
}

/// "Lees je antwoord": the reference and the code words open the conversation; reply.js
/// (loaded by site.js on this page only) does the rest. Its texts are in the page, so the
/// script has none of its own; the API's answers are said in the page's language too.
pub(crate) fn reply(content: &LangContent, lang: Lang) -> Markup {
    use kjr_domain::ApiProblem;
    let w = words(lang);
    let r = &w.reply;
    let page = content.special(Special::Reply);
    let said = |p: ApiProblem| lang.words().api_problem(&p);
    // The lock's minutes as `{n}`: the domain words it, reply.js fills in the number.
    let locked = said(ApiProblem::ConversationLocked {
        retry_after_seconds: 999 * 60,
    })
    .replace("999", "{n}");
    let problems = serde_json::json!({
        "conversation_not_found": said(ApiProblem::ConversationNotFound),
        "conversation_closed": said(ApiProblem::ConversationClosed),
        "conversation_locked": locked,
        "rate_limited": said(ApiProblem::RateLimited { retry_after_seconds: 60 }),
        "busy": said(ApiProblem::Busy { retry_after_seconds: 60 }),
    })
    .to_string();
    html! {
        div id="page-intro" {
            (heading(&page.front.title))
            (body(&page.body))
        }
        div id="reply" class="reply" data-problems=(problems) data-fill=(r.fill_both)
            data-busy=(r.busy) data-none=(r.none_yet) data-you=(r.you)
            data-confidant=(r.confidant) data-write-first=(r.write_first) data-sent=(r.sent)
            data-idle=(r.idle) data-failed=(r.failed) {
            form id="reply-open" class="stack" autocomplete="off" {
                p class="field" {
                    label for="reply-reference" { (r.reference) }
                    span class="hint" id="reply-reference-hint" { (r.reference_hint) }
                    input id="reply-reference" type="text" autocomplete="off"
                        autocapitalize="characters" spellcheck="false"
                        aria-describedby="reply-reference-hint";
                }
                p class="field" {
                    label for="reply-words" { (r.words) }
                    span class="hint" id="reply-words-hint" { (r.words_hint) }
                    input id="reply-words" type="text" autocomplete="off" autocapitalize="none"
                        spellcheck="false" aria-describedby="reply-words-hint";
                }
                p class="notice" id="reply-open-status" role="status" hidden {}
                p { button type="submit" class="button" { (r.open) } }
                p { (r.lost) }
            }
            section id="reply-conversation" aria-labelledby="conversation-h" hidden {
                h2 id="conversation-h" tabindex="-1" { (r.conversation) }
                ol class="messages" {}
                p class="notice" id="reply-ended" hidden { (r.ended) }
                form id="reply-write" class="stack" autocomplete="off" {
                    p class="field" {
                        label for="reply-text" { (r.write) }
                        span class="hint" id="reply-text-hint" { (r.write_hint) }
                        textarea id="reply-text" rows="5"
                            maxlength=(kjr_domain::MAX_MESSAGE_CHARS)
                            aria-describedby="reply-text-hint" {}
                    }
                    p class="notice" id="reply-write-status" role="status" hidden {}
                    p { button type="submit" class="button" { (r.send) } }
                }
                p { button type="button" id="reply-close" class="button secondary" { (r.close) } }
            }
            noscript { p class="notice" { (r.no_script) } }
        }
        (terms_block(&page.body.terms, content, lang))
    }
}

/// The 404 page.
pub(crate) fn not_found(content: &LangContent, lang: Lang) -> Markup {
    let page = content.special(Special::NotFound);
    html! {
        (heading(&page.front.title))
        (body(&page.body))
        (terms_block(&page.body.terms, content, lang))
    }
}
