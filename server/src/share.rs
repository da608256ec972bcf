//! What makes a shared link useful before any wasm runs: the page `<head>` for a case (title,
//! description, canonical URL, OpenGraph, schema.org JSON-LD), and a QR code pointing back to the
//! case for printed sheets.

use crate::api::checked_slug;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use indexer::index::snippet::escape;
use model::Lang;
use model::api::CaseView;
use std::fmt::Write;
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

/// JSON made safe inside a `<script>` element.
fn script_json(value: &serde_json::Value) -> String {
    value.to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

const LICENCES: &[(&str, &str)] = &[
    ("CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/"),
    ("CC-BY-SA-4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
    ("CC0-1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
];

/// The `<head>` elements of a case page.
pub fn case_head(case: &CaseView, base: &str) -> String {
    let url = format!("{base}/case/{}", case.slug);
    let page_url =
        if case.lang == case.meta.original_language { url.clone() } else { format!("{url}?lang={}", case.lang) };
    let title = escape(&case.title);
    let summary = escape(&case.summary);
    let mut head = String::new();
    let _ = writeln!(head, "<title>{title}</title>");
    let _ = writeln!(head, "<meta name=\"description\" content=\"{summary}\">");
    let _ = writeln!(head, "<link rel=\"canonical\" href=\"{}\">", escape(&page_url));
    for other in &case.translations {
        let href =
            if other.lang == case.meta.original_language { url.clone() } else { format!("{url}?lang={}", other.lang) };
        let _ = writeln!(head, "<link rel=\"alternate\" hreflang=\"{}\" href=\"{}\">", other.lang, escape(&href));
    }
    let _ = writeln!(head, "<meta property=\"og:type\" content=\"article\">");
    let _ = writeln!(head, "<meta property=\"og:site_name\" content=\"Library case studies\">");
    let _ = writeln!(head, "<meta property=\"og:title\" content=\"{title}\">");
    let _ = writeln!(head, "<meta property=\"og:description\" content=\"{summary}\">");
    let _ = writeln!(head, "<meta property=\"og:url\" content=\"{}\">", escape(&page_url));
    let _ = writeln!(head, "<meta property=\"og:locale\" content=\"{}\">", og_locale(case.lang));
    let _ = writeln!(head, "<meta name=\"twitter:card\" content=\"summary\">");

    let meta = &case.meta;
    let licence = LICENCES.iter().find(|(id, _)| *id == meta.licence).map_or(meta.licence.as_str(), |(_, url)| url);
    let organisation = |name: &str| serde_json::json!({ "@type": "Organization", "name": name });
    let mut json = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": case.title,
        "description": case.summary,
        "inLanguage": case.lang.code(),
        "url": page_url,
        "license": licence,
        "author": organisation(&meta.lead_organisation.name),
        "about": meta.themes.iter().map(|id| case.label(id)).collect::<Vec<_>>(),
        "keywords": meta.themes.iter().chain(&meta.audiences).map(|id| case.label(id)).collect::<Vec<_>>().join(", "),
        "spatialCoverage": meta.countries.iter().map(|code| serde_json::json!({ "@type": "Country", "name": case.label(code), "identifier": code })).collect::<Vec<_>>(),
        "temporalCoverage": match (&meta.period.end, meta.period.ongoing) {
            (Some(end), _) => format!("{}/{end}", meta.period.start),
            (None, true) => format!("{}/..", meta.period.start),
            (None, false) => meta.period.start.clone(),
        },
    });
    if !meta.funders.is_empty() {
        json["funder"] = meta.funders.iter().map(|f| organisation(&f.name)).collect();
    }
    if !meta.partners.is_empty() {
        json["contributor"] = meta.partners.iter().map(|p| organisation(&p.name)).collect();
    }
    if case.translations.len() > 1 {
        json["workTranslation"] = case
            .translations
            .iter()
            .filter(|t| t.lang != case.lang)
            .map(|t| serde_json::json!({ "@type": "Article", "inLanguage": t.lang.code(), "headline": t.title }))
            .collect();
    }
    let _ = writeln!(head, "<script type=\"application/ld+json\">{}</script>", script_json(&json));
    head
}

fn og_locale(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en_GB",
        Lang::Ro => "ro_RO",
        Lang::Uk => "uk_UA",
        Lang::Ru => "ru_RU",
        Lang::El => "el_GR",
    }
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
    let url = format!("{}/case/{slug}", base_url(&state, &headers));
    let code =
        qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M).map_err(AppError::internal)?;
    let svg = code.render::<qrcode::render::svg::Color>().min_dimensions(160, 160).quiet_zone(true).build();
    let mut response = (StatusCode::OK, svg).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("image/svg+xml"));
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"));
    Ok(response)
}
