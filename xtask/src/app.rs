//! Builds the public app into `target/site` and the staff app into `target/site/staff`:
//! wasm (size profile) → wasm-bindgen → wasm-opt, the static files beside it, and a brotli
//! copy of each for the server to send.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::tools::WasmTools;
use crate::{cargo, root, run, target_dir};

/// Files every page loads besides its own HTML, relative to the site root.
pub const EVERY_PAGE: &[&str] = &["style.css", "site.js", "favicon.svg"];

/// Files the form page loads besides those: the app.
pub const FORM_PAGE: &[&str] = &["init.js", "pkg/kjr.js", "pkg/kjr_bg.wasm"];

fn modified(p: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(p).and_then(|m| m.modified()).ok()
}

/// The staff app's first load, relative to the site root: its own page and bundle, which
/// the public pages never load.
pub const STAFF_APP: &[&str] = &[
    "staff/index.html",
    "staff/staff.css",
    "staff/init.js",
    "staff/pkg/kjr_staff.js",
    "staff/pkg/kjr_staff_bg.wasm",
];

/// Builds the public app and the staff app and returns the site directory.
pub fn build(tools: &WasmTools) -> Result<PathBuf, String> {
    // One cargo run per bundle, so the staff app's dependencies can never change the
    // features (and so the size) of the public app's wasm.
    for package in ["kjr-app", "kjr-staff"] {
        run(cargo().args([
            "build",
            "-p",
            package,
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            "wasm-release",
        ]))?;
    }
    let site = target_dir().join("site");
    bindgen(tools, "kjr-app", "kjr", &site.join("pkg"))?;
    for file in [
        "style.css",
        "noscript.css",
        "site.js",
        "search.js",
        "reply.js",
        "pictures.js",
        "init.js",
        "favicon.svg",
    ] {
        let text = std::fs::read_to_string(root().join("app").join(file))
            .map_err(|e| format!("app/{file}: {e}"))?;
        std::fs::write(site.join(file), without_comments(file, &text))
            .map_err(|e| format!("{file}: {e}"))?;
    }
    write_pages(&site)?;
    index_for_search(&site)?;
    let public = root().join("app/public");
    if public.is_dir() {
        copy_dir(&public, &site)?;
    }
    let staff = site.join("staff");
    bindgen(tools, "kjr-staff", "kjr_staff", &staff.join("pkg"))?;
    for file in ["index.html", "staff.css", "init.js"] {
        std::fs::copy(root().join("staff").join(file), staff.join(file))
            .map_err(|e| format!("staff/{file}: {e}"))?;
    }
    compress_all(&site)?;
    Ok(site)
}

/// wasm-bindgen (`--target web`) and `wasm-opt -Oz` of the wasm binary `bin` into `pkg` as
/// `{name}.js` and `{name}_bg.wasm`, when the binary is newer than what is there.
fn bindgen(tools: &WasmTools, bin: &str, name: &str, pkg: &Path) -> Result<(), String> {
    let raw = target_dir().join(format!("wasm32-unknown-unknown/wasm-release/{bin}.wasm"));
    let out = pkg.join(format!("{name}_bg.wasm"));
    if modified(&out) < modified(&raw) || modified(&out).is_none() {
        run(Command::new(&tools.wasm_bindgen)
            .args([
                "--target",
                "web",
                "--no-typescript",
                "--out-name",
                name,
                "--out-dir",
            ])
            .arg(pkg)
            .arg(&raw))?;
        run(Command::new(&tools.wasm_opt)
            .arg("-Oz")
            .arg(&out)
            .arg("-o")
            .arg(&out))?;
    }
    Ok(())
}

/// The site's settings: the quick-exit address from `KJR_EXIT_URL` (default a weather
/// forecast) and the public address from `KJR_PUBLIC_URL` (default the local server).
pub fn site_config() -> Result<kjr_site::SiteConfig, String> {
    let config = match std::env::var("KJR_EXIT_URL") {
        Ok(url) => kjr_site::SiteConfig::new(url).map_err(|e| e.to_string())?,
        Err(_) => kjr_site::SiteConfig::default(),
    };
    match std::env::var("KJR_PUBLIC_URL") {
        Ok(url) => config.with_base_url(url).map_err(|e| e.to_string()),
        Err(_) => Ok(config),
    }
}

/// The public pages from `kjr-site` and `sitemap.xml`, with [`site_config`]. Returns the
/// pages and their files, relative to the site root.
pub fn write_pages(site: &Path) -> Result<Vec<(kjr_site::Page, String)>, String> {
    let config = site_config()?;
    let pages = kjr_site::render_all(&config);
    let sitemap = kjr_site::sitemap(&pages, &config);
    std::fs::write(site.join("sitemap.xml"), sitemap).map_err(|e| format!("sitemap.xml: {e}"))?;
    let mut written = Vec::new();
    for page in pages {
        let file = page.file();
        let path = site.join(&file);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        if std::fs::read_to_string(&path).ok().as_deref() != Some(page.html.as_str()) {
            std::fs::write(&path, &page.html).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        written.push((page, file));
    }
    Ok(written)
}

/// Pagefind (npm `pagefind`, which ships its binary) indexes the rendered articles — those
/// marked `data-pagefind-body` — into `pagefind/`, one index per language (Dutch stemming,
/// diacritics folded). The pages load it only when someone starts to search.
fn index_for_search(site: &Path) -> Result<(), String> {
    let node = crate::tools::ensure_node_tools()?;
    let out = site.join("pagefind");
    if out.is_dir() {
        std::fs::remove_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    run(Command::new(node.join("node_modules/.bin/pagefind"))
        .arg("--site")
        .arg(site)
        .args(["--output-subdir", "pagefind", "--quiet"]))?;
    result_lists(&out)
}

/// What a search result shows, per language, in one small file (`pagefind/results.LANG.json`:
/// fragment id → address, title, summary) that search.js loads with Pagefind. Without it each
/// result's title is one more request for its Pagefind fragment (the whole page's text),
/// eight per search: most of the time results took to appear. The fragments are gzipped
/// JSON after a `pagefind_dcd` signature; a fragment that does not read so fails the build,
/// and search.js falls back to Pagefind's own `data()` for any id the list lacks.
fn result_lists(pagefind: &Path) -> Result<(), String> {
    use std::io::Read;
    let dir = pagefind.join("fragment");
    let mut lists: std::collections::BTreeMap<String, serde_json::Map<String, serde_json::Value>> =
        Default::default();
    for entry in std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let Some(id) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".pf_fragment"))
        else {
            continue;
        };
        let Some((lang, _)) = id.split_once('_') else {
            return Err(format!("{}: no language in the name", path.display()));
        };
        let gz = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_end(&mut raw)
            .map_err(|e| format!("{}: not gzip: {e}", path.display()))?;
        let json = raw
            .strip_prefix(b"pagefind_dcd")
            .ok_or_else(|| format!("{}: not a Pagefind fragment", path.display()))?;
        let fragment: serde_json::Value =
            serde_json::from_slice(json).map_err(|e| format!("{}: {e}", path.display()))?;
        let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
        lists.entry(lang.to_owned()).or_default().insert(
            id.to_owned(),
            serde_json::json!({
                "url": text(&fragment["url"]),
                "title": text(&fragment["meta"]["title"]),
                "summary": text(&fragment["meta"]["summary"]),
            }),
        );
    }
    for (lang, list) in lists {
        let file = pagefind.join(format!("results.{lang}.json"));
        let body = serde_json::to_string(&list).map_err(|e| e.to_string())?;
        std::fs::write(&file, body).map_err(|e| format!("{}: {e}", file.display()))?;
    }
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let dest = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &dest)?;
        } else {
            std::fs::copy(entry.path(), &dest).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// Brotli at quality 11.
pub fn brotli(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    let _ = brotli::BrotliCompress(&mut &data[..], &mut out, &params);
    out
}

/// The file as it is served: the comments, written for the people who read the source, are
/// left out (every byte of the first load counts on a prepaid phone). Only whole-line `//`
/// comments in JavaScript and `/* … */` comments in CSS: no parser needed, and no string or
/// regular expression in our files starts a line with `//` or contains `/*`.
pub fn without_comments(file: &str, text: &str) -> String {
    if file.ends_with(".js") {
        text.lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .map(|l| format!("{l}\n"))
            .collect()
    } else if file.ends_with(".css") {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find("/*") {
            out.push_str(&rest[..start]);
            match rest[start..].find("*/") {
                Some(end) => rest = &rest[start + end + 2..],
                None => {
                    rest = "";
                    break;
                }
            }
        }
        out.push_str(rest);
        out.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| format!("{l}\n"))
            .collect()
    } else {
        text.to_owned()
    }
}

fn compress_all(dir: &Path) -> Result<(), String> {
    for entry in std::fs::read_dir(dir).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            compress_all(&path)?;
            continue;
        }
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(ext, "html" | "css" | "js" | "wasm" | "svg" | "json" | "txt") {
            continue;
        }
        let br = path.with_extension(format!("{ext}.br"));
        if modified(&br) >= modified(&path) && modified(&br).is_some() {
            continue;
        }
        let data = std::fs::read(&path).map_err(|e| e.to_string())?;
        std::fs::write(&br, brotli(&data)).map_err(|e| e.to_string())?;
    }
    Ok(())
}
