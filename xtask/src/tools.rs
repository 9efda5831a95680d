//! Installs what builds and tests need, once, idempotently.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{root, run};

/// Where downloaded tools live between runs.
pub fn cache_dir() -> PathBuf {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(|| root().join("target/cache"));
    base.join("kjr")
}

fn output(cmd: &mut Command) -> Option<String> {
    cmd.output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
}

/// The wasm toolchain.
pub struct WasmTools {
    /// `wasm-bindgen` at the version in Cargo.lock.
    pub wasm_bindgen: PathBuf,
    /// `wasm-opt` from the npm package `binaryen`.
    pub wasm_opt: PathBuf,
}

/// The wasm-bindgen version Cargo.lock pins.
fn locked_wasm_bindgen_version() -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\""
            && let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \""))
        {
            return Ok(v.trim_end_matches('"').to_owned());
        }
    }
    Err("wasm-bindgen is not in Cargo.lock".into())
}

fn cargo_bin_dir() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"))
        .join("bin")
}

/// The wasm32 target, wasm-bindgen-cli (Cargo.lock's version) and wasm-opt.
pub fn ensure_wasm_tools() -> Result<WasmTools, String> {
    let targets =
        output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if !targets.lines().any(|t| t == "wasm32-unknown-unknown") {
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    let version = locked_wasm_bindgen_version()?;
    let wasm_bindgen = cargo_bin_dir().join("wasm-bindgen");
    let installed = output(Command::new(&wasm_bindgen).arg("--version")).unwrap_or_default();
    if installed != format!("wasm-bindgen {version}") {
        // Not --locked: the registry mirror may lack the exact versions the CLI's own lock names.
        run(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &version]))?;
    }
    let node = ensure_node_tools()?;
    Ok(WasmTools {
        wasm_bindgen,
        wasm_opt: node.join("node_modules/.bin/wasm-opt"),
    })
}

/// npm packages from `xtask/node/package.json` (binaryen, lighthouse, axe-core, oidc-provider).
pub fn ensure_node_tools() -> Result<PathBuf, String> {
    let dir = root().join("xtask/node");
    let stamp = dir.join("node_modules/.kjr-installed");
    let lock = dir.join("package-lock.json");
    let fresh = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    if fresh(&stamp).is_none() || fresh(&lock) > fresh(&stamp) {
        let verb = if lock.exists() { "ci" } else { "install" };
        run(Command::new("npm")
            .current_dir(&dir)
            .args([verb, "--no-audit", "--no-fund"]))?;
        std::fs::write(&stamp, b"").map_err(|e| e.to_string())?;
    }
    Ok(dir)
}

/// Chromium and ChromeDriver.
pub struct BrowserTools {
    /// The browser.
    pub chromium: PathBuf,
    /// The WebDriver server.
    pub chromedriver: PathBuf,
}

/// Debian's Chromium and ChromeDriver, installed with apt when missing.
pub fn ensure_browser() -> Result<BrowserTools, String> {
    let chromium = PathBuf::from("/usr/bin/chromium");
    let chromedriver = PathBuf::from("/usr/bin/chromedriver");
    if !chromium.exists() || !chromedriver.exists() {
        let sudo = output(Command::new("id").arg("-u")).as_deref() != Some("0");
        let apt = |args: &[&str]| {
            let mut cmd = if sudo {
                let mut c = Command::new("sudo");
                c.arg("apt-get");
                c
            } else {
                Command::new("apt-get")
            };
            cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
            run(&mut cmd)
        };
        apt(&["update", "-qq"])?;
        apt(&["install", "-y", "-qq", "chromium", "chromium-driver"])?;
    }
    Ok(BrowserTools {
        chromium,
        chromedriver,
    })
}

/// Python tools in one venv: moto (with Cognito for the OIDC tests), aiosmtpd, aws-sam-cli,
/// cfn-lint, cargo-lambda (brings zig), schemathesis.
pub fn ensure_venv() -> Result<PathBuf, String> {
    const REQUIREMENTS: &str = "moto[server,dynamodb,ses,cognitoidp]>=5.1,<6 boto3 aiosmtpd>=1.4,<2 \
                                aws-sam-cli cfn-lint cargo-lambda schemathesis>=4.32,<5";
    let venv = cache_dir().join("venv");
    let stamp = venv.join(".kjr-requirements");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(REQUIREMENTS) {
        return Ok(venv);
    }
    if !venv.join("bin/python").exists() {
        run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    }
    run(Command::new(venv.join("bin/pip"))
        .args(["install", "--quiet", "--disable-pip-version-check"])
        .args(REQUIREMENTS.split_whitespace()))?;
    std::fs::write(&stamp, REQUIREMENTS).map_err(|e| e.to_string())?;
    Ok(venv)
}
