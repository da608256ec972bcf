//! End-to-end tests in headless Chromium: the real server, the real wasm app.

use e2e::{Browser, TestServer, eventually, real_content};

/// A librarian types "coding", sees CODE Kids, opens it and reads it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn type_coding_open_code_kids_and_read_it() -> anyhow::Result<()> {
    let server = TestServer::start(&real_content()).await?;
    let browser = Browser::start().await?;
    browser.goto(&server.url("/")).await?;

    let input = browser.find("input#q").await?;
    input.send_keys("coding").await?;
    eventually("the search in the URL", || async {
        Ok(browser.current_url().await?.contains("q=coding").then_some(()))
    })
    .await?;
    browser
        .texts_until(".hit h2", "CODE Kids first", |titles| titles.first().is_some_and(|t| t.contains("CODE Kids")))
        .await?;

    let link = browser.find(".hit h2 a[href='/case/code-kids']").await?;
    link.click().await?;
    let title = browser.text_contains("article.case h1", "CODE Kids").await?;
    assert!(title.contains("CODE Kids"));
    let body = browser.text_contains("article.case .body", "27").await?;
    assert!(body.contains("libraries"), "the case body is shown: {body}");
    assert!(browser.current_url().await?.ends_with("/case/code-kids"));

    browser.close().await
}

/// A case opened in English can be read in Romanian through its language switch, and its theme
/// links lead to a filtered search.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn a_case_switches_to_romanian() -> anyhow::Result<()> {
    let server = TestServer::start(&real_content()).await?;
    let browser = Browser::start().await?;
    browser.goto(&server.url("/case/ora-sa-stim?lang=en")).await?;
    browser.text_contains("article.case h1", "Time to KNOW STEM").await?;

    browser.find(".translations a[hreflang='ro']").await?.click().await?;
    browser.text_contains("article.case .body", "bibliotec").await?;
    let lang = browser.js("return document.querySelector('article.case').getAttribute('lang')").await?;
    assert_eq!(lang, "ro");
    assert!(browser.current_url().await?.ends_with("/case/ora-sa-stim?lang=ro"));

    browser.close().await
}

/// Types a query into the search box and waits until the URL carries it.
async fn search_for(browser: &Browser, text: &str) -> anyhow::Result<()> {
    let input = browser.find("input#q").await?;
    input.clear().await?;
    input.send_keys(text).await?;
    let encoded: String = model::api::SearchParams { q: text.to_owned(), ..Default::default() }.to_query();
    eventually("the query in the URL", || async { Ok(browser.current_url().await?.contains(&encoded).then_some(())) })
        .await?;
    // The results on screen answer this query (not the one before).
    let selector = format!(".results[data-q={}]", serde_json::to_string(text)?);
    browser.find(&selector).await?;
    Ok(())
}

/// Romanian typed without diacritics finds text written with them; Ukrainian finds cases.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn folding_and_cyrillic_in_the_browser() -> anyhow::Result<()> {
    let server = TestServer::start(&real_content()).await?;
    let browser = Browser::start().await?;
    browser.goto(&server.url("/")).await?;

    search_for(&browser, "scoala").await?;
    let titles = browser.texts_until(".hit h2", "Școala", |t| t.iter().any(|t| t.contains("Școala"))).await?;
    assert!(titles.iter().any(|t| t.contains("Școala de Reporteri")), "{titles:?}");
    let marks = browser.texts_until(".hit .snippet mark", "a highlighted word", |t| !t.is_empty()).await?;
    assert!(marks.iter().any(|m| m.to_lowercase().starts_with("școal")), "{marks:?}");

    search_for(&browser, "stiinta").await?;
    browser.texts_until(".hit h2", "Ora să ȘTIM", |t| t.first().is_some_and(|t| t.contains("Ora să ȘTIM"))).await?;

    search_for(&browser, "бібліотека").await?;
    let count = browser.text_contains(".count", "").await?;
    let titles = browser.texts_until(".hit h2", "hits", |t| !t.is_empty()).await?;
    assert!(titles.len() >= 3, "{count}: {titles:?}");
    browser.close().await
}

/// A Ukrainian reader's Romanian query finds a case that also exists in Ukrainian, shown in
/// Ukrainian.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn hits_are_shown_in_the_readers_language() -> anyhow::Result<()> {
    let server = TestServer::start(&real_content()).await?;
    let browser = Browser::start().await?;
    browser.goto(&server.url("/")).await?;
    browser.find("header.site select").await?.select_by_value("uk").await?;
    browser.text_contains("label[for=q]", "Шукати").await?;

    search_for(&browser, "experimente biblioteci rurale").await?;
    let first = browser
        .texts_until(".hit h2", "the case in Ukrainian", |t| t.first().is_some_and(|t| t.contains("Час ЗНАТИ STEM")))
        .await?;
    assert!(first[0].contains("Ora să ȘTIM"), "{first:?}");
    let lang = browser.js("return document.querySelector('.hit').getAttribute('lang')").await?;
    assert_eq!(lang, "uk");
    browser.close().await
}

/// Choosing a facet value gives as many results as its count said; the URL holds the whole
/// search, so reloading restores it and the back button undoes the filter.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn facets_count_true_and_the_url_restores_the_search() -> anyhow::Result<()> {
    let server = TestServer::start(&real_content()).await?;
    let browser = Browser::start().await?;
    browser.goto(&server.url("/")).await?;
    search_for(&browser, "library").await?;
    let total_before = browser.text_contains(".count", "case studies").await?;

    // Moldova's count before choosing it.
    let label = browser.find(".facet[data-facet=country] label[for='f-country-MD']").await?;
    let expected: u64 =
        label.find(fantoccini::Locator::Css(".n")).await?.text().await?.replace([',', '.', '\u{a0}'], "").parse()?;
    label.click().await?;
    eventually("the filter in the URL", || async {
        Ok(browser.current_url().await?.contains("country=MD").then_some(()))
    })
    .await?;
    let count =
        browser.texts_until(".count", "the filtered count", |t| t.first().is_some_and(|t| t != &total_before)).await?;
    let shown = browser.texts_until(".hit h2", "hits", |t| !t.is_empty()).await?;
    let stated: u64 = count[0].chars().filter(char::is_ascii_digit).collect::<String>().parse().unwrap_or(1);
    assert_eq!(stated, expected, "the facet said {expected}, the results say {count:?}");
    assert_eq!(shown.len() as u64, expected.min(10));
    // Counts within the chosen facet are disjunctive: other countries still show what they add.
    let countries = browser.texts_until(".facet[data-facet=country] li", "other countries", |t| t.len() > 1).await?;
    assert!(countries.len() > 1, "{countries:?}");

    // Reload: the same query, filter and results.
    let url = browser.current_url().await?;
    browser.client.refresh().await?;
    browser.texts_until(".count", "the same count", |t| t.first() == count.first()).await?;
    let value = browser.js("return document.querySelector('input#q').value").await?;
    assert_eq!(value, "library");
    let checked = browser.js("return document.getElementById('f-country-MD').checked").await?;
    assert_eq!(checked, true);
    assert_eq!(browser.current_url().await?, url);

    // Back: the search before the filter.
    browser.client.back().await?;
    browser.texts_until(".count", "the unfiltered count", |t| t.first() == Some(&total_before)).await?;
    browser.close().await
}

/// The search and case pages at a phone's and a laptop's size: screenshots for people to look at
/// (in `target/screenshots/`), and no page wider than the screen.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn layouts_fit_phone_and_laptop_screens() -> anyhow::Result<()> {
    let server = TestServer::start(&real_content()).await?;
    let browser = Browser::start().await?;
    let out = e2e::root().join("target/screenshots");
    std::fs::create_dir_all(&out)?;
    for (width, height) in [(360, 640), (1280, 800)] {
        browser.client.set_window_size(width, height).await?;
        for (name, path, ready) in [
            ("search", "/?q=biblioteca", ".hit h2"),
            ("case", "/case/code-kids", "article.case .facts"),
            ("submit", "/submit", "#f-title"),
            ("admin", "/admin", "#token"),
        ] {
            browser.goto(&server.url(path)).await?;
            browser.find(ready).await?;
            let overflow = browser
                .js("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
                .await?;
            assert_eq!(overflow.as_i64(), Some(0), "{name} at {width}x{height} is wider than the screen");
            std::fs::write(out.join(format!("{name}-{width}x{height}.png")), browser.client.screenshot().await?)?;
        }
    }
    browser.close().await
}

/// Pages in a PDF: its `/Type /Page` objects (not `/Pages`).
fn pdf_pages(pdf: &[u8]) -> usize {
    let needle = b"/Type /Page";
    pdf.windows(needle.len() + 1).filter(|w| &w[..needle.len()] == needle && w[needle.len()] != b's').count()
}

/// A librarian opens a case from a search, reads it in Romanian, follows a theme to a filtered
/// search, comes back and prints the case: one or two pages with a QR code back to it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn open_switch_follow_a_theme_and_print() -> anyhow::Result<()> {
    let server = TestServer::start(&real_content()).await?;
    let browser = Browser::start().await?;
    browser.goto(&server.url("/")).await?;
    search_for(&browser, "Time to KNOW STEM").await?;
    browser.find(".hit h2 a[href='/case/ora-sa-stim']").await?.click().await?;
    browser.text_contains("article.case h1", "Time to KNOW STEM").await?;

    browser.find(".translations a[hreflang='ro']").await?.click().await?;
    browser.text_contains("article.case h1", "povești și experimente").await?;
    // The facts speak the reader's interface language (English here), whatever the text's.
    let facts = browser.text_contains(".facts", "77,400 EUR").await?;
    assert!(facts.contains("Deutsche Telekom Stiftung"), "{facts}");

    browser.find(".facts .themes a.chip").await?.click().await?;
    eventually("the theme filter in the URL", || async {
        Ok(browser.current_url().await?.contains("theme=").then_some(()))
    })
    .await?;
    let chips = browser.texts_until(".chips .chip", "the active theme chip", |t| !t.is_empty()).await?;
    assert_eq!(chips.len(), 1, "{chips:?}");
    browser
        .texts_until(".hit h2", "Ora să ȘTIM among the filtered hits", |t| {
            t.iter().any(|t| t.contains("Ora să ȘTIM"))
        })
        .await?;

    browser.client.back().await?;
    browser.text_contains("article.case h1", "povești și experimente").await?;
    eventually("the QR code to load", || async {
        let loaded = browser
            .js("const i = document.querySelector('figure.qr img'); return !!i && i.complete && i.naturalWidth > 0")
            .await?;
        Ok((loaded == true).then_some(()))
    })
    .await?;
    let pdf = browser.client.print(fantoccini::wd::PrintConfiguration::default()).await?;
    let pages = pdf_pages(&pdf);
    assert!((1..=2).contains(&pages), "the printed case has {pages} pages");
    std::fs::create_dir_all(e2e::root().join("target/screenshots"))?;
    std::fs::write(e2e::root().join("target/screenshots/case-print.pdf"), &pdf)?;
    browser.close().await
}
