//! Index generations: every full build writes a new, complete index in its own folder and then
//! switches to it atomically.
//!
//! ```text
//! index/
//!   CURRENT            the name of the serving generation, replaced by rename (atomic)
//!   build.lock         held (flock) by the one process writing at a time
//!   gen-000007/        a complete tantivy index + generation.json + vocabulary.json
//! ```
//!
//! A build never touches the serving generation: a killed build leaves at most an unfinished
//! folder that `CURRENT` does not name, which the next build removes. Readers open `CURRENT`,
//! then the generation it names; the server polls `CURRENT` and swaps readers when it changes.

use super::analysis;
use super::document::{ongoing_until, to_document};
use super::schema::Fields;
use collection::Collection;
use collection::durable;
use model::{Lang, Vocabulary};
use serde::{Deserialize, Serialize};
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};
use tantivy::indexer::NoMergePolicy;
use tantivy::{Index, IndexWriter, TantivyDocument, Term};

const CURRENT: &str = "CURRENT";
const LOCK: &str = "build.lock";
const INFO: &str = "generation.json";
const VOCABULARY: &str = "vocabulary.json";
const PREFIX: &str = "gen-";
/// Generations kept besides the current one, for readers that still have them open.
const KEEP_OLD: usize = 1;
/// Bytes of stored cases compressed together (tantivy's default is 16 KiB).
const DOCSTORE_BLOCK: usize = 4096;

/// Memory for the index writer (shared by its threads).
const WRITER_MEMORY: usize = 256 * 1024 * 1024;

/// What a generation records about itself.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GenerationInfo {
    /// The folder name, e.g. `gen-000007`.
    pub id: String,
    /// Seconds since the Unix epoch.
    pub built_at: u64,
    pub cases: u64,
}

/// The result of a build.
#[derive(Clone, Debug)]
pub struct BuildReport {
    pub generation: GenerationInfo,
    /// Language files per language.
    pub languages: Vec<(Lang, usize)>,
    pub index_bytes: u64,
    pub elapsed: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum GenerationError {
    #[error("{0}: {1}")]
    Io(String, io::Error),
    #[error("index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("no index has been built in {0} yet; run `indexer build --content <dir> --index {0}`")]
    NoIndex(String),
    #[error("another build is writing to {0}; wait for it to finish")]
    Busy(String),
}

fn io_at(path: &Path) -> impl FnOnce(io::Error) -> GenerationError + '_ {
    move |e| GenerationError::Io(path.display().to_string(), e)
}

/// Opens a tantivy index in `dir` with this project's analyzers registered.
pub fn open_index(dir: &Path) -> Result<Index, GenerationError> {
    let index = Index::open_in_dir(dir)?;
    register_analyzers(&index);
    Ok(index)
}

pub fn register_analyzers(index: &Index) {
    for (name, analyzer) in analysis::analyzers() {
        index.tokenizers().register(name, analyzer);
    }
}

/// The serving generation's folder, from `CURRENT`.
pub fn current(root: &Path) -> Result<PathBuf, GenerationError> {
    let path = root.join(CURRENT);
    match fs::read_to_string(&path) {
        Ok(name) => Ok(root.join(name.trim())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Err(GenerationError::NoIndex(root.display().to_string())),
        Err(e) => Err(io_at(&path)(e)),
    }
}

/// The generation's recorded facts and vocabulary.
pub fn read_info(dir: &Path) -> Result<(GenerationInfo, Vocabulary), GenerationError> {
    let read = |name: &str| {
        let path = dir.join(name);
        fs::read(&path).map_err(io_at(&path))
    };
    let bad = |name: &str, e: serde_json::Error| {
        GenerationError::Io(dir.join(name).display().to_string(), io::Error::new(io::ErrorKind::InvalidData, e))
    };
    let info = serde_json::from_slice(&read(INFO)?).map_err(|e| bad(INFO, e))?;
    let vocabulary = serde_json::from_slice(&read(VOCABULARY)?).map_err(|e| bad(VOCABULARY, e))?;
    Ok((info, vocabulary))
}

/// Holds the build lock of an index root for as long as it lives.
pub struct WriteLock {
    _file: File,
}

impl WriteLock {
    /// Takes the lock, failing at once with [`GenerationError::Busy`] if another process has it.
    pub fn try_acquire(root: &Path) -> Result<WriteLock, GenerationError> {
        fs::create_dir_all(root).map_err(io_at(root))?;
        let path = root.join(LOCK);
        let file = File::options().create(true).truncate(false).write(true).open(&path).map_err(io_at(&path))?;
        match file.try_lock() {
            Ok(()) => Ok(WriteLock { _file: file }),
            Err(fs::TryLockError::WouldBlock) => Err(GenerationError::Busy(root.display().to_string())),
            Err(fs::TryLockError::Error(e)) => Err(io_at(&path)(e)),
        }
    }

    /// Takes the lock, waiting for another holder to release it.
    pub fn acquire(root: &Path) -> Result<WriteLock, GenerationError> {
        fs::create_dir_all(root).map_err(io_at(root))?;
        let path = root.join(LOCK);
        let file = File::options().create(true).truncate(false).write(true).open(&path).map_err(io_at(&path))?;
        file.lock().map_err(io_at(&path))?;
        Ok(WriteLock { _file: file })
    }
}

/// Builds a new generation from `collection` under `root` and makes it current, taking the
/// build lock (see [`build_locked`]). `progress(done, total)` is called while documents are added.
pub fn build(
    collection: &Collection,
    root: &Path,
    progress: &dyn Fn(usize, usize),
) -> Result<BuildReport, GenerationError> {
    let lock = WriteLock::try_acquire(root)?;
    build_locked(collection, root, &lock, progress)
}

/// [`build`] under a lock the caller took before it read `collection`: a case approved while
/// the content was being read then waits for the switch (the server adds it to the new
/// generation) instead of going into the old one and vanishing with it.
pub fn build_locked(
    collection: &Collection,
    root: &Path,
    _lock: &WriteLock,
    progress: &dyn Fn(usize, usize),
) -> Result<BuildReport, GenerationError> {
    let started = Instant::now();
    remove_unfinished(root)?;

    let id = next_id(root)?;
    let dir = root.join(&id);
    fs::create_dir_all(&dir).map_err(io_at(&dir))?;
    let fields = Fields::new();
    // Small doc-store blocks: a hit decompresses about its own case, not its neighbours too.
    let settings = tantivy::IndexSettings { docstore_blocksize: DOCSTORE_BLOCK, ..Default::default() };
    let index = Index::builder().schema(fields.schema.clone()).settings(settings).create_in_dir(&dir)?;
    register_analyzers(&index);

    let threads = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 4);
    let mut writer: IndexWriter<TantivyDocument> = index.writer_with_num_threads(threads, WRITER_MEMORY)?;
    // Every segment is merged into one at the end: merges while adding would be work redone.
    writer.set_merge_policy(Box::new(NoMergePolicy));
    let until = ongoing_until();
    let total = collection.cases.len();
    for (i, case) in collection.cases.iter().enumerate() {
        writer.add_document(to_document(&fields, case, until))?;
        if (i + 1) % 512 == 0 || i + 1 == total {
            progress(i + 1, total);
        }
    }
    writer.commit()?;
    // One segment: faster searches, and facet ordinals need no merging across segments.
    let segments = index.searchable_segment_ids()?;
    if segments.len() > 1 {
        writer.merge(&segments).wait()?;
    }
    writer.wait_merging_threads()?;

    let info = GenerationInfo { id: id.clone(), built_at: now_secs(), cases: total as u64 };
    write_durably(&dir.join(VOCABULARY), &serde_json::to_vec(&collection.vocabulary).expect("vocabulary serialises"))?;
    write_durably(&dir.join(INFO), &serde_json::to_vec_pretty(&info).expect("info serialises"))?;
    sync_dir(&dir)?;
    switch_to(root, &id)?;
    remove_old(root, &id)?;

    let mut languages: Vec<(Lang, usize)> = Lang::ALL.iter().map(|&lang| (lang, 0)).collect();
    for case in &collection.cases {
        for text in &case.texts {
            languages[text.lang.index()].1 += 1;
        }
    }
    Ok(BuildReport { generation: info, languages, index_bytes: dir_size(&dir), elapsed: started.elapsed() })
}

fn now_secs() -> u64 {
    SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// Adds `cases` to the current generation, replacing any case with the same slug: the quick
/// path for an approved submission, without a full rebuild. The caller holds the [`WriteLock`];
/// readers see the change after [`super::Engine::reload`].
pub fn add_cases(root: &Path, cases: &[model::Case]) -> Result<(), GenerationError> {
    let index = open_index(&current(root)?)?;
    let fields = Fields::from_schema(index.schema())?;
    // One small segment per approval; the next full build merges everything into one.
    let mut writer: IndexWriter<TantivyDocument> = index.writer_with_num_threads(1, 32 * 1024 * 1024)?;
    writer.set_merge_policy(Box::new(NoMergePolicy));
    let until = ongoing_until();
    for case in cases {
        writer.delete_term(Term::from_field_text(fields.slug, &case.slug));
        writer.add_document(to_document(&fields, case, until))?;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(())
}

/// Points `CURRENT` at generation `id` by writing a temporary file and renaming it over.
pub fn switch_to(root: &Path, id: &str) -> Result<(), GenerationError> {
    let temp = root.join(format!("{CURRENT}.tmp"));
    write_durably(&temp, format!("{id}\n").as_bytes())?;
    let path = root.join(CURRENT);
    fs::rename(&temp, &path).map_err(io_at(&path))?;
    sync_dir(root)
}

/// Writes a file and flushes it to disk before returning.
pub fn write_durably(path: &Path, bytes: &[u8]) -> Result<(), GenerationError> {
    durable::write_file(path, bytes).map_err(GenerationError::from)
}

pub fn sync_dir(dir: &Path) -> Result<(), GenerationError> {
    durable::sync_dir(dir).map_err(GenerationError::from)
}

impl From<durable::WriteError> for GenerationError {
    fn from(error: durable::WriteError) -> Self {
        GenerationError::Io(error.path.display().to_string(), error.source)
    }
}

fn generations(root: &Path) -> Result<Vec<(u64, String)>, GenerationError> {
    let mut found = Vec::new();
    for entry in fs::read_dir(root).map_err(io_at(root))? {
        let entry = entry.map_err(io_at(root))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(number) = name.strip_prefix(PREFIX).and_then(|n| n.parse::<u64>().ok()) {
            found.push((number, name));
        }
    }
    found.sort();
    Ok(found)
}

fn next_id(root: &Path) -> Result<String, GenerationError> {
    let last = generations(root)?.last().map_or(0, |(number, _)| *number);
    Ok(format!("{PREFIX}{:06}", last + 1))
}

fn current_name(root: &Path) -> Option<String> {
    fs::read_to_string(root.join(CURRENT)).ok().map(|name| name.trim().to_owned())
}

/// Removes generations newer than the current one: builds that were killed before switching.
fn remove_unfinished(root: &Path) -> Result<(), GenerationError> {
    let current = current_name(root);
    let current_number =
        current.as_deref().and_then(|name| name.strip_prefix(PREFIX)).and_then(|n| n.parse::<u64>().ok()).unwrap_or(0);
    for (number, name) in generations(root)? {
        if number > current_number {
            let path = root.join(&name);
            fs::remove_dir_all(&path).map_err(io_at(&path))?;
        }
    }
    let _ = fs::remove_file(root.join(format!("{CURRENT}.tmp")));
    Ok(())
}

/// Removes all but the current generation and the [`KEEP_OLD`] before it.
fn remove_old(root: &Path, current: &str) -> Result<(), GenerationError> {
    let all = generations(root)?;
    let Some(position) = all.iter().position(|(_, name)| name == current) else { return Ok(()) };
    for (_, name) in &all[..position.saturating_sub(KEEP_OLD)] {
        let path = root.join(name);
        fs::remove_dir_all(&path).map_err(io_at(&path))?;
    }
    Ok(())
}

/// Total bytes of the files in `dir`.
pub fn dir_size(dir: &Path) -> u64 {
    fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|entry| entry.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}
