//! Durability: a request answered with 201 survives `kill -9`, and its routing job runs after
//! the restart (the outbox lives in the database, not in memory).

use kjr_api::ids::TeamId;
use kjr_api::store::{SqliteStore, Store};
use kjr_tests::fixtures::{post_request_to, smtp_env, urgent_child_body};
use kjr_tests::servers::{
    free_port, maildir_messages, server_bin, start_local_server_on, start_smtp,
};

#[tokio::test]
async fn request_and_its_routing_survive_kill_9_right_after_201() {
    let data = tempfile::tempdir().unwrap();
    let mail_dir = tempfile::tempdir().unwrap();
    let port = free_port();
    // First life: the mail server is down, so the routing job cannot finish.
    let mut server =
        start_local_server_on(&server_bin(), port, data.path(), &smtp_env(free_port()));
    let r = post_request_to(&server.url(), &urgent_child_body()).await;
    assert_eq!(r.status(), 201);
    server.kill9();
    let receipt: kjr_domain::RequestReceipt = r.json().await.unwrap();

    // Second life, mail server up: the pending job routes and notifies.
    let smtp = start_smtp(mail_dir.path());
    let _server = start_local_server_on(&server_bin(), port, data.path(), &smtp_env(smtp.port));
    let store = SqliteStore::open(&data.path().join("kjr.sqlite3")).unwrap();
    assert_eq!(
        store.count().await.unwrap(),
        1,
        "the accepted request is on disk"
    );
    let team = TeamId("zuid-holland".into());
    for _ in 0..200 {
        let queue = store.routed_queue(&team).await.unwrap();
        // (After 08:00 on a working day the daily digest arrives too: look for this request.)
        let notified = maildir_messages(mail_dir.path())
            .iter()
            .any(|m| m.contains(receipt.reference.as_str()));
        if let (Some(entry), true) = (queue.first(), notified) {
            assert_eq!(entry.reference, receipt.reference);
            let stored = store.get(&entry.id).await.unwrap().unwrap();
            assert!(stored.routing.unwrap().reason.contains("nu niet veilig"));
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("after the restart the request was not routed and notified");
}
