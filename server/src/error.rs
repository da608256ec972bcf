//! The server's one error type: every failure becomes a JSON body `{"error": "..."}` with a
//! status that names what went wrong; internal causes are logged, never sent.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use model::api::ApiError;
use model::{Lang, Problem};

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
    /// The body did not arrive within the server's deadline.
    #[error("{0}")]
    RequestTimeout(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// The request's address and headers, this many bytes together, are over the limit.
    #[error("the request's address and headers are too large: {0} bytes, where they may be at most {max} KiB together", max = crate::serve::MAX_HEAD / 1024)]
    HeadTooLarge(usize),
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
    /// The error with its problems said as the form says them, in `lang` (the maintainers'
    /// English without it).
    pub fn explained_in(self, lang: Option<Lang>) -> AppError {
        match (self, lang) {
            (AppError::Invalid { message, problems }, Some(lang)) => AppError::Invalid {
                message,
                problems: problems
                    .into_iter()
                    .map(|problem| Problem {
                        message: model::messages::say(&problem, lang),
                        fix: String::new(),
                        ..problem
                    })
                    .collect(),
            },
            (error, _) => error,
        }
    }

    /// A body that could not be read whole: too long (`too_large`), or not sent in time.
    pub fn unread_body(error: &axum::Error, too_large: impl FnOnce() -> AppError) -> AppError {
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
        while let Some(error) = cause {
            if error.is::<http_body_util::LengthLimitError>() {
                return too_large();
            }
            cause = error.source();
        }
        AppError::RequestTimeout(format!(
            "the body did not arrive within {} s; send it whole",
            crate::BODY_TIMEOUT.as_secs()
        ))
    }

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

/// The content store's refusals as HTTP: a malformed reference 400, an unknown one 404, a
/// decision already taken or a slug in use 409, content rules 422; a failed write 503 with what
/// failed (the store has undone the rest, so trying again is safe).
impl From<collection::StoreError> for AppError {
    fn from(error: collection::StoreError) -> Self {
        use collection::StoreError;
        match error {
            StoreError::NotAnId(_) => AppError::BadRequest(error.to_string()),
            StoreError::NotFound(_) => AppError::NotFound(error.to_string()),
            StoreError::NotPending { .. } | StoreError::SlugTaken(_) | StoreError::Unreadable(_) => {
                AppError::Conflict(error.to_string())
            }
            StoreError::Invalid { message, problems } => AppError::Invalid { message, problems },
            StoreError::Write { what, source } => {
                tracing::error!(error = %source, what, "a write to the content folder failed; undone");
                AppError::Unavailable(format!(
                    "writing {what} failed ({}); nothing was changed, try again",
                    source.source.kind()
                ))
            }
            StoreError::NotPublished(cause) => {
                tracing::error!(%cause, "an approved case could not be indexed; the approval was undone");
                AppError::Unavailable("the case could not be made searchable; nothing was changed, try again".into())
            }
            StoreError::Read(path, cause) => AppError::Internal(format!("reading {}: {cause}", path.display())),
        }
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(error: tokio::task::JoinError) -> Self {
        AppError::internal(error)
    }
}

impl AppError {
    /// The status this error answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::HeadTooLarge(_) => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What the client is told: the message, except for internal errors, whose cause is only
    /// logged.
    pub fn public_message(&self) -> String {
        match self {
            AppError::Internal(cause) => {
                tracing::error!(%cause, "request failed");
                "the server could not answer this request".into()
            }
            other => other.to_string(),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let retry_after = match &self {
            AppError::TooManyRequests { retry_after, .. } => Some(*retry_after),
            _ => None,
        };
        let challenge = matches!(self, AppError::Unauthorized(_));
        let error = self.public_message();
        let problems = match self {
            AppError::Invalid { problems, .. } => problems,
            _ => Vec::new(),
        };
        let mut response = (status, Json(ApiError { error, problems })).into_response();
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
