//! The server's one error type: every failure becomes a JSON body `{"error": "..."}` with a
//! status that names what went wrong; internal causes are logged, never sent.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use model::Problem;
use model::api::ApiError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A malformed request: a bad parameter, path or body.
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    NotFound(String),
    /// A well-formed request whose content is invalid; one problem per field.
    #[error("{message}")]
    Invalid { message: String, problems: Vec<Problem> },
    /// The request came from another site (cross-site request forgery is refused).
    #[error("{0}")]
    Forbidden(String),
    /// No or a wrong maintainer token.
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// Too many requests from one client; retry after this many seconds.
    #[error("{message}")]
    TooManyRequests { message: String, retry_after: u64 },
    /// A feature that is switched off in this server's configuration.
    #[error("{0}")]
    Unavailable(String),
    /// Something failed inside the server; the message is logged, not sent.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn internal(error: impl std::fmt::Display) -> Self {
        AppError::Internal(error.to_string())
    }
}

impl From<tantivy::TantivyError> for AppError {
    fn from(error: tantivy::TantivyError) -> Self {
        AppError::internal(error)
    }
}

/// A path segment that does not decode (e.g. percent-encoded bytes that are not UTF-8).
impl From<axum::extract::rejection::PathRejection> for AppError {
    fn from(rejection: axum::extract::rejection::PathRejection) -> Self {
        AppError::BadRequest(format!("the path is not valid: {}", rejection.body_text()))
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(error: tokio::task::JoinError) -> Self {
        AppError::internal(error)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let plain = |status: StatusCode, message: String| (status, ApiError { error: message, problems: Vec::new() });
        let mut retry_after = None;
        let mut challenge = false;
        let (status, body) = match self {
            AppError::Forbidden(message) => plain(StatusCode::FORBIDDEN, message),
            AppError::Unauthorized(message) => {
                challenge = true;
                plain(StatusCode::UNAUTHORIZED, message)
            }
            AppError::Conflict(message) => plain(StatusCode::CONFLICT, message),
            AppError::PayloadTooLarge(message) => plain(StatusCode::PAYLOAD_TOO_LARGE, message),
            AppError::UnsupportedMediaType(message) => plain(StatusCode::UNSUPPORTED_MEDIA_TYPE, message),
            AppError::TooManyRequests { message, retry_after: seconds } => {
                retry_after = Some(seconds);
                plain(StatusCode::TOO_MANY_REQUESTS, message)
            }
            AppError::Unavailable(message) => plain(StatusCode::SERVICE_UNAVAILABLE, message),
            AppError::BadRequest(message) => {
                (StatusCode::BAD_REQUEST, ApiError { error: message, problems: Vec::new() })
            }
            AppError::NotFound(message) => (StatusCode::NOT_FOUND, ApiError { error: message, problems: Vec::new() }),
            AppError::Invalid { message, problems } => {
                (StatusCode::UNPROCESSABLE_ENTITY, ApiError { error: message, problems })
            }
            AppError::Internal(cause) => {
                tracing::error!(%cause, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ApiError { error: "the server could not answer this request".into(), problems: Vec::new() },
                )
            }
        };
        let mut response = (status, Json(body)).into_response();
        if let Some(seconds) = retry_after {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        if challenge {
            response
                .headers_mut()
                .insert(axum::http::header::WWW_AUTHENTICATE, axum::http::HeaderValue::from_static("Bearer"));
        }
        response
    }
}
