//! Real servers for tests: moto (DynamoDB, Streams, SES), aiosmtpd, the local `kjr-server`.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A port that was free a moment ago on 127.0.0.1, and that no other test in this process
/// has been given (tests run in parallel; two servers must not race for one port).
pub fn free_port() -> u16 {
    static GIVEN: std::sync::Mutex<Vec<u16>> = std::sync::Mutex::new(Vec::new());
    loop {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("no free port on 127.0.0.1");
        let mut given = GIVEN.lock().unwrap_or_else(|e| e.into_inner());
        if !given.contains(&port) {
            given.push(port);
            return port;
        }
    }
}

/// The path an environment variable names, or a clear failure.
pub fn tool_path(var: &str, hint: &str) -> PathBuf {
    match std::env::var_os(var) {
        Some(p) => PathBuf::from(p),
        None => panic!("{var} is not set: {hint}. Run the tests with `cargo xtask test`."),
    }
}

/// The Python venv with moto and aiosmtpd.
pub fn venv() -> PathBuf {
    tool_path("KJR_VENV", "the Python venv with moto and aiosmtpd")
}

/// Waits until something accepts TCP connections on `port`.
pub fn wait_for_port(port: u16, child: &mut Child, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    while Instant::now() < deadline {
        if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("{what} exited before it listened: {status}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("{what} did not listen on 127.0.0.1:{port} within 60 s");
}

/// A child process killed (SIGKILL) and reaped when dropped.
pub struct Process {
    child: Child,
    /// The port it listens on.
    pub port: u16,
}

impl Process {
    fn start(mut cmd: Command, port: u16, what: &str) -> Self {
        let mut child = cmd
            .stdin(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("could not start {what}: {e}"));
        wait_for_port(port, &mut child, what);
        Self { child, port }
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Takes over a started child.
    pub fn adopt(child: Child, port: u16) -> Self {
        Self { child, port }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Kills the process with SIGKILL, as a crash would, and waits for it.
    pub fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// moto_server (DynamoDB, DynamoDB Streams, SES).
pub fn start_moto() -> Process {
    let port = free_port();
    let mut cmd = Command::new(venv().join("bin/moto_server"));
    cmd.args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    Process::start(cmd, port, "moto_server")
}

/// aiosmtpd storing every message in a Maildir under `maildir`.
pub fn start_smtp(maildir: &Path) -> Process {
    start_smtp_on(maildir, free_port())
}

/// As [`start_smtp`], on a given port (a mail server that comes back after an outage).
pub fn start_smtp_on(maildir: &Path, port: u16) -> Process {
    for sub in ["tmp", "new", "cur"] {
        std::fs::create_dir_all(maildir.join(sub)).expect("maildir");
    }
    let mut cmd = Command::new(venv().join("bin/python"));
    cmd.args([
        "-m",
        "aiosmtpd",
        "-n",
        "-l",
        &format!("127.0.0.1:{port}"),
        "-c",
        "aiosmtpd.handlers.Mailbox",
    ])
    .arg(maildir)
    .stdout(Stdio::null())
    .stderr(Stdio::null());
    Process::start(cmd, port, "aiosmtpd")
}

/// Every message in a Maildir, as raw text.
pub fn maildir_messages(maildir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for sub in ["new", "cur"] {
        if let Ok(entries) = std::fs::read_dir(maildir.join(sub)) {
            for e in entries.flatten() {
                if let Ok(text) = std::fs::read_to_string(e.path()) {
                    out.push(text);
                }
            }
        }
    }
    out
}

/// The local server binary (`kjr-server`) with the given environment, SQLite under `data`.
pub fn start_local_server(data: &Path, extra_env: &[(&str, String)]) -> Process {
    let port = free_port();
    start_local_server_on(&server_bin(), port, data, extra_env)
}

/// The `kjr-server` binary: `KJR_SERVER_BIN`, or the workspace's debug build.
pub fn server_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("KJR_SERVER_BIN") {
        return PathBuf::from(p);
    }
    let guess = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/debug/kjr-server");
    assert!(
        guess.exists(),
        "KJR_SERVER_BIN is not set and {} does not exist: run `cargo build -p kjr-api` or `cargo xtask test`",
        guess.display()
    );
    guess
}

/// As [`start_local_server`], with an explicit binary and port (restart on the same port).
pub fn start_local_server_on(
    bin: &Path,
    port: u16,
    data: &Path,
    extra_env: &[(&str, String)],
) -> Process {
    Process::start(
        local_server_command(bin, port, data, extra_env),
        port,
        "kjr-server",
    )
}

/// As [`start_local_server`], with everything it prints (at every level of `filter`, as
/// `RUST_LOG` says it) written to `log`: for tests of what the logs hold.
pub fn start_local_server_logging(data: &Path, log: &Path, filter: &str) -> Process {
    let port = free_port();
    let mut cmd = local_server_command(&server_bin(), port, data, &[]);
    let file = std::fs::File::create(log).expect("log file");
    cmd.env("RUST_LOG", filter)
        .stdout(file.try_clone().expect("log file"))
        .stderr(file);
    Process::start(cmd, port, "kjr-server")
}

fn local_server_command(
    bin: &Path,
    port: u16,
    data: &Path,
    extra_env: &[(&str, String)],
) -> Command {
    let mut cmd = Command::new(bin);
    cmd.env("KJR_LISTEN", format!("127.0.0.1:{port}"))
        .env("KJR_SQLITE_PATH", data.join("kjr.sqlite3"))
        // Tests run many servers side by side: each its own operations port (a test that
        // reads the metrics passes its own).
        .env("KJR_ADMIN_LISTEN", "127.0.0.1:0")
        .env("RUST_LOG", "warn");
    for (k, v) in crate::fixtures::NO_RATE_LIMITS {
        cmd.env(k, v);
    }
    if let Some(site) = std::env::var_os("KJR_SITE_DIR") {
        cmd.env("KJR_STATIC_DIR", site);
    }
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    cmd
}

/// A stand-in for the neutral site that "Snel weg" leads to (and a page to come from), on
/// 127.0.0.1. It runs as long as the test's runtime.
pub struct NeutralSite {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
}

impl NeutralSite {
    /// The weather page: where the quick exit goes.
    pub fn exit_url(&self) -> String {
        format!("{}/weer", self.base)
    }

    /// An unrelated page the phone was on before the portal.
    pub fn start_url(&self) -> String {
        format!("{}/start", self.base)
    }
}

/// Starts the neutral site.
pub async fn start_neutral_site() -> NeutralSite {
    use axum::response::Html;
    use axum::routing::get;
    let app = axum::Router::new()
        .route(
            "/weer",
            get(|| async {
                Html("<!doctype html><title>Het weer</title><h1>Het weer vandaag</h1>")
            }),
        )
        .route(
            "/start",
            get(|| async { Html("<!doctype html><title>Start</title><h1>Een andere site</h1>") }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind the neutral site");
    let base = format!("http://{}", listener.local_addr().expect("bound"));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    NeutralSite { base }
}

/// The local server with its own SQLite file in a temporary directory.
pub struct Portal {
    /// The running `kjr-server`.
    pub server: Process,
    /// Holds the SQLite file.
    pub data: tempfile::TempDir,
}

impl Portal {
    /// Starts it with the default settings.
    pub fn start() -> Self {
        Self::start_with(&[])
    }

    /// Starts it with extra environment variables.
    pub fn start_with(extra_env: &[(&str, String)]) -> Self {
        let data = tempfile::tempdir().expect("temp dir");
        let server = start_local_server(data.path(), extra_env);
        Self { server, data }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        self.server.url()
    }

    /// The path of every page its `/sitemap.xml` lists (the sitemap names the public
    /// address; the paths are what a test opens on this server).
    pub async fn sitemap_paths(&self) -> Vec<String> {
        let xml = reqwest::get(format!("{}/sitemap.xml", self.url()))
            .await
            .expect("sitemap")
            .text()
            .await
            .expect("sitemap text");
        xml.split("<loc>")
            .skip(1)
            .filter_map(|rest| rest.split("</loc>").next())
            .map(|url| format!("/{}", url.splitn(4, '/').nth(3).unwrap_or("")))
            .collect()
    }

    /// Its store, opened a second time for assertions.
    pub fn store(&self) -> kjr_api::store::SqliteStore {
        kjr_api::store::SqliteStore::open(&self.data.path().join("kjr.sqlite3"))
            .expect("open the portal's SQLite file")
    }
}
