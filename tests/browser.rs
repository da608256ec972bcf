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
