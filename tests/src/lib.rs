//! Test harnesses: each starts a real server on 127.0.0.1 with a free port, waits until it
//! answers, and stops it when dropped (also when a test fails).
//!
//! Tools come from the environment that `cargo xtask test` sets up:
//! `KJR_VENV` (moto, aiosmtpd), `KJR_CHROMEDRIVER`, `KJR_CHROMIUM`, `KJR_SITE_DIR` (the built
//! app), `KJR_SERVER_BIN` (the local server binary). A missing tool fails the test with a
//! message that says how to get it; nothing is skipped.

pub mod browser;
pub mod fixtures;
pub mod lambda_runtime;
pub mod oidc;
pub mod proxy;
pub mod servers;
pub mod staff;
