//! The staff app end to end, in headless Chromium at 1280×800 against a real `kjr-server`: a
//! child's urgent request about abuse is claimed, contacted, marked, reported to Veilig Thuis
//! and closed with a second colleague's approval; another team cannot see it; the audit
//! trail has every step. Also a keyboard-only run and axe-core on every staff page and state.

use std::io::Write;
use std::process::{Command, Stdio};

use fantoccini::Locator;
use fantoccini::key::Key;
use kjr_api::auth::local::current_code;
use kjr_api::ids::Timestamp;
use kjr_tests::browser::{
    Browser, BrowserOptions, active_matches, assert_no_axe_violations, press, start_browser_with,
    tab_to, type_text,
};
use kjr_tests::fixtures::{post_request_to, urgent_child_body};
use kjr_tests::servers::{Portal, server_bin};
use kjr_tests::staff::secret_of;
use serde_json::{Value, json};

const PASSWORD: &str = "een lang wachtwoord voor het team";

/// A local account made with `kjr-admin staff add`.
struct Account {
    email: String,
    secret: String,
}

fn add_account(portal: &Portal, email: &str, team: &str, name: &str) -> Account {
    let mut child = Command::new(server_bin().with_file_name("kjr-admin"))
        .args([
            "staff", "add", "--email", email, "--team", team, "--name", name,
        ])
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
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    Account {
        email: email.to_owned(),
        secret: secret_of(stdout.lines().last().unwrap()),
    }
}

/// A child who is not safe now and tells about abuse (urgent, routed to Zuid-Holland).
fn abuse_request() -> Value {
    let mut body = urgent_child_body();
    body["message"] = json!("Mijn pleegvader slaat me als ik iets verkeerd doe.");
    body
}

async fn desktop() -> Browser {
    start_browser_with(BrowserOptions {
        desktop: true,
        ..BrowserOptions::default()
    })
    .await
}

/// Fills in the sign-in form that is on screen (at whatever address) and waits for the app.
async fn sign_in(b: &Browser, account: &Account) {
    b.wait_css("#email").await;
    for id in ["#email", "#password", "#code"] {
        b.wait_css(id).await.clear().await.unwrap();
    }
    b.type_into("#email", &account.email).await;
    b.type_into("#password", PASSWORD).await;
    let code = current_code(&account.secret, Timestamp::now()).unwrap();
    b.type_into("#code", &code).await;
    b.click("main form button[type=submit]").await;
    b.wait_css(".topbar").await;
}

async fn screenshot(b: &Browser, name: &str) {
    let png = b.client.screenshot().await.expect("screenshot");
    let dir = std::env::var_os("KJR_SCREENSHOTS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let _ = std::fs::write(dir.join(format!("staff-{name}.png")), png);
}

/// Picks `value` in the `<select>` matching `css` (with the mouse test's WebDriver).
async fn select(b: &Browser, css: &str, value: &str) {
    b.wait_css(css)
        .await
        .select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("select {value} in {css}: {e}"));
}

/// Records a contact attempt with `result`; gives a reason when the app asks for one (the
/// child's safe times depend on the wall clock).
async fn contact_attempt(b: &Browser, result: &str) {
    select(b, "#attempt-result", result).await;
    b.click("section[aria-labelledby=attempt-h] button[type=submit]")
        .await;
    b.wait_until(
        "document.querySelector('#attempt-reason') || \
         document.querySelector('#attempt-feedback').textContent.includes('opgeslagen')",
    )
    .await;
    if b.client.find(Locator::Css("#attempt-reason")).await.is_ok() {
        b.type_into("#attempt-reason", "Spoed: de persoon is niet veilig.")
            .await;
        b.click("section[aria-labelledby=attempt-h] button[type=submit]")
            .await;
    }
    b.wait_until("document.querySelector('#attempt-feedback').textContent.includes('opgeslagen')")
        .await;
}

/// The first row's link in the queue, after checking it is the urgent request.
async fn first_in_queue(b: &Browser, portal: &Portal) -> String {
    let first = b.wait_css("table tbody tr th a").await;
    let href = first.attr("href").await.unwrap().expect("row link");
    let row = b.text("table tbody tr").await;
    assert!(row.contains("SPOED") || row.contains("Spoed"), "{row}");
    format!("{}{href}", portal.url())
}

/// Runs `fetch` in the page with the session's cookie and CSRF token.
async fn fetch_json(b: &Browser, method: &str, url: &str, body: Value) -> Value {
    let script = format!(
        "fetch('/api/staff/me').then(r => r.json()).then(me => fetch({url}, {{
            method: {method}, credentials: 'same-origin',
            headers: {{ 'content-type': 'application/json', 'x-kjr-csrf': me.csrf_token }},
            body: {method} === 'GET' ? undefined : JSON.stringify({body})
         }})).then(async r => done({{ status: r.status, body: await r.json() }}))
           .catch(e => done({{ status: 0, body: String(e) }}));",
        url = serde_json::to_string(url).unwrap(),
        method = serde_json::to_string(method).unwrap(),
    );
    b.js_async(&script).await
}

#[tokio::test]
async fn an_abuse_request_closes_only_with_a_second_colleague_and_every_step_is_audited() {
    let portal = Portal::start();
    let anna = add_account(&portal, "anna@jeugdstem.example", "zuid-holland", "Anna");
    let bram = add_account(&portal, "bram@jeugdstem.example", "zuid-holland", "Bram");
    let cem = add_account(&portal, "cem@jeugdstem.example", "noord", "Cem");
    let sent = post_request_to(&portal.url(), &abuse_request()).await;
    assert!(sent.status().is_success(), "{}", sent.status());

    // Anna signs in (after one wrong code) and finds the request on top of her queue.
    let b = desktop().await;
    assert_eq!(
        b.js("return [innerWidth, innerHeight]").await,
        json!([1280, 800])
    );
    b.goto(&format!("{}/staff", portal.url())).await;
    b.wait_css("#email").await;
    assert_no_axe_violations(&b, "sign-in").await;
    b.type_into("#email", &anna.email).await;
    b.type_into("#password", PASSWORD).await;
    b.type_into("#code", "000000").await;
    b.click("main form button[type=submit]").await;
    b.wait_until("document.querySelector('#sign-in-error').textContent.trim().length > 0")
        .await;
    assert_no_axe_violations(&b, "sign-in error").await;
    sign_in(&b, &anna).await;
    let request_url = first_in_queue(&b, &portal).await;
    assert_no_axe_violations(&b, "queue").await;
    let id = request_url.rsplit('/').next().unwrap().to_owned();
    let api_url = format!("/api/staff/requests/{id}");

    b.goto(&request_url).await;
    b.wait_css("section[aria-labelledby=claim-h] form:not(.inline) button")
        .await;
    assert_no_axe_violations(&b, "request before claim").await;
    screenshot(&b, "1-before-claim").await;
    b.click("section[aria-labelledby=claim-h] form:not(.inline) button")
        .await;
    b.wait_text("Je hebt de vraag opgepakt").await;
    assert_no_axe_violations(&b, "request after claim").await;

    contact_attempt(&b, "no_answer").await;
    contact_attempt(&b, "reached").await;

    b.click("#disclosure").await;
    b.wait_css("#disclosure[aria-pressed=true]").await;
    b.wait_css("#vt-reported").await;
    b.click("#vt-reported").await;
    b.type_into(
        "#vt-note",
        "Melding besproken met de dienstdoende medewerker.",
    )
    .await;
    b.click("section[aria-labelledby=vt-h] button[type=submit]")
        .await;
    b.wait_css(".recorded").await;
    assert!(b.text(".recorded").await.contains("Melding gedaan"));
    screenshot(&b, "2-veilig-thuis").await;

    select(&b, "#close-reason", "referred").await;
    b.type_into("#close-text", "Doorverwezen naar Veilig Thuis.")
        .await;
    let button = b
        .text("section[aria-labelledby=close-h] button[type=submit]")
        .await;
    assert_eq!(button, "Vragen om afsluiten (tweede collega keurt goed)");
    b.click("section[aria-labelledby=close-h] button[type=submit]")
        .await;
    b.wait_text("Een tweede collega moet het goedkeuren").await;
    assert!(b.text(".badges").await.contains("Wacht op akkoord"));
    assert!(
        !b.text("body").await.contains("Goedkeuren en afsluiten"),
        "the person who asked is not offered the approval"
    );
    assert_no_axe_violations(&b, "awaiting approval (who asked)").await;
    screenshot(&b, "3-awaiting-own").await;
    // Nor can she approve through the API.
    let version = fetch_json(&b, "GET", &api_url, Value::Null).await["body"]["version"].clone();
    let refused = fetch_json(
        &b,
        "POST",
        &format!("{api_url}/approve-close"),
        json!({ "version": version }),
    )
    .await;
    assert_eq!(refused["status"], 403, "{refused}");
    assert_eq!(refused["body"]["error"], "second_colleague_required");

    // Bram, same team, opens the mail link, signs in there and approves.
    let b2 = desktop().await;
    b2.goto(&request_url).await;
    sign_in(&b2, &bram).await;
    b2.wait_text("Goedkeuren en afsluiten").await;
    assert_no_axe_violations(&b2, "awaiting approval (second colleague)").await;
    screenshot(&b2, "4-awaiting-second").await;
    b2.click("section[aria-labelledby=close-h] button[type=submit]")
        .await;
    b2.wait_text("Goedgekeurd. De vraag is afgesloten.").await;
    assert!(b2.text(".badges").await.contains("Afgesloten"));
    assert_no_axe_violations(&b2, "closed").await;
    screenshot(&b2, "5-closed").await;

    // Cem, of another team, does not see it.
    let b3 = desktop().await;
    b3.goto(&request_url).await;
    sign_in(&b3, &cem).await;
    b3.wait_text("bestaat niet").await;
    b3.close().await;

    // The audit trail: the view, and every step.
    b2.goto(&format!("{request_url}/audit")).await;
    b2.wait_css("table.audit").await;
    assert_no_axe_violations(&b2, "audit view").await;
    screenshot(&b2, "6-audit").await;
    let audit = fetch_json(&b2, "GET", &format!("{api_url}/audit"), Value::Null).await;
    assert_eq!(audit["status"], 200, "{audit}");
    let entries = audit["body"]["entries"].as_array().unwrap().clone();
    let by = |action: &str, name: &str| {
        entries
            .iter()
            .any(|e| e["event"]["action"] == action && e["actor"]["name"] == name)
    };
    assert!(by("viewed", "Anna") && by("viewed", "Bram"), "both views");
    assert!(by("claimed", "Anna"));
    let attempts: Vec<&Value> = entries
        .iter()
        .filter(|e| e["event"]["action"] == "contact_attempt")
        .map(|e| &e["event"]["result"])
        .collect();
    assert_eq!(attempts, [&json!("no_answer"), &json!("reached")]);
    assert!(by("disclosure_marked", "Anna"));
    assert!(by("veilig_thuis_recorded", "Anna"));
    assert!(by("close_requested", "Anna"));
    assert!(entries.iter().any(|e| e["event"]["action"] == "closed"
        && e["event"]["approved_by"]["name"] == "Bram"
        && e["actor"]["name"] == "Bram"));
    assert!(
        !entries.iter().any(|e| e["actor"]["name"] == "Cem"),
        "another team's attempt left nothing"
    );
    for action in ["received", "routed"] {
        assert!(entries.iter().any(|e| e["event"]["action"] == action));
    }
    b2.close().await;
    b.close().await;
}

/// Tabs to `css` and presses Enter.
async fn activate(b: &Browser, css: &str) {
    tab_to(b, css).await;
    press(b, Key::Enter.into()).await;
}

#[tokio::test]
async fn a_confidant_can_claim_record_and_close_with_the_keyboard_only() {
    let portal = Portal::start();
    let anna = add_account(&portal, "anna@jeugdstem.example", "zuid-holland", "Anna");
    let sent = post_request_to(&portal.url(), &abuse_request()).await;
    assert!(sent.status().is_success());
    let b = desktop().await;
    b.goto(&format!("{}/staff", portal.url())).await;
    sign_in(&b, &anna).await;
    let request_url = first_in_queue(&b, &portal).await;
    b.goto(&request_url).await;
    b.wait_css("section[aria-labelledby=claim-h] form:not(.inline) button")
        .await;

    activate(
        &b,
        "section[aria-labelledby=claim-h] form:not(.inline) button",
    )
    .await;
    b.wait_text("Je hebt de vraag opgepakt").await;

    // A contact attempt: the result by typing its first letters in the select.
    tab_to(&b, "#attempt-result").await;
    type_text(&b, "Bereikt").await;
    activate(&b, "section[aria-labelledby=attempt-h] button[type=submit]").await;
    b.wait_until(
        "document.querySelector('#attempt-reason') || \
         document.querySelector('#attempt-feedback').textContent.includes('opgeslagen')",
    )
    .await;
    if active_matches(&b, "#attempt-reason").await
        || b.client.find(Locator::Css("#attempt-reason")).await.is_ok()
    {
        tab_to(&b, "#attempt-reason").await;
        type_text(&b, "Spoed: de persoon is niet veilig.").await;
        activate(&b, "section[aria-labelledby=attempt-h] button[type=submit]").await;
    }
    b.wait_until("document.querySelector('#attempt-feedback').textContent.includes('opgeslagen')")
        .await;

    // The disclosure: Space on the toggle saves it.
    tab_to(&b, "#disclosure").await;
    press(&b, ' ').await;
    b.wait_css("#disclosure[aria-pressed=true]").await;
    b.wait_css("#vt-consulted").await;
    tab_to(&b, "#vt-consulted").await;
    press(&b, ' ').await;
    activate(&b, "section[aria-labelledby=vt-h] button[type=submit]").await;
    b.wait_css(".recorded").await;

    tab_to(&b, "#close-reason").await;
    type_text(&b, "Geholpen").await;
    tab_to(&b, "#close-text").await;
    type_text(&b, "Samen een plan gemaakt.").await;
    activate(&b, "section[aria-labelledby=close-h] button[type=submit]").await;
    b.wait_text("Een tweede collega moet het goedkeuren").await;
    assert!(b.text(".badges").await.contains("Wacht op akkoord"));
    b.close().await;
}

/// The whole conversation without a phone: a child sends a request choosing "I'll check
/// this website myself"; a confidant replies in the staff app; the child opens the reply on
/// another device (a fresh browser profile) with the reference and the code words and
/// writes back; the confidant finds the answer at the top of the queue; nothing is left in
/// the child's browser after the quick exit.
#[tokio::test]
async fn a_child_without_a_phone_reads_the_reply_on_another_device_and_writes_back() {
    let portal = Portal::start();
    let confidant = add_account(
        &portal,
        "anna@jeugdstem.example",
        "zuid-holland",
        "Anna de Vries",
    );
    // An earlier request of the same team: first in the queue until the child writes back.
    post_request_to(&portal.url(), &{
        let mut body = urgent_child_body();
        body["safe_now"] = json!("yes");
        body
    })
    .await;

    // 1. The child, on a phone.
    let child = kjr_tests::browser::start_browser().await;
    child
        .goto(&format!("{}/vraag?voor=12-plus", portal.url()))
        .await;
    child.wait_css("#safe_now").await;
    child.click("#safe_now-yes").await;
    child.click("#topics-home").await;
    child
        .type_into("#message", "Ik wil praten over thuis.")
        .await;
    child.click("#has_trusted_person-no").await;
    child.click("#channel-on_website").await;
    // Nobody calls: no number, no times, no "never via the foster parents".
    let hidden = child
        .js(
            "return [document.getElementById('contact').closest('.field').hidden, \
                   document.getElementById('contact_times').closest('[hidden]') !== null];",
        )
        .await;
    assert_eq!(hidden, json!([true, true]));
    child.type_into("#municipality", "Vlaardingen").await;
    child.click("#submit").await;
    let reference = child.text("#reference").await;
    let words = child.text("#code-words").await;
    assert_eq!(words.split(' ').count(), 3, "{words}");
    assert!(child.text("#app").await.contains("Lees je antwoord"));
    child.close().await;

    // 2. The confidant replies.
    let store = portal.store();
    use kjr_api::store::Store;
    for _ in 0..100 {
        let queue = store
            .routed_queue(&kjr_api::ids::TeamId("zuid-holland".into()))
            .await
            .unwrap();
        if queue.iter().any(|e| e.reference.as_str() == reference) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let b = desktop().await;
    b.goto(&format!("{}/staff", portal.url())).await;
    sign_in(&b, &confidant).await;
    b.wait_css("table tbody tr").await;
    let href = b
        .js(&format!(
            "return [...document.querySelectorAll('table tbody tr th a')]
               .find(a => a.textContent.trim() === '{reference}').getAttribute('href');"
        ))
        .await;
    b.goto(&format!("{}{}", portal.url(), href.as_str().unwrap()))
        .await;
    b.wait_text("Bel, sms of mail NIET").await;
    b.click("section[aria-labelledby=claim-h] form:not(.inline) button")
        .await;
    b.wait_css("#message-text").await;
    let reply = "Hoi, ik ben Anna. Fijn dat je schrijft. Wat wil je vertellen?";
    b.type_into("#message-text", reply).await;
    b.click("section[aria-labelledby=message-h] button[type=submit]")
        .await;
    b.wait_until("document.querySelector('#message-feedback').textContent.includes('geplaatst')")
        .await;
    screenshot(&b, "conversation-reply").await;

    // 3. The child, on another device: typed back loosely.
    let child = kjr_tests::browser::start_browser().await;
    child.goto(&format!("{}/antwoord", portal.url())).await;
    child
        .type_into(
            "#reply-reference",
            &reference.to_lowercase().replace('-', " "),
        )
        .await;
    child
        .type_into("#reply-words", &format!("  {}", words.to_uppercase()))
        .await;
    child.click("#reply-open button[type=submit]").await;
    child.wait_css("#reply-conversation:not([hidden])").await;
    let messages = child.text(".messages").await;
    assert!(
        messages.contains(reply) && messages.contains("Anna"),
        "{messages}"
    );
    // The heading takes focus once the conversation opens; then the child types.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let answer = "Ik wil over thuis praten. Kun je me helpen?";
    child.type_into("#reply-text", answer).await;
    child.click("#reply-write button[type=submit]").await;
    child.wait_text("Je bericht is verstuurd.").await;
    assert!(child.text(".messages").await.contains(answer));

    // 5. The quick exit: gone, and nothing left behind on the portal's origin.
    child.click("#quick-exit").await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    child.goto(&format!("{}/antwoord", portal.url())).await;
    child.wait_css("#reply-reference").await;
    let left = child
        .js("return [document.getElementById('reply-reference').value, \
                   document.querySelectorAll('.messages li').length];")
        .await;
    assert_eq!(left, json!(["", 0]));
    kjr_tests::browser::assert_no_traces(&child).await;
    child.close().await;

    // 4. The answer is at the top of the confidant's queue.
    b.goto(&format!("{}/staff", portal.url())).await;
    b.wait_css("table tbody tr").await;
    let first = b.text("table tbody tr").await;
    assert!(
        first.contains(&reference) && first.contains("Nieuw bericht"),
        "{first}"
    );
    screenshot(&b, "conversation-queue").await;
    b.close().await;
}

/// A request from the picture route on the confidant's request page: how the child feels,
/// and "Niet gevraagd" where the route asked nothing (no guessed "Nee").
#[tokio::test]
async fn the_request_page_shows_how_a_young_child_feels() {
    let portal = Portal::start();
    // Without a municipality a request goes to the default team.
    let confidant = add_account(&portal, "bo@jeugdstem.example", "landelijk", "Bo Jansen");
    post_request_to(
        &portal.url(),
        &json!({
            "asker": "child", "age_band": "under_12", "feeling": "scared",
            "topics": ["home", "body"], "safe_now": "no", "channel": "on_website",
            "never_via_foster_parents": true
        }),
    )
    .await;
    let b = desktop().await;
    b.goto(&format!("{}/staff", portal.url())).await;
    sign_in(&b, &confidant).await;
    let page = first_in_queue(&b, &portal).await;
    b.goto(&page).await;
    b.wait_text("Hoe het kind zich voelt").await;
    let facts = b.text("dl.facts").await;
    for expected in ["Bang", "Niet gevraagd", "Mijn lichaam of opgroeien"] {
        assert!(facts.contains(expected), "{expected} in {facts}");
    }
    screenshot(&b, "picture-route-request").await;
    b.close().await;
}
