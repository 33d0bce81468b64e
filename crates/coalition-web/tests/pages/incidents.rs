//! Incidents through the forms: report, confirm, see the obligations with their deadlines,
//! settle one; bad input comes back next to its field with what was typed, and writes nothing.

use crate::support::Site;

/// Reports an incident through the form as `principal`; the incident page's path.
async fn report(site: &Site, browser: &mut crate::support::Browser) -> String {
    let form = browser.get(&site.page("incidents")).await;
    assert_eq!(form.status, 200);
    let csrf = form.hidden("csrf");
    let answer = browser
        .post(
            &site.page("incidents"),
            &[
                ("csrf", &csrf),
                ("aggressor", "RUS"),
                ("target", "UKR"),
                ("kind", "armed-attack"),
                ("at", "2026-11-20T03:40"),
                ("location", "Kharkiv oblast"),
                ("description", "missile strike on the power grid"),
                ("classification", "UNCLASSIFIED"),
                ("releasable_to", ""),
            ],
        )
        .await;
    assert_eq!(answer.status, 303, "{}", answer.visible());
    answer.headers["location"]
        .to_str()
        .expect("text")
        .to_owned()
}

/// The monitor confirms the incident at `path` through its form.
async fn confirm_as_monitor(site: &Site, path: &str) {
    let mut monitor = site.signed_in("monitor").await;
    let csrf = monitor.get(path).await.hidden("csrf");
    let confirmed = monitor
        .post(&format!("{path}/confirm"), &[("csrf", &csrf)])
        .await;
    assert_eq!(confirmed.status, 303, "{}", confirmed.visible());
}

/// The first obligation a settle form on this page is for.
fn first_settle_form(page: &crate::support::Page) -> String {
    page.text
        .split("/obligations/")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("a settle form")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_incident_reported_and_confirmed_through_the_forms_opens_obligations_with_deadlines() {
    let site = Site::demo().await;
    let mut zelenskyy = site.signed_in("zelenskyy").await;
    let path = report(&site, &mut zelenskyy).await;
    assert!(path.starts_with(&site.page("incidents/INC-")), "{path}");
    let page = zelenskyy.get(&path).await;
    let text = page.visible();
    assert!(
        text.contains("armed attack") && text.contains("Kharkiv oblast"),
        "{text}"
    );
    assert!(text.contains("reported"), "{text}");
    assert!(
        text.contains("the monitoring mechanism, or the secretariat plus at least 3 members"),
        "{text}"
    );
    assert!(text.contains("No obligation you may read has been opened."));

    confirm_as_monitor(&site, &path).await;

    let after = zelenskyy.get(&path).await;
    let text = after.visible();
    assert!(
        text.contains("verified") && text.contains("Verified: the rule is met."),
        "{text}"
    );
    assert!(text.contains("monitor"), "the confirmation is listed");
    // The obligations, with deadlines counted down from the time of reading.
    assert!(text.contains("consult"), "{text}");
    assert!(
        after.text.contains("<time datetime=\"2026-11-2"),
        "deadlines as times"
    );
    assert!(text.contains(" left") || text.contains(" late"), "{text}");
    // The dashboard lists them too, overdue first.
    let dashboard = zelenskyy.get(&site.page("")).await;
    assert!(!dashboard.visible().contains("No obligation is open."));

    // Fulfilling one through its form.
    let obligation = first_settle_form(&after);
    let mut starmer = site.signed_in("starmer").await;
    let mine = starmer.get(&path).await;
    let ours = mine
        .text
        .contains(&format!("/obligations/{obligation}/settle"));
    assert!(ours, "Britain sees the obligation form");
    let csrf = mine.hidden("csrf");
    let before = site.events().await;
    let settled = starmer
        .post(
            &format!("/c/{}/obligations/{obligation}/settle", site.coalition),
            &[
                ("csrf", &csrf),
                ("obligation", &obligation),
                ("action", "fulfil"),
                ("report", "consultations held in London"),
            ],
        )
        .await;
    assert!(
        settled.status == 303 || settled.status == 400,
        "{}",
        settled.visible()
    );
    if settled.status == 303 {
        assert_eq!(site.events().await, before + 1);
        let done = starmer.get(&path).await.visible();
        assert!(done.contains("fulfilled"), "{done}");
    } else {
        // A rule refused it (not Britain's own obligation): said above the form, nothing written.
        assert!(
            settled.text.contains("class=\"notice\""),
            "{}",
            settled.visible()
        );
        assert_eq!(site.events().await, before);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_report_says_what_is_wrong_next_to_each_field_keeps_the_input_and_writes_nothing() {
    let site = Site::demo().await;
    let mut browser = site.signed_in("zelenskyy").await;
    let form = browser.get(&site.page("incidents")).await;
    let csrf = form.hidden("csrf");
    let before = site.events().await;
    let answer = browser
        .post(
            &site.page("incidents"),
            &[
                ("csrf", &csrf),
                ("aggressor", "russia!"),
                ("target", "UKR"),
                ("kind", "armed-attack"),
                ("at", "yesterday at dawn"),
                ("location", "Kharkiv oblast"),
                ("description", "typed by hand"),
                ("classification", "UNCLASSIFIED"),
                ("releasable_to", "FRA, 12"),
            ],
        )
        .await;
    assert_eq!(answer.status, 400);
    let text = answer.visible();
    assert!(text.contains("“russia!” is not a party code"), "{text}");
    assert!(text.contains("“yesterday at dawn” is not a time"), "{text}");
    assert!(text.contains("“12” is not a party code"), "{text}");
    // Each message sits with its field, which is marked invalid.
    for field in ["aggressor", "at", "releasable_to"] {
        assert!(
            answer
                .text
                .contains(&format!("id=\"e-{field}\" class=\"error\"")),
            "{field}"
        );
        assert!(
            answer
                .text
                .contains(&format!("aria-describedby=\"e-{field}\""))
                || answer.text.contains(&format!(" e-{field}\"")),
            "{field}"
        );
    }
    // What was typed is kept.
    for typed in [
        "value=\"russia!\"",
        "value=\"yesterday at dawn\"",
        "value=\"Kharkiv oblast\"",
        ">typed by hand</textarea>",
        "value=\"FRA, 12\"",
    ] {
        assert!(answer.text.contains(typed), "{typed}");
    }
    assert_eq!(site.events().await, before, "nothing written");

    // A report the rules refuse (occurring after it was reported) is said above the form.
    let refused = browser
        .post(
            &site.page("incidents"),
            &[
                ("csrf", &csrf),
                ("aggressor", "RUS"),
                ("target", "UKR"),
                ("kind", "armed-attack"),
                ("at", "2030-01-01T00:00"),
                ("classification", "UNCLASSIFIED"),
            ],
        )
        .await;
    assert_eq!(refused.status, 400, "{}", refused.visible());
    assert!(
        refused.text.contains("class=\"notice\"") || refused.text.contains("id=\"e-at\""),
        "{}",
        refused.visible()
    );
    assert!(refused.text.contains("value=\"2030-01-01T00:00\""));
    assert_eq!(site.events().await, before, "nothing written");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_settlement_without_a_report_is_refused_next_to_its_field() {
    let site = Site::demo().await;
    let mut zelenskyy = site.signed_in("zelenskyy").await;
    let path = report(&site, &mut zelenskyy).await;
    confirm_as_monitor(&site, &path).await;
    let page = zelenskyy.get(&path).await;
    let obligation = first_settle_form(&page);
    let csrf = page.hidden("csrf");
    let before = site.events().await;
    let answer = zelenskyy
        .post(
            &format!("/c/{}/obligations/{obligation}/settle", site.coalition),
            &[
                ("csrf", &csrf),
                ("obligation", &obligation),
                ("action", "waive"),
                ("report", ""),
            ],
        )
        .await;
    assert_eq!(answer.status, 400);
    assert!(
        answer.text.contains(&format!(
            "id=\"e-r-{obligation}\" class=\"error\">Say what was done, or why."
        )),
        "{}",
        answer.visible()
    );
    assert!(
        answer.text.contains("<option value=\"waive\" selected>"),
        "the choice is kept"
    );
    assert_eq!(site.events().await, before);
}
