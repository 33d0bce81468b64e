//! The gate on every page: an item the reader may not see is the same 404 as a missing one,
//! and a crawl of every page as the public and as every demo principal finds every link
//! resolving and no item above the reader's clearance.

use std::collections::{BTreeSet, VecDeque};

use coalition_app::views::CommitmentFilter;
use coalition_app::{Reading, Who};
use coalition_core::id::PrincipalId;

use crate::support::{Browser, Site};

/// The words of every commitment the reader may not read.
async fn hidden_from(site: &Site, who: Who) -> Vec<(String, String)> {
    let all = site
        .app
        .read(&site.coalition, &Reading::custodian())
        .await
        .expect("read")
        .commitments(&CommitmentFilter::default());
    let seen: Vec<String> = site
        .app
        .read(&site.coalition, &Reading::by(who))
        .await
        .expect("read")
        .commitments(&CommitmentFilter::default())
        .into_iter()
        .map(|c| c.commitment.id.to_string())
        .collect();
    all.into_iter()
        .filter(|c| !seen.contains(&c.commitment.id.to_string()))
        .map(|c| (c.commitment.id.to_string(), c.commitment.what.clone()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_for_an_item_the_reader_may_not_see_is_the_same_404_as_for_a_missing_one() {
    let site = Site::demo().await;
    let mut meloni = site.signed_in("meloni").await;
    let hidden = hidden_from(
        &site,
        Who::Principal(PrincipalId::parse("meloni").expect("an id")),
    )
    .await;
    assert!(
        hidden.iter().any(|(id, _)| id == "paris-gbr-force-land"),
        "{hidden:?}"
    );
    let missing = meloni
        .get(&site.page("commitments/no-such-commitment"))
        .await;
    assert_eq!(missing.status, 404);
    for (id, _) in &hidden {
        let page = meloni.get(&site.page(&format!("commitments/{id}"))).await;
        assert_eq!(page.status, 404, "{id}");
        assert_eq!(
            page.text, missing.text,
            "{id} answers exactly as a missing one"
        );
        assert!(!page.text.contains(id.as_str()));
    }
    let other = meloni.get(&site.page("incidents/INC-AAAAAAAA")).await;
    assert_eq!(other.status, 404);
    assert_eq!(other.text, missing.text);
}

/// Every page reachable from `start` through links on this site, with what it said.
async fn crawl(site: &Site, browser: &mut Browser, start: &[String]) -> Vec<(String, u16, String)> {
    let mut queue: VecDeque<String> = start.iter().cloned().collect();
    let mut seen: BTreeSet<String> = queue.iter().cloned().collect();
    let mut pages = Vec::new();
    while let Some(path) = queue.pop_front() {
        let page = browser.get(&path).await;
        let html = page
            .headers
            .get("content-type")
            .is_some_and(|t| t.to_str().unwrap_or("").starts_with("text/html"));
        if html {
            for link in page.text.split("href=\"").skip(1) {
                let target = link.split('"').next().unwrap_or("").replace("&amp;", "&");
                let target = target.split('#').next().unwrap_or("").to_owned();
                // Stay on the page family of this coalition; never follow sign-out or the switch.
                if target.starts_with(&format!("/c/{}", site.coalition))
                    && !seen.contains(&target)
                    && seen.len() < 400
                {
                    seen.insert(target.clone());
                    queue.push_back(target);
                }
            }
        }
        pages.push((path, page.status, page.text));
    }
    pages
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crawl_as_the_public_and_as_every_principal_finds_every_link_and_nothing_above_clearance()
{
    let site = Site::demo().await;
    let custodian = site
        .app
        .read(&site.coalition, &Reading::custodian())
        .await
        .expect("read");
    let principals: Vec<String> = custodian
        .principals()
        .into_iter()
        .map(|p| p.id.to_string())
        .collect();
    let mut readers: Vec<Option<String>> = vec![None];
    // Every principal would take long: a SECRET-cleared leader outside REL TO FRA, GBR, UKR,
    // a TOP SECRET one inside it and a partner's envoy cover the demo's clearances and lists.
    for p in ["meloni", "macron", "witkoff"] {
        assert!(principals.contains(&p.to_owned()));
        readers.push(Some(p.to_owned()));
    }
    for reader in readers {
        let (mut browser, who) = match &reader {
            Some(p) => (
                site.signed_in(p).await,
                Who::Principal(PrincipalId::parse(p).expect("an id")),
            ),
            None => (site.browser(), Who::Public),
        };
        let hidden = hidden_from(&site, who).await;
        let start = vec![site.page(if reader.is_some() { "" } else { "public" })];
        let pages = crawl(&site, &mut browser, &start).await;
        assert!(
            pages.len() > if reader.is_some() { 20 } else { 0 },
            "{reader:?}: {} pages",
            pages.len()
        );
        for (path, status, text) in &pages {
            assert!(
                *status == 200 || *status == 303,
                "{reader:?}: {path} answered {status}"
            );
            for (id, what) in &hidden {
                assert!(
                    !text.contains(what.as_str()),
                    "{reader:?}: {path} shows {id}"
                );
                assert!(
                    !text.contains(&format!("/commitments/{id}\"")),
                    "{reader:?}: {path} links {id}"
                );
            }
        }
    }
}
