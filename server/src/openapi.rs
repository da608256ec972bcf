//! The OpenAPI document of the JSON API, served at `GET /api/openapi.json`.
//!
//! The document is generated from the handlers' `#[utoipa::path]` annotations as `lib.rs`
//! registers them (utoipa-axum's `routes!` adds a route and its description in one step), so the
//! routes and the document cannot drift apart. The body types come from `model::api` (behind
//! `model`'s `openapi` feature, which the wasm app leaves out).

use axum::http::header;
use axum::response::IntoResponse;
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
