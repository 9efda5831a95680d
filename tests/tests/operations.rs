//! Operations: readiness that tells the truth about the routing backlog, the metrics on their
//! own listener, backups taken while requests are written and restored into a fresh
//! instance, and an alarm for every function and queue of the template.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use kjr_api::store::{SqliteStore, Status, Store};
use kjr_tests::fixtures::{TestApp, smtp_env, spawn_app_with, urgent_child_body};
use kjr_tests::servers::{free_port, maildir_messages, server_bin, start_smtp_on, venv};
use serde_json::Value;

async fn readiness(app: &TestApp) -> (u16, Value) {
    let response = app.get("/api/health/ready").await;
    let status = response.status().as_u16();
    (status, response.json().await.expect("readiness is JSON"))
}

async fn metrics(app: &TestApp) -> HashMap<String, f64> {
    let addr = app.admin_addr.expect("the operations listener is on");
    let text = reqwest::get(format!("http://{addr}/metrics"))
        .await
        .expect("metrics answer")
        .text()
        .await
        .unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let (name, value) = l.split_once(' ')?;
            Some((name.to_owned(), value.parse().ok()?))
        })
        .collect()
}

/// Polls readiness until `done` holds for its answer, for at most `limit`.
async fn wait_for_readiness(
    app: &TestApp,
    limit: Duration,
    done: impl Fn(u16, &Value) -> bool,
) -> (u16, Value, Duration) {
    let started = Instant::now();
    loop {
        let (status, body) = readiness(app).await;
        if done(status, &body) {
            return (status, body, started.elapsed());
        }
        assert!(
            started.elapsed() < limit,
            "readiness stayed {status} {body} for {limit:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn readiness_turns_503_while_mail_is_down_and_200_once_the_backlog_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let maildir = dir.path().join("mail");
    // Nothing listens on the mail port yet: every notification fails.
    let smtp_port = free_port();
    let mut env: Vec<(&str, String)> = smtp_env(smtp_port);
    env.push(("KJR_READY_MAX_BACKLOG_SECONDS", "2".into()));
    // Readiness is polled far more often than this allows: it must not be counted.
    env.push(("KJR_RATE_LIMIT_PER_CLIENT", "3".into()));
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let app = spawn_app_with(&env).await;

    let (status, body) = readiness(&app).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("ready")),
        "{body}"
    );
    assert_eq!(body["pending_jobs"], 0);
    assert!(body.get("last_notification_at").is_none(), "{body}");

    let response = app.post_request(&urgent_child_body()).await;
    assert_eq!(response.status(), 201);
    let receipt: Value = response.json().await.unwrap();
    let reference = receipt["reference"].as_str().unwrap().to_owned();
    let (_, stuck, _) = wait_for_readiness(&app, Duration::from_secs(20), |s, _| s == 503).await;
    assert_eq!(stuck["status"], "backlog", "{stuck}");
    assert_eq!(stuck["store"], true);
    assert_eq!(stuck["pending_jobs"], 1);
    assert!(
        stuck["oldest_pending_seconds"].as_i64().unwrap() > 2,
        "{stuck}"
    );
    assert_eq!(stuck["max_backlog_seconds"], 2);
    // Counts and times only: no reference, no id, nothing the child wrote.
    let text = stuck.to_string();
    assert!(!text.contains("KJR-") && !text.contains("praten"), "{text}");

    let m = metrics(&app).await;
    assert_eq!(m["kjr_requests_accepted_total"], 1.0, "{m:?}");
    assert!(m["kjr_notifications_failed_total"] >= 1.0, "{m:?}");
    assert_eq!(m["kjr_routing_jobs_pending"], 1.0, "{m:?}");
    assert!(m["kjr_routing_backlog_age_seconds"] > 2.0, "{m:?}");

    // Mail works again: the outbox worker retries, the backlog empties.
    let _smtp = start_smtp_on(&maildir, smtp_port);
    let (_, recovered, _) =
        wait_for_readiness(&app, Duration::from_secs(45), |s, _| s == 200).await;
    assert_eq!(recovered["status"], "ready", "{recovered}");
    assert_eq!(recovered["pending_jobs"], 0);
    assert!(
        recovered.get("oldest_pending_seconds").is_none(),
        "{recovered}"
    );
    assert!(
        recovered["last_notification_at"].as_i64().is_some(),
        "{recovered}"
    );
    // Its team's notification (after 08:00 Dutch time the teams' daily digests come too).
    let notifications = maildir_messages(&maildir)
        .into_iter()
        .filter(|m| m.contains(&reference))
        .count();
    assert_eq!(notifications, 1);
    let m = metrics(&app).await;
    assert_eq!(m["kjr_requests_routed_total"], 1.0, "{m:?}");
    assert_eq!(m["kjr_routing_jobs_pending"], 0.0, "{m:?}");
}

#[tokio::test]
async fn metrics_are_served_on_the_operations_listener_only() {
    let app = spawn_app_with(&[]).await;
    let public = app.get("/metrics").await;
    assert_eq!(public.status(), 404);
    assert_eq!(app.get("/api/metrics").await.status(), 404);
    let addr = app.admin_addr.expect("on by default");
    assert!(addr.ip().is_loopback());
    let response = reqwest::get(format!("http://{addr}/metrics"))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/openmetrics-text")
    );
    let text = response.text().await.unwrap();
    assert!(
        text.contains("# TYPE kjr_requests_accepted counter"),
        "{text}"
    );
    assert!(text.trim_end().ends_with("# EOF"), "{text}");
}

fn admin_bin() -> PathBuf {
    let bin = server_bin().with_file_name("kjr-admin");
    assert!(
        bin.exists(),
        "{} is missing: cargo build -p kjr-api --bins",
        bin.display()
    );
    bin
}

/// Runs `kjr-admin ARGS` on the SQLite store at `store`: (success, stdout + stderr).
fn admin(store: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(admin_bin())
        .env_clear()
        .env("KJR_SQLITE_PATH", store)
        .args(args)
        .output()
        .expect("kjr-admin runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// Every stored request by reference.
async fn by_reference(store: &dyn Store) -> HashMap<String, kjr_api::store::StoredRequest> {
    let mut out = HashMap::new();
    for id in store.request_ids().await.unwrap() {
        let r = store.get(&id).await.unwrap().unwrap();
        out.insert(r.reference.as_str().to_owned(), r);
    }
    out
}

#[tokio::test]
async fn a_backup_taken_while_requests_are_written_restores_every_accepted_request() {
    let app = Arc::new(spawn_app_with(&[]).await);
    let writing = Arc::new(AtomicBool::new(true));
    // Four writers, as fast as the server takes them; each remembers when each 201 came.
    let writers: Vec<_> = (0..4)
        .map(|_| {
            let (app, writing) = (Arc::clone(&app), Arc::clone(&writing));
            tokio::spawn(async move {
                let mut accepted = Vec::new();
                while writing.load(Ordering::Relaxed) {
                    let response = app.post_request(&urgent_child_body()).await;
                    assert_eq!(response.status(), 201);
                    let body: Value = response.json().await.unwrap();
                    accepted.push((
                        Instant::now(),
                        body["reference"].as_str().unwrap().to_owned(),
                    ));
                }
                accepted
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(1500)).await;

    let dir = tempfile::tempdir().unwrap();
    let backup = dir.path().join("backups/kjr-backup.sqlite3");
    let backup_started = Instant::now();
    let (db, file) = (app.db_path.clone(), backup.clone());
    let (ok, out) =
        tokio::task::spawn_blocking(move || admin(&db, &["backup", file.to_str().unwrap()]))
            .await
            .unwrap();
    assert!(ok, "{out}");
    // Go on writing a little after the backup, then stop.
    tokio::time::sleep(Duration::from_millis(300)).await;
    writing.store(false, Ordering::Relaxed);
    let mut accepted = Vec::new();
    for w in writers {
        accepted.extend(w.await.unwrap());
    }
    let before: Vec<&String> = accepted
        .iter()
        .filter(|(at, _)| *at < backup_started)
        .map(|(_, r)| r)
        .collect();
    assert!(
        before.len() > 20,
        "only {} requests before the backup",
        before.len()
    );
    assert!(
        accepted.len() > before.len(),
        "no request was written during or after the backup"
    );
    assert!(out.contains("requests"), "{out}");

    // A backup never overwrites.
    let (ok, out) = admin(&app.db_path, &["backup", backup.to_str().unwrap()]);
    assert!(!ok && out.contains("exists"), "{out}");

    // Into a fresh instance.
    let fresh = dir.path().join("fresh/kjr.sqlite3");
    let (ok, out) = admin(&fresh, &["restore", backup.to_str().unwrap()]);
    assert!(ok, "{out}");
    // Once there is a store, only --force replaces it, and the replaced one is kept.
    let (ok, out) = admin(&fresh, &["restore", backup.to_str().unwrap()]);
    assert!(!ok && out.contains("--force"), "{out}");
    let (ok, out) = admin(&fresh, &["restore", backup.to_str().unwrap(), "--force"]);
    assert!(ok && out.contains("kept as"), "{out}");

    let original = by_reference(app.store.as_ref()).await;
    let restored_store = SqliteStore::open(&fresh).unwrap();
    let restored = by_reference(&restored_store).await;
    let pending = restored_store.pending_jobs().await.unwrap();
    for reference in &before {
        let r = restored
            .get(*reference)
            .unwrap_or_else(|| panic!("{reference} was accepted before the backup and is lost"));
        let o = &original[*reference];
        assert_eq!((&r.id, &r.request), (&o.id, &o.request));
        // Its routing state as it was then: finished, or a job the restored server runs.
        match r.notified_at {
            Some(_) => assert_eq!(r.status, Status::Routed),
            None => assert!(pending.contains(&r.id), "{reference} lost its routing job"),
        }
    }
    drop(restored_store);

    // The restored store serves, and finishes whatever routing was unfinished.
    let fresh_path = fresh.to_str().unwrap().to_owned();
    let instance = spawn_app_with(&[("KJR_SQLITE_PATH", fresh_path.as_str())]).await;
    assert_eq!(instance.store.count().await.unwrap(), restored.len());
    let started = Instant::now();
    while !instance.store.pending_jobs().await.unwrap().is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "restored jobs stay pending"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (status, body) = readiness(&instance).await;
    assert_eq!(status, 200, "{body}");
}

#[test]
fn a_restore_refuses_a_file_that_is_not_a_store() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.sqlite3");
    std::fs::write(&junk, b"not a database at all, just some bytes").unwrap();
    let target = dir.path().join("store/kjr.sqlite3");
    let (ok, out) = admin(&target, &["restore", junk.to_str().unwrap()]);
    assert!(!ok && out.contains("not a usable store"), "{out}");
    assert!(
        !target.exists(),
        "a refused restore must not create a store"
    );
}

/// The template as cfn-lint reads it (intrinsic functions as `{"Ref": …}` objects).
fn template() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../infra/template.yaml");
    let out = Command::new(venv().join("bin/python"))
        .args([
            "-c",
            "import json, sys\nfrom cfnlint.decode import decode\n\
             t, errors = decode(sys.argv[1])\n\
             assert not errors, errors\nprint(json.dumps(t))",
            path,
        ])
        .output()
        .expect("python with cfn-lint");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("template as JSON")
}

#[test]
fn every_function_and_queue_of_the_template_has_its_alarm_on_the_operations_topic() {
    let t = template();
    let resources = t["Resources"].as_object().unwrap();
    let of_type = |kind: &str| -> Vec<String> {
        resources
            .iter()
            .filter(|(_, r)| r["Type"] == kind)
            .map(|(name, _)| name.clone())
            .collect()
    };
    let alarms: Vec<&Value> = resources
        .values()
        .filter(|r| r["Type"] == "AWS::CloudWatch::Alarm")
        .map(|r| &r["Properties"])
        .collect();
    let topics = of_type("AWS::SNS::Topic");
    assert_eq!(topics.len(), 1, "one operations topic");
    let topic = serde_json::json!({ "Ref": topics[0] });
    for a in &alarms {
        assert_eq!(a["AlarmActions"], serde_json::json!([topic]), "{a}");
        assert_eq!(a["OKActions"], serde_json::json!([topic]), "{a}");
        assert!(
            a["AlarmDescription"].as_str().is_some_and(|d| d.len() > 20),
            "{a}"
        );
    }
    let subscription = resources
        .values()
        .find(|r| r["Type"] == "AWS::SNS::Subscription")
        .expect("the topic mails someone");
    assert_eq!(subscription["Properties"]["Protocol"], "email");
    assert_eq!(subscription["Properties"]["TopicArn"], topic);
    assert_eq!(
        subscription["Properties"]["Endpoint"],
        serde_json::json!({ "Ref": "OperationsEmail" })
    );

    let watches = |namespace: &str, metric: &str, dimension: &str, value: &Value| {
        alarms.iter().any(|a| {
            a["Namespace"] == namespace
                && a["MetricName"] == metric
                && a["Dimensions"].as_array().is_some_and(|d| {
                    d.iter()
                        .any(|d| d["Name"] == dimension && d["Value"] == *value)
                })
        })
    };
    let functions = of_type("AWS::Serverless::Function");
    assert_eq!(functions.len(), 2, "{functions:?}");
    for f in &functions {
        let name = serde_json::json!({ "Ref": f });
        for metric in ["Errors", "Throttles"] {
            assert!(
                watches("AWS/Lambda", metric, "FunctionName", &name),
                "{f}: no {metric} alarm"
            );
        }
    }
    let queues = of_type("AWS::SQS::Queue");
    assert!(!queues.is_empty());
    for q in &queues {
        let name = serde_json::json!({ "Fn::GetAtt": [q, "QueueName"] });
        assert!(
            watches(
                "AWS/SQS",
                "ApproximateNumberOfMessagesVisible",
                "QueueName",
                &name
            ),
            "{q}: no alarm on its messages"
        );
    }
    // The API's share of 5xx answers.
    assert!(
        alarms
            .iter()
            .any(|a| a["Metrics"].as_array().is_some_and(|m| m
                .iter()
                .any(|m| m["MetricStat"]["Metric"]["MetricName"] == "5xx"
                    && m["MetricStat"]["Metric"]["Namespace"] == "AWS/ApiGateway")))
    );
    // The backlog, in the namespace the functions write their metrics to.
    let namespace = &t["Globals"]["Function"]["Environment"]["Variables"]["KJR_METRICS_NAMESPACE"];
    let backlog = alarms
        .iter()
        .find(|a| a["MetricName"] == kjr_api::metrics::Metric::RoutingBacklogAge.cloudwatch_name())
        .expect("a backlog alarm");
    assert_eq!(&backlog["Namespace"], namespace);
    assert_eq!(
        backlog["TreatMissingData"], "breaching",
        "a stopped sweep must fire it"
    );
    for metric in ["Reputation.BounceRate", "Reputation.ComplaintRate"] {
        assert!(
            alarms
                .iter()
                .any(|a| a["Namespace"] == "AWS/SES" && a["MetricName"] == metric),
            "no {metric} alarm"
        );
    }
    // Point-in-time recovery of the table (infra/README.md: the restore procedure).
    let table = &resources["RequestsTable"]["Properties"];
    assert_eq!(
        table["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"],
        true
    );
}

#[tokio::test]
async fn the_template_table_has_every_index_the_store_creates() {
    let t = template();
    let table = &t["Resources"]["RequestsTable"]["Properties"];
    let mut in_template: Vec<(String, Vec<String>)> = table["GlobalSecondaryIndexes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let keys = i["KeySchema"]
                .as_array()
                .unwrap()
                .iter()
                .map(|k| k["AttributeName"].as_str().unwrap().to_owned())
                .collect();
            (i["IndexName"].as_str().unwrap().to_owned(), keys)
        })
        .collect();
    in_template.sort();

    // The table as DynamoStore::create_table makes it (what every store test runs on).
    let moto = kjr_tests::servers::start_moto();
    let store = kjr_tests::fixtures::dynamo_store(&moto.url()).await;
    let client = kjr_tests::fixtures::dynamo_client(&moto.url()).await;
    let described = client
        .describe_table()
        .table_name(store.table_name())
        .send()
        .await
        .unwrap();
    let mut by_store: Vec<(String, Vec<String>)> = described
        .table()
        .unwrap()
        .global_secondary_indexes()
        .iter()
        .map(|i| {
            let keys = i
                .key_schema()
                .iter()
                .map(|k| k.attribute_name().to_owned())
                .collect();
            (i.index_name().unwrap().to_owned(), keys)
        })
        .collect();
    by_store.sort();
    assert_eq!(in_template, by_store);
}
