//! The layout every page shares.

use std::fmt::Write;

use kjr_domain::{Audience, Helpline};

use crate::{Kind, Lang, PAGES, PageDef, SiteConfig, fragment};

/// The words of the layout in one language.
struct Words {
    exit: &'static str,
    skip: &'static str,
    help_intro: &'static str,
    about_site: &'static str,
    safe_online: &'static str,
    accessibility: &'static str,
    loading_form: &'static str,
    no_script: &'static str,
}

const NL: Words = Words {
    exit: "Snel weg",
    skip: "Naar de inhoud",
    help_intro: "Direct hulp nodig? Bel gratis:",
    about_site: "Over deze website",
    safe_online: "Veilig online",
    accessibility: "Toegankelijkheid",
    loading_form: "Het formulier wordt geladen…",
    no_script: "Om een vertrouwenspersoon te vragen, moet JavaScript aan staan in je browser. \
                Direct hulp nodig? Bel een van de nummers hieronder.",
};

const EN: Words = Words {
    exit: "Exit this page",
    skip: "Skip to content",
    help_intro: "Need help right now? Call for free:",
    about_site: "About this website",
    safe_online: "Safe online",
    accessibility: "Accessibility",
    loading_form: "Loading the form…",
    no_script: "To ask for a confidant, JavaScript must be switched on in your browser. \
                Need help right now? Call one of the numbers below.",
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    }
}

/// Escapes text for HTML text and double-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A fragment split into its header fields and body.
pub(crate) struct Fragment {
    pub title: &'static str,
    pub description: &'static str,
    pub body: &'static str,
}

pub(crate) fn parse(text: &'static str) -> Option<Fragment> {
    let (head, body) = text.split_once("\n---\n")?;
    let mut title = None;
    let mut description = None;
    for line in head.lines() {
        if let Some(t) = line.strip_prefix("title:") {
            title = Some(t.trim());
        } else if let Some(d) = line.strip_prefix("description:") {
            description = Some(d.trim());
        }
    }
    Some(Fragment {
        title: title?,
        description: description?,
        body: body.trim(),
    })
}

/// Expands the content's references to the shared vocabulary: `{{helpline veilig-thuis}}`
/// (a call link, the number written once in the domain) and `{{ask pleegouder}}` (the form's
/// address for an audience, in the page's language).
pub(crate) fn expand(body: &str, lang: Lang) -> Result<String, String> {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find("}}")
            .ok_or_else(|| format!("unclosed {{{{ in {:.40}", after))?;
        let (what, arg) = after[..end]
            .trim()
            .split_once(' ')
            .ok_or_else(|| format!("{{{{{}}}}} needs a name", &after[..end]))?;
        match what {
            "helpline" => {
                let h = Helpline::from_wire(arg).ok_or_else(|| format!("no helpline {arg:?}"))?;
                let _ = write!(
                    out,
                    "<a href=\"{}\">{}</a>",
                    h.tel_href(),
                    escape(&h.inline(lang))
                );
            }
            "ask" => {
                let a = Audience::from_wire(arg).ok_or_else(|| format!("no audience {arg:?}"))?;
                let form = PAGES
                    .iter()
                    .find(|p| p.kind == Kind::Form)
                    .map_or("/", |p| p.route(lang));
                let _ = write!(out, "{form}{}", a.form_query());
            }
            other => return Err(format!("unknown {{{{{other} …}}}}")),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The page `def` in `lang`, complete.
pub(crate) fn render(def: &PageDef, lang: Lang, config: &SiteConfig) -> String {
    let w = words(lang);
    let Some(fragment) = parse(fragment(def.name, lang)) else {
        panic!(
            "site/content/{}/{}.html has no title/description header",
            lang.tag(),
            def.name
        );
    };
    let home = PAGES[0].route(lang);
    // One link per other language; the 404 page's lead to their home pages.
    let switches: String = lang
        .others()
        .map(|other| {
            let to = match def.kind {
                Kind::NotFound => PAGES[0].route(other),
                _ => def.route(other),
            };
            format!(
                "<a class=\"lang-switch\" href=\"{to}\" lang=\"{tag}\" hreflang=\"{tag}\">{name}</a>\n",
                tag = other.tag(),
                name = other.words().name(),
            )
        })
        .collect();
    let mut html = String::with_capacity(fragment.body.len() + 3000);
    let _ = write!(
        html,
        "<!doctype html>\n<html lang=\"{lang}\" dir=\"{dir}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} – Ken je rechten</title>\n\
         <meta name=\"description\" content=\"{description}\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <meta name=\"theme-color\" content=\"#1d5c63\">\n\
         <link rel=\"stylesheet\" href=\"/style.css\">\n\
         <link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\n\
         <script src=\"/site.js\" defer></script>\n",
        lang = lang.tag(),
        dir = lang.dir().as_str(),
        title = escape(fragment.title),
        description = escape(fragment.description),
    );
    if def.kind == Kind::Form {
        html.push_str(
            "<link rel=\"modulepreload\" href=\"/pkg/kjr.js\">\n\
             <link rel=\"preload\" href=\"/pkg/kjr_bg.wasm\" as=\"fetch\" type=\"application/wasm\" crossorigin>\n\
             <script type=\"module\" src=\"/init.js\"></script>\n",
        );
    }
    let _ = write!(
        html,
        "</head>\n<body>\n<header class=\"site-header\">\n\
         <a id=\"quick-exit\" class=\"quick-exit\" href=\"{exit}\" rel=\"noreferrer\">{exit_text}</a>\n\
         <a class=\"skip-link\" href=\"#main\">{skip}</a>\n\
         <a class=\"site-name\" href=\"{home}\">Ken je rechten</a>\n\
         {switches}</header>\n<main id=\"main\" tabindex=\"-1\">\n",
        exit = escape(&config.exit_url),
        exit_text = w.exit,
        skip = w.skip,
    );
    // The heading takes focus after an in-site navigation (see app/site.js).
    let body = expand(fragment.body, lang)
        .unwrap_or_else(|e| panic!("site/content/{}/{}.html: {e}", lang.tag(), def.name))
        .replacen("<h1>", "<h1 tabindex=\"-1\">", 1);
    if def.kind == Kind::Form {
        let _ = write!(
            html,
            "<div id=\"page-intro\">\n{body}\n</div>\n\
             <div id=\"app\" class=\"app-root\">\n<p class=\"loading\">{loading}</p>\n\
             <noscript><p class=\"notice\">{no_script}</p></noscript>\n</div>\n",
            loading = w.loading_form,
            no_script = w.no_script,
        );
    } else {
        html.push_str(&body);
        html.push('\n');
    }
    let safe_online = PAGES
        .iter()
        .find(|p| p.name == "safe-online")
        .map(|p| p.route(lang));
    let accessibility = PAGES
        .iter()
        .find(|p| p.name == "accessibility")
        .map(|p| p.route(lang));
    let helplines: String = Helpline::ALL
        .iter()
        .map(|h| {
            format!(
                "<li><a href=\"{}\">{}</a></li>\n",
                h.tel_href(),
                escape(&lang.words().helpline_short(*h))
            )
        })
        .collect();
    let _ = write!(
        html,
        "</main>\n<footer class=\"site-footer\">\n<div class=\"help-line\">\n<p>{help_intro}</p>\n<ul>\n\
         {helplines}</ul>\n</div>\n\
         <nav class=\"site-links\" aria-label=\"{about}\">\n<ul>\n\
         <li><a href=\"{safe}\">{safe_title}</a></li>\n\
         <li><a href=\"{a11y}\">{a11y_title}</a></li>\n</ul>\n</nav>\n</footer>\n</body>\n</html>\n",
        help_intro = w.help_intro,
        safe_title = w.safe_online,
        a11y_title = w.accessibility,
        about = w.about_site,
        safe = safe_online.unwrap_or("/"),
        a11y = accessibility.unwrap_or("/"),
    );
    html
}
