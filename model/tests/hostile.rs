//! Hostile input for the parsers strangers reach: search URLs and content files. Property tests
//! (proptest) on arbitrary text and on mutated copies of the fixture files: nothing panics, a
//! search URL that reads writes back to the same search, and every problem names its file (and
//! the field, when the problem is a field's).

use model::api::{MAX_FILTER_VALUES, MAX_PER_PAGE, MAX_QUERY_CHARS, MAX_RESULT_DEPTH, SearchParams};
use model::files::{parse_case_meta, parse_case_text, parse_vocabulary, split_front_matter};
use model::{Lang, Problem};
use proptest::prelude::*;
use proptest::sample::Index;
use std::path::Path;
use std::sync::LazyLock;

// # Search URLs

const PARAMETERS: &[&str] = &[
    "q",
    "country",
    "theme",
    "audience",
    "org_type",
    "lang",
    "year_from",
    "year_to",
    "sort",
    "page",
    "per_page",
    "ui",
];

fn parameter_name() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::sample::select(PARAMETERS).prop_map(str::to_owned),
        1 => "[a-zA-Z_%+=?&;]{0,8}",
        1 => any::<String>(),
    ]
}

fn parameter_value() -> impl Strategy<Value = String> {
    const PLAUSIBLE: &[&str] = &[
        "RO",
        "MD",
        "UA",
        "ro",
        "ROU",
        "coding",
        "Coding!",
        "children-10-14",
        "-coding",
        "a--b",
        "en",
        "uk",
        "el",
        "de",
        "EN",
        "newest",
        "relevance",
        "oldest",
        "",
        "1",
        "10",
        "50",
        "51",
        "0",
        "2020",
        "1899",
        "2101",
        "10000",
    ];
    const NUMBERS: &[&str] = &[
        "1e3",
        "0x10",
        " 7 ",
        "٣",
        "１",
        "4294967296",
        "18446744073709551616",
        "-0",
        "+1",
        "00000000000000000001",
        "2020.0",
        "NaN",
        "inf",
    ];
    prop_oneof![
        4 => prop::sample::select(PLAUSIBLE).prop_map(str::to_owned),
        2 => "[+-]?[0-9]{1,30}",
        1 => any::<u64>().prop_map(|n| n.to_string()),
        1 => prop::sample::select(NUMBERS).prop_map(str::to_owned),
        // Percent-encoded junk: valid escapes, broken ones, lone `%`, `+` for space.
        2 => "(%[0-9A-Fa-f]{2}|%[G-Zg-z]{0,2}|%|\\+|[a-z&=])",
        2 => "\\PC{0,300}",
        1 => any::<String>(),
    ]
}

/// Percent-encodes every byte, as a client that encodes everything would.
fn encode_all(text: &str) -> String {
    text.bytes().map(|b| format!("%{b:02X}")).collect()
}

fn query_string() -> impl Strategy<Value = String> {
    let pairs = prop::collection::vec((parameter_name(), parameter_value(), any::<bool>()), 0..30).prop_map(|pairs| {
        pairs
            .into_iter()
            .map(
                |(name, value, encode)| {
                    if encode { format!("{name}={}", encode_all(&value)) } else { format!("{name}={value}") }
                },
            )
            .collect::<Vec<_>>()
            .join("&")
    });
    // One filter repeated with many distinct values, around the limit.
    let repeated = (
        prop::sample::select(&["country", "theme", "audience", "org_type", "lang"][..]),
        prop::collection::vec("[A-Z]{2}|[a-z]{1,6}", 15..40),
    )
        .prop_map(|(name, values)| values.iter().map(|value| format!("{name}={value}")).collect::<Vec<_>>().join("&"));
    // Queries up to and past the length limit, in any script.
    let long_q = ("\\PC{200,300}", any::<bool>())
        .prop_map(|(q, encode)| if encode { format!("q={}", encode_all(&q)) } else { format!("q={q}") });
    prop_oneof![
        1 => any::<String>(),
        3 => pairs,
        4 => valid_pairs(),
        1 => repeated,
        1 => long_q,
        1 => pairs_prefixed(),
    ]
}

/// Parameters with values of the right shape (most of these searches read), some encoded.
fn valid_pairs() -> impl Strategy<Value = String> {
    let pair = prop_oneof![
        ("\\PC{0,80}", Just("q")).prop_map(|(v, n)| (n, v)),
        "[A-Z]{2}".prop_map(|v| ("country", v)),
        "[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}".prop_map(|v| ("theme", v)),
        "[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}".prop_map(|v| ("audience", v)),
        "[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}".prop_map(|v| ("org_type", v)),
        prop::sample::select(&["en", "ro", "uk", "ru", "el"][..]).prop_map(|v| ("lang", v.to_owned())),
        prop::sample::select(&["en", "ro", "uk", "ru", "el"][..]).prop_map(|v| ("ui", v.to_owned())),
        (1900..=2100u16).prop_map(|v| ("year_from", v.to_string())),
        (1900..=2100u16).prop_map(|v| ("year_to", v.to_string())),
        prop::sample::select(&["relevance", "newest", ""][..]).prop_map(|v| ("sort", v.to_owned())),
        (1..=250u32).prop_map(|v| ("page", v.to_string())),
        (1..=50u32).prop_map(|v| ("per_page", v.to_string())),
    ];
    prop::collection::vec((pair, any::<bool>(), "[ ]{0,2}"), 0..8).prop_map(|pairs| {
        pairs
            .into_iter()
            .map(|((name, value), encode, space)| {
                let value = format!("{space}{value}{space}");
                if encode {
                    format!("{name}={}", encode_all(&value))
                } else {
                    format!("{name}={}", value.replace('&', "%26"))
                }
            })
            .collect::<Vec<_>>()
            .join("&")
    })
}

fn pairs_prefixed() -> impl Strategy<Value = String> {
    ("[?&;]{0,3}", "[a-z_]{1,9}=[^&]{0,12}", "[&;]{0,3}").prop_map(|(a, b, c)| format!("{a}{b}{c}"))
}

/// The search as the engine sees it: page 1 and the default page size are the same whether given
/// or left out (the URL leaves them out).
fn canonical(params: &SearchParams) -> SearchParams {
    SearchParams { page: params.page(), per_page: params.per_page(), ..params.clone() }
}

fn check_query(query: &str) {
    let params = match SearchParams::from_query(query) {
        Ok(params) => params,
        Err(error) => {
            assert!(!error.message.is_empty(), "{query:?}: an error without a message");
            return;
        }
    };
    // What the engine may rely on once a search URL has been read.
    assert!(params.q.chars().count() <= MAX_QUERY_CHARS, "{query:?}");
    for values in [&params.country, &params.theme, &params.audience, &params.org_type] {
        assert!(values.len() <= MAX_FILTER_VALUES, "{query:?}");
    }
    assert!(params.lang.len() <= MAX_FILTER_VALUES, "{query:?}");
    assert!(params.per_page() <= MAX_PER_PAGE, "{query:?}");
    assert!(params.page().checked_mul(params.per_page()).is_some_and(|depth| depth <= MAX_RESULT_DEPTH), "{query:?}");
    for year in [params.year_from, params.year_to].into_iter().flatten() {
        assert!((1900..=2100).contains(&year), "{query:?}");
    }
    if let (Some(from), Some(to)) = (params.year_from, params.year_to) {
        assert!(from <= to, "{query:?}");
    }

    let written = params.to_query();
    let read = SearchParams::from_query(&written)
        .unwrap_or_else(|error| panic!("{query:?} read as {params:?}, written as {written:?}, which fails: {error}"));
    assert_eq!(canonical(&read), canonical(&params), "{query:?} written as {written:?}");
    assert_eq!(read.to_query(), written, "{query:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn search_urls_never_panic_and_round_trip(query in query_string()) {
        check_query(&query);
    }
}

#[test]
fn search_url_edge_cases() {
    for query in [
        "",
        "?",
        "&&&",
        "=",
        "==",
        "q",
        "q=%",
        "q=%ZZ",
        "q=%FF%FE",
        "q=%C3",
        "q=%00",
        "q=+",
        "q=%20%20a%20%20",
        "page=4294967295",
        "page=4294967296",
        "page=18446744073709551616",
        "page=10000&per_page=1",
        "page=10000&per_page=2",
        "page=201&per_page=50",
        "per_page=0",
        "year_from=2100&year_to=1900",
        "year_from=65535",
        "sort=&sort=newest&sort=",
        "lang=en&lang=en&lang=en",
        "ui=en&ui=ro",
    ] {
        check_query(query);
    }
    let many = (0..MAX_FILTER_VALUES + 5).map(|i| format!("theme=t{i}")).collect::<Vec<_>>().join("&");
    check_query(&many);
    let long = format!("q={}", "я".repeat(MAX_QUERY_CHARS));
    check_query(&long);
}

// # Content files

/// Every file under the valid and the invalid fixture folders: (path, text).
static FIXTURES: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let mut files = Vec::new();
    let mut folders = vec![root.clone()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                let name = path.strip_prefix(&root).unwrap().to_string_lossy().into_owned();
                files.push((name, text));
            }
        }
    }
    files.sort();
    assert!(files.len() > 20, "fixtures not found under {}", root.display());
    files
});

/// Pieces of TOML, front matter and Markdown syntax to splice into files.
const FRAGMENTS: &[&str] = &[
    "\"",
    "'",
    "\"\"\"",
    "'''",
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    "=",
    ",",
    ".",
    "#",
    "\\",
    "\\u",
    "\\U0010FFFF",
    "\\uD800",
    "\\x00",
    "\n",
    "\r\n",
    "\r",
    "+++",
    "+++\n",
    "\n+++\n",
    "\u{feff}",
    "\0",
    "\t",
    " ",
    "1979-05-27T07:32:00Z",
    "2019-13",
    "inf",
    "nan",
    "-0",
    "0x",
    "1e999",
    "99999999999999999999",
    "true",
    "[period]\n",
    "[[partners]]\n",
    "[lead_organisation]\n",
    "[[themes]]\n",
    "title = ",
    "tittle = \"x\"\n",
    "countries = ",
    "original_language = \"xx\"\n",
    "translation = \"machine\"\n",
    "a.b.c = 1\n",
    "\"a\".\"b\" = 2\n",
    "label = { en = \"x\" }\n",
    "synonyms = { en = [1] }\n",
    "é",
    "ș",
    "Ж",
    "Ω",
    "😀",
    "\u{0301}",
    "\u{202e}",
    "<script>",
    "## ",
    "```",
    "[x](javascript:1)",
];

#[derive(Clone, Debug)]
enum Edit {
    Delete(Index, usize),
    Insert(Index, String),
    Duplicate(Index, usize),
    Truncate(Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    let fragment = prop_oneof![
        6 => prop::sample::select(FRAGMENTS).prop_map(str::to_owned),
        1 => any::<String>(),
        // Deep nesting and long runs.
        1 => (prop::sample::select(&["[", "{", "a.", "\"", "\\", "#", "\n"][..]), 1..3000usize)
            .prop_map(|(piece, n)| piece.repeat(n)),
    ];
    prop_oneof![
        3 => (any::<Index>(), 1..40usize).prop_map(|(at, len)| Edit::Delete(at, len)),
        5 => (any::<Index>(), fragment).prop_map(|(at, text)| Edit::Insert(at, text)),
        1 => (any::<Index>(), 1..200usize).prop_map(|(at, len)| Edit::Duplicate(at, len)),
        1 => any::<Index>().prop_map(Edit::Truncate),
    ]
}

/// The largest char boundary at or before `at`.
fn floor(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(text: &mut String, edit: &Edit) {
    let at = |index: &Index, text: &str| floor(text, index.index(text.len() + 1));
    match edit {
        Edit::Delete(index, len) => {
            let start = at(index, text);
            let end = floor(text, start + len);
            text.replace_range(start..end, "");
        }
        Edit::Insert(index, fragment) => {
            let start = at(index, text);
            text.insert_str(start, fragment);
        }
        Edit::Duplicate(index, len) => {
            let start = at(index, text);
            let end = floor(text, start + len);
            let copy = text[start..end].to_owned();
            text.insert_str(end, &copy);
        }
        Edit::Truncate(index) => {
            let end = at(index, text);
            text.truncate(end);
        }
    }
}

fn mutated_fixture() -> impl Strategy<Value = (String, String)> {
    (0..FIXTURES.len(), prop::collection::vec(edit(), 1..6)).prop_map(|(i, edits)| {
        let (name, text) = &FIXTURES[i];
        let mut text = text.clone();
        for edit in &edits {
            apply(&mut text, edit);
        }
        (name.clone(), text)
    })
}

/// The line a problem's message points at, from its `(line N)`.
fn line_in(message: &str) -> Option<usize> {
    let start = message.rfind("(line ")? + "(line ".len();
    let digits: String = message[start..].chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// A problem names the file it was given, says what is wrong and how to fix it, names the field
/// when it is about one, and points at a line of the file.
fn check_problems(file: &str, text: &str, problems: &[Problem]) {
    assert!(!problems.is_empty(), "{file}: failed without a problem");
    let lines = text.split('\n').count();
    for problem in problems {
        assert_eq!(problem.file, file, "{problem}");
        assert!(problem.to_string().starts_with(file), "{problem}");
        assert!(!problem.message.trim().is_empty(), "{file}: a problem without a message");
        assert!(!problem.fix.trim().is_empty(), "{problem}: no fix");
        assert!(!problem.field.chars().any(char::is_control), "{:?}: a control character in the field", problem.field);
        let about_a_field = problem.message.starts_with("missing field") || problem.message.contains("not a known key");
        assert!(!about_a_field || !problem.field.is_empty(), "{problem}: names no field");
        if let Some(line) = line_in(&problem.message) {
            assert!((1..=lines).contains(&line), "{problem}: line {line} of a file of {lines} lines");
        }
    }
}

/// Runs every parser over `text`, named as `name` says, checking their answers.
fn check_file(name: &str, text: &str) {
    let lang = Path::new(name).file_stem().and_then(|stem| stem.to_str()?.parse::<Lang>().ok()).unwrap_or(Lang::En);

    match split_front_matter(name, text) {
        Ok((front, body)) => {
            let text = text.strip_prefix('\u{feff}').unwrap_or(text);
            assert!(text.starts_with("+++"), "{name}");
            assert!(front.len() + body.len() + 6 <= text.len(), "{name}: front matter and body overlap");
            assert!(text.ends_with(body), "{name}");
            assert!(!front.lines().any(|line| line.trim_end() == "+++"), "{name}: split after the first closing line");
        }
        Err(problem) => check_problems(name, text, &[problem]),
    }
    match parse_case_text(name, lang, text) {
        Ok(case_text) => {
            assert_eq!(case_text.lang, lang);
            assert!(!case_text.body.starts_with(['\n', '\r']), "{name}");
        }
        Err(problems) => check_problems(name, text, &problems),
    }
    match parse_case_meta(name, text) {
        Ok(_) => {}
        Err(problems) => check_problems(name, text, &problems),
    }
    match parse_vocabulary(name, text) {
        Ok(_) => {}
        Err(problems) => check_problems(name, text, &problems),
    }
}

fn file_name() -> impl Strategy<Value = String> {
    prop::sample::select(&["cases/x/case.toml", "cases/x/en.md", "cases/x/uk.md", "vocabulary.toml", ""][..])
        .prop_map(str::to_owned)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn content_parsers_never_panic_on_arbitrary_text(name in file_name(), text in any::<String>()) {
        check_file(&name, &text);
    }

    #[test]
    fn content_parsers_never_panic_on_front_matter_shaped_text(
        name in file_name(),
        front in "(\\PC|\n|\r|\"|=|\\[|\\]){0,200}",
        body in "\\PC{0,100}",
        bom in any::<bool>(),
        crlf in any::<bool>(),
    ) {
        let newline = if crlf { "\r\n" } else { "\n" };
        let text = format!("{}+++{newline}{front}{newline}+++{newline}{body}", if bom { "\u{feff}" } else { "" });
        check_file(&name, &text);
    }

    #[test]
    fn content_parsers_never_panic_on_mutated_fixtures((name, text) in mutated_fixture()) {
        check_file(&name, &text);
    }
}

#[test]
fn every_fixture_file_parses_or_is_reported() {
    for (name, text) in FIXTURES.iter() {
        check_file(name, text);
    }
}

#[test]
fn content_edge_cases() {
    let deep = |piece: &str, n: usize| format!("a = {}", piece.repeat(n));
    for text in [
        String::new(),
        "+++".into(),
        "+++\n".into(),
        "+++\n+++".into(),
        "+++\r\n+++\r\n".into(),
        "\u{feff}".into(),
        "\u{feff}+++\n+++\n".into(),
        "+++\n\u{0}\n+++\n".into(),
        "+++\ntitle = \"\u{feff}\"\n+++\n".into(),
        deep("[", 5_000),
        deep("{ a = ", 5_000),
        format!("{} = 1", "a.".repeat(5_000)),
        "[a]\n".repeat(2_000),
        "[[a]]\n".repeat(2_000),
        format!("x = \"{}\"", "\\u00e9".repeat(5_000)),
    ] {
        for name in ["cases/x/case.toml", "cases/x/ro.md", "vocabulary.toml"] {
            check_file(name, &text);
        }
    }
}

/// Every unknown key is reported with its line (reporting was once quadratic in the file: ten
/// seconds for a `case.toml` at its size limit; the time is printed, not asserted).
#[test]
fn thousands_of_unknown_keys_are_reported() {
    let mut text = String::from("original_language = \"en\"\ncountries = [\"RO\"]\nthemes = [\"coding\"]\n");
    let mut keys = 0;
    while text.len() < model::limits::CASE_FILE_BYTES - 200 {
        text.push_str(&format!("k{keys} = 1\n"));
        keys += 1;
    }
    text.push_str("[period]\nstart = \"2018\"\n[lead_organisation]\nname = \"x\"\ntype = \"ngo\"\n");
    let started = std::time::Instant::now();
    let problems = parse_case_meta("cases/x/case.toml", &text).unwrap_err();
    let took = started.elapsed();
    assert_eq!(problems.len(), keys);
    assert_eq!(problems[0].field, "k0");
    assert!(problems[0].message.contains("(line 4)"), "{}", problems[0]);
    assert!(problems[keys - 1].message.contains(&format!("(line {})", keys + 3)), "{}", problems[keys - 1]);
    check_problems("cases/x/case.toml", &text, &problems);
    println!("{keys} unknown keys reported in {took:?}");
}
