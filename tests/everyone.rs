//! Every librarian's app: accessibility checked by axe-core on every page, a saved case read with
//! the network cut off, the interface language from the browser and remembered, the keyboard
//! alone, and the size of the first load.

use e2e::{ADMIN_TOKEN, Browser, TestServer, eventually, real_content};

fn report(violations: &[serde_json::Value]) -> String {
    violations
        .iter()
        .map(|v| format!("{} ({}): {} at {}", v["id"], v["impact"], v["help"], v["nodes"]))
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn axe_finds_no_violations_on_any_page() -> anyhow::Result<()> {
    let server = TestServer::start(&real_content()).await?;
    let browser = Browser::start().await?;
    let mut found = Vec::new();
    for (path, ready) in [
        ("/?q=biblioteca", ".hit h2"),
        ("/case/ora-sa-stim", "article.case .facts"),
        ("/submit", "#f-title"),
        ("/admin", "#token"),
    ] {
        browser.goto(&server.url(path)).await?;
        browser.find(ready).await?;
        let violations = browser.axe_violations().await?;
        if !violations.is_empty() {
            found.push(format!("{path}:\n{}", report(&violations)));
        }
    }
    // The review itself, signed in, with a submission open.
    let client = e2e::http::client();
    let submission = std::fs::read_to_string(e2e::root().join("tests/fixtures/submission.json"))?;
    let (status, body) = e2e::http::send(
        &client,
        "POST",
        &server.url("/api/submissions"),
        &[("content-type", "application/json")],
        Some(submission.into_bytes()),
    )
    .await?;
    assert_eq!(status, 201, "{}", String::from_utf8_lossy(&body));
    browser.goto(&server.url("/admin")).await?;
    browser.find("#token").await?.send_keys(ADMIN_TOKEN).await?;
    browser.find(".sign-in button").await?.click().await?;
    browser.find(".queue tbody tr button").await?.click().await?;
    browser.find(".preview .body").await?;
    let violations = browser.axe_violations().await?;
    if !violations.is_empty() {
        found.push(format!("/admin (review):\n{}", report(&violations)));
    }
    assert!(found.is_empty(), "{}", found.join("\n\n"));
    browser.close().await
}

/// A case saved for offline reading opens with the network cut off and the server gone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn a_saved_case_is_readable_offline() -> anyhow::Result<()> {
    let mut server = TestServer::start(&real_content()).await?;
    let browser = Browser::start().await?;
    browser.goto(&server.url("/case/third-space-of-the-community")).await?;
    browser.text_contains("article.case h1", "third space").await?;
    // The service worker is registered a few seconds after start and takes over the page.
    eventually("the service worker in control", || async {
        let controlled = browser.js("return !!(navigator.serviceWorker && navigator.serviceWorker.controller)").await?;
        Ok((controlled == true).then_some(()))
    })
    .await?;
    browser.find("button.save").await?.click().await?;
    browser.text_contains(".actions [role=status]", "Saved on this device").await?;

    browser.set_offline(true).await?;
    server.stop().await;
    browser.client.refresh().await?;
    let title = browser.text_contains("article.case h1", "third space").await?;
    let body = browser.text_contains("article.case .body", "democracy").await?;
    assert!(!title.is_empty() && !body.is_empty());
    browser.text_contains(".offline-banner", "offline").await?;
    // Its other language was saved too.
    browser.find(".translations a[hreflang='uk']").await?.click().await?;
    browser.text_contains("article.case h1", "Третій простір").await?;
    browser.close().await
}

/// The interface speaks the browser's language on a first visit, switches on request, and
/// remembers the choice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn the_interface_language_follows_the_browser_and_the_reader() -> anyhow::Result<()> {
    let server = TestServer::start(&real_content()).await?;
    let browser = Browser::start_in("uk").await?;
    browser.goto(&server.url("/")).await?;
    browser.text_contains("label[for=q]", "Шукати кейси").await?;
    assert_eq!(browser.js("return document.documentElement.lang").await?, "uk");

    browser.find("header.site select").await?.select_by_value("ro").await?;
    browser.text_contains("label[for=q]", "Caută studii de caz").await?;
    browser.client.refresh().await?;
    browser.text_contains("label[for=q]", "Caută studii de caz").await?;
    // Dates and sums in Romanian.
    browser.goto(&server.url("/case/code-kids")).await?;
    let facts = browser.text_contains(".facts", "885.000 USD").await?;
    assert!(facts.contains("ianuarie 2018 – decembrie 2023"), "{facts}");
    browser.close().await
}

/// The keyboard alone: "/" to the search box, type, tab to a result, open it; the focus lands
/// on the new page's heading.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn search_and_open_with_the_keyboard_alone() -> anyhow::Result<()> {
    let server = TestServer::start(&real_content()).await?;
    let browser = Browser::start().await?;
    browser.goto(&server.url("/case/code-kids")).await?;
    browser.find("article.case h1").await?;
    let body = browser.find("body").await?;
    body.send_keys("/").await?;
    assert_eq!(
        browser.js("return document.activeElement && document.activeElement.id").await?,
        "",
        "no search box on a case page"
    );
    browser.goto(&server.url("/")).await?;
    browser.find(".hit h2").await?;
    browser.find("body").await?.send_keys("/").await?;
    eventually("the search box focused", || async {
        Ok((browser.js("return document.activeElement.id").await? == "q").then_some(()))
    })
    .await?;
    browser.client.active_element().await?.send_keys("stiinta").await?;
    browser.find(".results[data-q=\"stiinta\"]").await?;
    // Focus the first result's link the way Tab would reach it, and press Enter.
    browser.js("document.querySelector('.hit h2 a').focus()").await?;
    browser.client.active_element().await?.send_keys("\u{E007}").await?;
    browser.text_contains("article.case h1", "Ora să ȘTIM").await?;
    eventually("the focus on the heading", || async {
        Ok((browser.js("return document.activeElement.tagName").await? == "H1").then_some(()))
    })
    .await?;
    browser.close().await
}

/// What a reader's first visit downloads before the first results: the HTML, CSS, JS and wasm
/// in at most five requests (the search itself and the icon come besides).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn the_first_load_takes_at_most_five_requests() -> anyhow::Result<()> {
    let server = TestServer::start(&real_content()).await?;
    let browser = Browser::start().await?;
    browser.goto(&server.url("/?q=biblioteca")).await?;
    browser.find(".hit h2").await?;
    let entries = browser
        .js("const nav = performance.getEntriesByType('navigation')[0]; const first = document.querySelector('.hit h2') ? performance.now() : 0; return [nav, ...performance.getEntriesByType('resource')].filter(e => e.startTime <= first).map(e => [e.name, e.transferSize, e.encodedBodySize, e.decodedBodySize])")
        .await?;
    let entries = entries.as_array().cloned().unwrap_or_default();
    let transferred: u64 = entries.iter().map(|e| e[1].as_u64().unwrap_or(0)).sum();
    let decoded: u64 = entries.iter().map(|e| e[3].as_u64().unwrap_or(0)).sum();
    println!("first load: {} requests, {transferred} bytes transferred ({decoded} decoded)", entries.len());
    for e in &entries {
        println!("  {} {} bytes", e[0], e[1]);
    }
    let app_files = entries.iter().filter(|e| {
        let name = e[0].as_str().unwrap_or("");
        !name.contains("/api/") && !name.ends_with(".svg")
    });
    assert!(app_files.count() <= 5, "{entries:#?}");
    browser.close().await
}

/// The pages work under the server's content security policy: nothing they load or run is
/// refused by it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn nothing_breaks_the_content_security_policy() -> anyhow::Result<()> {
    let server = TestServer::start(&real_content()).await?;
    let browser = Browser::start().await?;
    let recorder = "window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));";
    browser.cdp("Page.enable", serde_json::json!({})).await?;
    browser.cdp("Page.addScriptToEvaluateOnNewDocument", serde_json::json!({ "source": recorder })).await?;
    for (path, ready) in [
        ("/?q=biblioteca", ".hit h2"),
        ("/case/ora-sa-stim", "figure.qr img"),
        ("/submit", "#f-title"),
        ("/admin", "#token"),
    ] {
        browser.goto(&server.url(path)).await?;
        browser.find(ready).await?;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let violations = browser.js("return window.__csp").await?;
        assert_eq!(violations, serde_json::json!([]), "{path}");
    }
    browser.close().await
}
