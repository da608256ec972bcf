//! Maintainers' review: the queue of submissions, a sanitised preview, edits, approval (the case
//! moves to `content/cases/<slug>/` and becomes searchable at once) and rejection with a reason
//! (kept, not deleted). Every action is appended to the audit log.
//!
//! Every endpoint needs `Authorization: Bearer <token>`, compared in constant time with the token
//! the server was started with. Without a configured token the endpoints answer 503 and the
//! server says at start that maintainer actions are off. The token is never logged.

use crate::api::checked_slug;
use crate::error::AppError;
use crate::extract::{Maintainer, SameSite, StrictJson};
use crate::openapi::{BodyRefusals, MaintainerRefusals};
use crate::state::AppState;
use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use collection::Stored;
use model::Problem;
use model::api::{ApiError, Approval, Approved, Rejection, SubmissionDetail, SubmissionSummary};
use model::submission::{MAX_BODY_BYTES, Sections, Submission};
use std::sync::Arc;

fn summary(stored: &Stored) -> SubmissionSummary {
    let (lang, title, countries) = match &stored.case {
        Some(case) => (case.meta.original_language, case.texts[0].front.title.clone(), case.meta.countries.clone()),
        None => (model::Lang::En, String::new(), Vec::new()),
    };
    SubmissionSummary {
        id: stored.record.id.clone(),
        received_at: stored.record.received_at.clone(),
        status: stored.record.status,
        lang,
        title,
        countries,
    }
}

/// Runs a store operation on a blocking thread.
async fn in_store<T: Send + 'static>(
    state: &Arc<AppState>,
    operation: impl FnOnce(&AppState) -> Result<T, collection::StoreError> + Send + 'static,
) -> Result<T, AppError> {
    let state = state.clone();
    Ok(tokio::task::spawn_blocking(move || operation(&state)).await??)
}

/// The review queue: every submission, pending ones first, newest first.
///
/// `GET /api/admin/submissions`
#[utoipa::path(
    get,
    path = "/api/admin/submissions",
    operation_id = "list_submissions",
    tag = "review",
    security(("maintainer_token" = [])),
    responses(
        (status = 200, description = "Every submission", body = Vec<SubmissionSummary>),
        MaintainerRefusals,
    )
)]
pub async fn list(State(state): State<Arc<AppState>>, _: Maintainer) -> Result<Json<Vec<SubmissionSummary>>, AppError> {
    let list = in_store(&state, |state| Ok(state.store.list())).await?;
    Ok(Json(list.iter().map(summary).collect()))
}

/// A free slug made from the title: transliterated, folded, hyphenated, unique in `cases/`.
fn suggest_slug(state: &AppState, title: &str) -> String {
    let folded = indexer::index::analysis::transliterate_word(title);
    let mut slug = String::new();
    for word in folded.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        if slug.len() + word.len() + 1 > 60 {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(word);
    }
    if slug.is_empty() {
        slug.push_str("case");
    }
    let cases = state.store.cases_dir();
    let mut candidate = slug.clone();
    let mut n = 2;
    while cases.join(&candidate).exists() {
        candidate = format!("{slug}-{n}");
        n += 1;
    }
    candidate
}

/// One submission: its text, a sanitised preview and what is wrong with it.
///
/// `GET /api/admin/submissions/{id}`
#[utoipa::path(
    get,
    path = "/api/admin/submissions/{id}",
    operation_id = "get_submission",
    tag = "review",
    params(("id" = String, Path, description = "The submission's reference", pattern = "^[0-9]{8}-[0-9a-f]{16}$")),
    security(("maintainer_token" = [])),
    responses(
        (status = 200, description = "The submission", body = SubmissionDetail),
        (status = 400, description = "A malformed reference", body = ApiError),
        (status = 404, description = "No submission with this reference", body = ApiError),
        (status = 409, description = "The submission's files no longer read", body = ApiError),
        MaintainerRefusals,
    )
)]
pub async fn get(
    State(state): State<Arc<AppState>>,
    id: Result<Path<String>, PathRejection>,
    _: Maintainer,
) -> Result<Json<SubmissionDetail>, AppError> {
    let Path(id) = id?;
    let stored = in_store(&state, move |state| state.store.get(&id)).await?;
    let Some(case) = &stored.case else {
        return Err(collection::StoreError::Unreadable(stored.problems.clone()).into());
    };
    let text = &case.texts[0];
    let submission = Submission {
        lang: text.lang,
        title: text.front.title.clone(),
        summary: text.front.summary.clone(),
        sections: Sections::from_markdown(text.lang, &text.body),
        meta: case.meta.clone(),
        contact: stored.record.contact.clone(),
    };
    let mut problems = stored.problems.clone();
    problems.extend(submission.check(state.engine().vocabulary()));
    Ok(Json(SubmissionDetail {
        summary: summary(&stored),
        preview_html: indexer::render::markdown_to_html(&text.body),
        suggested_slug: stored.record.slug.clone().unwrap_or_else(|| suggest_slug(&state, &text.front.title)),
        slug: stored.record.slug.clone(),
        reason: stored.record.reason.clone(),
        submission,
        problems,
    }))
}

/// Replaces a pending submission with an edited one.
///
/// `PUT /api/admin/submissions/{id}`
#[utoipa::path(
    put,
    path = "/api/admin/submissions/{id}",
    operation_id = "edit_submission",
    tag = "review",
    params(("id" = String, Path, description = "The submission's reference", pattern = "^[0-9]{8}-[0-9a-f]{16}$")),
    request_body(content = Submission, content_type = "application/json"),
    security(("maintainer_token" = [])),
    responses(
        (status = 200, description = "The edited submission", body = SubmissionSummary),
        (status = 404, description = "No submission with this reference", body = ApiError),
        (status = 409, description = "The submission is no longer pending", body = ApiError),
        (status = 422, description = "The edited submission breaks content rules; `problems` names each field", body = ApiError),
        BodyRefusals,
        MaintainerRefusals,
    )
)]
pub async fn edit(
    State(state): State<Arc<AppState>>,
    id: Result<Path<String>, PathRejection>,
    _: SameSite,
    Maintainer(client): Maintainer,
    StrictJson(submission): StrictJson<Submission, MAX_BODY_BYTES>,
) -> Result<Json<SubmissionSummary>, AppError> {
    let Path(id) = id?;
    let stored = in_store(&state, move |state| {
        state.store.edit(&id, &submission, state.engine().vocabulary(), client.shown().as_deref())
    })
    .await?;
    Ok(Json(summary(&stored)))
}

/// Publishes a pending submission as a case under the confirmed slug and makes it searchable.
///
/// `POST /api/admin/submissions/{id}/approve`
#[utoipa::path(
    post,
    path = "/api/admin/submissions/{id}/approve",
    operation_id = "approve_submission",
    tag = "review",
    params(("id" = String, Path, description = "The submission's reference", pattern = "^[0-9]{8}-[0-9a-f]{16}$")),
    request_body(content = Approval, content_type = "application/json"),
    security(("maintainer_token" = [])),
    responses(
        (status = 200, description = "Published", body = Approved),
        (status = 404, description = "No submission with this reference", body = ApiError),
        (status = 409, description = "The submission is no longer pending, its files no longer read, or the slug is taken", body = ApiError),
        (status = 422, description = "The case breaks content rules; edit it first", body = ApiError),
        BodyRefusals,
        MaintainerRefusals,
    )
)]
pub async fn approve(
    State(state): State<Arc<AppState>>,
    id: Result<Path<String>, PathRejection>,
    _: SameSite,
    Maintainer(client): Maintainer,
    StrictJson(approval): StrictJson<Approval, 4096>,
) -> Result<Json<Approved>, AppError> {
    let Path(id) = id?;
    let slug = checked_slug(&approval.slug)?.to_owned();
    let task_slug = slug.clone();
    let (case, indexed) = in_store(&state, move |state| {
        let engine = state.engine();
        let taken = |slug: &str| engine.stored_case(slug).ok().flatten().is_some();
        let mut indexed = false;
        // The case the store wrote goes to the index as it is: now, or after the running build.
        let mut publish = |case: &model::Case| {
            indexed = state.index_cases(vec![case.clone()]).map_err(|error| format!("{error:#}"))?;
            Ok(())
        };
        let case = state.store.approve(
            &id,
            &task_slug,
            engine.vocabulary(),
            &taken,
            client.shown().as_deref(),
            &mut publish,
        )?;
        Ok((case, indexed))
    })
    .await?;
    tracing::info!(slug = %case.slug, indexed, "submission approved");
    Ok(Json(Approved { slug, indexed }))
}

/// Rejects a pending submission with a reason; the submission is kept.
///
/// `POST /api/admin/submissions/{id}/reject`
#[utoipa::path(
    post,
    path = "/api/admin/submissions/{id}/reject",
    operation_id = "reject_submission",
    tag = "review",
    params(("id" = String, Path, description = "The submission's reference", pattern = "^[0-9]{8}-[0-9a-f]{16}$")),
    request_body(content = Rejection, content_type = "application/json"),
    security(("maintainer_token" = [])),
    responses(
        (status = 200, description = "Rejected", body = SubmissionSummary),
        (status = 404, description = "No submission with this reference", body = ApiError),
        (status = 409, description = "The submission is no longer pending", body = ApiError),
        (status = 422, description = "The reason is empty or longer than 500 characters", body = ApiError),
        BodyRefusals,
        MaintainerRefusals,
    )
)]
pub async fn reject(
    State(state): State<Arc<AppState>>,
    id: Result<Path<String>, PathRejection>,
    _: SameSite,
    Maintainer(client): Maintainer,
    StrictJson(rejection): StrictJson<Rejection, 8192>,
) -> Result<Json<SubmissionSummary>, AppError> {
    let Path(id) = id?;
    let reason = rejection.reason.trim().to_owned();
    if reason.is_empty() || reason.chars().count() > model::limits::NOTE_CHARS {
        let problem = Problem::new(
            "rejection",
            "reason",
            "must be 1 to 500 characters",
            "say why, so the contributor can improve it",
        );
        return Err(AppError::Invalid { message: "a rejection needs a reason".into(), problems: vec![problem] });
    }
    let stored = in_store(&state, move |state| state.store.reject(&id, &reason, client.shown().as_deref())).await?;
    Ok(Json(summary(&stored)))
}
