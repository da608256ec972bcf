//! End-to-end tests in headless Chromium: the real server, its server-rendered pages and the
//! real wasm islands. Each reader journey runs twice: with JavaScript (the islands awake:
//! results as you type, filters without a reload) and without it (plain HTML: a GET form,
//! links), as on an old phone or behind a proxy that strips scripts.

use e2e::{Browser, TestServer, eventually, real_content};
use std::time::Duration;

/// Puts `text` in the search box and searches: with script, by typing (the island searches
/// after a pause); without, by sending the form. Waits until the URL and the results answer it.
async fn search_for(browser: &Browser, script: bool, text: &str) -> anyhow::Result<()> {
    let input = browser.find("input#q").await?;
    input.clear().await?;
    input.send_keys(text).await?;
    if !script {
        input.send_keys("\u{E007}").await?;
    }
    let encoded: String = model::api::SearchParams { q: text.to_owned(), ..Default::default() }.to_query();
    eventually("the query in the URL", || async { Ok(browser.current_url().await?.contains(&encoded).then_some(())) })
        .await?;
    // The results on screen answer this query (not the one before).
    let selector = format!(".results[data-q={}]", serde_json::to_string(text.trim())?);
    browser.find(&selector).await?;
    Ok(())
}

/// A librarian searches "coding", sees CODE Kids, opens it and reads it.
async fn search_open_and_read(script: bool) -> anyhow::Result<()> {
    let server = TestServer::start(&real_content()).await?;
    let browser = Browser::start_scripted(script).await?;
    browser.goto(&server.url("/")).await?;

    search_for(&browser, script, "coding").await?;
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
    assert!(browser.js("return document.title").await?.as_str().is_some_and(|t| t.starts_with("CODE Kids")));

    browser.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn search_open_and_read_a_case() -> anyhow::Result<()> {
    search_open_and_read(true).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn search_open_and_read_a_case_without_script() -> anyhow::Result<()> {
    search_open_and_read(false).await
}

/// A case opened in English can be read in Romanian through its language switch.
async fn switch_a_case_to_romanian(script: bool) -> anyhow::Result<()> {
    let server = TestServer::start(&real_content()).await?;
    let browser = Browser::start_scripted(script).await?;
    browser.goto(&server.url("/case/ora-sa-stim?lang=en")).await?;
    browser.text_contains("article.case h1", "Time to KNOW STEM").await?;

    browser.find(".translations a[hreflang='ro']").await?.click().await?;
    browser.text_contains("article.case .body", "bibliotec").await?;
    let lang = browser.js("return document.querySelector('article.case').getAttribute('lang')").await?;
    assert_eq!(lang, "ro");
    assert!(browser.current_url().await?.ends_with("/case/ora-sa-stim?lang=ro"));

    browser.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn a_case_switches_to_romanian() -> anyhow::Result<()> {
    switch_a_case_to_romanian(true).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn a_case_switches_to_romanian_without_script() -> anyhow::Result<()> {
    switch_a_case_to_romanian(false).await
}

/// Romanian typed without diacritics finds text written with them; Ukrainian finds cases.
async fn folding_and_cyrillic(script: bool) -> anyhow::Result<()> {
    let server = TestServer::start(&real_content()).await?;
    let browser = Browser::start_scripted(script).await?;
    browser.goto(&server.url("/")).await?;

    search_for(&browser, script, "scoala").await?;
    let titles = browser.texts_until(".hit h2", "Școala", |t| t.iter().any(|t| t.contains("Școala"))).await?;
    assert!(titles.iter().any(|t| t.contains("Școala de Reporteri")), "{titles:?}");
    let marks = browser.texts_until(".hit .snippet mark", "a highlighted word", |t| !t.is_empty()).await?;
    assert!(marks.iter().any(|m| m.to_lowercase().starts_with("școal")), "{marks:?}");

    search_for(&browser, script, "stiinta").await?;
    browser.texts_until(".hit h2", "Ora să ȘTIM", |t| t.first().is_some_and(|t| t.contains("Ora să ȘTIM"))).await?;

    search_for(&browser, script, "бібліотека").await?;
    let count = browser.text_contains(".count", "").await?;
    let titles = browser.texts_until(".hit h2", "hits", |t| !t.is_empty()).await?;
    assert!(titles.len() >= 3, "{count}: {titles:?}");
    browser.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn folding_and_cyrillic_in_the_browser() -> anyhow::Result<()> {
    folding_and_cyrillic(true).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn folding_and_cyrillic_without_script() -> anyhow::Result<()> {
    folding_and_cyrillic(false).await
}

/// A Ukrainian reader's Romanian query finds a case that also exists in Ukrainian, shown in
/// Ukrainian.
async fn hits_in_the_readers_language(script: bool) -> anyhow::Result<()> {
    let server = TestServer::start(&real_content()).await?;
    let browser = Browser::start_scripted(script).await?;
    browser.goto(&server.url("/")).await?;
    browser.find("header.site .language a[hreflang='uk']").await?.click().await?;
    browser.text_contains("label[for=q]", "Шукати").await?;

    search_for(&browser, script, "experimente biblioteci rurale").await?;
    let first = browser
        .texts_until(".hit h2", "the case in Ukrainian", |t| t.first().is_some_and(|t| t.contains("Час ЗНАТИ STEM")))
        .await?;
    assert!(first[0].contains("Ora să ȘTIM"), "{first:?}");
    let lang = browser.js("return document.querySelector('.hit').getAttribute('lang')").await?;
    assert_eq!(lang, "uk");
    browser.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn hits_are_shown_in_the_readers_language() -> anyhow::Result<()> {
    hits_in_the_readers_language(true).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn hits_are_shown_in_the_readers_language_without_script() -> anyhow::Result<()> {
    hits_in_the_readers_language(false).await
}

/// Choosing a facet value gives as many results as its count said; the URL holds the whole
/// search, so reloading restores it and the back button undoes the filter. With script the
/// filter applies at once; without, with the form's "Apply filters".
async fn facets_and_the_url(script: bool) -> anyhow::Result<()> {
    let server = TestServer::start(&real_content()).await?;
    let browser = Browser::start_scripted(script).await?;
    browser.goto(&server.url("/")).await?;
    search_for(&browser, script, "library").await?;
    let total_before = browser.text_contains(".count", "case studies").await?;

    // Moldova's count before choosing it.
    let label = browser.find(".facet[data-facet=country] label[for='f-country-MD']").await?;
    let expected: u64 =
        label.find(fantoccini::Locator::Css(".n")).await?.text().await?.replace([',', '.', '\u{a0}'], "").parse()?;
    label.click().await?;
    if !script {
        browser.find("button.apply").await?.click().await?;
    }
    eventually("the filter in the URL", || async {
        Ok(browser.current_url().await?.contains("country=MD").then_some(()))
    })
    .await?;
    let count =
        // The filtered count: another number (not the one before, nor the blank of a swap in progress).
        browser.texts_until(".count", "the filtered count", |t| {
            t.first().is_some_and(|t| t != &total_before && t.chars().any(|c| c.is_ascii_digit()))
        })
        .await?;
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

    // The chip removes the filter; back brings it again, and back once more the search before it.
    browser.find(".chips a.chip").await?.click().await?;
    browser.texts_until(".count", "the unfiltered count", |t| t.first() == Some(&total_before)).await?;
    browser.client.back().await?;
    browser.texts_until(".count", "the filtered count again", |t| t.first() == count.first()).await?;
    browser.client.back().await?;
    browser.texts_until(".count", "the unfiltered count", |t| t.first() == Some(&total_before)).await?;
    browser.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn facets_count_true_and_the_url_restores_the_search() -> anyhow::Result<()> {
    facets_and_the_url(true).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn facets_count_true_and_the_url_restores_the_search_without_script() -> anyhow::Result<()> {
    facets_and_the_url(false).await
}

/// Sort and pages are links: "newest first" reorders, page 2 shows the next hits.
async fn sort_and_pages(script: bool) -> anyhow::Result<()> {
    let server = TestServer::start(&real_content()).await?;
    let browser = Browser::start_scripted(script).await?;
    browser.goto(&server.url("/?per_page=5")).await?;
    let first_page = browser.texts_until(".hit h2", "five hits", |t| t.len() == 5).await?;
    browser.find(".pagination a[href*='page=2']").await?.click().await?;
    eventually("page 2 in the URL", || async { Ok(browser.current_url().await?.contains("page=2").then_some(())) })
        .await?;
    let second_page =
        browser.texts_until(".hit h2", "the next hits", |t| !t.is_empty() && t.first() != first_page.first()).await?;
    assert!(second_page.iter().all(|t| !first_page.contains(t)), "{first_page:?} then {second_page:?}");
    let start = browser.js("return document.querySelector('ol.hits').getAttribute('start')").await?;
    assert_eq!(start, "6");

    browser.find(".sort a[href*='sort=newest']").await?.click().await?;
    eventually("the order in the URL", || async {
        Ok(browser.current_url().await?.contains("sort=newest").then_some(()))
    })
    .await?;
    browser.texts_until(".sort strong", "newest chosen", |t| t.first().is_some_and(|t| t.contains("newest"))).await?;
    // A new search keeps the order.
    search_for(&browser, script, "library").await?;
    assert!(browser.current_url().await?.contains("sort=newest"), "{}", browser.current_url().await?);
    browser.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn sort_and_pages_are_links() -> anyhow::Result<()> {
    sort_and_pages(true).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn sort_and_pages_are_links_without_script() -> anyhow::Result<()> {
    sort_and_pages(false).await
}

/// The search and case pages at a phone's and a laptop's size: screenshots for people to look at
/// (in `target/screenshots/`), and no page wider than the screen.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn layouts_fit_phone_and_laptop_screens() -> anyhow::Result<()> {
    let server = TestServer::start(&real_content()).await?;
    let out = e2e::root().join("target/screenshots");
    std::fs::create_dir_all(&out)?;
    for script in [true, false] {
        let browser = Browser::start_scripted(script).await?;
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
                let suffix = if script { "" } else { "-no-script" };
                std::fs::write(
                    out.join(format!("{name}-{width}x{height}{suffix}.png")),
                    browser.client.screenshot().await?,
                )?;
            }
        }
        browser.close().await?;
    }
    Ok(())
}

/// Pages in a PDF: its `/Type /Page` objects (not `/Pages`).
fn pdf_pages(pdf: &[u8]) -> usize {
    let needle = b"/Type /Page";
    pdf.windows(needle.len() + 1).filter(|w| &w[..needle.len()] == needle && w[needle.len()] != b's').count()
}

/// A librarian opens a case from a search, reads it in Romanian, follows a theme to a filtered
/// search, comes back and prints the case: one or two pages with a QR code back to it.
async fn open_follow_and_print(script: bool) -> anyhow::Result<()> {
    let server = TestServer::start(&real_content()).await?;
    let browser = Browser::start_scripted(script).await?;
    browser.goto(&server.url("/")).await?;
    search_for(&browser, script, "Time to KNOW STEM").await?;
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
    // The QR code is drawn in the page: nothing is fetched for it on screen.
    let drawn = browser.js("return !!document.querySelector('figure.qr svg path')").await?;
    assert_eq!(drawn, true);
    let fetched =
        browser.js("return performance.getEntriesByType('resource').filter(e => e.name.includes('qr')).length").await?;
    assert_eq!(fetched, 0);
    let pdf = browser.client.print(fantoccini::wd::PrintConfiguration::default()).await?;
    let pages = pdf_pages(&pdf);
    assert!((1..=2).contains(&pages), "the printed case has {pages} pages");
    std::fs::create_dir_all(e2e::root().join("target/screenshots"))?;
    let suffix = if script { "" } else { "-no-script" };
    std::fs::write(e2e::root().join(format!("target/screenshots/case-print{suffix}.pdf")), &pdf)?;
    browser.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn open_switch_follow_a_theme_and_print() -> anyhow::Result<()> {
    open_follow_and_print(true).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn open_switch_follow_a_theme_and_print_without_script() -> anyhow::Result<()> {
    open_follow_and_print(false).await
}

/// The box's words, and whether the results on screen answer `q`.
async fn box_and_results(browser: &Browser, q: &str) -> anyhow::Result<(String, bool)> {
    let value = browser.js("return document.getElementById('q').value").await?.as_str().unwrap_or("").to_owned();
    let selector = format!(".results[data-q={}]", serde_json::to_string(q)?);
    let answered =
        browser.js(&format!("return !!document.querySelector({})", serde_json::to_string(&selector)?)).await?;
    Ok((value, answered == true))
}

/// Waits until the results answer `q` and CODE Kids (which has both words in Romanian) is
/// among them; the box must hold `typed` throughout.
async fn finds_both_words(browser: &Browser, typed: &str, q: &str) -> anyhow::Result<()> {
    eventually("the results for both words", || async {
        let (value, answered) = box_and_results(browser, q).await?;
        assert_eq!(value, typed, "the box changed what was typed");
        Ok(answered.then_some(()))
    })
    .await?;
    let titles = browser.texts_until(".hit h2", "hits for both words", |t| !t.is_empty()).await?;
    assert!(titles.iter().any(|t| t.contains("CODE Kids")), "{titles:?}");
    let (value, _) = box_and_results(browser, q).await?;
    assert_eq!(value, typed);
    Ok(())
}

/// The search box never loses what the reader typed: a pause after the space (the search runs
/// for the first word meanwhile), a keyboard's word suggestion inserted with its space in one
/// input event, and a word composed through an input method.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn the_search_box_keeps_every_space_typed() -> anyhow::Result<()> {
    let server = TestServer::start(&real_content()).await?;
    let browser = Browser::start().await?;

    // Typing at a normal pace, a 300 ms pause after the space.
    browser.goto(&server.url("/")).await?;
    let input = browser.find("input#q").await?;
    input.send_keys("programare ").await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    eventually("the first word searched", || async {
        Ok(box_and_results(&browser, "programare").await?.1.then_some(()))
    })
    .await?;
    assert_eq!(box_and_results(&browser, "programare").await?.0, "programare ");
    input.send_keys("copii").await?;
    finds_both_words(&browser, "programare copii", "programare copii").await?;

    // A suggestion tapped on a phone keyboard: the word and its space in one input event.
    browser.goto(&server.url("/")).await?;
    browser.find("input#q").await?.send_keys("programare ").await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    browser
        .js("const q = document.getElementById('q'); q.focus(); q.setRangeText('copii ', q.value.length, q.value.length, 'end');
             q.dispatchEvent(new InputEvent('input', { inputType: 'insertReplacementText', data: 'copii ', bubbles: true }));")
        .await?;
    finds_both_words(&browser, "programare copii ", "programare copii").await?;

    // An input method: composing, then committing the word.
    browser.goto(&server.url("/")).await?;
    browser.find("input#q").await?.send_keys("programare ").await?;
    browser
        .js("const q = document.getElementById('q'); q.focus();
             q.dispatchEvent(new CompositionEvent('compositionstart', { data: '', bubbles: true }));
             for (const part of ['c', 'co', 'cop', 'copi', 'copii']) {
               q.value = 'programare ' + part;
               q.dispatchEvent(new CompositionEvent('compositionupdate', { data: part, bubbles: true }));
               q.dispatchEvent(new InputEvent('input', { inputType: 'insertCompositionText', data: part, isComposing: true, bubbles: true }));
             }
             q.dispatchEvent(new CompositionEvent('compositionend', { data: 'copii', bubbles: true }));
             q.dispatchEvent(new InputEvent('input', { inputType: 'insertCompositionText', data: 'copii', isComposing: false, bubbles: true }));")
        .await?;
    finds_both_words(&browser, "programare copii", "programare copii").await?;
    browser.close().await
}
