//! Signing in and out, sessions, CSRF, the security headers and the language.

use crate::support::Site;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_signs_in_into_a_strict_cookie_and_signing_out_ends_the_session() {
    let site = Site::demo().await;
    let mut browser = site.browser();
    let before = browser.get(&site.page("")).await;
    assert_eq!(before.status, 303, "the dashboard needs a session");
    assert!(
        before.headers["location"]
            .to_str()
            .expect("text")
            .starts_with("/sign-in?back=")
    );

    let answer = browser.sign_in(site.token("meloni")).await;
    assert_eq!(answer.status, 303, "{answer:?}");
    assert_eq!(answer.headers["location"], site.page("").as_str());
    let cookie = answer
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().expect("text").to_owned())
        .find(|c| c.starts_with("coalition_session="))
        .expect("a session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "not over TLS: {cookie}");
    assert!(
        !cookie.contains(site.token("meloni")),
        "the cookie is not the token"
    );

    let dashboard = browser.get(&site.page("")).await;
    assert_eq!(dashboard.status, 200);
    assert!(dashboard.visible().contains("Signed in as meloni"));

    let csrf = dashboard.hidden("csrf");
    let session = browser.cookies["coalition_session"].clone();
    let out = browser.post("/sign-out", &[("csrf", &csrf)]).await;
    assert_eq!(out.status, 303);
    // The old session id no longer works, even if a copy of the cookie was kept.
    browser.cookies.insert("coalition_session".into(), session);
    assert_eq!(browser.get(&site.page("")).await.status, 303);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_tls_the_cookie_is_secure() {
    let site = Site::demo().await;
    let mut browser = site.browser();
    let form = browser
        .send("GET", "/sign-in", &[("x-forwarded-proto", "https")], None)
        .await;
    let csrf = form.hidden("csrf");
    let body =
        serde_urlencoded::to_string([("csrf", csrf.as_str()), ("token", site.token("macron"))])
            .expect("a form");
    let answer = browser
        .send(
            "POST",
            "/sign-in",
            &[
                ("x-forwarded-proto", "https"),
                ("content-type", "application/x-www-form-urlencoded"),
            ],
            Some(body),
        )
        .await;
    assert_eq!(answer.status, 303, "{answer:?}");
    let cookie = answer.headers["set-cookie"].to_str().expect("text");
    assert!(cookie.contains("; Secure"), "{cookie}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_token_is_refused_next_to_the_field_and_never_echoed() {
    let site = Site::demo().await;
    let mut browser = site.browser();
    let answer = browser.sign_in("coalition_not-a-token").await;
    assert_eq!(answer.status, 401);
    assert!(
        answer
            .visible()
            .contains("This token is unknown, revoked or expired.")
    );
    assert!(answer.text.contains("aria-invalid=\"true\""));
    assert!(!answer.text.contains("coalition_not-a-token"));
    assert!(!browser.cookies.contains_key("coalition_session"));
    let empty = browser.sign_in("").await;
    assert!(empty.visible().contains("Enter your token."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_without_the_session_csrf_token_is_refused() {
    let site = Site::demo().await;
    let mut browser = site.signed_in("secretariat").await;
    let refused = browser.post("/sign-out", &[("csrf", "forged")]).await;
    assert_eq!(refused.status, 403);
    assert!(refused.visible().contains("did not come from your session"));
    // Still signed in.
    assert_eq!(browser.get(&site.page("")).await.status, 200);

    // The sign-in form checks its own double-submit token.
    let mut fresh = site.browser();
    let forged = fresh
        .post(
            "/sign-in",
            &[("csrf", "x"), ("token", site.token("macron"))],
        )
        .await;
    assert_eq!(forged.status, 403);
    assert!(!fresh.cookies.contains_key("coalition_session"));

    // Another origin is refused even with the right token.
    let dashboard = browser.get(&site.page("")).await;
    let csrf = dashboard.hidden("csrf");
    let body = serde_urlencoded::to_string([("csrf", csrf.as_str())]).expect("a form");
    let cross = browser
        .send(
            "POST",
            "/sign-out",
            &[
                ("origin", "https://evil.example"),
                ("content-type", "application/x-www-form-urlencoded"),
            ],
            Some(body),
        )
        .await;
    assert_eq!(cross.status, 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_token_ends_its_session() {
    let site = Site::demo().await;
    let mut browser = site.signed_in("tusk").await;
    assert_eq!(browser.get(&site.page("")).await.status, 200);
    let token = site
        .app
        .tokens(&site.coalition)
        .expect("tokens")
        .into_iter()
        .find(|t| t.principal.as_str() == "tusk")
        .expect("tusk's token");
    site.app
        .revoke_token(&site.coalition, &token.id)
        .await
        .expect("revoked");
    assert_eq!(browser.get(&site.page("")).await.status, 303);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answer_forbids_inline_scripts_and_other_origins() {
    let site = Site::demo().await;
    let mut browser = site.browser();
    for path in [
        "/",
        "/sign-in",
        &site.page("public"),
        "/no-such-page",
        "/api/coalitions",
    ] {
        let page = browser.get(path).await;
        let policy = page.headers["content-security-policy"]
            .to_str()
            .expect("text");
        assert!(policy.contains("script-src 'self'"), "{path}: {policy}");
        assert!(policy.contains("default-src 'none'"), "{path}: {policy}");
        assert!(!policy.contains("unsafe-inline"), "{path}: {policy}");
        assert_eq!(page.headers["x-frame-options"], "DENY");
        if page.headers["content-type"]
            .to_str()
            .expect("text")
            .starts_with("text/html")
        {
            assert!(
                !page.text.contains("<script>"),
                "{path} has an inline script"
            );
            assert!(
                !page.text.contains(" style=\""),
                "{path} has an inline style"
            );
            for outside in ["src=\"http", "href=\"http", "src=\"//", "href=\"//"] {
                assert!(
                    !page.text.contains(outside),
                    "{path} loads from another origin"
                );
            }
        }
    }
    // The API keeps its JSON errors; a page that does not exist is a page.
    assert!(
        browser
            .get("/api/nope")
            .await
            .text
            .contains("route.unknown")
    );
    let missing = browser.get("/no-such-page").await;
    assert_eq!(missing.status, 404);
    assert!(missing.visible().contains("Not found"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_comes_from_accept_language_or_the_switch() {
    let site = Site::demo().await;
    let mut browser = site.browser();
    browser.language = Some("fr-FR,fr;q=0.9".into());
    let page = browser.get(&site.page("public")).await;
    assert!(page.text.contains("<html lang=\"fr\">"));
    assert!(
        page.visible().contains("Déclarations adoptées"),
        "{}",
        page.visible()
    );
    browser.language = None;
    let english = browser.get(&site.page("public")).await;
    assert!(english.visible().contains("Adopted statements"));
    let switched = browser
        .get(&format!("/lang/fr?back={}", site.page("public")))
        .await;
    assert_eq!(switched.status, 303);
    assert_eq!(switched.headers["location"], site.page("public").as_str());
    let french = browser.get(&site.page("public")).await;
    assert!(french.visible().contains("Face publique"));
    assert!(!french.text.contains("⟦missing⟧"));
    // The switch never sends anyone to another site.
    let away = browser.get("/lang/en?back=//evil.example/").await;
    assert_eq!(away.headers["location"], "/");
}
