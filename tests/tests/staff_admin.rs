//! The account and audit tools (`cargo xtask staff …`, `cargo xtask audit verify`) as
//! processes on the store a running server uses.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use kjr_api::auth::local::current_code;
use kjr_api::ids::Timestamp;
use kjr_tests::fixtures::{post_request_to, urgent_child_body};
use kjr_tests::servers::{Portal, server_bin};
use kjr_tests::staff::secret_of;
use serde_json::json;

fn admin(portal: &Portal, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(server_bin().with_file_name("kjr-admin"))
        .args(args)
        .env("KJR_SQLITE_PATH", portal.data.path().join("kjr.sqlite3"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kjr-admin starts (built by `cargo build -p kjr-api --bins`)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

async fn sign_in(portal: &Portal, email: &str, password: &str, code: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{}/api/staff/session", portal.url()))
        .header("origin", portal.url())
        .json(&json!({"email": email, "password": password, "code": code}))
        .send()
        .await
        .unwrap()
}

const PASSWORD: &str = "een lang wachtwoord voor Anna";

#[tokio::test]
async fn staff_add_prints_the_otpauth_uri_last_and_disable_and_reset_mfa_take_effect() {
    let portal = Portal::start();
    let added = admin(
        &portal,
        &[
            "staff",
            "add",
            "--email",
            "Anna@Jeugdstem.example",
            "--team",
            "noord",
            "--name",
            "Anna",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let stdout = String::from_utf8(added.stdout).unwrap();
    let uri = stdout.lines().last().unwrap();
    assert!(uri.starts_with("otpauth://totp/"), "{stdout}");
    assert!(
        !stdout.contains(PASSWORD) && !String::from_utf8_lossy(&added.stderr).contains(PASSWORD)
    );
    let secret = secret_of(uri);
    let code = current_code(&secret, Timestamp::now()).unwrap();
    let session = sign_in(&portal, "anna@jeugdstem.example", PASSWORD, &code).await;
    assert_eq!(session.status(), 200);
    let cookie = session.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();

    let twice = admin(
        &portal,
        &[
            "staff",
            "add",
            "--email",
            "anna@jeugdstem.example",
            "--team",
            "noord",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert!(!twice.status.success(), "one account per address");
    let short = admin(
        &portal,
        &[
            "staff",
            "add",
            "--email",
            "b@jeugdstem.example",
            "--team",
            "noord",
        ],
        "kort\n",
    );
    assert!(!short.status.success(), "a short password is refused");
    let team = admin(
        &portal,
        &[
            "staff",
            "add",
            "--email",
            "c@jeugdstem.example",
            "--team",
            "mars",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert!(String::from_utf8_lossy(&team.stderr).contains("unknown team"));

    // A new second factor: the old secret's codes stop working, the new one's work.
    let reset = admin(
        &portal,
        &["staff", "reset-mfa", "anna@jeugdstem.example"],
        "",
    );
    assert!(reset.status.success());
    let new_secret = secret_of(
        String::from_utf8(reset.stdout)
            .unwrap()
            .lines()
            .last()
            .unwrap(),
    );
    assert_ne!(new_secret, secret);
    let me = reqwest::Client::new()
        .get(format!("{}/api/staff/me", portal.url()))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(
        me.status(),
        401,
        "resetting the second factor ends the sessions"
    );
    let old = current_code(&secret, Timestamp(Timestamp::now().0 + 30)).unwrap();
    assert_eq!(
        sign_in(&portal, "anna@jeugdstem.example", PASSWORD, &old)
            .await
            .status(),
        401
    );
    let new = current_code(&new_secret, Timestamp::now()).unwrap();
    assert_eq!(
        sign_in(&portal, "anna@jeugdstem.example", PASSWORD, &new)
            .await
            .status(),
        200
    );

    let disabled = admin(&portal, &["staff", "disable", "anna@jeugdstem.example"], "");
    assert!(disabled.status.success());
    let next = current_code(&new_secret, Timestamp(Timestamp::now().0 + 30)).unwrap();
    assert_eq!(
        sign_in(&portal, "anna@jeugdstem.example", PASSWORD, &next)
            .await
            .status(),
        401
    );
}

#[tokio::test]
async fn audit_verify_passes_an_intact_store_and_names_an_edited_event() {
    let portal = Portal::start();
    for _ in 0..3 {
        assert_eq!(
            post_request_to(&portal.url(), &urgent_child_body())
                .await
                .status(),
            201
        );
    }
    let store = portal.store();
    use kjr_api::store::Store;
    for _ in 0..100 {
        let ids = store.request_ids().await.unwrap();
        let mut done = 0;
        for id in &ids {
            if store.get(id).await.unwrap().unwrap().routing.is_some() {
                done += 1;
            }
        }
        if done == 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let intact = admin(&portal, &["audit", "verify"], "");
    let out = String::from_utf8_lossy(&intact.stdout).to_string();
    assert!(intact.status.success(), "{out}");
    assert!(
        out.contains("3 requests") && out.contains("intact"),
        "{out}"
    );

    // Someone with the database file changes what an event says (and must first remove the
    // guard that refuses updates).
    let db = rusqlite::Connection::open(portal.data.path().join("kjr.sqlite3")).unwrap();
    db.execute_batch(
        "DROP TRIGGER audit_events_append_only;
         UPDATE audit_events SET entry = replace(entry, 'urgent', 'normal') WHERE seq = 1
            AND request_id = (SELECT min(request_id) FROM audit_events);",
    )
    .unwrap();
    let broken = admin(&portal, &["audit", "verify"], "");
    let out = String::from_utf8_lossy(&broken.stdout).to_string();
    assert!(!broken.status.success(), "{out}");
    assert!(
        out.contains("event 1 was changed after it was written"),
        "{out}"
    );
    assert!(out.contains("1 audit trails are broken"), "{out}");
}

#[test]
fn audit_events_cannot_be_updated_through_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kjr.sqlite3");
    kjr_api::store::SqliteStore::open(&path).unwrap();
    let db = rusqlite::Connection::open(&path).unwrap();
    db.execute_batch(
        "INSERT INTO requests (id, reference, idempotency_key, payload, queue, received_at, expires_at, status)
         VALUES ('a', 'r', 'k', '{}', 'normal', 0, 0, 'new');
         INSERT INTO audit_events (request_id, seq, entry) VALUES ('a', 1, '{}');",
    )
    .unwrap();
    let err = db
        .execute("UPDATE audit_events SET entry = 'x'", [])
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
}
