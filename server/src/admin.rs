//! Maintainers' review: the queue of submissions, a sanitised preview, edits, approval (the case
//! moves to `content/cases/<slug>/` and becomes searchable at once) and rejection with a reason
//! (kept, not deleted). Every action is appended to the audit log.
//!
//! Every endpoint needs `Authorization: Bearer <token>`, compared in constant time with the token
//! the server was started with. Without a configured token the endpoints answer 503 and the
//! server says at start that maintainer actions are off. The token is never logged.

use crate::api::checked_slug;
use crate::error::AppError;
use crate::state::AppState;
use crate::submissions::{
    AuditEntry, RECORD_FILE, Record, audit, check_same_site, client_ip, is_id, json_body, now, replace_file,
    submission_files, submissions_dir, write_dir_atomically,
};
use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request, State};
use axum::http::HeaderMap;
use model::api::{ApiError, Approval, Approved, Rejection, ReviewStatus, SubmissionDetail, SubmissionSummary};
use model::files::case_text_file;
use model::submission::{MAX_BODY_BYTES, Sections, Submission};
use model::{Case, Problem};
use std::fs;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use subtle::ConstantTimeEq;

/// Checks the maintainer's token.
pub fn authorize(state: &AppState, headers: &HeaderMap, client: Option<IpAddr>) -> Result<(), AppError> {
    let Some(expected) = &state.admin_token else {
        return Err(AppError::Unavailable("maintainer actions are off: the server was started without an admin token (ADMIN_TOKEN or --admin-token-file)".into()));
    };
    let given = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().split_once(' '))
        // The scheme's name is case-insensitive (RFC 9110 §11.1).
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
    let valid = given.is_some_and(|given| bool::from(given.as_bytes().ct_eq(expected)));
    if valid {
        return Ok(());
    }
    let key = client.unwrap_or(IpAddr::from([0, 0, 0, 0]));
    if state.login_limiter.check_key(&key).is_err() {
        return Err(AppError::TooManyRequests {
            message: "too many failed attempts; wait a minute".into(),
            retry_after: 60,
        });
    }
    Err(AppError::Unauthorized(if given.is_some() {
        "the maintainer token is wrong".into()
    } else {
        "this needs the maintainer token (Authorization: Bearer …)".into()
    }))
}

fn submission_dir(state: &AppState, id: &str) -> Result<PathBuf, AppError> {
    if !is_id(id) {
        return Err(AppError::BadRequest(format!(
            "`{}` is not a submission reference",
            id.chars().take(40).collect::<String>()
        )));
    }
    let dir = submissions_dir(&state.content).join(id);
    if !dir.join(RECORD_FILE).exists() {
        return Err(AppError::NotFound(format!("no submission `{id}`")));
    }
    Ok(dir)
}

/// A stored submission: its record and its case as the files say now.
struct Stored {
    record: Record,
    case: Option<Case>,
    problems: Vec<Problem>,
}

fn read_stored(dir: &std::path::Path, id: &str) -> Result<Stored, AppError> {
    let text = fs::read_to_string(dir.join(RECORD_FILE)).map_err(AppError::internal)?;
    let record: Record = toml::from_str(&text).map_err(AppError::internal)?;
    let mut problems = Vec::new();
    let case = indexer::content::read_case(dir, &format!("submissions/{id}"), "submission", &mut problems)
        .map_err(AppError::internal)?;
    Ok(Stored { record, case, problems })
}

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
        (status = 401, description = "No or a wrong maintainer token", body = ApiError,
            headers(("www-authenticate" = String, description = "`Bearer`"))),
        (status = 429, description = "Too many failed attempts from this address", body = ApiError,
            headers(("retry-after" = u64, description = "Seconds to wait"))),
        (status = 503, description = "Maintainer actions are off: the server has no admin token", body = ApiError),
    )
)]
pub async fn list(
    State(state): State<Arc<AppState>>,
    request: Request,
) -> Result<Json<Vec<SubmissionSummary>>, AppError> {
    authorize(&state, request.headers(), client_ip(&state, &request))?;
    let dir = submissions_dir(&state.content);
    let list = tokio::task::spawn_blocking(move || {
        let mut list = Vec::new();
        for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
            let id = entry.file_name().to_string_lossy().into_owned();
            if is_id(&id)
                && let Ok(stored) = read_stored(&entry.path(), &id)
            {
                list.push(summary(&stored));
            }
        }
        list.sort_by(|a, b| {
            (a.status != ReviewStatus::Pending)
                .cmp(&(b.status != ReviewStatus::Pending))
                .then_with(|| b.received_at.cmp(&a.received_at))
        });
        list
    })
    .await?;
    Ok(Json(list))
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
    let cases = indexer::content::cases_path(&state.content);
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
        (status = 401, description = "No or a wrong maintainer token", body = ApiError,
            headers(("www-authenticate" = String, description = "`Bearer`"))),
        (status = 429, description = "Too many failed attempts from this address", body = ApiError,
            headers(("retry-after" = u64, description = "Seconds to wait"))),
        (status = 503, description = "Maintainer actions are off: the server has no admin token", body = ApiError),
    )
)]
pub async fn get(
    State(state): State<Arc<AppState>>,
    id: Result<Path<String>, PathRejection>,
    request: Request,
) -> Result<Json<SubmissionDetail>, AppError> {
    let Path(id) = id?;
    authorize(&state, request.headers(), client_ip(&state, &request))?;
    let dir = submission_dir(&state, &id)?;
    let stored = tokio::task::spawn_blocking(move || read_stored(&dir, &id)).await??;
    let Some(case) = &stored.case else {
        return Err(AppError::Conflict(format!(
            "the submission's files no longer read: {}",
            stored.problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
        )));
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

fn pending(stored: &Stored, id: &str) -> Result<(), AppError> {
    match stored.record.status {
        ReviewStatus::Pending => Ok(()),
        status => {
            Err(AppError::Conflict(format!("submission `{id}` is already {}", format!("{status:?}").to_lowercase())))
        }
    }
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
        (status = 400, description = "A malformed reference or body; the message names it", body = ApiError),
        (status = 403, description = "A browser sent it from another site (`Sec-Fetch-Site` or `Origin`)", body = ApiError),
        (status = 404, description = "No submission with this reference", body = ApiError),
        (status = 409, description = "The submission is no longer pending", body = ApiError),
        (status = 413, description = "The body is too large", body = ApiError),
        (status = 415, description = "The body is not sent as `application/json`", body = ApiError),
        (status = 422, description = "The edited submission breaks content rules; `problems` names each field", body = ApiError),
        (status = 401, description = "No or a wrong maintainer token", body = ApiError,
            headers(("www-authenticate" = String, description = "`Bearer`"))),
        (status = 429, description = "Too many failed attempts from this address", body = ApiError,
            headers(("retry-after" = u64, description = "Seconds to wait"))),
        (status = 503, description = "Maintainer actions are off: the server has no admin token", body = ApiError),
    )
)]
pub async fn edit(
    State(state): State<Arc<AppState>>,
    id: Result<Path<String>, PathRejection>,
    request: Request,
) -> Result<Json<SubmissionSummary>, AppError> {
    let Path(id) = id?;
    check_same_site(&state, request.headers())?;
    let client = client_ip(&state, &request);
    authorize(&state, request.headers(), client)?;
    let dir = submission_dir(&state, &id)?;
    let submission: Submission = json_body(request, MAX_BODY_BYTES).await?;
    let problems = submission.check(state.engine().vocabulary());
    if !problems.is_empty() {
        return Err(AppError::Invalid {
            message: format!("the edited submission has {} problem(s)", problems.len()),
            problems,
        });
    }
    let _review = state.review.lock().await;
    let content = state.content.clone();
    let summary = tokio::task::spawn_blocking(move || -> Result<SubmissionSummary, AppError> {
        let stored = read_stored(&dir, &id)?;
        pending(&stored, &id)?;
        let record = Record { contact: submission.contact.clone(), ..stored.record.clone() };
        let files = submission_files(&submission, &record);
        for (name, bytes) in &files {
            replace_file(&dir.join(name), bytes).map_err(AppError::internal)?;
        }
        // A change of language leaves the other language's file behind: remove it.
        for entry in fs::read_dir(&dir).map_err(AppError::internal)?.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".md") && !files.iter().any(|(file, _)| *file == name) {
                fs::remove_file(entry.path()).map_err(AppError::internal)?;
            }
        }
        audit(
            &content,
            &AuditEntry {
                at: now(),
                action: "edited",
                id: &id,
                slug: None,
                reason: None,
                client: client.map(|ip| ip.to_string()),
            },
        )
        .map_err(AppError::internal)?;
        Ok(summary(&read_stored(&dir, &id)?))
    })
    .await??;
    Ok(Json(summary))
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
        (status = 400, description = "A malformed reference or body; the message names it", body = ApiError),
        (status = 403, description = "A browser sent it from another site (`Sec-Fetch-Site` or `Origin`)", body = ApiError),
        (status = 404, description = "No submission with this reference", body = ApiError),
        (status = 409, description = "The submission is no longer pending, or the slug is taken", body = ApiError),
        (status = 413, description = "The body is too large", body = ApiError),
        (status = 415, description = "The body is not sent as `application/json`", body = ApiError),
        (status = 422, description = "The case breaks content rules; edit it first", body = ApiError),
        (status = 401, description = "No or a wrong maintainer token", body = ApiError,
            headers(("www-authenticate" = String, description = "`Bearer`"))),
        (status = 429, description = "Too many failed attempts from this address", body = ApiError,
            headers(("retry-after" = u64, description = "Seconds to wait"))),
        (status = 503, description = "Maintainer actions are off: the server has no admin token", body = ApiError),
    )
)]
pub async fn approve(
    State(state): State<Arc<AppState>>,
    id: Result<Path<String>, PathRejection>,
    request: Request,
) -> Result<Json<Approved>, AppError> {
    let Path(id) = id?;
    check_same_site(&state, request.headers())?;
    let client = client_ip(&state, &request);
    authorize(&state, request.headers(), client)?;
    let dir = submission_dir(&state, &id)?;
    let approval: Approval = json_body(request, 4096).await?;
    let slug = checked_slug(&approval.slug)?.to_owned();
    let _review = state.review.lock().await;
    let engine = state.engine();
    let task_state = state.clone();
    let task_slug = slug.clone();
    tokio::task::spawn_blocking(move || -> Result<(), AppError> {
        let state = task_state;
        let stored = read_stored(&dir, &id)?;
        pending(&stored, &id)?;
        let cases = indexer::content::cases_path(&state.content);
        if cases.join(&task_slug).exists() || engine.stored_case(&task_slug)?.is_some() {
            return Err(AppError::Conflict(format!("the slug `{task_slug}` is taken; choose another")));
        }
        let Some(mut case) = stored.case else {
            return Err(AppError::Invalid {
                message: "the submission's files do not read".into(),
                problems: stored.problems,
            });
        };
        case.slug = task_slug.clone();
        let mut problems = Vec::new();
        model::validate::check_case(&format!("cases/{task_slug}"), &case, engine.vocabulary(), &mut problems);
        if !problems.is_empty() {
            return Err(AppError::Invalid {
                message: format!("the case has {} problem(s); edit it first", problems.len()),
                problems,
            });
        }
        let mut files = vec![("case.toml".to_owned(), model::files::case_toml(&case.meta).into_bytes())];
        for text in &case.texts {
            files.push((format!("{}.md", text.lang), case_text_file(&text.front, &text.body).into_bytes()));
        }
        write_dir_atomically(&cases, &task_slug, &files).map_err(AppError::internal)?;
        let record = Record {
            status: ReviewStatus::Approved,
            slug: Some(task_slug.clone()),
            decided_at: Some(now()),
            ..stored.record
        };
        replace_file(&dir.join(RECORD_FILE), toml::to_string(&record).expect("records serialise").as_bytes())
            .map_err(AppError::internal)?;
        audit(
            &state.content,
            &AuditEntry {
                at: now(),
                action: "approved",
                id: &id,
                slug: Some(&task_slug),
                reason: None,
                client: client.map(|ip| ip.to_string()),
            },
        )
        .map_err(AppError::internal)?;
        Ok(())
    })
    .await??;

    let task_state = state.clone();
    let indexed_slug = slug.clone();
    let indexed = tokio::task::spawn_blocking(move || task_state.index_cases(&[indexed_slug]))
        .await?
        .map_err(AppError::internal)?;
    tracing::info!(%slug, indexed, "submission approved");
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
        (status = 400, description = "A malformed reference or body; the message names it", body = ApiError),
        (status = 403, description = "A browser sent it from another site (`Sec-Fetch-Site` or `Origin`)", body = ApiError),
        (status = 404, description = "No submission with this reference", body = ApiError),
        (status = 409, description = "The submission is no longer pending", body = ApiError),
        (status = 413, description = "The body is too large", body = ApiError),
        (status = 415, description = "The body is not sent as `application/json`", body = ApiError),
        (status = 422, description = "The reason is empty or longer than 500 characters", body = ApiError),
        (status = 401, description = "No or a wrong maintainer token", body = ApiError,
            headers(("www-authenticate" = String, description = "`Bearer`"))),
        (status = 429, description = "Too many failed attempts from this address", body = ApiError,
            headers(("retry-after" = u64, description = "Seconds to wait"))),
        (status = 503, description = "Maintainer actions are off: the server has no admin token", body = ApiError),
    )
)]
pub async fn reject(
    State(state): State<Arc<AppState>>,
    id: Result<Path<String>, PathRejection>,
    request: Request,
) -> Result<Json<SubmissionSummary>, AppError> {
    let Path(id) = id?;
    check_same_site(&state, request.headers())?;
    let client = client_ip(&state, &request);
    authorize(&state, request.headers(), client)?;
    let dir = submission_dir(&state, &id)?;
    let rejection: Rejection = json_body(request, 8192).await?;
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
    let _review = state.review.lock().await;
    let content = state.content.clone();
    let summary = tokio::task::spawn_blocking(move || -> Result<SubmissionSummary, AppError> {
        let stored = read_stored(&dir, &id)?;
        pending(&stored, &id)?;
        let record = Record {
            status: ReviewStatus::Rejected,
            reason: Some(reason.clone()),
            decided_at: Some(now()),
            ..stored.record
        };
        replace_file(&dir.join(RECORD_FILE), toml::to_string(&record).expect("records serialise").as_bytes())
            .map_err(AppError::internal)?;
        audit(
            &content,
            &AuditEntry {
                at: now(),
                action: "rejected",
                id: &id,
                slug: None,
                reason: Some(&reason),
                client: client.map(|ip| ip.to_string()),
            },
        )
        .map_err(AppError::internal)?;
        Ok(summary(&read_stored(&dir, &id)?))
    })
    .await??;
    Ok(Json(summary))
}

/// The submissions folder of a content folder, for tests and tools.
pub fn queue_dir(state: &AppState) -> PathBuf {
    submissions_dir(&state.content)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_checked() {
        assert!(is_id("20261121-0123456789abcdef"));
        for bad in
            ["", "../etc/passwd", "20261121-0123456789ABCDEF", "2026112-0123456789abcdef0", "20261121_0123456789abcdef"]
        {
            assert!(!is_id(bad), "{bad}");
        }
    }
}
