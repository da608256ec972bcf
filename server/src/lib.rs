//! The HTTP server: the pages (rendered here from the `app` crate's Leptos components), the
//! search API and the built app's assets, over the serving index generation. [`app`] builds the
//! router (tests call it without a socket); `main` only parses flags and binds.
//!
//! The server only reads the index; it never opens an index writer for a full build. It follows
//! the indexer's generations by watching `CURRENT` ([`state::watch_generations`]).
//!
//! The JSON API's routes are registered with their OpenAPI descriptions ([`api_routes`]), and
//! the document generated from them is served at `/api/openapi.json` ([`openapi`]).

pub mod admin;
pub mod api;
pub mod error;
pub mod exports;
pub mod extract;
pub mod openapi;
pub mod overview;
pub mod pages;
pub mod serve;
pub mod share;
pub mod state;
pub mod submissions;
pub mod uploads;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Request, header};
use axum::routing::get;
use state::AppState;
use std::sync::Arc;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::RequestBodyTimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The JSON API: each route is registered together with its handler's OpenAPI description.
pub fn api_routes() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .routes(routes!(api::search))
        .routes(routes!(api::case))
        .routes(routes!(api::vocabulary))
        .routes(routes!(exports::csv))
        .routes(routes!(exports::json))
        .routes(routes!(exports::feed))
        .routes(routes!(submissions::create))
        .routes(uploads::routes())
        .routes(routes!(admin::list))
        .routes(routes!(admin::get, admin::edit))
        .routes(routes!(admin::approve))
        .routes(routes!(admin::reject))
        .routes(routes!(api::healthz))
        .routes(routes!(api::stats))
        .routes(routes!(openapi::document))
}

/// The OpenAPI document of the JSON API, as served at `/api/openapi.json`.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    let mut document = api_routes().into_openapi();
    openapi::close_objects(&mut document);
    document
}

/// How long a request's body may take to arrive; a client that promises a body and sends it
/// slowly, or never, is answered 408 and its connection freed.
pub const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15);

/// The whole application.
pub fn app(state: Arc<AppState>) -> Router {
    let (api, _) = api_routes().split_for_parts();
    let api = api
        .route("/case/{slug}/qr.svg", get(share::qr))
        .route("/api/admin/submissions/{id}/photos/{file}", get(uploads::pending));

    let pages = Router::new()
        .route("/", get(pages::search))
        .route("/fragment/results", get(pages::results))
        .route("/submit", get(pages::submit).post(pages::submit_form))
        .route("/admin", get(pages::admin))
        .route("/status/{token}", get(pages::status))
        .route("/offline", get(pages::offline))
        .route("/overview", get(overview::page))
        .route("/settings", get(pages::settings))
        .route("/case/{slug}", get(pages::case))
        .route("/photos/{slug}/{file}", get(uploads::published));

    let mut router = api.merge(pages);
    if let Some(dir) = &state.assets {
        // Built files have content hashes in their names: cache them for a year. A name that is
        // not there (a deploy half done, an old page) is never cached.
        let cache = |response: &axum::http::Response<_>| {
            Some(HeaderValue::from_static(if response.status().is_success() {
                "public, max-age=31536000, immutable"
            } else {
                "no-store"
            }))
        };
        router = router.nest_service(
            "/assets",
            tower::ServiceBuilder::new()
                .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, cache))
                .service(ServeDir::new(dir.join("assets")).precompressed_br().precompressed_gzip()),
        );
        // The service worker, the manifest and the icon, at the root; anything else is a 404 page.
        let files = ServeDir::new(dir)
            .precompressed_br()
            .precompressed_gzip()
            .fallback(get(pages::not_found).with_state(state.clone()));
        router = router.fallback_service(files);
    } else {
        router = router.fallback(pages::not_found);
    }
    // Pages and JSON are compressed on the fly, as the client accepts: zstd first when the client
    // ranks it equal (current browsers send it), then brotli, then gzip. For a 10.8 KB search
    // answer, zstd level 3 took 53 µs and wrote 3,830 bytes against brotli level 4's 169 µs and
    // 3,618 bytes (tower-http's defaults, measured on this project's 2-core machine). Built
    // assets are already compressed and pass through.
    let router = router.layer(CompressionLayer::new()).layer(RequestBodyTimeoutLayer::new(BODY_TIMEOUT));
    let router = router.layer(axum::middleware::from_fn(head_limit));
    let router = security_headers(router.layer(axum::middleware::map_response(finish)));
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
/// no plugins, no base-URL tricks, no framing. Images also from `blob:`: the previews of photos
/// being attached, and the review's photos, which it fetches with the maintainers' token.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// Refuses a request whose address and headers are over [`serve::MAX_HEAD`] together. The
/// connection loop's buffer stops a head that arrives in pieces at about that size; one that
/// arrives at once can be read whole, and is refused here, as JSON like every error.
async fn head_limit(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Result<axum::response::Response, error::AppError> {
    let headers: usize = request.headers().iter().map(|(name, value)| name.as_str().len() + value.len() + 4).sum();
    let size = request.uri().to_string().len() + headers;
    if size > serve::MAX_HEAD {
        return Err(error::AppError::HeadTooLarge(size));
    }
    Ok(next.run(request).await)
}

/// What every answer gets, whatever answered it: the review's answers are never cached (they
/// hold contributors' contact details), and an error that a layer or the router wrote in plain
/// text or empty (a path that does not decode, a method not allowed, an unknown API path) is
/// JSON naming the problem, as the API's own are.
async fn finish(uri: axum::extract::OriginalUri, response: axum::response::Response) -> axum::response::Response {
    let path = uri.path();
    let mut response = if response.status().is_client_error() || response.status().is_server_error() {
        json_error(path, response).await
    } else {
        response
    };
    if path == "/admin" || path.starts_with("/api/admin") {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

async fn json_error(path: &str, response: axum::response::Response) -> axum::response::Response {
    let kind = response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let api = path.starts_with("/api/");
    if kind.starts_with("application/json") || (kind.starts_with("text/html") && !api) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let encoded = parts.headers.remove(header::CONTENT_ENCODING).is_some();
    let said = if kind.starts_with("text/plain") && !encoded {
        axum::body::to_bytes(body, 4096).await.ok().map(|bytes| String::from_utf8_lossy(&bytes).trim().to_owned())
    } else {
        None
    };
    let reason = parts.status.canonical_reason().unwrap_or("error").to_lowercase();
    let error = match said.filter(|said| !said.is_empty()) {
        Some(said) => said,
        None if parts.status == axum::http::StatusCode::NOT_FOUND && api => format!("there is no API endpoint {path}"),
        None => format!("{reason}: {path}"),
    };
    let body = serde_json::to_vec(&model::api::ApiError { error, problems: Vec::new() }).unwrap_or_default();
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    parts.headers.remove(header::CONTENT_LENGTH);
    axum::response::Response::from_parts(parts, axum::body::Body::from(body))
}

/// The headers every answer carries, the router's and the connection loop's alike.
pub const SECURITY_HEADERS: [(&str, &str); 5] = [
    ("content-security-policy", CONTENT_SECURITY_POLICY),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "strict-origin-when-cross-origin"),
    ("x-frame-options", "DENY"),
    ("permissions-policy", "camera=(), microphone=(), geolocation=()"),
];

fn security_headers<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    SECURITY_HEADERS.into_iter().fold(router, |router, (name, value)| {
        router.layer(SetResponseHeaderLayer::overriding(HeaderName::from_static(name), HeaderValue::from_static(value)))
    })
}
