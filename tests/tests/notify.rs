//! Team notifications through real mail servers: aiosmtpd (SMTP) and moto (SES v2).

use kjr_api::ids::{RequestId, TeamId};
use kjr_api::notify::{Notifier, SesNotifier, SmtpNotifier, SmtpSecurity, TeamNotification};
use kjr_api::routing::Team;
use kjr_api::store::Queue;
use kjr_domain::Reference;
use kjr_tests::fixtures::{
    aws_config_for, moto_ses_messages, post_request_to, smtp_env, urgent_child_body,
};
use kjr_tests::servers::{free_port, maildir_messages, start_local_server, start_moto, start_smtp};

fn notification(queue: Queue) -> TeamNotification {
    let team = Team {
        id: TeamId("noord".into()),
        name: "Team Noord".into(),
        email: "team-noord@jeugdstem.example".into(),
    };
    TeamNotification::new(
        &Reference::parse("KJR-7F3K-9QX2").unwrap(),
        &RequestId::parse(&"b".repeat(32)).unwrap(),
        &team,
        queue,
        "https://portal.example",
    )
}

async fn wait_for_mail(dir: &std::path::Path) -> Vec<String> {
    for _ in 0..100 {
        let mails = maildir_messages(dir);
        if !mails.is_empty() {
            return mails;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("no mail arrived");
}

#[tokio::test]
async fn smtp_notification_reaches_the_team_mailbox() {
    let dir = tempfile::tempdir().unwrap();
    let smtp = start_smtp(dir.path());
    let notifier = SmtpNotifier::new(
        "127.0.0.1",
        smtp.port,
        SmtpSecurity::None,
        "Ken je rechten <meldingen@jeugdstem.example>",
    )
    .unwrap();
    notifier.notify(&notification(Queue::Urgent)).await.unwrap();
    let mails = wait_for_mail(dir.path()).await;
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert!(mail.contains("To: team-noord@jeugdstem.example"), "{mail}");
    assert!(
        mail.contains("SPOED: nieuwe hulpvraag KJR-7F3K-9QX2"),
        "{mail}"
    );
    assert!(
        mail.contains("https://portal.example/staff/requests/bbbb"),
        "{mail}"
    );
}

#[tokio::test]
async fn smtp_that_is_down_is_an_error_not_a_silent_loss() {
    let notifier = SmtpNotifier::new(
        "127.0.0.1",
        free_port(),
        SmtpSecurity::None,
        "meldingen@jeugdstem.example",
    )
    .unwrap();
    assert!(notifier.notify(&notification(Queue::Normal)).await.is_err());
}

#[tokio::test]
async fn ses_notification_is_sent_through_moto() {
    let moto = start_moto();
    let aws = aws_config_for(&moto.url()).await;
    let ses = aws_sdk_sesv2::Client::new(&aws);
    ses.create_email_identity()
        .email_identity("meldingen@jeugdstem.example")
        .send()
        .await
        .unwrap();
    let notifier = SesNotifier::new(ses, "meldingen@jeugdstem.example", None);
    notifier.notify(&notification(Queue::Normal)).await.unwrap();
    let messages = moto_ses_messages(&moto.url()).await;
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert_eq!(messages[0]["subject"], "Nieuwe hulpvraag KJR-7F3K-9QX2");
    assert!(
        messages[0]["destinations"]
            .to_string()
            .contains("team-noord@jeugdstem.example")
    );
}

#[tokio::test]
async fn local_server_mails_the_team_after_a_request_without_personal_data() {
    let mail_dir = tempfile::tempdir().unwrap();
    let smtp = start_smtp(mail_dir.path());
    let data = tempfile::tempdir().unwrap();
    let server = start_local_server(data.path(), &smtp_env(smtp.port));
    let r = post_request_to(&server.url(), &urgent_child_body()).await;
    assert_eq!(r.status(), 201);
    let receipt: kjr_domain::RequestReceipt = r.json().await.unwrap();
    // On a working day after 08:00 the worker also sends the daily digest: wait for the
    // notification itself.
    let mut mails = wait_for_mail(mail_dir.path()).await;
    for _ in 0..100 {
        if mails.iter().any(|m| m.contains(receipt.reference.as_str())) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        mails = maildir_messages(mail_dir.path());
    }
    let mail = mails
        .iter()
        .find(|m| m.contains(receipt.reference.as_str()))
        .expect("the notification names the reference");
    assert!(mail.contains("team-zuid-holland@jeugdstem.example"));
    for mail in &mails {
        for secret in ["Sam", "612345678", "praten", "Vlaardingen", "script"] {
            assert!(!mail.contains(secret), "a mail leaks {secret:?}");
        }
    }
}

#[tokio::test]
async fn the_daily_digest_counts_and_lists_overdue_references_without_personal_data() {
    use std::sync::Arc;

    use kjr_api::calendar::Calendar;
    use kjr_api::routing::{RoutingJob, RoutingRules, digest::send_digests, process_request};
    use kjr_api::store::{SqliteStore, Store};
    use kjr_tests::fixtures::new_request;

    let dir = tempfile::tempdir().unwrap();
    let smtp = start_smtp(&dir.path().join("mail"));
    let store: Arc<dyn Store> =
        Arc::new(SqliteStore::open(&dir.path().join("kjr.sqlite3")).unwrap());
    // A Tuesday morning in December: a working day.
    let now = kjr_api::ids::Timestamp(1_796_112_000 + 9 * 3600); // 2026-12-01 09:00 UTC
    let old = new_request(&urgent_child_body(), now.0 - 3 * 86_400);
    let fresh = new_request(&urgent_child_body(), now.0 - 60);
    for r in [&old, &fresh] {
        store.create(r.clone()).await.unwrap();
    }
    let job = RoutingJob {
        store: store.clone(),
        rules: Arc::new(RoutingRules::parse(kjr_api::routing::DEFAULT_RULES).unwrap()),
        notifier: Arc::new(
            SmtpNotifier::new(
                "127.0.0.1",
                smtp.port,
                SmtpSecurity::None,
                "meldingen@jeugdstem.example",
            )
            .unwrap(),
        ),
        staff_base_url: "https://portal.example".into(),
        calendar: Arc::new(Calendar::bundled()),
        metrics: kjr_api::metrics::Metrics::local(),
    };
    for r in [&old, &fresh] {
        process_request(&job, &r.id).await.unwrap();
    }
    let before = maildir_messages(&dir.path().join("mail")).len();
    let sent = send_digests(&job, now).await.unwrap();
    assert_eq!(
        sent,
        job.rules.teams().len(),
        "every team, on a working day"
    );
    let mails = maildir_messages(&dir.path().join("mail"));
    assert_eq!(mails.len(), before + sent);
    let digest = mails
        .iter()
        .find(|m| m.contains("Dagoverzicht Team Zuid-Holland"))
        .expect("the team's digest");
    assert!(digest.contains("2 open, 1 te laat"), "{digest}");
    assert!(digest.contains("Nieuw: 2"), "{digest}");
    assert!(
        digest.contains(old.reference.as_str()),
        "the overdue one by reference"
    );
    assert!(
        !digest.contains(fresh.reference.as_str()),
        "not the one still in time"
    );
    for personal in [
        "Sam",
        "06 12345678",
        "+31612345678",
        "Ik wil met iemand praten",
    ] {
        assert!(!digest.contains(personal), "{personal} in {digest}");
    }
    // On a Sunday nobody works: no digest.
    let sunday = kjr_api::ids::Timestamp(now.0 + 5 * 86_400);
    assert_eq!(send_digests(&job, sunday).await.unwrap(), 0);
}
