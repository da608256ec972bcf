//! HTML pages: the app shell for every route the app knows, with metadata filled in by the
//! server, and the built assets.

use crate::api::checked_slug;
use crate::share::{base_url, case_head};
use crate::state::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use model::Lang;
use std::sync::Arc;

const DEFAULT_TITLE: &str = "Case studies: libraries and NGOs in Romania, Moldova, Ukraine and Greece";

/// The reader's shell with `head` inserted at its marker.
fn shell(state: &AppState, head: &str, status: StatusCode) -> Response {
    shell_from(state.shell.as_deref(), head, status)
}

fn shell_from(shell: Option<&str>, head: &str, status: StatusCode) -> Response {
    let Some(shell) = shell else {
        return (StatusCode::NOT_FOUND, "the app is not built; run `cargo xtask build`").into_response();
    };
    let page = shell.replacen("<!--head-->", head, 1);
    let mut response = (status, Html(page)).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

fn title_tag(title: &str) -> String {
    format!("<title>{}</title>", indexer::index::snippet::escape(title))
}

/// `/`: the reader's shell.
pub async fn app(State(state): State<Arc<AppState>>) -> Response {
    shell(&state, &title_tag(DEFAULT_TITLE), StatusCode::OK)
}

/// `/submit`: the studio's shell.
pub async fn submit(State(state): State<Arc<AppState>>) -> Response {
    shell_from(state.studio_shell.as_deref(), &title_tag("Submit a case study"), StatusCode::OK)
}

/// `/admin`: the studio's shell; maintainers' pages are not for search engines.
pub async fn admin(State(state): State<Arc<AppState>>) -> Response {
    shell_from(
        state.studio_shell.as_deref(),
        &format!("{}\n<meta name=\"robots\" content=\"noindex\">", title_tag("Review submissions")),
        StatusCode::OK,
    )
}

/// `/case/{slug}?lang=…`: the shell with the case's title, description, OpenGraph tags and
/// JSON-LD, so a shared link previews before any wasm runs; a 404 page for an unknown case.
pub async fn case(
    State(state): State<Arc<AppState>>,
    Path(slug): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let lang = form_urlencoded::parse(query.as_deref().unwrap_or("").as_bytes())
        .find(|(name, _)| name == "lang")
        .and_then(|(_, value)| value.parse::<Lang>().ok());
    let found = match checked_slug(&slug) {
        Ok(slug) => {
            let engine = state.engine();
            let slug = slug.to_owned();
            tokio::task::spawn_blocking(move || engine.case(&slug, lang, lang))
                .await
                .ok()
                .and_then(Result::ok)
                .flatten()
        }
        Err(_) => None,
    };
    match found {
        Some(case) => shell(&state, &case_head(&case, &base_url(&state, &headers)), StatusCode::OK),
        None => not_found_page(&state),
    }
}

fn not_found_page(state: &AppState) -> Response {
    shell(state, &title_tag("Page not found"), StatusCode::NOT_FOUND)
}

/// Anything else: a 404 page.
pub async fn not_found(State(state): State<Arc<AppState>>) -> Response {
    not_found_page(&state)
}
