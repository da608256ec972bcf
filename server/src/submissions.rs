//! Contributors' submissions: `POST /api/submissions`.
//!
//! A submission is checked with the same rules as `indexer check`, then written as a pending
//! case in the content format under `content/submissions/<id>/` (`case.toml`, `<lang>.md`) with
//! a private `submission.toml` (contact, status). Writing is atomic: the files go into a hidden
//! temporary folder, each is flushed to disk, and the folder is renamed into place before the
//! server answers, so an acknowledged submission survives a crash and no partial file is ever
//! visible. Ids and paths are the server's own, never taken from the submission's text.

use crate::error::AppError;
use crate::state::AppState;
use axum::Json;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use model::api::{ApiError, ReviewStatus, SubmissionReceipt};
use model::files::{case_text_file, case_toml};
use model::submission::{Contact, MAX_BODY_BYTES, Submission};
use rand::RngExt;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The private record kept with every submission.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Record {
    pub id: String,
    /// RFC 3339.
    pub received_at: String,
    pub status: ReviewStatus,
    pub contact: Contact,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<String>,
}

pub const RECORD_FILE: &str = "submission.toml";
const AUDIT_FILE: &str = "audit.log";

/// `content/submissions/`.
pub fn submissions_dir(content: &Path) -> PathBuf {
    content.join("submissions")
}

/// Whether `id` has the server's form: `YYYYMMDD-` and 16 hex digits.
pub fn is_id(id: &str) -> bool {
    let bytes = id.as_bytes();
    bytes.len() == 25
        && bytes[..8].iter().all(u8::is_ascii_digit)
        && bytes[8] == b'-'
        && bytes[9..].iter().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

fn new_id() -> String {
    let date = chrono::Utc::now().format("%Y%m%d");
    format!("{date}-{:016x}", rand::rng().random::<u64>())
}

pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The client's address, when the server knows it.
pub fn client_ip(state: &AppState, request: &Request) -> Option<IpAddr> {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip())?;
    if !state.trusted_proxies.contains(&peer) {
        return Some(peer);
    }
    // The proxy appends the address it saw: the last entry is the one it vouches for.
    let forwarded = request.headers().get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).last();
    Some(forwarded.and_then(|list| list.rsplit(',').next()).and_then(|ip| ip.trim().parse().ok()).unwrap_or(peer))
}

/// Refuses requests a browser made for another site (cross-site request forgery): browsers say
/// where a request comes from in `Sec-Fetch-Site` and `Origin`; other clients send neither.
pub fn check_same_site(state: &AppState, headers: &HeaderMap) -> Result<(), AppError> {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && !matches!(site, "same-origin" | "none")
    {
        return Err(AppError::Forbidden(format!(
            "a {site} request cannot change the collection; use the site's own form"
        )));
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        // The site's own origin: its public address when it has one (whatever Host a client
        // sends), else the Host it was reached at, over plain HTTP, or HTTPS when the reverse
        // proxy in front says so.
        let own = match &state.public_url {
            Some(url) => url.split('/').take(3).collect::<Vec<_>>().join("/"),
            None => {
                let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
                let https = headers
                    .get("x-forwarded-proto")
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"));
                format!("{}://{host}", if https { "https" } else { "http" })
            }
        };
        if !origin.eq_ignore_ascii_case(&own) {
            return Err(AppError::Forbidden("a request from another site cannot change the collection".into()));
        }
    }
    Ok(())
}

/// Reads a JSON body of at most `limit` bytes into `T`, rejecting unknown keys: 415 for another
/// content type, 413 for too much, 400 naming what does not parse.
pub async fn json_body<T: DeserializeOwned>(request: Request, limit: usize) -> Result<T, AppError> {
    let is_json = request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| {
        let mime = v.split(';').next().unwrap_or("").trim();
        mime.eq_ignore_ascii_case("application/json")
    });
    if !is_json {
        return Err(AppError::UnsupportedMediaType(
            "send the body as JSON with `Content-Type: application/json`".into(),
        ));
    }
    let too_large = || AppError::PayloadTooLarge(format!("the body is larger than the {limit} bytes allowed"));
    if request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|n| n > limit)
    {
        return Err(too_large());
    }
    let bytes = axum::body::to_bytes(request.into_body(), limit)
        .await
        .map_err(|error| AppError::unread_body(&error, too_large))?;
    let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
    let (value, unknown) = model::strict::deserialize::<_, T>(&mut deserializer)
        .map_err(|e| AppError::BadRequest(format!("the body is not valid: {e}")))?;
    deserializer.end().map_err(|e| AppError::BadRequest(format!("the body is not valid: {e}")))?;
    if !unknown.is_empty() {
        return Err(AppError::BadRequest(format!("the body has unknown fields: {}", unknown.join(", "))));
    }
    Ok(value)
}

/// Writes `files` into `parent/name` atomically: a hidden temporary folder, every file flushed,
/// then one rename. Fails if `parent/name` exists.
pub fn write_dir_atomically(parent: &Path, name: &str, files: &[(String, Vec<u8>)]) -> io::Result<()> {
    fs::create_dir_all(parent)?;
    let target = parent.join(name);
    if target.exists() {
        return Err(io::Error::new(io::ErrorKind::AlreadyExists, format!("{} exists", target.display())));
    }
    let temp = parent.join(format!(".tmp-{name}-{:08x}", rand::rng().random::<u32>()));
    fs::create_dir(&temp)?;
    let written = (|| {
        for (file, bytes) in files {
            let mut out = File::create(temp.join(file))?;
            out.write_all(bytes)?;
            out.sync_all()?;
        }
        File::open(&temp)?.sync_all()?;
        fs::rename(&temp, &target)?;
        File::open(parent)?.sync_all()
    })();
    if written.is_err() {
        let _ = fs::remove_dir_all(&temp);
    }
    written
}

/// Replaces one file atomically (temporary file, flush, rename).
pub fn replace_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let temp = path.with_extension(format!("tmp-{:08x}", rand::rng().random::<u32>()));
    let mut out = File::create(&temp)?;
    out.write_all(bytes)?;
    out.sync_all()?;
    drop(out);
    fs::rename(&temp, path)?;
    File::open(path.parent().unwrap_or(Path::new(".")))?.sync_all()
}

/// Removes temporary folders left by a crash mid-write (never acknowledged, so nothing is lost).
pub fn remove_leftovers(content: &Path) {
    let dir = submissions_dir(content);
    for parent in [dir.clone(), indexer::content::cases_path(content)] {
        for entry in fs::read_dir(&parent).into_iter().flatten().flatten() {
            if entry.file_name().to_string_lossy().starts_with(".tmp-") {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }
}

/// One line of the audit log.
#[derive(Serialize)]
pub struct AuditEntry<'a> {
    pub at: String,
    pub action: &'a str,
    pub id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slug: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client: Option<String>,
}

/// Appends an entry to `content/submissions/audit.log` (JSON lines) and flushes it.
pub fn audit(content: &Path, entry: &AuditEntry<'_>) -> io::Result<()> {
    let dir = submissions_dir(content);
    fs::create_dir_all(&dir)?;
    let mut log = OpenOptions::new().create(true).append(true).open(dir.join(AUDIT_FILE))?;
    let mut line = serde_json::to_vec(entry).map_err(io::Error::other)?;
    line.push(b'\n');
    log.write_all(&line)?;
    log.sync_data()
}

/// The files of a submission in the content format, with its record.
pub fn submission_files(submission: &Submission, record: &Record) -> Vec<(String, Vec<u8>)> {
    let case = submission.to_case("submission");
    let text = &case.texts[0];
    vec![
        ("case.toml".into(), case_toml(&case.meta).into_bytes()),
        (format!("{}.md", text.lang), case_text_file(&text.front, &text.body).into_bytes()),
        (RECORD_FILE.into(), toml::to_string(record).expect("records serialise").into_bytes()),
    ]
}

/// Checks a submission with the same rules as `indexer check` (422 naming each problem) and
/// stores it as a pending case; returns its new id. Only an accepted submission counts against
/// the client's hourly allowance (429 past it), so fixing a refused form never locks anyone out.
pub async fn receive(state: &AppState, client: Option<IpAddr>, submission: Submission) -> Result<String, AppError> {
    let problems = submission.check(state.engine().vocabulary());
    if !problems.is_empty() {
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        return Err(AppError::Invalid {
            message: format!("the submission has {} problem(s): {}", problems.len(), fields.join(", ")),
            problems,
        });
    }
    if let Some(limiter) = &state.submission_limiter {
        let key = client.unwrap_or(IpAddr::from([0, 0, 0, 0]));
        if let Err(wait) = limiter.check_key(&key) {
            let seconds = wait
                .wait_time_from(governor::clock::Clock::now(&governor::clock::DefaultClock::default()))
                .as_secs()
                .max(1);
            return Err(AppError::TooManyRequests {
                message: format!("too many submissions from this address; try again in {seconds} s"),
                retry_after: seconds,
            });
        }
    }

    let id = new_id();
    let record = Record {
        id: id.clone(),
        received_at: now(),
        status: ReviewStatus::Pending,
        contact: submission.contact.clone(),
        slug: None,
        reason: None,
        decided_at: None,
    };
    let content = state.content.clone();
    let stored_id = id.clone();
    tokio::task::spawn_blocking(move || -> io::Result<()> {
        write_dir_atomically(&submissions_dir(&content), &stored_id, &submission_files(&submission, &record))?;
        audit(
            &content,
            &AuditEntry {
                at: now(),
                action: "received",
                id: &stored_id,
                slug: None,
                reason: None,
                client: client.map(|ip| ip.to_string()),
            },
        )
    })
    .await?
    .map_err(AppError::internal)?;
    tracing::info!(%id, "submission stored");
    Ok(id)
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
    request_body(content = Submission, content_type = "application/json", description = "The case as the form sends it; unknown fields are refused"),
    responses(
        (status = 201, description = "Stored for review", body = SubmissionReceipt,
            headers(("location" = String, description = "The review's endpoint for the submission (it needs the maintainer token)"))),
        (status = 400, description = "The body is not JSON of this shape; the message names what does not parse", body = ApiError),
        (status = 403, description = "A browser sent it from another site (`Sec-Fetch-Site` or `Origin`)", body = ApiError),
        (status = 413, description = "The body is larger than 256 KiB", body = ApiError),
        (status = 415, description = "The body is not sent as `application/json`", body = ApiError),
        (status = 422, description = "The submission breaks content rules; `problems` names each field and its fix", body = ApiError),
        (status = 429, description = "Too many submissions from this address", body = ApiError,
            headers(("retry-after" = u64, description = "Seconds to wait"))),
    )
)]
pub async fn create(State(state): State<Arc<AppState>>, request: Request<Body>) -> Result<impl IntoResponse, AppError> {
    check_same_site(&state, request.headers())?;
    let client = client_ip(&state, &request);
    let submission: Submission = json_body(request, MAX_BODY_BYTES).await?;
    let id = receive(&state, client, submission).await?;
    // Where the submission can be read: the review's endpoint (it needs the maintainer token).
    let location = format!("/api/admin/submissions/{id}");
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(SubmissionReceipt { id, status: ReviewStatus::Pending }),
    ))
}
