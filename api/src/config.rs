//! Configuration: one typed struct, read once from environment variables (defaults suit
//! `cargo xtask dev`), plus the routing rules file.

use std::net::SocketAddr;
use std::path::PathBuf;

use secrecy::SecretString;

use crate::middleware::RateLimits;
use crate::notify::smtp_security_from;
use crate::routing::{RoutingRules, RulesError};

/// Which store to use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreConfig {
    /// SQLite file (`KJR_SQLITE_PATH`, default `./data/kjr.sqlite3`).
    Sqlite { path: PathBuf },
    /// DynamoDB table (`KJR_TABLE_NAME`); the endpoint follows the AWS SDK's environment.
    Dynamo { table: String },
}

/// Which notifier to use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotifyConfig {
    /// Only log that a notification would go out (local development).
    Log,
    /// SMTP (`KJR_SMTP_HOST`, `KJR_SMTP_PORT`, `KJR_SMTP_SECURITY` = `none`|`starttls`).
    Smtp {
        host: String,
        port: u16,
        security: crate::notify::SmtpSecurity,
        from: String,
    },
    /// Amazon SES v2 (`KJR_MAIL_FROM`, optional `KJR_SES_CONFIGURATION_SET`).
    Ses {
        from: String,
        configuration_set: Option<String>,
    },
}

/// Everything the API needs to run.
#[derive(Debug, Clone)]
pub struct Config {
    /// `KJR_LISTEN`, default `127.0.0.1:8080` (local server only).
    pub listen: SocketAddr,
    /// `KJR_STORE` = `sqlite` (default) | `dynamodb`.
    pub store: StoreConfig,
    /// `KJR_NOTIFY` = `log` (default) | `smtp` | `ses`.
    pub notify: NotifyConfig,
    /// `KJR_STAFF_BASE_URL`, default `http://127.0.0.1:8080`: links in notifications.
    pub staff_base_url: String,
    /// `KJR_ROUTING_RULES`: a TOML file; default the bundled `config/routing.toml`.
    pub routing_rules: Option<PathBuf>,
    /// `KJR_CALENDAR`: working hours, holidays and closures (TOML); default the bundled
    /// `config/calendar.toml`.
    pub calendar: Option<PathBuf>,
    /// `KJR_RETENTION_DAYS`, default 365: requests are deleted after this.
    pub retention_days: u32,
    /// `KJR_RESPONSE_HOURS`, default 48: promised time to first contact.
    pub response_hours: u32,
    /// `KJR_URGENT_RESPONSE_HOURS`, default 4: the same for urgent requests.
    pub urgent_response_hours: u32,
    /// `KJR_STATIC_DIR`, default `target/site`: the built app (local server only).
    pub static_dir: PathBuf,
    /// `KJR_EXIT_URL`, default a weather forecast: where "Snel weg" goes (local server only;
    /// for static hosting it is set when the pages are built).
    pub site: kjr_site::SiteConfig,
    /// `KJR_RATE_LIMIT_PER_CLIENT` (default 20) and `KJR_RATE_LIMIT_TOTAL` (default 3000):
    /// API requests per minute from one client and from everyone together.
    pub rate_limits: RateLimits,
    /// `KJR_ORIGIN_SECRET`: the value CloudFront sends in `X-Kjr-Origin-Secret`; with it the
    /// rate limits count per child (`CloudFront-Viewer-Address`), not per CloudFront server.
    pub origin_secret: Option<SecretString>,
    /// `KJR_SESSION_IDLE_MINUTES` (default 30) and `KJR_SESSION_MAX_HOURS` (default 12): a
    /// staff session ends after this long without activity, or this long in all.
    pub session: SessionLimits,
    /// `KJR_OIDC_*`: the identity provider staff sign in with, beside local accounts (on
    /// when `KJR_OIDC_ISSUER` and `KJR_OIDC_CLIENT_ID` are set).
    pub oidc: Option<crate::auth::oidc::OidcConfig>,
    /// `KJR_ADMIN_LISTEN`, default `127.0.0.1:9090`: the operations listener with the
    /// Prometheus metrics (local server only, never the public port); `off` turns it off.
    pub admin_listen: Option<SocketAddr>,
    /// How readiness judges the routing backlog.
    pub readiness: ReadinessLimits,
}

/// When `/api/health/ready` stops saying ready.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadinessLimits {
    /// `KJR_READY_MAX_BACKLOG_SECONDS`, default 900: not ready once the oldest unfinished
    /// routing job is older than this.
    pub max_backlog_seconds: i64,
    /// `KJR_READY_CACHE_SECONDS`, default 0: how long an answer is reused. The DynamoDB
    /// store scans the table to find the backlog, so the cloud reuses it for a while.
    pub cache_seconds: u32,
}

impl Default for ReadinessLimits {
    fn default() -> Self {
        Self {
            max_backlog_seconds: 15 * 60,
            cache_seconds: 0,
        }
    }
}

/// How long a staff session lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionLimits {
    /// Ends after this many seconds without activity.
    pub idle_seconds: i64,
    /// Ends this many seconds after sign-in at the latest.
    pub max_seconds: i64,
}

impl Default for SessionLimits {
    fn default() -> Self {
        Self {
            idle_seconds: 30 * 60,
            max_seconds: 12 * 3600,
        }
    }
}

/// A configuration value that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A variable has a value that cannot be used.
    #[error("{name}: {problem}")]
    Invalid { name: &'static str, problem: String },
    /// A required variable is missing.
    #[error("{0} must be set")]
    Missing(&'static str),
    /// The routing rules cannot be read or are wrong.
    #[error(transparent)]
    Rules(#[from] RulesError),
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Reads configuration through `get` (the environment, or a map in tests).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let or = |name: &str, default: &str| get(name).unwrap_or_else(|| default.to_owned());
        let required = |name: &'static str| get(name).ok_or(ConfigError::Missing(name));
        fn parse<T: std::str::FromStr>(name: &'static str, raw: String) -> Result<T, ConfigError>
        where
            T::Err: std::fmt::Display,
        {
            raw.parse().map_err(|e: T::Err| ConfigError::Invalid {
                name,
                problem: e.to_string(),
            })
        }
        let defaults = RateLimits::default();
        let positive = |name: &'static str, raw: Option<String>, default: u32| match raw {
            None => Ok(default),
            Some(raw) => match parse::<u32>(name, raw)? {
                0 => Err(ConfigError::Invalid {
                    name,
                    problem: "must be at least 1".into(),
                }),
                n => Ok(n),
            },
        };
        let store = match or("KJR_STORE", "sqlite").as_str() {
            "sqlite" => StoreConfig::Sqlite {
                path: or("KJR_SQLITE_PATH", "data/kjr.sqlite3").into(),
            },
            "dynamodb" => StoreConfig::Dynamo {
                table: required("KJR_TABLE_NAME")?,
            },
            other => {
                return Err(ConfigError::Invalid {
                    name: "KJR_STORE",
                    problem: format!("{other:?} is not sqlite or dynamodb"),
                });
            }
        };
        let notify = match or("KJR_NOTIFY", "log").as_str() {
            "log" => NotifyConfig::Log,
            "smtp" => NotifyConfig::Smtp {
                host: or("KJR_SMTP_HOST", "127.0.0.1"),
                port: parse("KJR_SMTP_PORT", or("KJR_SMTP_PORT", "25"))?,
                security: smtp_security_from(&or("KJR_SMTP_SECURITY", "starttls")).ok_or(
                    ConfigError::Invalid {
                        name: "KJR_SMTP_SECURITY",
                        problem: "use none or starttls".into(),
                    },
                )?,
                from: required("KJR_MAIL_FROM")?,
            },
            "ses" => NotifyConfig::Ses {
                from: required("KJR_MAIL_FROM")?,
                configuration_set: get("KJR_SES_CONFIGURATION_SET").filter(|s| !s.is_empty()),
            },
            other => {
                return Err(ConfigError::Invalid {
                    name: "KJR_NOTIFY",
                    problem: format!("{other:?} is not log, smtp or ses"),
                });
            }
        };
        let oidc = crate::auth::oidc::OidcConfig::from_lookup(&get)?;
        let admin_listen = match or("KJR_ADMIN_LISTEN", "127.0.0.1:9090").as_str() {
            "off" => None,
            raw => Some(parse("KJR_ADMIN_LISTEN", raw.to_owned())?),
        };
        let readiness = ReadinessLimits {
            max_backlog_seconds: i64::from(positive(
                "KJR_READY_MAX_BACKLOG_SECONDS",
                get("KJR_READY_MAX_BACKLOG_SECONDS"),
                900,
            )?),
            cache_seconds: match get("KJR_READY_CACHE_SECONDS") {
                None => 0,
                Some(raw) => parse("KJR_READY_CACHE_SECONDS", raw)?,
            },
        };
        Ok(Self {
            oidc,
            admin_listen,
            readiness,
            listen: parse("KJR_LISTEN", or("KJR_LISTEN", "127.0.0.1:8080"))?,
            store,
            notify,
            staff_base_url: or("KJR_STAFF_BASE_URL", "http://127.0.0.1:8080"),
            routing_rules: get("KJR_ROUTING_RULES").map(PathBuf::from),
            calendar: get("KJR_CALENDAR").map(PathBuf::from),
            retention_days: parse("KJR_RETENTION_DAYS", or("KJR_RETENTION_DAYS", "365"))?,
            response_hours: parse("KJR_RESPONSE_HOURS", or("KJR_RESPONSE_HOURS", "48"))?,
            urgent_response_hours: parse(
                "KJR_URGENT_RESPONSE_HOURS",
                or("KJR_URGENT_RESPONSE_HOURS", "4"),
            )?,
            static_dir: or("KJR_STATIC_DIR", "target/site").into(),
            site: kjr_site::SiteConfig::new(or("KJR_EXIT_URL", kjr_site::DEFAULT_EXIT_URL))
                .map_err(|e| ConfigError::Invalid {
                    name: "KJR_EXIT_URL",
                    problem: e.to_string(),
                })?
                .with_base_url(or("KJR_PUBLIC_URL", kjr_site::DEFAULT_BASE_URL))
                .map_err(|e| ConfigError::Invalid {
                    name: "KJR_PUBLIC_URL",
                    problem: e.to_string(),
                })?,
            origin_secret: get("KJR_ORIGIN_SECRET")
                .filter(|s| !s.is_empty())
                .map(SecretString::from),
            session: SessionLimits {
                idle_seconds: i64::from(positive(
                    "KJR_SESSION_IDLE_MINUTES",
                    get("KJR_SESSION_IDLE_MINUTES"),
                    30,
                )?) * 60,
                max_seconds: i64::from(positive(
                    "KJR_SESSION_MAX_HOURS",
                    get("KJR_SESSION_MAX_HOURS"),
                    12,
                )?) * 3600,
            },
            rate_limits: RateLimits {
                per_client_per_minute: positive(
                    "KJR_RATE_LIMIT_PER_CLIENT",
                    get("KJR_RATE_LIMIT_PER_CLIENT"),
                    defaults.per_client_per_minute,
                )?,
                total_per_minute: positive(
                    "KJR_RATE_LIMIT_TOTAL",
                    get("KJR_RATE_LIMIT_TOTAL"),
                    defaults.total_per_minute,
                )?,
            },
        })
    }

    /// Loads the calendar this configuration names.
    pub fn load_calendar(&self) -> Result<crate::calendar::Calendar, ConfigError> {
        let text = match &self.calendar {
            None => crate::calendar::DEFAULT_CALENDAR.to_owned(),
            Some(path) => std::fs::read_to_string(path).map_err(|e| ConfigError::Invalid {
                name: "KJR_CALENDAR",
                problem: format!("{}: {e}", path.display()),
            })?,
        };
        crate::calendar::Calendar::parse(&text).map_err(|e| ConfigError::Invalid {
            name: "KJR_CALENDAR",
            problem: e.to_string(),
        })
    }

    /// Loads the routing rules this configuration names.
    pub fn load_rules(&self) -> Result<RoutingRules, ConfigError> {
        match &self.routing_rules {
            None => Ok(RoutingRules::parse(crate::routing::DEFAULT_RULES)?),
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Invalid {
                    name: "KJR_ROUTING_RULES",
                    problem: format!("{}: {e}", path.display()),
                })?;
                Ok(RoutingRules::parse(&text)?)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn defaults_suit_local_development() {
        let c = Config::from_lookup(|_| None).unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
        assert!(matches!(c.store, StoreConfig::Sqlite { .. }));
        assert_eq!(c.notify, NotifyConfig::Log);
        assert!(c.load_rules().is_ok());
        assert_eq!(c.admin_listen.unwrap().to_string(), "127.0.0.1:9090");
        assert_eq!(c.readiness, ReadinessLimits::default());
    }

    #[test]
    fn the_admin_listener_can_be_turned_off() {
        let env = HashMap::from([("KJR_ADMIN_LISTEN", "off")]);
        let c = Config::from_lookup(|k| env.get(k).map(|v| v.to_string())).unwrap();
        assert_eq!(c.admin_listen, None);
    }

    #[test]
    fn dynamodb_without_a_table_name_is_refused() {
        let env = HashMap::from([("KJR_STORE", "dynamodb")]);
        let err = Config::from_lookup(|k| env.get(k).map(|v| v.to_string())).unwrap_err();
        assert!(err.to_string().contains("KJR_TABLE_NAME"));
    }
}
