//! The HTML pages. Each handler gathers what its page shows (a search, a case, the vocabulary, a
//! posted form), picks its status, and renders the app's Leptos components to a complete
//! document (`app::pages::render`); the browser's wasm only wakes the islands in it.
//!
//! The interface language of a page is the `ui` parameter if given, else the reader's choice
//! (the `ui` cookie, set by `/settings`), else the browser's `Accept-Language`, else English.
//! Save-data is the `low_data` cookie, else the browser's `Save-Data` header.

use crate::api::checked_slug;
use crate::error::AppError;
use crate::extract::{Client, SameSite};
use crate::share::{base_url, qr_svg};
use crate::state::AppState;
use crate::submissions::{is_id, receive};
use app::pages::case::CasePage;
use app::pages::search::SearchPage;
use app::pages::status::StatusPage;
use app::pages::submit::SubmitPage;
use app::pages::{Page, render};
use app::site::Visit;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use model::Lang;
use model::api::{SearchParams, VocabularyView};
use model::submission::{MAX_BODY_BYTES, Submission};
use std::borrow::Cow;
use std::sync::Arc;

/// Results per page in save-data mode, unless the reader asks for more.
const LOW_DATA_PER_PAGE: u32 = 5;
/// How long the reader's choices are remembered.
const PREFERENCE_SECONDS: u32 = 365 * 24 * 3600;

/// A cookie of the request.
fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|line| line.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find_map(|(key, value)| (key == name).then_some(value))
}

/// The first value of parameter `name` in a query string.
fn parameter<'a>(query: &'a str, name: &str) -> Option<Cow<'a, str>> {
    form_urlencoded::parse(query.as_bytes()).find_map(|(key, value)| (key == name).then_some(value))
}

/// Who is asking, as the page needs to know: language, save-data, where the page is.
pub(crate) fn visit(state: &AppState, request: &Request) -> Visit {
    let headers = request.headers();
    let query = request.uri().query().unwrap_or("");
    let ui = parameter(query, "ui")
        .and_then(|code| code.parse::<Lang>().ok())
        .or_else(|| cookie(headers, "ui").and_then(|code| code.parse().ok()))
        .or_else(|| headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Lang::preferred))
        .unwrap_or(Lang::En);
    let low_data = match cookie(headers, "low_data") {
        Some(value) => value == "on",
        None => headers.get("save-data").and_then(|v| v.to_str().ok()).is_some_and(|v| v.eq_ignore_ascii_case("on")),
    };
    let here = request.uri().path_and_query().map_or("/", |p| p.as_str()).to_owned();
    Visit { ui, low_data, here, base_url: base_url(state, headers), assets: state.built.clone() }
}

/// Renders `page` and answers with `status`.
pub(crate) fn respond(visit: &Visit, page: Page, status: StatusCode) -> Response {
    html_response(render(visit, &page), status)
}

/// HTML answered with `status`. Pages depend on the reader's cookies and languages, and are
/// never cached without asking.
fn html_response(html: String, status: StatusCode) -> Response {
    let mut response = (status, Html(html)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(header::VARY, HeaderValue::from_static("accept-language, cookie, save-data"));
    response
}

/// Runs the search a page asked for: its page and status (400 with the problem for a malformed
/// request, the reader's words kept in the box either way).
async fn search_page(state: &AppState, visit: &Visit, query: &str) -> (StatusCode, SearchPage) {
    let typed = parameter(query, "q").map(Cow::into_owned).unwrap_or_default();
    let params = match SearchParams::from_form_query(query) {
        Ok(params) => params,
        Err(error) => {
            let params = SearchParams { q: typed.trim().to_owned(), ..SearchParams::default() };
            let page = SearchPage { typed, params, per_page: 0, answer: Err(error.to_string()) };
            return (StatusCode::BAD_REQUEST, page);
        }
    };
    let per_page = if params.per_page == 0 && visit.low_data { LOW_DATA_PER_PAGE } else { params.per_page() };
    let asked = SearchParams { ui: Some(visit.ui), per_page, ..params.clone() };
    let answer = match Arc::clone(&state.searches).acquire_owned().await {
        Ok(permit) => {
            let engine = state.engine();
            tokio::task::spawn_blocking(move || {
                let _permit = permit;
                engine.search(&asked)
            })
            .await
            .map_err(AppError::from)
            .and_then(|found| found.map_err(AppError::from))
        }
        Err(error) => Err(AppError::internal(error)),
    };
    match answer {
        Ok(response) => (StatusCode::OK, SearchPage { typed, params, per_page, answer: Ok(response) }),
        Err(error) => {
            let status = error.status();
            (status, SearchPage { typed, params, per_page, answer: Err(error.public_message()) })
        }
    }
}

/// `/?q=…&country=…`: the search page with its results.
pub async fn search(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let visit = visit(&state, &request);
    let query = request.uri().query().unwrap_or("").to_owned();
    let (status, page) = search_page(&state, &visit, &query).await;
    respond(&visit, Page::Search(Arc::new(page)), status)
}

/// `/fragment/results?…`: the search page's results region alone, which its island swaps in as
/// the reader types and filters.
pub async fn results(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let visit = visit(&state, &request);
    let query = request.uri().query().unwrap_or("").to_owned();
    let (status, page) = search_page(&state, &visit, &query).await;
    let mut response = html_response(app::pages::search::results_html(&visit, &page), status);
    response
        .headers_mut()
        .insert(axum::http::HeaderName::from_static("x-robots-tag"), HeaderValue::from_static("noindex"));
    response
}

/// `/case/{slug}?lang=…`: the case in one language (else the reader's, else its original), or
/// a 404 page.
pub async fn case(State(state): State<Arc<AppState>>, Path(slug): Path<String>, request: Request) -> Response {
    let visit = visit(&state, &request);
    let query = request.uri().query().unwrap_or("");
    let lang = parameter(query, "lang").and_then(|code| code.parse::<Lang>().ok());
    let found = match checked_slug(&slug) {
        Ok(slug) => {
            let (engine, slug, ui) = (state.engine(), slug.to_owned(), visit.ui);
            tokio::task::spawn_blocking(move || engine.case(&slug, lang, Some(ui)))
                .await
                .ok()
                .and_then(Result::ok)
                .flatten()
        }
        Err(_) => None,
    };
    match found {
        Some(case) => {
            let qr_svg = qr_svg(&format!("{}/case/{}", visit.base_url, case.slug)).unwrap_or_default();
            let show_photos = parameter(query, "photos").is_some_and(|v| v == "show");
            let page = Page::Case(Arc::new(CasePage { case, qr_svg, show_photos }));
            respond(&visit, page, StatusCode::OK)
        }
        None => respond(&visit, Page::NotFound, StatusCode::NOT_FOUND),
    }
}

/// The submission page for a form with `draft`, posted or not.
fn submit_page(state: &AppState, visit: &Visit, draft: Submission, posted: bool) -> SubmitPage {
    SubmitPage {
        vocabulary: VocabularyView::new(state.engine().vocabulary(), visit.ui),
        draft,
        posted,
        problems: Vec::new(),
        message: None,
        received: None,
    }
}

/// `/submit`: the submission form, or (`?received=<id>`) the confirmation of one received.
pub async fn submit(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let visit = visit(&state, &request);
    let query = request.uri().query().unwrap_or("");
    let received = parameter(query, "received").filter(|id| is_id(id)).map(Cow::into_owned).map(|id| {
        let status_url = parameter(query, "status")
            .filter(|token| collection::queue::is_status_token(token))
            .map(|token| crate::submissions::status_url(&token));
        (id, status_url)
    });
    let draft = Submission { lang: visit.ui, ..Submission::default() };
    let page = SubmitPage { received, ..submit_page(&state, &visit, draft, false) };
    respond(&visit, Page::Submit(Arc::new(page)), StatusCode::OK)
}

/// `POST /submit`: the form as a browser without script sends it. A received submission
/// redirects to its confirmation; a refused one comes back as the form with everything as sent
/// and each problem at its field; "add a row" and "remove a row" come back as the form with the
/// row added or removed.
pub async fn submit_form(State(state): State<Arc<AppState>>, request: Request<Body>) -> Response {
    let visit = visit(&state, &request);
    let client = Client::of(&state, request.headers(), request.extensions());
    let (parts, body) = request.into_parts();
    let sent = match SameSite::check(&state, &parts.headers) {
        Ok(SameSite) => read_form(&parts.headers, body).await,
        Err(error) => Err(error),
    };
    let empty = Submission { lang: visit.ui, ..Submission::default() };
    let refused = |error: AppError, draft: Submission| {
        let status = error.status();
        let (message, problems) = match error {
            AppError::Invalid { problems, .. } => (app::i18n::studio_texts(visit.ui).fix_problems.to_owned(), problems),
            other => (other.public_message(), Vec::new()),
        };
        let page = SubmitPage { problems, message: Some(message), ..submit_page(&state, &visit, draft, true) };
        (status, page)
    };
    let (status, page) = match sent
        .and_then(|body| Submission::from_form(form_urlencoded::parse(&body)).map_err(AppError::BadRequest))
    {
        Err(error) => refused(error, empty),
        Ok((mut draft, Some(edit))) => {
            draft.edit_rows(&edit);
            (StatusCode::OK, submit_page(&state, &visit, draft, true))
        }
        Ok((draft, None)) => match receive(&state, client, draft.clone(), Vec::new()).await {
            Ok((id, token)) => {
                let ui = visit.ui.code();
                return Redirect::to(&format!("/submit?received={id}&status={token}&ui={ui}")).into_response();
            }
            Err(error) => refused(error, draft),
        },
    };
    respond(&visit, Page::Submit(Arc::new(page)), status)
}

/// The body of a posted form: sent as a form (415 otherwise), at most the size of a submission
/// (413).
async fn read_form(headers: &HeaderMap, body: Body) -> Result<axum::body::Bytes, AppError> {
    let is_form = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| {
        v.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("application/x-www-form-urlencoded")
    });
    if !is_form {
        return Err(AppError::UnsupportedMediaType("send the form as application/x-www-form-urlencoded".into()));
    }
    axum::body::to_bytes(body, MAX_BODY_BYTES).await.map_err(|error| {
        AppError::unread_body(&error, || {
            AppError::PayloadTooLarge(format!("the form is larger than the {MAX_BODY_BYTES} bytes allowed"))
        })
    })
}

/// `/status/{token}`: what became of a submission, for the contributor holding its private link
/// (404 for any other token). Never stored by a cache.
pub async fn status(State(state): State<Arc<AppState>>, Path(token): Path<String>, request: Request) -> Response {
    let visit = visit(&state, &request);
    let store = state.clone();
    let found =
        tokio::task::spawn_blocking(move || store.store.by_status_token(&token)).await.ok().and_then(Result::ok);
    let mut response = match found.and_then(|stored| Some((stored.record, stored.case?))) {
        Some((record, case)) => {
            let text = case.texts.first();
            let page = StatusPage {
                id: record.id,
                title: text.map(|text| text.front.title.clone()).unwrap_or_default(),
                lang: case.meta.original_language,
                received_at: record.received_at,
                status: record.status,
                slug: record.slug,
                reason: record.reason,
            };
            respond(&visit, Page::Status(Arc::new(page)), StatusCode::OK)
        }
        None => respond(&visit, Page::NotFound, StatusCode::NOT_FOUND),
    };
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `/admin`: the maintainers' review, kept out of search engines.
pub async fn admin(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let visit = visit(&state, &request);
    respond(&visit, Page::Admin { enabled: state.admin_token.is_some() }, StatusCode::OK)
}

/// `/offline`: the page the service worker shows for a page it has not kept.
pub async fn offline(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let visit = visit(&state, &request);
    respond(&visit, Page::Offline, StatusCode::OK)
}

/// Anything else: a 404 page.
pub async fn not_found(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let visit = visit(&state, &request);
    respond(&visit, Page::NotFound, StatusCode::NOT_FOUND)
}

/// `/settings?ui=ro&back=/case/…` or `?low_data=on`: remembers the reader's interface language or
/// save-data choice in a cookie and goes back to the page (a path on this site, its own `ui`
/// parameter dropped so the choice shows).
pub async fn settings(request: Request) -> Result<Response, AppError> {
    let query = request.uri().query().unwrap_or("");
    let mut cookies = Vec::new();
    let mut back = "/".to_owned();
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        match name.as_ref() {
            "ui" => {
                let lang: Lang = value.parse().map_err(|e| AppError::BadRequest(format!("parameter `ui`: {e}")))?;
                cookies.push(format!("ui={lang}"));
            }
            "low_data" => match value.as_ref() {
                "on" | "off" => cookies.push(format!("low_data={value}")),
                other => {
                    return Err(AppError::BadRequest(format!(
                        "parameter `low_data`: `{}` is not on or off",
                        other.chars().take(20).collect::<String>()
                    )));
                }
            },
            "back" => back = local_path(&value),
            other => {
                return Err(AppError::BadRequest(format!(
                    "parameter `{}` is not a setting (expected ui, low_data, back)",
                    other.chars().take(40).collect::<String>()
                )));
            }
        }
    }
    let mut response = Redirect::to(&back).into_response();
    for cookie in cookies {
        let value = format!("{cookie}; Path=/; Max-Age={PREFERENCE_SECONDS}; SameSite=Lax; HttpOnly");
        response.headers_mut().append(header::SET_COOKIE, HeaderValue::from_str(&value).map_err(AppError::internal)?);
    }
    Ok(response)
}

/// `back` as a path on this site without its `ui` parameter; anything else is the home page.
fn local_path(back: &str) -> String {
    let is_local = back.starts_with('/') && !back.starts_with("//") && !back.contains(['\\', '\r', '\n']);
    if !is_local {
        return "/".to_owned();
    }
    let (path, query) = back.split_once('?').unwrap_or((back, ""));
    let kept: Vec<(Cow<str>, Cow<str>)> =
        form_urlencoded::parse(query.as_bytes()).filter(|(name, _)| name != "ui").collect();
    if kept.is_empty() {
        return path.to_owned();
    }
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (name, value) in kept {
        out.append_pair(&name, &value);
    }
    format!("{path}?{}", out.finish())
}
