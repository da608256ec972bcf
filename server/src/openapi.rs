//! The OpenAPI document of the JSON API, served at `GET /api/openapi.json`.
//!
//! The document is generated from the handlers' `#[utoipa::path]` annotations as `lib.rs`
//! registers them (utoipa-axum's `routes!` adds a route and its description in one step), so the
//! routes and the document cannot drift apart. The body types come from `model::api` (behind
//! `model`'s `openapi` feature, which the wasm app leaves out).

use axum::http::header;
use axum::response::IntoResponse;
use model::api::ApiError;
use std::sync::LazyLock;
use utoipa::openapi::schema::{AdditionalProperties, Schema, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{OpenApi, RefOr};

/// The security scheme of the maintainers' endpoints: `Authorization: Bearer <token>`.
pub const MAINTAINER_TOKEN: &str = "maintainer_token";

/// The document's fixed parts; `lib.rs` adds the paths.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Case studies",
        description = "Search and read case studies of libraries and NGOs, export the collection, submit a case \
            and review submissions. Every error is a JSON body `{\"error\": \"…\"}` naming the problem \
            (with `problems` per field for submissions)."
    ),
    modifiers(&Security),
    tags(
        (name = "reading", description = "Search, cases and the vocabulary"),
        (name = "exports", description = "The whole collection as CSV, JSON and Atom feeds"),
        (name = "submissions", description = "Contributors' submissions"),
        (name = "review", description = "Maintainers' review, behind the token"),
        (name = "operations", description = "Health, statistics and this document"),
    )
)]
pub struct ApiDoc;

struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, openapi: &mut OpenApi) {
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some("The maintainers' token the server was started with (ADMIN_TOKEN or --admin-token-file)"))
            .build();
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme(MAINTAINER_TOKEN, SecurityScheme::Http(scheme));
    }
}

/// Says of every object schema that it has no other fields: the server reads bodies strictly
/// (an unknown field is a 400) and writes only the fields of its types.
pub fn close_objects(openapi: &mut OpenApi) {
    let Some(components) = openapi.components.as_mut() else { return };
    for schema in components.schemas.values_mut() {
        if let RefOr::T(Schema::Object(object)) = schema
            && object.schema_type == Type::Object.into()
            && !object.properties.is_empty()
            && object.additional_properties.is_none()
        {
            object.additional_properties = Some(Box::new(AdditionalProperties::FreeForm(false)));
        }
    }
}

/// This document.
///
/// `GET /api/openapi.json`
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    operation_id = "openapi",
    tag = "operations",
    responses((status = 200, description = "The OpenAPI document of this API", body = Object))
)]
pub async fn document() -> impl IntoResponse {
    static DOCUMENT: LazyLock<String> =
        LazyLock::new(|| crate::openapi_document().to_json().expect("the OpenAPI document serialises"));
    ([(header::CONTENT_TYPE, "application/json")], DOCUMENT.as_str())
}

/// What every maintainer endpoint can be refused with (the [`crate::extract::Maintainer`]
/// extractor's answers, and a failed write the store undid).
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)] // Only its OpenAPI description is used.
pub enum MaintainerRefusals {
    /// No or a wrong maintainer token
    #[response(status = 401, headers(("www-authenticate" = String, description = "`Bearer`")))]
    Unauthorized(ApiError),
    /// Too many failed attempts from this address
    #[response(status = 429, headers(("retry-after" = u64, description = "Seconds to wait")))]
    TooManyAttempts(ApiError),
    /// Maintainer actions are off (the server has no admin token), or a write to the content
    /// folder failed and everything the action had done was undone: try again
    #[response(status = 503)]
    Unavailable(ApiError),
}

/// What a request that changes the collection can be refused with before its content is looked
/// at (the [`crate::extract::SameSite`] and [`crate::extract::StrictJson`] extractors' answers).
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)] // Only its OpenAPI description is used.
pub enum BodyRefusals {
    /// The request is malformed: a reference or a slug that is not one, or a body that is not
    /// JSON of this shape (unknown fields included); the message names what
    #[response(status = 400)]
    BadBody(ApiError),
    /// A browser sent it from another site (`Sec-Fetch-Site` or `Origin`)
    #[response(status = 403)]
    CrossSite(ApiError),
    /// The body did not arrive within 15 s
    #[response(status = 408)]
    Slow(ApiError),
    /// The body is larger than the endpoint allows
    #[response(status = 413)]
    TooLarge(ApiError),
    /// The body is not sent as `application/json`
    #[response(status = 415)]
    NotJson(ApiError),
}
