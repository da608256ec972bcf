//! Contributors' submissions: `POST /api/submissions`.
//!
//! A submission is checked with the same rules as `indexer check`, then stored by the content
//! store as a pending case under `content/submissions/<id>/` ([`collection::queue`]): atomic,
//! flushed to disk before the server answers, with ids and paths of the store's own making.

use crate::error::AppError;
use crate::extract::{Client, SameSite, StrictJson};
use crate::openapi::BodyRefusals;
use crate::state::AppState;
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use model::Lang;
use model::api::{ApiError, ReviewStatus, SubmissionReceipt};
use model::submission::{MAX_BODY_BYTES, Submission};
use std::sync::Arc;

pub use collection::is_id;

/// Checks a submission with the same rules as `indexer check` (422 naming each problem) and
/// stores it as a pending case; returns its new id and its status link's token. Only an accepted submission counts against
/// the client's hourly allowance (429 past it), so fixing a refused form never locks anyone out.
pub async fn receive(
    state: &Arc<AppState>,
    client: Client,
    submission: Submission,
    photos: collection::queue::PhotoFiles,
) -> Result<(String, String), AppError> {
    let engine = state.engine();
    // Refused before it counts against the allowance; the store checks it again as it writes.
    collection::queue::check_submission(&submission, engine.vocabulary())?;
    if let Some(limiter) = &state.submission_limiter
        && let Err(wait) = limiter.check_key(&client.key())
    {
        let seconds = wait
            .wait_time_from(governor::clock::Clock::now(&governor::clock::DefaultClock::default()))
            .as_secs()
            .max(1);
        return Err(AppError::TooManyRequests {
            message: format!("too many submissions from this address; try again in {seconds} s"),
            retry_after: seconds,
        });
    }
    let state = state.clone();
    let (record, token) = tokio::task::spawn_blocking(move || {
        state.store.submit_with_photos(&submission, photos, engine.vocabulary(), client.shown().as_deref())
    })
    .await??;
    tracing::info!(id = %record.id, "submission stored");
    Ok((record.id, token))
}

/// The contributor's page of a submission, given its status link's token.
pub fn status_url(token: &str) -> String {
    format!("/status/{token}")
}

/// Submits a case study for review.
///
/// `POST /api/submissions`: checks the submission with the same rules as `indexer check` and
/// stores it as a pending case; 201 with its reference. The contact is never published.
#[utoipa::path(
    post,
    path = "/api/submissions",
    operation_id = "create_submission",
    tag = "submissions",
    params(("ui" = inline(Option<Lang>), Query, description = "The language the problems of a 422 are explained in, as the form says them (else the maintainers' English, with a fix for each)")),
    request_body(content = Submission, content_type = "application/json", description = "The case as the form sends it; unknown fields are refused"),
    responses(
        (status = 201, description = "Stored for review", body = SubmissionReceipt,
            headers(("location" = String, description = "The review's endpoint for the submission (it needs the maintainer token)"))),
        BodyRefusals,
        (status = 422, description = "The submission breaks content rules; `problems` names each field and its fix", body = ApiError),
        (status = 429, description = "Too many submissions from this address", body = ApiError,
            headers(("retry-after" = u64, description = "Seconds to wait"))),
        (status = 503, description = "The submission could not be written; nothing was kept, try again", body = ApiError),
    )
)]
pub async fn create(
    State(state): State<Arc<AppState>>,
    _: SameSite,
    client: Client,
    RawQuery(query): RawQuery,
    StrictJson(submission): StrictJson<Submission, MAX_BODY_BYTES>,
) -> Result<impl IntoResponse, AppError> {
    let [ui] = crate::api::lang_params(query.as_deref(), ["ui"])?;
    let (id, token) = receive(&state, client, submission, Vec::new()).await.map_err(|error| error.explained_in(ui))?;
    Ok(created(id, &token))
}

/// The 201 of a stored submission: its receipt, and where the review reads it (the review's
/// endpoint, which needs the maintainer token).
pub fn created(id: String, token: &str) -> impl IntoResponse + use<> {
    let location = format!("/api/admin/submissions/{id}");
    (
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(SubmissionReceipt { id, status: ReviewStatus::Pending, status_url: status_url(token) }),
    )
}
