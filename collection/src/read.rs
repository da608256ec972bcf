//! Reading a content folder: `vocabulary.toml` and `cases/<slug>/{case.toml,<lang>.md}`, and
//! one case folder anywhere (a submission's too).
//!
//! Loading validates everything and collects every problem in the folder before failing, so one
//! run of `indexer check` shows all bad files at once.

use crate::{cases_path, vocabulary_path};
use model::files::{parse_case_meta, parse_case_text, parse_vocabulary};
use model::validate::{check_case, check_vocabulary};
use model::{Case, Lang, Problem, Vocabulary};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// A valid content folder.
#[derive(Clone, Debug)]
pub struct Collection {
    pub vocabulary: Vocabulary,
    /// Sorted by slug.
    pub cases: Vec<Case>,
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("{} problem{} in the content", .0.len(), if .0.len() == 1 { "" } else { "s" })]
    Invalid(Vec<Problem>),
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> LoadError + '_ {
    move |source| LoadError::Io { path: path.to_owned(), source }
}

/// Loads and validates the vocabulary alone.
pub fn load_vocabulary(content: &Path) -> Result<Vocabulary, LoadError> {
    let path = vocabulary_path(content);
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(LoadError::Invalid(vec![Problem::new(
                "vocabulary.toml",
                "",
                "is missing",
                "create vocabulary.toml with [[themes]], [[audiences]] and [[org_types]] (see content/README.md)",
            )]));
        }
        Err(e) => return Err(io_error(&path)(e)),
    };
    let vocabulary = parse_vocabulary("vocabulary.toml", &text).map_err(LoadError::Invalid)?;
    let mut problems = Vec::new();
    check_vocabulary("vocabulary.toml", &vocabulary, &mut problems);
    if problems.is_empty() { Ok(vocabulary) } else { Err(LoadError::Invalid(problems)) }
}

/// Loads and validates the whole folder. `progress` is called with the number of cases read so
/// far and the total.
pub fn load(content: &Path, progress: &(dyn Fn(usize, usize) + Sync)) -> Result<Collection, LoadError> {
    let vocabulary = load_vocabulary(content);
    let cases_dir = cases_path(content);
    let slugs = case_folders(&cases_dir)?;

    // Reading is file-system bound and parsing is cheap: spread the folders over the cores.
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).min(8);
    let chunk = slugs.len().div_ceil(workers).max(1);
    let done = std::sync::atomic::AtomicUsize::new(0);
    // Without a valid vocabulary, cases are still parsed but not checked against it.
    let vocabulary_for_checks = vocabulary.as_ref().ok();
    type Read = Result<(Vec<Case>, Vec<Problem>), LoadError>;
    let results: Vec<Read> = std::thread::scope(|scope| {
        let handles: Vec<_> = slugs
            .chunks(chunk)
            .map(|slugs| {
                let (cases_dir, vocabulary, done) = (&cases_dir, vocabulary_for_checks, &done);
                scope.spawn(move || {
                    let mut cases = Vec::with_capacity(slugs.len());
                    let mut problems = Vec::new();
                    for slug in slugs {
                        if let Some(case) =
                            read_case(&cases_dir.join(slug), &format!("cases/{slug}"), slug, &mut problems)?
                        {
                            if let Some(vocabulary) = vocabulary {
                                let mut found = Vec::new();
                                check_case(&format!("cases/{slug}"), &case, vocabulary, &mut found);
                                // A language file that is there but broken is reported already, as
                                // itself: not also as missing.
                                let original = cases_dir.join(slug).join(format!("{}.md", case.meta.original_language));
                                if original.is_file() {
                                    found.retain(|problem| {
                                        problem.field != "original_language" || !problem.message.contains("there is no")
                                    });
                                }
                                problems.extend(found);
                            }
                            cases.push(case);
                        }
                        let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                        if n % 256 == 0 || n == slugs.len() {
                            progress(n, slugs.len());
                        }
                    }
                    Ok((cases, problems))
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("a content reader panicked")).collect()
    });
    progress(slugs.len(), slugs.len());

    let mut problems = match &vocabulary {
        Err(LoadError::Invalid(problems)) => problems.clone(),
        Err(LoadError::Io { path, source }) => {
            return Err(LoadError::Io {
                path: path.clone(),
                source: io::Error::new(source.kind(), source.to_string()),
            });
        }
        Ok(_) => Vec::new(),
    };
    let mut cases = Vec::with_capacity(slugs.len());
    for result in results {
        let (mut chunk_cases, chunk_problems) = result?;
        cases.append(&mut chunk_cases);
        problems.extend(chunk_problems);
    }
    if !problems.is_empty() {
        return Err(LoadError::Invalid(problems));
    }
    Ok(Collection { vocabulary: vocabulary.expect("checked above"), cases })
}

/// The names of the case folders under `cases_dir`, sorted; hidden entries are skipped.
pub(crate) fn case_folders(cases_dir: &Path) -> Result<Vec<String>, LoadError> {
    let entries = match fs::read_dir(cases_dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(LoadError::Invalid(vec![Problem::new(
                "cases",
                "",
                "folder is missing",
                "create content/cases/ with one folder per case",
            )]));
        }
        Err(e) => return Err(io_error(cases_dir)(e)),
    };
    let mut slugs = Vec::new();
    for entry in entries {
        let entry = entry.map_err(io_error(cases_dir))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        if entry.file_type().map_err(io_error(&entry.path()))?.is_dir() {
            slugs.push(name);
        }
    }
    slugs.sort_unstable();
    Ok(slugs)
}

/// Reads one case folder. Parse problems go to `problems` and yield `None`; validation is left to
/// the caller. `shown` is how the folder is named in problems.
pub fn read_case(dir: &Path, shown: &str, slug: &str, problems: &mut Vec<Problem>) -> Result<Option<Case>, LoadError> {
    let meta_path = dir.join("case.toml");
    let meta = match fs::read_to_string(&meta_path) {
        Ok(text) => match parse_case_meta(&format!("{shown}/case.toml"), &text) {
            Ok(meta) => Some(meta),
            Err(found) => {
                problems.extend(found);
                None
            }
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            problems.push(Problem::new(
                &format!("{shown}/case.toml"),
                "",
                "is missing",
                "add case.toml with the case's coded facts (see content/README.md)",
            ));
            None
        }
        Err(e) if e.kind() == io::ErrorKind::InvalidData => {
            problems.push(Problem::new(
                &format!("{shown}/case.toml"),
                "",
                "is not UTF-8 text",
                "save the file as UTF-8",
            ));
            None
        }
        Err(e) => return Err(io_error(&meta_path)(e)),
    };

    let mut texts = Vec::new();
    let mut language_files = 0;
    let mut entries: Vec<_> =
        fs::read_dir(dir).map_err(io_error(dir))?.collect::<Result<_, _>>().map_err(io_error(dir))?;
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(code) = name.strip_suffix(".md") else { continue };
        let file = format!("{shown}/{name}");
        language_files += 1;
        let Ok(lang) = code.parse::<Lang>() else {
            problems.push(Problem::new(
                &file,
                "",
                format!("`{code}` is not a supported language"),
                "name language files en.md, ro.md, uk.md, ru.md or el.md",
            ));
            continue;
        };
        let path = entry.path();
        match fs::read_to_string(&path) {
            Ok(text) => match parse_case_text(&file, lang, &text) {
                Ok(text) => texts.push(text),
                Err(found) => problems.extend(found),
            },
            Err(e) if e.kind() == io::ErrorKind::InvalidData => {
                problems.push(Problem::new(&file, "", "is not UTF-8 text", "save the file as UTF-8"));
            }
            Err(e) => return Err(io_error(&path)(e)),
        }
    }
    texts.sort_by_key(|text| text.lang);

    let Some(meta) = meta else { return Ok(None) };
    for (i, photo) in meta.photos.iter().enumerate() {
        for file in photo.files() {
            if model::case::Photo::is_name(&photo.name) && !dir.join(&file).is_file() {
                problems.push(Problem::new(
                    &format!("{shown}/case.toml"),
                    &format!("photos[{i}]"),
                    format!("names the file {file}, which is not in the folder"),
                    "put the photo's files back, or remove the photo from case.toml",
                ));
            }
        }
    }
    if texts.is_empty() && language_files > 0 {
        // Every language file had a problem, already reported.
        return Ok(None);
    }
    if texts.is_empty() {
        problems.push(Problem::new(
            shown,
            "",
            "has no language file",
            format!("add {shown}/{}.md with the case's text", meta.original_language),
        ));
        return Ok(None);
    }
    Ok(Some(Case { slug: slug.to_owned(), meta, texts }))
}
