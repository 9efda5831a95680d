//! `cargo xtask dev | test | bench | build-app`: the project's commands.
//!
//! Each installs what it needs first (idempotent, cached under `~/.cache/kjr`), so a fresh
//! machine needs nothing done by hand.

mod app;
mod bench;
mod tools;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The cargo target directory.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

/// The command line, without the environment (which can be long).
fn describe(cmd: &Command) -> String {
    std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|a| a.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs a command, failing with its description if it does not succeed.
pub fn run(cmd: &mut Command) -> Result<(), String> {
    let cmd_line = describe(cmd);
    eprintln!("xtask> {cmd_line}");
    let status = cmd
        .status()
        .map_err(|e| format!("could not start {cmd_line}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{cmd_line} failed: {status}"))
    }
}

/// `cargo` as the one running us.
pub fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(root());
    // `cargo run` describes the xtask package in these; an inner build must not inherit them,
    // or build scripts that watch the environment rebuild what a plain `cargo build` made.
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        if key.starts_with("CARGO_PKG_")
            || matches!(
                key.as_ref(),
                "CARGO_MANIFEST_DIR"
                    | "CARGO_MANIFEST_PATH"
                    | "CARGO_BIN_NAME"
                    | "CARGO_CRATE_NAME"
                    | "CARGO_PRIMARY_PACKAGE"
            )
        {
            cmd.env_remove(key.as_ref());
        }
    }
    cmd
}

fn usage() -> &'static str {
    "usage: cargo xtask <command>
  dev        install tools, build the app and serve app + API on http://127.0.0.1:8080 (SQLite in ./data)
  test       install test tools and run every test (what .ci/run calls)
  bench      measure first-load size, API throughput/latency, Lighthouse scores, search
             latency, the staff workspace and backups with 100,000 requests
             (`bench size|api|lighthouse|search|staff|ops`: one of them)
  build-app  build the app into target/site
  staff add --email EMAIL --team TEAM [--coordinator] [--name NAME]
             create a local staff account in the store `dev` uses (password on stdin;
             prints the otpauth:// URI of its second factor last)
  staff disable EMAIL | staff reset-mfa EMAIL
  audit verify
             check the hash chain of every request's audit trail
  backup FILE
             a consistent copy of the store `dev` uses, also while it runs
  restore FILE [--force]
             put a backup in place of that store (stop the server first; --force to replace
             an existing store, which is then kept beside it)"
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("dev") => dev(),
        Some("test") => test(),
        Some("bench") => bench::run_all(args.get(1).map(String::as_str)),
        Some("staff") | Some("audit") | Some("backup") | Some("restore") => admin(&args),
        Some("build-app") => tools::ensure_wasm_tools().and_then(|t| app::build(&t).map(|_| ())),
        _ => Err(usage().to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The SQLite file `cargo xtask dev` serves, unless `KJR_SQLITE_PATH` names another.
fn dev_database() -> PathBuf {
    std::env::var_os("KJR_SQLITE_PATH")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("data/kjr.sqlite3"))
}

/// `staff …` and `audit …`: `kjr-admin` on the store `dev` uses (or the one the
/// environment configures), with standard input passed through for the password.
fn admin(args: &[String]) -> Result<(), String> {
    run(cargo().args(["build", "-q", "-p", "kjr-api", "--bin", "kjr-admin"]))?;
    let mut cmd = Command::new(target_dir().join("debug/kjr-admin"));
    // A backup's file name is meant from where the command was typed.
    let here = std::env::current_dir().map_err(|e| e.to_string())?;
    let file_args = matches!(args[0].as_str(), "backup" | "restore");
    cmd.current_dir(root()).args(args.iter().map(|a| {
        if file_args && !a.starts_with("--") && !["backup", "restore"].contains(&a.as_str()) {
            here.join(a).into_os_string()
        } else {
            a.into()
        }
    }));
    if std::env::var_os("KJR_STORE").is_none() {
        cmd.env("KJR_SQLITE_PATH", dev_database());
    }
    run(&mut cmd)
}

fn dev() -> Result<(), String> {
    let wasm = tools::ensure_wasm_tools()?;
    let site = app::build(&wasm)?;
    run(cargo().args(["build", "-p", "kjr-api", "--bin", "kjr-server"]))?;
    let bin = target_dir().join("debug/kjr-server");
    eprintln!("xtask> serving on http://127.0.0.1:8080 (Ctrl-C stops)");
    let mut cmd = Command::new(bin);
    cmd.current_dir(root())
        .env("KJR_STATIC_DIR", &site)
        .env_remove("KJR_STORE");
    cmd.env("KJR_SQLITE_PATH", dev_database());
    run(&mut cmd)
}

fn test() -> Result<(), String> {
    let wasm = tools::ensure_wasm_tools()?;
    let browser = tools::ensure_browser()?;
    let venv = tools::ensure_venv()?;
    let node = tools::ensure_node_tools()?;
    let site = app::build(&wasm)?;
    // The server and both Lambda binaries: the tests run them as processes.
    run(cargo().args(["build", "-p", "kjr-api", "--bins"]))?;

    let path = format!(
        "{}:{}",
        venv.join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut tests = cargo();
    tests
        .args(["test", "--workspace", "--exclude", "xtask"])
        .env("KJR_VENV", &venv)
        .env("KJR_CHROMEDRIVER", &browser.chromedriver)
        .env("KJR_CHROMIUM", &browser.chromium)
        .env("KJR_SITE_DIR", &site)
        .env("KJR_AXE", node.join("node_modules/axe-core/axe.min.js"))
        .env("KJR_NODE_MODULES", node.join("node_modules"))
        .env("KJR_SERVER_BIN", target_dir().join("debug/kjr-server"))
        .env("PATH", &path);
    let (mut passed, failed) = run_counting_tests(&mut tests)?;

    // The published contract against the real server: every schema-valid request must be
    // accepted, every invalid one refused with a documented answer.
    // The staff routes run signed in as a coordinator, with the headers the staff app sends;
    // signing out is left out, or everything after it would only see 401.
    let server_bin = target_dir().join("debug/kjr-server");
    let server = bench::BenchServer::spawn(&server_bin, None)?;
    let login = server.staff_login(&server_bin, &venv.join("bin/python"))?;
    let mut schemathesis = Command::new(venv.join("bin/schemathesis"));
    schemathesis
        .current_dir(std::env::temp_dir())
        .arg("--config-file")
        .arg(root().join("xtask/schemathesis.toml"))
        .args(["run", "--checks", "all", "--seed", "1", "--no-color"])
        .args(["--exclude-operation-id", "signOut"])
        .env("KJR_ST_SESSION", login.token)
        .env("KJR_ST_CSRF", login.csrf)
        .env("KJR_ST_ORIGIN", format!("http://127.0.0.1:{}", server.port))
        .arg(format!("http://127.0.0.1:{}/api/openapi.json", server.port))
        .env("PATH", &path)
        .env("SCHEMATHESIS_TELEMETRY", "false");
    let contract = run(&mut schemathesis);
    drop(server);
    if let Err(e) = contract {
        println!("tests: {passed} passed, {} failed", failed + 1);
        return Err(e);
    }
    passed += 1;

    // The deployment: the template through both linters, and both functions built for
    // Lambda (arm64) as `sam build` would (the same `cargo lambda build --release --arm64`,
    // cross-compiled and linked by zig). Only the optimisation level differs: this build
    // proves that the functions compile and link for the target, and unoptimised it takes
    // a few minutes on a cold machine instead of a quarter of an hour. The binaries the
    // tests run against real event payloads are the host builds above.
    let template = root().join("infra/template.yaml");
    run(Command::new(venv.join("bin/sam"))
        .args(["validate", "--lint", "--region", "eu-west-1", "-t"])
        .arg(&template)
        .env("PATH", &path)
        .env("SAM_CLI_TELEMETRY", "0"))?;
    run(Command::new(venv.join("bin/cfn-lint")).arg(&template))?;
    run(Command::new(venv.join("bin/cargo-lambda"))
        .current_dir(root())
        .args([
            "lambda",
            "build",
            "--release",
            "--arm64",
            "-p",
            "kjr-api",
            "--bin",
            "kjr-lambda-api",
            "--bin",
            "kjr-lambda-router",
        ])
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("PATH", &path))?;
    for bin in ["kjr-lambda-api", "kjr-lambda-router"] {
        let bootstrap = target_dir().join("lambda").join(bin).join("bootstrap");
        if !bootstrap.exists() {
            return Err(format!(
                "cargo lambda did not produce {}",
                bootstrap.display()
            ));
        }
    }
    eprintln!("xtask> all tests, template checks and Lambda builds passed");
    // One closing line for the whole run (cargo's last own line is often a doc-test
    // summary of 0 tests).
    println!("tests: {passed} passed, {failed} failed");
    Ok(())
}

/// Runs `cargo test`, echoing its output, and adds up its `test result:` lines.
fn run_counting_tests(cmd: &mut Command) -> Result<(usize, usize), String> {
    use std::io::{BufRead, BufReader};
    eprintln!("xtask> {}", describe(cmd));
    let mut child = cmd
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start cargo test: {e}"))?;
    let (mut passed, mut failed) = (0, 0);
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            println!("{line}");
            if let Some(rest) = line.strip_prefix("test result: ") {
                let count = |word: &str| {
                    rest.split(';')
                        .find_map(|part| part.trim().strip_suffix(word))
                        .and_then(|n| n.trim().rsplit(' ').next()?.parse::<usize>().ok())
                        .unwrap_or(0)
                };
                passed += count(" passed");
                failed += count(" failed");
            }
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if status.success() {
        Ok((passed, failed))
    } else {
        println!("tests: {passed} passed, {failed} failed");
        Err(format!("cargo test failed: {status}"))
    }
}
