//! Statements: versions, the diff, approval progress, and approving with a signature made on
//! the signer's machine by the command the page shows.

use coalition_app::Request;
use coalition_app::request::NewStatementRequest;
use coalition_core::classification::Marking;
use coalition_core::id::{PartyCode, PrincipalId};
use coalition_core::signature::SignatureBytes;
use coalition_core::statement::{Paragraph, StatementId};

use crate::support::Site;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_statement_shows_its_versions_the_diff_and_who_approved() {
    let site = Site::demo().await;
    let mut browser = site.signed_in("macron").await;
    let list = browser.get(&site.page("statements")).await.visible();
    assert!(
        list.contains("Paris Declaration") && list.contains("Joint statement on Greenland"),
        "{list}"
    );
    let page = browser
        .get(&site.page("statements/paris-declaration"))
        .await;
    let text = page.visible();
    assert!(text.contains("adopted"), "{text}");
    assert!(text.contains("v1") && text.contains("v2"));
    assert!(
        text.contains("(S) The operational modalities"),
        "macron reads the SECRET paragraph, marked: {text}"
    );
    assert!(text.contains("(PU) We, leaders of the coalition"));
    let diff = browser
        .get(&site.page("statements/paris-declaration?from=1&to=2"))
        .await;
    let diff_text = diff.visible();
    assert!(
        diff_text.contains("added: (PUBLIC) These guarantees are planned to run for fifteen years"),
        "{diff_text}"
    );
    assert!(diff.text.contains("class=\"diff-del\""));

    let mut meloni = site.signed_in("meloni").await;
    let italian = meloni.get(&site.page("statements/paris-declaration")).await;
    // SECRET, releasable to the whole coalition, and Italy is cleared for SECRET: shown, marked.
    assert!(italian.visible().contains("(S) The operational modalities"));
    assert!(italian.text.contains("class=\"banner m-secret\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_leader_approves_from_the_page_with_the_signature_the_shown_command_prints() {
    let site = Site::demo().await;
    let statement = StatementId::parse("web-test").expect("an id");
    site.app
        .submit(
            &site.coalition,
            &PrincipalId::parse("secretariat").expect("an id"),
            Request::DraftStatement(Box::new(NewStatementRequest {
                id: statement.clone(),
                title: "A statement to approve from the page".into(),
                signatories: vec![
                    PartyCode::parse("FRA").expect("a code"),
                    PartyCode::parse("GBR").expect("a code"),
                ],
                quorum: None,
                silence_until: None,
                paragraphs: vec![Paragraph {
                    text: "We approve this from a browser.".into(),
                    marking: Marking::public(),
                }],
                at: None,
            })),
        )
        .await
        .expect("drafted");
    let mut macron = site.signed_in("macron").await;
    let path = site.page("statements/web-test");
    let page = macron.get(&path).await;
    let text = page.visible();
    assert!(
        text.contains("0 / 2") && text.contains("Still missing: FRA, GBR"),
        "{text}"
    );
    assert!(text.contains("Approve version 1"), "{text}");
    let due = macron.get(&site.page("due")).await.visible();
    assert!(
        due.contains("Approve “A statement to approve from the page”"),
        "{due}"
    );

    // A signature that is not hex is refused next to the field; nothing is written.
    let csrf = page.hidden("csrf");
    let before = site.events().await;
    let bad = macron
        .post(
            &format!("{path}/approve"),
            &[
                ("csrf", &csrf),
                ("version", "1"),
                ("signature", "not a signature"),
                ("meeting", ""),
            ],
        )
        .await;
    assert_eq!(bad.status, 400);
    assert!(
        bad.text
            .contains("id=\"e-signature\" class=\"error\">Expected the base64 of 64 bytes"),
        "{}",
        bad.visible()
    );
    assert!(bad.text.contains(">not a signature</textarea>"));
    // A well-formed signature by the wrong key is refused by the rules, also next to the field.
    let wrong = SignatureBytes([0xab; 64]).to_string();
    let refused = macron
        .post(
            &format!("{path}/approve"),
            &[
                ("csrf", &csrf),
                ("version", "1"),
                ("signature", &wrong),
                ("meeting", ""),
            ],
        )
        .await;
    assert_eq!(refused.status, 400, "{}", refused.visible());
    assert!(refused.text.contains("id=\"e-signature\""));
    assert_eq!(site.events().await, before, "nothing written");

    // The page shows the exact bytes and the command that signs them; the signer's machine
    // signs them (here with the same code `coalition key sign` runs, tested in the CLI's tests).
    let message = page
        .text
        .split("<pre class=\"note\" id=\"to-sign\">")
        .nth(1)
        .and_then(|rest| rest.split("</pre>").next())
        .expect("the bytes to sign")
        .to_owned();
    let api = site
        .api(
            &format!(
                "/api/coalitions/{}/statements/web-test/to-sign?version=1",
                site.coalition
            ),
            "macron",
        )
        .await;
    assert_eq!(
        api["message"].as_str(),
        Some(message.as_str()),
        "the bytes the API serves"
    );
    assert!(page.visible().contains(&format!(
        "coalition key sign --key macron.pem --message {message}"
    )));
    let key = coalition_app::keys::read_key_file(&site.keys.join("DEMO-macron.pem"), None, "")
        .expect("the demo key");
    let bytes = coalition_core::hash::Hash::from_hex(&message).expect("hex");
    let signature =
        SignatureBytes(ed25519_dalek::Signer::sign(&key, bytes.as_bytes()).to_bytes()).to_string();
    let approved = macron
        .post(
            &format!("{path}/approve"),
            &[
                ("csrf", &csrf),
                ("version", "1"),
                ("signature", &signature),
                ("meeting", ""),
            ],
        )
        .await;
    assert_eq!(approved.status, 303, "{}", approved.visible());
    let after = macron.get(&path).await.visible();
    assert!(
        after.contains("1 / 2") && after.contains("Still missing: GBR"),
        "{after}"
    );
    assert!(!after.contains("Approve version 1"), "France has approved");
}
