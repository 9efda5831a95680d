//! `cargo xtask bench`: first-load size of the public app, and throughput and latency of
//! `POST /api/requests` on the local server (release build, SQLite) under a bounded load.

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::app::{self, EVERY_PAGE, FORM_PAGE};
use crate::{cargo, run, target_dir, tools};

/// Budgets from the issues.
const FIRST_LOAD_BUDGET: usize = 150 * 1024;
const MIN_RPS: f64 = 500.0;
const MAX_P99_MS: f64 = 20.0;

/// Runs the benchmarks (`which`: `size`, `api`, or all) and checks the budgets.
pub fn run_all(which: Option<&str>) -> Result<(), String> {
    let mut ok = true;
    if which.is_none_or(|w| w == "size") {
        let wasm = tools::ensure_wasm_tools()?;
        let site = app::build(&wasm)?;
        ok &= first_load(&site)?;
    }
    if which.is_none_or(|w| w == "api") {
        ok &= api_load()?;
    }
    if ok {
        Ok(())
    } else {
        Err("a budget was not met (see above)".into())
    }
}

fn first_load(site: &std::path::Path) -> Result<bool, String> {
    println!("\n## First load per public page (brotli, quality 11; budget 150 KB)\n");
    let size = |file: &str| -> Result<(usize, usize), String> {
        let data = std::fs::read(site.join(file)).map_err(|e| format!("{file}: {e}"))?;
        Ok((data.len(), app::brotli(&data).len()))
    };
    println!("| file | raw bytes | brotli bytes |\n|---|---:|---:|");
    let mut shared = 0;
    let mut form = 0;
    for file in EVERY_PAGE.iter().chain(FORM_PAGE) {
        let (raw, br) = size(file)?;
        if EVERY_PAGE.contains(file) {
            shared += br;
        } else {
            form += br;
        }
        println!("| {file} | {raw} | {br} |");
    }
    println!(
        "\n| page | its HTML (brotli) | first load total (brotli) | budget |\n|---|---:|---:|---|"
    );
    let mut ok = true;
    for (page, file) in app::write_pages(site)? {
        if page.def.kind == kjr_site::Kind::NotFound {
            continue;
        }
        let (_, html) = size(&file)?;
        let app = if page.def.kind == kjr_site::Kind::Form {
            form
        } else {
            0
        };
        let total = html + shared + app;
        let met = total <= FIRST_LOAD_BUDGET;
        ok &= met;
        println!(
            "| {} | {html} | {total} ({:.1} KB) | {} |",
            page.route(),
            total as f64 / 1024.0,
            if met { "met" } else { "NOT MET" }
        );
    }
    Ok(ok)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn api_load() -> Result<bool, String> {
    run(cargo().args(["build", "--release", "-p", "kjr-api", "--bin", "kjr-server"]))?;
    let dir = std::env::temp_dir().join(format!("kjr-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let mut server = Command::new(target_dir().join("release/kjr-server"))
        .env("KJR_LISTEN", format!("127.0.0.1:{port}"))
        .env("KJR_SQLITE_PATH", dir.join("bench.sqlite3"))
        .env("KJR_STATIC_DIR", &dir)
        // The load comes from one client far faster than a person: measure the server, not
        // the rate limits.
        .env("KJR_RATE_LIMIT_PER_CLIENT", "100000000")
        .env("KJR_RATE_LIMIT_TOTAL", "100000000")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("start kjr-server: {e}"))?;
    let result = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?
        .block_on(generate_load(port));
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);
    let (rps, p50, p99, max, errors, n) = result?;
    let ok = rps >= MIN_RPS && p99 <= MAX_P99_MS && errors == 0;
    println!("\n## POST /api/requests, local server (release), SQLite WAL + synchronous=FULL\n");
    println!("| requests | concurrency | throughput | p50 | p99 | max | errors |");
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    println!(
        "| {n} | {CONCURRENCY} | {rps:.0} req/s | {p50:.2} ms | {p99:.2} ms | {max:.2} ms | {errors} |"
    );
    println!(
        "budget ≥ {MIN_RPS} req/s with p99 ≤ {MAX_P99_MS} ms: {}",
        if ok { "met" } else { "NOT MET" }
    );
    Ok(ok)
}

const CONCURRENCY: usize = 8;
const REQUESTS: usize = 10_000;

type LoadResult = (f64, f64, f64, f64, usize, usize);

async fn generate_load(port: u16) -> Result<LoadResult, String> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONCURRENCY)
        .build()
        .map_err(|e| e.to_string())?;
    let url = format!("http://127.0.0.1:{port}/api/requests");
    // Wait for the server.
    for _ in 0..100 {
        if client
            .get(format!("http://127.0.0.1:{port}/api/health"))
            .send()
            .await
            .is_ok()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let body = Arc::new(
        serde_json::json!({
            "asker": "child", "age_band": "12_17", "topics": ["home", "not_heard"],
            "message": "Ik wil graag met iemand praten over hoe het thuis gaat.",
            "has_trusted_person": false, "channel": "whatsapp", "contact": "06 12345678",
            "contact_times": ["afternoon"], "may_leave_message": false,
            "never_via_foster_parents": true, "safe_now": "yes", "municipality": "Vlaardingen"
        })
        .to_string(),
    );
    let send = |client: reqwest::Client, url: String, body: Arc<String>, i: usize| async move {
        let key = format!("bench-{:032}", i);
        let started = Instant::now();
        let ok = client
            .post(&url)
            .header("content-type", "application/json")
            .header("idempotency-key", key)
            .body(body.as_str().to_owned())
            .send()
            .await
            .map(|r| r.status().as_u16() == 201)
            .unwrap_or(false);
        (started.elapsed(), ok)
    };
    // Warm-up, not measured.
    for i in 0..200 {
        send(client.clone(), url.clone(), body.clone(), REQUESTS + i).await;
    }
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..CONCURRENCY {
        let (client, url, body, next) = (client.clone(), url.clone(), body.clone(), next.clone());
        workers.push(tokio::spawn(async move {
            let mut samples = Vec::new();
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= REQUESTS {
                    return samples;
                }
                samples.push(send(client.clone(), url.clone(), body.clone(), i).await);
            }
        }));
    }
    let mut latencies = Vec::with_capacity(REQUESTS);
    let mut errors = 0;
    for w in workers {
        for (latency, ok) in w.await.map_err(|e| e.to_string())? {
            latencies.push(latency);
            errors += usize::from(!ok);
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    Ok((
        REQUESTS as f64 / elapsed,
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.99),
        percentile(&latencies, 1.0),
        errors,
        REQUESTS,
    ))
}
