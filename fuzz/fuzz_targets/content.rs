//! Content files as contributors and maintainers write them: `case.toml`, `<lang>.md` (front
//! matter and Markdown) and `vocabulary.toml`. The first byte picks the kind of file, the rest is
//! its text. Parsers must answer with problems naming the file, never panic; a body that parses
//! must render to HTML and text.

#![no_main]

use libfuzzer_sys::fuzz_target;
use model::Lang;
use model::files::{parse_case_meta, parse_case_text, parse_vocabulary};

const FILE: &str = "cases/fuzz/case.toml";

fuzz_target!(|data: &[u8]| {
    let Some((&kind, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest);
    let problems = match kind % 3 {
        0 => parse_case_meta(FILE, &text).err(),
        1 => parse_vocabulary("vocabulary.toml", &text).err(),
        _ => match parse_case_text("cases/fuzz/en.md", Lang::En, &text) {
            Ok(case) => {
                let html = indexer::render::markdown_to_html(&case.body);
                assert!(!html.to_ascii_lowercase().contains("<script"));
                indexer::render::markdown_to_text(&case.body);
                None
            }
            Err(problems) => Some(problems),
        },
    };
    for problem in problems.into_iter().flatten() {
        assert!(!problem.file.is_empty(), "{problem}");
    }
});
