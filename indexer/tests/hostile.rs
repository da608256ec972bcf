//! Hostile input for search and rendering: arbitrary text in the search box and in every filter,
//! arbitrary Markdown. Property tests (proptest) over an index of the fixture content, built once
//! for this test binary: nothing panics, an answer keeps its shape (page size, total, facet counts,
//! snippets that are escaped text with `<mark>`), and rendered HTML carries no script.

use indexer::Engine;
use indexer::index::generation;
use indexer::index::query::ParsedQuery;
use indexer::render::{markdown_to_html, markdown_to_text};
use model::Lang;
use model::api::{
    DEFAULT_PER_PAGE, MAX_PER_PAGE, MAX_QUERY_CHARS, MAX_QUERY_TERMS, MAX_RESULT_DEPTH, SearchParams, SearchResponse,
    Sort,
};
use proptest::prelude::*;
use std::path::Path;
use std::sync::LazyLock;
use std::time::Instant;

// # The index

/// The fixture collection, indexed once per run of this binary (in Cargo's scratch folder for
/// integration tests, replaced each run).
static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/content");
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hostile-index");
    let _ = std::fs::remove_dir_all(&root);
    let collection = collection::load(&fixtures, &|_, _| {}).expect("the fixture content loads");
    generation::build(&collection, &root, &|_, _| {}).expect("the fixture index builds");
    Engine::open(&root).expect("the fixture index opens")
});

/// What the fixture collection holds.
const CASES: u64 = 3;
const COUNTRIES: &[&str] = &["RO", "MD", "UA"];
const THEMES: &[&str] = &["coding", "reading", "active-citizenship"];
const AUDIENCES: &[&str] = &["children-10-14", "adults"];
const ORG_TYPES: &[&str] = &["ngo", "public-library"];

// # Query text

/// Pieces of hostile query text: quotes, dashes and operators, combining marks, invisible and
/// exotic whitespace, Cyrillic, Greek, emoji (with joiners, modifiers and flags), other scripts,
/// and words that match (exactly, by stem, by typo, by prefix, or as stop words).
const PIECES: &[&str] = &[
    "\"",
    "'",
    "«",
    "»",
    "„",
    "“",
    "”",
    "-",
    "–",
    "—",
    "‐",
    "−",
    "--",
    "-\"",
    "- ",
    "\u{0301}",
    "\u{0306}",
    "\u{0326}",
    "\u{0327}",
    "\u{20DD}",
    "\u{200B}",
    "\u{200D}",
    "\u{FEFF}",
    "\u{00A0}",
    "\u{2003}",
    "\u{3000}",
    "\u{2028}",
    "\t",
    "\n",
    "\r",
    " ",
    "  ",
    "\0",
    "*",
    "(",
    ")",
    ":",
    "AND",
    "OR",
    "NOT",
    "^2",
    "~1",
    "\\",
    "+",
    "bibliotecă",
    "biblioteca",
    "școală",
    "s\u{0326}coala\u{0306}",
    "ştiinţă",
    "бібліотека",
    "библиотека",
    "ёлка",
    "проєкт",
    "читання",
    "Βιβλιοθήκη",
    "ΣΊΣΥΦΟΣ",
    "ς",
    "😀",
    "👩‍👩‍👧",
    "🇷🇴",
    "👍🏽",
    "ᾯ",
    "ǅ",
    "ß",
    "İ",
    "ﬁ",
    "²",
    "٣",
    "中文",
    "עברית",
    "العربية",
    "coding",
    "clubs",
    "library",
    "reading",
    "children",
    "the",
    "de",
    "та",
    "и",
    "και",
    "codin",
    "libary",
    "programare",
    "active citizenship",
    "democracy",
    "<script>",
    "&amp;",
    "<mark>",
];

/// One word, repeated up to the length limit.
fn long_word() -> impl Strategy<Value = String> {
    let letter = prop::sample::select(&["a", "я", "ω", "ș", "1", "😀", "e\u{0301}", "-", "\""][..]);
    (letter, 1..=MAX_QUERY_CHARS).prop_map(|(letter, n)| letter.repeat(n))
}

fn query_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        8 => prop::sample::select(PIECES).prop_map(str::to_owned),
        3 => "\\PC{1,8}",
        1 => any::<String>(),
        1 => long_word(),
        1 => "[a-zăâîșțа-яієїґα-ω]{9,40}",
    ];
    let separator = prop::sample::select(&["", "", " ", " ", "  ", "-", "\"", "\u{00A0}", "\n"][..]);
    prop::collection::vec((piece, separator), 0..24)
        .prop_map(|parts| parts.into_iter().map(|(piece, separator)| piece + separator).collect())
}

/// Up to a little past `MAX_QUERY_CHARS` characters, so some texts are cut.
fn api_query_text() -> impl Strategy<Value = String> {
    query_text().prop_map(|text| text.chars().take(MAX_QUERY_CHARS + 50).collect())
}

fn check_parsed(text: &str) {
    let parsed = ParsedQuery::parse(text);
    // Past the longest query searched, the text is cut (and says so).
    let chars: usize = parsed.clauses.iter().map(|clause| clause.text.chars().count()).sum();
    assert!(chars <= MAX_QUERY_CHARS, "{text:?}: {chars} characters kept in {parsed:?}");
    let normalized = indexer::index::analysis::normalize(text).chars().count();
    assert!(parsed.cut || normalized <= MAX_QUERY_CHARS, "{text:?}: a long text not cut");
    for clause in &parsed.clauses {
        for word in clause.text.split(' ') {
            assert!(!word.is_empty() && word.chars().all(char::is_alphanumeric), "{text:?}: word {word:?}");
        }
        assert!(clause.phrase || !clause.text.contains(' '), "{text:?}: {clause:?}");
    }
    if parsed.prefix_last {
        let last = parsed.clauses.last().expect("a clause to complete");
        assert!(!last.phrase && !last.negated, "{text:?}: {parsed:?}");
    }
    assert_eq!(ParsedQuery::parse(text), parsed, "{text:?}: parsing is not deterministic");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_query_text_parses(text in query_text()) {
        check_parsed(&text);
    }

    #[test]
    fn any_string_parses(text in any::<String>()) {
        check_parsed(&text);
    }
}

#[test]
fn query_text_edge_cases() {
    let words = "word ".repeat(MAX_QUERY_TERMS * 3);
    let phrase = format!("\"{}\"", "word ".repeat(MAX_QUERY_TERMS * 3));
    let hyphens = "a-".repeat(MAX_QUERY_CHARS);
    let marks = format!("a{}", "\u{0301}".repeat(MAX_QUERY_CHARS));
    for text in ["", " ", "-", "--", "- -", "\"", "\"\"", "-\"\"", "\"-\"", "-\"-", "\u{0301}", "\u{0}", "👩‍👩‍👧"]
    {
        check_parsed(text);
    }
    for text in [&words, &phrase, &hyphens, &marks] {
        check_parsed(text);
    }
}

// # Searches

fn filter_values(known: &'static [&'static str]) -> impl Strategy<Value = Vec<String>> {
    let value = prop_oneof![
        4 => prop::sample::select(known).prop_map(str::to_owned),
        1 => "[A-Z]{2}",
        1 => "[a-z0-9-]{1,12}",
        1 => "\\PC{0,20}",
        1 => Just(String::new()),
    ];
    prop::collection::vec(value, 0..4)
}

fn year() -> impl Strategy<Value = Option<u16>> {
    prop_oneof![
        1 => Just(None),
        3 => (2010..=2025u16).prop_map(Some),
        1 => any::<u16>().prop_map(Some),
    ]
}

/// A page and page size the API accepts (`page * per_page` at most `MAX_RESULT_DEPTH`); 0 means
/// the default.
fn paging() -> impl Strategy<Value = (u32, u32)> {
    prop_oneof![
        3 => (0..=3u32, 0..=MAX_PER_PAGE),
        1 => (0..=MAX_PER_PAGE).prop_flat_map(|per_page| {
            let size = if per_page == 0 { DEFAULT_PER_PAGE } else { per_page };
            (0..=MAX_RESULT_DEPTH / size, Just(per_page))
        }),
        1 => Just((MAX_RESULT_DEPTH / MAX_PER_PAGE, MAX_PER_PAGE)),
        1 => Just((MAX_RESULT_DEPTH, 1)),
    ]
}

/// Any search the engine can be asked for once paging is within the API's bounds: arbitrary text,
/// unknown and malformed filter values, years out of range or inverted.
fn search_params() -> impl Strategy<Value = SearchParams> {
    (
        api_query_text(),
        (filter_values(COUNTRIES), filter_values(THEMES), filter_values(AUDIENCES), filter_values(ORG_TYPES)),
        prop::collection::vec(prop::sample::select(Lang::ALL.to_vec()), 0..3),
        (year(), year()),
        any::<bool>(),
        paging(),
        prop::option::of(prop::sample::select(Lang::ALL.to_vec())),
    )
        .prop_map(
            |(q, (country, theme, audience, org_type), lang, (year_from, year_to), newest, (page, per_page), ui)| {
                SearchParams {
                    q,
                    country,
                    theme,
                    audience,
                    org_type,
                    lang,
                    year_from,
                    year_to,
                    sort: if newest { Sort::Newest } else { Sort::Relevance },
                    page,
                    per_page,
                    ui,
                }
            },
        )
}

/// A snippet is escaped text with the matched words in `<mark>`, never nested.
fn check_snippet(snippet: &str) {
    let mut rest = snippet;
    let mut open = false;
    while let Some(at) = rest.find(['<', '>']) {
        let tag = if open { "</mark>" } else { "<mark>" };
        assert!(rest[at..].starts_with(tag), "{snippet:?}: a stray `<` or `>`, or unbalanced marks");
        open = !open;
        rest = &rest[at + tag.len()..];
    }
    assert!(!open, "{snippet:?}: a mark left open");
    for (at, _) in snippet.match_indices('&') {
        let entity = ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"].iter().any(|e| snippet[at..].starts_with(e));
        assert!(entity, "{snippet:?}: an unescaped `&`");
    }
}

fn years_of(period: &model::case::Period) -> (u16, u16) {
    let start = period.start_year().unwrap_or(1900);
    let end = period.end_year().unwrap_or(if period.ongoing { u16::MAX } else { start });
    (start, end)
}

/// Runs `params` and checks the answer's shape.
fn check_search(params: &SearchParams) -> SearchResponse {
    let response = ENGINE.search(params).unwrap_or_else(|error| panic!("{params:?}: {error}"));

    let (total, hits) = (response.total, &response.hits);
    let per_page = u64::from(params.per_page());
    let skip = u64::from(params.page() - 1) * per_page;
    assert!(total <= CASES, "{params:?}: {total} of {CASES} cases");
    assert!(hits.len() as u64 <= per_page.min(u64::from(MAX_PER_PAGE)), "{params:?}: {} hits", hits.len());
    assert!(total >= hits.len() as u64, "{params:?}: {} hits of {total}", hits.len());
    assert_eq!(hits.len() as u64, total.saturating_sub(skip).min(per_page), "{params:?}: a page of the wrong size");

    for (i, hit) in hits.iter().enumerate() {
        assert!(!hits[..i].iter().any(|other| other.slug == hit.slug), "{params:?}: {} twice", hit.slug);
        check_snippet(&hit.snippet);
        if !params.country.is_empty() {
            assert!(hit.countries.iter().any(|c| params.country.contains(c)), "{params:?}: {}", hit.slug);
        }
        if !params.theme.is_empty() {
            assert!(hit.themes.iter().any(|t| params.theme.contains(t)), "{params:?}: {}", hit.slug);
        }
        let (start, end) = years_of(&hit.period);
        assert!(params.year_to.is_none_or(|to| start <= to), "{params:?}: {} starts {start}", hit.slug);
        assert!(params.year_from.is_none_or(|from| end >= from), "{params:?}: {} ends {end}", hit.slug);
    }
    // Values the collection does not have match nothing; an inverted year range neither.
    let unknown = |selected: &[String], known: &[&str]| {
        !selected.is_empty() && !selected.iter().any(|value| known.contains(&value.as_str()))
    };
    if unknown(&params.country, COUNTRIES)
        || unknown(&params.theme, THEMES)
        || unknown(&params.audience, AUDIENCES)
        || unknown(&params.org_type, ORG_TYPES)
    {
        assert_eq!(total, 0, "{params:?}");
    }
    if let (Some(from), Some(to)) = (params.year_from, params.year_to)
        && from > to
    {
        assert_eq!(total, 0, "{params:?}");
    }

    // A facet without a filter counts among the matching cases only; a chosen value is listed
    // even when nothing has it.
    let facets = &response.facets;
    let langs: Vec<String> = params.lang.iter().map(|lang| lang.code().to_owned()).collect();
    for (name, counts, selected) in [
        ("country", &facets.country, &params.country),
        ("theme", &facets.theme, &params.theme),
        ("audience", &facets.audience, &params.audience),
        ("org_type", &facets.org_type, &params.org_type),
        ("lang", &facets.lang, &langs),
    ] {
        for (i, count) in counts.iter().enumerate() {
            assert!(!counts[..i].iter().any(|other| other.value == count.value), "{params:?}: {name} {count:?} twice");
            if selected.is_empty() {
                assert!(count.count <= total, "{params:?}: {name} {count:?} of {total}");
            }
        }
        for value in selected {
            assert!(counts.iter().any(|count| count.value == *value), "{params:?}: chosen {name} {value:?} not listed");
        }
    }
    if params.year_from.is_none() && params.year_to.is_none() {
        for count in &facets.year {
            assert!(count.count <= total, "{params:?}: year {count:?} of {total}");
        }
    }
    response
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_query_text_searches(q in api_query_text()) {
        check_search(&SearchParams { q, ..SearchParams::default() });
    }

    #[test]
    fn any_search_keeps_its_shape(params in search_params()) {
        check_search(&params);
    }

    /// A search URL as a client sends it: whatever reads is searchable.
    #[test]
    fn any_search_url_that_reads_searches(
        q in api_query_text(),
        tail in prop::collection::vec(
            (prop::sample::select(&["country", "theme", "audience", "org_type", "lang", "year_from", "year_to", "sort", "page", "per_page", "ui"][..]),
             prop_oneof![prop::sample::select(&["RO", "UA", "ZZ", "coding", "adults", "ngo", "en", "uk", "newest", "2019", "2100", "1", "50", "200", "10000"][..]).prop_map(str::to_owned), "[0-9]{1,6}"]),
            0..6,
        ),
    ) {
        let mut query = format!("q={}", q.bytes().map(|b| format!("%{b:02X}")).collect::<String>());
        for (name, value) in tail {
            query.push_str(&format!("&{name}={value}"));
        }
        if let Ok(params) = SearchParams::from_query(&query) {
            check_search(&params);
        }
    }
}

#[test]
fn search_edge_cases() {
    let long = |c: &str| c.repeat(MAX_QUERY_CHARS);
    let many = "library coding reading children clubs programare бібліотека читання Βιβλιοθήκη the de та и"
        .split(' ')
        .cycle()
        .take(40)
        .collect::<Vec<_>>()
        .join(" ");
    for q in [
        String::new(),
        "-".into(),
        "-coding".into(),
        "-\"coding club\"".into(),
        // Excluded phrases whose words are indexed but never side by side (tantivy's phrase
        // scorer starts exhausted; its debug assertions once panicked, tantivy#2811).
        "' -\"școală ς".into(),
        "library -\"reading coding\"".into(),
        "-\"children library\" -\"coding reading\"".into(),
        "\"\"".into(),
        "the".into(),
        "the de та".into(),
        long("a"),
        long("я"),
        long("😀"),
        long("a "),
        long("ab-"),
        long("\""),
        format!("\"{}\"", "library ".repeat(MAX_QUERY_CHARS / 8)),
        many.chars().take(MAX_QUERY_CHARS).collect(),
        "librarylibrarylibrarylibrarylibrarylibrarylibrarylibrary".into(),
    ] {
        for (page, per_page) in
            [(0, 0), (1, 1), (2, 1), (MAX_RESULT_DEPTH / MAX_PER_PAGE, MAX_PER_PAGE), (MAX_RESULT_DEPTH, 1)]
        {
            check_search(&SearchParams { q: q.clone(), page, per_page, ..SearchParams::default() });
        }
        let newest = SearchParams { q: q.clone(), sort: Sort::Newest, ..SearchParams::default() };
        check_search(&newest);
    }
    // Excluding a phrase no case has excludes nothing.
    let total = |q: &str| check_search(&SearchParams { q: q.into(), ..SearchParams::default() }).total;
    assert_eq!(total("library -\"reading coding\""), total("library"));
    assert_eq!(total("-\"children library\" -\"coding reading\""), CASES);
    let everything = check_search(&SearchParams::default());
    assert_eq!(everything.total, CASES);
    // Inverted ranges match nothing, including those a case's period spans both ends of (CI
    // found 2024..2021 matching a case that ran across both years).
    for to in 2010..=2025 {
        for from in to + 1..=2026 {
            let inverted = SearchParams { year_from: Some(from), year_to: Some(to), ..SearchParams::default() };
            assert_eq!(check_search(&inverted).total, 0, "{from}..{to}");
        }
    }
    let inverted = SearchParams { year_from: Some(2100), year_to: Some(1900), ..SearchParams::default() };
    assert_eq!(check_search(&inverted).total, 0);
    let unknown = SearchParams { country: vec!["ZZ".into(), "<script>".into()], ..SearchParams::default() };
    assert_eq!(check_search(&unknown).total, 0);
}

/// Paging beyond what the API accepts, as a caller that skips `SearchParams::from_query` could
/// ask for (it once overflowed `page * per_page` and reserved `per_page` slots up front).
#[test]
fn paging_beyond_the_api_bounds_is_answered() {
    for (page, per_page) in [
        (u32::MAX, MAX_PER_PAGE),
        (u32::MAX, u32::MAX),
        (MAX_RESULT_DEPTH + 1, MAX_PER_PAGE),
        (1, MAX_PER_PAGE + 1),
        (1, u32::MAX),
    ] {
        let params = SearchParams { q: "library".into(), page, per_page, ..SearchParams::default() };
        if let Ok(response) = ENGINE.search(&params) {
            assert!(response.hits.len() <= MAX_PER_PAGE as usize, "{params:?}");
        }
    }
}

// # Markdown

/// Pieces of Markdown and raw HTML that try to smuggle script through rendering.
const MARKDOWN: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//x.js></SCRIPT>",
    "<scr<script>ipt>",
    "<<script>script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<iframe src=\"javascript:alert(1)\">",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
    "<a href=\"&#106;avascript:alert(1)\">x</a>",
    "<a href=\"java\tscript:alert(1)\">x</a>",
    "<a href=\" javascript:alert(1)\">x</a>",
    "<a href=\"vbscript:x\">x</a>",
    "<a href=\"data:text/html,x\">x</a>",
    "<a onclick=\"alert(1)\" href=\"https://example.org\">x</a>",
    "<div onmouseover=alert(1)>x</div>",
    "<p style=\"background:url(javascript:alert(1))\">x</p>",
    "<form action=javascript:alert(1)><input></form>",
    "<object data=x></object>",
    "<embed src=x>",
    "<base href=javascript:/>",
    "<meta http-equiv=refresh>",
    "<style>*{}</style>",
    "<!-- <script> -->",
    "<![CDATA[<script>]]>",
    "<noscript><p title=\"</noscript><img>\">",
    "<template><script>alert(1)</script></template>",
    "<textarea><script></textarea>",
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x]( javascript:x )",
    "[x](<javascript:alert(1)>)",
    "![x](javascript:alert(1))",
    "![x](https://example.org/x.png \"t\" onerror=1)",
    "[x]: javascript:alert(1)\n\n[y][x]",
    "<javascript:alert(1)>",
    "<https://example.org/ onclick=x>",
    "[x](https://example.org \"a\\\" onmouseover=\\\"alert(1)\")",
    "[x](https://example.org/?a=javascript:1)",
    "[x](mailto:a@example.org)",
    "[x](/relative)",
    "[x](#anchor)",
    "`<script>`",
    "```html\n<script>\n```",
    "\n\n",
    "\n",
    " ",
    "    ",
    "> ",
    "- ",
    "1. ",
    "# ",
    "## ",
    "|a|b|\n|-|-|\n|<script>|x|",
    "**",
    "_",
    "~~",
    "*",
    "\\",
    "&",
    "&amp;",
    "&#0;",
    "&#x6A;",
    "\u{0}",
    "\u{feff}",
    "\r\n",
    "ș",
    "бібліотека",
    "😀",
    "\u{202e}",
];

fn markdown() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        6 => prop::sample::select(MARKDOWN).prop_map(str::to_owned),
        2 => "\\PC{0,16}",
        1 => any::<String>(),
        1 => "[<>\"'=/a-z: \n]{0,24}",
    ];
    prop::collection::vec(piece, 0..16).prop_map(|pieces| pieces.concat())
}

/// A tag of serialised HTML: its name and attributes.
#[derive(Debug)]
struct Tag {
    name: String,
    attributes: Vec<(String, String)>,
}

/// The tags of `html` as html5ever serialises it: text has `<`, `>` and `&` escaped, attribute
/// values are double-quoted (so may hold `>`).
fn tags(html: &str) -> Vec<Tag> {
    let mut tags = Vec::new();
    let mut chars = html.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '>' {
            panic!("{html:?}: a `>` outside a tag");
        }
        if c != '<' {
            continue;
        }
        if chars.peek() == Some(&'/') {
            chars.next();
        }
        let name: String = std::iter::from_fn(|| chars.next_if(|c| c.is_ascii_alphanumeric())).collect();
        assert!(!name.is_empty(), "{html:?}: a `<` that opens no tag");
        let mut attributes = Vec::new();
        loop {
            while chars.next_if(|c| c.is_whitespace() || *c == '/').is_some() {}
            match chars.peek() {
                Some('>') => {
                    chars.next();
                    break;
                }
                None => panic!("{html:?}: a tag left open"),
                _ => {}
            }
            let attribute: String =
                std::iter::from_fn(|| chars.next_if(|c| !c.is_whitespace() && !matches!(c, '=' | '>' | '/'))).collect();
            let mut value = String::new();
            if chars.next_if_eq(&'=').is_some() {
                assert_eq!(chars.next(), Some('"'), "{html:?}: an unquoted attribute value");
                value = std::iter::from_fn(|| chars.next_if(|c| *c != '"')).collect();
                assert_eq!(chars.next(), Some('"'), "{html:?}: an attribute value left open");
            }
            attributes.push((attribute.to_lowercase(), value));
        }
        tags.push(Tag { name: name.to_lowercase(), attributes });
    }
    tags
}

const FORBIDDEN_TAGS: &[&str] = &[
    "script", "style", "iframe", "frame", "object", "embed", "svg", "math", "img", "form", "input", "button", "base",
    "meta", "link", "template", "noscript", "textarea", "select",
];

/// Rendered Markdown holds no script: no script-capable element, no event-handler attribute, and
/// no link anywhere but http(s), mailto or the same site.
fn check_html(markdown: &str, html: &str) {
    assert!(!html.to_lowercase().contains("<script"), "{markdown:?} -> {html:?}");
    for tag in tags(html) {
        assert!(!FORBIDDEN_TAGS.contains(&tag.name.as_str()), "{markdown:?} -> {html:?}: <{}>", tag.name);
        for (attribute, value) in &tag.attributes {
            assert!(!attribute.starts_with("on"), "{markdown:?} -> {html:?}: {attribute}=");
            assert!(attribute != "style", "{markdown:?} -> {html:?}: style=");
            // What a browser would read as the scheme: controls and spaces are ignored.
            let url: String =
                value.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect::<String>().to_lowercase();
            assert!(!url.starts_with("javascript:"), "{markdown:?} -> {html:?}: {attribute}={value:?}");
            if matches!(attribute.as_str(), "href" | "src" | "cite" | "action" | "formaction" | "data") {
                let scheme = url.split_once(':').map(|(scheme, _)| scheme).filter(|s| !s.contains(['/', '?', '#']));
                let allowed = scheme.is_none_or(|scheme| matches!(scheme, "http" | "https" | "mailto"));
                assert!(allowed, "{markdown:?} -> {html:?}: {attribute}={value:?}");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn rendered_markdown_carries_no_script(markdown in markdown()) {
        check_html(&markdown, &markdown_to_html(&markdown));
        markdown_to_text(&markdown);
    }

    #[test]
    fn any_text_renders(text in any::<String>()) {
        check_html(&text, &markdown_to_html(&text));
        markdown_to_text(&text);
    }
}

#[test]
fn markdown_edge_cases() {
    for markdown in MARKDOWN {
        check_html(markdown, &markdown_to_html(markdown));
    }
}

/// Markdown at the size limit of a case file, in shapes known to be slow in Markdown and HTML
/// parsers (deep nesting, unclosed brackets and emphasis, long tables, misnested tags): each
/// renders to safe HTML. The time each takes is printed (`--nocapture`), not asserted; the
/// benchmark report is where speed is judged.
#[test]
fn large_pathological_markdown_renders_safely() {
    let limit = model::limits::TEXT_FILE_BYTES;
    let fill = |piece: &str| piece.repeat(limit / piece.len());
    for markdown in [
        fill("["),
        fill("]("),
        fill("[a]("),
        fill("!["),
        fill("*a"),
        fill("_a*"),
        fill("**a"),
        fill("~~a"),
        fill("`"),
        fill("``a"),
        fill("<"),
        fill("<a"),
        fill("<b><i>"),
        fill("<b><p>"),
        fill("<table><td>"),
        fill("<div>"),
        fill("</div>"),
        fill("&#"),
        fill("> "),
        fill("- "),
        fill("1. "),
        fill("  - a\n"),
        fill("|"),
        format!("|{}\n|{}\n", "a|".repeat(limit / 8), "-|".repeat(limit / 8)),
        fill("|a|\n"),
        fill("\\"),
        fill("[a]: b\n"),
        fill("[a][a]"),
        fill("<!--"),
        fill("<?"),
        fill("<![CDATA["),
    ] {
        let started = Instant::now();
        let html = markdown_to_html(&markdown);
        markdown_to_text(&markdown);
        let took = started.elapsed();
        let head: String = markdown.chars().take(12).collect();
        println!("{head:?}… ({} bytes): {took:?}", markdown.len());
        assert!(!html.to_lowercase().contains("<script"), "{head:?}…");
    }
}
