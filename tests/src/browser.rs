//! Headless Chromium through ChromeDriver, at a phone-sized 360×740 viewport (or a 1280×800
//! desktop for the staff app), with keyboard and axe-core helpers.

use std::process::{Command, Stdio};
use std::time::Duration;

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::servers::{Process, free_port, tool_path, wait_for_port};
use serde_json::Value;

/// A browser session; ChromeDriver and the profile are removed when dropped.
pub struct Browser {
    /// The WebDriver client.
    pub client: Client,
    _driver: Process,
    _profile: tempfile::TempDir,
}

/// How the browser is set up.
#[derive(Debug, Clone, Copy)]
pub struct BrowserOptions {
    /// Viewport width in CSS pixels (height 740).
    pub width: u32,
    /// Whether the device asks for reduced motion (`prefers-reduced-motion: reduce`).
    pub reduced_motion: bool,
    /// A 1280×800 desktop window instead of a phone (`width` is then ignored).
    pub desktop: bool,
}

impl Default for BrowserOptions {
    fn default() -> Self {
        Self {
            width: 360,
            reduced_motion: false,
            desktop: false,
        }
    }
}

/// Starts ChromeDriver and a fresh headless Chromium with an empty profile, as a phone.
pub async fn start_browser() -> Browser {
    start_browser_with(BrowserOptions::default()).await
}

/// As [`start_browser`], set up as `options` says.
pub async fn start_browser_with(options: BrowserOptions) -> Browser {
    let driver_bin = tool_path(
        "KJR_CHROMEDRIVER",
        "ChromeDriver (apt package chromium-driver)",
    );
    let chromium = tool_path("KJR_CHROMIUM", "Chromium (apt package chromium)");
    let port = free_port();
    let mut cmd = Command::new(driver_bin);
    cmd.arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut child = cmd.spawn().expect("start chromedriver");
    wait_for_port(port, &mut child, "chromedriver");
    let driver = Process::adopt(child, port);
    let profile = tempfile::tempdir().expect("profile dir");
    let mut args = vec![
        "--headless=new".to_owned(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-dev-shm-usage".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--no-first-run".into(),
        "--disable-quic".into(),
        format!("--user-data-dir={}", profile.path().display()),
    ];
    if options.reduced_motion {
        args.push("--force-prefers-reduced-motion".into());
    }
    let chrome_options = if options.desktop {
        args.push("--window-size=1280,800".into());
        json!({ "binary": chromium, "args": args })
    } else {
        json!({
            "binary": chromium,
            "args": args,
            "mobileEmulation": {
                "deviceMetrics": { "width": options.width, "height": 740, "pixelRatio": 2.0, "touch": true }
            }
        })
    };
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": chrome_options,
    });
    let caps = caps.as_object().cloned().unwrap_or_default();
    // Two rustls crypto providers are linked (ring and aws-lc-rs); choose one. The WebDriver
    // connection itself is plain HTTP on loopback.
    let _ = rustls::crypto::ring::default_provider().install_default();
    // Starting Chromium can take a while when several tests start one at once on 2 cores;
    // retry the session a few times before calling it a failure.
    let mut driver = driver;
    let mut attempt = 0;
    let client = loop {
        attempt += 1;
        match ClientBuilder::rustls()
            .expect("tls")
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(client) => break client,
            Err(e) if attempt < 5 && driver.is_running() => {
                eprintln!("chromedriver session attempt {attempt} failed: {e}; retrying");
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            Err(e) => panic!("connect to chromedriver (attempt {attempt}): {e}"),
        }
    };
    if options.desktop {
        // The window includes the (hidden) browser frame: grow it until the viewport is
        // 1280×800.
        let frame = client
            .execute(
                "return [outerWidth - innerWidth, outerHeight - innerHeight]",
                vec![],
            )
            .await
            .expect("window frame");
        let extra = |i: usize| frame[i].as_u64().unwrap_or(0) as u32;
        client
            .set_window_size(1280 + extra(0), 800 + extra(1))
            .await
            .expect("window size");
    }
    Browser {
        client,
        _driver: driver,
        _profile: profile,
    }
}

impl Browser {
    /// Waits (up to 10 s) for a CSS selector and returns the element.
    pub async fn wait_css(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("element {css} did not appear: {e}"))
    }

    /// Clicks the element matching `css` once it is there and can take the click (the app
    /// may still be mounting over the server-sent HTML, or moving the page), up to 10 s.
    pub async fn click(&self, css: &str) {
        let mut last_error = String::new();
        for _ in 0..100 {
            match self.wait_css(css).await.click().await {
                Ok(()) => return,
                Err(e) => last_error = e.to_string(),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("click {css}: {last_error}");
    }

    /// Taps the element matching `css` with a finger (a WebDriver touch pointer: touch
    /// events, then the click a phone makes of them), after scrolling it into view.
    pub async fn tap(&self, css: &str) {
        use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, PointerAction, TouchActions};
        let element = self.wait_css(css).await;
        self.client
            .execute(
                "arguments[0].scrollIntoView({block: 'center'}); return 1",
                vec![serde_json::to_value(&element).expect("element")],
            )
            .await
            .unwrap_or_else(|e| panic!("scroll to {css}: {e}"));
        let finger = TouchActions::new("finger".into())
            .then(PointerAction::MoveToElement {
                element,
                duration: None,
                x: 0.0,
                y: 0.0,
            })
            .then(PointerAction::Down {
                button: MOUSE_BUTTON_LEFT,
            })
            .then(PointerAction::Up {
                button: MOUSE_BUTTON_LEFT,
            });
        self.client
            .perform_actions(finger)
            .await
            .unwrap_or_else(|e| panic!("tap {css}: {e}"));
        let _ = self.client.release_actions().await;
    }

    /// Types `text` into the element matching `css`.
    pub async fn type_into(&self, css: &str, text: &str) {
        self.wait_css(css)
            .await
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("type into {css}: {e}"));
    }

    /// The visible text of the element matching `css`.
    pub async fn text(&self, css: &str) -> String {
        self.wait_css(css).await.text().await.unwrap_or_default()
    }

    /// Waits until the page's body text contains `needle`.
    pub async fn wait_text(&self, needle: &str) {
        for _ in 0..100 {
            let body = self.text("body").await;
            if body.contains(needle) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "text {needle:?} did not appear; page says: {}",
            self.text("body").await
        );
    }

    /// Runs `script` (a function body; `arguments` are `args`) and returns its value.
    pub async fn js(&self, script: &str) -> serde_json::Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Runs an async `script`: its body gets `done` and must call it with the result.
    pub async fn js_async(&self, script: &str) -> serde_json::Value {
        let wrapped = format!("const done = arguments[arguments.length - 1]; {script}");
        self.client
            .execute_async(&wrapped, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Waits (up to 10 s) until `condition` (a JavaScript expression) is true.
    pub async fn wait_until(&self, condition: &str) {
        let script = format!("return !!({condition});");
        for _ in 0..100 {
            if self.client.execute(&script, vec![]).await.ok()
                == Some(serde_json::Value::Bool(true))
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let url = self
            .client
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default();
        panic!("{condition} did not become true (at {url})");
    }

    /// The current address.
    pub async fn url(&self) -> String {
        self.client
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default()
    }

    /// Opens `url` and waits for it to load.
    pub async fn goto(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    /// Ends the WebDriver session.
    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}

/// Fills in the form as a child who wants a text message in the afternoon: `safe_now` is the
/// answer to "Ben je nu veilig?", `municipality` a name or `None` for "Weet ik niet".
pub async fn fill_sms_request(b: &Browser, safe_now: &str, municipality: Option<&str>) {
    b.click(&format!("#safe_now-{safe_now}")).await;
    b.click("#topics-home").await;
    b.type_into("#message", "Ik wil praten.").await;
    b.click("#has_trusted_person-no").await;
    b.click("#channel-sms").await;
    b.type_into("#contact", "06 12345678").await;
    b.click("#contact_times-afternoon").await;
    b.click("#may_leave_message-no").await;
    match municipality {
        Some(name) => b.type_into("#municipality", name).await,
        None => b.click("#municipality-unknown").await,
    }
}

/// Presses and releases `key` (a character or a [`Key`]) through WebDriver actions.
pub async fn press(b: &Browser, key: char) {
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    b.client.perform_actions(keys).await.expect("key press");
}

/// Whether the focused element matches `css`.
pub async fn active_matches(b: &Browser, css: &str) -> bool {
    let script = format!(
        "return !!document.activeElement && document.activeElement.matches({})",
        serde_json::to_string(css).unwrap()
    );
    b.js(&script).await == Value::Bool(true)
}

/// Presses Tab until the focused element matches `css` (at most 80 times).
pub async fn tab_to(b: &Browser, css: &str) {
    for _ in 0..80 {
        if active_matches(b, css).await {
            return;
        }
        press(b, Key::Tab.into()).await;
    }
    let at = b
        .js("return document.activeElement.outerHTML.slice(0, 150)")
        .await;
    panic!("Tab never reached {css}; focus is on {at}");
}

/// Types `text` into the focused element.
pub async fn type_text(b: &Browser, text: &str) {
    b.client
        .active_element()
        .await
        .expect("focused element")
        .send_keys(text)
        .await
        .expect("type");
}

/// Runs axe-core (all its rules: WCAG 2.0–2.2 A/AA and best practices) on the page and
/// fails with a readable list of what it found.
pub async fn assert_no_axe_violations(b: &Browser, what: &str) {
    let axe = std::fs::read_to_string(tool_path("KJR_AXE", "axe-core (npm)")).expect("axe.min.js");
    b.client
        .execute(&axe, vec![])
        .await
        .expect("inject axe-core");
    let result = b
        .js_async(
            "axe.run(document, { resultTypes: ['violations'] })
               .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                   nodes: v.nodes.map(n => n.target.join(' ') + ' ' + n.html.slice(0, 120)) }))))
               .catch(e => done([{ id: 'axe-error', help: String(e), nodes: [] }]));",
        )
        .await;
    let violations = result.as_array().cloned().unwrap_or_default();
    assert!(
        violations.is_empty(),
        "{what}: axe found {} violation(s):\n{}",
        violations.len(),
        serde_json::to_string_pretty(&violations).unwrap()
    );
}

/// Nothing of the visit is left in the browser: no cookies, web storage, IndexedDB, caches
/// or service workers (checked in a secure context, where all of them exist).
pub async fn assert_no_traces(b: &Browser) {
    let cookies = b.client.get_all_cookies().await.expect("cookies");
    assert!(cookies.is_empty(), "cookies: {cookies:?}");
    let traces = b
        .js_async(
            "(async () => {
               const dbs = indexedDB.databases ? await indexedDB.databases() : [];
               const caches_ = await caches.keys();
               const workers = await navigator.serviceWorker.getRegistrations();
               done({ cookie: document.cookie, local: localStorage.length,
                      session: sessionStorage.length, idb: dbs.length,
                      caches: caches_.length, workers: workers.length,
                      secure: isSecureContext });
             })().catch(e => done({ error: String(e) }));",
        )
        .await;
    assert_eq!(
        traces["secure"], true,
        "the checks below need a secure context: {traces}"
    );
    for (key, empty) in [
        ("cookie", serde_json::json!("")),
        ("local", 0.into()),
        ("session", 0.into()),
        ("idb", 0.into()),
        ("caches", 0.into()),
        ("workers", 0.into()),
    ] {
        assert_eq!(traces[key], empty, "{key}: {traces}");
    }
}

/// Replaces the browser's speech with a recorder: every utterance is kept (with the block
/// marked as being read, by id), and each "ends" a moment after it starts. `voices` are the
/// voices the device has.
pub async fn record_speech(b: &Browser, voices: &str) {
    b.js(&format!(
        "const rec = {{ spoken: [], cancels: 0, timers: [] }};
         window.__rec = rec;
         window.SpeechSynthesisUtterance = function (text) {{ this.text = text; }};
         Object.defineProperty(window, 'speechSynthesis', {{ configurable: true, value: {{
           getVoices: () => {voices},
           speak: (u) => {{
             rec.spoken.push({{ text: u.text, lang: u.lang, voice: u.voice && u.voice.name,
               highlighted: !!(CSS.highlights && CSS.highlights.has('kjr-reading')),
               marked: (document.querySelector('.reading') || {{}}).id || null }});
             rec.timers.push(setTimeout(() => u.onend && u.onend(), 30));
           }},
           cancel: () => {{ rec.cancels++; rec.timers.forEach(clearTimeout); rec.timers = []; }},
           pause: () => {{}}, resume: () => {{}},
         }} }});
         return 1"
    ))
    .await;
}

/// A device with a local and an online Dutch voice, and an English one.
pub const VOICES: &str = "[{ name: 'Google US', lang: 'en-US', localService: true },
                        { name: 'Online NL', lang: 'nl-NL', localService: false },
                        { name: 'Lokaal NL', lang: 'nl_NL', localService: true }]";

/// Presses the quick exit while [`record_speech`]'s recorder is reading: the speech is
/// cancelled at once and nothing more is queued.
pub async fn assert_quick_exit_silences(b: &Browser) {
    let state = b
        .js("const before = window.__rec.cancels;
             document.getElementById('quick-exit').click();
             return { cancelled: window.__rec.cancels > before, pending: window.__rec.timers.length };")
        .await;
    assert_eq!(state["cancelled"], true, "{state}");
    assert_eq!(state["pending"], 0, "{state}");
}
