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
    let mut found = Vec::new();
    // Every page as it arrives (no script of its own) and awake.
    for script in [false, true] {
        let browser = Browser::start().await?;
        if !script {
            browser.block_page_scripts().await?;
        }
        for (path, ready) in [
            ("/", ".hit h2"),
            ("/?q=biblioteca", ".hit h2"),
            ("/?q=zzqqxxj", ".results .empty"),
            ("/case/ora-sa-stim", "article.case .facts"),
            ("/case/ora-sa-stim?lang=uk", "article.case .facts"),
            ("/submit", "#f-title"),
            ("/admin", "#token"),
            ("/offline", "section.offline"),
            ("/overview", "article.overview .map svg"),
            ("/no/such/page", "section.empty"),
        ] {
            browser.goto(&server.url(path)).await?;
            browser.find(ready).await?;
            let violations = browser.axe_violations().await?;
            if !violations.is_empty() {
                let how = if script { "" } else { " without script" };
                found.push(format!("{path}{how}:\n{}", report(&violations)));
            }
        }
        browser.close().await?;
    }
    let browser = Browser::start().await?;
    // The review itself, signed in, with a submission open.
    e2e::http::submit_fixture(&server.url("")).await?;
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
    browser.service_worker_in_control().await?;
    browser.find("button.save").await?.click().await?;
    browser.text_contains(".actions [role=status]", "Saved on this device").await?;

    server.stop().await;
    browser.reload_offline().await?;
    let title = browser.text_contains("article.case h1", "third space").await?;
    let body = browser.text_contains("article.case .body", "democracy").await?;
    assert!(!title.is_empty() && !body.is_empty());
    browser.text_contains(".offline-banner", "offline").await?;
    // Its other language was saved too.
    browser.find(".translations a[hreflang='uk']").await?.click().await?;
    browser.text_contains("article.case h1", "Третій простір").await?;
    browser.close().await
}

/// When requests fail while the browser still says it is online (a dead connection behind a
/// live Wi-Fi), a page not kept shows the offline page in the reader's language, listing the
/// cases read and those saved; a case removed there is gone from the device.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn with_requests_failing_the_offline_page_lists_the_cases_read_and_saved() -> anyhow::Result<()> {
    let mut server = TestServer::start(&real_content()).await?;
    let browser = Browser::start_in("ro").await?;
    browser.goto(&server.url("/case/third-space-of-the-community")).await?;
    browser.service_worker_in_control().await?;
    browser.find("button.save").await?.click().await?;
    browser.text_contains(".actions [role=status]", "Salvat").await?;
    // Another case, only read.
    browser.goto(&server.url("/case/code-kids")).await?;
    browser.text_contains("article.case h1", "CODE Kids").await?;

    server.stop().await;
    assert_eq!(browser.js("return navigator.onLine").await?, true, "the browser still says it is online");
    browser.goto(&server.url("/?q=never-searched")).await?;
    browser.text_contains(".offline h1", "offline").await?;
    let slugs = || async {
        let slugs = browser
            .js("return [...document.querySelectorAll('.saved-cases li')].map(li => li.dataset.slug).sort().join(' ')")
            .await?;
        anyhow::Ok(slugs.as_str().unwrap_or_default().to_owned())
    };
    eventually("the cases read and saved", || async {
        Ok((slugs().await? == "code-kids third-space-of-the-community").then_some(()))
    })
    .await?;
    let heading = browser.text_contains(".saved-cases h2", "").await?;
    assert_eq!(heading, "Studii de caz pe acest dispozitiv");
    let read = browser.text_contains(".saved-cases li[data-slug='code-kids'] a", "CODE Kids").await?;
    assert!(read.contains("copiii programează"), "the title as it was read, in Romanian: {read}");

    browser.find(".saved-cases li[data-slug='code-kids'] button.remove").await?.click().await?;
    eventually("the removed case gone from the list", || async {
        Ok((slugs().await? == "third-space-of-the-community").then_some(()))
    })
    .await?;
    browser.goto(&server.url("/case/code-kids")).await?;
    browser.text_contains(".offline h1", "offline").await?;
    browser.goto(&server.url("/case/third-space-of-the-community")).await?;
    browser.text_contains("article.case .body", "").await?;
    browser.close().await
}

/// The interface speaks the browser's language on a first visit, switches on request (a link),
/// and remembers the choice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn the_interface_language_follows_the_browser_and_the_reader() -> anyhow::Result<()> {
    interface_language(true).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn the_interface_language_follows_the_browser_and_the_reader_without_script() -> anyhow::Result<()> {
    interface_language(false).await
}

async fn interface_language(script: bool) -> anyhow::Result<()> {
    let server = TestServer::start(&real_content()).await?;
    let browser = Browser::start_in_scripted("uk", script).await?;
    browser.goto(&server.url("/")).await?;
    browser.text_contains("label[for=q]", "Шукати кейси").await?;
    assert_eq!(browser.js("return document.documentElement.lang").await?, "uk");

    browser.find("header.site .language a[hreflang='ro']").await?.click().await?;
    browser.text_contains("label[for=q]", "Caută studii de caz").await?;
    assert_eq!(browser.js("return document.documentElement.lang").await?, "ro");
    browser.client.refresh().await?;
    browser.text_contains("label[for=q]", "Caută studii de caz").await?;
    // Dates and sums in Romanian.
    browser.goto(&server.url("/case/code-kids")).await?;
    let facts = browser.text_contains(".facts", "885.000 USD").await?;
    assert!(facts.contains("ianuarie 2018 – decembrie 2023"), "{facts}");
    browser.close().await
}

/// The keyboard alone: "/" to the search box, type, tab to a result, open it; the new page
/// starts at its beginning, with its own title.
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
    // A page load: the browser starts the reader at the top of the new page, which announces
    // its title.
    assert_eq!(browser.js("return document.activeElement.tagName").await?, "BODY");
    assert!(browser.js("return document.title").await?.as_str().is_some_and(|t| t.contains("Ora să ȘTIM")));
    browser.close().await
}

/// A reader's first visit on a slow link (150 ms, 400 kbit/s): the results come in the page's
/// HTML, so they paint once the HTML and the stylesheet are in; the wasm is asked for only after
/// both have arrived, and the page has painted long before it has come.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn the_first_results_paint_before_any_wasm_loads() -> anyhow::Result<()> {
    let server = TestServer::start(&real_content()).await?;
    let browser = Browser::start().await?;
    browser.cdp("Network.enable", serde_json::json!({})).await?;
    let slow = serde_json::json!({ "offline": false, "latency": 150, "downloadThroughput": 50_000, "uploadThroughput": 50_000 });
    browser.cdp("Network.emulateNetworkConditions", slow).await?;
    browser.goto(&server.url("/?q=biblioteca")).await?;
    browser.find(".hit h2").await?;
    let timings = eventually("the islands' wasm to load", || async {
        let found = browser
            .js("const paint = performance.getEntriesByName('first-contentful-paint')[0];
                 const wasm = performance.getEntriesByType('resource').find(e => e.name.endsWith('.wasm') && e.responseEnd > 0);
                 if (!paint || !wasm) return null;
                 const nav = performance.getEntriesByType('navigation')[0];
                 const css = performance.getEntriesByType('resource').find(e => e.name.endsWith('.css'));
                 const before = [nav, ...performance.getEntriesByType('resource')].filter(e => e.startTime <= paint.startTime);
                 return { paint: paint.startTime, html: nav.responseEnd, css: css.responseEnd, wasm_asked: wasm.startTime, wasm_in: wasm.responseEnd,
                          before: before.map(e => [e.name, e.transferSize]) };")
            .await?;
        Ok((!found.is_null()).then_some(found))
    })
    .await?;
    let ms = |name: &str| timings[name].as_f64().unwrap_or(f64::NAN);
    println!(
        "HTML in at {:.0} ms, stylesheet at {:.0} ms, first paint at {:.0} ms; the wasm asked for at {:.0} ms, in at {:.0} ms",
        ms("html"),
        ms("css"),
        ms("paint"),
        ms("wasm_asked"),
        ms("wasm_in")
    );
    for entry in timings["before"].as_array().into_iter().flatten() {
        println!("  before the first paint: {} ({} bytes)", entry[0], entry[1]);
    }
    assert!(ms("wasm_asked") >= ms("html") && ms("wasm_asked") >= ms("css"), "{timings}");
    assert!(ms("paint") < ms("wasm_in"), "{timings}");
    browser.set_offline(false).await?;
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
        ("/case/ora-sa-stim", "figure.qr svg"),
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
