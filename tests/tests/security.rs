//! Security headers on every route, the pages the local server sends, the CloudFront side of
//! both, the API's rate limits and the honeypot: over real HTTP against the in-process app.

use kjr_api::middleware::{CONTENT_SECURITY_POLICY, SECURITY_HEADERS};
use kjr_domain::{ApiProblem, Field};
use kjr_site::Kind;
use kjr_tests::fixtures::{api_error, spawn_app_with, urgent_child_body};
use reqwest::{Method, Response, StatusCode};

const EXIT: &str = "https://weer.example/vandaag";

fn template() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../infra/template.yaml");
    std::fs::read_to_string(path).expect("infra/template.yaml")
}

fn site_built() -> bool {
    std::env::var_os("KJR_SITE_DIR").is_some()
}

fn assert_security_headers(what: &str, r: &Response) {
    for (name, value) in SECURITY_HEADERS {
        assert_eq!(
            r.headers().get(*name).and_then(|v| v.to_str().ok()),
            Some(*value),
            "{what}: header {name}"
        );
    }
    let kind = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if kind.starts_with("text/html") || kind.starts_with("application/json") {
        assert_eq!(
            r.headers()
                .get("cache-control")
                .and_then(|v| v.to_str().ok()),
            Some("no-store"),
            "{what}: pages and API answers are not kept in the browser cache"
        );
    }
}

/// Every public page, as the server renders them.
fn pages() -> Vec<kjr_site::Page> {
    kjr_site::render_all(&kjr_site::SiteConfig::default())
}

#[tokio::test]
async fn every_route_sends_the_security_headers() {
    assert!(
        site_built(),
        "KJR_SITE_DIR is not set: run `cargo xtask test`"
    );
    let app = spawn_app_with(&[]).await;
    let mut gets: Vec<(String, StatusCode)> = pages()
        .iter()
        .filter(|p| p.kind != Kind::NotFound)
        .map(|p| (p.route().to_owned(), StatusCode::OK))
        .collect();
    for (path, status) in [
        ("/style.css", StatusCode::OK),
        ("/sitemap.xml", StatusCode::OK),
        ("/site.js", StatusCode::OK),
        ("/search.js", StatusCode::OK),
        ("/favicon.svg", StatusCode::OK),
        ("/init.js", StatusCode::OK),
        ("/pkg/kjr.js", StatusCode::OK),
        ("/pkg/kjr_bg.wasm", StatusCode::OK),
        ("/bestaat-niet", StatusCode::NOT_FOUND),
        ("/en/does-not-exist", StatusCode::NOT_FOUND),
        ("/bestaat-niet.css", StatusCode::NOT_FOUND),
        // Built files carry the build's exit address: only the routes are served.
        ("/index.html", StatusCode::NOT_FOUND),
        ("/en/ask.html", StatusCode::NOT_FOUND),
        ("/api/health", StatusCode::OK),
        ("/api/openapi.json", StatusCode::OK),
        ("/api/bestaat-niet", StatusCode::NOT_FOUND),
    ] {
        gets.push((path.to_owned(), status));
    }
    for (path, status) in &gets {
        let r = app.get(path).await;
        assert_eq!(r.status(), *status, "GET {path}");
        assert_security_headers(&format!("GET {path}"), &r);
    }
    for (body, status) in [
        (urgent_child_body().to_string(), StatusCode::CREATED),
        ("{}".to_owned(), StatusCode::UNPROCESSABLE_ENTITY),
        ("x".repeat(100 * 1024), StatusCode::PAYLOAD_TOO_LARGE),
    ] {
        let r = app.send(Method::POST, "/api/requests", Some(body)).await;
        assert_eq!(r.status(), status);
        assert_security_headers(&format!("POST /api/requests ({status})"), &r);
    }
}

#[tokio::test]
async fn pages_are_sent_in_their_language_with_the_configured_quick_exit() {
    let app = spawn_app_with(&[("KJR_EXIT_URL", EXIT)]).await;
    for page in pages().iter().filter(|p| p.kind != Kind::NotFound) {
        {
            let (route, lang) = (page.route(), page.lang);
            // With and without a trailing slash.
            for path in [
                route.to_owned(),
                format!("{}/", route.trim_end_matches('/')),
            ] {
                let r = app.get(&path).await;
                assert_eq!(r.status(), StatusCode::OK, "{path}");
                let html = r.text().await.unwrap();
                assert!(
                    html.contains(&format!(
                        "<html lang=\"{}\" dir=\"{}\">",
                        lang.tag(),
                        lang.dir().as_str()
                    )),
                    "{path}"
                );
                // A plain link: without JavaScript the quick exit still works.
                assert!(
                    html.contains(&format!(
                        "<a id=\"quick-exit\" class=\"quick-exit\" href=\"{EXIT}\""
                    )),
                    "{path}: quick exit to the configured site"
                );
            }
        }
    }
    for (path, lang) in [("/bestaat-niet", "nl"), ("/en/nothing-here", "en")] {
        let r = app.get(path).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        let html = r.text().await.unwrap();
        assert!(
            html.contains(&format!("<html lang=\"{lang}\" dir=\"ltr\">")),
            "{path}"
        );
        assert!(
            html.contains(EXIT),
            "{path}: the 404 page has the quick exit too"
        );
    }
    let r = app.send(Method::POST, "/vraag", None).await;
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    // Brotli only for browsers that accept it.
    let r = app
        .request(Method::GET, "/12-plus")
        .header("accept-encoding", "br;q=0.0, gzip")
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("content-encoding").is_none());
    let r = app
        .request(Method::GET, "/12-plus")
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers().get("content-encoding").map(|v| v.as_bytes()),
        Some(&b"br"[..])
    );
}

#[tokio::test]
async fn an_unusable_exit_address_stops_the_server_from_starting() {
    let config = kjr_api::config::Config::from_lookup(|k| {
        (k == "KJR_EXIT_URL").then(|| "javascript:alert(1)".to_owned())
    });
    let err = config.expect_err("refused").to_string();
    assert!(err.contains("KJR_EXIT_URL"), "{err}");
}

/// The value after `key:` on the template line that has it, unquoted.
fn template_value(template: &str, key: &str) -> String {
    let line = template
        .lines()
        .find(|l| l.trim_start().starts_with(key))
        .unwrap_or_else(|| panic!("{key} not in the template"));
    line.trim_start()[key.len()..]
        .trim()
        .trim_matches('"')
        .to_owned()
}

#[test]
fn cloudfront_sends_the_same_security_headers() {
    let t = template();
    assert_eq!(
        template_value(&t, "ContentSecurityPolicy: \""),
        CONTENT_SECURITY_POLICY.trim_matches('"')
    );
    let header = |name: &str| {
        SECURITY_HEADERS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
            .unwrap()
    };
    let lines: Vec<&str> = t.lines().collect();
    let value_after = |header_name: &str| {
        let i = lines
            .iter()
            .position(|l| l.trim() == format!("- Header: {header_name}"))
            .unwrap_or_else(|| panic!("{header_name} not in the template"));
        template_value(lines[i + 1], "Value:")
    };
    assert_eq!(
        value_after("Permissions-Policy"),
        header("permissions-policy")
    );
    assert_eq!(
        value_after("Cross-Origin-Opener-Policy"),
        header("cross-origin-opener-policy")
    );
    assert_eq!(
        template_value(&t, "ReferrerPolicy: "),
        header("referrer-policy")
    );
    assert_eq!(
        template_value(&t, "FrameOption: "),
        header("x-frame-options")
    );
    assert!(header("strict-transport-security").contains(&format!(
        "max-age={}",
        template_value(&t, "AccessControlMaxAgeSec:")
    )));
    assert!(t.contains("ContentTypeOptions:"));
}

#[test]
fn the_cloudfront_function_maps_paths_to_the_same_files_as_the_local_server() {
    let t = template();
    let start = t.find("FunctionCode: |").expect("page routes function");
    // The block scalar: every line indented at least as deep as its first line.
    let mut lines = t[start..].lines().skip(1).peekable();
    let first = lines.peek().copied().unwrap_or("");
    let indent = &first[..first.len() - first.trim_start().len()];
    let code: String = lines
        .take_while(|l| l.starts_with(indent) || l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(code.contains("function handler"), "{code}");
    let mut paths: Vec<String> = pages().iter().map(|p| p.route().to_owned()).collect();
    paths.extend(
        [
            "/12-plus/",
            "/en/ask/",
            "//",
            "/style.css",
            "/pkg/kjr_bg.wasm",
            "/api/health",
            "/staff",
            "/staff/",
            "/staff/requests/0123456789abcdef0123456789abcdef",
            "/staff/pkg/kjr_staff_bg.wasm",
            "/staff/staff.css",
        ]
        .map(str::to_owned),
    );
    let script = format!(
        "{code}\nfor (const uri of {paths}) console.log(handler({{request: {{uri}}}}).uri);",
        paths = serde_json::to_string(&paths).unwrap()
    );
    let out = std::process::Command::new("node")
        .args(["-e", &script])
        .output()
        .expect("node (installed with the test tools) runs the CloudFront Function");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let got: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    for (path, uri) in paths.iter().zip(&got) {
        let staff_page = (path == "/staff" || path.starts_with("/staff/"))
            && !path.rsplit('/').next().unwrap_or_default().contains('.');
        let expected = if staff_page {
            "/staff/index.html".to_owned()
        } else {
            kjr_site::file_for_path(path)
                .map(|f| format!("/{f}"))
                .unwrap_or_else(|| path.clone())
        };
        assert_eq!(uri, &expected, "{path}");
    }
    assert_eq!(got.len(), paths.len());
}

#[tokio::test]
async fn one_client_over_its_limit_gets_a_clear_answer_and_nothing_is_stored() {
    let app = spawn_app_with(&[("KJR_RATE_LIMIT_PER_CLIENT", "3")]).await;
    for _ in 0..3 {
        assert_eq!(
            app.post_request(&urgent_child_body()).await.status(),
            StatusCode::CREATED
        );
    }
    let r = app.post_request(&urgent_child_body()).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = r
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After in seconds");
    assert!((1..=20).contains(&wait), "{wait}");
    let body = api_error(r).await;
    assert!(
        matches!(body.problem, ApiProblem::RateLimited { retry_after_seconds } if retry_after_seconds == wait),
        "{body:?}"
    );
    assert!(body.message.contains("Wacht"), "{}", body.message);
    assert_eq!(app.store.count().await.unwrap(), 3);
}

#[tokio::test]
async fn everyone_together_is_limited_too() {
    let app = spawn_app_with(&[
        ("KJR_RATE_LIMIT_PER_CLIENT", "100"),
        ("KJR_RATE_LIMIT_TOTAL", "2"),
    ])
    .await;
    assert_eq!(
        app.post_request_from([127, 0, 0, 2], &urgent_child_body())
            .await
            .status(),
        StatusCode::CREATED
    );
    assert_eq!(
        app.post_request_from([127, 0, 0, 3], &urgent_child_body())
            .await
            .status(),
        StatusCode::CREATED
    );
    let r = app
        .post_request_from([127, 0, 0, 4], &urgent_child_body())
        .await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let body = api_error(r).await;
    assert!(matches!(body.problem, ApiProblem::Busy { .. }), "{body:?}");
    assert!(body.message.contains("112"), "{}", body.message);
    assert_eq!(app.store.count().await.unwrap(), 2);
}

#[tokio::test]
async fn a_filled_honeypot_is_refused_and_nothing_is_stored() {
    let app = spawn_app_with(&[]).await;
    let mut body = urgent_child_body();
    body["website"] = "https://cheap-pills.example".into();
    let r = app.post_request(&body).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = api_error(r).await;
    assert_eq!(body.fields.len(), 1);
    assert_eq!(body.fields[0].error.field, Field::Website);
    assert_eq!(app.store.count().await.unwrap(), 0);

    // Left empty, as people leave it, it is no problem.
    let mut body = urgent_child_body();
    body["website"] = "".into();
    assert_eq!(app.post_request(&body).await.status(), StatusCode::CREATED);
}
