//! Index generations: each build switches atomically and cleans up after itself, only one
//! writer runs at a time, and a build killed at any point leaves the serving index untouched.

use indexer::Engine;
use indexer::index::generation::{self, GenerationError, WriteLock};
use model::api::SearchParams;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/content")
}

fn generations(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("gen-"))
        .collect();
    names.sort();
    names
}

fn current(root: &Path) -> String {
    std::fs::read_to_string(root.join("CURRENT")).unwrap().trim().to_owned()
}

fn hits(root: &Path, q: &str) -> u64 {
    Engine::open(root).unwrap().search(&SearchParams { q: q.into(), ..SearchParams::default() }).unwrap().total
}

#[test]
fn each_build_switches_to_a_new_generation_and_old_ones_are_removed() {
    let root = tempfile::tempdir().unwrap();
    let collection = collection::load(&fixtures(), &|_, _| {}).unwrap();
    for n in 1..=4 {
        let report = generation::build(&collection, root.path(), &|_, _| {}).unwrap();
        assert_eq!(report.generation.id, format!("gen-{n:06}"));
        assert_eq!(current(root.path()), report.generation.id);
        assert_eq!(hits(root.path(), "coding"), 1);
    }
    // The current generation and the one before, for readers that still have it open.
    assert_eq!(generations(root.path()), ["gen-000003", "gen-000004"]);
}

#[test]
fn only_one_writer_at_a_time() {
    let root = tempfile::tempdir().unwrap();
    let collection = collection::load(&fixtures(), &|_, _| {}).unwrap();
    let lock = WriteLock::try_acquire(root.path()).unwrap();
    let error = generation::build(&collection, root.path(), &|_, _| {}).unwrap_err();
    assert!(matches!(error, GenerationError::Busy(_)), "{error}");
    assert!(error.to_string().contains("another build is writing"), "{error}");
    drop(lock);
    generation::build(&collection, root.path(), &|_, _| {}).unwrap();
}

/// A content folder of `n` copies of the fixture cases, big enough for a build to take a while.
fn many_cases(dir: &Path, n: usize) {
    let cases = dir.join("cases");
    std::fs::create_dir_all(&cases).unwrap();
    std::fs::copy(fixtures().join("vocabulary.toml"), dir.join("vocabulary.toml")).unwrap();
    for entry in std::fs::read_dir(fixtures().join("cases")).unwrap().flatten() {
        for i in 0..n {
            let target = cases.join(format!("{}-{i}", entry.file_name().to_string_lossy()));
            std::fs::create_dir_all(&target).unwrap();
            for file in std::fs::read_dir(entry.path()).unwrap().flatten() {
                std::fs::copy(file.path(), target.join(file.file_name())).unwrap();
            }
        }
    }
}

#[test]
fn a_build_killed_at_any_point_leaves_the_serving_index_untouched() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("index");
    let collection = collection::load(&fixtures(), &|_, _| {}).unwrap();
    generation::build(&collection, &root, &|_, _| {}).unwrap();
    let serving = current(&root);
    let big = work.path().join("big");
    many_cases(&big, 700);

    // Kill builds of the big folder at different moments: reading, indexing, merging, writing.
    let mut killed = 0;
    for delay_ms in [5, 40, 120, 250, 400, 700, 1000] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_indexer"))
            .args(["build", "--quiet", "--content"])
            .arg(&big)
            .arg("--index")
            .arg(&root)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let finished = child.try_wait().unwrap().is_some();
        child.kill().ok(); // SIGKILL
        child.wait().unwrap();
        if finished {
            break;
        }
        if current(&root) != serving {
            // Killed after switching, while cleaning up: the new generation is complete.
            assert_eq!(hits(&root, "coding"), 700, "killed after {delay_ms} ms");
            break;
        }
        killed += 1;
        // Killed before switching: the serving generation is the same and answers.
        assert_eq!(hits(&root, "coding"), 1, "killed after {delay_ms} ms");
    }
    assert!(killed >= 3, "only {killed} builds were killed before finishing");

    // The next build succeeds and removes what the killed ones left.
    let report = generation::build(&collection::load(&big, &|_, _| {}).unwrap(), &root, &|_, _| {}).unwrap();
    assert_eq!(current(&root), report.generation.id);
    assert_eq!(hits(&root, "coding"), 700);
    let left = generations(&root);
    assert_eq!(left.len(), 2, "{left:?}");
    assert!(!root.join("CURRENT.tmp").exists());
}

/// The tag HTTP caches key exports on changes when the index is rebuilt from scratch under the
/// same name, though it holds as many cases as before.
#[test]
fn the_cache_tag_changes_when_the_index_is_rebuilt_from_scratch() {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/content");
    let collection = collection::load(&content, &|_, _| {}).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    generation::build(&collection, &index, &|_, _| {}).unwrap();
    let before = indexer::Engine::open(&index).unwrap().version();
    std::fs::remove_dir_all(&index).unwrap();
    generation::build(&collection, &index, &|_, _| {}).unwrap();
    let after = indexer::Engine::open(&index).unwrap().version();
    assert_ne!(before, after);
}
