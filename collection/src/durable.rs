//! The one way anything under the content folder (and the index root) is written: to a hidden
//! temporary file or folder, each file flushed, renamed into place, and the parent folder flushed,
//! so a crash or a full disk leaves either the old state or the new one, never half of either.
//!
//! Temporary names start with `.tmp-`; a folder set aside while it is replaced starts with
//! `.old-`. Readers skip hidden names, and [`remove_leftovers`] tidies both after a crash.

use rand::RngExt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// A write that failed: what was being written, and why.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {source}")]
pub struct WriteError {
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

fn at(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError { path: path.to_owned(), source }
}

fn hidden(parent: &Path, kind: &str, name: &str) -> PathBuf {
    parent.join(format!(".{kind}-{name}-{:08x}", rand::rng().random::<u32>()))
}

/// Writes a file and flushes it to disk before returning (the caller renames it into place).
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let mut file = File::create(path).map_err(at(path))?;
    file.write_all(bytes).map_err(at(path))?;
    file.sync_all().map_err(at(path))
}

/// Flushes a folder's entries (a rename in it) to disk.
pub fn sync_dir(dir: &Path) -> Result<(), WriteError> {
    File::open(dir).and_then(|dir| dir.sync_all()).map_err(at(dir))
}

/// Writes `files` as the new folder `parent/name`: a hidden temporary folder, every file flushed,
/// one rename. Fails with [`io::ErrorKind::AlreadyExists`] if `parent/name` exists.
pub fn create_dir(parent: &Path, name: &str, files: &[(String, Vec<u8>)]) -> Result<(), WriteError> {
    fs::create_dir_all(parent).map_err(at(parent))?;
    let target = parent.join(name);
    if target.exists() {
        return Err(WriteError { path: target, source: io::ErrorKind::AlreadyExists.into() });
    }
    let temp = filled_temp(parent, name, files)?;
    let placed = fs::rename(&temp, &target).map_err(at(&target)).and_then(|()| sync_dir(parent));
    if placed.is_err() {
        let _ = fs::remove_dir_all(&temp);
    }
    placed
}

/// Replaces the folder `parent/name` with one holding exactly `files`. The old folder is set
/// aside (`.old-…`) while the new one is renamed in, and put back if that fails; a crash between
/// the two renames is undone by [`remove_leftovers`].
pub fn replace_dir(parent: &Path, name: &str, files: &[(String, Vec<u8>)]) -> Result<(), WriteError> {
    let target = parent.join(name);
    let temp = filled_temp(parent, name, files)?;
    let old = hidden(parent, "old", name);
    if let Err(error) = fs::rename(&target, &old) {
        let _ = fs::remove_dir_all(&temp);
        return Err(at(&target)(error));
    }
    if let Err(error) = fs::rename(&temp, &target) {
        let _ = fs::rename(&old, &target);
        let _ = fs::remove_dir_all(&temp);
        return Err(at(&target)(error));
    }
    sync_dir(parent)?;
    let _ = fs::remove_dir_all(&old);
    Ok(())
}

/// Removes the folder `parent/name` as one step: renamed aside (hidden at once), then deleted.
pub fn remove_dir(parent: &Path, name: &str) -> Result<(), WriteError> {
    let target = parent.join(name);
    let aside = hidden(parent, "tmp", name);
    fs::rename(&target, &aside).map_err(at(&target))?;
    sync_dir(parent)?;
    fs::remove_dir_all(&aside).map_err(at(&aside))
}

/// Replaces one file: a temporary file beside it, flushed, renamed over it.
pub fn replace_file(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let parent = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().map_or_else(String::new, |name| name.to_string_lossy().into_owned());
    let temp = hidden(parent, "tmp", &name);
    let written = write_file(&temp, bytes).and_then(|()| fs::rename(&temp, path).map_err(at(path)));
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written?;
    sync_dir(parent)
}

/// Appends `line` and a newline to a log file and flushes it. Returns the file's length before,
/// which [`truncate_to`] takes to undo the append.
pub fn append_line(path: &Path, line: &[u8]) -> Result<u64, WriteError> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(at(parent))?;
    }
    let mut log = OpenOptions::new().create(true).append(true).open(path).map_err(at(path))?;
    let before = log.metadata().map_err(at(path))?.len();
    let mut bytes = Vec::with_capacity(line.len() + 1);
    bytes.extend_from_slice(line);
    bytes.push(b'\n');
    let written = log.write_all(&bytes).and_then(|()| log.sync_data());
    if let Err(error) = written {
        // Take back whatever part of the line reached the file.
        let _ = log.set_len(before);
        return Err(at(path)(error));
    }
    Ok(before)
}

/// Cuts a log file back to `len` bytes (undoing the last [`append_line`] of the one writer).
pub fn truncate_to(path: &Path, len: u64) -> Result<(), WriteError> {
    let log = OpenOptions::new().write(true).open(path).map_err(at(path))?;
    log.set_len(len).and_then(|()| log.sync_all()).map_err(at(path))
}

/// A hidden temporary folder under `parent` holding `files`, each flushed, and itself flushed.
fn filled_temp(parent: &Path, name: &str, files: &[(String, Vec<u8>)]) -> Result<PathBuf, WriteError> {
    let temp = hidden(parent, "tmp", name);
    fs::create_dir(&temp).map_err(at(&temp))?;
    let filled =
        files.iter().try_for_each(|(file, bytes)| write_file(&temp.join(file), bytes)).and_then(|()| sync_dir(&temp));
    match filled {
        Ok(()) => Ok(temp),
        Err(error) => {
            let _ = fs::remove_dir_all(&temp);
            Err(error)
        }
    }
}

/// Tidies what interrupted writes left in `dir`: temporary files and folders are removed (never
/// acknowledged, so nothing is lost), and a folder set aside by [`replace_dir`] is put back if
/// its replacement never arrived, else removed. Returns how many were tidied.
pub fn remove_leftovers(dir: &Path) -> usize {
    let mut tidied = 0;
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if name.starts_with(".tmp-") {
            let removed = if path.is_dir() { fs::remove_dir_all(&path) } else { fs::remove_file(&path) };
            tidied += usize::from(removed.is_ok());
        } else if let Some(rest) = name.strip_prefix(".old-") {
            // `.old-<name>-<8 hex digits>`
            let original = rest.rsplit_once('-').map_or(rest, |(original, _)| original);
            let target = dir.join(original);
            let tidy = if target.exists() { fs::remove_dir_all(&path) } else { fs::rename(&path, &target) };
            tidied += usize::from(tidy.is_ok());
        }
    }
    if tidied > 0 {
        let _ = sync_dir(dir);
    }
    tidied
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(text: &str) -> Vec<(String, Vec<u8>)> {
        vec![("a.txt".into(), text.as_bytes().to_vec()), ("b.txt".into(), b"b".to_vec())]
    }

    #[test]
    fn folders_are_created_replaced_and_removed_whole() {
        let dir = tempfile::tempdir().unwrap();
        create_dir(dir.path(), "case", &files("one")).unwrap();
        let again = create_dir(dir.path(), "case", &files("two")).unwrap_err();
        assert_eq!(again.source.kind(), io::ErrorKind::AlreadyExists);
        replace_dir(dir.path(), "case", &[("a.txt".into(), b"two".to_vec())]).unwrap();
        assert_eq!(fs::read_to_string(dir.path().join("case/a.txt")).unwrap(), "two");
        assert!(!dir.path().join("case/b.txt").exists(), "the replacement holds exactly its files");
        remove_dir(dir.path(), "case").unwrap();
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0, "nothing is left behind");
    }

    #[test]
    fn a_folder_set_aside_by_an_interrupted_replacement_is_put_back() {
        let dir = tempfile::tempdir().unwrap();
        create_dir(dir.path(), "case", &files("one")).unwrap();
        // A crash between the two renames of replace_dir: the old folder aside, the new one a temporary.
        fs::rename(dir.path().join("case"), dir.path().join(".old-case-0badc0de")).unwrap();
        fs::create_dir(dir.path().join(".tmp-case-12345678")).unwrap();
        assert_eq!(remove_leftovers(dir.path()), 2);
        assert_eq!(fs::read_to_string(dir.path().join("case/a.txt")).unwrap(), "one");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn an_appended_line_can_be_taken_back() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("logs/audit.log");
        append_line(&log, b"first").unwrap();
        let before = append_line(&log, b"second").unwrap();
        truncate_to(&log, before).unwrap();
        assert_eq!(fs::read_to_string(&log).unwrap(), "first\n");
    }
}
