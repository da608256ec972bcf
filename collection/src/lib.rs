//! The content folder as a store. It owns the folder's layout, reading and validating it
//! ([`load`], [`read_case`]), the one durable writer ([`durable`]) and the submission queue
//! ([`queue`]), whose operations (submit, edit, approve, reject) return domain errors
//! ([`StoreError`]) that the server maps to HTTP.
//!
//! ```text
//! content/
//!   vocabulary.toml            the coded values (themes, audiences, organisation types)
//!   cases/<slug>/              a published case: case.toml and one <lang>.md per language
//!   submissions/<id>/          a submission: case.toml, <lang>.md, submission.toml (private)
//!   submissions/audit.log      one JSON line per action on the queue
//! ```
//!
//! Who writes what: the queue's operations write `submissions/` and, on approval, add a folder to
//! `cases/`; people edit `cases/` and `vocabulary.toml` by hand (in git); nothing else writes
//! here. Every write goes through [`durable`]: no reader ever sees half a file or half a folder.

pub mod durable;
pub mod queue;
mod read;
pub mod token;

pub use queue::{Record, Step, StoreError, Stored, is_id};
pub use read::{Collection, LoadError, load, load_vocabulary, read_case};

use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A content folder, opened for its operations.
#[derive(Debug)]
pub struct Store {
    root: PathBuf,
    /// Serialises the queue's operations (they read, then write).
    lock: Mutex<()>,
    /// The next write to fail, for tests and drills ([`Store::fail_next`]).
    fault: Mutex<Option<Step>>,
}

impl Store {
    /// The store over the content folder `root`; tidies what interrupted writes left behind.
    pub fn open(root: &Path) -> Store {
        let store = Store { root: root.to_owned(), lock: Mutex::new(()), fault: Mutex::new(None) };
        for dir in [store.cases_dir(), store.submissions_dir()] {
            let tidied = durable::remove_leftovers(&dir);
            if tidied > 0 {
                tracing::info!(dir = %dir.display(), tidied, "removed what interrupted writes left");
            }
        }
        store
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `cases/`, the published cases.
    pub fn cases_dir(&self) -> PathBuf {
        cases_path(&self.root)
    }

    /// Loads and validates the whole folder (see [`load`]).
    pub fn load(&self, progress: &(dyn Fn(usize, usize) + Sync)) -> Result<Collection, LoadError> {
        load(&self.root, progress)
    }

    /// The slugs of the published cases' folders, sorted.
    pub fn case_slugs(&self) -> Result<Vec<String>, LoadError> {
        read::case_folders(&self.cases_dir())
    }

    /// Reads and validates one published case, as [`load`] would.
    pub fn read_published(&self, slug: &str, vocabulary: &model::Vocabulary) -> Result<model::Case, LoadError> {
        let mut problems = Vec::new();
        let shown = format!("cases/{slug}");
        let case = read_case(&self.cases_dir().join(slug), &shown, slug, &mut problems)?;
        if let Some(case) = &case {
            model::validate::check_case(&shown, case, vocabulary, &mut problems);
        }
        match case {
            Some(case) if problems.is_empty() => Ok(case),
            _ => Err(LoadError::Invalid(problems)),
        }
    }
}

/// The folder's vocabulary file.
pub fn vocabulary_path(content: &Path) -> PathBuf {
    content.join("vocabulary.toml")
}

/// The folder holding published cases.
pub fn cases_path(content: &Path) -> PathBuf {
    content.join("cases")
}
