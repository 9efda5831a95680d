//! A Lambda Runtime API emulator: hands events to a real Lambda binary (built for this
//! machine) and collects what it answers, as the Lambda service does.
//!
//! Protocol: <https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html>.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::routing::{get, post};
use tokio::sync::{Notify, mpsc};

/// What the function answered for one invocation.
#[derive(Debug)]
pub enum Outcome {
    /// `POST /runtime/invocation/{id}/response`.
    Response(serde_json::Value),
    /// `POST /runtime/invocation/{id}/error` or `/runtime/init/error`.
    Error(String),
}

#[derive(Clone)]
struct Emulator {
    events: Arc<Mutex<VecDeque<(String, String)>>>,
    arrived: Arc<Notify>,
    outcomes: mpsc::UnboundedSender<(String, Outcome)>,
}

/// The running emulator.
pub struct RuntimeApi {
    /// `127.0.0.1:port`, for `AWS_LAMBDA_RUNTIME_API`.
    pub address: String,
    emulator: Emulator,
    outcomes: mpsc::UnboundedReceiver<(String, Outcome)>,
    counter: usize,
    server: tokio::task::JoinHandle<()>,
}

async fn next(State(e): State<Emulator>) -> (HeaderMap, String) {
    loop {
        let notified = e.arrived.notified();
        let popped = e.events.lock().map(|mut q| q.pop_front()).ok().flatten();
        if let Some((id, body)) = popped {
            let deadline = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default()
                .as_millis()
                + 30_000;
            let mut h = HeaderMap::new();
            let v = |s: String| HeaderValue::from_str(&s).unwrap_or(HeaderValue::from_static(""));
            h.insert("lambda-runtime-aws-request-id", v(id));
            h.insert("lambda-runtime-deadline-ms", v(deadline.to_string()));
            h.insert(
                "lambda-runtime-invoked-function-arn",
                HeaderValue::from_static("arn:aws:lambda:eu-west-1:123456789012:function:kjr-test"),
            );
            h.insert(
                "lambda-runtime-trace-id",
                HeaderValue::from_static(
                    "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0",
                ),
            );
            return (h, body);
        }
        notified.await;
    }
}

async fn response(State(e): State<Emulator>, Path(id): Path<String>, body: Bytes) -> StatusCode {
    let value = serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null);
    let _ = e.outcomes.send((id, Outcome::Response(value)));
    StatusCode::ACCEPTED
}

async fn error(State(e): State<Emulator>, Path(id): Path<String>, body: Bytes) -> StatusCode {
    let _ = e.outcomes.send((
        id,
        Outcome::Error(String::from_utf8_lossy(&body).into_owned()),
    ));
    StatusCode::ACCEPTED
}

async fn init_error(State(e): State<Emulator>, body: Bytes) -> StatusCode {
    let _ = e.outcomes.send((
        "init".into(),
        Outcome::Error(String::from_utf8_lossy(&body).into_owned()),
    ));
    StatusCode::ACCEPTED
}

impl RuntimeApi {
    /// Starts the emulator on a free port.
    pub async fn start() -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        let emulator = Emulator {
            events: Arc::default(),
            arrived: Arc::default(),
            outcomes: tx,
        };
        let app = Router::new()
            .route("/2018-06-01/runtime/invocation/next", get(next))
            .route(
                "/2018-06-01/runtime/invocation/{id}/response",
                post(response),
            )
            .route("/2018-06-01/runtime/invocation/{id}/error", post(error))
            .route("/2018-06-01/runtime/init/error", post(init_error))
            .with_state(emulator.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = listener.local_addr().expect("addr").to_string();
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            address,
            emulator,
            outcomes: rx,
            counter: 0,
            server,
        }
    }

    /// Invokes the function with `event` and waits (up to 60 s) for its answer.
    pub async fn invoke(&mut self, event: &serde_json::Value) -> Outcome {
        self.counter += 1;
        let id = format!("invocation-{}", self.counter);
        if let Ok(mut q) = self.emulator.events.lock() {
            q.push_back((id.clone(), event.to_string()));
        }
        self.emulator.arrived.notify_waiters();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        loop {
            match tokio::time::timeout_at(deadline, self.outcomes.recv()).await {
                Ok(Some((got, outcome))) if got == id || got == "init" => return outcome,
                Ok(Some(_)) => continue,
                Ok(None) | Err(_) => panic!("the function did not answer {id} within 60 s"),
            }
        }
    }
}

impl Drop for RuntimeApi {
    fn drop(&mut self) {
        self.server.abort();
    }
}
