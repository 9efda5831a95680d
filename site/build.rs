//! Finds the content fragments (`content/<lang>/<page>.html`) so that adding a page or a
//! language is adding files, not editing a list in Rust.

use std::path::Path;

fn main() {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    println!("cargo:rerun-if-changed={}", content.display());
    let mut entries = Vec::new();
    for lang in std::fs::read_dir(&content).expect("site/content") {
        let lang = lang.expect("content entry").path();
        if !lang.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&lang).expect("language folder") {
            let file = file.expect("content file").path();
            if file.extension().is_some_and(|e| e == "html") {
                entries.push((
                    lang.file_name().unwrap().to_string_lossy().into_owned(),
                    file.file_stem().unwrap().to_string_lossy().into_owned(),
                    file.display().to_string(),
                ));
            }
        }
    }
    entries.sort();
    let mut out = String::from(
        "/// Every fragment: (language tag, page name, text).\npub static FRAGMENTS: &[(&str, &str, &str)] = &[\n",
    );
    for (lang, name, path) in entries {
        out.push_str(&format!(
            "    ({lang:?}, {name:?}, include_str!({path:?})),\n"
        ));
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("fragments.rs");
    std::fs::write(dest, out).expect("write fragments.rs");
}
