//! Photos: a submission sent with its photos (`POST /api/submissions/with-photos`, multipart),
//! each photo decoded, checked and re-encoded by [`photos::process`] so that nothing of the
//! upload but its pixels is kept; the files of a published case's photos (`/photos/<slug>/…`)
//! and of a pending one's for the review (`/api/admin/submissions/<id>/photos/…`).
//!
//! Memory stays bounded: parts are read with a limit each (the submission's JSON as a JSON
//! body, each photo [`photos::MAX_BYTES`]), a photo is processed as soon as it has arrived and
//! its upload dropped, and one photo is decoded at a time. Each client may have as many photos
//! decoded per hour as its submissions may hold (`AppState::photo_limiter`), refused ones
//! included.

use crate::error::AppError;
use crate::extract::{Client, Maintainer, SameSite};
use crate::openapi::BodyRefusals;
use crate::state::AppState;
use axum::extract::multipart::{Field, MultipartRejection};
use axum::extract::{Multipart, Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use model::api::{ApiError, SubmissionReceipt};
use model::case::Photo;
use model::submission::{FILE, MAX_BODY_BYTES, Submission};
use model::validate::{PhotoRule, Rule};
use model::{Lang, Problem};
use std::sync::Arc;

/// The largest multipart body: the submission and [`photos::MAX_PHOTOS`] photos at their
/// limit, with room for the parts' headers.
pub const MAX_UPLOAD_BYTES: usize = MAX_BODY_BYTES + photos::MAX_PHOTOS * photos::MAX_BYTES + 64 * 1024;

/// The route, with its body limit raised to [`MAX_UPLOAD_BYTES`] for this route alone (each part
/// keeps its own limit).
pub fn routes() -> utoipa_axum::router::UtoipaMethodRouter<Arc<AppState>> {
    let (schemas, paths, route) = utoipa_axum::routes!(create);
    (schemas, paths, route.layer(axum::extract::DefaultBodyLimit::max(MAX_UPLOAD_BYTES)))
}

/// One photo decoded at a time: a large photo takes a few hundred megabytes while it is.
static DECODING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

/// Submits a case study with its photos for review.
///
/// `POST /api/submissions/with-photos`, `multipart/form-data`: a part `submission` (the same
/// JSON as `POST /api/submissions`, its `meta.photos` saying for each photo what it shows, its
/// credit and licence) and one part `photo` per photo, in the same order (JPEG, PNG or WebP, at
/// most 8 MB each). Every photo is decoded and re-encoded as JPEGs 480, 960 and 1600 px wide,
/// without its metadata (camera, place); a file that is not a whole, plain photo is refused
/// with a 422 naming it.
#[utoipa::path(
    post,
    path = "/api/submissions/with-photos",
    operation_id = "create_submission_with_photos",
    tag = "submissions",
    params(("ui" = inline(Option<Lang>), Query, description = "The language the problems of a 422 are explained in")),
    request_body(content_type = "multipart/form-data", description = "A `submission` part (JSON) and one `photo` part per photo, in order"),
    responses(
        (status = 201, description = "Stored for review", body = SubmissionReceipt),
        BodyRefusals,
        (status = 422, description = "The submission or a photo is refused; `problems` names each, `photos[i]` for a photo", body = ApiError),
        (status = 429, description = "Too many submissions from this address", body = ApiError),
        (status = 503, description = "The submission could not be written; nothing was kept, try again", body = ApiError),
    )
)]
pub async fn create(
    State(state): State<Arc<AppState>>,
    _: SameSite,
    client: Client,
    RawQuery(query): RawQuery,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<impl IntoResponse, AppError> {
    let [ui] = crate::api::lang_params(query.as_deref(), ["ui"])?;
    let received = read(&state, client, multipart).await.map_err(|error| error.explained_in(ui))?;
    let (id, token) = crate::submissions::receive(&state, client, received.submission, received.files)
        .await
        .map_err(|error| error.explained_in(ui))?;
    Ok(crate::submissions::created(id, &token))
}

/// A submission with its photos' files, as read from the multipart body.
struct Received {
    submission: Submission,
    files: collection::queue::PhotoFiles,
}

async fn read(
    state: &AppState,
    client: Client,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Received, AppError> {
    let mut multipart = multipart.map_err(|_| {
        AppError::UnsupportedMediaType(
            "send the submission as multipart/form-data: a `submission` part (JSON) and one `photo` part per photo"
                .into(),
        )
    })?;
    let mut submission = None;
    let mut photos = Vec::new();
    let mut problems = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("submission") if submission.is_none() => {
                let bytes = read_part(field, MAX_BODY_BYTES, "the `submission` part").await?;
                submission = Some(parse_submission(&bytes)?);
            }
            Some("photo") => {
                let index = photos.len();
                if index == photos::MAX_PHOTOS {
                    return Err(AppError::Invalid {
                        message: format!("a case has at most {} photos", photos::MAX_PHOTOS),
                        problems: vec![
                            Problem::new(
                                FILE,
                                "photos",
                                "has too many photos",
                                format!("keep at most {}", photos::MAX_PHOTOS),
                            )
                            .breaking(model::validate::Rule::TooMany { max: photos::MAX_PHOTOS }),
                        ],
                    });
                }
                let name = field.file_name().unwrap_or("").to_owned();
                let bytes = read_part(field, photos::MAX_BYTES, "a photo").await?;
                // Refused photos count too: decoding is the cost, whatever comes of it.
                if let Some(limiter) = &state.photo_limiter
                    && limiter.check_key(&client.key()).is_err()
                {
                    return Err(AppError::TooManyRequests {
                        message: "too many photos from this address; try again in an hour".into(),
                        retry_after: 3600,
                    });
                }
                match process(bytes, name.clone()).await? {
                    Ok(processed) => photos.push(Some(processed)),
                    Err(error) => {
                        let shown = if name.is_empty() { format!("photo {}", index + 1) } else { name };
                        problems.push(
                            Problem::new(FILE, &format!("photos[{index}]"), format!("{shown} {error}"), "")
                                .breaking(Rule::Photo(rule_of(&error))),
                        );
                        photos.push(None);
                    }
                }
            }
            Some(other) => {
                return Err(AppError::BadRequest(format!(
                    "the part `{}` is not known here (expected `submission` and `photo` parts)",
                    other.chars().take(40).collect::<String>()
                )));
            }
            None => return Err(AppError::BadRequest("every part needs a name: `submission` or `photo`".into())),
        }
    }
    let Some(mut submission) = submission else {
        return Err(AppError::BadRequest("the `submission` part is missing".into()));
    };
    let described = submission.meta.photos.len();
    if described != photos.len() {
        problems.push(
            Problem::new(
                FILE,
                "photos",
                format!("describes {described} photo(s) but {} were attached", photos.len()),
                "attach each photo with what it shows, its credit and its licence",
            )
            .breaking(Rule::PhotosUnmatched),
        );
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid { message: format!("{} photo problem(s)", problems.len()), problems });
    }
    let mut files = Vec::new();
    for (index, (photo, processed)) in submission.meta.photos.iter_mut().zip(photos.into_iter().flatten()).enumerate() {
        let largest = processed.sizes.last().expect("a processed photo has a size");
        *photo = Photo {
            name: Photo::name_at(index),
            width: largest.width,
            height: largest.height,
            sizes: processed.sizes.iter().map(|s| s.width).collect(),
            ..photo.clone()
        };
        for size in processed.sizes {
            files.push((photo.file(size.width), size.jpeg));
        }
    }
    Ok(Received { submission, files })
}

/// The rule a refused photo broke, for its message in the reader's language.
fn rule_of(error: &photos::PhotoError) -> PhotoRule {
    use photos::PhotoError as E;
    match error {
        E::TooLarge { .. } => PhotoRule::TooLarge,
        E::Empty | E::UnknownFormat => PhotoRule::NotAPhoto,
        E::WrongExtension { .. } => PhotoRule::WrongExtension,
        E::TooManyPixels { .. } => PhotoRule::TooManyPixels,
        E::TooSmall { .. } => PhotoRule::TooSmall,
        E::Truncated => PhotoRule::Truncated,
        E::Damaged(_) => PhotoRule::Damaged,
        E::Polyglot(_) => PhotoRule::NotOnlyAPhoto,
        E::TooManyFrames { .. } => PhotoRule::Animated,
    }
}

/// Reads one part whole, refusing it past `limit` bytes.
async fn read_part(mut field: Field<'_>, limit: usize, what: &str) -> Result<Vec<u8>, AppError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
        if bytes.len() + chunk.len() > limit {
            return Err(AppError::PayloadTooLarge(format!(
                "{what} is larger than the {} MB allowed",
                limit.div_ceil(1024 * 1024)
            )));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

fn parse_submission(bytes: &[u8]) -> Result<Submission, AppError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let (submission, unknown) = model::strict::deserialize::<_, Submission>(&mut deserializer)
        .map_err(|e| AppError::BadRequest(format!("the `submission` part is not valid: {e}")))?;
    deserializer.end().map_err(|e| AppError::BadRequest(format!("the `submission` part is not valid: {e}")))?;
    if !unknown.is_empty() {
        return Err(AppError::BadRequest(format!("the `submission` part has unknown fields: {}", unknown.join(", "))));
    }
    Ok(submission)
}

/// A multipart body that broke off or does not parse: 413 past the whole body's limit, else 400.
fn unreadable(error: axum::extract::multipart::MultipartError) -> AppError {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::PayloadTooLarge(format!(
            "the submission with its photos is larger than the {} MB allowed",
            MAX_UPLOAD_BYTES / (1024 * 1024)
        ))
    } else {
        AppError::BadRequest(format!("the multipart body does not read: {}", error.body_text()))
    }
}

/// Decodes and re-encodes one photo on a blocking thread, one at a time.
async fn process(bytes: Vec<u8>, name: String) -> Result<Result<photos::Processed, photos::PhotoError>, AppError> {
    let _permit = DECODING.acquire().await.map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(tokio::task::spawn_blocking(move || photos::process(&bytes, &name)).await?)
}

/// Whether `file` is a photo's file name, `photo-<n>-<width>.jpg`.
fn is_photo_file(file: &str) -> bool {
    file.strip_suffix(".jpg").and_then(|stem| stem.rsplit_once('-')).is_some_and(|(name, width)| {
        Photo::is_name(name) && !width.is_empty() && width.len() <= 4 && width.bytes().all(|b| b.is_ascii_digit())
    })
}

async fn jpeg(path: std::path::PathBuf, cache: &'static str) -> Result<impl IntoResponse + use<>, AppError> {
    match tokio::fs::read(&path).await {
        Ok(bytes) => Ok(([(header::CONTENT_TYPE, "image/jpeg"), (header::CACHE_CONTROL, cache)], bytes)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Err(AppError::NotFound("no such photo".into())),
        Err(error) => Err(AppError::Internal(format!("reading {}: {error}", path.display()))),
    }
}

/// `GET /photos/<slug>/<file>`: a file of a published case's photo.
pub async fn published(
    State(state): State<Arc<AppState>>,
    Path((slug, file)): Path<(String, String)>,
) -> Result<impl IntoResponse, AppError> {
    let slug = crate::api::checked_slug(&slug)?;
    if !is_photo_file(&file) {
        return Err(AppError::NotFound("no such photo".into()));
    }
    jpeg(collection::cases_path(&state.content).join(slug).join(&file), "public, max-age=86400").await
}

/// `GET /api/admin/submissions/<id>/photos/<file>`: a file of a pending submission's photo, for
/// the review (it needs the maintainer token).
pub async fn pending(
    State(state): State<Arc<AppState>>,
    _: Maintainer,
    Path((id, file)): Path<(String, String)>,
) -> Result<impl IntoResponse, AppError> {
    if !collection::is_id(&id) {
        return Err(AppError::BadRequest("not a submission reference".into()));
    }
    if !is_photo_file(&file) {
        return Err(AppError::NotFound("no such photo".into()));
    }
    jpeg(state.store.submissions_dir().join(&id).join(&file), "private, no-store").await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photo_file_names_are_checked() {
        for good in ["photo-1-480.jpg", "photo-8-1600.jpg", "photo-3-300.jpg"] {
            assert!(is_photo_file(good), "{good}");
        }
        for bad in [
            "photo-0-480.jpg",
            "photo-9-480.jpg",
            "photo-1-.jpg",
            "../case.toml",
            "photo-1-480.png",
            "photo-01-480.jpg",
            "photo-1-99999.jpg",
        ] {
            assert!(!is_photo_file(bad), "{bad}");
        }
    }
}
