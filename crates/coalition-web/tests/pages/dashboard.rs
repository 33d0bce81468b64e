//! The dashboard: seats, the heatmap and the timeline with their tables and CSV, the open
//! obligations, the latest entries — all counted as the reader may see them.

use std::collections::BTreeMap;

use crate::support::{Site, heatmap_from_api};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_heatmap_csv_holds_the_numbers_the_api_gives() {
    let site = Site::demo().await;
    for principal in ["macron", "meloni"] {
        let mut browser = site.signed_in(principal).await;
        let csv = browser.get(&site.page("heatmap.csv")).await;
        assert_eq!(csv.status, 200);
        assert!(
            csv.headers["content-type"]
                .to_str()
                .expect("text")
                .starts_with("text/csv")
        );
        let mut from_page = BTreeMap::new();
        for line in csv.text.lines().skip(1) {
            let cells: Vec<&str> = line.split(',').collect();
            from_page.insert(
                (cells[0].to_owned(), cells[1].to_owned()),
                (
                    cells[2].to_owned(),
                    cells[3].parse::<usize>().expect("a count"),
                ),
            );
        }
        assert_eq!(
            from_page,
            heatmap_from_api(&site, principal).await,
            "{principal}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_shows_seats_charts_with_tables_and_the_latest_entries() {
    let site = Site::demo().await;
    let mut browser = site.signed_in("secretariat").await;
    let page = browser.get(&site.page("")).await;
    assert_eq!(page.status, 200);
    let text = page.visible();
    for expected in [
        "Who sits where",
        "Protected state (1) UKR",
        "What each guarantor committed",
        "Coverage year by year",
        "Open obligations",
        "No obligation is open.",
        "Latest entries of your log",
    ] {
        assert!(text.contains(expected), "{expected:?} in {text}");
    }
    assert_eq!(page.text.matches("<svg").count(), 2, "two charts");
    assert!(page.text.contains("role=\"img\""));
    assert!(page.text.contains("<title id=\"heatmap-title\">"));
    assert!(
        page.text.contains("id=\"heatmap-table\"") && page.text.contains("id=\"timeline-table\"")
    );
    // The timeline's table as CSV: one row per category the coverage report names.
    let coverage = site
        .api(
            &format!("/api/coalitions/{}/coverage", site.coalition),
            "secretariat",
        )
        .await;
    let csv = browser.get(&site.page("coverage.csv")).await.text;
    let categories = coverage["categories"].as_array().expect("categories");
    assert_eq!(csv.lines().count(), categories.len() + 1, "{csv}");
    let timeline = coverage["timeline"].as_array().expect("a timeline");
    for (i, category) in categories.iter().enumerate() {
        let name = category["category"].as_str().expect("a name");
        let line = csv.lines().nth(i + 1).expect("a row");
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells[0], name);
        for (year, row) in timeline.iter().enumerate() {
            let expected = row["cover"][name].as_str().unwrap_or("");
            assert_eq!(cells[year + 1], expected, "{name} year {year}");
        }
    }
    // Banner: the dashboard shows TOP SECRET-cleared material to the secretariat, marked.
    assert!(
        page.text.contains("class=\"banner m-secret\"")
            || page.text.contains("class=\"banner m-top-secret\"")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_italian_leader_never_sees_a_secret_item_released_to_fra_gbr_ukr() {
    let site = Site::demo().await;
    let mut meloni = site.signed_in("meloni").await;
    let mut macron = site.signed_in("macron").await;
    let canary = "land contribution to the multinational force from the military hubs";
    let french = macron.get(&site.page("")).await;
    assert!(
        french.visible().contains("GBR"),
        "macron sees Britain's row"
    );
    for rest in ["", "heatmap.csv", "coverage.csv", "obligations.csv"] {
        let page = meloni.get(&site.page(rest)).await;
        assert_eq!(page.status, 200, "{rest}");
        assert!(!page.text.contains(canary), "{rest}");
        assert!(
            !page.text.contains("REL TO FRA, GBR, UKR"),
            "{rest} shows the marking"
        );
        assert!(
            !page.text.contains("force-land"),
            "{rest} counts Britain's land force"
        );
    }
    let heat = macron.get(&site.page("heatmap.csv")).await.text;
    assert!(heat.contains("GBR,force-land"), "{heat}");
}
