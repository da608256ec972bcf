//! The JSON API: search, case pages and the vocabulary.

use crate::error::AppError;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use model::Lang;
use model::api::{CaseView, SearchParams, SearchResponse, VocabularyView};
use model::validate::is_slug;
use std::sync::Arc;

/// `GET /api/search?q=…&country=…&theme=…&…`
pub async fn search(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
) -> Result<Json<SearchResponse>, AppError> {
    let params =
        SearchParams::from_query(query.as_deref().unwrap_or("")).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let engine = state.engine();
    let response = tokio::task::spawn_blocking(move || engine.search(&params)).await??;
    Ok(Json(response))
}

/// Query parameters of a case request: `lang` (which translation) and `ui` (the reader's
/// language, for labels).
fn case_params(query: Option<&str>) -> Result<(Option<Lang>, Option<Lang>), AppError> {
    let (mut lang, mut ui) = (None, None);
    for (name, value) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        let parsed = || value.parse::<Lang>().map_err(|e| AppError::BadRequest(format!("parameter `{name}`: {e}")));
        match name.as_ref() {
            "lang" => lang = Some(parsed()?),
            "ui" => ui = Some(parsed()?),
            other => {
                return Err(AppError::BadRequest(format!(
                    "parameter `{}` is not known here (expected lang, ui)",
                    other.chars().take(40).collect::<String>()
                )));
            }
        }
    }
    Ok((lang, ui))
}

/// Checks a slug from a URL before it goes anywhere near the index or the file system.
pub fn checked_slug(slug: &str) -> Result<&str, AppError> {
    if is_slug(slug) {
        Ok(slug)
    } else {
        Err(AppError::BadRequest(format!(
            "`{}` is not a valid case slug (lowercase letters, digits and hyphens)",
            slug.chars().take(80).collect::<String>()
        )))
    }
}

/// `GET /api/cases/{slug}?lang=…&ui=…`
pub async fn case(
    State(state): State<Arc<AppState>>,
    Path(slug): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Json<CaseView>, AppError> {
    let slug = checked_slug(&slug)?.to_owned();
    let (lang, ui) = case_params(query.as_deref())?;
    let engine = state.engine();
    let found = tokio::task::spawn_blocking({
        let slug = slug.clone();
        move || engine.case(&slug, lang, ui)
    })
    .await??;
    found.map(Json).ok_or_else(|| AppError::NotFound(format!("no case `{slug}`")))
}

/// `GET /api/vocabulary?ui=…`: themes, audiences, organisation types and countries, labelled in
/// the reader's language (English by default).
pub async fn vocabulary(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
) -> Result<Json<VocabularyView>, AppError> {
    let mut lang = Lang::En;
    for (name, value) in form_urlencoded::parse(query.as_deref().unwrap_or("").as_bytes()) {
        match name.as_ref() {
            "ui" => lang = value.parse().map_err(|e| AppError::BadRequest(format!("parameter `ui`: {e}")))?,
            other => {
                return Err(AppError::BadRequest(format!(
                    "parameter `{}` is not known here (expected ui)",
                    other.chars().take(40).collect::<String>()
                )));
            }
        }
    }
    Ok(Json(VocabularyView::new(state.engine().vocabulary(), lang)))
}

/// `GET /api/stats`: what the server is serving.
pub async fn stats(State(state): State<Arc<AppState>>) -> Json<model::api::Stats> {
    let engine = state.engine();
    let info = engine.info();
    let built_at = chrono::DateTime::from_timestamp(info.built_at as i64, 0)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default();
    Json(model::api::Stats {
        cases: engine.num_cases(),
        generation: info.id.clone(),
        built_at,
        index_bytes: indexer::index::generation::dir_size(engine.dir()),
        languages: engine.language_counts(),
    })
}

/// `GET /healthz`
pub async fn healthz(State(state): State<Arc<AppState>>) -> Json<serde_json::Value> {
    let engine = state.engine();
    Json(serde_json::json!({ "status": "ok", "generation": engine.info().id, "cases": engine.num_cases() }))
}
