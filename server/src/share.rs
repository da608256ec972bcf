//! Links that leave the page: the site's address for them, and QR codes pointing back to a case
//! for printed sheets (drawn inline on the case page, and at `/case/{slug}/qr.svg`). The case
//! page's share tags (OpenGraph, JSON-LD) are part of the page, in `app::pages::case`.

use crate::api::checked_slug;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// The site's address: `--public-url` if given, else from the request's `Host`.
pub fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = &state.public_url {
        return url.trim_end_matches('/').to_owned();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .unwrap_or("127.0.0.1");
    format!("http://{host}")
}

/// A QR code of `url` as SVG (without an XML declaration, so it can stand inside a page).
pub fn qr_svg(url: &str) -> Result<String, AppError> {
    let code =
        qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M).map_err(AppError::internal)?;
    let svg = code.render::<qrcode::render::svg::Color>().min_dimensions(160, 160).quiet_zone(true).build();
    Ok(match svg.find("<svg") {
        Some(start) => svg[start..].to_owned(),
        None => svg,
    })
}

/// `GET /case/{slug}/qr.svg`: a QR code of the case's address.
pub async fn qr(
    State(state): State<Arc<AppState>>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let slug = checked_slug(&slug)?.to_owned();
    let engine = state.engine();
    let exists = tokio::task::spawn_blocking({
        let slug = slug.clone();
        move || engine.stored_case(&slug).map(|case| case.is_some())
    })
    .await??;
    if !exists {
        return Err(AppError::NotFound(format!("no case `{slug}`")));
    }
    let svg = qr_svg(&format!("{}/case/{slug}", base_url(&state, &headers)))?;
    let svg = format!("<?xml version=\"1.0\" standalone=\"yes\"?>{svg}");
    let mut response = (StatusCode::OK, svg).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("image/svg+xml"));
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"));
    Ok(response)
}
