//! Search URLs and query text, end to end over an index of the fixture collection: the URL
//! parser (`SearchParams::from_query`), the query parser and builder, the collector and the
//! snippets. Any panic is a finding; libFuzzer's `-timeout` catches inputs that take too long.

#![no_main]

use indexer::Engine;
use indexer::index::generation;
use libfuzzer_sys::fuzz_target;
use model::api::SearchParams;
use std::path::Path;
use std::sync::LazyLock;

/// The fixture collection, indexed once per fuzzing process.
static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/content");
    let root = std::env::temp_dir().join(format!("fuzz-search-index-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let collection = collection::load(&fixtures, &|_, _| {}).expect("the fixture content loads");
    generation::build(&collection, &root, &|_, _| {}).expect("the fixture index builds");
    Engine::open(&root).expect("the fixture index opens")
});

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // As a URL query string: what parses must search.
    if let Ok(params) = SearchParams::from_query(&text) {
        ENGINE.search(&params).expect("a valid search URL searches");
    }
    // As the words typed into the search box (cut as the API cuts them).
    let q: String = text.chars().take(model::api::MAX_QUERY_CHARS).collect();
    let response = ENGINE.search(&SearchParams { q, ..SearchParams::default() }).expect("any words search");
    assert!(response.hits.len() as u64 <= response.total);
});
