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

impl From<tokio::task::JoinError> for AppError {
    fn from(error: tokio::task::JoinError) -> Self {
        AppError::internal(error)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, body) = match self {
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
        (status, Json(body)).into_response()
    }
}
