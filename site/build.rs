//! Finds the content files (`content/LANG/…`) so that adding a page is adding a file, not
//! editing a list in Rust; and checks them with the crate's own loader, so that a broken link,
//! an unknown front-matter field or a missing translation fails the build.

use std::path::{Path, PathBuf};

#[allow(dead_code)]
#[path = "src/content.rs"]
mod content;

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("site/content") {
        let path = entry.expect("content entry").path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "md" || e == "toml") {
            out.push(path);
        }
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut paths = Vec::new();
    walk(&root, &mut paths);
    paths.sort();
    let files: Vec<(String, String, PathBuf)> = paths
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(&root)
                .expect("under content")
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&p)
                .unwrap_or_else(|e| panic!("site/content/{rel}: {e} (pages are UTF-8 text)"));
            (rel, text, p)
        })
        .collect();
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(rel, text, _)| (rel.as_str(), text.as_str()))
        .collect();
    if let Err(errors) = content::Content::load(&borrowed) {
        for e in &errors {
            println!("cargo:warning=site/content/{e}");
        }
        panic!(
            "site/content has {} problem(s):\n  {}",
            errors.len(),
            errors.join("\n  ")
        );
    }
    let mut out = String::from(
        "/// Every content file: (path under site/content, text).\npub static FILES: &[(&str, &str)] = &[\n",
    );
    for (rel, _, path) in &files {
        out.push_str(&format!(
            "    ({rel:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("content_files.rs");
    std::fs::write(dest, out).expect("write content_files.rs");
}
