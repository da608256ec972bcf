//! The router over an index built from the fixture collection, called without a socket.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use indexer::index::generation;
use model::api::{ApiError, CaseView, SearchResponse};
use server::state::AppState;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower::ServiceExt;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/content")
}

/// A server state over a fresh index of the fixtures (pages without the built app).
fn state() -> (Arc<AppState>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let collection = collection::load(&fixtures(), &|_, _| {}).unwrap();
    generation::build(&collection, &dir.path().join("index"), &|_, _| {}).unwrap();
    (Arc::new(AppState::open(&dir.path().join("index"), &fixtures(), None).unwrap()), dir)
}

async fn get(state: &Arc<AppState>, uri: &str) -> (StatusCode, String, Vec<u8>) {
    let response = server::app(state.clone()).oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
    let status = response.status();
    let content_type =
        response.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let body = response.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, content_type, body)
}

async fn search(state: &Arc<AppState>, query: &str) -> SearchResponse {
    let (status, _, body) = get(state, &format!("/api/search?{query}")).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    serde_json::from_slice(&body).unwrap()
}

async fn error(state: &Arc<AppState>, uri: &str, expected: StatusCode) -> String {
    let (status, content_type, body) = get(state, uri).await;
    assert_eq!(status, expected, "{uri}: {}", String::from_utf8_lossy(&body));
    assert!(content_type.starts_with("application/json"), "{uri}: {content_type}");
    serde_json::from_slice::<ApiError>(&body).unwrap().error
}

#[tokio::test]
async fn search_finds_highlights_and_counts() {
    let (state, _dir) = state();
    let response = search(&state, "q=coding").await;
    assert_eq!(response.total, 1);
    let hit = &response.hits[0];
    assert_eq!(hit.slug, "coding-club");
    assert!(hit.snippet.contains("<mark>"), "{}", hit.snippet);

    // Romanian without diacritics finds Romanian written with them.
    let response = search(&state, "q=scoala&ui=ro").await;
    let mut found: Vec<&str> = response.hits.iter().map(|h| h.slug.as_str()).collect();
    found.sort_unstable();
    assert_eq!(found, ["civic-space", "coding-club"]);

    // An empty query lists every case.
    assert_eq!(search(&state, "").await.total, 3);
}

/// Errors written by the router or a layer, not a handler, are JSON with the security headers too.
#[tokio::test]
async fn every_error_is_json_with_the_security_headers() {
    let (state, _dir) = state();
    for (method, uri, expected) in [
        ("GET", "/case/%FF", StatusCode::BAD_REQUEST),
        ("GET", "/api/no-such-thing", StatusCode::NOT_FOUND),
        ("DELETE", "/api/search", StatusCode::METHOD_NOT_ALLOWED),
    ] {
        let request = Request::builder().method(method).uri(uri).body(Body::empty()).unwrap();
        let response = server::app(state.clone()).oneshot(request).await.unwrap();
        assert_eq!(response.status(), expected, "{method} {uri}");
        let headers = response.headers().clone();
        assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("application/json"), "{method} {uri}");
        assert!(headers.contains_key(header::CONTENT_SECURITY_POLICY), "{method} {uri}");
        let body = response.into_body().collect().await.unwrap().to_bytes();
        let error: ApiError = serde_json::from_slice(&body).unwrap();
        assert!(!error.error.is_empty(), "{method} {uri}");
    }
}

#[tokio::test]
async fn hostile_queries_are_answered() {
    let (state, _dir) = state();
    for q in ["-+*", "%22", "%22%22", "((((((((a))))))))", "-%22a%22", "%00", "AND+OR+NOT", "*:*", "title:x"] {
        let (status, _, body) = get(&state, &format!("/api/search?q={q}")).await;
        assert_eq!(status, StatusCode::OK, "q={q}: {}", String::from_utf8_lossy(&body));
    }
}

#[tokio::test]
async fn bad_parameters_are_400_naming_the_parameter() {
    let (state, _dir) = state();
    for (query, name) in [
        ("per_page=1000", "per_page"),
        ("country=Romania", "country"),
        ("sort=best", "sort"),
        ("zzz=1", "zzz"),
        ("lang=xx", "lang"),
    ] {
        let message = error(&state, &format!("/api/search?{query}"), StatusCode::BAD_REQUEST).await;
        assert!(message.contains(&format!("`{name}`")), "{query}: {message}");
    }
}

#[tokio::test]
async fn case_pages_and_their_errors() {
    let (state, _dir) = state();
    let (status, _, body) = get(&state, "/api/cases/coding-club?lang=ro").await;
    assert_eq!(status, StatusCode::OK);
    let case: CaseView = serde_json::from_slice(&body).unwrap();
    assert_eq!(case.title, "Club de programare în biblioteca orașului");
    assert!(case.body_html.contains("<h2>Context</h2>"), "{}", case.body_html);
    assert_eq!(case.translations.len(), 2);

    let message = error(&state, "/api/cases/no-such-case", StatusCode::NOT_FOUND).await;
    assert!(message.contains("no-such-case"), "{message}");
    for slug in ["..%2F..%2Fetc%2Fpasswd", "Coding-Club", "a%20b"] {
        error(&state, &format!("/api/cases/{slug}"), StatusCode::BAD_REQUEST).await;
    }
    error(&state, "/api/cases/coding-club?lang=de", StatusCode::BAD_REQUEST).await;
}

#[tokio::test]
async fn case_pages_carry_the_case_title_and_404_for_unknown_cases() {
    let (state, _dir) = state();
    let (status, _, body) = get(&state, "/case/coding-club").await;
    assert_eq!(status, StatusCode::OK);
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains("<title>Coding club in the town library · Library case studies</title>"), "{html}");

    let (status, _, _) = get(&state, "/case/not-a-case").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = get(&state, "/no/such/page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn vocabulary_is_served() {
    let (state, _dir) = state();
    let (status, _, body) = get(&state, "/api/vocabulary?ui=uk").await;
    assert_eq!(status, StatusCode::OK);
    let vocabulary: model::api::VocabularyView = serde_json::from_slice(&body).unwrap();
    assert_eq!(vocabulary.themes.len(), 3);
    assert_eq!(vocabulary.themes[0].label, "Програмування та цифрові навички");
    assert!(vocabulary.countries.iter().any(|c| c.id == "MD" && c.label == "Молдова"));
    error(&state, "/api/vocabulary?ui=xx", StatusCode::BAD_REQUEST).await;
}

/// Every real case reads in English and Romanian: the right language, a title, a summary and a
/// rendered body with sections.
#[tokio::test]
async fn every_real_case_is_served_in_english_and_romanian() {
    let dir = tempfile::tempdir().unwrap();
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let collection = collection::load(&content, &|_, _| {}).unwrap();
    generation::build(&collection, &dir.path().join("index"), &|_, _| {}).unwrap();
    let state = Arc::new(AppState::open(&dir.path().join("index"), &content, None).unwrap());
    for case in &collection.cases {
        for lang in ["en", "ro"] {
            let (status, _, body) = get(&state, &format!("/api/cases/{}?lang={lang}", case.slug)).await;
            assert_eq!(status, StatusCode::OK, "{} {lang}", case.slug);
            let view: CaseView = serde_json::from_slice(&body).unwrap();
            assert_eq!(view.lang.code(), lang, "{}", case.slug);
            assert!(!view.title.is_empty() && !view.summary.is_empty(), "{} {lang}", case.slug);
            assert!(view.body_html.contains("<h2>"), "{} {lang} has no sections", case.slug);
            assert!(view.labels.iter().any(|(id, _)| id == &case.meta.themes[0]), "{} has theme labels", case.slug);
        }
    }
}

/// The OpenAPI document is served, generated from the handlers: every JSON route is in it with
/// its responses, the search's repeated filters, and the maintainers' bearer token.
#[tokio::test]
async fn the_openapi_document_describes_the_api() {
    let (state, _dir) = state();
    let (status, content_type, body) = get(&state, "/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("application/json"), "{content_type}");
    let document: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert!(document["openapi"].as_str().unwrap().starts_with("3."), "{}", document["openapi"]);

    let paths = document["paths"].as_object().unwrap();
    for (path, method) in [
        ("/api/search", "get"),
        ("/api/cases/{slug}", "get"),
        ("/api/vocabulary", "get"),
        ("/api/stats", "get"),
        ("/healthz", "get"),
        ("/api/export.csv", "get"),
        ("/api/export.json", "get"),
        ("/feed/{file}", "get"),
        ("/api/submissions", "post"),
        ("/api/admin/submissions", "get"),
        ("/api/admin/submissions/{id}", "get"),
        ("/api/admin/submissions/{id}", "put"),
        ("/api/admin/submissions/{id}/approve", "post"),
        ("/api/admin/submissions/{id}/reject", "post"),
        ("/api/openapi.json", "get"),
    ] {
        assert!(paths.get(path).and_then(|item| item.get(method)).is_some(), "{method} {path} is not documented");
    }

    let search = &paths["/api/search"]["get"];
    let country = search["parameters"].as_array().unwrap().iter().find(|p| p["name"] == "country").unwrap();
    // Repeated (`country=RO&country=MD`): form style, exploded, which OpenAPI takes as the
    // default for query parameters when they are left out.
    assert_eq!(country["in"], "query");
    assert!(country["style"].is_null() || country["style"] == "form", "{country}");
    assert!(country["explode"].is_null() || country["explode"] == true, "{country}");
    assert_eq!(country["schema"]["type"], "array");
    assert!(
        search["responses"]["400"]["content"]["application/json"]["schema"]["$ref"]
            .as_str()
            .is_some_and(|r| r.ends_with("/ApiError"))
    );

    let submit = &paths["/api/submissions"]["post"];
    for status in ["201", "400", "403", "413", "415", "422", "429"] {
        assert!(submit["responses"].get(status).is_some(), "POST /api/submissions lacks {status}");
    }
    let approve = &paths["/api/admin/submissions/{id}/approve"]["post"];
    assert_eq!(approve["security"][0]["maintainer_token"], serde_json::json!([]));
    for status in ["200", "400", "401", "403", "404", "409", "413", "415", "422", "429", "503"] {
        assert!(approve["responses"].get(status).is_some(), "approve lacks {status}");
    }
    let scheme = &document["components"]["securitySchemes"]["maintainer_token"];
    assert_eq!((&scheme["type"], &scheme["scheme"]), (&"http".into(), &"bearer".into()));
    // Bodies are read strictly, so the schemas admit no other fields.
    assert_eq!(document["components"]["schemas"]["Submission"]["additionalProperties"], false);
}
