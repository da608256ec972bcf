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
use axum::http::{HeaderName, HeaderValue, Request, header};
use axum::routing::{get, post};
use state::AppState;
use std::sync::Arc;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
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
        .route("/healthz", get(api::healthz))
        .route("/api/stats", get(api::stats));

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
    let router = router.layer(CompressionLayer::new());
    let router = security_headers(router);
    // Every request gets an id (or keeps the client's), logged with it and sent back.
    let request_id = HeaderName::from_static("x-request-id");
    let trace = TraceLayer::new_for_http()
        .make_span_with(|request: &Request<_>| {
            let id = request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", id = %id, method = %request.method(), path = %request.uri().path())
        })
        .on_request(())
        .on_response(tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO));
    router
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(trace)
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .with_state(state)
}

/// The content security policy of every response: only this site's scripts (and WebAssembly),
/// no plugins, no base-URL tricks, no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// Security headers on every response, errors and assets included.
fn security_headers<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    let headers = [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (HeaderName::from_static("permissions-policy"), "camera=(), microphone=(), geolocation=()"),
    ];
    headers.into_iter().fold(router, |router, (name, value)| {
        router.layer(SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value)))
    })
}
