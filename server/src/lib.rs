//! The HTTP server: the search API, case pages and the built app, over the serving index
//! generation. [`app`] builds the router (tests call it without a socket); `main` only parses
//! flags and binds.
//!
//! The server only reads the index; it never opens an index writer for a full build. It follows
//! the indexer's generations by watching `CURRENT` ([`state::watch_generations`]).

pub mod admin;
pub mod api;
pub mod error;
pub mod exports;
pub mod pages;
pub mod share;
pub mod state;
pub mod submissions;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::routing::{get, post};
use state::AppState;
use std::sync::Arc;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// The whole application.
pub fn app(state: Arc<AppState>) -> Router {
    let api = Router::new()
        .route("/api/search", get(api::search))
        .route("/api/cases/{slug}", get(api::case))
        .route("/api/vocabulary", get(api::vocabulary))
        .route("/api/export.csv", get(exports::csv))
        .route("/api/export.json", get(exports::json))
        .route("/feed/{file}", get(exports::feed))
        .route("/case/{slug}/qr.svg", get(share::qr))
        .route("/api/submissions", post(submissions::create))
        .route("/api/admin/submissions", get(admin::list))
        .route("/api/admin/submissions/{id}", get(admin::get).put(admin::edit))
        .route("/api/admin/submissions/{id}/approve", post(admin::approve))
        .route("/api/admin/submissions/{id}/reject", post(admin::reject))
        .route("/healthz", get(api::healthz));

    let pages = Router::new()
        .route("/", get(pages::app))
        .route("/submit", get(pages::submit))
        .route("/admin", get(pages::admin))
        .route("/case/{slug}", get(pages::case));

    let mut router = api.merge(pages);
    if let Some(dir) = &state.assets {
        // Built files have content hashes in their names: cache them for a year.
        let assets = ServeDir::new(dir)
            .precompressed_br()
            .precompressed_gzip()
            .fallback(get(pages::not_found).with_state(state.clone()));
        router = router.nest_service(
            "/assets",
            tower::ServiceBuilder::new()
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=31536000, immutable"),
                ))
                .service(ServeDir::new(dir.join("assets")).precompressed_br().precompressed_gzip()),
        );
        router = router.fallback_service(assets);
    } else {
        router = router.fallback(pages::not_found);
    }
    // Pages and JSON are compressed on the fly (brotli or gzip, as the client accepts); built
    // assets are already compressed and pass through.
    router.layer(CompressionLayer::new()).layer(TraceLayer::new_for_http()).with_state(state)
}
