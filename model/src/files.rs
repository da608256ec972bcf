//! Reading content files: `case.toml`, `<lang>.md` (TOML front matter between `+++` lines, then
//! Markdown) and `vocabulary.toml`. Pure functions of the file's name and text; reading the file
//! system is the indexer's job.
//!
//! A file that cannot be parsed yields one [`Problem`] naming the file, the field (from the
//! parser's position) and the fix.

use crate::case::{CaseMeta, CaseText, FrontMatter};
use crate::lang::Lang;
use crate::validate::{Problem, limits};
use crate::vocabulary::Vocabulary;
use serde::de::DeserializeOwned;

/// Parses `case.toml`.
pub fn parse_case_meta(file: &str, text: &str) -> Result<CaseMeta, Problem> {
    check_size(file, text, limits::CASE_FILE_BYTES)?;
    parse_toml(file, text, 0)
}

/// Parses `vocabulary.toml`.
pub fn parse_vocabulary(file: &str, text: &str) -> Result<Vocabulary, Problem> {
    check_size(file, text, limits::VOCABULARY_FILE_BYTES)?;
    parse_toml(file, text, 0)
}

/// Parses a `<lang>.md` file: `+++`, TOML front matter, `+++`, Markdown body.
pub fn parse_case_text(file: &str, lang: Lang, text: &str) -> Result<CaseText, Problem> {
    check_size(file, text, limits::TEXT_FILE_BYTES)?;
    let (front, body) = split_front_matter(file, text)?;
    let offset = front.as_ptr() as usize - text.as_ptr() as usize;
    let front: FrontMatter = parse_toml(file, front, offset).map_err(|mut problem| {
        // Line numbers in the message count from the top of the whole file.
        problem.message = problem.message.replace("in case.toml", "in the front matter");
        problem
    })?;
    Ok(CaseText { lang, front, body: body.trim_start_matches(['\r', '\n']).to_owned() })
}

/// Splits `+++\n<toml>\n+++\n<body>` into the TOML and the body.
pub fn split_front_matter<'a>(file: &str, text: &'a str) -> Result<(&'a str, &'a str), Problem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let missing = || {
        Problem::new(
            file,
            "",
            "could not find the front matter",
            "start the file with a line `+++`, then the title, summary and translation keys, then a line `+++`, then the story",
        )
    };
    let rest = text.strip_prefix("+++").ok_or_else(missing)?;
    let rest = rest.strip_prefix("\r\n").or_else(|| rest.strip_prefix('\n')).ok_or_else(missing)?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Ok((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    Err(Problem::new(
        file,
        "",
        "the front matter is not closed",
        "add a line `+++` after the title, summary and translation keys",
    ))
}

fn check_size(file: &str, text: &str, max: usize) -> Result<(), Problem> {
    if text.len() > max {
        return Err(Problem::new(
            file,
            "",
            format!("is {} bytes, more than the {max} allowed", text.len()),
            "shorten the file",
        ));
    }
    Ok(())
}

/// Deserialises TOML, turning the parser's error into a [`Problem`]. `offset` is where `text`
/// starts in the file, so that line numbers match what the author sees.
fn parse_toml<T: DeserializeOwned>(file: &str, text: &str, offset: usize) -> Result<T, Problem> {
    toml::from_str(text).map_err(|error| {
        let message = error.message().trim().to_owned();
        let span = error.span();
        let field = quoted(&message, "unknown field `")
            .or_else(|| quoted(&message, "missing field `"))
            .map(|key| match span.clone().map(|span| table_at(text, span.start)) {
                Some(table) if !table.is_empty() => format!("{table}.{key}"),
                _ => key.to_owned(),
            })
            .or_else(|| span.clone().map(|span| field_at(text, span.start)))
            .unwrap_or_default();
        let line = span.map(|span| line_of(text, span.start) + line_of_offset(offset));
        let fix = fix_for(&message);
        let message = match line {
            Some(line) => format!("{message} (line {line})"),
            None => message,
        };
        Problem::new(file, &field, message, fix)
    })
}

fn line_of_offset(offset: usize) -> usize {
    // The front matter starts after the opening `+++` line.
    if offset == 0 { 0 } else { 1 }
}

/// The text between `prefix` and the next backtick.
fn quoted<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    let start = message.find(prefix)? + prefix.len();
    let len = message[start..].find('`')?;
    Some(&message[start..start + len])
}

fn fix_for(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let expected = rest.split_once("expected ").map(|(_, list)| list).unwrap_or("");
        if expected.is_empty() {
            "remove the key".to_owned()
        } else {
            format!("remove the key or correct its spelling; allowed keys: {}", expected.replace("one of ", ""))
        }
    } else if message.starts_with("missing field") {
        "add the key; see content/README.md for the format".to_owned()
    } else if message.starts_with("unknown variant") {
        let expected = message.split_once("expected ").map(|(_, list)| list).unwrap_or("");
        format!("use {}", expected.replace("one of ", "one of: "))
    } else if message.starts_with("invalid type") {
        "give the value the type the format expects (text in quotes, numbers without quotes, lists in [ ])".to_owned()
    } else {
        "correct the TOML syntax at that line (text values need quotes; see content/README.md)".to_owned()
    }
}

/// 1-based line number of byte `at`.
fn line_of(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].bytes().filter(|&b| b == b'\n').count() + 1
}

/// The `[table]` or `[[table]]` heading in force at byte `at` (empty at the top level).
fn table_at(text: &str, at: usize) -> String {
    let before = &text[..floor_boundary(text, at)];
    before
        .lines()
        .rev()
        .map(str::trim)
        .find(|line| line.starts_with('['))
        .map(|line| line.trim_matches(|c| c == '[' || c == ']').trim().to_owned())
        .unwrap_or_default()
}

/// `table.key` for the `key = value` line that contains byte `at`.
fn field_at(text: &str, at: usize) -> String {
    let at = floor_boundary(text, at);
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next().unwrap_or("");
    let key = line.split_once('=').map(|(key, _)| key.trim().trim_matches('"')).unwrap_or("");
    if key.is_empty() || key.starts_with('[') {
        return table_at(text, at);
    }
    let table = table_at(text, line_start);
    if table.is_empty() { key.to_owned() } else { format!("{table}.{key}") }
}

fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter() {
        let (front, body) = split_front_matter("x.md", "+++\ntitle = \"a\"\n+++\n\n## Context\n").unwrap();
        assert_eq!(front, "title = \"a\"\n");
        assert_eq!(body, "\n## Context\n");
        let (front, _) = split_front_matter("x.md", "\u{feff}+++\r\ntitle = \"a\"\r\n+++\r\nbody").unwrap();
        assert_eq!(front, "title = \"a\"\r\n");
    }

    #[test]
    fn missing_front_matter_is_named() {
        let problem = split_front_matter("cases/x/en.md", "# Title\n").unwrap_err();
        assert!(problem.message.contains("could not find the front matter"));
        assert!(problem.fix.contains("+++"));
        let problem = split_front_matter("cases/x/en.md", "+++\ntitle = \"a\"\n").unwrap_err();
        assert!(problem.message.contains("not closed"));
    }

    #[test]
    fn unknown_key_names_the_field_and_the_allowed_keys() {
        let text = "+++\ntittle = \"a\"\nsummary = \"b\"\ntranslation = \"original\"\n+++\nbody";
        let problem = parse_case_text("cases/x/en.md", Lang::En, text).unwrap_err();
        assert_eq!(problem.field, "tittle");
        assert!(problem.fix.contains("title"), "{problem}");
    }

    #[test]
    fn wrong_type_names_the_nested_field() {
        let text = "original_language = \"en\"\ncountries = [\"RO\"]\nthemes = [\"coding\"]\n\n[period]\nstart = 2018\n\n[lead_organisation]\nname = \"x\"\ntype = \"ngo\"\n";
        let problem = parse_case_meta("cases/x/case.toml", text).unwrap_err();
        assert_eq!(problem.field, "period.start", "{problem}");
        assert!(problem.message.contains("line 6"), "{problem}");
    }
}
