//! Exports and sharing over the real collection: the CSV read by a real CSV reader, the JSON
//! parsed, the Atom feeds read by a real feed parser, a case page's share tags and its QR code.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use indexer::index::generation;
use server::state::AppState;
use std::path::Path;
use std::sync::{Arc, OnceLock};
use tower::ServiceExt;

struct Fixture {
    state: Arc<AppState>,
    cases: Vec<model::Case>,
    _dir: tempfile::TempDir,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
        let collection = collection::load(&content, &|_, _| {}).unwrap();
        generation::build(&collection, &dir.path().join("index"), &|_, _| {}).unwrap();
        let state = AppState::open(&dir.path().join("index"), &content, None)
            .unwrap()
            .with_public_url(Some("https://cases.example.org".into()));
        Fixture { state: Arc::new(state), cases: collection.cases, _dir: dir }
    })
}

async fn get(uri: &str, headers: &[(&str, &str)]) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let mut request = Request::get(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = server::app(fixture().state.clone()).oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
    let (parts, body) = response.into_parts();
    (parts.status, parts.headers, body.collect().await.unwrap().to_bytes().to_vec())
}

#[tokio::test]
async fn the_csv_has_one_row_per_case_and_reads_in_a_spreadsheet() {
    let (status, headers, body) = get("/api/export.csv", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/csv"));
    assert!(headers[header::CONTENT_DISPOSITION].to_str().unwrap().contains("case-studies.csv"));
    assert!(body.starts_with("\u{feff}".as_bytes()), "a byte-order mark for spreadsheets");

    let mut reader = csv::Reader::from_reader(&body[3..]);
    let columns: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), fixture().cases.len());
    let column = |name: &str| columns.iter().position(|c| c == name).unwrap();
    let code_kids = rows.iter().find(|row| &row[column("slug")] == "code-kids").unwrap();
    assert_eq!(&code_kids[column("budget_amount")], "885000");
    assert_eq!(&code_kids[column("budget_currency")], "USD");
    assert_eq!(&code_kids[column("url")], "https://cases.example.org/case/code-kids");
    assert!(code_kids[column("funders")].contains("CEZ Vânzare"), "UTF-8 survives");
    let hub = rows.iter().find(|row| &row[column("slug")] == "occupy-library-innovators-hub").unwrap();
    assert!(hub[column("languages")].contains("el"));

    // A client that has this version gets 304.
    let etag = headers[header::ETAG].to_str().unwrap().to_owned();
    let (status, _, _) = get("/api/export.csv", &[("if-none-match", &etag)]).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn the_json_export_lists_every_case_with_its_texts() {
    let (status, _, body) = get("/api/export.json", &[]).await;
    assert_eq!(status, StatusCode::OK);
    let cases: Vec<serde_json::Value> = serde_json::from_slice(&body).unwrap();
    assert_eq!(cases.len(), fixture().cases.len());
    let ora = cases.iter().find(|c| c["slug"] == "ora-sa-stim").unwrap();
    assert_eq!(ora["meta"]["budget"]["currency"], "EUR");
    assert!(ora["texts"].as_array().unwrap().iter().any(|t| t["lang"] == "uk"));
}

#[tokio::test]
async fn each_language_has_an_atom_feed() {
    for lang in ["en", "ro", "uk", "ru", "el"] {
        let (status, headers, body) = get(&format!("/feed/{lang}.xml"), &[]).await;
        assert_eq!(status, StatusCode::OK, "{lang}");
        assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("application/atom+xml"));
        let feed = feed_rs::parser::parse(&body[..]).unwrap_or_else(|e| panic!("{lang}: {e}"));
        let expected = fixture()
            .cases
            .iter()
            .filter(|c| c.texts.iter().any(|t| t.lang.code() == lang))
            .count()
            .min(server::exports::FEED_ENTRIES);
        assert_eq!(feed.entries.len(), expected, "{lang}");
        let first = &feed.entries[0];
        assert!(first.links[0].href.starts_with("https://cases.example.org/case/"), "{:?}", first.links);
        assert!(first.title.as_ref().is_some_and(|t| !t.content.is_empty()));
        // Newest first.
        let dates: Vec<_> = feed.entries.iter().map(|e| e.updated.unwrap()).collect();
        assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{lang}: {dates:?}");
    }
    let (status, _, _) = get("/feed/de.xml", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_shared_case_link_previews_with_title_summary_and_structured_data() {
    let (status, _, body) = get("/case/ora-sa-stim?lang=ro", &[]).await;
    assert_eq!(status, StatusCode::OK);
    let html = String::from_utf8(body).unwrap();
    assert!(
        html.contains(
            "<title>Ora să ȘTIM: povești și experimente în bibliotecile rurale · Library case studies</title>"
        ),
        "{html}"
    );
    assert!(html.contains("<meta property=\"og:title\" content=\"Ora să ȘTIM: povești"), "{html}");
    assert!(
        html.contains("<meta property=\"og:url\" content=\"https://cases.example.org/case/ora-sa-stim?lang=ro\">"),
        "{html}"
    );
    assert!(html.contains("<meta name=\"description\" content=\"Bibliotecarii"), "{html}");
    assert!(html.contains("hreflang=\"uk\""), "{html}");
    let start =
        html.find("<script type=\"application/ld+json\">").unwrap() + "<script type=\"application/ld+json\">".len();
    let end = start + html[start..].find("</script>").unwrap();
    let json: serde_json::Value = serde_json::from_str(&html[start..end]).unwrap();
    assert_eq!(json["@type"], "Article");
    assert_eq!(json["inLanguage"], "ro");
    assert_eq!(json["funder"][0]["name"], "Deutsche Telekom Stiftung");
}

#[tokio::test]
async fn a_case_has_a_qr_code_of_its_address() {
    let (status, headers, body) = get("/case/code-kids/qr.svg", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "image/svg+xml");
    let svg = String::from_utf8(body).unwrap();
    assert!(svg.starts_with("<?xml") && svg.contains("<svg"), "{svg}");
    let (status, _, _) = get("/case/no-such-case/qr.svg", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// Every kind of response carries the security headers: pages, JSON, errors, streams, images.
#[tokio::test]
async fn every_response_has_the_security_headers() {
    for uri in [
        "/case/code-kids",
        "/api/search?q=x",
        "/api/search?per_page=0",
        "/api/cases/nope",
        "/api/export.csv",
        "/feed/en.xml",
        "/case/code-kids/qr.svg",
        "/no/such/page",
        "/healthz",
        "/api/stats",
    ] {
        let (_, headers, _) = get(uri, &[]).await;
        assert_eq!(headers["content-security-policy"], server::CONTENT_SECURITY_POLICY, "{uri}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{uri}");
        assert_eq!(headers["referrer-policy"], "strict-origin-when-cross-origin", "{uri}");
        assert!(headers.contains_key("x-request-id"), "{uri}");
    }
}

/// A state of its own over the real collection, for tests that take the server's slots.
fn own_state() -> (Arc<AppState>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let collection = collection::load(&content, &|_, _| {}).unwrap();
    generation::build(&collection, &dir.path().join("index"), &|_, _| {}).unwrap();
    (Arc::new(AppState::open(&dir.path().join("index"), &content, None).unwrap()), dir)
}

#[tokio::test]
async fn with_every_export_slot_taken_an_export_is_answered_429_and_served_once_one_frees() {
    let (state, _dir) = own_state();
    let taken = state.exports.clone().try_acquire_many_owned(server::state::EXPORTS_AT_ONCE as u32).unwrap();
    for uri in ["/api/export.json", "/api/export.csv"] {
        let response =
            server::app(state.clone()).oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS, "{uri}");
        assert_eq!(response.headers()[header::RETRY_AFTER], "5");
        let body = response.into_body().collect().await.unwrap().to_bytes();
        let error: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert!(error["error"].as_str().unwrap().contains("export slot"), "{error}");
    }
    // Searches do not wait on exports.
    let search = server::app(state.clone()).oneshot(Request::get("/api/search?q=library").body(Body::empty()).unwrap());
    assert_eq!(search.await.unwrap().status(), StatusCode::OK);
    drop(taken);
    let response = server::app(state.clone())
        .oneshot(Request::get("/api/export.json").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert!(serde_json::from_slice::<serde_json::Value>(&body).is_ok());
}

#[tokio::test]
async fn a_server_whose_searches_are_stuck_is_unhealthy() {
    let (state, _dir) = own_state();
    let health = |state: Arc<AppState>| async move {
        let response = server::app(state).oneshot(Request::get("/healthz").body(Body::empty()).unwrap()).await.unwrap();
        let status = response.status();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (status, serde_json::from_slice::<serde_json::Value>(&body).unwrap())
    };
    let (status, body) = health(state.clone()).await;
    assert_eq!((status, body["status"].as_str()), (StatusCode::OK, Some("ok")), "{body}");
    // Every search slot held, as by searches that never finish.
    let slots = state.searches.available_permits() as u32;
    let held = state.searches.clone().try_acquire_many_owned(slots).unwrap();
    let (status, body) = health(state.clone()).await;
    assert_eq!((status, body["status"].as_str()), (StatusCode::SERVICE_UNAVAILABLE, Some("unhealthy")), "{body}");
    assert!(body["cases"].as_u64().unwrap() > 0);
    drop(held);
    assert_eq!(health(state).await.0, StatusCode::OK);
}
