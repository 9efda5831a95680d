//! The public pages (from `kjr-site`, rendered in memory at start so the quick-exit address
//! is configuration) and the app's files (from the static directory). Local server only: in
//! the cloud, CloudFront serves both from S3.

use std::collections::HashMap;
use std::path::Path;
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
    pages: Arc<HashMap<&'static str, Rendered>>,
    not_found: Arc<HashMap<Lang, Rendered>>,
    assets: ServeDir,
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
        for page in kjr_site::render_all(config) {
            let rendered = Rendered {
                brotli: compress(&page.html),
                html: page.html.into(),
            };
            if page.def.kind == Kind::NotFound {
                not_found.insert(page.lang, rendered);
            } else {
                pages.insert(page.def.route(page.lang), rendered);
            }
        }
        Self {
            pages: Arc::new(pages),
            not_found: Arc::new(not_found),
            assets: ServeDir::new(static_dir).precompressed_br(),
        }
    }

    fn respond(page: &Rendered, status: StatusCode, brotli: bool) -> Response {
        let mut response = if brotli {
            (status, Body::from(Vec::from(&*page.brotli))).into_response()
        } else {
            (status, Body::from(page.html.to_string())).into_response()
        };
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

    fn not_found(&self, path: &str, brotli: bool) -> Response {
        match self.not_found.get(&Lang::of_path(path)) {
            Some(page) => Self::respond(page, StatusCode::NOT_FOUND, brotli),
            None => StatusCode::NOT_FOUND.into_response(),
        }
    }
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
    // The built `.html` files carry the exit address of the build; this server sends its
    // own pages (with its own exit address) only under their routes.
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
