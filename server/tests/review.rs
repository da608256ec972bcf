//! Submissions and the maintainers' review through the router: validation, limits, cross-site
//! refusal, rate limits, the token, and approval making a case searchable at once.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use indexer::index::generation;
use model::Lang;
use model::api::{
    ApiError, Approved, ReviewStatus, SearchResponse, SubmissionDetail, SubmissionReceipt, SubmissionSummary,
};
use model::submission::{Contact, Sections, Submission};
use server::state::AppState;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower::ServiceExt;

const TOKEN: &str = "s3cret-maintainer-token";

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

struct Setup {
    state: Arc<AppState>,
    content: PathBuf,
    _dir: tempfile::TempDir,
}

fn setup(configure: impl FnOnce(AppState) -> AppState) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/content"), &content);
    let collection = collection::load(&content, &|_, _| {}).unwrap();
    generation::build(&collection, &dir.path().join("index"), &|_, _| {}).unwrap();
    let state = AppState::open(&dir.path().join("index"), &content, None).unwrap();
    Setup { state: Arc::new(configure(state)), content, _dir: dir }
}

fn with_token(state: AppState) -> AppState {
    state.with_admin_token(Some(TOKEN.into())).with_submissions_per_hour(0)
}

fn submission(title: &str) -> Submission {
    let mut submission = Submission {
        lang: model::Lang::Uk,
        title: title.into(),
        summary: "Діти вчаться програмувати в сільській бібліотеці щосуботи.".into(),
        sections: Sections {
            context: "У селі не було гуртків.".into(),
            what_was_done: "Бібліотекарка відкрила клуб програмування.".into(),
            ..Sections::default()
        },
        contact: Contact { name: "Олена".into(), email: "olena@library.ua".into() },
        ..Submission::default()
    };
    submission.meta.countries = vec!["UA".into()];
    submission.meta.period.start = "2025-09".into();
    submission.meta.lead_organisation = model::case::Organisation {
        name: "Сільська бібліотека".into(),
        kind: "public-library".into(),
    };
    submission.meta.themes = vec!["coding".into()];
    submission
}

struct Call {
    peer: Option<std::net::SocketAddr>,
    method: &'static str,
    uri: String,
    body: Option<String>,
    headers: Vec<(&'static str, String)>,
}

fn call(method: &'static str, uri: &str) -> Call {
    Call { peer: None, method, uri: uri.into(), body: None, headers: Vec::new() }
}

impl Call {
    fn json(mut self, value: &impl serde::Serialize) -> Self {
        self.body = Some(serde_json::to_string(value).unwrap());
        self.headers.push(("content-type", "application/json".into()));
        self
    }
    fn raw(mut self, body: &str, content_type: &str) -> Self {
        self.body = Some(body.into());
        self.headers.push(("content-type", content_type.into()));
        self
    }
    fn token(mut self, token: &str) -> Self {
        self.headers.push(("authorization", format!("Bearer {token}")));
        self
    }
    fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.into()));
        self
    }
    /// The address the request comes from, as the listener would record it.
    fn from(mut self, peer: &str) -> Self {
        self.peer = Some(peer.parse().unwrap());
        self
    }
    async fn send(self, state: &Arc<AppState>) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let mut request = Request::builder().method(self.method).uri(&self.uri).header("host", "localhost");
        for (name, value) in &self.headers {
            request = request.header(*name, value);
        }
        let mut request = request.body(self.body.map_or_else(Body::empty, Body::from)).unwrap();
        if let Some(peer) = self.peer {
            request.extensions_mut().insert(axum::extract::ConnectInfo(peer));
        }
        let response = server::app(state.clone()).oneshot(request).await.unwrap();
        let (parts, body) = response.into_parts();
        (parts.status, parts.headers, body.collect().await.unwrap().to_bytes().to_vec())
    }
    async fn expect<T: serde::de::DeserializeOwned>(self, state: &Arc<AppState>, status: StatusCode) -> T {
        let uri = self.uri.clone();
        let (got, _, body) = self.send(state).await;
        assert_eq!(got, status, "{uri}: {}", String::from_utf8_lossy(&body));
        serde_json::from_slice(&body).unwrap_or_else(|e| panic!("{uri}: {e}: {}", String::from_utf8_lossy(&body)))
    }
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names
}

#[tokio::test]
async fn a_valid_submission_is_stored_atomically_in_the_content_format() {
    let s = setup(with_token);
    let receipt: SubmissionReceipt = call("POST", "/api/submissions")
        .json(&submission("Клуб програмування в селі"))
        .expect(&s.state, StatusCode::CREATED)
        .await;
    assert!(server::submissions::is_id(&receipt.id), "{}", receipt.id);
    assert_eq!(receipt.status, ReviewStatus::Pending);
    let dir = s.content.join("submissions").join(&receipt.id);
    assert_eq!(entries(&dir), ["case.toml", "submission.toml", "uk.md"]);
    // The stored files read back as a valid case, by the indexer's own reader.
    let mut problems = Vec::new();
    let case = collection::read_case(&dir, "x", "x", &mut problems).unwrap().unwrap();
    assert_eq!(problems, []);
    assert_eq!(case.texts[0].front.title, "Клуб програмування в селі");
    assert!(
        !std::fs::read_to_string(dir.join("uk.md")).unwrap().contains("olena@"),
        "the contact stays out of the case"
    );
    // No temporary folder is left, and the audit log has the receipt.
    assert!(entries(&s.content.join("submissions")).iter().all(|name| !name.starts_with(".tmp")));
    let log = std::fs::read_to_string(s.content.join("submissions/audit.log")).unwrap();
    assert!(log.contains(&format!("\"action\":\"received\",\"id\":\"{}\"", receipt.id)), "{log}");

    // The answer's Location is where a maintainer reads the submission.
    let (status, headers, _) = call("POST", "/api/submissions").json(&submission("t")).send(&s.state).await;
    assert_eq!(status, StatusCode::CREATED);
    let location = headers[header::LOCATION].to_str().unwrap().to_owned();
    let found: serde_json::Value = call("GET", &location).token(TOKEN).expect(&s.state, StatusCode::OK).await;
    assert!(found.is_object(), "{found}");
}

#[tokio::test]
async fn bad_submissions_get_4xx_naming_the_problem_and_write_nothing() {
    let s = setup(with_token);
    let mut invalid = submission("");
    invalid.meta.countries = vec!["XX".into()];
    invalid.contact.email = "nobody".into();
    let error: ApiError =
        call("POST", "/api/submissions").json(&invalid).expect(&s.state, StatusCode::UNPROCESSABLE_ENTITY).await;
    let fields: Vec<&str> = error.problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["countries[0]", "title", "contact.email"], "{error:?}");

    let error: ApiError = call("POST", "/api/submissions")
        .raw("{\"title\": ", "application/json")
        .expect(&s.state, StatusCode::BAD_REQUEST)
        .await;
    assert!(error.error.contains("not valid"), "{}", error.error);
    let mut extra = serde_json::to_value(submission("t")).unwrap();
    extra["tittle"] = "typo".into();
    let error: ApiError = call("POST", "/api/submissions").json(&extra).expect(&s.state, StatusCode::BAD_REQUEST).await;
    assert!(error.error.contains("tittle"), "{}", error.error);
    let error: ApiError = call("POST", "/api/submissions")
        .raw("title=x", "application/x-www-form-urlencoded")
        .expect(&s.state, StatusCode::UNSUPPORTED_MEDIA_TYPE)
        .await;
    assert!(error.error.contains("application/json"));
    let mut huge = submission("t");
    huge.sections.context = "x".repeat(model::submission::MAX_BODY_BYTES);
    let error: ApiError =
        call("POST", "/api/submissions").json(&huge).expect(&s.state, StatusCode::PAYLOAD_TOO_LARGE).await;
    assert!(error.error.contains("bytes allowed"));
    let mut reserved = submission("t");
    reserved.meta.featured = true;
    reserved.meta.evidence = Some(model::case::Evidence::Evaluated);
    let error: ApiError =
        call("POST", "/api/submissions").json(&reserved).expect(&s.state, StatusCode::UNPROCESSABLE_ENTITY).await;
    let fields: Vec<&str> = error.problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["featured", "evidence"], "maintainers' fields are refused: {error:?}");

    assert_eq!(entries(&s.content.join("submissions")), Vec::<String>::new(), "nothing was written");
}

/// Every rule the form can break, sent with `ui=ro`: each problem is answered in Romanian, in
/// the words of the one table the form uses too, with no developer text left in it.
#[tokio::test]
async fn each_rule_broken_is_explained_in_the_readers_language() {
    use model::validate::Rule;
    let s = setup(with_token);
    type Break = fn(&mut Submission);
    let cases: [(&str, Rule, Break); 16] = [
        ("title", Rule::Empty, |s| s.title.clear()),
        ("summary", Rule::TooLong { max: 300 }, |s| s.summary = "a".repeat(301)),
        ("title", Rule::LineBreak, |s| s.title = "two\nlines".into()),
        ("themes", Rule::TooFew { min: 1 }, |s| s.meta.themes.clear()),
        ("themes", Rule::TooMany { max: 5 }, |s| s.meta.themes = vec!["coding".into(); 6]),
        ("countries[0]", Rule::Unknown, |s| s.meta.countries = vec!["XX".into()]),
        ("countries[1]", Rule::Repeated, |s| s.meta.countries = vec!["RO".into(), "RO".into()]),
        ("lead_organisation.type", Rule::Empty, |s| s.meta.lead_organisation.kind.clear()),
        ("period.start", Rule::NotDate, |s| s.meta.period.start = "20x3".into()),
        ("period.end", Rule::EndBeforeStart, |s| {
            s.meta.period.start = "2023".into();
            s.meta.period.end = Some("2021".into());
        }),
        ("budget.amount", Rule::NotAmount, |s| {
            s.meta.budget = Some(model::case::Budget { amount: Some(-1.0), currency: Some("EUR".into()), note: None })
        }),
        ("budget.currency", Rule::NoCurrency, |s| {
            s.meta.budget = Some(model::case::Budget { amount: Some(100.0), currency: None, note: None })
        }),
        ("budget", Rule::NoBudget, |s| {
            s.meta.budget = Some(model::case::Budget { amount: None, currency: None, note: None })
        }),
        ("contact.email", Rule::NotEmail, |s| s.contact.email = "nobody".into()),
        ("links[0].url", Rule::NotUrl, |s| {
            s.meta.links = vec![model::case::Link { url: "www.example".into(), title: "Site".into() }]
        }),
        ("featured", Rule::Reserved, |s| s.meta.featured = true),
    ];
    for (field, rule, break_it) in cases {
        let mut broken = submission("A title");
        break_it(&mut broken);
        let english: ApiError =
            call("POST", "/api/submissions").json(&broken).expect(&s.state, StatusCode::UNPROCESSABLE_ENTITY).await;
        let romanian: ApiError = call("POST", "/api/submissions?ui=ro")
            .json(&broken)
            .expect(&s.state, StatusCode::UNPROCESSABLE_ENTITY)
            .await;
        let found = |error: &ApiError| error.problems.iter().find(|p| p.field == field).cloned();
        let (Some(english), Some(romanian)) = (found(&english), found(&romanian)) else {
            panic!("{field}: no problem reported for it: {romanian:?}");
        };
        assert_eq!(romanian.rule, rule, "{field}: {romanian:?}");
        assert_eq!(romanian.message, model::messages::say(&english, Lang::Ro), "{field}");
        assert_ne!(romanian.message, model::messages::say(&english, Lang::En), "{field}: not translated");
        assert!(romanian.fix.is_empty() && !romanian.message.contains('`'), "{field}: {romanian:?}");
        assert!(!english.fix.is_empty(), "{field}: the maintainers' English keeps its fix");
    }
    let error: ApiError =
        call("POST", "/api/submissions?ui=xx").json(&submission("t")).expect(&s.state, StatusCode::BAD_REQUEST).await;
    assert!(error.error.contains("ui"), "{}", error.error);
    assert_eq!(entries(&s.content.join("submissions")), Vec::<String>::new(), "nothing was written");
}

/// The contributor's private status link: pending, then published with its address, or not
/// accepted with the maintainers' reason, in the contributor's language; any other token is a
/// 404, and the page is never stored by a cache.
#[tokio::test]
async fn the_status_link_shows_what_became_of_a_submission() {
    let s = setup(with_token);
    let page = |url: String| {
        let state = s.state.clone();
        async move {
            let (status, headers, body) = call("GET", &url).header("cookie", "ui=ro").send(&state).await;
            (status, headers, String::from_utf8(body).unwrap())
        }
    };
    let mut receipts = Vec::new();
    for title in ["Clubul de programare", "Atelier de lectură"] {
        let receipt: SubmissionReceipt =
            call("POST", "/api/submissions").json(&submission(title)).expect(&s.state, StatusCode::CREATED).await;
        let token = receipt.status_url.strip_prefix("/status/").expect("a status page");
        assert_eq!(token.len(), 32, "{receipt:?}");
        let record =
            std::fs::read_to_string(s.content.join("submissions").join(&receipt.id).join("submission.toml")).unwrap();
        assert!(!record.contains(token), "only the token's hash is stored: {record}");
        let (status, headers, html) = page(receipt.status_url.clone()).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers[header::CACHE_CONTROL], "no-store");
        assert!(html.contains(title) && html.contains("Așteaptă verificarea"), "{html}");
        receipts.push(receipt);
    }
    call("POST", &format!("/api/admin/submissions/{}/approve", receipts[0].id))
        .json(&serde_json::json!({"slug": "clubul-de-programare"}))
        .token(TOKEN)
        .expect::<Approved>(&s.state, StatusCode::OK)
        .await;
    call("POST", &format!("/api/admin/submissions/{}/reject", receipts[1].id))
        .json(&serde_json::json!({"reason": "Lipsesc rezultatele atelierului."}))
        .token(TOKEN)
        .expect::<SubmissionSummary>(&s.state, StatusCode::OK)
        .await;
    let (_, _, published) = page(receipts[0].status_url.clone()).await;
    assert!(
        published.contains("A fost publicat") && published.contains("href=\"/case/clubul-de-programare\""),
        "{published}"
    );
    let (_, _, refused) = page(receipts[1].status_url.clone()).await;
    assert!(
        refused.contains("Nu a fost acceptat") && refused.contains("Lipsesc rezultatele atelierului."),
        "{refused}"
    );
    for other in ["0123456789abcdef0123456789abcdef", "not-a-token", &receipts[0].id] {
        let (status, _, _) = page(format!("/status/{other}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{other}");
    }
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let s = setup(with_token);
    for (name, value) in [
        ("sec-fetch-site", "cross-site"),
        ("sec-fetch-site", "same-site"),
        ("origin", "https://evil.example"),
        ("origin", "null"),
    ] {
        let error: ApiError = call("POST", "/api/submissions")
            .json(&submission("t"))
            .header(name, value)
            .expect(&s.state, StatusCode::FORBIDDEN)
            .await;
        assert!(error.error.contains("site"), "{name}: {}", error.error);
    }
    call("POST", "/api/submissions")
        .json(&submission("t"))
        .header("sec-fetch-site", "same-origin")
        .header("origin", "http://localhost")
        .expect::<SubmissionReceipt>(&s.state, StatusCode::CREATED)
        .await;
    // The scheme counts: this server speaks plain HTTP unless its proxy says otherwise.
    call("POST", "/api/submissions")
        .json(&submission("t"))
        .header("origin", "https://localhost")
        .expect::<ApiError>(&s.state, StatusCode::FORBIDDEN)
        .await;
    call("POST", "/api/submissions")
        .json(&submission("t"))
        .header("origin", "https://localhost")
        .header("x-forwarded-proto", "https")
        .expect::<SubmissionReceipt>(&s.state, StatusCode::CREATED)
        .await;
    // With a public address, that is the only origin, whatever Host a client sends.
    let public = setup(|state| with_token(state).with_public_url(Some("https://cases.example.org/".into())));
    call("POST", "/api/submissions")
        .json(&submission("t"))
        .header("origin", "http://localhost")
        .expect::<ApiError>(&public.state, StatusCode::FORBIDDEN)
        .await;
    call("POST", "/api/submissions")
        .json(&submission("t"))
        .header("origin", "https://cases.example.org")
        .expect::<SubmissionReceipt>(&public.state, StatusCode::CREATED)
        .await;
}

#[tokio::test]
async fn one_client_is_limited_to_its_rate() {
    let s = setup(|state| state.with_admin_token(Some(TOKEN.into())).with_submissions_per_hour(2));
    for _ in 0..2 {
        call("POST", "/api/submissions")
            .json(&submission("t"))
            .expect::<SubmissionReceipt>(&s.state, StatusCode::CREATED)
            .await;
    }
    let (status, headers, body) = call("POST", "/api/submissions").json(&submission("t")).send(&s.state).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{}", String::from_utf8_lossy(&body));
    assert!(headers.contains_key(header::RETRY_AFTER));
}

/// Refused submissions cost no quota; behind a trusted proxy each client has its own, and a
/// client cannot choose its address by sending `X-Forwarded-For` itself.
#[tokio::test]
async fn the_limit_counts_accepted_submissions_of_each_client() {
    let proxy = "10.0.0.1:5000";
    let s = setup(|state| {
        with_token(state).with_submissions_per_hour(1).with_trusted_proxies(vec!["10.0.0.1".parse().unwrap()])
    });
    let post =
        |from: &str, forwarded: &str| call("POST", "/api/submissions").from(from).header("x-forwarded-for", forwarded);
    for _ in 0..3 {
        post(proxy, "192.0.2.7")
            .json(&submission(""))
            .expect::<ApiError>(&s.state, StatusCode::UNPROCESSABLE_ENTITY)
            .await;
        post(proxy, "192.0.2.7")
            .raw("{", "application/json")
            .expect::<ApiError>(&s.state, StatusCode::BAD_REQUEST)
            .await;
    }
    post(proxy, "192.0.2.7").json(&submission("t")).expect::<SubmissionReceipt>(&s.state, StatusCode::CREATED).await;
    post(proxy, "192.0.2.7").json(&submission("t")).expect::<ApiError>(&s.state, StatusCode::TOO_MANY_REQUESTS).await;
    post(proxy, "198.51.100.2, 192.0.2.8")
        .json(&submission("t"))
        .expect::<SubmissionReceipt>(&s.state, StatusCode::CREATED)
        .await;
    // Not through the proxy: the header is the client's own words.
    post("203.0.113.9:4000", "192.0.2.99")
        .json(&submission("t"))
        .expect::<SubmissionReceipt>(&s.state, StatusCode::CREATED)
        .await;
    post("203.0.113.9:4000", "192.0.2.100")
        .json(&submission("t"))
        .expect::<ApiError>(&s.state, StatusCode::TOO_MANY_REQUESTS)
        .await;
}

#[tokio::test]
async fn maintainer_endpoints_need_the_token() {
    let off = setup(|state| state.with_submissions_per_hour(0));
    let error: ApiError =
        call("GET", "/api/admin/submissions").token(TOKEN).expect(&off.state, StatusCode::SERVICE_UNAVAILABLE).await;
    assert!(error.error.contains("off"), "{}", error.error);

    let s = setup(with_token);
    let id = call("POST", "/api/submissions")
        .json(&submission("t"))
        .expect::<SubmissionReceipt>(&s.state, StatusCode::CREATED)
        .await
        .id;
    let endpoints = [
        ("GET", "/api/admin/submissions".to_owned()),
        ("GET", format!("/api/admin/submissions/{id}")),
        ("PUT", format!("/api/admin/submissions/{id}")),
        ("POST", format!("/api/admin/submissions/{id}/approve")),
        ("POST", format!("/api/admin/submissions/{id}/reject")),
    ];
    for (method, uri) in &endpoints {
        let (status, headers, _) = call(method, uri).json(&serde_json::json!({})).send(&s.state).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {uri} without a token");
        assert_eq!(headers[header::WWW_AUTHENTICATE], "Bearer");
        let (status, _, _) = call(method, uri).json(&serde_json::json!({})).token("wrong-token").send(&s.state).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {uri} with a wrong token");
    }
    let list: Vec<SubmissionSummary> =
        call("GET", "/api/admin/submissions").token(TOKEN).expect(&s.state, StatusCode::OK).await;
    assert_eq!(list.len(), 1);
    // The scheme is case-insensitive; answers with contact details are never cached.
    let (status, headers, _) =
        call("GET", "/api/admin/submissions").header("authorization", &format!("bearer {TOKEN}")).send(&s.state).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    // Paths from users never reach the file system unchecked.
    call("GET", "/api/admin/submissions/..%2F..%2Fetc")
        .token(TOKEN)
        .expect::<ApiError>(&s.state, StatusCode::BAD_REQUEST)
        .await;
}

#[tokio::test]
async fn approval_publishes_the_case_and_makes_it_searchable_at_once() {
    let s = setup(with_token);
    let mut hostile = submission("Клуб програмування <script>alert(1)</script>");
    hostile.sections.what_was_done = "Заняття <img src=x onerror=alert(2)> [x](javascript:alert(3))".into();
    let id = call("POST", "/api/submissions")
        .json(&hostile)
        .expect::<SubmissionReceipt>(&s.state, StatusCode::CREATED)
        .await
        .id;

    let detail: SubmissionDetail =
        call("GET", &format!("/api/admin/submissions/{id}")).token(TOKEN).expect(&s.state, StatusCode::OK).await;
    assert_eq!(detail.problems, []);
    assert_eq!(detail.submission.contact.email, "olena@library.ua");
    assert!(
        !detail.preview_html.contains("<img") && !detail.preview_html.contains("javascript:"),
        "{}",
        detail.preview_html
    );
    assert_eq!(detail.suggested_slug, "klub-programuvannya-script-alert-1-script");

    // An edit, then the approval under a confirmed slug.
    let mut edited = detail.submission.clone();
    edited.title = "Клуб програмування в сільській бібліотеці".into();
    call("PUT", &format!("/api/admin/submissions/{id}"))
        .json(&edited)
        .token(TOKEN)
        .expect::<SubmissionSummary>(&s.state, StatusCode::OK)
        .await;
    call("POST", &format!("/api/admin/submissions/{id}/approve"))
        .json(&serde_json::json!({"slug": "../etc"}))
        .token(TOKEN)
        .expect::<ApiError>(&s.state, StatusCode::BAD_REQUEST)
        .await;
    call("POST", &format!("/api/admin/submissions/{id}/approve"))
        .json(&serde_json::json!({"slug": "coding-club"}))
        .token(TOKEN)
        .expect::<ApiError>(&s.state, StatusCode::CONFLICT)
        .await;
    let approved: Approved = call("POST", &format!("/api/admin/submissions/{id}/approve"))
        .json(&serde_json::json!({"slug": "village-coding-club"}))
        .token(TOKEN)
        .expect(&s.state, StatusCode::OK)
        .await;
    assert_eq!(approved, Approved { slug: "village-coding-club".into(), indexed: true });
    assert_eq!(entries(&s.content.join("cases/village-coding-club")), ["case.toml", "uk.md"]);

    // Searchable right away, in Ukrainian and from the folded path.
    for q in ["сільській%20бібліотеці", "silskii"] {
        let found: SearchResponse = call("GET", &format!("/api/search?q={q}")).expect(&s.state, StatusCode::OK).await;
        assert!(found.hits.iter().any(|h| h.slug == "village-coding-club"), "{q}: {:?}", found.hits);
    }
    // Decided submissions stay, and cannot be decided twice.
    call("POST", &format!("/api/admin/submissions/{id}/reject"))
        .json(&serde_json::json!({"reason": "late"}))
        .token(TOKEN)
        .expect::<ApiError>(&s.state, StatusCode::CONFLICT)
        .await;
    let log = std::fs::read_to_string(s.content.join("submissions/audit.log")).unwrap();
    assert_eq!(
        log.lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["action"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>(),
        ["received", "edited", "approved"]
    );
    // The case passes the indexer's own check, so the next full build keeps it.
    collection::load(&s.content, &|_, _| {}).unwrap();
}

#[tokio::test]
async fn rejection_needs_a_reason_and_keeps_the_submission() {
    let s = setup(with_token);
    let id = call("POST", "/api/submissions")
        .json(&submission("t"))
        .expect::<SubmissionReceipt>(&s.state, StatusCode::CREATED)
        .await
        .id;
    let error: ApiError = call("POST", &format!("/api/admin/submissions/{id}/reject"))
        .json(&serde_json::json!({"reason": " "}))
        .token(TOKEN)
        .expect(&s.state, StatusCode::UNPROCESSABLE_ENTITY)
        .await;
    assert_eq!(error.problems[0].field, "reason");
    let summary: SubmissionSummary = call("POST", &format!("/api/admin/submissions/{id}/reject"))
        .json(&serde_json::json!({"reason": "Not a library project."}))
        .token(TOKEN)
        .expect(&s.state, StatusCode::OK)
        .await;
    assert_eq!(summary.status, ReviewStatus::Rejected);
    let detail: SubmissionDetail =
        call("GET", &format!("/api/admin/submissions/{id}")).token(TOKEN).expect(&s.state, StatusCode::OK).await;
    assert_eq!(detail.reason.as_deref(), Some("Not a library project."));
}

/// What a reader and a maintainer see of submission `id` and case `slug`.
async fn published(s: &Setup, id: &str, slug: &str) -> (bool, ReviewStatus, usize, bool) {
    let folder = s.content.join("cases").join(slug).exists();
    let detail: SubmissionDetail =
        call("GET", &format!("/api/admin/submissions/{id}")).token(TOKEN).expect(&s.state, StatusCode::OK).await;
    let log = std::fs::read_to_string(s.content.join("submissions/audit.log")).unwrap_or_default();
    let approvals = log.lines().filter(|line| line.contains("\"approved\"") && line.contains(id)).count();
    let found: SearchResponse = call("GET", "/api/search?q=%D1%81%D1%96%D0%BB%D1%8C%D1%81%D1%8C%D0%BA%D1%96%D0%B9")
        .expect(&s.state, StatusCode::OK)
        .await;
    let searchable = found.hits.iter().any(|hit| hit.slug == slug);
    (folder, detail.summary.status, approvals, searchable)
}

#[tokio::test]
async fn an_approval_that_fails_at_any_step_changes_nothing_and_a_retry_publishes() {
    use collection::Step;
    let s = setup(with_token);
    for (n, step) in [Step::CaseFolder, Step::Record, Step::Audit, Step::Publish].into_iter().enumerate() {
        let id = call("POST", "/api/submissions")
            .json(&submission("Клуб програмування в сільській бібліотеці"))
            .expect::<SubmissionReceipt>(&s.state, StatusCode::CREATED)
            .await
            .id;
        let slug = format!("village-club-{n}");
        s.state.store.fail_next(step);
        let approve = || {
            call("POST", &format!("/api/admin/submissions/{id}/approve"))
                .json(&serde_json::json!({ "slug": slug }))
                .token(TOKEN)
        };
        let failed: ApiError = approve().expect(&s.state, StatusCode::SERVICE_UNAVAILABLE).await;
        assert!(failed.error.contains("nothing was changed"), "{step:?}: {}", failed.error);
        assert_eq!(published(&s, &id, &slug).await, (false, ReviewStatus::Pending, 0, false), "{step:?}: undone");
        assert_eq!(entries(&s.content.join("cases")).iter().filter(|name| name.starts_with('.')).count(), 0);
        // The retry, with the same slug, publishes it once.
        let approved: Approved = approve().expect(&s.state, StatusCode::OK).await;
        assert!(approved.indexed);
        assert_eq!(published(&s, &id, &slug).await, (true, ReviewStatus::Approved, 1, true), "{step:?}: published");
    }
    collection::load(&s.content, &|_, _| {}).unwrap();
}

#[tokio::test]
async fn an_approval_whose_audit_log_cannot_be_written_is_undone() {
    let s = setup(with_token);
    let id = call("POST", "/api/submissions")
        .json(&submission("Клуб програмування в сільській бібліотеці"))
        .expect::<SubmissionReceipt>(&s.state, StatusCode::CREATED)
        .await
        .id;
    // A real failure, whoever runs the test (root ignores permissions): the log is a folder.
    let log = s.content.join("submissions/audit.log");
    let kept = std::fs::read(&log).unwrap();
    std::fs::remove_file(&log).unwrap();
    std::fs::create_dir(&log).unwrap();
    let approve = || {
        call("POST", &format!("/api/admin/submissions/{id}/approve"))
            .json(&serde_json::json!({"slug": "village-club"}))
            .token(TOKEN)
    };
    let failed: ApiError = approve().expect(&s.state, StatusCode::SERVICE_UNAVAILABLE).await;
    assert!(failed.error.contains("audit.log"), "{}", failed.error);
    assert!(!s.content.join("cases/village-club").exists());
    // Once the log can be written again, the same approval goes through.
    std::fs::remove_dir(&log).unwrap();
    std::fs::write(&log, kept).unwrap();
    approve().expect::<Approved>(&s.state, StatusCode::OK).await;
    assert_eq!(published(&s, &id, "village-club").await, (true, ReviewStatus::Approved, 1, true));
}
