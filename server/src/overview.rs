//! `/overview`: the collection at a glance ([`app::pages::overview`]).
//!
//! Its figures come from one pass over the index's stored cases, made once per index version
//! (a build or an approval changes it) and kept; each page view then only labels and draws them
//! in the reader's language.

use crate::error::AppError;
use crate::pages::{respond, visit};
use crate::state::AppState;
use app::pages::Page;
use app::pages::overview::{OverviewCase, OverviewPage};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use model::Lang;
use model::api::VocabularyView;
use std::sync::{Arc, Mutex};

/// One case as read from the index, its title in every language it has.
struct Gathered {
    case: OverviewCase,
    original: Lang,
    titles: Vec<(Lang, String)>,
}

/// The gathered cases of one index version.
#[derive(Default)]
pub struct OverviewCache(Mutex<Option<(String, Arc<Vec<Gathered>>)>>);

impl OverviewCache {
    /// The cases of the index `state` serves, gathered now if its version changed.
    fn cases(&self, state: &AppState) -> anyhow::Result<Arc<Vec<Gathered>>> {
        let engine = state.engine();
        let version = engine.version();
        if let Some((kept, cases)) = &*self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
            && *kept == version
        {
            return Ok(Arc::clone(cases));
        }
        let this_year = indexer::index::document::ongoing_until();
        let mut cases = Vec::new();
        engine.for_each_case(|stored| {
            let meta = &stored.meta;
            let start = meta.period.start_year().unwrap_or(this_year);
            let end = match meta.period.end_year() {
                Some(end) => Some(end.max(start)),
                None if meta.period.ongoing => None,
                None => Some(start),
            };
            cases.push(Gathered {
                case: OverviewCase {
                    slug: stored.slug.clone(),
                    title: String::new(),
                    countries: meta.countries.clone(),
                    themes: meta.themes.clone(),
                    audiences: meta.audiences.clone(),
                    org_type: meta.lead_organisation.kind.clone(),
                    funders: meta.funders.iter().map(|f| f.name.clone()).collect(),
                    langs: stored.texts.iter().map(|text| text.lang).collect(),
                    start,
                    end,
                },
                original: meta.original_language,
                titles: stored.texts.iter().map(|text| (text.lang, text.title.clone())).collect(),
            });
            true
        })?;
        cases.sort_by(|a, b| {
            (a.case.start, a.case.end.unwrap_or(u16::MAX), &a.case.slug).cmp(&(
                b.case.start,
                b.case.end.unwrap_or(u16::MAX),
                &b.case.slug,
            ))
        });
        let cases = Arc::new(cases);
        *self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some((version, Arc::clone(&cases)));
        Ok(cases)
    }
}

/// `GET /overview`: the map, the timeline and the counts, in the reader's language.
pub async fn page(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let visit = visit(&state, &request);
    let ui = visit.ui;
    let gathered = {
        let state = Arc::clone(&state);
        tokio::task::spawn_blocking(move || state.overview.cases(&state)).await
    };
    let cases = match gathered {
        Ok(Ok(cases)) => cases,
        Ok(Err(error)) => return AppError::internal(error).into_response(),
        Err(error) => return AppError::internal(error).into_response(),
    };
    let cases = cases
        .iter()
        .map(|gathered| {
            let title = [ui, gathered.original]
                .iter()
                .find_map(|lang| gathered.titles.iter().find(|(l, _)| l == lang))
                .or(gathered.titles.first())
                .map(|(_, title)| title.clone())
                .unwrap_or_default();
            OverviewCase { title, ..gathered.case.clone() }
        })
        .collect();
    let overview = OverviewPage {
        vocabulary: VocabularyView::new(state.engine().vocabulary(), ui),
        cases,
        this_year: indexer::index::document::ongoing_until(),
    };
    respond(&visit, Page::Overview(Arc::new(overview)), StatusCode::OK)
}
