//! The HTML pages through the router, without a socket or a browser: each page arrives complete
//! (its content in the HTML, in the reader's language), and everything a reader or contributor
//! does works as a link or a form.

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use indexer::index::generation;
use server::state::AppState;
use std::path::Path;
use std::sync::{Arc, OnceLock};
use tower::ServiceExt;

struct Fixture {
    state: Arc<AppState>,
    _dir: tempfile::TempDir,
}

/// The server over the real collection (copied: the form tests write submissions into it).
fn state() -> &'static Arc<AppState> {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    &FIXTURE
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let content = dir.path().join("content");
            bench::files::copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../content"), &content).unwrap();
            let collection = collection::load(&content, &|_, _| {}).unwrap();
            generation::build(&collection, &dir.path().join("index"), &|_, _| {}).unwrap();
            let state = AppState::open(&dir.path().join("index"), &content, None).unwrap().with_submissions_per_hour(0);
            Fixture { state: Arc::new(state), _dir: dir }
        })
        .state
}

async fn send(request: Request<Body>) -> (StatusCode, HeaderMap, String) {
    let response = server::app(state().clone()).oneshot(request).await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let body = response.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, headers, String::from_utf8(body).unwrap())
}

async fn get(uri: &str, headers: &[(&str, &str)]) -> (StatusCode, HeaderMap, String) {
    let mut request = Request::get(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    send(request.body(Body::empty()).unwrap()).await
}

async fn post_form(body: &str) -> (StatusCode, HeaderMap, String) {
    let request = Request::post("/submit")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.to_owned()))
        .unwrap();
    send(request).await
}

/// The text between `<tag…>` and `</tag>`, first occurrence.
fn element<'a>(html: &'a str, open: &str, close: &str) -> &'a str {
    let start = html.find(open).unwrap_or_else(|| panic!("no {open} in {html}"));
    let start = start + html[start..].find('>').unwrap() + 1;
    let end = start + html[start..].find(close).unwrap();
    &html[start..end]
}

#[tokio::test]
async fn every_page_arrives_with_its_title_description_and_language() {
    for (uri, lang, title) in [
        ("/", "en", "Library case studies"),
        ("/?q=coding", "en", "coding"),
        ("/case/code-kids", "en", "CODE Kids"),
        ("/case/code-kids?lang=ro&ui=ro", "ro", "CODE Kids"),
        ("/submit?ui=uk", "uk", "Надіслати"),
        ("/admin?ui=el", "el", "Έλεγχος"),
        ("/offline?ui=ru", "ru", "Нет подключения"),
        ("/no/such/page?ui=ro", "ro", "Pagina nu a fost găsită"),
    ] {
        let (status, headers, html) = get(uri, &[]).await;
        assert!(status == StatusCode::OK || status == StatusCode::NOT_FOUND, "{uri}: {status}");
        assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"), "{uri}");
        assert!(html.starts_with("<!DOCTYPE html><html lang=\""), "{uri}");
        assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{uri}: {}", &html[..200]);
        assert!(
            element(&html, "<title", "</title>").contains(title),
            "{uri}: {}",
            element(&html, "<title", "</title>")
        );
        let description = html.split("<meta name=\"description\" content=\"").nth(1).unwrap_or("");
        assert!(description.len() > 40, "{uri} has a description");
        assert!(html.contains("<link rel=\"manifest\" href=\"/manifest.webmanifest\">"), "{uri}");
        // No inline script: only data blocks (JSON-LD) and the islands' bundle.
        for script in html.split("<script").skip(1) {
            assert!(
                script.starts_with(" type=\"application/ld+json\"") || script.contains(" src="),
                "{uri}: <script{script}"
            );
        }
    }
}

#[tokio::test]
async fn the_search_page_holds_its_results_facets_chips_and_pages() {
    let (status, _, html) = get("/?q=biblioteca&country=MD&per_page=2", &[]).await;
    assert_eq!(status, StatusCode::OK);
    // The words as typed in the box, the filter checked, its chip a link without it.
    assert!(html.contains("name=\"q\" value=\"biblioteca\""), "{html}");
    assert!(html.contains("id=\"f-country-MD\" name=\"country\" value=\"MD\" form=\"search\" checked"), "{html}");
    assert!(html.contains("href=\"/?q=biblioteca&amp;per_page=2\" title=\"Remove filter\" class=\"chip\""), "{html}");
    let hits = html.matches("class=\"hit\"").count();
    assert_eq!(hits, 2, "two hits per page");
    assert!(html.contains("href=\"/?q=biblioteca&amp;country=MD&amp;page=2&amp;per_page=2\""), "a link to page 2");
    assert!(html.contains("href=\"/?q=biblioteca&amp;country=MD&amp;sort=newest&amp;per_page=2\""), "a link to sort");
    // The page size travels with the form.
    assert!(html.contains("<input type=\"hidden\" name=\"per_page\" value=\"2\" form=\"search\">"), "{html}");

    // The words exactly as sent, spaces and all, while the search uses them trimmed.
    let (_, _, html) = get("/?q=programare+copii+", &[]).await;
    assert!(html.contains("value=\"programare copii \""), "the box keeps what was typed");
    assert!(html.contains("data-q=\"programare copii\""));
}

#[tokio::test]
async fn a_form_sent_without_script_is_read_as_the_search_page_asks() {
    // Blank fields, the default order and years the wrong way round: what a browser sends.
    let (status, _, html) = get("/?q=&country=RO&year_from=2022&year_to=2018&sort=relevance&page=", &[]).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("<option value=\"2018\" selected>"), "{html}");
    // A bad parameter: the page says what is wrong, with a 400.
    let (status, _, html) = get("/?q=x&country=Romania", &[]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("role=\"alert\"") && html.contains("country"), "{html}");
    assert!(html.contains("name=\"q\" value=\"x\""), "the box keeps the words");
}

#[tokio::test]
async fn the_results_region_alone_for_the_live_search() {
    let (status, headers, html) = get("/fragment/results?q=coding", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.starts_with("<div id=\"results\""), "{html}");
    assert!(!html.contains("<html"), "a fragment, not a page");
    assert!(html.contains("data-status=\""), "{html}");
    assert_eq!(headers["x-robots-tag"], "noindex");
}

#[tokio::test]
async fn save_data_shows_fewer_results() {
    let count = |html: &str| html.matches("class=\"hit\"").count();
    let (_, _, plain) = get("/", &[]).await;
    let (_, _, saving) = get("/", &[("cookie", "low_data=on")]).await;
    let (_, _, asked) = get("/", &[("save-data", "on")]).await;
    assert_eq!(count(&plain), 10);
    assert_eq!(count(&saving), 5);
    assert_eq!(count(&asked), 5);
    let (_, _, chosen) = get("/?per_page=10", &[("cookie", "low_data=on")]).await;
    assert_eq!(count(&chosen), 10, "the reader's own page size wins");
}

#[tokio::test]
async fn the_interface_language_is_chosen_remembered_and_switched_by_links() {
    let (_, _, html) = get("/", &[("accept-language", "uk-UA,uk;q=0.9,en;q=0.5")]).await;
    assert!(html.contains("<html lang=\"uk\">"));
    let (_, _, html) = get("/", &[("accept-language", "uk"), ("cookie", "other=1; ui=ro")]).await;
    assert!(html.contains("<html lang=\"ro\">"), "the remembered choice over the browser's");
    let (_, _, html) = get("/?ui=el", &[("cookie", "ui=ro")]).await;
    assert!(html.contains("<html lang=\"el\">"), "the address over the remembered choice");
    // The switch is a link; it remembers the choice and comes back, without its own `ui`.
    assert!(html.contains("href=\"/settings?ui=uk&amp;back=%2F%3Fui%3Del\""), "{}", &html[..3000]);
    let (status, headers, _) = get("/settings?ui=uk&back=%2Fcase%2Fcode-kids%3Fui%3Del%26lang%3Dro", &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], "/case/code-kids?lang=ro");
    assert!(headers[header::SET_COOKIE].to_str().unwrap().starts_with("ui=uk; Path=/;"));
    // Only back to this site.
    for back in ["https://evil.example/", "//evil.example/", "/\\evil.example"] {
        let uri = format!(
            "/settings?low_data=on&back={}",
            form_urlencoded::byte_serialize(back.as_bytes()).collect::<String>()
        );
        let (status, headers, _) = get(&uri, &[]).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{back}");
        assert_eq!(headers[header::LOCATION], "/", "{back}");
    }
    let (status, _, _) = get("/settings?ui=de", &[]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn old_links_keep_working() {
    let (status, _, html) = get("/?q=biblioteca&country=RO&lang=ro&sort=newest", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("class=\"hit\""));
    let (status, _, html) = get("/case/ora-sa-stim?lang=uk", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<article lang=\"uk\" class=\"case\">"), "{html}");
    let (status, _, _) = get("/case/no-such-case", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_submission_form_posts_without_script() {
    // An incomplete form: 422, the page with each problem at its field and what was sent.
    let (status, _, html) = post_form("lang=ro&title=Club+de+lectur%C4%83&summary=").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("value=\"Club de lectură\""), "the title as sent");
    assert!(html.contains("id=\"f-summary\" name=\"summary\""), "{html}");
    let summary = html.split("id=\"f-summary\"").nth(1).unwrap();
    assert!(summary[..summary.find('>').unwrap()].contains("aria-invalid=\"true\""), "{summary}");
    assert!(html.contains("<html lang=\"en\">"));

    // "Add a partner": the form comes back with a row more, nothing checked.
    let (status, _, html) = post_form("lang=ro&title=T&add=partners").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("name=\"partners[0].name\""), "{html}");
    assert!(!html.contains("aria-invalid=\"true\""));

    // A field the form does not have is refused, naming it.
    let (status, _, html) = post_form("title=T&featured=true").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("featured"), "{html}");

    // Complete: stored, and a redirect to the confirmation with its reference.
    let complete = "lang=ro&title=Club+de+lectur%C4%83&summary=Copiii+citesc+%C3%AEmpreun%C4%83.&countries=MD\
        &lead_organisation.name=Biblioteca&lead_organisation.type=public-library&period.start.year=2024\
        &themes=reading&sections.context=Context.&sections.what_was_done=Ateliere.&contact.name=Ion\
        &contact.email=ion%40biblioteca.md";
    let (status, headers, body) = post_form(complete).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let location = headers[header::LOCATION].to_str().unwrap().to_owned();
    let query = location.strip_prefix("/submit?").expect("the confirmation");
    let parameter = |name: &str| {
        form_urlencoded::parse(query.as_bytes()).find(|(key, _)| key == name).map(|(_, value)| value.into_owned())
    };
    let id = parameter("received").unwrap_or_default();
    let id = id.as_str();
    assert!(server::submissions::is_id(id), "{location}");
    assert_eq!(parameter("ui").as_deref(), Some("en"), "the confirmation in the form's language: {location}");
    assert_eq!(parameter("status").map(|token| token.len()), Some(32), "with the status link: {location}");
    assert!(state().content.join("submissions").join(id).join("ro.md").exists());
    let (_, _, html) = get(&location, &[]).await;
    assert!(html.contains(&format!("<strong class=\"reference\">{id}</strong>")), "{html}");

    // Not a form, or from another site: refused with the page and its status.
    let request = Request::post("/submit").header(header::CONTENT_TYPE, "text/plain").body(Body::from("x")).unwrap();
    assert_eq!(send(request).await.0, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let request = Request::post("/submit")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .body(Body::from(complete))
        .unwrap();
    assert_eq!(send(request).await.0, StatusCode::FORBIDDEN);
}

/// A pasted paragraph is searched, not refused: the page says the search was cut and which
/// words were left out, and still lists what was found.
#[tokio::test]
async fn a_long_pasted_search_is_cut_and_says_so() {
    let pasted = format!("coding {}", "zzqx ".repeat(model::api::MAX_QUERY_CHARS / 5 + 100));
    let uri = format!("/?q={}", pasted.trim().replace(' ', "+"));
    let (status, _, html) = get(&uri, &[("accept-language", "en")]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("only its beginning was searched"), "{html}");
    assert!(html.contains("Left out of this search:"), "{html}");
    assert!(html.contains("class=\"ignored\">zzqx"), "{html}");
    assert!(html.contains("/case/code-kids"), "{html}");
}

/// Built files are cached for a year; a name that is not there (a deploy half done) never is.
#[tokio::test]
async fn missing_assets_are_not_cached() {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(dist.join("assets")).unwrap();
    let names = ["app-1.js", "app-1_bg.wasm", "studio-1.js", "studio-1_bg.wasm", "style-1.css"];
    for name in names {
        std::fs::write(dist.join("assets").join(name), "x").unwrap();
    }
    std::fs::write(
        dist.join("assets.json"),
        r#"{"reader": {"script": "app-1.js", "wasm": "app-1_bg.wasm"}, "studio": {"script": "studio-1.js", "wasm": "studio-1_bg.wasm"}, "style": "style-1.css"}"#,
    )
    .unwrap();
    let fixture = state();
    let state = AppState::open(&fixture.index_root, &fixture.content, Some(&dist)).unwrap();
    let app = server::app(Arc::new(state));
    let send = |uri: &str| {
        let request = Request::builder().uri(uri).body(Body::empty()).unwrap();
        app.clone().oneshot(request)
    };
    let found = send("/assets/style-1.css").await.unwrap();
    assert_eq!(found.status(), StatusCode::OK);
    assert_eq!(found.headers()[header::CACHE_CONTROL], "public, max-age=31536000, immutable");
    let missing = send("/assets/style-0.css").await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(missing.headers()[header::CACHE_CONTROL], "no-store");

    // A server whose pages would link a bundle that is not there refuses to start, naming it.
    std::fs::remove_file(dist.join("assets").join("studio-1_bg.wasm")).unwrap();
    let refused = AppState::open(&fixture.index_root, &fixture.content, Some(&dist)).err().expect("refused");
    assert!(format!("{refused:#}").contains("studio-1_bg.wasm is missing"), "{refused:#}");
    std::fs::remove_file(dist.join("assets.json")).unwrap();
    let refused = AppState::open(&fixture.index_root, &fixture.content, Some(&dist)).err().expect("refused");
    assert!(format!("{refused:#}").contains("assets.json"), "{refused:#}");
}

#[tokio::test]
async fn partner_roles_are_named_in_the_readers_language() {
    for (ui, role) in
        [("en", "— partner"), ("ro", "— partener"), ("uk", "— партнер"), ("ru", "— партнёр"), ("el", "— εταίρος")]
    {
        let (_, _, html) = get(&format!("/case/code-kids?ui={ui}"), &[]).await;
        let facts = element(&html, "<section aria-labelledby=\"facts-heading\"", "</section>");
        assert!(facts.contains(role), "{ui}: {facts}");
    }
    // A role the vocabulary does not know is shown as the case wrote it.
    let (_, _, html) = get("/case/building-networks-of-allies-webinar?ui=ro", &[]).await;
    let facts = element(&html, "<section aria-labelledby=\"facts-heading\"", "</section>");
    assert!(facts.contains("hub partner; webinar facilitator"), "{facts}");
}

#[tokio::test]
async fn the_review_says_in_the_readers_language_when_maintainer_actions_are_off() {
    // This server was started without a maintainer token.
    let (status, _, html) = get("/admin?ui=ro", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Acțiunile administratorilor sunt oprite pe acest server"), "{html}");
    assert!(!html.contains("id=\"token\""), "no sign-in form that could only fail");
}

#[tokio::test]
async fn the_overview_shows_every_case_on_the_map_and_the_timeline_in_each_language() {
    let slugs: Vec<String> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/cases"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(slugs.len(), 16);
    let mut romania_cases = 0;
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/cases")).unwrap() {
        let toml = std::fs::read_to_string(entry.unwrap().path().join("case.toml")).unwrap();
        romania_cases += usize::from(toml.lines().any(|line| line.starts_with("countries") && line.contains("\"RO\"")));
    }
    for (ui, heading, romania) in [
        ("en", "The collection at a glance", "Romania: {n} case studies"),
        ("ro", "Colecția pe scurt", "România: {n} studii de caz"),
        ("uk", "Колекція з першого погляду", "Румунія — кейсів: {n}"),
        ("ru", "Коллекция с первого взгляда", "Румыния — кейсов: {n}"),
        ("el", "Η συλλογή με μια ματιά", "Ρουμανία: {n} μελέτες"),
    ] {
        let (status, _, html) = get(&format!("/overview?ui={ui}"), &[]).await;
        assert_eq!(status, StatusCode::OK, "{ui}");
        assert!(html.contains(&format!("<h1>{heading}</h1>")), "{ui}: {html}");
        // The header links the overview in every page's language.
        let (_, _, home) = get(&format!("/?ui={ui}"), &[]).await;
        assert!(home.contains("href=\"/overview\""), "{ui}");
        // Romania on the map: a link to its cases, named with their number.
        let map = element(&html, "<figure class=\"map\"", "</figure>");
        let romania = romania.replace("{n}", &romania_cases.to_string());
        assert!(map.contains(&format!("<a href=\"/?country=RO\" aria-label=\"{romania}\"")), "{ui}: {romania}\n{map}");
        for code in ["MD", "UA", "GR", "IT", "PT", "DK", "GB"] {
            assert!(map.contains(&format!("href=\"/?country={code}\"")), "{ui}: {code} is not linked on the map");
        }
        // Every case on the timeline, and in its table.
        let section = element(&html, "<section aria-labelledby=\"timeline-heading\"", "</section>");
        let timeline = element(section, "<svg", "</svg>");
        let table = element(section, "<table", "</table>");
        for slug in &slugs {
            assert!(timeline.contains(&format!("href=\"/case/{slug}\"")), "{ui}: {slug} is not on the timeline");
            assert!(
                table.contains(&format!("<th scope=\"row\"><a href=\"/case/{slug}\">")),
                "{ui}: {slug} not in the table"
            );
        }
        // The tallies link to the searches they count.
        assert!(html.contains("href=\"/?theme="), "{ui}");
        assert!(html.contains("href=\"/?org_type="), "{ui}");
        assert!(html.contains("href=\"/?lang="), "{ui}");
    }
}

#[tokio::test]
async fn the_year_filter_shows_how_many_cases_ran_each_year() {
    let (_, _, html) = get("/?q=", &[]).await;
    let years = element(&html, "<fieldset class=\"facet years\"", "</fieldset>");
    assert!(years.contains("class=\"year-histogram\""), "{years}");
    assert!(years.contains("<rect"), "{years}");
    // The menus say the counts in words.
    let option = first_year_option(years).expect("an option with its count");
    assert!(option.ends_with(')'), "{option}");
}

/// The first year option's text, `2019 (3)`.
fn first_year_option(html: &str) -> Option<&str> {
    let start = html.find("<option value=\"2")?;
    let text = &html[start..];
    let open = text.find('>')? + 1;
    let close = text.find("</option>")?;
    Some(&text[open..close])
}
