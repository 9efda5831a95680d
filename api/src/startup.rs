//! Building the application: state, the one `Router` (local server and Lambda), and the local
//! server with its outbox worker.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tower_http::trace::TraceLayer;

use crate::config::{Config, ConfigError, NotifyConfig, StoreConfig};
use crate::metrics::Metrics;
use crate::middleware::{RateLimiter, security_headers};
use crate::notify::{LogNotifier, Notifier, SesNotifier, SmtpNotifier};
use crate::routes;
use crate::routes::health::ReadinessCache;
use crate::routes::pages::Site;
use crate::routing::{RoutingJob, run_outbox};
use crate::store::{DynamoStore, SqliteStore, Store, StoreError};

/// Settings the handlers need.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Days until a request is deleted.
    pub retention_days: u32,
    /// Promised hours to first contact.
    pub response_hours: u32,
    /// The same, for urgent requests.
    pub urgent_response_hours: u32,
    /// How long staff sessions last.
    pub session: crate::config::SessionLimits,
    /// The origin of the portal's own pages (`scheme://host[:port]` of the staff base URL):
    /// staff changes from any other origin are refused.
    pub staff_origin: String,
    /// When readiness stops saying ready.
    pub readiness: crate::config::ReadinessLimits,
}

impl From<&Config> for Settings {
    fn from(c: &Config) -> Self {
        Self {
            retention_days: c.retention_days,
            response_hours: c.response_hours,
            urgent_response_hours: c.urgent_response_hours,
            session: c.session,
            staff_origin: origin_of(&c.staff_base_url),
            readiness: c.readiness,
        }
    }
}

/// `scheme://host[:port]` of a URL (what browsers send as `Origin`).
fn origin_of(url: &str) -> String {
    let trimmed = url.trim_end_matches('/');
    match trimmed.find("://") {
        Some(i) => match trimmed[i + 3..].find('/') {
            Some(j) => trimmed[..i + 3 + j].to_owned(),
            None => trimmed.to_owned(),
        },
        None => trimmed.to_owned(),
    }
}

/// Shared state of the handlers.
#[derive(Clone)]
pub struct AppState {
    /// Where requests go.
    pub store: Arc<dyn Store>,
    /// Handler settings.
    pub settings: Arc<Settings>,
    /// Wakes the local outbox worker after a commit (`None` in Lambda: the stream routes).
    pub wake_outbox: Option<Arc<Notify>>,
    /// The API's rate limits.
    pub limiter: Arc<RateLimiter>,
    /// The teams (from the routing rules).
    pub rules: Arc<crate::routing::RoutingRules>,
    /// Working hours, for deadlines.
    pub calendar: Arc<crate::calendar::Calendar>,
    /// The identity provider staff may sign in with, if one is configured.
    pub oidc: Option<Arc<crate::auth::oidc::Oidc>>,
    /// The operational counters (shared with the routing job locally).
    pub metrics: Arc<Metrics>,
    /// The last readiness answer.
    pub readiness: Arc<ReadinessCache>,
}

/// Failures while starting.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// The operations listener could not bind.
    #[error("could not listen on {addr} (KJR_ADMIN_LISTEN; `off` turns it off): {source}")]
    AdminBind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    /// Bad configuration.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The store could not be opened.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The notifier could not be built.
    #[error(transparent)]
    Notify(#[from] crate::notify::NotifyError),
    /// The listener could not bind.
    #[error("could not listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

impl AppState {
    /// The state both binaries serve with: the configured store and settings, and the rate
    /// limits. `wake_outbox` wakes the local outbox worker after a commit (`None` in Lambda,
    /// where the table's stream triggers routing); `metrics` are the process's counters.
    pub async fn from_config(
        config: &Config,
        wake_outbox: Option<Arc<Notify>>,
        metrics: Arc<Metrics>,
    ) -> Result<Self, StartupError> {
        Ok(Self {
            metrics,
            readiness: Arc::default(),
            store: build_store(&config.store).await?,
            settings: Arc::new(Settings::from(config)),
            wake_outbox,
            // Per process; in Lambda per instance, with API Gateway's throttling in front.
            limiter: Arc::new(RateLimiter::behind_cloudfront(
                config.rate_limits,
                config.origin_secret.clone(),
            )),
            rules: Arc::new(config.load_rules()?),
            calendar: Arc::new(config.load_calendar()?),
            oidc: config
                .oidc
                .clone()
                .map(|c| crate::auth::oidc::Oidc::new(c, &config.staff_base_url).map(Arc::new))
                .transpose()?,
        })
    }
}

/// The one `Router` of the local server and the Lambda: the API under `/api`, the public
/// pages and files as fallback where the server has them (locally; in the cloud CloudFront
/// serves them), the security headers on every response, and request tracing.
pub fn app(state: AppState, site: Option<Site>) -> Router {
    let mut app = Router::new().nest("/api", routes::router(state));
    if let Some(site) = site {
        app = app.fallback_service(axum::routing::any(routes::pages::serve).with_state(site));
    }
    app.layer(axum::middleware::map_response(security_headers))
        .layer(TraceLayer::new_for_http())
}

/// Opens the configured store.
pub async fn build_store(config: &StoreConfig) -> Result<Arc<dyn Store>, StartupError> {
    Ok(match config {
        StoreConfig::Sqlite { path } => Arc::new(SqliteStore::open(path)?),
        StoreConfig::Dynamo { table } => Arc::new(DynamoStore::from_env(table.clone()).await),
    })
}

/// Builds the configured notifier.
pub async fn build_notifier(config: &NotifyConfig) -> Result<Arc<dyn Notifier>, StartupError> {
    Ok(match config {
        NotifyConfig::Log => Arc::new(LogNotifier),
        NotifyConfig::Smtp {
            host,
            port,
            security,
            from,
        } => Arc::new(SmtpNotifier::new(host, *port, *security, from)?),
        NotifyConfig::Ses {
            from,
            configuration_set,
        } => {
            let aws = aws_config::load_from_env().await;
            Arc::new(SesNotifier::new(
                aws_sdk_sesv2::Client::new(&aws),
                from.clone(),
                configuration_set.clone(),
            ))
        }
    })
}

/// Builds the routing job from configuration.
pub async fn build_routing_job(
    config: &Config,
    store: Arc<dyn Store>,
    metrics: Arc<Metrics>,
) -> Result<RoutingJob, StartupError> {
    Ok(RoutingJob {
        metrics,
        store,
        rules: Arc::new(config.load_rules()?),
        notifier: build_notifier(&config.notify).await?,
        staff_base_url: config.staff_base_url.clone(),
        calendar: Arc::new(config.load_calendar()?),
    })
}

/// The local server: API, the built app, the outbox worker, and the operations listener.
pub struct Application {
    listener: TcpListener,
    admin: Option<TcpListener>,
    app: Router,
    job: RoutingJob,
    wake: Arc<Notify>,
}

/// The operations listener's routes: `GET /metrics` in Prometheus text format, with the
/// backlog measured at the moment it is read.
fn admin_app(store: Arc<dyn Store>, metrics: Arc<Metrics>) -> Router {
    async fn metrics_text(
        axum::extract::State((store, metrics)): axum::extract::State<(
            Arc<dyn Store>,
            Arc<Metrics>,
        )>,
    ) -> impl axum::response::IntoResponse {
        match store.outbox_status().await {
            Ok(outbox) => metrics.backlog(&outbox, crate::ids::Timestamp::now()),
            Err(e) => tracing::error!(error = %e, "metrics: the store did not answer"),
        }
        (
            [(
                axum::http::header::CONTENT_TYPE,
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
            )],
            metrics.render(),
        )
    }
    Router::new()
        .route("/metrics", axum::routing::get(metrics_text))
        .with_state((store, metrics))
}

impl Application {
    /// Opens the store, binds the listener and wires everything.
    pub async fn build(config: Config) -> Result<Self, StartupError> {
        let wake = Arc::new(Notify::new());
        let metrics = Metrics::local();
        let state =
            AppState::from_config(&config, Some(Arc::clone(&wake)), Arc::clone(&metrics)).await?;
        let job = build_routing_job(&config, Arc::clone(&state.store), metrics).await?;
        let site = Site::new(&config.site, &config.static_dir);
        let app = app(state, Some(site));
        let listener =
            TcpListener::bind(config.listen)
                .await
                .map_err(|source| StartupError::Bind {
                    addr: config.listen,
                    source,
                })?;
        let admin = match config.admin_listen {
            None => None,
            Some(addr) => Some(
                TcpListener::bind(addr)
                    .await
                    .map_err(|source| StartupError::AdminBind { addr, source })?,
            ),
        };
        Ok(Self {
            listener,
            admin,
            app,
            job,
            wake,
        })
    }

    /// The store it uses (for tests and tools).
    pub fn store(&self) -> Arc<dyn Store> {
        Arc::clone(&self.job.store)
    }

    /// The bound address (useful with port 0).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// The operations listener's address, if it is on.
    pub fn admin_addr(&self) -> Option<SocketAddr> {
        self.admin.as_ref().and_then(|l| l.local_addr().ok())
    }

    /// Serves until the process ends. Pending routing jobs from before a crash run first.
    pub async fn run(self) -> std::io::Result<()> {
        if let Some(admin) = self.admin {
            let ops = admin_app(Arc::clone(&self.job.store), Arc::clone(&self.job.metrics));
            tracing::info!(
                "operations listener (metrics) on http://{}",
                admin.local_addr()?
            );
            tokio::spawn(async move {
                if let Err(e) = axum::serve(admin, ops).await {
                    tracing::error!(error = %e, "operations listener stopped");
                }
            });
        }
        tokio::spawn(run_outbox(self.job, Arc::clone(&self.wake)));
        let app = self.app.into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(self.listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
    }
}
