//! Reading content files: `case.toml`, `<lang>.md` (TOML front matter between `+++` lines, then
//! Markdown) and `vocabulary.toml`. Pure functions of the file's name and text; reading the file
//! system is the indexer's job.
//!
//! A file that cannot be parsed yields [`Problem`]s naming the file, the field (from the
//! parser's position, or the unknown key's path) and the fix: one for a syntax or type error,
//! one per unknown key otherwise.

use crate::case::{CaseMeta, CaseText, FrontMatter};
use crate::lang::Lang;
use crate::validate::{Problem, limits};
use crate::vocabulary::Vocabulary;
use serde::de::DeserializeOwned;
use std::collections::HashMap;

/// Parses `case.toml`.
pub fn parse_case_meta(file: &str, text: &str) -> Result<CaseMeta, Vec<Problem>> {
    check_size(file, text, limits::CASE_FILE_BYTES)?;
    parse_toml(file, text, 0)
}

/// Parses `vocabulary.toml`.
pub fn parse_vocabulary(file: &str, text: &str) -> Result<Vocabulary, Vec<Problem>> {
    check_size(file, text, limits::VOCABULARY_FILE_BYTES)?;
    parse_toml(file, text, 0)
}

/// Parses a `<lang>.md` file: `+++`, TOML front matter, `+++`, Markdown body.
pub fn parse_case_text(file: &str, lang: Lang, text: &str) -> Result<CaseText, Vec<Problem>> {
    check_size(file, text, limits::TEXT_FILE_BYTES)?;
    let (front, body) = split_front_matter(file, text).map_err(|problem| vec![problem])?;
    // The front matter starts on the file's second line.
    let front: FrontMatter = parse_toml(file, front, 1)?;
    Ok(CaseText { lang, front, body: body.trim_start_matches(['\r', '\n']).to_owned() })
}

/// `case.toml` text for `meta` (the inverse of [`parse_case_meta`]).
pub fn case_toml(meta: &CaseMeta) -> String {
    toml::to_string(meta).expect("case data serialises to TOML")
}

/// A `<lang>.md` file: front matter between `+++` lines, then the Markdown body.
pub fn case_text_file(front: &FrontMatter, body: &str) -> String {
    let front = toml::to_string(front).expect("front matter serialises to TOML");
    format!("+++\n{front}+++\n\n{}\n", body.trim())
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

fn check_size(file: &str, text: &str, max: usize) -> Result<(), Vec<Problem>> {
    if text.len() > max {
        return Err(vec![Problem::new(
            file,
            "",
            format!("is {} bytes, more than the {max} allowed", text.len()),
            "shorten the file",
        )]);
    }
    Ok(())
}

/// Deserialises TOML strictly, turning the parser's error or the unknown keys into problems.
/// `first_line` is the line of the file where `text` starts, less one, so line numbers match what
/// the author sees.
fn parse_toml<T: DeserializeOwned>(file: &str, text: &str, first_line: usize) -> Result<T, Vec<Problem>> {
    let parsed = toml::de::Deserializer::parse(text).and_then(crate::strict::deserialize::<_, T>);
    match parsed {
        Ok((value, unknown)) if unknown.is_empty() => Ok(value),
        Ok((_, unknown)) => {
            // One pass over the lines, not one per unknown key: a file of thousands of unknown
            // keys is reported in linear time.
            let key_lines = key_lines(text);
            let mut found: Vec<(usize, Problem)> = unknown
                .iter()
                .map(|path| {
                    let key = path.rsplit(['.', ']']).next().unwrap_or(path);
                    let fix = match closest_key(key) {
                        Some(known) => {
                            format!("did you mean `{known}`? Otherwise remove the key (see content/README.md)")
                        }
                        None => "remove the key; content/README.md lists the keys each file may have".to_owned(),
                    };
                    let line = key_lines.get(key).map_or(0, |line| line + first_line);
                    let message = if line > 0 {
                        format!("is not a known key (line {line})")
                    } else {
                        "is not a known key".to_owned()
                    };
                    (line, Problem::new(file, &printable(path), message, fix))
                })
                .collect();
            found.sort_by_key(|(line, _)| *line);
            Err(found.into_iter().map(|(_, problem)| problem).collect())
        }
        Err(error) => Err(vec![
            misspelt_key(file, text, first_line, &error)
                .unwrap_or_else(|| problem_from_error(file, text, first_line, &error)),
        ]),
    }
}

/// A field reported missing because its key is misspelt (`tittle = …`): the problem is the key
/// that is there, named with the key it was meant to be.
fn misspelt_key(file: &str, text: &str, first_line: usize, error: &toml::de::Error) -> Option<Problem> {
    let missing = quoted(error.message(), "missing field `")?;
    let table: toml::Table = toml::from_str(text).ok()?;
    let tables = std::iter::once(&table).chain(table.values().filter_map(toml::Value::as_table));
    let key = tables
        .flat_map(|table| table.keys())
        .find(|key| !KNOWN_KEYS.contains(&key.as_str()) && closest_key(key) == Some(missing))?;
    // A `key = …` line, or a `[key]` heading.
    let line = key_lines(text)
        .get(key.as_str())
        .copied()
        .or_else(|| text.lines().position(|line| line.trim().trim_matches(['[', ']']).trim() == key).map(|i| i + 1));
    let at = line.map_or(String::new(), |line| format!(" (line {})", line + first_line));
    Some(Problem::new(
        file,
        &printable(key),
        format!("is not a field{at}; `{missing}` is missing"),
        format!("did you mean `{missing}`? Rename the key"),
    ))
}

fn problem_from_error(file: &str, text: &str, first_line: usize, error: &toml::de::Error) -> Problem {
    let message = error.message().trim().to_owned();
    let span = error.span();
    // A list left open runs into the next lines, where the parser trips: the mistake is on the
    // line that opened it.
    if let Some(open) =
        span.as_ref().filter(|_| message.contains("array")).and_then(|span| unclosed_list(text, span.start))
        && line_of(text, open) < line_of(text, span.as_ref().map_or(0, |span| span.start))
    {
        let line = line_of(text, open) + first_line;
        return Problem::new(
            file,
            &printable(&field_at(text, open)),
            format!("the list is not closed (line {line})"),
            format!("end the list with `]` on line {line}"),
        );
    }
    let field = quoted(&message, "missing field `")
        .map(|key| match span.clone().map(|span| table_at(text, span.start)) {
            Some(table) if !table.is_empty() => format!("{table}.{key}"),
            _ => key.to_owned(),
        })
        .or_else(|| span.clone().map(|span| field_at(text, span.start)))
        .unwrap_or_default();
    let fix = fix_for(&message);
    let message = match span {
        Some(span) => format!("{message} (line {})", line_of(text, span.start) + first_line),
        None => message,
    };
    Problem::new(file, &printable(&field), message, fix)
}

/// `field` with control characters escaped (`s\rummary` for a key with a carriage return in it),
/// so that the problem prints on one line and shows the author what to look for.
fn printable(field: &str) -> String {
    field.chars().map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() }).collect()
}

/// Every key the content format knows, for suggestions.
const KNOWN_KEYS: &[&str] = &[
    "original_language",
    "countries",
    "places",
    "period",
    "lead_organisation",
    "partners",
    "funders",
    "budget",
    "themes",
    "audiences",
    "sdgs",
    "reach",
    "links",
    "licence",
    "status",
    "evidence",
    "featured",
    "name",
    "settlement",
    "start",
    "end",
    "ongoing",
    "type",
    "role",
    "programme",
    "amount",
    "currency",
    "note",
    "participants",
    "libraries",
    "url",
    "title",
    "summary",
    "translation",
    "id",
    "label",
    "synonyms",
    "org_types",
];

/// The known key within two edits of `key`, if any.
fn closest_key(key: &str) -> Option<&'static str> {
    let chars = key.chars().count();
    KNOWN_KEYS
        .iter()
        // Keys whose lengths differ by more than two are more than two edits apart; skipping them
        // keeps a very long key from costing an edit-distance table per known key.
        .filter(|known| chars.abs_diff(known.len()) <= 2)
        .map(|known| (crate::validate::edit_distance(key, known), *known))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, known)| known)
}

/// The text between `prefix` and the next backtick.
fn quoted<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    let start = message.find(prefix)? + prefix.len();
    let len = message[start..].find('`')?;
    Some(&message[start..start + len])
}

fn fix_for(message: &str) -> String {
    if message.starts_with("missing field") {
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

/// For each `key = …` line, the key and its 1-based line (the first, for a key given twice).
fn key_lines(text: &str) -> HashMap<&str, usize> {
    let mut lines = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        if let Some((key, _)) = line.split_once('=') {
            lines.entry(key.trim()).or_insert(i + 1);
        }
    }
    lines
}

/// 1-based line number of byte `at`.
/// The byte of the last `[` before `at` that opens a value and is not closed, outside quotes.
fn unclosed_list(text: &str, at: usize) -> Option<usize> {
    let mut open = Vec::new();
    let mut quoted = false;
    for (i, c) in text[..floor_boundary(text, at)].char_indices() {
        match c {
            '"' => quoted = !quoted,
            '\n' => quoted = false,
            '[' if !quoted => open.push(i),
            ']' if !quoted => {
                open.pop();
            }
            _ => {}
        }
    }
    // A `[table]` heading is not a value.
    open.pop().filter(|&i| text[..i].rsplit('\n').next().is_some_and(|line| line.contains('=')))
}

fn line_of(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].bytes().filter(|&b| b == b'\n').count() + 1
}

/// The `[table]` or `[[table]]` heading in force at byte `at` (empty at the top level); an
/// array of tables gets its index, e.g. `partners[2]`.
fn table_at(text: &str, at: usize) -> String {
    let before = &text[..floor_boundary(text, at)];
    let Some(heading) = before.lines().rev().map(str::trim).find(|line| line.starts_with('[')) else {
        return String::new();
    };
    let name = heading.trim_matches(|c| c == '[' || c == ']').trim();
    if heading.starts_with("[[") {
        let index = before.lines().filter(|line| line.trim() == heading).count().saturating_sub(1);
        format!("{name}[{index}]")
    } else {
        name.to_owned()
    }
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
    fn written_files_read_back_the_same() {
        let mut submission = crate::submission::Submission::default();
        submission.title = "A \"quoted\" title\\".into();
        submission.summary = "Summary".into();
        submission.meta.countries = vec!["RO".into()];
        submission.meta.period.start = "2020".into();
        submission.meta.themes = vec!["coding".into()];
        submission.meta.budget =
            Some(crate::case::Budget { amount: Some(340266.08), currency: Some("EUR".into()), note: None });
        submission.meta.partners =
            vec![crate::case::Partner { name: "P".into(), kind: None, role: Some("partner".into()) }];
        submission.sections.context = "Line one.\n\nLine two.".into();
        let case = submission.to_case("x");
        let meta = parse_case_meta("case.toml", &case_toml(&case.meta)).unwrap();
        assert_eq!(meta, case.meta);
        let text = &case.texts[0];
        let read = parse_case_text("en.md", Lang::En, &case_text_file(&text.front, &text.body)).unwrap();
        assert_eq!(read.front, text.front);
        assert_eq!(read.body.trim(), text.body.trim());
    }

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
    fn every_unknown_key_is_named_with_a_suggestion() {
        let text = "+++\ntittle = \"a\"\ntitle = \"a\"\nsumary = \"b\"\nsummary = \"b\"\ntranslation = \"original\"\n+++\nbody";
        let problems = parse_case_text("cases/x/en.md", Lang::En, text).unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["tittle", "sumary"]);
        assert!(problems[0].fix.contains("did you mean `title`"), "{}", problems[0]);
        assert!(problems[1].fix.contains("did you mean `summary`"), "{}", problems[1]);
    }

    #[test]
    fn a_misspelt_required_key_is_named_not_reported_missing() {
        let text = "+++\ntittle = \"a\"\nsummary = \"b\"\ntranslation = \"original\"\n+++\nbody";
        let problems = parse_case_text("cases/x/en.md", Lang::En, text).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].field, "tittle");
        assert!(problems[0].message.contains("line 2"), "{}", problems[0].message);
        assert!(problems[0].fix.contains("did you mean `title`"), "{}", problems[0].fix);
    }

    #[test]
    fn an_unclosed_list_is_blamed_on_its_own_line() {
        let text = "original_language = \"en\"\ncountries = [\"RO\"\nthemes = [\"coding\"]\n";
        let problem = &parse_case_meta("cases/x/case.toml", text).unwrap_err()[0];
        assert_eq!(problem.field, "countries");
        assert!(problem.message.contains("line 2"), "{}", problem.message);
    }

    #[test]
    fn unknown_keys_in_tables_have_their_path() {
        let text = "original_language = \"en\"\ncountries = [\"RO\"]\nthemes = [\"coding\"]\n[period]\nstart = \"2018\"\n[lead_organisation]\nname = \"x\"\ntype = \"ngo\"\n[[partners]]\nname = \"y\"\nrol = \"partner\"\n";
        let problems = parse_case_meta("cases/x/case.toml", text).unwrap_err();
        assert_eq!(problems[0].field, "partners[0].rol");
        assert!(problems[0].fix.contains("`role`"), "{}", problems[0]);
    }

    #[test]
    fn wrong_type_names_the_nested_field() {
        let text = "original_language = \"en\"\ncountries = [\"RO\"]\nthemes = [\"coding\"]\n\n[period]\nstart = 2018\n\n[lead_organisation]\nname = \"x\"\ntype = \"ngo\"\n";
        let problem = &parse_case_meta("cases/x/case.toml", text).unwrap_err()[0];
        assert_eq!(problem.field, "period.start", "{problem}");
        assert!(problem.message.contains("line 6"), "{problem}");
    }
}
