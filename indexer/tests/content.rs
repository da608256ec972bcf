//! Loading and validating content folders: the real collection is valid and complete, and every
//! kind of mistake in the invalid fixture is reported with its file, field and fix.

use collection::{self as content, LoadError};
use model::{Lang, Problem};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_owned()
}

fn problems(dir: &Path) -> Vec<Problem> {
    match content::load(dir, &|_, _| {}) {
        Err(LoadError::Invalid(problems)) => problems,
        Err(other) => panic!("{other}"),
        Ok(_) => panic!("{} should be invalid", dir.display()),
    }
}

#[test]
fn the_real_collection_is_valid_and_complete() {
    let collection = content::load(&root().join("content"), &|_, _| {}).unwrap_or_else(|e| match e {
        LoadError::Invalid(problems) => {
            panic!("{}", problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n"))
        }
        other => panic!("{other}"),
    });
    let vocabulary = &collection.vocabulary;
    assert!(vocabulary.themes.len() >= 20, "{} themes", vocabulary.themes.len());
    assert!(vocabulary.audiences.len() >= 12, "{} audiences", vocabulary.audiences.len());
    assert_eq!(vocabulary.org_types[0].id, "public-library");

    let languages = |slug: &str| -> BTreeSet<Lang> {
        let case = collection.cases.iter().find(|case| case.slug == slug).unwrap_or_else(|| panic!("no case {slug}"));
        case.texts.iter().map(|text| text.lang).collect()
    };
    let required = [
        "code-kids",
        "ora-sa-stim",
        "learning-circles-in-libraries",
        "public-libraries-hubs-active-citizenship",
        "occupy-library-innovators-hub",
        "occupy-library-2020-conference",
        "building-networks-of-allies-webinar",
        "scoala-de-reporteri-sdg",
        "new-lib",
        "third-space-of-the-community",
        "third-place-for-active-citizenship",
        "socacitele-community-caterers",
        "bistrita-mea-secretul-meu",
        "silver-stories",
        "scholar-performance-no-matter-social-level",
        "digitales",
    ];
    for slug in required {
        let langs = languages(slug);
        assert!(langs.contains(&Lang::En) && langs.contains(&Lang::Ro), "{slug}: {langs:?}");
    }
    // Ukrainian for the cases with Ukrainian or regional partners, Russian for the Moldovan ones.
    for slug in [
        "public-libraries-hubs-active-citizenship",
        "occupy-library-innovators-hub",
        "occupy-library-2020-conference",
        "building-networks-of-allies-webinar",
        "ora-sa-stim",
    ] {
        assert!(languages(slug).contains(&Lang::Uk), "{slug} has no Ukrainian text");
    }
    for case in collection.cases.iter().filter(|case| case.meta.countries.iter().any(|c| c == "MD")) {
        assert!(languages(&case.slug).contains(&Lang::Ru), "{} (Moldova) has no Russian text", case.slug);
    }
}

/// (case folder, file within it, field, words the message must contain, words the fix must contain)
const EXPECTED: &[(&str, &str, &str, &str, &str)] = &[
    ("unknown-key", "en.md", "tittle", "not a known key", "did you mean `title`"),
    ("unknown-table-key", "case.toml", "partners[0].rol", "not a known key", "did you mean `role`"),
    ("bad-country", "case.toml", "countries[0]", "`XX` is not an ISO 3166-1 alpha-2", "RO, MD, UA, GR"),
    ("lowercase-country", "case.toml", "countries[0]", "`ro` is not an ISO 3166-1", "capitals: `RO`"),
    ("duplicate-country", "case.toml", "countries[1]", "listed twice", "remove the repeat"),
    ("bad-currency", "case.toml", "budget.currency", "`LEI` is not an ISO 4217", "`RON`"),
    ("amount-without-currency", "case.toml", "budget.currency", "missing although an amount", "ISO 4217"),
    ("negative-budget", "case.toml", "budget.amount", "negative", "plain number"),
    ("unknown-theme", "case.toml", "themes[0]", "`knitting` is not a theme id", "coding"),
    ("unknown-audience", "case.toml", "audiences[0]", "`aliens` is not an audience id", "children-10-14"),
    ("unknown-org-type", "case.toml", "lead_organisation.type", "`club` is not an organisation type", "public-library"),
    ("end-before-start", "case.toml", "period.end", "before the start", "later than the start"),
    ("bad-date", "case.toml", "period.start", "YYYY or YYYY-MM", "`2018-01`"),
    ("long-summary", "en.md", "summary", "more than the 300 allowed", "at most 300"),
    ("empty-title", "en.md", "title", "is empty", "write the title"),
    ("bad-url", "case.toml", "links[0].url", "not a well-formed http or https address", "https://"),
    ("too-many-themes", "case.toml", "themes", "more than the 5 allowed", "at most 5"),
    ("no-themes", "case.toml", "themes", "at least 1", "add at least 1"),
    ("missing-field", "case.toml", "countries", "missing field `countries`", "add the key"),
    ("wrong-type", "case.toml", "countries", "invalid type", "lists in [ ]"),
    ("bad-sdg", "case.toml", "sdgs[0]", "18 is not a Sustainable Development Goal", "1 to 17"),
    ("bad-settlement", "case.toml", "places[0].settlement", "unknown variant `village`", "`small_town`"),
    ("unsupported-language", "de.md", "", "`de` is not a supported language", "en.md, ro.md"),
    ("missing-original", "case.toml", "original_language", "no ro.md", "add cases/missing-original/ro.md"),
    ("wrong-translation-status", "ro.md", "translation", "the case's original language is `en`", "\"human\""),
    ("bad-translation-value", "en.md", "translation", "unknown variant `google`", "`machine`"),
    ("no-front-matter", "en.md", "", "could not find the front matter", "`+++`"),
    ("unclosed-front-matter", "en.md", "", "front matter is not closed", "`+++`"),
    ("toml-syntax", "case.toml", "countries", "(line 2)", "TOML syntax"),
    ("empty-body", "en.md", "body", "is empty", "tell the story"),
    ("no-case-toml", "case.toml", "", "is missing", "add case.toml"),
    ("no-language-file", "", "", "has no language file", "en.md"),
    ("Bad_Slug", "", "slug", "`Bad_Slug` is not a valid slug", "lowercase"),
];

#[test]
fn every_kind_of_mistake_is_named_with_file_field_and_fix() {
    let dir = root().join("tests/fixtures/invalid");
    let problems = problems(&dir);
    for (folder, file, field, message, fix) in EXPECTED {
        let path = if file.is_empty() { format!("cases/{folder}") } else { format!("cases/{folder}/{file}") };
        let found = problems.iter().find(|p| p.file == path && p.field == *field && p.message.contains(message));
        let problem = found.unwrap_or_else(|| {
            let near: Vec<String> =
                problems.iter().filter(|p| p.file.contains(folder)).map(|p| p.to_string()).collect();
            panic!("no problem for {path} `{field}` containing {message:?}; found: {near:#?}")
        });
        assert!(problem.fix.contains(fix), "{problem}: the fix should mention {fix:?}");
    }
    // Every broken folder is reported, and nothing else is.
    let folders: BTreeSet<&str> = problems.iter().map(|p| p.file.split('/').nth(1).unwrap()).collect();
    let expected: BTreeSet<&str> = EXPECTED.iter().map(|(folder, ..)| *folder).collect();
    assert_eq!(folders, expected);
}

#[test]
fn oversized_files_are_refused_before_parsing() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("cases/big");
    std::fs::create_dir_all(&case).unwrap();
    std::fs::copy(root().join("tests/fixtures/content/vocabulary.toml"), dir.path().join("vocabulary.toml")).unwrap();
    std::fs::copy(root().join("tests/fixtures/content/cases/coding-club/case.toml"), case.join("case.toml")).unwrap();
    let body = "word ".repeat(60_000);
    std::fs::write(
        case.join("en.md"),
        format!("+++\ntitle = \"t\"\nsummary = \"s\"\ntranslation = \"original\"\n+++\n{body}"),
    )
    .unwrap();
    let problems = problems(dir.path());
    assert!(
        problems.iter().any(|p| p.file == "cases/big/en.md" && p.message.contains("more than the 262144 allowed")),
        "{problems:?}"
    );
}

#[test]
fn the_check_command_exits_0_on_valid_content_and_1_naming_every_problem() {
    let indexer = env!("CARGO_BIN_EXE_indexer");
    let ok = Command::new(indexer).args(["check", "--content"]).arg(root().join("content")).output().unwrap();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("are valid"));

    let bad =
        Command::new(indexer).args(["check", "--content"]).arg(root().join("tests/fixtures/invalid")).output().unwrap();
    assert_eq!(bad.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains(
            "cases/bad-country/case.toml: `countries[0]`: `XX` is not an ISO 3166-1 alpha-2 country code; fix:"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was indexed"), "{stderr}");
    assert_eq!(
        stderr.lines().filter(|line| line.starts_with("cases/")).count(),
        problems(&root().join("tests/fixtures/invalid")).len()
    );

    // A build of invalid content indexes nothing and leaves no index behind.
    let index = tempfile::tempdir().unwrap();
    let build = Command::new(indexer)
        .args(["build", "--content"])
        .arg(root().join("tests/fixtures/invalid"))
        .arg("--index")
        .arg(index.path())
        .output()
        .unwrap();
    assert_eq!(build.status.code(), Some(1));
    assert!(!index.path().join("CURRENT").exists());

    // A reader that goes away (`indexer build … | head -c 0`) does not fail a build that is done.
    let mut build = Command::new(indexer)
        .args(["build", "--quiet", "--content"])
        .arg(root().join("tests/fixtures/content"))
        .arg("--index")
        .arg(index.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(build.stdout.take());
    let done = build.wait_with_output().unwrap();
    assert!(done.status.success(), "{:?}: {}", done.status, String::from_utf8_lossy(&done.stderr));
    assert!(index.path().join("CURRENT").exists());
}

/// Snippets are cut from the text of the stored HTML: for every real text, it has the same words
/// as the text indexed from the Markdown.
#[test]
fn the_text_of_every_rendered_case_has_the_words_indexed() {
    let collection = content::load(&root().join("content"), &|_, _| {}).unwrap();
    let words = |text: &str| text.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
    for case in &collection.cases {
        for text in &case.texts {
            let html = indexer::render::markdown_to_html(&text.body);
            assert_eq!(
                words(&indexer::render::html_to_text(&html)),
                words(&indexer::render::markdown_to_text(&text.body)),
                "{} ({})",
                case.slug,
                text.lang
            );
        }
    }
}

/// A language file that is there but broken is reported as itself, never also as missing.
#[test]
fn a_broken_language_file_is_not_also_reported_missing() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    copy_tree(&root().join("tests/fixtures/content"), &content);
    let file = content.join("cases/coding-club/en.md");
    let text = std::fs::read_to_string(&file).unwrap().replacen("title =", "tittle =", 1);
    std::fs::write(&file, text).unwrap();
    let found = problems(&content);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].file.as_str(), found[0].field.as_str()), ("cases/coding-club/en.md", "tittle"));
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}
