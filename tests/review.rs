//! Contributors and maintainers in a real browser: a case submitted in Ukrainian through the
//! form, approved in the review page, found by a librarian seconds later while searches keep
//! running; drafts that survive a reload; hostile text that never runs.

use e2e::{ADMIN_TOKEN, Browser, TestServer, eventually, http, real_content};
use fantoccini::Locator;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

async fn fill(browser: &Browser, id: &str, text: &str) -> anyhow::Result<()> {
    let field = browser.find(&format!("#{id}")).await?;
    field.clear().await?;
    field.send_keys(text).await?;
    Ok(())
}

async fn choose(browser: &Browser, id: &str, value: &str) -> anyhow::Result<()> {
    browser.find(&format!("#{id}")).await?.select_by_value(value).await?;
    Ok(())
}

/// Searches in a loop over HTTP until stopped; counts answers and failures.
fn search_stream(base: String) -> (Arc<AtomicBool>, Arc<AtomicUsize>, Arc<AtomicUsize>, tokio::task::JoinHandle<()>) {
    let (stop, ok, failed) =
        (Arc::new(AtomicBool::new(false)), Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let handle = tokio::spawn({
        let (stop, ok, failed) = (stop.clone(), ok.clone(), failed.clone());
        async move {
            let client = http::client();
            let queries = ["biblioteca", "бібліотека", "coding", "programare", "громадянство", "stiinta"];
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                let url = format!("{base}/api/search?q={}", queries[n % queries.len()]);
                match http::send(&client, "GET", &url, &[], None).await {
                    Ok((200, _)) => ok.fetch_add(1, Ordering::Relaxed),
                    _ => failed.fetch_add(1, Ordering::Relaxed),
                };
                n += 1;
            }
        }
    });
    (stop, ok, failed, handle)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn submitted_in_ukrainian_approved_and_found_while_searches_run() -> anyhow::Result<()> {
    let server = TestServer::start(&real_content()).await?;
    let (stop, ok, failed, stream) = search_stream(format!("http://{}", server.addr));
    let browser = Browser::start().await?;

    // A contributor: first an empty send, which the browser refuses field by field.
    browser.goto(&server.url("/submit")).await?;
    browser.find("#f-title").await?;
    browser.find("button.primary[type=submit]").await?.click().await?;
    eventually("the title marked invalid", || async {
        Ok((browser.js("return document.getElementById('f-title').getAttribute('aria-invalid')").await? == "true")
            .then_some(()))
    })
    .await?;
    let focused = browser.js("return document.activeElement.id").await?;
    assert_eq!(focused, "f-title", "the focus moves to the first problem");
    let title_error = browser.text_contains("#f-title-error", "").await?;
    assert!(!title_error.is_empty());

    // Then the real thing, in Ukrainian.
    choose(&browser, "f-lang", "uk").await?;
    fill(&browser, "f-title", "Клуб робототехніки в сільській бібліотеці Рівненщини").await?;
    fill(&browser, "f-summary", "Діти з трьох сіл щосуботи збирають і програмують роботів у сільській бібліотеці.")
        .await?;
    choose(&browser, "f-countries-0", "UA").await?;
    fill(&browser, "f-lead_organisation-name", "Сільська публічна бібліотека").await?;
    choose(&browser, "f-lead_organisation-type", "public-library").await?;
    fill(&browser, "f-period-start", "2025").await?;
    browser.find("#f-themes-stem").await?.click().await?;
    fill(&browser, "f-sections-context", "У громаді не було жодного гуртка техніки для дітей.").await?;
    fill(
        &browser,
        "f-sections-what_was_done",
        "Бібліотекарка відкрила клуб робототехніки: діти збирають роботів і вчаться їх програмувати.",
    )
    .await?;
    fill(&browser, "f-contact-name", "Олена Коваль").await?;
    fill(&browser, "f-contact-email", "olena@library.ua").await?;

    // The draft is saved as it is typed: a reload brings it back.
    browser.client.refresh().await?;
    browser.text_contains(".notice", "").await?;
    eventually("the restored title", || async {
        let value = browser.js("const e = document.getElementById('f-title'); return e ? e.value : ''").await?;
        Ok(value.as_str().is_some_and(|v| v.contains("робототехніки")).then_some(()))
    })
    .await?;

    browser.find("button.primary[type=submit]").await?.click().await?;
    let reference = browser.text_contains(".confirmation .reference", "-").await?;
    assert!(server::submissions::is_id(reference.trim()), "{reference}");
    let status_link =
        browser.js("return document.querySelector('.confirmation .status-link a').getAttribute('href')").await?;
    let status_link = status_link.as_str().unwrap_or_default().to_owned();
    assert!(status_link.starts_with("/status/"), "the confirmation gives a private status link: {status_link}");
    let draft = browser.js("return localStorage.getItem('submission-draft')").await?;
    assert!(draft.is_null(), "the draft is cleared once the server confirmed: {draft}");

    // A maintainer, on a 360 px phone, signs in, opens it, reads every field and approves it.
    browser
        .cdp(
            "Emulation.setDeviceMetricsOverride",
            serde_json::json!({ "width": 360, "height": 740, "deviceScaleFactor": 2, "mobile": true }),
        )
        .await?;
    let no_sideways_scroll = || async {
        let widths = browser.js("return [document.documentElement.scrollWidth, window.innerWidth]").await?;
        assert!(widths[0].as_u64() <= widths[1].as_u64(), "the page scrolls sideways at 360 px: {widths}");
        anyhow::Ok(())
    };
    browser.goto(&server.url("/admin")).await?;
    fill(&browser, "token", "not-the-token").await?;
    browser.find(".sign-in button").await?.click().await?;
    let wrong = browser.text_contains(".sign-in .error", "").await?;
    assert!(!wrong.contains("token is wrong"), "the refusal is in the interface language, not the server's: {wrong}");
    fill(&browser, "token", ADMIN_TOKEN).await?;
    browser.find(".sign-in button").await?.click().await?;
    let review = browser.find(&format!("tr[data-id='{}'] button", reference.trim())).await?;
    no_sideways_scroll().await?;
    review.click().await?;
    browser.text_contains(".review h2", "робототехніки").await?;
    let preview = browser.text_contains(".preview .body", "гуртка").await?;
    assert!(preview.contains("Контекст"), "the preview shows the sections: {preview}");
    let facts = browser.text_contains(".preview .facts", "Сільська публічна бібліотека").await?;
    assert!(facts.contains("2025"), "the period is shown: {facts}");
    assert!(!facts.contains("public-library") && !facts.contains("stem"), "labels, not ids: {facts}");
    browser.text_contains(".review .contact", "olena@library.ua").await?;
    no_sideways_scroll().await?;
    fill(&browser, "slug", "rivne-village-robotics-club").await?;
    // Approving asks first; cancelling publishes nothing.
    browser.find(".decide button.primary").await?.click().await?;
    browser.text_contains(".confirm", "/case/rivne-village-robotics-club").await?;
    browser.find(".confirm button:not(.primary)").await?.click().await?;
    let asked = browser.js("return document.querySelectorAll('.confirm').length").await?;
    assert_eq!(asked, 0, "cancelled");
    let outcome = browser.js("return document.querySelector('.outcome').textContent").await?;
    assert_eq!(outcome, "", "nothing was published");
    browser.find(".decide button.primary").await?.click().await?;
    browser.find(".confirm button.primary").await?.click().await?;
    browser.text_contains(".outcome", "/case/rivne-village-robotics-club").await?;
    browser.cdp("Emulation.clearDeviceMetricsOverride", serde_json::json!({})).await?;

    // The contributor's status link now leads to the published case.
    browser.goto(&server.url(&status_link)).await?;
    browser.text_contains(".status .outcome a[href='/case/rivne-village-robotics-club']", "rivne").await?;

    // A librarian finds it, in Ukrainian and from Latin letters, within seconds.
    let started = std::time::Instant::now();
    browser.goto(&server.url("/")).await?;
    browser.find("input#q").await?.send_keys("робототехніка").await?;
    browser.find(".results[data-q=\"робототехніка\"]").await?;
    browser.texts_until(".hit h2", "the new case", |t| t.iter().any(|t| t.contains("Клуб робототехніки"))).await?;
    println!("found {:.1} s after approval", started.elapsed().as_secs_f64());
    browser.find(".hit h2 a[href='/case/rivne-village-robotics-club']").await?.click().await?;
    browser.text_contains("article.case .body", "роботів").await?;

    stop.store(true, Ordering::Relaxed);
    stream.await?;
    let (ok, failed) = (ok.load(Ordering::Relaxed), failed.load(Ordering::Relaxed));
    println!("{ok} searches during the journey, {failed} failed");
    assert_eq!(failed, 0);
    assert!(ok > 20, "the stream ran: {ok}");
    browser.close().await
}

/// Script in every text field, submitted and approved, shown on every page that shows it:
/// none of it runs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn script_in_any_field_never_runs() -> anyhow::Result<()> {
    let server = TestServer::start(&real_content()).await?;
    let client = http::client();
    let payload = |n: u32| {
        format!(
            "Xss{n} <script>window.__xss=({n})</script><img src=x onerror=\"window.__xss=({n})\"><svg onload=window.__xss=({n})></svg>\"><iframe src=javascript:window.__xss=({n})></iframe>"
        )
    };
    let mut s = model::submission::Submission { lang: model::Lang::En, ..Default::default() };
    s.title = payload(1);
    s.summary = payload(2).chars().take(290).collect();
    s.sections.context = format!("{} [link](javascript:window.__xss=3)", payload(3));
    s.sections.what_was_done = payload(4);
    s.sections.results = payload(5);
    s.sections.lessons = payload(6);
    s.sections.replicate = payload(7);
    s.contact =
        model::submission::Contact { name: payload(8).chars().take(190).collect(), email: "x@example.org".into() };
    s.meta.countries = vec!["RO".into()];
    s.meta.period.start = "2024".into();
    s.meta.lead_organisation =
        model::case::Organisation { name: payload(9).chars().take(190).collect(), kind: "ngo".into() };
    s.meta.partners = vec![model::case::Partner {
        name: payload(10).chars().take(190).collect(),
        kind: None,
        role: Some(payload(11).chars().take(190).collect()),
    }];
    s.meta.funders = vec![model::case::Funder {
        name: payload(12).chars().take(190).collect(),
        kind: None,
        programme: Some(payload(13).chars().take(190).collect()),
    }];
    s.meta.places = vec![model::case::Place { name: payload(14).chars().take(190).collect(), settlement: None }];
    s.meta.budget = Some(model::case::Budget { amount: None, currency: None, note: Some(payload(15)) });
    s.meta.links = vec![model::case::Link {
        url: "https://example.org/\"><script>window.__xss=16</script>".into(),
        title: payload(17).chars().take(190).collect(),
    }];
    s.meta.themes = vec!["coding".into()];
    // The link's address is refused as malformed; everything else is accepted as text.
    let (status, body) = http::send(
        &client,
        "POST",
        &server.url("/api/submissions"),
        &[("content-type", "application/json")],
        Some(serde_json::to_vec(&s)?),
    )
    .await?;
    assert_eq!(status, 422, "{}", String::from_utf8_lossy(&body));
    s.meta.links[0].url = "https://example.org/a?b=<c>".replace(['<', '>'], "");
    let (status, body) = http::send(
        &client,
        "POST",
        &server.url("/api/submissions"),
        &[("content-type", "application/json")],
        Some(serde_json::to_vec(&s)?),
    )
    .await?;
    assert_eq!(status, 201, "{}", String::from_utf8_lossy(&body));
    let id = serde_json::from_slice::<model::api::SubmissionReceipt>(&body)?.id;
    let auth = format!("Bearer {ADMIN_TOKEN}");
    let (status, body) = http::send(
        &client,
        "POST",
        &server.url(&format!("/api/admin/submissions/{id}/approve")),
        &[("content-type", "application/json"), ("authorization", &auth)],
        Some(br#"{"slug":"xss-case"}"#.to_vec()),
    )
    .await?;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));

    let browser = Browser::start().await?;
    let pages = [("/case/xss-case", "article.case .body"), ("/?q=xss1", ".hit h2"), ("/?q=xss4", ".hit .snippet")];
    for (path, ready) in pages {
        browser.goto(&server.url(path)).await?;
        browser.find(ready).await?;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let ran = browser.js("return window.__xss === undefined ? null : window.__xss").await?;
        assert!(ran.is_null(), "script {ran} ran on {path}");
    }
    let title = browser.text_contains(".hit h2", "Xss1").await?;
    assert!(title.contains("<script>"), "the text is shown as text: {title}");

    // The maintainers' pages show it too.
    browser.goto(&server.url("/admin")).await?;
    fill(&browser, "token", ADMIN_TOKEN).await?;
    browser.find(".sign-in button").await?.click().await?;
    browser.find("section.admin details summary").await?.click().await?;
    browser.find(&format!("tr[data-id='{id}'] button")).await?.click().await?;
    browser.find(".preview .body").await?;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let ran = browser.js("return window.__xss === undefined ? null : window.__xss").await?;
    assert!(ran.is_null(), "script {ran} ran in the review");
    let images = browser.client.find_all(Locator::Css(".preview img, article img, .hit img")).await?;
    assert!(images.is_empty(), "no injected image elements");
    browser.close().await
}

/// A contributor loses the connection while sending: the draft stays, and once back online the
/// page offers to send it; only after they confirm is it sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn a_draft_sent_offline_goes_once_back_online_and_confirmed() -> anyhow::Result<()> {
    let server = TestServer::start(&real_content()).await?;
    let browser = Browser::start().await?;
    browser.goto(&server.url("/submit")).await?;
    browser.find("#f-title").await?;
    choose(&browser, "f-lang", "ro").await?;
    fill(&browser, "f-title", "Atelier de povești pentru bunici și nepoți").await?;
    fill(&browser, "f-summary", "Bunicii și nepoții citesc și scriu povești împreună la biblioteca din sat.").await?;
    choose(&browser, "f-countries-0", "MD").await?;
    fill(&browser, "f-lead_organisation-name", "Biblioteca publică din sat").await?;
    choose(&browser, "f-lead_organisation-type", "public-library").await?;
    fill(&browser, "f-period-start", "2024").await?;
    browser.find("#f-themes-intergenerational").await?.click().await?;
    fill(&browser, "f-sections-context", "Bunicii și nepoții petreceau puțin timp împreună.").await?;
    fill(&browser, "f-sections-what_was_done", "Atelier lunar de povești la bibliotecă.").await?;
    fill(&browser, "f-contact-name", "Ion Rusu").await?;
    fill(&browser, "f-contact-email", "ion@biblioteca.md").await?;

    browser.set_offline(true).await?;
    browser.find("button.primary[type=submit]").await?.click().await?;
    browser.text_contains("form [role=alert]", "offline").await?;
    let submissions = server.content().join("submissions");
    let count =
        || std::fs::read_dir(&submissions).map(|d| d.flatten().filter(|e| e.path().is_dir()).count()).unwrap_or(0);
    assert_eq!(count(), 0, "nothing is sent while offline");

    browser.set_offline(false).await?;
    browser.text_contains(".back-online", "not been sent").await?;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(count(), 0, "nothing is sent before the contributor confirms");
    browser.find(".back-online button").await?.click().await?;
    let reference = browser.text_contains(".confirmation .reference", "-").await?;
    assert!(submissions.join(reference.trim()).join("ro.md").exists());
    browser.close().await
}

/// Without any script the form still works as a plain form: sent incomplete, it comes back with
/// each problem at its field and everything typed kept; "add a partner" sends it for another
/// row; sent complete, it is stored and the confirmation shows its reference.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn submitted_without_script_through_the_plain_form() -> anyhow::Result<()> {
    let server = TestServer::start(&real_content()).await?;
    let browser = Browser::start_without_script().await?;
    browser.goto(&server.url("/submit?ui=ro")).await?;
    choose(&browser, "f-lang", "ro").await?;
    fill(&browser, "f-title", "Club de lectură pentru bunici și nepoți").await?;
    fill(&browser, "f-period-start", "2024").await?;
    fill(&browser, "f-period-end", "2021").await?;
    browser.find("button.primary[type=submit]").await?.click().await?;

    // The server's answer: the problems at their fields, the title as typed.
    browser.text_contains("form [role=alert]", "").await?;
    let invalid = browser.js("return document.getElementById('f-summary').getAttribute('aria-invalid')").await?;
    assert_eq!(invalid, "true");
    // Each problem in words for people, in the interface's language (the form is Romanian).
    let error = browser.text_contains("#f-summary-error", "").await?;
    assert_eq!(error, "Acest câmp este obligatoriu.");
    let error = browser.text_contains("#f-lead_organisation-type-error", "").await?;
    assert_eq!(error, "Acest câmp este obligatoriu.", "not \"`` is not an organisation type\"");
    let error = browser.text_contains("#f-period-end-error", "").await?;
    assert_eq!(error, "Sfârșitul este înaintea începutului: alegeți același an sau unul mai târziu.");
    let title = browser.js("return document.getElementById('f-title').value").await?;
    assert_eq!(title, "Club de lectură pentru bunici și nepoți");
    assert_eq!(browser.js("return document.getElementById('f-lang').value").await?, "ro");

    // Another row, by sending the form.
    browser.find("details.more summary").await?.click().await?;
    browser.find("button[name=add][value=partners]").await?.click().await?;
    fill(&browser, "f-partners-0-name", "Asociația Bibliotecarilor").await?;

    fill(&browser, "f-summary", "Bunicii și nepoții citesc și scriu povești împreună la biblioteca din sat.").await?;
    choose(&browser, "f-countries-0", "MD").await?;
    fill(&browser, "f-lead_organisation-name", "Biblioteca publică din sat").await?;
    choose(&browser, "f-lead_organisation-type", "public-library").await?;
    fill(&browser, "f-period-end", "").await?;
    browser.find("#f-themes-intergenerational").await?.click().await?;
    fill(&browser, "f-sections-context", "Bunicii și nepoții petreceau puțin timp împreună.").await?;
    fill(&browser, "f-sections-what_was_done", "Atelier lunar de povești la bibliotecă.").await?;
    fill(&browser, "f-contact-name", "Ion Rusu").await?;
    fill(&browser, "f-contact-email", "ion@biblioteca.md").await?;
    browser.find("button.primary[type=submit]").await?.click().await?;

    let reference = browser.text_contains(".confirmation .reference", "-").await?;
    assert!(server::submissions::is_id(reference.trim()), "{reference}");
    assert!(browser.current_url().await?.contains(&format!("/submit?received={}", reference.trim())));
    // The confirmation's status link works without script too.
    browser.find(".confirmation .status-link a").await?.click().await?;
    browser.text_contains(".status .outcome", "").await?;
    let stored = server.content().join("submissions").join(reference.trim());
    let case = std::fs::read_to_string(stored.join("case.toml"))?;
    assert!(case.contains("Asociația Bibliotecarilor"), "{case}");
    assert!(std::fs::read_to_string(stored.join("ro.md"))?.contains("Atelier lunar"));
    browser.close().await
}

/// The first run as `cargo xtask run` does it: the token file made once, the real server binary
/// started with `--admin-token-file`, and a maintainer signing in to `/admin` with what the file
/// holds (and refused with anything else).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn the_first_run_token_signs_a_maintainer_in() -> anyhow::Result<()> {
    let binaries = e2e::binaries()?;
    let work = tempfile::tempdir()?;
    let (content, index) = (work.path().join("content"), work.path().join("index"));
    e2e::copy_dir(&real_content(), &content)?;
    binaries.build_index(&content, &index)?;
    let token_file = work.path().join(".maintainer-token");
    assert!(collection::token::ensure(&token_file)?, "a first run makes the token");
    assert!(!collection::token::ensure(&token_file)?, "a second run keeps it");
    let token = std::fs::read_to_string(&token_file)?.trim().to_owned();
    // The drills' token is in the environment too: the file must win.
    let server = bench::process::ServerProcess::start_with(
        &binaries.server,
        &content,
        &index,
        Some(&e2e::dist()?),
        &work.path().join("server.log"),
        &["--admin-token-file".to_owned(), token_file.display().to_string()],
    )?;
    e2e::http::submit_fixture(&server.url("")).await?;

    let browser = Browser::start().await?;
    browser.goto(&server.url("/admin")).await?;
    fill(&browser, "token", bench::process::ADMIN_TOKEN).await?;
    browser.find(".sign-in button").await?.click().await?;
    browser.text_contains(".sign-in [role=alert]", "not the maintainers' token").await?;
    fill(&browser, "token", &token).await?;
    browser.find(".sign-in button").await?.click().await?;
    browser.find(".queue tbody tr button").await?.click().await?;
    browser.find(".preview .body").await?;
    browser.close().await?;
    server.kill()
}

/// A contributor attaches a photo with what it shows; the maintainer sees it in the review and
/// approves; a reader sees it on the case page, at its size, does not while saving data until
/// asking for it, and still does offline once the case is saved.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn a_photo_attached_with_its_description_is_reviewed_published_and_seen() -> anyhow::Result<()> {
    let server = TestServer::start(&real_content()).await?;
    let work = tempfile::tempdir()?;
    let photo = work.path().join("atelier.png");
    image::RgbImage::from_fn(1280, 960, |x, y| image::Rgb([(x / 5) as u8, (y / 4) as u8, 90])).save(&photo)?;
    let browser = Browser::start_in("ro").await?;

    browser.goto(&server.url("/submit")).await?;
    fill(&browser, "f-title", "Atelier de fotografie pentru adolescenți la biblioteca comunală").await?;
    fill(&browser, "f-summary", "Adolescenții din sat învață să fotografieze, iar biblioteca le expune lucrările.")
        .await?;
    choose(&browser, "f-countries-0", "RO").await?;
    fill(&browser, "f-lead_organisation-name", "Biblioteca comunală").await?;
    choose(&browser, "f-lead_organisation-type", "public-library").await?;
    fill(&browser, "f-period-start", "2024").await?;
    browser.find("#f-themes-stem").await?.click().await?;
    fill(&browser, "f-sections-context", "În sat nu exista niciun club pentru adolescenți.").await?;
    fill(&browser, "f-sections-what_was_done", "Biblioteca a organizat un atelier săptămânal de fotografie.").await?;
    fill(&browser, "f-contact-name", "Ana Popescu").await?;
    fill(&browser, "f-contact-email", "ana@biblioteca.ro").await?;
    // The photo, without its description first: the form asks for it.
    browser.find("#f-photos-file").await?.send_keys(&photo.display().to_string()).await?;
    browser.find(".photo-row img.preview").await?;
    fill(&browser, "f-photos-0-credit", "Ana Popescu").await?;
    browser.find("button.primary[type=submit]").await?.click().await?;
    let asked = browser.text_contains("#f-photos-0-error", "").await?;
    assert!(!asked.is_empty(), "a photo without its description is refused before sending");
    fill(&browser, "f-photos-0-alt", "Adolescenți cu aparate foto în fața bibliotecii").await?;
    let shots = e2e::root().join("target/screenshots");
    std::fs::create_dir_all(&shots)?;
    browser.js("document.getElementById('f-photos').scrollIntoView()").await?;
    std::fs::write(shots.join("submit-photo.png"), browser.client.screenshot().await?)?;
    browser.find("button.primary[type=submit]").await?.click().await?;
    let reference = browser.text_contains(".confirmation .reference", "-").await?;

    // The maintainer sees it before approving.
    browser.goto(&server.url("/admin")).await?;
    fill(&browser, "token", ADMIN_TOKEN).await?;
    browser.find(".sign-in button").await?.click().await?;
    browser.find(&format!("tr[data-id='{}'] button", reference.trim())).await?.click().await?;
    browser.find(".preview .photos img[alt='Adolescenți cu aparate foto în fața bibliotecii']").await?;
    eventually("the pending photo loaded", || async {
        let width = browser
            .js("const i = document.querySelector('.preview .photos img'); return i && i.complete ? i.naturalWidth : 0")
            .await?;
        Ok((width.as_u64() == Some(960)).then_some(()))
    })
    .await?;
    fill(&browser, "slug", "atelier-foto-adolescenti").await?;
    browser.find(".decide button.primary").await?.click().await?;
    browser.find(".confirm button.primary").await?.click().await?;
    browser.text_contains(".outcome", "/case/atelier-foto-adolescenti").await?;

    // A reader sees it on the case page, its space kept, scrolled to.
    browser.goto(&server.url("/case/atelier-foto-adolescenti")).await?;
    let image = browser.find(".photos img[alt='Adolescenți cu aparate foto în fața bibliotecii']").await?;
    assert_eq!(image.attr("width").await?.as_deref(), Some("960"));
    assert_eq!(image.attr("height").await?.as_deref(), Some("720"));
    browser.js("document.querySelector('.photos img').scrollIntoView()").await?;
    eventually("the photo shown", || async {
        let width = browser
            .js("const i = document.querySelector('.photos img'); return i.complete ? i.naturalWidth : 0")
            .await?;
        Ok((width.as_u64().is_some_and(|w| w >= 480)).then_some(()))
    })
    .await?;
    browser.text_contains(".photos figcaption", "Ana Popescu").await?;
    std::fs::write(shots.join("case-photo.png"), browser.client.screenshot().await?)?;

    // Saving data: no photo until asked.
    browser.goto(&server.url("/settings?low_data=on&back=/case/atelier-foto-adolescenti")).await?;
    browser.find("article.case h1").await?;
    let images = browser.js("return document.querySelectorAll('.photos img').length").await?;
    assert_eq!(images, 0, "no photo while saving data");
    browser.find(".photos a[href*='photos=show']").await?.click().await?;
    browser.find(".photos img").await?;

    // Saved for offline, the photos come too.
    let mut server = server;
    browser.goto(&server.url("/settings?low_data=off&back=/case/atelier-foto-adolescenti")).await?;
    browser.service_worker_in_control().await?;
    browser.find("button.save").await?.click().await?;
    browser.text_contains(".actions [role=status]", "Salvat").await?;
    server.stop().await;
    browser.reload_offline().await?;
    browser.js("document.querySelector('.photos img').scrollIntoView()").await?;
    eventually("the saved photo shown offline", || async {
        let width = browser
            .js("const i = document.querySelector('.photos img'); return i && i.complete ? i.naturalWidth : 0")
            .await?;
        Ok((width.as_u64().is_some_and(|w| w >= 480)).then_some(()))
    })
    .await?;
    browser.close().await
}
