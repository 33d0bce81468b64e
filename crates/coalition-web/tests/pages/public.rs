//! The public face: what anyone may read, and nothing else.

use coalition_app::Reading;
use coalition_app::views::CommitmentFilter;

use crate::support::Site;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_face_shows_the_coalition_its_adopted_public_text_and_the_checkpoint() {
    let site = Site::demo().await;
    let mut browser = site.browser();
    let page = browser.get(&site.page("public")).await;
    assert_eq!(page.status, 200);
    let text = page.visible();
    assert!(text.contains("Paris Declaration"), "{text}");
    assert!(text.contains("Greenland belongs to its people"), "{text}");
    assert!(text.contains("Members"));
    assert!(text.contains("FRA") && text.contains("UKR"));
    assert!(text.contains("(PU)"), "portion marks on public paragraphs");
    // The checkpoint is the public log's, signed: the same as the API gives the public.
    let api = browser
        .get(&format!(
            "/api/coalitions/{}/log/checkpoint",
            site.coalition
        ))
        .await;
    let checkpoint: serde_json::Value = serde_json::from_str(&api.text).expect("JSON");
    let size = checkpoint["size"].as_u64().expect("a size");
    assert!(
        text.contains(&format!("The public log holds {size} entries")),
        "{text}"
    );
    let origin_line = checkpoint["note"]
        .as_str()
        .expect("a note")
        .lines()
        .next()
        .expect("a line")
        .to_owned();
    assert!(page.text.contains(&origin_line));
    assert!(text.contains("coalition log verify --bundle public.bundle"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_face_holds_no_text_from_any_item_that_is_not_public() {
    let site = Site::demo().await;
    let custodian = site
        .app
        .read(&site.coalition, &Reading::custodian())
        .await
        .expect("read");
    // Canaries: the words of every commitment that is not PUBLIC, and every paragraph that is not.
    let mut canaries: Vec<String> = custodian
        .commitments(&CommitmentFilter::default())
        .into_iter()
        .filter(|c| !c.commitment.marking.is_public())
        .map(|c| c.commitment.what.clone())
        .collect();
    for row in custodian.statements() {
        let shown = custodian.statement(&row.id, None).expect("a version");
        canaries.extend(
            shown
                .paragraphs
                .into_iter()
                .filter(|p| !p.marking.is_public())
                .map(|p| p.text),
        );
    }
    assert!(
        canaries.len() > 5,
        "the demo has classified items: {canaries:?}"
    );
    assert!(canaries.iter().any(|c| c.contains("classified annex")));
    let mut browser = site.browser();
    for path in ["/".to_owned(), site.page("public")] {
        let page = browser.get(&path).await;
        let text = page.visible();
        for canary in &canaries {
            assert!(!text.contains(canary.as_str()), "{path} shows {canary:?}");
        }
        assert!(
            !text.contains("SECRET") && !text.contains("RESTRICTED"),
            "{path}: {text}"
        );
    }
    // Signed in or not, the public face is read as the public.
    let mut signed = site.signed_in("macron").await;
    let page = signed.get(&site.page("public")).await.visible();
    for canary in &canaries {
        assert!(
            !page.contains(canary.as_str()),
            "signed in, the public face shows {canary:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_session_only_the_public_face_is_open() {
    let site = Site::demo().await;
    let mut browser = site.browser();
    for rest in ["", "heatmap.csv", "coverage.csv", "obligations.csv", "live"] {
        let page = browser.get(&site.page(rest)).await;
        assert_eq!(page.status, 303, "/{rest} needs a session");
    }
    assert_eq!(browser.get(&site.page("public")).await.status, 200);
    assert_eq!(browser.get("/c/no-such-coalition/public").await.status, 404);
}
