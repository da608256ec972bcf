//! The submission queue: `submissions/<id>/` holds a submission as a pending case in the content
//! format (`case.toml`, `<lang>.md`) with its private record (`submission.toml`: contact,
//! status), and `submissions/audit.log` one JSON line per action.
//!
//! Submit, edit, approve and reject are the only operations; each runs under the store's lock,
//! writes through [`crate::durable`], and either completes or leaves everything as it was.
//! Approval in particular is all or nothing: the case's folder in `cases/`, the record marked
//! approved, the audit line and the hand-over to the index ([`Store::approve`]'s `publish`) all
//! happen, or whatever was done is undone and a retry starts afresh.

use crate::Store;
use crate::durable::{self, WriteError};
use crate::read::read_case;
use model::api::ReviewStatus;
use model::files::{case_text_file, case_toml};
use model::submission::{Contact, Submission};
use model::{Case, Problem, Vocabulary};
use rand::RngExt;
use serde::{Deserialize, Serialize};
use std::fs;
use std::path::{Path, PathBuf};

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
    /// The SHA-256 of the contributor's status link ([`Store::by_status_token`]); the link itself
    /// is never stored, so neither the record nor a copy of the content folder gives it away.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_key: Option<String>,
}

pub const RECORD_FILE: &str = "submission.toml";
pub const AUDIT_FILE: &str = "audit.log";

/// A stored submission: its record, and its case as the files say now (`None`, with the
/// problems, when they no longer read).
#[derive(Clone, Debug)]
pub struct Stored {
    pub record: Record,
    pub case: Option<Case>,
    pub problems: Vec<Problem>,
}

/// What a queue operation refuses, or what failed while it ran.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("`{0}` is not a submission reference")]
    NotAnId(String),
    #[error("no submission `{0}`")]
    NotFound(String),
    #[error("submission `{id}` is already {status}")]
    NotPending { id: String, status: String },
    #[error("the slug `{0}` is taken; choose another")]
    SlugTaken(String),
    /// The submission or the case breaks content rules; one problem per field.
    #[error("{message}")]
    Invalid { message: String, problems: Vec<Problem> },
    /// The submission's files no longer read (edited by hand on disk).
    #[error("the submission's files no longer read: {}", problems_text(.0))]
    Unreadable(Vec<Problem>),
    /// Publishing was refused or failed after the files were written; they were taken back.
    #[error("the case could not be made searchable: {0}; nothing was changed")]
    NotPublished(String),
    /// A write failed; what was written before it in the same operation was taken back.
    #[error("writing {what} failed: {source}")]
    Write { what: &'static str, source: WriteError },
    /// A read failed (not a missing or malformed file, which the other variants name).
    #[error("reading {0} failed: {1}")]
    Read(PathBuf, std::io::Error),
}

fn problems_text(problems: &[Problem]) -> String {
    problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
}

/// The writes of the queue's operations, in the order an approval makes them; a test or a drill
/// makes one fail ([`Store::fail_next`]) to see that nothing is left half done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// A submission's folder (submit, edit) or the published case's folder in `cases/` (approve).
    CaseFolder,
    /// `submission.toml`, marked approved or rejected.
    Record,
    /// The line in `audit.log`.
    Audit,
    /// Handing the approved case to the index.
    Publish,
}

/// Whether `id` has the server's form: `YYYYMMDD-` and 16 lowercase hex digits.
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

/// A new status link's token: 128 random bits as 32 lowercase hex digits.
fn new_status_token() -> String {
    format!("{:032x}", rand::rng().random::<u128>())
}

/// Whether `token` has the form of a status link's token.
pub fn is_status_token(token: &str) -> bool {
    token.len() == 32 && token.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// What a record keeps of a status token.
fn status_key(token: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Now, as RFC 3339 in UTC to the second.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// One line of the audit log.
#[derive(Serialize)]
struct AuditEntry<'a> {
    at: String,
    action: &'a str,
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    slug: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client: Option<&'a str>,
}

/// The files of a case in the content format: `case.toml` and one `<lang>.md` per text.
pub fn case_files(case: &Case) -> Vec<(String, Vec<u8>)> {
    let mut files = vec![("case.toml".to_owned(), case_toml(&case.meta).into_bytes())];
    for text in &case.texts {
        files.push((format!("{}.md", text.lang), case_text_file(&text.front, &text.body).into_bytes()));
    }
    files
}

fn record_bytes(record: &Record) -> Vec<u8> {
    toml::to_string(record).expect("records serialise").into_bytes()
}

/// A submission's folder: its case's files, its photos' files and its record.
fn submission_files(submission: &Submission, photos: PhotoFiles, record: &Record) -> Vec<(String, Vec<u8>)> {
    let mut files = case_files(&submission.to_case("submission"));
    files.extend(photos);
    files.push((RECORD_FILE.into(), record_bytes(record)));
    files
}

/// The files of a case's photos (`photo-1-480.jpg`, …), as the server wrote them.
pub type PhotoFiles = Vec<(String, Vec<u8>)>;

/// Checks that `photos` holds exactly the files `case`'s photos name: [`StoreError::Invalid`]
/// names the first that is missing or unexpected.
fn check_photo_files(case: &Case, photos: &PhotoFiles) -> Result<(), StoreError> {
    let named: std::collections::BTreeSet<String> = case.meta.photos.iter().flat_map(|p| p.files()).collect();
    let given: std::collections::BTreeSet<String> = photos.iter().map(|(name, _)| name.clone()).collect();
    if let Some(missing) = named.difference(&given).next() {
        let problem = Problem::new(
            FILE_FOR_PHOTOS,
            "photos",
            format!("names the file {missing}, which was not sent"),
            "attach the photo again",
        );
        return Err(invalid("the submission", vec![problem]));
    }
    if let Some(extra) = given.difference(&named).next() {
        let problem = Problem::new(
            FILE_FOR_PHOTOS,
            "photos",
            format!("has a file {extra} that no photo names"),
            "attach each photo with its description",
        );
        return Err(invalid("the submission", vec![problem]));
    }
    Ok(())
}

const FILE_FOR_PHOTOS: &str = model::submission::FILE;

/// The photo files of the case in `dir` that its photos name.
fn read_photo_files(dir: &Path, case: &Case) -> Result<PhotoFiles, StoreError> {
    case.meta
        .photos
        .iter()
        .flat_map(|photo| photo.files())
        .map(|name| {
            let path = dir.join(&name);
            fs::read(&path).map(|bytes| (name, bytes)).map_err(|e| StoreError::Read(path, e))
        })
        .collect()
}

/// Checks a submission with the same rules as `indexer check`: [`StoreError::Invalid`] names each
/// problem.
pub fn check_submission(submission: &Submission, vocabulary: &Vocabulary) -> Result<(), StoreError> {
    let problems = submission.check(vocabulary);
    if problems.is_empty() { Ok(()) } else { Err(invalid("the submission", problems)) }
}

fn invalid(what: &str, problems: Vec<Problem>) -> StoreError {
    let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
    StoreError::Invalid {
        message: format!("{what} has {} problem(s): {}", problems.len(), fields.join(", ")),
        problems,
    }
}

impl Store {
    /// `submissions/`.
    pub fn submissions_dir(&self) -> PathBuf {
        self.root.join("submissions")
    }

    fn submission_dir(&self, id: &str) -> Result<PathBuf, StoreError> {
        if !is_id(id) {
            return Err(StoreError::NotAnId(id.chars().take(40).collect()));
        }
        let dir = self.submissions_dir().join(id);
        if !dir.join(RECORD_FILE).is_file() {
            return Err(StoreError::NotFound(id.to_owned()));
        }
        Ok(dir)
    }

    fn check_fault(&self, step: Step) -> Result<(), StoreError> {
        let mut next = self.fault.lock().expect("never poisoned");
        if *next == Some(step) {
            *next = None;
            let what = match step {
                Step::Publish => return Err(StoreError::NotPublished("an injected failure".into())),
                Step::CaseFolder => "the case's folder",
                Step::Record => RECORD_FILE,
                Step::Audit => AUDIT_FILE,
            };
            return Err(StoreError::Write {
                what,
                source: WriteError { path: self.root.clone(), source: std::io::Error::other("an injected failure") },
            });
        }
        Ok(())
    }

    /// Makes the next write of `step` fail, as a full disk would: for tests and drills.
    pub fn fail_next(&self, step: Step) {
        *self.fault.lock().expect("never poisoned") = Some(step);
    }

    fn audit(
        &self,
        action: &str,
        id: &str,
        slug: Option<&str>,
        reason: Option<&str>,
        client: Option<&str>,
    ) -> Result<u64, StoreError> {
        self.check_fault(Step::Audit)?;
        let entry = AuditEntry { at: now(), action, id, slug, reason, client };
        let line = serde_json::to_vec(&entry).expect("audit entries serialise");
        durable::append_line(&self.submissions_dir().join(AUDIT_FILE), &line)
            .map_err(|source| StoreError::Write { what: AUDIT_FILE, source })
    }

    fn read_record(dir: &Path) -> Result<Record, StoreError> {
        let path = dir.join(RECORD_FILE);
        let text = fs::read_to_string(&path).map_err(|e| StoreError::Read(path.clone(), e))?;
        toml::from_str(&text).map_err(|e| StoreError::Read(path, std::io::Error::other(e)))
    }

    fn read_stored(&self, dir: &Path, id: &str) -> Result<Stored, StoreError> {
        let record = Self::read_record(dir)?;
        let mut problems = Vec::new();
        let case = read_case(dir, &format!("submissions/{id}"), "submission", &mut problems)
            .map_err(|e| StoreError::Read(dir.to_owned(), std::io::Error::other(e.to_string())))?;
        Ok(Stored { record, case, problems })
    }

    /// Checks `submission` against the content rules and stores it as a pending case with a new
    /// id, then logs it. Returns its record and the token of the contributor's private status
    /// link (given once: only its hash is kept).
    pub fn submit(
        &self,
        submission: &Submission,
        vocabulary: &Vocabulary,
        client: Option<&str>,
    ) -> Result<(Record, String), StoreError> {
        self.submit_with_photos(submission, Vec::new(), vocabulary, client)
    }

    /// [`Store::submit`] with the files of the photos the submission names, kept beside it.
    pub fn submit_with_photos(
        &self,
        submission: &Submission,
        photos: PhotoFiles,
        vocabulary: &Vocabulary,
        client: Option<&str>,
    ) -> Result<(Record, String), StoreError> {
        check_submission(submission, vocabulary)?;
        check_photo_files(&submission.to_case("submission"), &photos)?;
        let token = new_status_token();
        let record = Record {
            id: new_id(),
            received_at: now(),
            status: ReviewStatus::Pending,
            contact: submission.contact.clone(),
            slug: None,
            reason: None,
            decided_at: None,
            status_key: Some(status_key(&token)),
        };
        let _lock = self.lock.lock().expect("never poisoned");
        self.check_fault(Step::CaseFolder)?;
        let parent = self.submissions_dir();
        durable::create_dir(&parent, &record.id, &submission_files(submission, photos, &record))
            .map_err(|source| StoreError::Write { what: "the submission's folder", source })?;
        if let Err(error) = self.audit("received", &record.id, None, None, client) {
            let _ = durable::remove_dir(&parent, &record.id);
            return Err(error);
        }
        Ok((record, token))
    }

    /// The submission whose status link has `token`, for its contributor.
    pub fn by_status_token(&self, token: &str) -> Result<Stored, StoreError> {
        let not_found = || StoreError::NotFound("with this status link".into());
        if !is_status_token(token) {
            return Err(not_found());
        }
        let key = status_key(token);
        // Only the records are read until the one with this key is found.
        for entry in fs::read_dir(self.submissions_dir()).into_iter().flatten().flatten() {
            let id = entry.file_name().to_string_lossy().into_owned();
            if is_id(&id)
                && Self::read_record(&entry.path()).is_ok_and(|record| record.status_key.as_deref() == Some(&key))
            {
                return self.read_stored(&entry.path(), &id);
            }
        }
        Err(not_found())
    }

    /// Every submission, pending ones first, newest first within each group.
    pub fn list(&self) -> Vec<Stored> {
        let mut list = Vec::new();
        for entry in fs::read_dir(self.submissions_dir()).into_iter().flatten().flatten() {
            let id = entry.file_name().to_string_lossy().into_owned();
            if is_id(&id)
                && let Ok(stored) = self.read_stored(&entry.path(), &id)
            {
                list.push(stored);
            }
        }
        list.sort_by(|a, b| {
            (a.record.status != ReviewStatus::Pending)
                .cmp(&(b.record.status != ReviewStatus::Pending))
                .then_with(|| b.record.received_at.cmp(&a.record.received_at))
        });
        list
    }

    /// One submission as stored.
    pub fn get(&self, id: &str) -> Result<Stored, StoreError> {
        let dir = self.submission_dir(id)?;
        self.read_stored(&dir, id)
    }

    fn pending(&self, id: &str) -> Result<(PathBuf, Stored), StoreError> {
        let dir = self.submission_dir(id)?;
        let stored = self.read_stored(&dir, id)?;
        match stored.record.status {
            ReviewStatus::Pending => Ok((dir, stored)),
            status => Err(StoreError::NotPending { id: id.to_owned(), status: format!("{status:?}").to_lowercase() }),
        }
    }

    /// Replaces a pending submission with `submission` (its folder replaced whole), then logs it.
    pub fn edit(
        &self,
        id: &str,
        submission: &Submission,
        vocabulary: &Vocabulary,
        client: Option<&str>,
    ) -> Result<Stored, StoreError> {
        let problems = submission.check(vocabulary);
        if !problems.is_empty() {
            return Err(invalid("the edited submission", problems));
        }
        let _lock = self.lock.lock().expect("never poisoned");
        let (dir, stored) = self.pending(id)?;
        let record = Record { contact: submission.contact.clone(), ..stored.record.clone() };
        let parent = self.submissions_dir();
        // The files as they were, to put back if the audit line cannot be written.
        let before: Vec<(String, Vec<u8>)> = fs::read_dir(&dir)
            .map_err(|e| StoreError::Read(dir.clone(), e))?
            .flatten()
            .filter_map(|entry| Some((entry.file_name().into_string().ok()?, fs::read(entry.path()).ok()?)))
            .collect();
        // The photos stay as uploaded; an edit changes what is said about them, or drops some.
        let edited = submission.to_case("submission");
        let photos: PhotoFiles = edited
            .meta
            .photos
            .iter()
            .flat_map(|photo| photo.files())
            .filter_map(|name| before.iter().find(|(file, _)| *file == name).cloned())
            .collect();
        check_photo_files(&edited, &photos)?;
        self.check_fault(Step::CaseFolder)?;
        durable::replace_dir(&parent, id, &submission_files(submission, photos, &record))
            .map_err(|source| StoreError::Write { what: "the submission's folder", source })?;
        if let Err(error) = self.audit("edited", id, None, None, client) {
            let _ = durable::replace_dir(&parent, id, &before);
            return Err(error);
        }
        self.read_stored(&dir, id)
    }

    /// Publishes pending submission `id` as the case `cases/<slug>/`, all or nothing:
    ///
    /// 1. the case is checked as `indexer check` would (with `slug`, which must be free in
    ///    `cases/` and not `taken` by the index);
    /// 2. its folder is written to `cases/`, the record marked approved, the audit line appended;
    /// 3. `publish` is handed the case (the server adds it to the index, or queues it while a
    ///    build holds the index).
    ///
    /// If any of these fails, what was done is undone in reverse order and the error says what
    /// failed: the submission is still pending and a retry with the same slug works.
    pub fn approve(
        &self,
        id: &str,
        slug: &str,
        vocabulary: &Vocabulary,
        taken: &dyn Fn(&str) -> bool,
        client: Option<&str>,
        publish: &mut dyn FnMut(&Case) -> Result<(), String>,
    ) -> Result<Case, StoreError> {
        let _lock = self.lock.lock().expect("never poisoned");
        let (dir, stored) = self.pending(id)?;
        let cases = self.cases_dir();
        if cases.join(slug).exists() || taken(slug) {
            return Err(StoreError::SlugTaken(slug.to_owned()));
        }
        let Some(mut case) = stored.case else { return Err(StoreError::Unreadable(stored.problems)) };
        case.slug = slug.to_owned();
        let mut problems = Vec::new();
        model::validate::check_case(&format!("cases/{slug}"), &case, vocabulary, &mut problems);
        if !problems.is_empty() {
            return Err(StoreError::Invalid {
                message: format!("the case has {} problem(s); edit it first", problems.len()),
                problems,
            });
        }

        let mut files = case_files(&case);
        files.extend(read_photo_files(&dir, &case)?);
        self.check_fault(Step::CaseFolder)?;
        durable::create_dir(&cases, slug, &files)
            .map_err(|source| StoreError::Write { what: "the case's folder in cases/", source })?;
        let unpublish = || {
            if let Err(error) = durable::remove_dir(&cases, slug) {
                tracing::error!(%error, slug, "could not take back a case whose approval failed");
            }
        };

        let record_path = dir.join(RECORD_FILE);
        let old_record = record_bytes(&stored.record);
        let record = Record {
            status: ReviewStatus::Approved,
            slug: Some(slug.to_owned()),
            decided_at: Some(now()),
            ..stored.record
        };
        let marked = self.check_fault(Step::Record).and_then(|()| {
            durable::replace_file(&record_path, &record_bytes(&record))
                .map_err(|source| StoreError::Write { what: RECORD_FILE, source })
        });
        if let Err(error) = marked {
            unpublish();
            return Err(error);
        }
        let unmark = || {
            if let Err(error) = durable::replace_file(&record_path, &old_record) {
                tracing::error!(%error, id, "could not put back the record of a failed approval");
            }
        };

        let logged_at = match self.audit("approved", id, Some(slug), None, client) {
            Ok(length) => length,
            Err(error) => {
                unmark();
                unpublish();
                return Err(error);
            }
        };

        let published = self.check_fault(Step::Publish).and_then(|()| publish(&case).map_err(StoreError::NotPublished));
        if let Err(error) = published {
            // The store's lock is held, so the approval's line is still the log's last.
            if let Err(error) = durable::truncate_to(&self.submissions_dir().join(AUDIT_FILE), logged_at) {
                tracing::error!(%error, id, "could not take back the audit line of a failed approval");
            }
            unmark();
            unpublish();
            return Err(error);
        }
        Ok(case)
    }

    /// Rejects pending submission `id` with `reason` (kept, not deleted), then logs it.
    pub fn reject(&self, id: &str, reason: &str, client: Option<&str>) -> Result<Stored, StoreError> {
        let _lock = self.lock.lock().expect("never poisoned");
        let (dir, stored) = self.pending(id)?;
        let record_path = dir.join(RECORD_FILE);
        let old_record = record_bytes(&stored.record);
        let record = Record {
            status: ReviewStatus::Rejected,
            reason: Some(reason.to_owned()),
            decided_at: Some(now()),
            ..stored.record
        };
        self.check_fault(Step::Record)?;
        durable::replace_file(&record_path, &record_bytes(&record))
            .map_err(|source| StoreError::Write { what: RECORD_FILE, source })?;
        if let Err(error) = self.audit("rejected", id, None, Some(reason), client) {
            let _ = durable::replace_file(&record_path, &old_record);
            return Err(error);
        }
        self.read_stored(&dir, id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_checked() {
        assert!(is_id("20261121-0123456789abcdef"));
        assert!(is_id(&new_id()));
        for bad in
            ["", "../etc/passwd", "20261121-0123456789ABCDEF", "2026112-0123456789abcdef0", "20261121_0123456789abcdef"]
        {
            assert!(!is_id(bad), "{bad}");
        }
    }
}
