//! The record, who has done what, due soon, and the commitments pages.

use crate::support::Site;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_record_shows_the_readers_log_a_proof_and_a_bundle_to_verify() {
    let site = Site::demo().await;
    let mut browser = site.signed_in("meloni").await;
    let page = browser.get(&site.page("record")).await;
    assert_eq!(page.status, 200);
    let api = site
        .api(
            &format!("/api/coalitions/{}/log/checkpoint", site.coalition),
            "meloni",
        )
        .await;
    let size = api["size"].as_u64().expect("a size");
    assert!(
        page.visible()
            .contains(&format!("Your log holds {size} entries")),
        "{}",
        page.visible()
    );
    assert!(page.visible().contains("coalition log verify --bundle"));
    let proof = browser.get(&site.page("record?seq=2")).await;
    assert!(proof.visible().contains("Inclusion proof of entry 2"));
    let api_proof = site
        .api(
            &format!("/api/coalitions/{}/log/proof?seq=2", site.coalition),
            "meloni",
        )
        .await;
    assert!(
        proof
            .text
            .contains(api_proof["root"].as_str().expect("a root"))
    );
    let bundle = browser.get(&site.page("record/bundle")).await;
    assert_eq!(bundle.status, 200);
    assert!(
        bundle.headers["content-disposition"]
            .to_str()
            .expect("text")
            .contains(".bundle")
    );
    let api_bundle = site
        .api(
            &format!("/api/coalitions/{}/log/export", site.coalition),
            "meloni",
        )
        .await;
    let ours: serde_json::Value = serde_json::from_str(&bundle.text).expect("JSON");
    assert_eq!(
        ours["entries"], api_bundle["entries"],
        "the same entries as the API's bundle"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn who_has_done_what_lists_signatures_and_approvals() {
    let site = Site::demo().await;
    let mut browser = site.signed_in("secretariat").await;
    let page = browser.get(&site.page("parties")).await;
    assert_eq!(page.status, 200);
    let text = page.visible();
    assert!(
        text.contains("Instruments") && text.contains("Statements") && text.contains("Incidents")
    );
    assert!(text.contains("gbr-ukr-2024"), "{text}");
    assert!(text.contains("approved 6 January 2026"), "{text}");
    let due = browser.get(&site.page("due")).await;
    assert_eq!(due.status, 200);
    assert!(
        due.visible().contains("What FRA must do"),
        "{}",
        due.visible()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commitments_are_listed_filtered_and_shown_one_by_one() {
    let site = Site::demo().await;
    let mut browser = site.signed_in("macron").await;
    let all = browser.get(&site.page("commitments")).await;
    let api = site
        .api(
            &format!("/api/coalitions/{}/commitments?limit=1000", site.coalition),
            "macron",
        )
        .await;
    let count = api.as_array().expect("a list").len();
    assert!(
        all.visible().contains(&format!("{count} commitments.")),
        "{}",
        all.visible()
    );
    let british = browser
        .get(&site.page("commitments?guarantor=GBR&category=&status=&on="))
        .await;
    let api_gbr = site
        .api(
            &format!(
                "/api/coalitions/{}/commitments?guarantor=GBR",
                site.coalition
            ),
            "macron",
        )
        .await;
    let gbr = api_gbr.as_array().expect("a list");
    assert!(
        british
            .visible()
            .contains(&format!("{} commitments.", gbr.len()))
    );
    for c in gbr {
        assert!(british.text.contains(c["id"].as_str().expect("an id")));
    }
    let csv = browser
        .get(&site.page("commitments.csv?guarantor=GBR"))
        .await;
    assert_eq!(csv.text.lines().count(), gbr.len() + 1);
    let bad_day = browser.get(&site.page("commitments?on=someday")).await;
    assert!(
        bad_day.visible().contains("“someday” is not a day"),
        "{}",
        bad_day.visible()
    );
    assert!(bad_day.text.contains("value=\"someday\""));
    // In force on a day before the summit: the Paris commitments were not.
    let early = browser
        .get(&site.page("commitments?status=in-force&on=2025-06-01"))
        .await;
    assert!(!early.text.contains("paris-fra-military"));

    let one = browser
        .get(&site.page("commitments/paris-fra-military"))
        .await;
    assert_eq!(one.status, 200);
    let text = one.visible();
    assert!(text.contains("SECRET//REL TO FRA, GBR, UKR"), "{text}");
    assert!(
        text.contains("consult within 24h from verification"),
        "{text}"
    );
    assert!(text.contains("History in your log"));
    assert!(
        text.contains("commitment_added") || text.contains("commitment"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn support_is_the_readers_table_per_donor_with_its_csv() {
    let site = Site::demo().await;
    let reader = site
        .app
        .read(
            &site.coalition,
            &coalition_app::Reading::by(coalition_app::Who::Principal(
                coalition_core::id::PrincipalId::parse("meloni").expect("an id"),
            )),
        )
        .await
        .expect("read");
    let summary = reader.support(&coalition_app::views::CommitmentFilter::default());
    let first = summary.totals.first().expect("the demo states amounts");
    let mut browser = site.signed_in("meloni").await;
    let page = browser.get(&site.page("support")).await;
    assert_eq!(page.status, 200);
    let text = page.visible();
    assert!(text.contains("Support by donor"), "{text}");
    assert!(text.contains(first.donor.as_str()), "{text}");
    assert!(text.contains(&first.committed.to_string()), "{text}");
    let csv = browser.get(&site.page("support.csv")).await;
    assert_eq!(csv.status, 200);
    let mut rows = csv::Reader::from_reader(csv.text.as_bytes());
    assert_eq!(
        rows.records().count(),
        summary.totals.len() + summary.ended.len(),
        "{}",
        csv.text
    );
    // The public is sent to sign in, as for every page of a coalition's record.
    assert_ne!(site.browser().get(&site.page("support")).await.status, 200);
}
