//! The public pages (from `kjr-site`, rendered in memory at start so the quick-exit address
//! is configuration), the app's files (from the static directory) and the staff app under
//! `/staff` (a single-page app: every address there that is no file gets its page). Local
//! server only: in the cloud, CloudFront serves them from S3.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kjr_site::{Kind, Lang, SiteConfig, normalise_path};
use tower::ServiceExt;
use tower_http::services::ServeDir;

/// One page, plain and brotli-compressed.
struct Rendered {
    html: Arc<str>,
    brotli: Arc<[u8]>,
}

/// The pages and the directory with the app's files.
#[derive(Clone)]
pub struct Site {
    pages: Arc<HashMap<String, Rendered>>,
    sitemap: Arc<str>,
    not_found: Arc<HashMap<Lang, Rendered>>,
    assets: ServeDir,
    static_dir: Arc<PathBuf>,
}

fn compress(html: &str) -> Arc<[u8]> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 9,
        ..Default::default()
    };
    let _ = brotli::BrotliCompress(&mut html.as_bytes(), &mut out, &params);
    out.into()
}

impl Site {
    /// Renders every page for `config`; files come from `static_dir`.
    pub fn new(config: &SiteConfig, static_dir: &Path) -> Self {
        let mut pages = HashMap::new();
        let mut not_found = HashMap::new();
        let all = kjr_site::render_all(config);
        let sitemap = kjr_site::sitemap(&all, config).into();
        for page in all {
            let rendered = Rendered {
                brotli: compress(&page.html),
                html: page.html.into(),
            };
            if page.kind == Kind::NotFound {
                not_found.insert(page.lang, rendered);
            } else {
                pages.insert(page.route, rendered);
            }
        }
        Self {
            pages: Arc::new(pages),
            sitemap,
            not_found: Arc::new(not_found),
            assets: ServeDir::new(static_dir).precompressed_br(),
            static_dir: Arc::new(static_dir.to_path_buf()),
        }
    }

    fn respond(page: &Rendered, status: StatusCode, brotli: bool) -> Response {
        if brotli {
            html_response(status, Body::from(Vec::from(&*page.brotli)), true)
        } else {
            html_response(status, Body::from(page.html.to_string()), false)
        }
    }

    /// The staff app: its files as they are, and its page for every other address under
    /// `/staff` (the app reads the address itself, as in the team's mail link
    /// `/staff/requests/{id}`).
    async fn staff(&self, request: Request, brotli: bool) -> Response {
        let path = request.uri().path().to_owned();
        if path != "/staff" && path != "/staff/" {
            match self.assets.clone().oneshot(request).await {
                Ok(response) if response.status() == StatusCode::NOT_FOUND => {}
                Ok(response) => return response.map(Body::new),
                Err(never) => match never {},
            }
        }
        let index = self.static_dir.join("staff/index.html");
        let compressed = if brotli {
            tokio::fs::read(index.with_extension("html.br")).await.ok()
        } else {
            None
        };
        match compressed {
            Some(body) => html_response(StatusCode::OK, Body::from(body), true),
            None => match tokio::fs::read(&index).await {
                Ok(body) => html_response(StatusCode::OK, Body::from(body), false),
                // Not built (`cargo xtask build-app` builds it).
                Err(_) => self.not_found(&path, brotli),
            },
        }
    }

    fn not_found(&self, path: &str, brotli: bool) -> Response {
        match self.not_found.get(&Lang::of_path(path)) {
            Some(page) => Self::respond(page, StatusCode::NOT_FOUND, brotli),
            None => StatusCode::NOT_FOUND.into_response(),
        }
    }
}

/// An HTML answer; `brotli` when `body` is brotli-compressed.
fn html_response(status: StatusCode, body: Body, brotli: bool) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if brotli {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("br"));
    }
    response
}

fn accepts_brotli(request: &Request) -> bool {
    request
        .headers()
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.split(';');
            let refused = |p: &str| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            };
            parts.next().is_some_and(|c| c.trim() == "br") && !parts.any(refused)
        })
}

/// The fallback of the local server: a page, a file of the app, or the "not found" page.
pub async fn serve(State(site): State<Site>, request: Request) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        let mut response = StatusCode::METHOD_NOT_ALLOWED.into_response();
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let path = request.uri().path().to_owned();
    let brotli = accepts_brotli(&request);
    if path == "/staff" || path.starts_with("/staff/") {
        return site.staff(request, brotli).await;
    }
    // The built `.html` files carry the exit address of the build; this server sends its
    // own pages (with its own exit address) only under their routes.
    if path == "/sitemap.xml" {
        return (
            [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
            site.sitemap.to_string(),
        )
            .into_response();
    }
    if path.ends_with(".html") || path.ends_with(".html.br") {
        return site.not_found(&path, brotli);
    }
    if kjr_site::file_for_path(&path).is_some() {
        return match site.pages.get(normalise_path(&path)) {
            Some(page) => Site::respond(page, StatusCode::OK, brotli),
            None => site.not_found(&path, brotli),
        };
    }
    match site.assets.clone().oneshot(request).await {
        Ok(response) if response.status() == StatusCode::NOT_FOUND => site.not_found(&path, brotli),
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;

    /// A static directory with a built staff app (its page and its style).
    fn built_site(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("kjr-pages-{name}-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("staff")).unwrap();
        std::fs::write(dir.join("staff/index.html"), "<!doctype html><p>staff</p>").unwrap();
        std::fs::write(dir.join("staff/staff.css"), "body{}").unwrap();
        dir
    }

    async fn get(dir: &Path, path: &str) -> (StatusCode, String, String) {
        let site = Site::new(&SiteConfig::default(), dir);
        let app = Router::new().fallback(serve).with_state(site);
        let response = app
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let body = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        (
            status,
            content_type,
            String::from_utf8_lossy(&body).into_owned(),
        )
    }

    #[tokio::test]
    async fn every_staff_address_that_is_no_file_opens_the_staff_app() {
        let dir = built_site("spa");
        for path in [
            "/staff",
            "/staff/",
            "/staff/requests/0123456789abcdef0123456789abcdef",
        ] {
            let (status, content_type, body) = get(&dir, path).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert_eq!(content_type, "text/html; charset=utf-8", "{path}");
            assert!(body.contains("<p>staff</p>"), "{path}: {body}");
        }
        let (status, content_type, body) = get(&dir, "/staff/staff.css").await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, "body{}"));
        assert!(content_type.starts_with("text/css"), "{content_type}");
        // The public side is untouched: its pages, and its 404 for unknown addresses.
        assert_eq!(get(&dir, "/").await.0, StatusCode::OK);
        assert_eq!(get(&dir, "/staffroom").await.0, StatusCode::NOT_FOUND);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn without_a_built_staff_app_its_addresses_are_not_found() {
        let dir = std::env::temp_dir().join(format!("kjr-pages-empty-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert_eq!(
            get(&dir, "/staff/requests/x").await.0,
            StatusCode::NOT_FOUND
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
