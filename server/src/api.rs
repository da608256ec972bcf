//! The JSON API: search, case pages and the vocabulary.

use crate::error::AppError;
use crate::state::AppState;
use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use model::Lang;
use model::api::{ApiError, CaseView, SearchParams, SearchResponse, Stats, VocabularyView};
use model::validate::is_slug;
use serde::Serialize;
use std::sync::Arc;

/// Searches the collection: a page of hits, the exact total and the facet counts.
///
/// `GET /api/search?q=…&country=…&theme=…&…`. Filters of one kind are alternatives (any of the
/// countries); filters of different kinds must all hold.
#[utoipa::path(
    get,
    path = "/api/search",
    tag = "reading",
    params(SearchParams),
    responses(
        (status = 200, description = "A page of hits, the total and the facet counts", body = SearchResponse),
        (status = 400, description = "A parameter is unknown or malformed; the message names it", body = ApiError),
    )
)]
pub async fn search(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
) -> Result<Json<SearchResponse>, AppError> {
    let params =
        SearchParams::from_query(query.as_deref().unwrap_or("")).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let permit = Arc::clone(&state.searches).acquire_owned().await.map_err(AppError::internal)?;
    let engine = state.engine();
    let response = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        engine.search(&params)
    })
    .await??;
    Ok(Json(response))
}

/// Language parameters of a request (`lang`, `ui`, …), each named in `names`; any other
/// parameter is refused (400).
pub fn lang_params<const N: usize>(query: Option<&str>, names: [&str; N]) -> Result<[Option<Lang>; N], AppError> {
    let mut found = [None; N];
    for (name, value) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        let Some(i) = names.iter().position(|known| *known == name) else {
            return Err(AppError::BadRequest(format!(
                "parameter `{}` is not known here (expected {})",
                name.chars().take(40).collect::<String>(),
                names.join(", ")
            )));
        };
        found[i] = Some(value.parse::<Lang>().map_err(|e| AppError::BadRequest(format!("parameter `{name}`: {e}")))?);
    }
    Ok(found)
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

/// One case in one language, with labels in the reader's language.
///
/// `GET /api/cases/{slug}?lang=…&ui=…`: without `lang`, the case's original language.
#[utoipa::path(
    get,
    path = "/api/cases/{slug}",
    tag = "reading",
    params(
        ("slug" = String, Path, description = "The case's slug", pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 80),
        ("lang" = inline(Option<Lang>), Query, description = "The translation to show (else the original)"),
        ("ui" = inline(Option<Lang>), Query, description = "The reader's language, for labels"),
    ),
    responses(
        (status = 200, description = "The case", body = CaseView),
        (status = 400, description = "A malformed slug or parameter; the message names it", body = ApiError),
        (status = 404, description = "No case with this slug", body = ApiError),
    )
)]
pub async fn case(
    State(state): State<Arc<AppState>>,
    slug: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> Result<Json<CaseView>, AppError> {
    let Path(slug) = slug?;
    let slug = checked_slug(&slug)?.to_owned();
    // `lang`: which translation; `ui`: the reader's language, for labels.
    let [lang, ui] = lang_params(query.as_deref(), ["lang", "ui"])?;
    let engine = state.engine();
    let found = tokio::task::spawn_blocking({
        let slug = slug.clone();
        move || engine.case(&slug, lang, ui)
    })
    .await??;
    found.map(Json).ok_or_else(|| AppError::NotFound(format!("no case `{slug}`")))
}

/// The vocabulary: themes, audiences, organisation types and countries.
///
/// `GET /api/vocabulary?ui=…`: labelled in the reader's language (English by default).
#[utoipa::path(
    get,
    path = "/api/vocabulary",
    tag = "reading",
    params(("ui" = inline(Option<Lang>), Query, description = "The language of the labels (English by default)")),
    responses(
        (status = 200, description = "The vocabulary, labelled", body = VocabularyView),
        (status = 400, description = "A malformed or unknown parameter; the message names it", body = ApiError),
    )
)]
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

/// What the server is serving: cases, index generation, size and languages.
///
/// `GET /api/stats`
#[utoipa::path(
    get,
    path = "/api/stats",
    tag = "operations",
    responses((status = 200, description = "The serving index generation", body = Stats))
)]
pub async fn stats(State(state): State<Arc<AppState>>) -> Json<Stats> {
    let engine = state.engine();
    let info = engine.info();
    let built_at = chrono::DateTime::from_timestamp(info.built_at as i64, 0)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default();
    Json(Stats {
        cases: engine.num_cases(),
        generation: info.id.clone(),
        built_at,
        index_bytes: indexer::index::generation::dir_size(engine.dir()),
        languages: engine.language_counts(),
    })
}

/// The answer of `GET /healthz`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `ok` when a search was answered within [`HEALTH_DEADLINE`], else `unhealthy` (with 503).
    pub status: String,
    /// The serving index generation.
    pub generation: String,
    /// Cases searchable now.
    pub cases: u64,
}

/// How long a health check's search may take before the server is unhealthy.
pub const HEALTH_DEADLINE: std::time::Duration = std::time::Duration::from_secs(2);

/// Whether the server can answer a search now, and what it serves.
///
/// `GET /healthz`: runs a one-word search through the same queue as the readers' searches, so a
/// server whose searches are stuck (every slot taken by slow clients, the disk gone) says so.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "operations",
    responses(
        (status = 200, description = "A search was answered within the deadline", body = Health),
        (status = 503, description = "No search could be answered within the deadline", body = Health),
    )
)]
pub async fn healthz(State(state): State<Arc<AppState>>) -> (axum::http::StatusCode, Json<Health>) {
    let engine = state.engine();
    let probe = {
        let (state, engine) = (state.clone(), engine.clone());
        async move {
            let _permit = state.searches.clone().acquire_owned().await.ok()?;
            let params = model::api::SearchParams { q: "library".into(), per_page: 1, ..Default::default() };
            tokio::task::spawn_blocking(move || engine.search(&params).ok()).await.ok().flatten()
        }
    };
    let answered = tokio::time::timeout(HEALTH_DEADLINE, probe).await.ok().flatten().is_some();
    let health = Health {
        status: if answered { "ok" } else { "unhealthy" }.into(),
        generation: engine.info().id.clone(),
        cases: engine.num_cases(),
    };
    if !answered {
        tracing::error!(deadline_s = HEALTH_DEADLINE.as_secs(), "unhealthy: a search was not answered in time");
    }
    let status = if answered { axum::http::StatusCode::OK } else { axum::http::StatusCode::SERVICE_UNAVAILABLE };
    (status, Json(health))
}
